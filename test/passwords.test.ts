import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { synth } from '../lib/synth';
import { generatePassword, verifyPasswords } from '../lib/commands/passwords';
import {
  ensurePasswords,
  privatePasswordFile,
  readPrivate,
  removedPasswordFile,
  UserError,
} from '../lib/commands/passwords-command';
import { makeRepo, readTree, REPO_ROOT } from './support/repo';

const git = (root: string, ...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
const hashes = (root: string) =>
  parse(fs.readFileSync(path.join(root, 'courses/docker-katas.passwords.yaml'), 'utf8')) as Record<string, string>;

const privatePasswords = (root: string) => readPrivate(path.join(root, privatePasswordFile('docker-katas')));

/** A git repo with the examples, dist/ synthesized and committed, and docker-katas without passwords yet. */
function trainerRepo(): string {
  const root = makeRepo();
  fs.copyFileSync(path.join(REPO_ROOT, '.gitignore'), path.join(root, '.gitignore'));
  fs.rmSync(path.join(root, 'courses/docker-katas.passwords.yaml'));
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'start');
  return root;
}

describe('npm run passwords', () => {
  let root: string;
  beforeAll(async () => {
    root = trainerRepo();
    await ensurePasswords(root, 'docker-katas');
  });

  it('gives every student a password whose bcrypt hash is committed and verifies', async () => {
    const plaintext = readPrivate(path.join(root, privatePasswordFile('docker-katas')));
    const committed = hashes(root);
    expect(Object.keys(committed)).toHaveLength(12);
    const entries = Object.entries(committed);
    for (const [, hash] of entries) expect(hash).toMatch(/^\$2b\$10\$/);
    expect(await verifyPasswords(entries.map(([id, hash]) => [hash, plaintext.get(id)!] as const))).toEqual(
      entries.map(() => true),
    );
    expect(await verifyPasswords(entries.map(([id, hash]) => [hash, `${plaintext.get(id)}x`] as const))).toEqual(
      entries.map(() => false),
    );
  });

  it('changes nothing on a second run', async () => {
    const before = readTree(root, ['courses', 'private']);
    const result = await ensurePasswords(root, 'docker-katas');
    expect([result.created, result.reset, result.kept]).toEqual([[], [], 12]);
    expect(readTree(root, ['courses', 'private'])).toEqual(before);
  });

  it('replaces exactly one password with --reset', async () => {
    const before = hashes(root);
    const result = await ensurePasswords(root, 'docker-katas', ['student-3']);
    expect(result.reset).toEqual(['student-3']);
    const after = hashes(root);
    for (const id of Object.keys(before)) expect(after[id] === before[id], id).toBe(id !== 'student-3');
    await expect(ensurePasswords(root, 'docker-katas', ['student-99'])).rejects.toThrow(UserError);
  });

  it('stages and commits nothing, and git ignores the plaintext', () => {
    expect(git(root, 'diff', '--cached', '--name-only')).toBe('');
    const status = git(root, 'status', '--porcelain', '--untracked-files=all');
    expect(status.trim()).toBe('?? courses/docker-katas.passwords.yaml');
    expect(git(root, 'check-ignore', privatePasswordFile('docker-katas')).trim()).toBe(privatePasswordFile('docker-katas'));
    expect(fs.statSync(path.join(root, privatePasswordFile('docker-katas'))).mode & 0o077).toBe(0);
  });

  it('lets synth put the hashes, and no password, into the workstations', () => {
    const result = synth(root);
    expect(result.errors).toEqual([]);
    const dist = [...readTree(root).values()].join('\n');
    for (const password of readPrivate(path.join(root, privatePasswordFile('docker-katas'))).values())
      expect(dist).not.toContain(password);
    for (const hash of Object.values(hashes(root))) expect(dist).toContain(hash);
  });

  it('drops the hash of a student who left the course, keeping their password in a private file that gives it back', async () => {
    const file = path.join(root, 'courses/docker-katas.yaml');
    const before = { hash: hashes(root)['student-12'], password: privatePasswords(root).get('student-12') };
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('count: 12', 'count: 11'));
    const result = await ensurePasswords(root, 'docker-katas');
    expect(result.pruned).toEqual(['student-12']);
    expect(Object.keys(hashes(root))).not.toContain('student-12');
    expect(privatePasswords(root).has('student-12')).toBe(false);
    const removedFile = path.join(root, removedPasswordFile(privatePasswordFile('docker-katas')));
    expect(parse(fs.readFileSync(removedFile, 'utf8'))).toEqual({ 'student-12': before });
    expect(git(root, 'check-ignore', path.relative(root, removedFile)).trim()).toBe(path.relative(root, removedFile));
    expect(fs.statSync(removedFile).mode & 0o077).toBe(0);

    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('count: 11', 'count: 12'));
    const back = await ensurePasswords(root, 'docker-katas');
    expect([back.restored, back.created]).toEqual([['student-12'], []]);
    expect(hashes(root)['student-12']).toBe(before.hash);
    expect(privatePasswords(root).get('student-12')).toBe(before.password);
    expect(parse(fs.readFileSync(removedFile, 'utf8'))).toEqual({});
  });
});

