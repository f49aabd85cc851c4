/**
 * The kata checks on a real Kubernetes 1.34 control plane (issue 31), kwok playing the nodes:
 *
 *   DOJO_CLUSTER_KWOK=1 test/cluster/start.sh /tmp/checks-work -- node bin/run.cjs test/cluster/checks/run.ts
 *
 * For every exercise of checks/*.yaml, each in a namespace of its own with a student (a
 * ServiceAccount with `admin` there, impersonated): the reference solution of
 * dev/kata-solutions/solutions.ts applied as the student would (kubectl apply, or helm install
 * of a chart holding the objects Helm made, with helm's own labels and annotations), left to
 * the controllers, kwok and the volume binder; then `dojo check <exercise>`, the bundled
 * program synth ships (lib/contracts/dojo-check-program.ts), run as the student with the real
 * kubectl: it must pass; applied (or upgraded) a second time, still pass. Each near miss, in a
 * namespace of its own, must fail with its message; an empty namespace with the first. Last,
 * the board's view: every kind listed once for the whole cluster as the board lists it, grouped
 * by namespace, gives each namespace the result its student saw. Prints `N passed, M failed`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dump, load } from 'js-yaml';
import { CHECK_KINDS, evaluateExercise, kubectlResource, objectsByKind, type CheckExercise } from '../../../lib/contracts/checks';
import { DOJO_CHECK_PROGRAM } from '../../../lib/contracts/dojo-check-program';
import { DOJO_CHECK_FILES } from '../../../lib/contracts/dojo-check';
import { loadRepo } from '../../../lib/input/load/load-repo';
import { planCheckSets } from '../../../lib/plan/checks/checks';
import { KATA_PRIORITY_CLASSES } from '../../../lib/plan/model/platform-classes';
import { helmBinary } from '../../../dev/helm';
import type { Manifest } from '../../../dev/kata-solutions/manifests';
import { SOLUTIONS } from '../../../dev/kata-solutions/solutions';
import { REPO_ROOT } from '../../support/repo';

const t0 = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);
const kubeconfig = process.env.KUBECONFIG;
if (!kubeconfig) {
  console.error(
    'KUBECONFIG is not set: run under DOJO_CLUSTER_KWOK=1 test/cluster/start.sh WORK -- node bin/run.cjs test/cluster/checks/run.ts',
  );
  process.exit(2);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-checks-cluster-'));
const helm = helmBinary();
const SETTLE_MS = 60_000;
const results: { name: string; ok: boolean; detail: string }[] = [];
const record = (name: string, ok: boolean, detail = '') => {
  results.push({ name, ok, detail });
  console.log(`check: ${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};

function run(cmd: string, args: readonly string[], input?: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout} (input: ${(input ?? '').slice(0, 300)})`);
  return r.stdout;
}
const admin = (...args: string[]) => run('kubectl', args);
const applyAsAdmin = (objects: readonly object[]) =>
  objects.length > 0 ? run('kubectl', ['apply', '-f', '-'], objects.map((o) => `---\n${dump(o)}`).join('')) : '';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- the class
const exercises: CheckExercise[] = [...planCheckSets(loadRepo(REPO_ROOT).checkSets).sets.values()].flat();
const student = (ns: string) => `system:serviceaccount:${ns}:student`;

/** A student's namespace: the ServiceAccount a workstation would run as, `admin` there. */
async function studentNamespace(ns: string): Promise<void> {
  applyAsAdmin([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'student', namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'student-admin', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'student', namespace: ns }],
    },
  ]);
  // A bare pod is refused until the namespace's default ServiceAccount exists.
  for (let i = 0; i < 100; i++) {
    if (spawnSync('kubectl', ['get', 'serviceaccount', 'default', '-n', ns]).status === 0) return;
    await sleep(100);
  }
}

/** The student's kubeconfig, as a workstation has it: the context's namespace is theirs. */
function studentKubeconfig(ns: string): string {
  const config = load(fs.readFileSync(kubeconfig!, 'utf8')) as any;
  config.users[0].user.as = student(ns);
  config.contexts[0].context.namespace = ns;
  const file = path.join(work, `kubeconfig-${ns}`);
  fs.writeFileSync(file, dump(config), { mode: 0o600 });
  return file;
}

const HELM_LABELS = ['app.kubernetes.io/managed-by'];
const HELM_ANNOTATIONS = ['meta.helm.sh/release-name', 'meta.helm.sh/release-namespace'];
const releaseOf = (o: Manifest): string | undefined => o.metadata.annotations?.['meta.helm.sh/release-name'];

