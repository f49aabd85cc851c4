import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Vitest global setup: every temp folder of this run (fixture repos, synthetic repos, the
 * commands' own) goes under one folder that is removed when the run ends, so a run leaves
 * nothing behind. Test workers and the commands they start inherit TMPDIR.
 */
export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-test-'));
  process.env.TMPDIR = root;
  return () => fs.rmSync(root, { recursive: true, force: true });
}
