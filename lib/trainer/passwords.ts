import { randomInt } from 'crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';

// No 0/O, 1/l/I: students copy these from paper.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GROUPS = 4;
const GROUP_LENGTH = 5;

/** A password of 4 groups of 5 (about 116 bits), easy to type from a printed slip: "Xk7pq-R3mTw-...". */
export function generatePassword(pick: (max: number) => number = randomInt): string {
  return Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[pick(ALPHABET.length)]).join(''),
  ).join('-');
}

/** argon2id, as code-server's HASHED_PASSWORD expects. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}

export function verifyPassword(hashed: string, password: string): Promise<boolean> {
  return verify(hashed, password);
}

/** The PHC form of an argon2id hash; anything else in a hash file is a mistake (or a plaintext). */
export const ARGON2ID_HASH = /^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
