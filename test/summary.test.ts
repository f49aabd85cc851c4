import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { EXAMPLE_REPO, makeRepo, REPO_ROOT } from './support/repo';
import { exampleOutput } from './support/example-output';
import { withFixturePasswords } from '../dev/fixture-passwords';

const CLASSROOM = path.join(REPO_ROOT, 'test', 'fixtures', 'classroom');

describe('the synth summary', () => {
  it('fits 120 columns, also with a course name of 20 characters', () => {
    const long = 'kubernetes-in-depth1';
    const root = makeRepo(
      withFixturePasswords({
        [`courses/${long}.yaml`]: `name: ${long}\ncluster: example\nstudents: { count: 100 }\nworkstation: { ports: [8080, 5000] }\nschedule: { timeZone: America/Argentina/Buenos_Aires, hours: ["09:00-12:00", "13:00-17:30"], firstDay: "2026-12-07", lastDay: "2026-12-18" }\n`,
      }),
    );
    for (const repo of [EXAMPLE_REPO, CLASSROOM, root]) {
      const result = synth(repo, { write: false });
      expect(result.errors).toEqual([]);
      for (const line of result.summary) expect(line.length, line).toBeLessThanOrEqual(120);
    }
  });

  it('shows the first and last day of a dated course, its zone and the hours in UTC', () => {
    const summary = exampleOutput().summary.join('\n');
    expect(summary).toMatch(/docker-katas\s+2026-12-07\.\.2026-12-11\s+mon-fri 09:00-16:00/);
    expect(summary).toMatch(/^ +Europe\/Copenhagen\n += 08:00-15:00 UTC \(at UTC\+01:00\)$/m);
    expect(summary).toMatch(/kubernetes-katas\s+every week/);
  });

  it('shows an archived course with no nodes and no cost', () => {
    const summary = synth(CLASSROOM, { write: false }).summary.join('\n');
    expect(summary).toMatch(/lab\s+old\s+1\s+2\s+\d+\s+0 \(archived\)\s+0\s+0\.00$/m);
    expect(summary).toMatch(/lab\s+old\s+-\s+archived: no workstations\s+0\s+0\.00\s+0\.00$/m);
  });
});

describe('a dated course whose last day is past', () => {
  it('is a warning naming the file and what to do, not an error', () => {
    const result = synth(EXAMPLE_REPO, { write: false, today: '2027-01-04' });
    expect(result.ok).toBe(true);
    // kubernetes-katas, which runs every week, has a warning of its own (test/cost-warnings.test.ts).
    const past = (warnings: readonly string[]) => warnings.filter((w) => w.includes('is past'));
    expect(past(result.warnings)).toEqual([
      'warning: courses/docker-katas.yaml: the last day of class, 2026-12-11, is past: its schedule wakes every workstation again on the same dates next year. Set archived: true (students keep their homes) or give the new dates.',
      'warning: courses/helm-katas.yaml: the last day of class, 2026-12-16, is past: its schedule wakes every workstation again on the same dates next year. Set archived: true (students keep their homes) or give the new dates.',
    ]);
    expect(past(synth(EXAMPLE_REPO, { write: false, today: '2026-12-11' }).warnings)).toEqual([]);
  });
});
