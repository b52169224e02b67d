import { idNumberCheckCharacter } from './id-number.ts';

/** A valid identity number for a birth date and a 3-digit sequence (odd: male), for tests and demo data. */
export function validIdNumber(birthDate: string, sequence: number, place = '410402'): string {
  const first17 = `${place}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}
