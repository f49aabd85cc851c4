import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_REPO, REPO_ROOT } from './support/repo';
import { REPO_CHECKS } from './support/repo-checks';

// A trainer's fork, made from fixtures only: the tool of this repo (its tracked files) with the
// courses and clusters of test/fixtures/example in place of the template's own, so that what a
// fork of this repo adds, renames or removes cannot change the scenario. The trainer then
// changes courses and clusters with the commands docs/trainer-guide.md and
// docs/platform-guide.md give, and the repo checks must hold on the result.

/** The repo's own content, which a fork replaces: course and cluster files (not their schemas) and the output. */
const isContent = (file: string) => /^(courses|clusters)\/[^/]+\.yaml$/.test(file) || /^(dist|argocd|bootstrap)\//.test(file);

/** The tool of this repo (its tracked files, as a fresh clone has them) with the example fixture's courses and clusters. */
function forkOfFixture(): string {
  const fork = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-fork-'));
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked) {
    if (isContent(file) || !fs.existsSync(path.join(REPO_ROOT, file))) continue; // deleted in the work tree
    fs.mkdirSync(path.dirname(path.join(fork, file)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, file), path.join(fork, file));
  }
  for (const dir of ['courses', 'clusters']) {
    for (const file of fs.readdirSync(path.join(EXAMPLE_REPO, dir))) {
      // In a fork the files sit beside their editor schema.
      const text = fs.readFileSync(path.join(EXAMPLE_REPO, dir, file), 'utf8');
      fs.writeFileSync(path.join(fork, dir, file), text.replace(/\$schema=\S*\/(\w+\.schema\.json)/, '$schema=./$1'));
    }
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(fork, 'node_modules'));
  return fork;
}

/** `npm run <command> -- args` in `root`, as a trainer runs it (without npm's own start-up); what it printed. */
function run(root: string, entry: string, ...args: string[]): string {
  return execFileSync(process.execPath, ['bin/run.cjs', entry, ...args], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
}

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface ChangedFork {
  readonly fork: string;
  /** What `npm run synth` printed at each step. */
  readonly synth: { readonly template: string; readonly added: string; readonly renamed: string; readonly removed: string };
  readonly hashesBeforeRename: string;
}

/**
 * The fork, synthesized as it comes, then changed step by step as a trainer and a platform
 * engineer would: a course added, one renamed, one removed; a cluster added with a course on
 * it, and a cluster removed with its course.
 */
function changedFork(): ChangedFork {
  const fork = forkOfFixture();
  const template = run(fork, 'main.ts');

  run(fork, 'scripts/new-course.ts', 'git-katas', 'example');
  run(fork, 'scripts/passwords.ts', 'git-katas');
  fs.writeFileSync(
    path.join(fork, 'clusters/lab.yaml'),
    read(fork, 'clusters/example.yaml')
      .replace(/^name: example$/m, 'name: lab')
      .replace(/^domain: .*$/m, 'domain: lab.training.example.com'),
  );
  run(fork, 'scripts/new-course.ts', 'intro', 'lab');
  run(fork, 'scripts/passwords.ts', 'intro');
  const added = run(fork, 'main.ts');

  const hashesBeforeRename = read(fork, 'courses/kubernetes-katas.passwords.yaml');
  run(fork, 'scripts/rename-course.ts', 'kubernetes-katas', 'k8s-katas');
  const renamed = run(fork, 'main.ts');

  for (const file of ['courses/docker-katas.yaml', 'courses/docker-katas.passwords.yaml']) fs.rmSync(path.join(fork, file));
  for (const file of ['clusters/staging.yaml', 'courses/helm-katas.yaml', 'courses/helm-katas.passwords.yaml']) {
    fs.rmSync(path.join(fork, file));
  }
  const removed = run(fork, 'main.ts');
  return { fork, synth: { template, added, renamed, removed }, hashesBeforeRename };
}

describe('a fork changes its courses and clusters with the documented commands', () => {
  // Made while the suite is collected: the repo checks read the fork then. They run here, in
  // this worker, rather than in a vitest of their own (which cost about 2 CPU-s more, measured).
  const { fork, synth, hashesBeforeRename } = changedFork();
  const dirs = (dir: string) => fs.readdirSync(path.join(fork, dir)).sort();

  it('starts from the fixture, not from the courses this template ships', () => {
    expect(synth.template).toMatch(/example\s+kubernetes-katas\s/);
    expect(synth.template).toMatch(/staging\s+helm-katas\s/);
  });

  it('adds a course and a cluster with a course of its own', () => {
    expect(synth.added).toMatch(/example\s+git-katas\s+2\s/);
    expect(synth.added).toMatch(/lab\s+intro\s+2\s/);
  });

  it('renames a course: the cluster keeps it under its old id, so no home is deleted, and the password hashes stay', () => {
    expect(read(fork, 'courses/k8s-katas.yaml')).toMatch(/^name: k8s-katas\n(#.*\n)*id: kubernetes-katas$/m);
    expect(synth.renamed).toMatch(/example\s+kubernetes-katas\s/);
    expect(synth.renamed).not.toMatch(/no longer in courses\//);
    expect(read(fork, 'courses/k8s-katas.passwords.yaml')).toBe(hashesBeforeRename.replace(/kubernetes-katas/g, 'k8s-katas'));
  });

  it('removes a course and a cluster with its course: their output goes', () => {
    expect(dirs('dist')).toEqual(['example', 'lab']);
    expect(dirs('argocd')).toEqual(['example.yaml', 'lab.yaml']);
    expect(dirs('bootstrap')).toEqual(['example', 'lab']);
    expect(dirs('dist/example/courses')).toEqual(['git-katas', 'kubernetes-katas']);
    expect(dirs('dist/lab/courses')).toEqual(['intro']);
  });

  describe('and the repo checks stay green on the fork', () => {
    for (const check of REPO_CHECKS) check(fork);
  });
});
