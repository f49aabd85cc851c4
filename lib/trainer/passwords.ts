import { randomInt } from 'crypto';
import bcrypt from 'bcryptjs';

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
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function verifyPassword(hashed: string, password: string): Promise<boolean> {
  return bcrypt.compare(password, hashed);
}

/** A bcrypt hash in the modular crypt form; anything else in a hash file is a mistake (or a plaintext). */
export const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
