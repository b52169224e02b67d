import { randomInt } from 'node:crypto';
import { checkPasswordPolicy } from '../auth/password.ts';

// No look-alike characters (0/O, 1/l/I), since the password is read out or copied by hand.
const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '-_!@#%+='] as const;
const LENGTH = 14;

const pick = (chars: string) => chars[randomInt(chars.length)]!;

/**
 * A random one-time password that satisfies the password policy: one character of every class, the rest
 * from all of them, shuffled. It is shown once to the administrator and must be changed at first sign-in.
 */
export function generateTemporaryPassword(username: string): string {
  for (;;) {
    const all = CLASSES.join('');
    const chars = [...CLASSES.map(pick), ...Array.from({ length: LENGTH - CLASSES.length }, () => pick(all))];
    for (let i = chars.length - 1; i > 0; i -= 1) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join('');
    try {
      checkPasswordPolicy(password, username);
      return password;
    } catch {
      // Astronomically rare (the username appears inside it): draw again.
    }
  }
}
