import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { synth } from '../lib/synth';
import { renameCourse } from '../lib/commands/rename-course';
import { UserError } from '../lib/commands/passwords-command';
import { makeRepo, objectsOf, readTree } from './support/repo';

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const PRIVATE = 'student-1: "aaaaa-bbbbb-ccccc-ddddd"\n';

/** The example repo synthesized, with the trainer's private passwords of docker-katas. */
function deployedRepo(): string {
  const root = makeRepo({ 'private/docker-katas.passwords.yaml': PRIVATE });
  expect(synth(root, { today: '2026-11-24' }).errors).toEqual([]);
  return root;
}

describe('npm run rename-course', () => {
  it('keeps every namespace, home volume, host and password: dist/ does not change', () => {
    const root = deployedRepo();
    const before = readTree(root);
    const hashes = read(root, 'courses/docker-katas.passwords.yaml');
    const result = renameCourse(root, 'docker-katas', 'docker-basics');
    expect(result).toEqual({
      file: 'courses/docker-basics.yaml',
      id: 'docker-katas',
      moved: [
        ['courses/docker-katas.passwords.yaml', 'courses/docker-basics.passwords.yaml'],
        ['private/docker-katas.passwords.yaml', 'private/docker-basics.passwords.yaml'],
      ],
    });
    const course = read(root, 'courses/docker-basics.yaml');
    expect(parse(course)).toMatchObject({ name: 'docker-basics', id: 'docker-katas', title: 'Docker katas' });
    expect(course).toContain('# Anonymous seats: student-1 ... student-12.');
    expect(parse(read(root, 'courses/docker-basics.passwords.yaml'))).toEqual(parse(hashes));
    expect(read(root, 'courses/docker-basics.passwords.yaml')).toContain('npm run passwords -- docker-basics');
    expect(read(root, 'private/docker-basics.passwords.yaml')).toBe(PRIVATE);
    for (const gone of [
      'courses/docker-katas.yaml',
      'courses/docker-katas.passwords.yaml',
      'private/docker-katas.passwords.yaml',
    ])
      expect(fs.existsSync(path.join(root, gone)), gone).toBe(false);

    const after = synth(root, { today: '2026-11-24' });
    expect(after.errors).toEqual([]);
    expect(after.warnings.filter((w) => w.includes('no longer in courses/'))).toEqual([]);
    expect(readTree(root)).toEqual(before);
    const claims = objectsOf(readTree(root)).filter(
      (o) => o.object.kind === 'StatefulSet' && o.object.metadata.namespace === 'docker-katas',
    );
    expect(claims).toHaveLength(12);
  });

  it('keeps the first id through a second rename', () => {
    const root = deployedRepo();
    renameCourse(root, 'docker-katas', 'docker-basics');
    expect(renameCourse(root, 'docker-basics', 'docker-101').id).toBe('docker-katas');
    expect(parse(read(root, 'courses/docker-101.yaml'))).toMatchObject({ name: 'docker-101', id: 'docker-katas' });
    expect(read(root, 'courses/docker-101.yaml').match(/^id: /gm)).toHaveLength(1);
  });

  it('refuses, touching nothing, an unknown course, a bad name or a name already taken', () => {
    const root = deployedRepo();
    fs.writeFileSync(path.join(root, 'private/helm-katas.passwords.yaml'), PRIVATE);
    const before = readTree(root, ['courses', 'private']);
    expect(() => renameCourse(root, 'nope', 'new')).toThrow(/^no course named "nope"/);
    expect(() => renameCourse(root, 'docker-katas', 'Docker Basics')).toThrow(/is not a course name/);
    expect(() => renameCourse(root, 'docker-katas', 'kubernetes-katas')).toThrow(UserError);
    expect(() => renameCourse(root, 'docker-katas', 'helm-katas')).toThrow(
      'courses/helm-katas.yaml, courses/helm-katas.passwords.yaml, private/helm-katas.passwords.yaml exists already: choose another name, or move it away first',
    );
    expect(readTree(root, ['courses', 'private'])).toEqual(before);
  });
});

describe('a course renamed by hand', () => {
  it('fails synth with a hint to undo it and use rename-course, not to issue new passwords', () => {
    const root = deployedRepo();
    fs.writeFileSync(
      path.join(root, 'courses/docker-basics.yaml'),
      read(root, 'courses/docker-katas.yaml').replace('name: docker-katas', 'name: docker-basics'),
    );
    fs.rmSync(path.join(root, 'courses/docker-katas.yaml'));
    expect(synth(root, { write: false }).errors).toEqual([
      'courses/docker-basics.yaml:7:1  students  have 12 students without a password: "student-1", "student-10", "student-11" and 9 more\n' +
        '    hint: courses/docker-katas.passwords.yaml has no course file: if this course was renamed from docker-katas, put its file back ' +
        'and run npm run rename-course -- docker-katas docker-basics, which keeps every password, and on the cluster every home; ' +
        'for a new course, run: npm run passwords -- docker-basics',
    ]);
  });
});
