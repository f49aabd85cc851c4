import * as path from 'path';
import { renameCourse } from '../lib/commands/rename-course';
import { UserError } from '../lib/commands/passwords-command';

// npm run rename-course -- <old> <new>
const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: npm run rename-course -- <old> <new>');
  process.exitCode = 2;
} else {
  try {
    const result = renameCourse(path.resolve('.'), from, to);
    console.log(`renamed courses/${from}.yaml to ${result.file}`);
    for (const [source, target] of result.moved) console.log(`moved   ${source} to ${target}`);
    console.log(
      `The cluster keeps knowing the course as "${result.id}" (id: ${result.id} in ${result.file}): its namespaces, every ` +
        "student's home volume, the host names on the slips and every password stay.",
    );
    console.log(
      `Next: npm run synth, then commit courses/ and dist/. Commands now take the new name (npm run handout -- ${to}).`,
    );
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    console.error(error.lines.join('\n'));
    process.exitCode = 1;
  }
}