/** What the chart's templates held: the object without what Helm adds itself. */
function asTemplate(o: Manifest): Manifest {
  const labels = Object.fromEntries(Object.entries(o.metadata.labels ?? {}).filter(([k]) => !HELM_LABELS.includes(k)));
  const annotations = Object.fromEntries(
    Object.entries(o.metadata.annotations ?? {}).filter(([k]) => !HELM_ANNOTATIONS.includes(k)),
  );
  return {
    ...o,
    metadata: {
      ...o.metadata,
      ...(Object.keys(labels).length ? { labels } : { labels: undefined }),
      ...(Object.keys(annotations).length ? { annotations } : { annotations: undefined }),
    },
  };
}

/** The student does the exercise: kubectl apply of the plain objects, helm upgrade --install of each release. */
function applyAsStudent(ns: string, objects: readonly Manifest[]): void {
  const plain = objects.filter((o) => !releaseOf(o));
  if (plain.length > 0) {
    run('kubectl', ['apply', '-n', ns, `--as=${student(ns)}`, '-f', '-'], plain.map((o) => `---\n${dump(o)}`).join(''));
  }
  const releases = new Map<string, Manifest[]>();
  for (const o of objects.filter(releaseOf)) releases.set(releaseOf(o)!, [...(releases.get(releaseOf(o)!) ?? []), o]);
  for (const [release, members] of releases) {
    const chartLabel = members.map((o) => o.metadata.labels?.['helm.sh/chart'] as string | undefined).find(Boolean);
    const [, name, version] = /^(.*)-(\d+\.\d+\.\d+)$/.exec(chartLabel ?? '') ?? [undefined, 'sentence-app', '0.1.0'];
    const chart = fs.mkdtempSync(path.join(work, `chart-${release}-`));
    fs.mkdirSync(path.join(chart, 'templates'));
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), dump({ apiVersion: 'v2', name, version }));
    fs.writeFileSync(
      path.join(chart, 'templates', 'objects.yaml'),
      members.map((o) => `---\n${dump(JSON.parse(JSON.stringify(asTemplate(o))))}`).join(''),
    );
    run(helm, ['upgrade', '--install', release, chart, '-n', ns, `--kube-as-user=${student(ns)}`, '--kubeconfig', kubeconfig!]);
  }
}

/** A claim gets its volume as the EBS provisioner would give one: a PersistentVolume bound to it. */
function volumesFor(ns: string, objects: readonly Manifest[]): void {
  const claims = objects.filter((o) => o.kind === 'PersistentVolumeClaim');
  applyAsAdmin(
    claims.map((c) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: `${ns}-${c.metadata.name}` },
      spec: {
        capacity: { storage: c.spec.resources.requests.storage },
        accessModes: c.spec.accessModes,
        storageClassName: c.spec.storageClassName,
        hostPath: { path: `/tmp/${ns}` },
        claimRef: { namespace: ns, name: c.metadata.name },
      },
    })),
  );
}

/** `dojo check <exercise>` as the student: the bundled program, their kubeconfig, the real kubectl. */
const programDir = (() => {
  const dir = path.join(work, 'opt-dojo');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, DOJO_CHECK_FILES.program), DOJO_CHECK_PROGRAM);
  fs.writeFileSync(path.join(dir, DOJO_CHECK_FILES.exercises), JSON.stringify(exercises));
  return dir;
})();
function dojoCheck(ns: string, exercise: string): { passed: boolean; message: string | undefined; output: string } {
  const r = spawnSync(process.execPath, [path.join(programDir, DOJO_CHECK_FILES.program), exercise], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: studentKubeconfig(ns) },
  });
  if (r.status === 2) throw new Error(`dojo check ${exercise} in ${ns}: ${r.stderr}`);
  return { passed: r.status === 0, message: r.stdout.split('\n')[1]?.trim(), output: r.stdout + r.stderr };
}

/** Until every Deployment has what it asks for and every pod runs (or `ms` pass): what kubectl then lists is settled. */
async function settle(ns: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const list = JSON.parse(admin('get', 'deployments.v1.apps,pods', '-n', ns, '-o', 'json')).items as Manifest[];
    const done = list.every((o) =>
      o.kind === 'Deployment'
        ? (o.status?.readyReplicas ?? 0) === (o.spec.replicas ?? 1) && (o.status?.replicas ?? 0) === (o.spec.replicas ?? 1)
        : o.status?.phase === 'Running',
    );
    if (done) return;
    await sleep(500);
  }
}

