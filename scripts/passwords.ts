import * as path from 'path';
import { ensurePasswords, UserError } from '../lib/trainer/passwords-command';
import { progressLine } from '../lib/text';

// npm run passwords -- <course> [--reset <student-id>]...
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const course = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--reset');
  const reset = args.flatMap((a, i) => (args[i - 1] === '--reset' ? [a] : []));
  if (!course) {
    console.error('usage: npm run passwords -- <course> [--reset <student-id>]...');
    return 2;
  }
  try {
    const r = await ensurePasswords(
      path.resolve('.'),
      course,
      reset,
      progressLine('hashing new passwords (bcrypt, on every core):'),
    );
    console.log(`${course}: ${r.created.length} new, ${r.reset.length} reset, ${r.kept} kept, ${r.pruned.length} removed`);
    console.log(`hashes:    ${r.hashFile} (commit this)`);
    console.log(`passwords: ${r.privateFile} (git ignores it; print slips with npm run handout -- ${course})`);
    return 0;
  } catch (error) {
    if (error instanceof UserError) {
      console.error(error.lines.join('\n'));
      return 1;
    }
    throw error;
  }
}

main().then((code) => (process.exitCode = code));
