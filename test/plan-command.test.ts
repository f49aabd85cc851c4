import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { ensurePasswords } from '../lib/commands/passwords-command';
import { distAtRef, distInWorkingTree, planMarkdown } from '../lib/commands/plan-diff';
import { makeRepo } from './support/repo';

const git = (root: string, ...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });

let committedBase: string | undefined;

/**
 * The examples synthesized and committed: the base of every case, a copy (history included) of
 * one made once, since synthesizing and committing it for each case was most of this file's time.
 */
function baseRepo(): string {
  if (!committedBase) {
    committedBase = makeRepo();
    expect(synth(committedBase).errors).toEqual([]);
    git(committedBase, 'init', '-q');
    git(committedBase, 'add', '-A');
    git(committedBase, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-plan-'));
  fs.cpSync(committedBase, root, { recursive: true });
  return root;
}

const edit = (root: string, file: string, change: (text: string) => string) =>
  fs.writeFileSync(path.join(root, file), change(fs.readFileSync(path.join(root, file), 'utf8')));

const cases: { name: string; change: (root: string) => Promise<void>; expected: string[]; absent?: string[] }[] = [
  {
    name: 'add a student',
    change: async (root) => {
      edit(root, 'courses/kubernetes-katas.yaml', (t) => t.replace('students:\n', 'students:\n  - Aaron Aardvark\n'));
      await ensurePasswords(root, 'kubernetes-katas');
    },
    expected: [
      '**Courses** added: none; removed: none; changed: `example/kubernetes-katas`',
      "| example/kubernetes-katas | 25 → 26 | aaron-aardvark | – | 1 × c6a.8xlarge + 2 for students' pods → 1 × c6a.8xlarge + 2 for students' pods | 137.70 → 137.70 |",
      '| StatefulSet | 1 | 0 | 0 |',
      '| Namespace | 1 | 0 | 0 |',
      '| HTTPRoute | 3 | 0 | 0 |',
      // The student's schedule, and the pre-warm, whose seats follow the student count.
      '| ScaledObject | 1 | 1 | 0 |',
    ],
    absent: ['### Warnings'],
  },
  {
    name: 'remove a course',
    change: async (root) => {
      fs.rmSync(path.join(root, 'courses/docker-katas.yaml'));
      fs.rmSync(path.join(root, 'courses/docker-katas.passwords.yaml'));
    },
    expected: [
      '**Courses** added: none; removed: `example/docker-katas`; changed: none',
      '| example/docker-katas | 12 → 0 | – | student-1, student-10, student-11, student-12, student-2 and 7 more | 1 × c6a.4xlarge → 0 | 22.44 → 0.00 |',
      '| StatefulSet | 0 | 0 | 12 |',
      '**Course nodes per week**: USD 202.98 → USD 180.54 (on-demand list prices, schedules included)',
      '- ⚠️ course `example/docker-katas` is removed: ArgoCD deletes its namespaces and **12 home volume(s)**. To keep them, restore it with `archived: true`.',
    ],
  },
  {
    name: 'change cpu',
    change: async (root) =>
      edit(root, 'courses/docker-katas.yaml', (t) => t.replace('workstation:\n', 'workstation:\n  cpu: "2"\n')),
    expected: [
      '**Courses** added: none; removed: none; changed: `example/docker-katas`',
      '| example/docker-katas | 12 → 12 | – | – | 1 × c6a.4xlarge → 1 × c6a.8xlarge | 22.44 → 44.88 |',
      '| StatefulSet | 0 | 12 | 0 |',
      '| NodePool | 0 | 1 | 0 |',
    ],
    absent: ['| Namespace |', '### Warnings'],
  },
  {
    name: 'grow the homes',
    change: async (root) =>
      edit(root, 'courses/docker-katas.yaml', (t) => t.replace('workstation:\n', 'workstation:\n  homeSize: 20Gi\n')),
    expected: [
      // The StatefulSets keep the claim template the API server would refuse to change; the claims grow.
      '| PersistentVolumeClaim | 12 | 0 | 0 |',
      // The course namespace records the size the homes now have: the next synth refuses less.
      '| Namespace | 0 | 1 | 0 |',
      '- ⚠️ 12 home volume(s) in `example/docker-katas` grow: their claims are expanded in place (EBS allows one change per volume every 6 hours; volumes never shrink).',
    ],
    absent: ['| StatefulSet |'],
  },
  {
    name: 'add a cluster whose objects share their names with those of another',
    change: async (root) =>
      fs.writeFileSync(
        path.join(root, 'clusters/second.yaml'),
        fs
          .readFileSync(path.join(root, 'clusters/example.yaml'), 'utf8')
          .replace('name: example', 'name: second')
          .replace('domain: training.example.com', 'domain: second.example.com')
          .replaceAll('.training.example.com"', '.second.example.com"'),
      ),
    expected: [
      '**Clusters** added: `second`; removed: none',
      // Every platform object of the new cluster, though the example cluster has one of each name.
      '| AppProject | 2 | 0 | 0 |',
      '| ValidatingAdmissionPolicy | 10 | 0 | 0 |',
    ],
    absent: ['**Courses** added: `'],
  },
  {
    name: 'give every student a virtual cluster',
    change: async (root) =>
      edit(root, 'courses/kubernetes-katas.yaml', (t) => t.replace('kubernetes:\n', 'kubernetes:\n  isolation: vcluster\n')),
    expected: [
      '**Courses** added: none; removed: none; changed: `example/kubernetes-katas`',
      "| example/kubernetes-katas | 25 → 25 | – | – | 1 × c6a.8xlarge + 2 for students' pods → 1 × c6a.8xlarge + 2 for students' pods (virtual clusters: 0 of them, USD 11.88 a week) | 137.70 → 149.58 |",
      // One per student, and the course's Application of them.
      '| Application | 26 | 0 | 0 |',
    ],
  },
];

describe('npm run plan', () => {
  it.each(cases)('$name', async ({ change, expected, absent }) => {
    const root = baseRepo();
    await change(root);
    expect(synth(root).errors).toEqual([]);
    const markdown = planMarkdown(distAtRef(root, 'HEAD'), distInWorkingTree(root), { before: 'HEAD', after: 'this change' });
    const lines = markdown.split('\n');
    for (const line of expected) expect(lines, line).toContain(line);
    for (const text of absent ?? []) expect(markdown).not.toContain(text);
  });

  it('says so when nothing changes', () => {
    const root = baseRepo();
    const markdown = planMarkdown(distAtRef(root, 'HEAD'), distInWorkingTree(root), { before: 'HEAD', after: 'this change' });
    expect(markdown).toContain('**Courses** added: none; removed: none; changed: none');
    expect(markdown).toContain('No object changes.');
  });
});
