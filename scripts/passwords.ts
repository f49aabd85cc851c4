import * as path from 'path';
import { ensureBoardPasswords, ensurePasswords, UserError } from '../lib/commands/passwords-command';
import { progressLine } from '../lib/common/text';

// npm run passwords -- <course> [--reset <student-id>]...
// npm run passwords -- --board <cluster> [--reset <trainer-id>]...
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const board = args.includes('--board');
  const name = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--reset');
  const reset = args.flatMap((a, i) => (args[i - 1] === '--reset' ? [a] : []));
  if (!name) {
    console.error('usage: npm run passwords -- <course> [--reset <student-id>]...');
    console.error('       npm run passwords -- --board <cluster> [--reset <trainer-id>]...');
    return 2;
  }
  try {
    const progress = progressLine('hashing new passwords (bcrypt, on every core):');
    const r = board
      ? await ensureBoardPasswords(path.resolve('.'), name, reset, progress)
      : await ensurePasswords(path.resolve('.'), name, reset, progress);
    console.log(
      `${name}: ${r.created.length} new, ${r.reset.length} reset, ${r.kept} kept, ${r.restored.length} restored, ${r.pruned.length} removed`,
    );
    if (r.pruned.length > 0)
      console.log(`removed:   ${r.pruned.join(', ')}: no longer listed; their passwords are kept in ${r.removedFile}`);
    if (r.restored.length > 0) console.log(`restored:  ${r.restored.join(', ')}: listed again, with the password they had`);
    console.log(`hashes:    ${r.hashFile} (commit this)`);
    console.log(
      `passwords: ${r.privateFile} (git ignores it; ${board ? 'give each trainer theirs' : `print slips with npm run handout -- ${name}`})`,
    );
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
