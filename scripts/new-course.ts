import * as path from 'path';
import { newCourse } from '../lib/commands/new-course';
import { UserError } from '../lib/commands/passwords-command';

// npm run new-course -- <name> [cluster]
const [name, cluster] = process.argv.slice(2);
if (!name) {
  console.error('usage: npm run new-course -- <name> [cluster]');
  process.exitCode = 2;
} else {
  try {
    const file = newCourse(path.resolve('.'), name, cluster);
    console.log(`wrote ${file}: edit it, then npm run passwords -- ${name} and npm run synth`);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    console.error(error.lines.join('\n'));
    process.exitCode = 1;
  }
}
