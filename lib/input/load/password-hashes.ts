import * as fs from 'fs';
import * as path from 'path';
import * as z from 'zod';
import type { Problem } from '../../common/problems';
import { DNS_LABEL } from '../schema/dns-names';
import { schemaProblems } from './schema-problems';
import { parseYamlSource, type YamlSource } from './yaml-source';
import { load } from 'js-yaml';

/** A bcrypt hash in the modular crypt form; anything else in a hash file is a mistake (or a plaintext). */
export const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** The committed hashes of a course: `courses/<course>.passwords.yaml`, next to the course file. */
export function passwordFileOf(courseFile: string): string {
  return courseFile.replace(/\.ya?ml$/, '.passwords.yaml');
}

/** The course file a password file belongs to: `courses/<course>.yaml`. */
export function courseFileOf(passwordFile: string): string {
  return passwordFile.replace(/\.passwords\.yaml$/, '.yaml');
}

export function isPasswordFile(name: string): boolean {
  return name.endsWith('.passwords.yaml');
}

const studentId = z.string().regex(DNS_LABEL, { message: 'is not a student id' });

/** What synth accepts: a bcrypt hash per student. */
export const passwordFileSchema = z.record(
  studentId,
  z
    .string()
    .refine((hash) => !hash.startsWith('$argon2'), {
      message:
        'is an argon2 hash, which the login proxy cannot check (it takes bcrypt): run npm run passwords -- <course> to issue new passwords',
    })
    .refine((hash) => hash.startsWith('$argon2') || BCRYPT_HASH.test(hash), {
      message: 'is not a bcrypt hash: this file holds hashes only (run npm run passwords -- <course>)',
    }),
);

/**
 * What the passwords command can read and replace: any hash, including argon2id ones from
 * before the login proxy; a plaintext is still refused.
 */
const anyHashFileSchema = z.record(
  studentId,
  z.string().regex(/^\$[a-z0-9]+\$\S+$/, { message: 'is not a hash: this file holds hashes only' }),
);

/** The hashes of one course file, by student id, or problems; a missing file holds no hashes. */
export function readPasswordHashes(
  root: string,
  courseFile: string,
  options: { anyHash?: boolean } = {},
): { hashes: Map<string, string>; problems: Problem[]; source?: YamlSource } {
  const schema = options.anyHash ? anyHashFileSchema : passwordFileSchema;
  const file = passwordFileOf(courseFile);
  const full = path.join(root, file);
  if (!fs.existsSync(full)) return { hashes: new Map(), problems: [] };
  const text = fs.readFileSync(full, 'utf8');
  // A hash file has a line per student: read it fast, and with source positions only to
  // explain a problem.
  const fast = quickParse(schema, text);
  if (fast) return { hashes: new Map(Object.entries(fast)), problems: [] };
  const source = parseYamlSource(file, text);
  if (source.problems.length > 0) return { hashes: new Map(), problems: [...source.problems], source };
  const result = schema.safeParse(source.data ?? {});
  if (!result.success) {
    return { hashes: new Map(), problems: schemaProblems(file, schema, source.data, result.error.issues), source };
  }
  return { hashes: new Map(Object.entries(result.data)), problems: [], source };
}

/** The hashes when the file is valid (js-yaml rejects duplicate keys too), otherwise undefined. */
function quickParse(schema: typeof passwordFileSchema, text: string): Record<string, string> | undefined {
  try {
    const result = schema.safeParse(load(text) ?? {});
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
