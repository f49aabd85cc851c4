import { randomInt } from 'crypto';
import { runBcrypt } from './bcrypt-pool';

// No 0/O, 1/l/I: students copy these from paper.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GROUPS = 4;
const GROUP_LENGTH = 5;

/**
 * bcrypt cost: each login attempt costs the student's own login proxy about 50 ms of CPU,
 * which bounds guessing per student (its CPU limit) without slowing a real login.
 */
const BCRYPT_COST = 10;

/** A password of 4 groups of 5 (about 116 bits), easy to type from a printed slip: "Xk7pq-R3mTw-...". */
export function generatePassword(pick: (max: number) => number = randomInt): string {
  return Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[pick(ALPHABET.length)]).join(''),
  ).join('-');
}

/**
 * bcrypt, the one salted hash oauth2-proxy's htpasswd file accepts besides unsalted SHA-1
 * (pkg/authentication/basic/htpasswd.go at v7.15.3).
 */
export async function hashPasswords(
  passwords: readonly string[],
  progress?: (done: number, total: number) => void,
): Promise<string[]> {
  return (await runBcrypt(
    passwords.map((hash) => ({ hash, cost: BCRYPT_COST })),
    progress,
  )) as string[];
}

/** For each [hash, password] pair, whether the password matches the hash. */
export async function verifyPasswords(pairs: readonly (readonly [hashed: string, password: string])[]): Promise<boolean[]> {
  return (await runBcrypt(pairs.map(([against, compare]) => ({ compare, against })))) as boolean[];
}
