import * as path from 'path';
import { writeHandout } from '../lib/commands/handout';
import { UserError } from '../lib/commands/passwords-command';

// npm run handout -- <course> [student]: private/<course>-handout.html, one slip per student,
// or private/<course>-<student>-slip.html, the one student's.
async function main(): Promise<number> {
  const [course, student] = process.argv.slice(2);
  if (!course) {
    console.error('usage: npm run handout -- <course> [student]');
    return 2;
  }
  try {
    const { file, slips } = await writeHandout(path.resolve('.'), course, student);
    console.log(`wrote ${file}: ${slips} slip(s) (git ignores it; print it, then delete it)`);
    return 0;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    console.error(error.lines.join('\n'));
    return 1;
  }
}

void main().then((code) => (process.exitCode = code));
