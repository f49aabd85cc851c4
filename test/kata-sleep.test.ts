import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { KATA_TEMPLATES, kataSleepScript, kataWakeScript } from '../lib/plan/schedule/kata-sleep';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-kata-sleep-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs a script with a stand-in kubectl that answers each `get` from `lists` (kind -> the
 * lines the real go-template prints) and records every other call.
 */
function run(script: string, lists: Record<string, string>, env: Record<string, string> = {}): string[] {
  const dir = fs.mkdtempSync(path.join(scratch, 'run-'));
  const log = path.join(dir, 'calls');
  const answers = Object.entries(lists)
    .map(([kind, lines]) => `    ${kind}) printf '%b' '${lines}' ;;`)
    .join('\n');
  fs.writeFileSync(
    path.join(dir, 'kubectl'),
    `#!/bin/sh
verb=""; kind=""; skip=""
for a in "$@"; do
  if [ -n "$skip" ]; then skip=""; continue; fi
  case "$a" in -n) skip=1 ;; -*) ;; *) if [ -z "$verb" ]; then verb=$a; elif [ -z "$kind" ]; then kind=$a; fi ;; esac
done
if [ "$verb" = get ]; then
  case "$kind" in
${answers}
  esac
  exit 0
fi
shift_args=""
for a in "$@"; do case "$a" in --kubeconfig=*|--server=*|--certificate-authority=*|--token=*|--request-timeout=*) ;; *) shift_args="$shift_args $a" ;; esac; done
printf '%s\\n' "$shift_args" >> "${log}"
`,
    { mode: 0o755 },
  );
  fs.mkdirSync(path.join(dir, 'sa'));
  fs.writeFileSync(path.join(dir, 'sa', 'token'), 'token');
  fs.writeFileSync(path.join(dir, 'sa', 'admin'), 'kubeconfig');
  fs.writeFileSync(path.join(dir, 'script.sh'), script);
  const result = spawnSync('sh', [path.join(dir, 'script.sh')], {
    env: {
      PATH: `${dir}:${process.env.PATH}`,
      STUDENT_NS: 'k8s-alice',
      DOJO_SERVICE_ACCOUNT_DIR: path.join(dir, 'sa'),
      DOJO_VCLUSTER_DIR: path.join(dir, 'sa'),
      ...env,
    },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return fs.existsSync(log)
    ? fs
        .readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.trim())
    : [];
}

describe("the students' workloads sleep and wake with their workstation", () => {
  it('are valid sh', () => {
    for (const script of [kataSleepScript(), kataWakeScript(), kataSleepScript('vcluster'), kataWakeScript('vcluster')]) {
      expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
    }
  });

  it('at sleep: remember and zero the replicas, suspend what runs, delete pods of no controller', () => {
    const calls = run(kataSleepScript(), {
      deployment: 'web 2\\nidle 0\\n',
      statefulset: 'db 1\\n',
      cronjob: 'nightly\\n',
      job: '',
      pods: 'scratch\\n',
    });
    expect(calls).toEqual([
      '-n k8s-alice annotate deployment web --overwrite dojo.training/asleep=2',
      '-n k8s-alice scale deployment web --replicas=0',
      '-n k8s-alice annotate statefulset db --overwrite dojo.training/asleep=1',
      '-n k8s-alice scale statefulset db --replicas=0',
      '-n k8s-alice annotate cronjob nightly --overwrite dojo.training/asleep=suspended',
      '-n k8s-alice patch cronjob nightly --type=merge -p {"spec":{"suspend":true}}',
      '-n k8s-alice delete pod scratch --wait=false',
    ]);
  });

  it('at wake: give back what it took, and nothing else', () => {
    const calls = run(kataWakeScript(), { deployment: 'web 2\\n', statefulset: '', cronjob: 'nightly suspended\\n', job: '' });
    expect(calls).toEqual([
      '-n k8s-alice scale deployment web --replicas=2',
      '-n k8s-alice annotate deployment web dojo.training/asleep-',
      '-n k8s-alice patch cronjob nightly --type=merge -p {"spec":{"suspend":false}}',
      '-n k8s-alice annotate cronjob nightly dojo.training/asleep-',
    ]);
  });

  it("in vcluster mode: every namespace of the student's virtual cluster, with its admin kubeconfig", () => {
    const calls = run(kataSleepScript('vcluster'), {
      namespaces: 'default\\nkube-system\\n',
      deployment: 'coredns 1\\n',
      statefulset: '',
      cronjob: '',
      job: '',
      pods: '',
    });
    expect(calls).toEqual([
      '-n default annotate deployment coredns --overwrite dojo.training/asleep=1',
      '-n default scale deployment coredns --replicas=0',
      '-n kube-system annotate deployment coredns --overwrite dojo.training/asleep=1',
      '-n kube-system scale deployment coredns --replicas=0',
    ]);
    const wake = run(kataWakeScript('vcluster'), {
      namespaces: 'kube-system\\n',
      deployment: 'coredns 1\\n',
      statefulset: '',
      cronjob: '',
      job: '',
    });
    expect(wake).toEqual([
      '-n kube-system scale deployment coredns --replicas=1',
      '-n kube-system annotate deployment coredns dojo.training/asleep-',
    ]);
  });

  it('do nothing for a workstation without a namespace', () => {
    expect(spawnSync('sh', ['-c', kataSleepScript()], { env: { PATH: process.env.PATH } }).status).toBe(0);
    // Nor, in vcluster mode, before the setup has the virtual cluster's kubeconfig.
    expect(spawnSync('sh', ['-c', kataSleepScript('vcluster')], { env: { PATH: process.env.PATH } }).status).toBe(0);
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!kubectl)('select the right objects: the go-templates, run by kubectl (skipped where kubectl is missing)', () => {
    const objects = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'awake' }, spec: { replicas: 2 } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'asleep', annotations: { 'dojo.training/asleep': '3' } },
        spec: { replicas: 0 },
      },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'other', annotations: { a: 'b' } }, spec: { replicas: 1 } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' }, spec: {} },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'owned', ownerReferences: [{ kind: 'ReplicaSet', name: 'x' }] } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'suspended' }, spec: { suspend: true } },
    ];
    // kubectl treats any object with `items` as a list: hold them under another field.
    const file = path.join(scratch, 'holder.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Holder', metadata: { name: 'h' }, spec: { things: objects } }),
    );
    const render = (template: string) =>
      execFileSync(
        'kubectl',
        ['annotate', '--local', '-f', file, 'x=y', '-o', `go-template=${template.replace('.items', '.spec.things')}`],
        {
          encoding: 'utf8',
        },
      );
    expect(render(KATA_TEMPLATES.awake)).toBe('awake 2\nother 1\nbare <no value>\nowned <no value>\nsuspended <no value>\n');
    expect(render(KATA_TEMPLATES.asleep)).toBe('asleep 3\n');
    expect(render(KATA_TEMPLATES.bare)).toBe('awake\nasleep\nother\nbare\nsuspended\n');
    expect(render(KATA_TEMPLATES.running)).toContain('awake\n');
    expect(render(KATA_TEMPLATES.running)).not.toContain('suspended');
  });
});
