import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { evaluateExercise, objectsByKind, type CheckExercise } from '../lib/contracts/checks';
import { loadRepo } from '../lib/input/load/load-repo';
import { planCheckSets } from '../lib/plan/checks/checks';
import { loadAndPlan } from '../lib/synth';
import { settled, type Manifest } from '../dev/kata-solutions/manifests';
import { SOLUTIONS } from '../dev/kata-solutions/solutions';
import { withFixturePasswords } from '../dev/fixture-passwords';
import { makeRepo, REPO_ROOT } from './support/repo';

const loaded = loadRepo(REPO_ROOT);
const planned = planCheckSets(loaded.checkSets);
const exercises = [...planned.sets.values()].flat();

/** What `kubectl get ... -o json` lists after the objects settle, grouped by kind as the checks read them. */
const listed = (objects: readonly Manifest[]) => objectsByKind(settled(objects));

describe('the check sets of this repo', () => {
  it('load and compile without a problem', () => {
    expect(loaded.problems).toEqual([]);
    expect(planned.problems).toEqual([]);
    expect([...planned.sets.keys()].sort()).toEqual(['helm-katas', 'kubernetes-appdev-katas', 'kubernetes-katas']);
  });

  it('have a reference solution for every exercise, and no solution without a check', () => {
    for (const [set, list] of planned.sets) {
      expect(Object.keys(SOLUTIONS[set] ?? {}).sort(), set).toEqual(list.map((e) => e.id).sort());
    }
  });

  describe.each(exercises.map((e) => [`${e.set}/${e.id}`, e] as [string, CheckExercise]))('%s', (_, exercise) => {
    const solution = SOLUTIONS[exercise.set][exercise.id];

    it('fails in an empty namespace with its first message', () => {
      expect(evaluateExercise(exercise, {})).toEqual({ id: exercise.id, passed: false, failed: exercise.conditions[0] });
    });

    it("passes on the reference solution's objects", () => {
      expect(evaluateExercise(exercise, listed(solution.objects))).toEqual({ id: exercise.id, passed: true });
    });

    it('fails on the solution before its pods run (nothing ready yet)', () => {
      // Applied but not settled: the checks look at what runs, not only at what was written.
      const result = evaluateExercise(exercise, objectsByKind(solution.objects as { kind: string }[]));
      const readsStatus = exercise.conditions.some((c) => /status\./.test(c.expression));
      expect(result.passed).toBe(!readsStatus);
    });

    it('has at least one near miss', () => {
      expect(solution.nearMisses.length).toBeGreaterThan(0);
    });

    it.each(solution.nearMisses.map((m) => [m.what, m] as const))('near miss, %s: fails with its message', (_, miss) => {
      const result = evaluateExercise(exercise, listed(miss.objects));
      expect(result.passed).toBe(false);
      expect(result.passed ? undefined : result.failed.message).toBe(miss.message);
    });
  });
});

describe('evaluation', () => {
  const exercise = exercises.find((e) => e.id === 'desired-state')!;
  it("reads only the objects it is given: another namespace's nginx does not count", () => {
    const theirs = settled([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'other' }, spec: { replicas: 1 } },
    ]);
    // The board and dojo check hand over one namespace's objects; the expression has no way to reach any other.
    expect(evaluateExercise(exercise, objectsByKind([])).passed).toBe(false);
    expect(evaluateExercise(exercise, objectsByKind(theirs)).passed).toBe(true);
  });

  it('counts a field an object lacks as not met, not as an error', () => {
    const bare = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' } }];
    expect(evaluateExercise(exercise, objectsByKind(bare))).toMatchObject({
      passed: false,
      failed: { message: 'the Deployment nginx has no ready pod' },
    });
  });
});

describe('synth errors of checks', () => {
  const course = (checks: string) =>
    withFixturePasswords({
      'courses/k.yaml': `# yaml-language-server: $schema=./course.schema.json\nname: k\ncluster: example\nstudents: [Ada]\nchecks: ${checks}\n`,
    });
  const set = (expression: string) =>
    [
      '# yaml-language-server: $schema=./checks.schema.json',
      'title: Mine',
      'exercises:',
      '  - id: one',
      '    title: One',
      '    conditions:',
      `      - expression: ${JSON.stringify(expression)}`,
      '        message: no',
    ].join('\n') + '\n';
  const errors = (files: Record<string, string>) => {
    const result = loadAndPlan(makeRepo(files, { exampleCourses: false }));
    return result.ok ? [] : result.errors.map((e) => e.split('\n')[0]);
  };

  it('a condition that does not compile: file, line and column', () => {
    expect(errors({ ...course('[mine]'), 'checks/mine.yaml': set('deployments.exists(d, ') })).toEqual([
      'checks/mine.yaml:7:9  exercises[0].conditions[0].expression  is not CEL: Unexpected token: EOF',
    ]);
  });

  it('a condition that reads Secrets', () => {
    expect(errors({ ...course('[mine]'), 'checks/mine.yaml': set('secrets.exists(s, s.metadata.name == "x")') })[0]).toMatch(
      /^checks\/mine\.yaml:7:9  exercises\[0\]\.conditions\[0\]\.expression  reads Secrets, which no check may/,
    );
  });

  it('a condition that names a kind the board cannot watch', () => {
    expect(errors({ ...course('[mine]'), 'checks/mine.yaml': set('nodes.exists(n, true)') })[0]).toMatch(
      /^checks\/mine\.yaml:7:9  .*names "nodes", which is not a kind checks can read/,
    );
  });

  it('a condition that is not true or false', () => {
    expect(errors({ ...course('[mine]'), 'checks/mine.yaml': set('size(pods)') })[0]).toMatch(/gives int, not true or false/);
  });

  it('a course naming a set the repo does not have', () => {
    expect(errors({ ...course('[mine]'), 'checks/other.yaml': set('pods.exists(p, true)') })).toEqual([
      'courses/k.yaml:5:10  checks[0]  "mine" is not a check set of this repo',
    ]);
  });

  it('a course whose students have no Kubernetes', () => {
    const files = withFixturePasswords({
      'courses/k.yaml': 'name: k\ncluster: example\nstudents: [Ada]\nkubernetes:\n  namespace: false\nchecks: [mine]\n',
      'checks/mine.yaml': set('pods.exists(p, true)'),
    });
    expect(errors(files)).toEqual(['courses/k.yaml:6:1  checks  names check sets, but the students have no Kubernetes to check']);
  });

  it('the example repo itself plans', () => {
    expect(path.isAbsolute(REPO_ROOT)).toBe(true);
    expect(loadAndPlan(REPO_ROOT).ok).toBe(true);
  });
});
