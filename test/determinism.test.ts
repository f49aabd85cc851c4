import { execFileSync } from 'child_process';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { OUTPUT_DIRS } from '../lib/write/atomic-write';
import { CHECKED_REPO, makeRepo, readTree, REPO_ROOT } from './support/repo';

function synthInChild(root: string, env: Record<string, string>): void {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'run.cjs'), 'main.ts', root], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
}

describe('determinism', () => {
  it('dist/, argocd/ and bootstrap/ in git equal a fresh synth (run `npm run synth` and commit if this fails)', () => {
    const fresh = new Map(synth(CHECKED_REPO, { write: false }).files.map((f) => [f.path, f.content]));
    const committed = readTree(CHECKED_REPO, OUTPUT_DIRS);
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [file, content] of fresh) expect(committed.get(file), file).toBe(content);
  });

  it('gives byte-identical output across runs, time zones and locales', () => {
    const a = makeRepo();
    const b = makeRepo();
    synthInChild(a, { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' });
    synthInChild(b, { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
    const first = readTree(a, OUTPUT_DIRS);
    expect(first.size).toBeGreaterThan(30);
    expect(readTree(b, OUTPUT_DIRS)).toEqual(first);
    synthInChild(a, { TZ: 'America/St_Johns', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' });
    expect(readTree(a, OUTPUT_DIRS)).toEqual(first);
  });
});
