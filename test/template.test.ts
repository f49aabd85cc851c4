import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/repo';

/** The repo checks: what must hold for whatever courses and clusters a trainer's fork has. */
const REPO_CHECKS = [
  'test/determinism.test.ts',
  'test/editor-schema.test.ts',
  'test/schema-validation.test.ts',
  'test/secrets.test.ts',
];

/** A copy of this repo's tracked files (as a fresh clone has them), sharing its installed packages. */
function copyOfRepo(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-fork-'));
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked) {
    if (!fs.existsSync(path.join(REPO_ROOT, file))) continue; // deleted in the work tree
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

/** `npm run <command> -- args` in `root`, as a trainer runs it (without npm's own start-up). */
function run(root: string, entry: string, ...args: string[]): string {
  return execFileSync(process.execPath, ['bin/run.cjs', entry, ...args], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
}

describe('a trainer changes the courses of their fork with the README commands', () => {
  it('adds a course, removes another, synthesizes, and the repo checks stay green', () => {
    const fork = copyOfRepo();
    run(fork, 'scripts/new-course.ts', 'git-katas', 'example');
    run(fork, 'scripts/passwords.ts', 'git-katas');
    // The platform engineer's step for a new course: a certificate for its hosts (README).
    const clusterFile = path.join(fork, 'clusters/example.yaml');
    fs.writeFileSync(
      clusterFile,
      fs
        .readFileSync(clusterFile, 'utf8')
        .replace('        - "*.docker-katas.training.example.com"', '        - "*.git-katas.training.example.com"'),
    );
    for (const file of ['courses/docker-katas.yaml', 'courses/docker-katas.passwords.yaml']) fs.rmSync(path.join(fork, file));
    expect(run(fork, 'main.ts')).toMatch(/example\s+git-katas\s+2\s/);

    // One worker: the run around this one already keeps every core busy, and a second worker
    // would import everything a second time (1.4 CPU-s more, measured).
    const checks = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=verbose', '--maxWorkers=1', ...REPO_CHECKS],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DOJO_CHECKED_REPO: fork, NO_COLOR: '1', FORCE_COLOR: '0' },
        encoding: 'utf8',
      },
    );
    expect(checks.status, checks.stdout + checks.stderr).toBe(0);
    expect(checks.stdout).toMatch(/Test Files +4 passed/);
    expect(checks.stdout).toContain('courses/git-katas.yaml names its schema');
  });
});
