import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { makeRepo, REPO_ROOT } from './support/repo';

/** What bin/run.cjs bundles (its SOURCES), copied, with the installed packages but a cache of its own. */
function copyOfSources(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-run-'));
  for (const source of [
    'main.ts',
    'lib',
    'constructs',
    'imports',
    'board',
    'scripts',
    'bench',
    'test/support',
    'package-lock.json',
    'bin',
  ]) {
    fs.cpSync(path.join(REPO_ROOT, source), path.join(copy, source), { recursive: true });
  }
  fs.mkdirSync(path.join(copy, 'node_modules'));
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
    if (entry !== '.cache') fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', entry), path.join(copy, 'node_modules', entry));
  }
  return copy;
}

describe('bin/run.cjs', () => {
  it('bundles once, starts from the code cache, and bundles again only when a source changes', () => {
    const copy = copyOfSources();
    const repo = makeRepo();
    const cache = path.join(copy, 'node_modules/.cache/dojo');
    const synth = () => {
      const result = spawnSync(process.execPath, ['bin/run.cjs', 'main.ts', repo], { cwd: copy, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^wrote \d+ objects in \d+ files/m);
    };
    const bundles = () => fs.readdirSync(cache).filter((entry) => entry !== 'stamps');
    const modified = (file: string) => fs.statSync(path.join(cache, bundles()[0], file)).mtimeMs;

    synth();
    const [first] = bundles();
    expect(fs.readdirSync(path.join(cache, first)).sort()).toEqual(['main.js', 'main.js.map', 'main.js.v8-cache']);
    const built = modified('main.js');
    const cached = modified('main.js.v8-cache');

    synth(); // the same bundle, and V8 took its cache (a refused cache is made again)
    expect(bundles()).toEqual([first]);
    expect([modified('main.js'), modified('main.js.v8-cache')]).toEqual([built, cached]);

    const source = path.join(copy, 'lib/synth.ts');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(source, later, later); // touched, not changed: the same bundle
    synth();
    expect(bundles()).toEqual([first]);
    expect(modified('main.js')).toBe(built);

    fs.appendFileSync(source, '\n// changed\n');
    synth();
    expect(bundles()).toHaveLength(1);
    expect(bundles()[0]).not.toBe(first);
    expect(fs.readdirSync(path.join(cache, 'stamps')).map((s) => fs.readFileSync(path.join(cache, 'stamps', s), 'utf8'))).toEqual(
      bundles(),
    );
  });
});
