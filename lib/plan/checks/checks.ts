/**
 * Kata checks: each set (checks/<set>.yaml) compiled once, and the exercises of the sets a
 * course names. A condition that does not compile, or reads a kind no check may read, is a
 * problem at its line: a class never meets a check that cannot run.
 */
import { conditionProblem, kindsOf, type CheckExercise } from '../../contracts/checks';
import type { Problem } from '../../common/problems';
import { checkSetName, type Loaded } from '../../input/load/load-repo';
import type { CheckSetSpec } from '../../input/schema/checks';

/** Every set's exercises by set name, and the problems of those that do not compile (left out). */
export function planCheckSets(sets: readonly Loaded<CheckSetSpec>[]): {
  sets: ReadonlyMap<string, readonly CheckExercise[]>;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const planned = new Map<string, readonly CheckExercise[]>();
  for (const { file, spec } of sets) {
    const set = checkSetName(file);
    const seen = new Map<string, number>();
    const exercises: CheckExercise[] = [];
    spec.exercises.forEach((exercise, i) => {
      const first = seen.get(exercise.id);
      if (first !== undefined) {
        problems.push({
          at: { file, path: ['exercises', i, 'id'] },
          message: `"${exercise.id}" is the id of another exercise of this set`,
          also: { file, path: ['exercises', first, 'id'] },
          hint: 'give each exercise its own id: it is what the student types after dojo check',
        });
        return;
      }
      seen.set(exercise.id, i);
      const compileProblems = exercise.conditions.flatMap((c, j) => {
        const problem = conditionProblem(c.expression);
        return problem ? [{ at: { file, path: ['exercises', i, 'conditions', j, 'expression'] }, message: problem }] : [];
      });
      problems.push(...compileProblems);
      if (compileProblems.length > 0) return;
      exercises.push({
        id: exercise.id,
        title: exercise.title,
        set,
        kinds: [...new Set(exercise.conditions.flatMap((c) => kindsOf(c.expression)))].sort(),
        conditions: exercise.conditions.map((c) => ({ expression: c.expression, message: c.message, hint: c.hint })),
      });
    });
    planned.set(set, exercises);
  }
  return { sets: planned, problems };
}

/** The exercises of the sets a course names, in the order named; an exercise id is the student's handle, so one per course. */
export function courseChecks(
  file: string,
  names: readonly string[],
  sets: ReadonlyMap<string, readonly CheckExercise[]>,
  brokenSets: ReadonlySet<string>,
): { exercises: CheckExercise[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const exercises: CheckExercise[] = [];
  const owner = new Map<string, string>();
  names.forEach((name, i) => {
    const set = sets.get(name);
    if (!set) {
      if (brokenSets.has(name)) return;
      const known = [...sets.keys()];
      problems.push({
        at: { file, path: ['checks', i] },
        message: `"${name}" is not a check set of this repo`,
        hint: known.length ? `known sets: ${known.join(', ')} (checks/<set>.yaml)` : 'add checks/<set>.yaml first',
      });
      return;
    }
    for (const exercise of set) {
      const other = owner.get(exercise.id);
      if (other !== undefined) {
        problems.push({
          at: { file, path: ['checks', i] },
          message: `exercise "${exercise.id}" of set "${name}" has the id of one of set "${other}"`,
          hint: 'dojo check <exercise> would not know which: rename one of them in its checks/ file',
        });
        continue;
      }
      owner.set(exercise.id, name);
      exercises.push(exercise);
    }
  });
  return { exercises, problems };
}
