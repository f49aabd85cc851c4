import * as path from 'path';
import { synth } from './lib/synth';

// npm run synth [-- <repo>]: load -> plan -> build -> write (lib/synth.ts), for the trainer.
function main(): number {
  const root = path.resolve(process.argv[2] ?? '.');
  try {
    const result = synth(root);
    if (!result.ok) {
      console.error(result.errors.join('\n'));
      console.error(`\n${result.errors.length} problem(s) found; nothing was written to dist/ or argocd/.`);
      return 1;
    }
    console.log(result.summary.join('\n'));
    if (result.warnings.length > 0) console.log(`\n${result.warnings.join('\n')}`);
    console.log(`\nwrote ${result.objectCount} objects in ${result.fileCount} files to dist/, argocd/ and bootstrap/`);
    return 0;
  } catch (error) {
    // A bug of dojo, not of the input: say so plainly; dist/ is untouched (see StagedOutput).
    console.error(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    console.error('nothing was written to dist/ or argocd/; please report this with the course file that caused it.');
    return 2;
  }
}

process.exitCode = main();
