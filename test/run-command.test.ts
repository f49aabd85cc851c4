import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/repo';

const { SOURCES } = createRequire(import.meta.url)('../bin/run.cjs') as { SOURCES: string[] };

/** What bin/run.cjs bundles (its SOURCES, which must be enough), copied, with the installed packages but a cache of its own. */
function copyOfSources(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-run-'));
  for (const source of SOURCES) fs.cpSync(path.join(REPO_ROOT, source), path.join(copy, source), { recursive: true });
  fs.mkdirSync(path.join(copy, 'node_modules'));
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
    if (entry !== '.cache') fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', entry), path.join(copy, 'node_modules', entry));
  }
  return copy;
}

describe('bin/run.cjs', () => {
  it('bundles once, starts from the code cache, and bundles again only when a source changes', () => {
    const copy = copyOfSources();
    const cache = path.join(copy, 'node_modules/.cache/dojo');
    // A command with few modules, so that bundling it twice is quick; every source counts all the same.
    const command = 'scripts/board-image-version.ts';
    const run = () => {
      const result = spawnSync(process.execPath, ['bin/run.cjs', command], { cwd: copy, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^version=\d+\.\d+\.\d+$/m);
    };
    const bundles = () => fs.readdirSync(cache).filter((entry) => entry !== 'stamps');
    const modified = (file: string) => fs.statSync(path.join(cache, bundles()[0], file)).mtimeMs;

    run();
    const [first] = bundles();
    const bundle = 'scripts/board-image-version.js';
    expect(fs.readdirSync(path.join(cache, first, 'scripts')).sort()).toEqual([
      'board-image-version.js',
      'board-image-version.js.map',
      'board-image-version.js.v8-cache',
    ]);
    const built = modified(bundle);
    const cached = modified(`${bundle}.v8-cache`);

    run(); // the same bundle, and V8 took its cache (a refused cache is made again)
    expect(bundles()).toEqual([first]);
    expect([modified(bundle), modified(`${bundle}.v8-cache`)]).toEqual([built, cached]);

    const source = path.join(copy, 'lib/synth.ts');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(source, later, later); // touched, not changed: the same bundle
    run();
    expect(bundles()).toEqual([first]);
    expect(modified(bundle)).toBe(built);

    fs.appendFileSync(source, '\n// changed\n');
    run();
    expect(bundles()).toHaveLength(1);
    expect(bundles()[0]).not.toBe(first);
    expect(fs.readdirSync(path.join(cache, 'stamps')).map((s) => fs.readFileSync(path.join(cache, 'stamps', s), 'utf8'))).toEqual(
      bundles(),
    );
  });
});
