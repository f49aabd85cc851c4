/**
 * The program `dojo check` runs in the workstation (node of code-server's image): reads the
 * course's exercises beside it, lists the student's objects with kubectl as the student, and
 * prints the report. Bundled with its CEL library by dev/check-program.ts.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { CheckExercise } from './checks';
import { checkReport, DOJO_CHECK_FILES, kubectlArguments, selectedExercises, unknownExerciseText } from './dojo-check';

function main(argv: readonly string[]): number {
  const exercises = JSON.parse(fs.readFileSync(path.join(__dirname, DOJO_CHECK_FILES.exercises), 'utf8')) as CheckExercise[];
  const only = argv[0];
  const selected = selectedExercises(exercises, only);
  if (!selected) {
    process.stderr.write(unknownExerciseText(only ?? '', exercises));
    return 2;
  }
  let listed: string;
  try {
    // kubectl as the student: their kubeconfig, its current context and namespace.
    listed = execFileSync('kubectl', kubectlArguments(selected), {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch {
    process.stderr.write('dojo check: kubectl could not list your objects (it says why above)\n');
    return 2;
  }
  const report = checkReport(selected, (JSON.parse(listed) as { items?: { kind?: string }[] }).items ?? []);
  process.stdout.write(report.text);
  return report.status;
}

process.exitCode = main(process.argv.slice(2));
