import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { synth } from '../lib/synth';
import { courseSchema } from '../lib/input/schema/course';
import { newCourse } from '../lib/commands/new-course';
import { ensurePasswords, UserError } from '../lib/commands/passwords-command';
import { makeRepo } from './support/repo';

describe('npm run new-course', () => {
  it('scaffolds a commented course file with the schema modeline that synthesizes once it has passwords', async () => {
    const root = makeRepo();
    const file = newCourse(root, 'git-katas', 'example');
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./course.schema.json');
    expect(courseSchema.safeParse(parse(text)).success).toBe(true);
    expect(synth(root, { write: false }).errors.join('\n')).toContain('npm run passwords -- git-katas');
    await ensurePasswords(root, 'git-katas');
    // No certificate step and no cluster-file edit: the gateway-mode cluster issues the course's own.
    const result = synth(root, { write: false });
    expect(result.errors).toEqual([]);
    const certificates = result.files.find((f) => f.path === 'dist/example/platform/certificates.yaml')!.content;
    expect(certificates).toContain('"*.git-katas.training.example.com"');
    const gateway = result.files.find((f) => f.path === 'dist/example/platform/gateway.yaml')!.content;
    expect(gateway).toContain('name: course-git-katas-tls');
  });

  it('dates the class the Monday to Friday after today, so that synth warns of no course running every week', async () => {
    const root = makeRepo({}, { exampleCourses: false });
    newCourse(root, 'git-katas', 'example', '2026-11-25'); // a Wednesday
    const schedule = parse(fs.readFileSync(path.join(root, 'courses/git-katas.yaml'), 'utf8')).schedule;
    expect([schedule.firstDay, schedule.lastDay]).toEqual(['2026-11-30', '2026-12-04']);
    await ensurePasswords(root, 'git-katas');
    expect(synth(root, { write: false, today: '2026-11-25' }).warnings).toEqual([]);
  });

  it('never overwrites, and asks for a valid name and a cluster', () => {
    const root = makeRepo();
    expect(() => newCourse(root, 'kubernetes-katas', 'example')).toThrow(UserError);
    expect(() => newCourse(root, 'Git Katas', 'example')).toThrow(/is not a course name/);
    expect(() => newCourse(root, 'git-katas')).toThrow(/this repo has several clusters: name one/);
    expect(() => newCourse(root, 'git-katas', 'nowhere')).toThrow(
      /^"nowhere" is not a cluster of this repo \(clusters: example, staging\)$/,
    );
  });

  it("takes the only cluster when there is one, and never a cluster's password file for a cluster", () => {
    const root = makeRepo({ 'clusters/example.passwords.yaml': 'trainer: "$2b$10$x"\n' });
    fs.rmSync(path.join(root, 'clusters', 'staging.yaml'));
    newCourse(root, 'git-katas');
    expect(fs.readFileSync(path.join(root, 'courses', 'git-katas.yaml'), 'utf8')).toMatch(/^cluster: example$/m);
  });
});
