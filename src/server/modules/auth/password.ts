import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { AppError } from '../../http/errors.ts';

const argon2Async = promisify(argon2);

/** Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane), from Node's own crypto. */
const PARAMS = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 } as const;

export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const tag = await argon2Async('argon2id', { message: password, nonce, ...PARAMS });
  return `$argon2id$v=19$m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}$${nonce.toString('base64url')}$${tag.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!match) return false;
  const [, m, t, p, nonce, tag] = match as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(tag, 'base64url');
  const actual = await argon2Async('argon2id', {
    message: password,
    nonce: Buffer.from(nonce, 'base64url'),
    memory: Number(m),
    passes: Number(t),
    parallelism: Number(p),
    tagLength: expected.length,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to verify against when the username is unknown, so timing does not reveal which usernames exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/**
 * Password policy (等保 level 3): at least 10 characters, three of four character classes, not containing
 * the username, not one of the demo or commonest passwords.
 */
export function checkPasswordPolicy(password: string, username?: string | null): void {
  const problems: string[] = [];
  if (password.length < 10) problems.push('tooShort');
  if (password.length > 128) problems.push('tooLong');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((r) => r.test(password)).length;
  if (classes < 3) problems.push('tooSimple');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('containsUsername');
  if (/^(password|12345678|qwerty|admin)/i.test(password)) problems.push('common');
  if (problems.length > 0) {
    throw new AppError(
      'WEAK_PASSWORD',
      'The password must be 10–128 characters, use three of: lower case, upper case, digits, symbols, and not contain the username',
      { problems },
    );
  }
}
