import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import type { Problem } from '../problems';
import { ARGON2ID_HASH } from '../trainer/passwords';
import { DNS_LABEL } from '../spec/names';
import { schemaProblems } from './schema-problems';
import { parseYamlSource, type YamlSource } from './yaml-source';
import { load } from 'js-yaml';

/** The committed hashes of a course: `courses/<course>.passwords.yaml`, next to the course file. */
export function passwordFileOf(courseFile: string): string {
  return courseFile.replace(/\.ya?ml$/, '.passwords.yaml');
}

export function isPasswordFile(name: string): boolean {
  return name.endsWith('.passwords.yaml');
}

export const passwordFileSchema = z.record(
  z.string().regex(DNS_LABEL, { message: 'is not a student id' }),
  z.string().regex(ARGON2ID_HASH, {
    message: 'is not an argon2id hash: this file holds hashes only (run npm run passwords -- <course>)',
  }),
);

/** The hashes of one course file, by student id, or problems; a missing file holds no hashes. */
export function readPasswordHashes(
  root: string,
  courseFile: string,
): { hashes: Map<string, string>; problems: Problem[]; source?: YamlSource } {
  const file = passwordFileOf(courseFile);
  const full = path.join(root, file);
  if (!fs.existsSync(full)) return { hashes: new Map(), problems: [] };
  const text = fs.readFileSync(full, 'utf8');
  // A hash file has a line per student: read it fast, and with source positions only to
  // explain a problem.
  const fast = quickParse(text);
  if (fast) return { hashes: new Map(Object.entries(fast)), problems: [] };
  const source = parseYamlSource(file, text);
  if (source.problems.length > 0) return { hashes: new Map(), problems: [...source.problems], source };
  const result = passwordFileSchema.safeParse(source.data ?? {});
  if (!result.success) {
    return { hashes: new Map(), problems: schemaProblems(file, passwordFileSchema, source.data, result.error.issues), source };
  }
  return { hashes: new Map(Object.entries(result.data)), problems: [], source };
}

/** The hashes when the file is valid (js-yaml rejects duplicate keys too), otherwise undefined. */
function quickParse(text: string): Record<string, string> | undefined {
  try {
    const result = passwordFileSchema.safeParse(load(text) ?? {});
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
