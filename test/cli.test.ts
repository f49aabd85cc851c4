import { spawnSync } from 'child_process';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { makeRepo, REPO_ROOT } from './support/repo';

const run = (root: string) =>
  spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'run.cjs'), 'main.ts', root], {
    cwd: REPO_ROOT,
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
});
