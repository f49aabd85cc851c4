import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { withFixturePasswords } from '../dev/fixture-passwords';
import { makeRepo } from './support/repo';

const TODAY = '2026-11-24'; // before every class day below
const DATED =
  'schedule:\n  timeZone: Europe/Copenhagen\n  firstDay: "2026-12-07"\n  lastDay: "2026-12-11"\n  hours: ["09:00-16:00"]\n';

function warningsOf(course: string): string[] {
  const root = makeRepo(withFixturePasswords({ 'courses/c.yaml': `name: c\ncluster: example\n${course}` }), {
    exampleCourses: false,
  });
  const result = synth(root, { write: false, today: TODAY });
  expect(result.errors).toEqual([]);
  return [...result.warnings];
}

describe('what a course costs, in warnings synth prints', () => {
  it('says nothing of a small course with class days', () => {
    expect(warningsOf(`students: { count: 20 }\n${DATED}`)).toEqual([]);
  });

  it('warns of a 2,000-student course with its cost a week, and still synthesizes', () => {
    expect(warningsOf(`students: { count: 2000 }\n${DATED}`)).toEqual([
      'warning: courses/c.yaml: 2,000 students cost about 18,196 USD a week (37.5 hours awake): check the number of students, the workstation size and the class hours.',
    ]);
  });

  it('warns that a course without class days comes back every week, with its cost', () => {
    expect(warningsOf('students: { count: 20 }\nschedule:\n  timeZone: Europe/Copenhagen\n  hours: ["09:00-16:00"]\n')).toEqual([
      'warning: courses/c.yaml: has no schedule.firstDay and lastDay, so its class hours come back every week: about 194 USD a week until the course is archived or removed. Give the days of class.',
    ]);
  });

  it('warns that a course without a schedule never sleeps, with its cost', () => {
    expect(warningsOf('students: { count: 20 }\n')).toEqual([
      'warning: courses/c.yaml: has no schedule, so its workstations never sleep: about 871 USD a week, every week until the course is archived or removed. Give schedule its class hours and days.',
    ]);
  });

  it('says nothing of an archived course, which costs nothing', () => {
    expect(warningsOf('students: { count: 2000 }\narchived: true\n')).toEqual([]);
  });
});