async function main(): Promise<void> {
  // What dojo's platform gives every cluster and the katas name (appdev: medium-priority).
  applyAsAdmin(
    KATA_PRIORITY_CLASSES.map((c) => ({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: c.name },
      value: c.value,
      preemptionPolicy: 'Never',
      description: c.description,
    })),
  );
  applyAsAdmin([
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'kata-node',
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: { 'kubernetes.io/hostname': 'kata-node', type: 'kwok' },
      },
      status: { allocatable: { cpu: '256', memory: '1Ti', pods: '2000' }, capacity: { cpu: '256', memory: '1Ti', pods: '2000' } },
    },
  ]);
  const expectations = new Map<string, { exercise: CheckExercise; passed: boolean; message?: string }>();
  let n = 0;
  for (const exercise of exercises) {
    const solution = SOLUTIONS[exercise.set]?.[exercise.id];
    if (!solution) {
      record(`${exercise.set}/${exercise.id}: has a reference solution`, false);
      continue;
    }
    const label = `${exercise.set}/${exercise.id}`;
    // The solution, applied as the student would, then again.
    const ns = `chk-${++n}-solution`;
    await studentNamespace(ns);
    volumesFor(ns, solution.objects);
    try {
      applyAsStudent(ns, solution.objects);
      let result = dojoCheck(ns, exercise.id);
      for (const until = Date.now() + SETTLE_MS; !result.passed && Date.now() < until; result = dojoCheck(ns, exercise.id))
        await sleep(1000);
      record(`${label}: passes after the reference solution`, result.passed, result.passed ? '' : result.output.trim());
      applyAsStudent(ns, solution.objects);
      await settle(ns);
      const again = dojoCheck(ns, exercise.id);
      record(`${label}: passes after it is applied a second time`, again.passed, again.passed ? '' : again.output.trim());
      expectations.set(ns, { exercise, passed: true });
    } catch (error) {
      record(`${label}: the reference solution is admitted`, false, String(error).slice(0, 400));
    }
    // An empty namespace.
    const empty = `chk-${n}-empty`;
    await studentNamespace(empty);
    const none = dojoCheck(empty, exercise.id);
    record(
      `${label}: fails in an empty namespace with its first message`,
      !none.passed && none.message === exercise.conditions[0].message,
      none.message,
    );
    expectations.set(empty, { exercise, passed: false, message: exercise.conditions[0].message });
    // Each near miss.
    for (const [i, miss] of solution.nearMisses.entries()) {
      const near = `chk-${n}-near-${i}`;
      await studentNamespace(near);
      volumesFor(near, miss.objects);
      try {
        applyAsStudent(near, miss.objects);
        await settle(near);
        const result = dojoCheck(near, exercise.id);
        record(
          `${label}: near miss (${miss.what}) fails with its message`,
          !result.passed && result.message === miss.message,
          result.message,
        );
        expectations.set(near, { exercise, passed: false, message: miss.message });
      } catch (error) {
        record(`${label}: near miss (${miss.what}) is admitted`, false, String(error).slice(0, 400));
      }
    }
    say(`${label} done`);
  }
  // The board's view: each kind listed once for the whole cluster, grouped by namespace; a
  // namespace's checks read its own objects only, beside every other exercise's solution.
  const items = Object.keys(CHECK_KINDS).flatMap(
    (kind) => JSON.parse(admin('get', kubectlResource(kind as keyof typeof CHECK_KINDS), '-A', '-o', 'json')).items as Manifest[],
  );
  const byNamespace = new Map<string, Manifest[]>();
  for (const o of items) byNamespace.set(o.metadata.namespace, [...(byNamespace.get(o.metadata.namespace) ?? []), o]);
  let agree = 0;
  const disagree: string[] = [];
  for (const [ns, expected] of expectations) {
    const result = evaluateExercise(expected.exercise, objectsByKind(byNamespace.get(ns) ?? []));
    const message = result.passed ? undefined : result.failed.message;
    if (result.passed === expected.passed && (expected.passed || message === expected.message)) agree++;
    else disagree.push(`${ns}: ${message ?? 'passes'}`);
  }
  record(
    `the board's cluster-wide lists give all ${expectations.size} namespaces their student's result (${agree} agree)`,
    disagree.length === 0,
    disagree.join('; '),
  );
}

main()
  .catch((error) => record('run', false, String(error)))
  .finally(() => {
    fs.rmSync(work, { recursive: true, force: true });
    const failed = results.filter((r) => !r.ok).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    process.exitCode = failed === 0 ? 0 : 1;
  });