describe('npm run passwords on a student list YAML reads otherwise than it looks', () => {
  it('refuses, pointing at the line, and removes no password', async () => {
    const course = 'name: pair\ncluster: example\nstudents:\n  - Ada Lovelace\n   - Alan Turing\n';
    const root = makeRepo({ 'courses/pair.yaml': course.replace('   - Alan', '  - Alan') }, { exampleCourses: false });
    await ensurePasswords(root, 'pair');
    fs.writeFileSync(path.join(root, 'courses/pair.yaml'), course);
    const before = readTree(root, ['courses', 'private']);
    const refused = ensurePasswords(root, 'pair');
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(/^courses\/pair\.yaml:5:4  students\[0\]  is read as the rest of the name on line 4/);
    expect(readTree(root, ['courses', 'private'])).toEqual(before);
  });
});

describe('synth without passwords', () => {
  it('fails and names the command to run', () => {
    const result = synth(trainerRepo(), { write: false });
    expect(result.errors).toEqual([
      'courses/docker-katas.yaml:7:1  students  have 12 students without a password: "student-1", "student-10", "student-11" and 9 more\n' +
        '    hint: run: npm run passwords -- docker-katas',
    ]);
  });

  it('replaces an argon2id hash, which the login proxy cannot check, with a new password; synth names the fix', async () => {
    const argon2 = '$argon2id$v=19$m=19456,t=2,p=1$peiytXU0totcN1MACRrs5g$mdDaeKucWZGDCItWjW3X424S5/wCpnqHlLeUR1m4bOM';
    const root = makeRepo({ 'courses/docker-katas.passwords.yaml': `student-1: "${argon2}"\n` });
    expect(synth(root, { write: false }).errors[0]).toMatch(
      /^courses\/docker-katas.passwords.yaml:1:1  student-1  "\$argon2id\$[^"]+" is an argon2 hash, which the login proxy cannot check \(it takes bcrypt\): run npm run passwords -- <course>/,
    );
    const result = await ensurePasswords(root, 'docker-katas');
    expect(result.reset).toEqual(['student-1']);
    const fresh = hashes(root)['student-1'];
    expect(
      await verifyPasswords([[fresh, readPrivate(path.join(root, privatePasswordFile('docker-katas'))).get('student-1')!]]),
    ).toEqual([true]);
    expect(synth(root, { write: false }).errors).toEqual([]);
  });

  it('refuses a plaintext in the hash file', () => {
    const root = makeRepo({ 'courses/docker-katas.passwords.yaml': 'student-1: hunter2\n' });
    expect(synth(root, { write: false }).errors[0]).toMatch(
      /^courses\/docker-katas.passwords.yaml:1:1  student-1  "hunter2" is not a bcrypt hash: this file holds hashes only/,
    );
  });

  it('refuses a course whose name is not its file name, writing nothing', async () => {
    const root = makeRepo({ 'courses/cb.yaml': 'name: cloud-basics\ncluster: example\nstudents: [Ada]\n' });
    await expect(ensurePasswords(root, 'cloud-basics')).rejects.toThrow(UserError);
    expect(fs.existsSync(path.join(root, 'courses/cb.passwords.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(root, privatePasswordFile('cloud-basics')))).toBe(false);
  });
});

describe('generated passwords', () => {
  it('are four groups of five unambiguous characters, from a cryptographic source', () => {
    expect(generatePassword(() => 0)).toBe('aaaaa-aaaaa-aaaaa-aaaaa');
    const many = Array.from({ length: 200 }, () => generatePassword());
    expect(new Set(many).size).toBe(200);
    for (const p of many) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
  });
});
