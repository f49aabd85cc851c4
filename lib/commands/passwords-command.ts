import * as fs from 'fs';
import * as path from 'path';
import { dump } from 'js-yaml';
import { parse } from 'yaml';
import { passwordFileOf, readPasswordHashes } from '../input/load/password-hashes';
import { compareText } from '../common/problems';
import { findCourse } from './course-students';
import { loadRepo } from '../input/load/load-repo';
import { generatePassword, hashPasswords } from './passwords';
import { BCRYPT_HASH } from '../input/load/password-hashes';

/** Where the plaintext passwords of a course live for its trainer: git ignores the folder. */
export const PRIVATE_DIR = 'private';

export function privatePasswordFile(course: string): string {
  return `${PRIVATE_DIR}/${course}.passwords.yaml`;
}

/**
 * Where the passwords of students taken off a course are kept, beside its private file (so
 * git ignores it too): a student put back, say after a typo in the list, gets theirs again,
 * and the slip they hold still opens the IDE.
 */
export function removedPasswordFile(privateFile: string): string {
  return privateFile.replace(/\.yaml$/, '.removed.yaml');
}

export interface PasswordsResult {
  readonly created: readonly string[];
  readonly reset: readonly string[];
  readonly kept: number;
  /** Ids taken off: their hash and password moved to `removedFile`. */
  readonly pruned: readonly string[];
  /** Ids given back the password they had before they were taken off. */
  readonly restored: readonly string[];
  readonly hashFile: string;
  readonly privateFile: string;
  readonly removedFile: string;
}

/**
 * Gives every student of a course who has none a new password (and each of `reset` a new one):
 * bcrypt hashes go to the committed file next to the course, the plaintext to the trainer's
 * private file. Existing passwords are kept; the hash and password of a student no longer in
 * the course move to the removed file, and come back if the student does; a student whose hash
 * is of another kind (argon2id, from before the login proxy) gets a new password. Touches
 * nothing in git, prints no password.
 */
export async function ensurePasswords(
  root: string,
  course: string,
  reset: readonly string[] = [],
  progress?: (done: number, total: number) => void,
): Promise<PasswordsResult> {
  const found = findCourse(root, course);
  if (!found.ok) throw new UserError(found.errors);
  return issuePasswords(
    root,
    {
      label: course,
      file: found.file,
      ids: found.students.map((s) => s.id),
      kind: 'student',
      privateFile: privatePasswordFile(course),
      command: `npm run passwords -- ${course}`,
      use: `Print slips with \`npm run handout -- ${course}\`.`,
    },
    reset,
    progress,
  );
}

/** The class board's trainers of a cluster: hashes beside the cluster file, as for a course. */
export async function ensureBoardPasswords(
  root: string,
  cluster: string,
  reset: readonly string[] = [],
  progress?: (done: number, total: number) => void,
): Promise<PasswordsResult> {
  const loaded = loadRepo(root);
  const found = loaded.clusters.find((c) => c.spec.name === cluster);
  if (!found) {
    const known = loaded.clusters.map((c) => c.spec.name).join(', ');
    throw new UserError([`no cluster named "${cluster}" in clusters/ (known: ${known || 'none'})`]);
  }
  const trainers = found.spec.board?.trainers;
  if (!trainers)
    throw new UserError([
      `${found.file} names no trainers: add board.trainers first (see docs/trainer-guide.md, "The class board")`,
    ]);
  return issuePasswords(
    root,
    {
      label: `the class board of ${cluster}`,
      file: found.file,
      ids: trainers.map((t) => t.id),
      kind: 'trainer',
      privateFile: `${PRIVATE_DIR}/${cluster}.board.passwords.yaml`,
      command: `npm run passwords -- --board ${cluster}`,
      use: `Sign in at https://board.${found.spec.domain}/ with the trainer id and this password.`,
    },
    reset,
    progress,
  );
}

interface PasswordOwner {
  /** What the passwords are for, in messages and file headers. */
  readonly label: string;
  /** The YAML file the committed hashes sit beside. */
  readonly file: string;
  readonly ids: readonly string[];
  readonly kind: 'student' | 'trainer';
  readonly privateFile: string;
  /** The command that writes these files. */
  readonly command: string;
  /** What to do with the plaintext, for the private file's header. */
  readonly use: string;
}

