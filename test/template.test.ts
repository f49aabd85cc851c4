import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/repo';
import { REPO_CHECKS } from './support/repo-checks';

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

/**
 * A fork to which a trainer adds a course with the documented commands and from which they
 * remove another, synthesized; with what synth printed.
 */
function changedFork(): { fork: string; summary: string } {
  const fork = copyOfRepo();
  run(fork, 'scripts/new-course.ts', 'git-katas', 'example');
  run(fork, 'scripts/passwords.ts', 'git-katas');
  // The platform engineer's step for a new course: a certificate for its hosts (docs/platform-guide.md).
  const clusterFile = path.join(fork, 'clusters/example.yaml');
  fs.writeFileSync(
    clusterFile,
    fs
      .readFileSync(clusterFile, 'utf8')
      .replace('        - "*.docker-katas.training.example.com"', '        - "*.git-katas.training.example.com"'),
  );
  for (const file of ['courses/docker-katas.yaml', 'courses/docker-katas.passwords.yaml']) fs.rmSync(path.join(fork, file));
  return { fork, summary: run(fork, 'main.ts') };
}

describe('a trainer changes the courses of their fork with the documented commands', () => {
  // Made while the suite is collected: the repo checks read the fork then. They run here, in
  // this worker, rather than in a vitest of their own (which cost about 2 CPU-s more, measured).
  const { fork, summary } = changedFork();

  it('adds a course and removes another: synth makes the one and drops the other', () => {
    expect(summary).toMatch(/example\s+git-katas\s+2\s/);
    expect(fs.existsSync(path.join(fork, 'courses/git-katas.yaml'))).toBe(true);
    expect(fs.readdirSync(path.join(fork, 'dist/example/courses')).sort()).toEqual([
      'argocd-katas',
      'git-katas',
      'kubernetes-katas',
    ]);
    expect(fs.existsSync(path.join(fork, 'dist/example/apps/docker-katas.yaml'))).toBe(false);
  });

  describe('and the repo checks stay green on the fork', () => {
    for (const check of REPO_CHECKS) check(fork);
  });
});
