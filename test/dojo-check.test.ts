import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { DOJO_CHECK_FILES } from '../lib/contracts/dojo-check';
import { SCRIPTS_DIR } from '../lib/plan/schedule/kata-sleep';
import { dojoAliasLines } from '../lib/plan/workstation/dojo-command';
import { CHECK_PROGRAM_MODULE, checkProgramModule } from '../dev/check-program';
import { settled } from '../dev/kata-solutions/manifests';
import { SOLUTIONS } from '../dev/kata-solutions/solutions';
import { REPO_ROOT } from './support/repo';

// `dojo check` as a student runs it: the files synth wrote into the course's ConfigMap
// (dist/), laid out as the workstation mounts them, run by node with a stand-in kubectl on the
// PATH that answers what kubectl get -o json would for the student's namespace.

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-check-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const configMap = (() => {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'dist/example/courses/kubernetes-katas/course.yaml'), 'utf8');
  const objects = parseAllDocuments(text).map((d) => d.toJS());
  return objects.find((o) => o?.kind === 'ConfigMap' && DOJO_CHECK_FILES.program in (o.data ?? {}));
})();

/** /opt/dojo of a workstation, in a folder: the ConfigMap's files, its paths pointing there. */
function mounted(): string {
  const dir = fs.mkdtempSync(path.join(temp, 'opt-dojo-'));
  for (const [file, content] of Object.entries(configMap.data as Record<string, string>)) {
    fs.writeFileSync(path.join(dir, file), content.split(SCRIPTS_DIR).join(dir));
  }
  return dir;
}

/** A kubectl that records its arguments and lists `objects`, or fails as kubectl does without rights. */
function kubectl(objects: readonly object[] | 'forbidden'): { bin: string; args: string } {
  const bin = fs.mkdtempSync(path.join(temp, 'bin-'));
  const list = path.join(bin, 'list.json');
  const args = path.join(bin, 'args');
  fs.writeFileSync(list, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects === 'forbidden' ? [] : objects }));
  const body =
    objects === 'forbidden' ? "echo 'Error from server (Forbidden): deployments.apps is forbidden' >&2; exit 1" : `cat '${list}'`;
  fs.writeFileSync(path.join(bin, 'kubectl'), `#!/bin/sh\necho "$@" > '${args}'\n${body}\n`, { mode: 0o755 });
  return { bin, args };
}

function dojo(dir: string, objects: readonly object[] | 'forbidden', ...args: string[]) {
  const k = kubectl(objects);
  const node = path.dirname(process.execPath);
  const result = spawnSync('sh', [path.join(dir, DOJO_CHECK_FILES.command), ...args], {
    encoding: 'utf8',
    env: { PATH: `${k.bin}:${node}:/usr/bin:/bin` },
  });
  return { ...result, kubectlArgs: fs.existsSync(k.args) ? fs.readFileSync(k.args, 'utf8').trim() : undefined };
}

describe('dojo check in the workstation', () => {
  it('is in the ConfigMap of a course with checks, beside the setup script', () => {
    expect(configMap).toBeDefined();
    expect(Object.keys(configMap.data).sort()).toEqual(
      expect.arrayContaining([DOJO_CHECK_FILES.command, DOJO_CHECK_FILES.exercises, DOJO_CHECK_FILES.program, 'setup.sh']),
    );
  });

  it('runs the bundled program kept current with its sources (npm run schema)', () => {
    expect(fs.readFileSync(path.join(REPO_ROOT, CHECK_PROGRAM_MODULE), 'utf8')).toBe(checkProgramModule());
  });

  it('passes an exercise on its reference solution, listing only the kinds that exercise reads', () => {
    const dir = mounted();
    const run = dojo(dir, settled(SOLUTIONS['kubernetes-katas']['desired-state'].objects), 'check', 'desired-state');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('PASS  desired-state: desired-state: the nginx Deployment\n');
    expect(run.kubectlArgs).toBe('get deployments.v1.apps -o json');
  });

  it('fails in an empty namespace with the failing condition in plain words and its hint', () => {
    const run = dojo(mounted(), [], 'check', 'services');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      [
        'FAIL  services: services: a ClusterIP Service for the backend, a NodePort one for the frontend',
        '      there is no ClusterIP Service "backend" on port 5000',
        '      hint: kubectl expose pod backend --port=5000 --dry-run=client -o yaml > backend-svc.yaml, then apply it',
        '',
      ].join('\n'),
    );
  });

  it('checks every exercise without one named, and counts', () => {
    const run = dojo(mounted(), settled(SOLUTIONS['kubernetes-katas'].manifests.objects), 'check');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('PASS  manifests:');
    expect(run.stdout).toContain('FAIL  intro:');
    expect(run.stdout).toMatch(/\n1 of 9 exercises pass\n$/);
    expect(run.kubectlArgs).toBe(
      'get configmaps,deployments.v1.apps,ingresses.v1.networking.k8s.io,persistentvolumeclaims,pods,services -o json',
    );
  });

  it('names the exercises when asked for one the course does not have, and says when kubectl cannot list', () => {
    const unknown = dojo(mounted(), [], 'check', 'nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('dojo check: no exercise "nope"; this course\'s exercises are:\n  intro  ');
    const forbidden = dojo(mounted(), 'forbidden', 'check');
    expect(forbidden.status).toBe(2);
    expect(forbidden.stderr).toContain('Forbidden');
    expect(dojo(mounted(), [], 'help').status).toBe(2);
  });

  it("is an alias of the student's shell, added once to ~/.bashrc and never over their own", () => {
    const home = fs.mkdtempSync(path.join(temp, 'home-'));
    const script = ['set -eu', ...dojoAliasLines(home)].join('\n');
    execFileSync('sh', ['-c', script]);
    execFileSync('sh', ['-c', script]);
    expect(fs.readFileSync(path.join(home, '.bashrc'), 'utf8')).toBe(`alias dojo='sh ${SCRIPTS_DIR}/dojo'\n`);
    fs.writeFileSync(path.join(home, '.bashrc'), "alias dojo='echo mine'\n");
    execFileSync('sh', ['-c', script]);
    expect(fs.readFileSync(path.join(home, '.bashrc'), 'utf8')).toBe("alias dojo='echo mine'\n");
    expect(configMap.data['setup.sh']).toContain(dojoAliasLines('$home').join('\n'));
  });
});
