import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { countedStudentIds } from '../lib/plan/students/student-id';
import { syntheticRepo } from '../bench/synthetic-repo';
import { fixturePasswordFile } from '../dev/fixture-passwords';
import { readTree } from './support/repo';

/** The course-wide files whose content really depends on the number of students. */
const COUNT_DEPENDENT = ['node-pool.yaml', 'prewarm.yaml', 'alb-groups.yaml'];

const SCHEDULE = 'schedule:\n  timeZone: Europe/Copenhagen\n  hours: ["09:00-17:00"]\n';

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const all = new Set([...before.keys(), ...after.keys()]);
  return [...all].filter((f) => before.get(f) !== after.get(f)).sort();
}

describe('diff locality', () => {
  it.each(['gateway', 'alb'] as const)(
    '%s mode: adding a student to a 100-student course touches their file and the listed course-wide ones',
    (mode) => {
      const root = syntheticRepo(1, 100, mode);
      const course = path.join(root, 'courses/course-1.yaml');
      fs.appendFileSync(course, SCHEDULE);
      expect(synth(root).errors).toEqual([]);
      const before = readTree(root);

      fs.writeFileSync(course, fs.readFileSync(course, 'utf8').replace('count: 100', 'count: 101'));
      fs.writeFileSync(
        path.join(root, 'courses/course-1.passwords.yaml'),
        fixturePasswordFile(countedStudentIds('student', 101)),
      );
      expect(synth(root).errors).toEqual([]);
      const changed = changedFiles(before, readTree(root));

      const prefix = 'dist/example/courses/course-1/';
      expect(changed).toContain(`${prefix}students/student-101.yaml`);
      const others = changed.filter((f) => f !== `${prefix}students/student-101.yaml`);
      for (const file of others)
        expect(
          COUNT_DEPENDENT.map((f) => prefix + f),
          file,
        ).toContain(file);
      expect(others.length).toBeLessThanOrEqual(COUNT_DEPENDENT.length);
    },
  );

  it("renaming a course title changes no student file, only the course's sign-in page", () => {
    const root = syntheticRepo(1, 100);
    expect(synth(root).errors).toEqual([]);
    const before = readTree(root);
    fs.appendFileSync(path.join(root, 'courses/course-1.yaml'), 'title: Kubernetes, the hard way\n');
    expect(synth(root).errors).toEqual([]);
    const changed = changedFiles(before, readTree(root));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/\/courses\/course-1\/course\.yaml$/);
  });
});
