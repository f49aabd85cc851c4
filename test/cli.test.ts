import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_DIRS } from '../lib/write/atomic-write';
import { makeRepo, readTree, REPO_ROOT } from './support/repo';
import { withFixturePasswords } from '../dev/fixture-passwords';

const run = (root: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'run.cjs'), 'main.ts', root], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

describe('npm run synth', () => {
  it('prints a summary and exits 0 on good input', () => {
    const result = run(makeRepo());
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/example\s+kubernetes-katas\s+25\s+26/);
    expect(result.stdout).toMatch(/example\s+docker-katas\s+12\s+1\s/);
  });

  it('prints all problems, no stack trace, and exits 1 on bad input', () => {
    const result = run(
      makeRepo({ 'courses/bad.yaml': 'name: bad\ncluster: nowhere\nstudents: [Ada, Ada]\nworkstation: {cpu: x}\n' }),
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('courses/bad.yaml:4:15  workstation.cpu  "x" is not a CPU quantity');
    expect(result.stderr).toContain('nothing was written to dist/ or argocd/');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
  });

  it('gives byte-identical output across runs, time zones and locales', () => {
    const a = makeRepo();
    const b = makeRepo();
    expect(run(a, { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }).status).toBe(0);
    expect(run(b, { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' }).status).toBe(0);
    const first = readTree(a, OUTPUT_DIRS);
    expect(first.size).toBeGreaterThan(30);
    expect(readTree(b, OUTPUT_DIRS)).toEqual(first);
    expect(run(a, { TZ: 'America/St_Johns', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }).status).toBe(0);
    expect(readTree(a, OUTPUT_DIRS)).toEqual(first);
  });
});

describe('npm run handout', () => {
  it('exits non-zero, writing nothing, when a slip would have no password', () => {
    const root = makeRepo(withFixturePasswords({ 'courses/slips.yaml': 'name: slips\ncluster: example\nstudents: [Ada]\n' }), {
      exampleCourses: false,
    });
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'run.cjs'), 'scripts/handout.ts', 'slips'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^private\/slips\.passwords\.yaml has no password for ada: /);
    expect(fs.existsSync(path.join(root, 'private', 'slips-handout.html'))).toBe(false);
  });
});
