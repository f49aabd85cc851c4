/**
 * `dojo check [exercise]` in the workstation's terminal: the course's checks, evaluated on what
 * the student's own kubeconfig lists in its current namespace (namespace mode: their namespace;
 * vcluster mode: their virtual cluster). synth writes the exercises and this program, bundled
 * (lib/contracts/dojo-check-program.ts), into the course's ConfigMap at /opt/dojo.
 */
import { evaluateExercise, kubectlResource, objectsByKind, type CheckExercise, type CheckKind } from './checks';

/** Files of the course's ConfigMap, beside the setup script. */
export const DOJO_CHECK_FILES = { exercises: 'checks.json', program: 'dojo-check.js', command: 'dojo' } as const;

/** The exercises to check: all, or the one named (undefined when no exercise has that id). */
export function selectedExercises(
  exercises: readonly CheckExercise[],
  only: string | undefined,
): readonly CheckExercise[] | undefined {
  if (only === undefined) return exercises;
  const one = exercises.filter((e) => e.id === only);
  return one.length > 0 ? one : undefined;
}

/** What `kubectl get` lists for these exercises: each kind they read, by its full resource name. */
export function kubectlArguments(exercises: readonly CheckExercise[]): string[] {
  const kinds = [...new Set(exercises.flatMap((e) => e.kinds))].sort() as CheckKind[];
  return ['get', kinds.map(kubectlResource).join(','), '-o', 'json'];
}

/** The report the student reads, and the exit status: 0 when every exercise checked passes. */
export function checkReport(
  exercises: readonly CheckExercise[],
  items: readonly { readonly kind?: string }[],
): { text: string; status: number } {
  const objects = objectsByKind(items);
  const lines: string[] = [];
  let passed = 0;
  for (const exercise of exercises) {
    const result = evaluateExercise(exercise, objects);
    if (result.passed) {
      passed++;
      lines.push(`PASS  ${exercise.id}: ${exercise.title}`);
      continue;
    }
    lines.push(`FAIL  ${exercise.id}: ${exercise.title}`, `      ${result.failed.message}`);
    if (result.failed.hint) lines.push(`      hint: ${result.failed.hint}`);
  }
  if (exercises.length > 1) lines.push('', `${passed} of ${exercises.length} exercises pass`);
  return { text: `${lines.join('\n')}\n`, status: passed === exercises.length ? 0 : 1 };
}

/** Said when the student names no exercise of the course. */
export function unknownExerciseText(only: string, exercises: readonly CheckExercise[]): string {
  return `dojo check: no exercise "${only}"; this course's exercises are:\n${exercises.map((e) => `  ${e.id}  ${e.title}`).join('\n')}\n`;
}
