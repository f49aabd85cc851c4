import { execFileSync } from 'child_process';
import * as path from 'path';
import { distAtRef, distInWorkingTree, planMarkdown } from '../lib/commands/plan-diff';

// npm run plan -- [base-ref]: Markdown of what dist/ in the working tree changes against the base.
function main(): number {
  const base = process.argv[2] ?? 'origin/main';
  const root = path.resolve('.');
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: root, stdio: 'ignore' });
  } catch {
    console.error(`"${base}" is not a commit here; name the base branch, e.g. npm run plan -- origin/main`);
    return 1;
  }
  console.log(planMarkdown(distAtRef(root, base), distInWorkingTree(root), { before: base, after: 'this change' }));
  return 0;
}

process.exitCode = main();