async function issuePasswords(
  root: string,
  owner: PasswordOwner,
  reset: readonly string[],
  progress?: (done: number, total: number) => void,
): Promise<PasswordsResult> {
  const ids = new Set(owner.ids);
  const unknown = reset.filter((id) => !ids.has(id));
  if (unknown.length > 0)
    throw new UserError([
      `--reset: ${unknown.join(', ')} is not a ${owner.kind} id of ${owner.label} (ids: ${[...ids].join(', ')})`,
    ]);

  const existing = readPasswordHashes(root, owner.file, { anyHash: true });
  if (existing.problems.length > 0) throw new UserError([`${passwordFileOf(owner.file)} cannot be read; fix or delete it first`]);
  const privateFile = owner.privateFile;
  const plaintext = readPrivate(path.join(root, privateFile));
  const removedFile = removedPasswordFile(privateFile);
  const removed = readRemoved(path.join(root, removedFile));

  const hashes = new Map<string, string>();
  const created: string[] = [];
  const resetDone: string[] = [];
  const restored: string[] = [];
  const issued: string[] = [];
  let kept = 0;
  for (const id of [...ids].sort(compareText)) {
    const current = existing.hashes.get(id);
    if (current && BCRYPT_HASH.test(current) && !reset.includes(id)) {
      hashes.set(id, current);
      kept++;
      continue;
    }
    const earlier = removed.get(id);
    if (!current && earlier && BCRYPT_HASH.test(earlier.hash) && !reset.includes(id)) {
      hashes.set(id, earlier.hash);
      if (earlier.password !== undefined) plaintext.set(id, earlier.password);
      removed.delete(id);
      restored.push(id);
      continue;
    }
    plaintext.set(id, generatePassword());
    issued.push(id);
    (current ? resetDone : created).push(id);
  }
  const newHashes = await hashPasswords(
    issued.map((id) => plaintext.get(id)!),
    progress,
  );
  issued.forEach((id, i) => hashes.set(id, newHashes[i]));
  const pruned = [...existing.hashes.keys()].filter((id) => !ids.has(id)).sort(compareText);
  for (const id of pruned) {
    const password = plaintext.get(id);
    removed.set(id, { hash: existing.hashes.get(id)!, ...(password === undefined ? {} : { password }) });
    plaintext.delete(id);
  }

  const hashFile = passwordFileOf(owner.file);
  writeYaml(
    path.join(root, hashFile),
    `# bcrypt hashes of the ${owner.kind === 'student' ? 'IDE' : 'board'} passwords of ${owner.label}, written by \`${owner.command}\`.\n` +
      `# Only hashes belong here. The passwords are in ${privateFile}, which git ignores.\n`,
    Object.fromEntries([...hashes].sort(([a], [b]) => compareText(a, b))),
  );
  fs.mkdirSync(path.join(root, PRIVATE_DIR), { recursive: true, mode: 0o700 });
  writeYaml(
    path.join(root, privateFile),
    `# PLAINTEXT passwords of ${owner.label}, for its trainer only. Never commit, never paste into a PR.\n` + `# ${owner.use}\n`,
    Object.fromEntries([...plaintext].filter(([id]) => ids.has(id)).sort(([a], [b]) => compareText(a, b))),
    0o600,
  );
  if (pruned.length > 0 || restored.length > 0) {
    writeYaml(
      path.join(root, removedFile),
      `# PLAINTEXT passwords (and hashes) of those taken off ${owner.label}, for its trainer only. Never commit.\n` +
        `# Put one back in the list and \`${owner.command}\` gives them this password again.\n`,
      Object.fromEntries([...removed].sort(([a], [b]) => compareText(a, b))),
      0o600,
    );
  }
  return { created, reset: resetDone, kept, pruned, restored, hashFile, privateFile, removedFile };
}

interface RemovedPassword {
  readonly hash: string;
  /** Undefined when the password was made on another machine: its hash alone still opens the IDE. */
  readonly password?: string;
}

function readRemoved(file: string): Map<string, RemovedPassword> {
  if (!fs.existsSync(file)) return new Map();
  const data = parse(fs.readFileSync(file, 'utf8')) as Record<string, RemovedPassword> | null;
  return new Map(Object.entries(data ?? {}));
}

/** The trainer's plaintext passwords of a course, by student id (empty when this machine has none). */
export function readPrivate(file: string): Map<string, string> {
  if (!fs.existsSync(file)) return new Map();
  const data = parse(fs.readFileSync(file, 'utf8')) as Record<string, string> | null;
  return new Map(Object.entries(data ?? {}));
}

function writeYaml(file: string, header: string, data: Record<string, unknown>, mode?: number): void {
  const body = Object.keys(data).length > 0 ? dump(data, { lineWidth: -1, quotingType: '"' }) : '{}\n';
  fs.writeFileSync(file, header + body, mode === undefined ? undefined : { mode });
  if (mode !== undefined) fs.chmodSync(file, mode);
}

/** A mistake of the caller, printed as is, without a stack trace. */
export class UserError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}
