/**
 * Chinese resident identity numbers (GB 11643-1999): 6 digits of birthplace, 8 of birth date, 3 of sequence
 * (odd for men, even for women) and a check character over the first 17 (ISO 7064 MOD 11-2).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK[sum % 11] as string;
}

export interface IdNumberFacts {
  birthDate: string;
  gender: 'male' | 'female';
}

/** The birth date and gender written in a valid identity number, or null when the number is not valid. */
export function parseIdNumber(value: string, today = new Date()): IdNumberFacts | null {
  if (!SHAPE.test(value)) return null;
  if (idNumberCheckCharacter(value.slice(0, 17)) !== value[17]) return null;
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  if (year < 1880 || date.getTime() > today.getTime()) return null;
  return {
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    gender: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}

export function isValidIdNumber(value: string): boolean {
  return parseIdNumber(value) !== null;
}
