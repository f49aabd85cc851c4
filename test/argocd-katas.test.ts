import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadAndPlan, synth } from '../lib/synth';
import { handoutHtml } from '../lib/commands/handout';
import { checkHandoutLines, handoutLines } from '../lib/plan/students/handout-lines';
import { virtualClusterQuota, VIRTUAL_CLUSTER_RELEASE } from '../lib/plan/virtual-clusters/virtual-cluster';
import { parseBytes, parseCpu } from '../lib/input/schema/quantity';
import { objectsOf, REPO_ROOT, type KubeObject } from './support/repo';
import { AdmissionChain } from './support/admission';
import { asStudent, ingress } from './security/requests';
import { ARGOCD_INSTALL, HEAVIEST_ARGOCD_EXERCISE, type KataPod } from './katas/argocd';

// argocd-katas in vcluster mode (issue 32, item 6), on the template's course as the
// virtual-clusters fixture holds it: the slip's lines, the addresses they give, and the quota.
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'virtual-clusters');
const COURSE = 'argocd-katas';
const STUDENT = 'ada-lovelace';
const NAMESPACE = `${COURSE}-${STUDENT}`;
const CONTENT_DOMAIN = 'training.example.net';

const planned = loadAndPlan(FIXTURE);
if (!planned.ok) throw new Error(planned.errors.join('\n'));
const course = planned.plan.clusters.flatMap((c) => c.courses).find((c) => c.name === COURSE)!;
const student = course.students.find((s) => s.id === STUDENT)!;
const result = synth(FIXTURE, { write: false });
const objects: KubeObject[] = objectsOf(new Map(result.files.map((f) => [f.path, f.content]))).map((o) => o.object);
const find = (kind: string, name: string, namespace: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace)!;

describe("argocd-katas' slip", () => {
  const slip = handoutHtml({ ...course, students: [student] }, new Map([[STUDENT, 'pw']]));
  const steps = [...slip.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]);

  it('installs the ArgoCD the quota was measured at, with server.insecure, in one line', () => {
    const install = steps.find((s) => s.includes('manifests/install.yaml'))!;
    expect(install).toContain(
      `<code>kubectl create namespace argocd &amp;&amp; kubectl -n argocd create configmap argocd-cmd-params-cm --from-literal=server.insecure=true &amp;&amp; ` +
        `kubectl apply -n argocd --server-side --force-conflicts -f https://raw.githubusercontent.com/argoproj/argo-cd/${ARGOCD_INSTALL.version}/manifests/install.yaml</code>`,
    );
  });

  it("opens ArgoCD's UI at the student's app address of port 8080, which a route serves from the workstation's port", () => {
    const ui = steps.find((s) => s.includes('svc/argocd-server'))!;
    expect(ui).toContain('<code>kubectl port-forward --address 0.0.0.0 -n argocd svc/argocd-server 8080:80</code>');
    const urls = [...slip.matchAll(/https:\/\/[^\s<"]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('https://raw.'));
    expect(urls).toContain(`https://8080-${STUDENT}.${COURSE}.${CONTENT_DOMAIN}`);
    for (const url of urls) {
      const host = new URL(url).host;
      const route = objects.find((o) => o.kind === 'HTTPRoute' && o.spec.hostnames.includes(host));
      expect(route, url).toBeDefined();
      const backend = route!.spec.rules[0].backendRefs[0];
      const service = find('Service', backend.name, route!.metadata.namespace!);
      expect(
        service.spec.ports.map((p: { port: number }) => p.port),
        url,
      ).toContain(backend.port);
    }
  });

  it("gives the ApplicationSet's chart parameters that make its Ingress host one the policy admits", () => {
    const line = student.handout.find((l) => l.startsWith('ApplicationSets'))!;
    const param = (name: string) => new RegExp(`\`${name}\` (?:to|with the value) \`([^\`]+)\``).exec(line)![1];
    // helm-katas examples/apps/http-server's Ingress host, as ArgoCD renders it into the destination namespace.
    const app = param('app').replace('{{head_short_sha}}', 'a1b2c3d');
    const host = `${NAMESPACE}-${app}.${param('prefix')}.${param('defaultIngressHostSuffix')}`;
    const chain = new AdmissionChain(
      objects,
      new Map(objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}])),
    );
    const syncer = `system:serviceaccount:${NAMESPACE}:vc-${VIRTUAL_CLUSTER_RELEASE}`;
    const todo = ingress(host, { annotations: { 'kubernetes.io/ingress.class': 'alb' }, spec: { ingressClassName: undefined } });
    expect(chain.review(asStudent(STUDENT, 'CREATE', todo, { course: COURSE, username: syncer })).denials).toEqual([]);
    // The kata as written names its own domain, which is refused.
    const asWritten = ingress(`${NAMESPACE}-todo-a1b2c3d.argo.eficode.academy`);
    expect(chain.review(asStudent(STUDENT, 'CREATE', asWritten, { course: COURSE, username: syncer })).allowed).toBe(false);
    // Every student's host stays one DNS label; the longest id of the course is the tightest.
    for (const s of course.students) {
      const label = `${COURSE}-${s.id}-${param('app').replace('{{head_short_sha}}', 'a1b2c3d').replace(STUDENT, s.id)}`;
      expect(label.length, s.id).toBeLessThanOrEqual(63);
    }
  });
});

describe('handout placeholders', () => {
  const hosts = { ide: 'i', apps: [{ port: 8080, host: '8080-bob.k8s.example.net' }], ingressSuffix: '-bob.k8s.example.net' };
  const values = { student: 'bob', namespace: 'k8s-bob', course: 'k8s', contentDomain: 'example.net', hosts };

  it('fills in the student, and leaves double braces and JSON as written', () => {
    expect(
      handoutLines(['{student} in {namespace} of {course}.{contentDomain}: {url:8080}, {{branch}}, {.data.x}'], values),
    ).toEqual(['bob in k8s-bob of k8s.example.net: https://8080-bob.k8s.example.net, {{branch}}, {.data.x}']);
  });

  it('reports a placeholder a slip cannot fill in, at its line', () => {
    const problems = checkHandoutLines(
      'courses/k8s.yaml',
      ['ok {student}', '{url:5000} {studnet}', '{namespace}'],
      [8080],
      false,
    );
    expect(problems.map((p) => [p.at.path, p.message])).toEqual([
      [['handout', 1], '{url:5000} is not an app port of the course (workstation.ports: 8080)'],
      [['handout', 1], '{studnet} is not a placeholder of the handout'],
      [['handout', 2], '{namespace}: the course gives students no namespace (kubernetes.namespace: false)'],
    ]);
  });
});

/** A pod's amounts as the ResourceQuota counts them, once the LimitRange has filled in what it leaves out. */
function counted(pod: KataPod, limitRange: KubeObject) {
  const { default: limits, defaultRequest: requests } = limitRange.spec.limits[0];
  const amount = (c: KataPod['containers'][number], side: 'requests' | 'limits', key: string) => {
    const own = c[side]?.[key] ?? (side === 'requests' ? c.limits?.[key] : undefined);
    const value = own ?? (side === 'requests' ? requests : limits)[key];
    if (value === undefined) return 0;
    return key === 'cpu' ? parseCpu(value) : parseBytes(value);
  };
  // The larger of the containers' sum and the largest init container.
  const effective = (side: 'requests' | 'limits', key: string) =>
    Math.max(
      pod.containers.reduce((total, c) => total + amount(c, side, key), 0),
      ...(pod.initContainers ?? []).map((c) => amount(c, side, key)),
    );
  return {
    'requests.cpu': effective('requests', 'cpu'),
    'requests.memory': effective('requests', 'memory'),
    'limits.memory': effective('limits', 'memory'),
    'requests.ephemeral-storage': effective('requests', 'ephemeral-storage'),
    'limits.ephemeral-storage': effective('limits', 'ephemeral-storage'),
    pods: 1,
  };
}

describe("argocd-katas' quota", () => {
  it('fits the heaviest exercise (ArgoCD, quotes-flask, an ApplicationSet app) on top of the virtual cluster itself', () => {
    const hard = find('ResourceQuota', 'student-quota', NAMESPACE).spec.hard;
    const limitRange = find('LimitRange', 'student-defaults', NAMESPACE);
    const need: Record<string, number> = {};
    const add = (key: string, value: number) => (need[key] = (need[key] ?? 0) + value);
    for (const [key, value] of Object.entries(virtualClusterQuota())) add(key, value);
    for (const part of HEAVIEST_ARGOCD_EXERCISE) {
      for (const pod of part.pods)
        for (const [key, value] of Object.entries(counted(pod, limitRange))) add(key, value * pod.replicas);
      add('services', part.services);
      add('persistentvolumeclaims', part.claims.length);
      add(
        'requests.storage',
        part.claims.reduce((total, c) => total + parseBytes(c), 0),
      );
    }
    const parse = (key: string, value: string | number) =>
      typeof value === 'number' ? value : key.endsWith('cpu') ? parseCpu(value) : parseBytes(value);
    for (const [key, value] of Object.entries(need)) {
      expect(parse(key, hard[key]), `${key}: ${value} needed`).toBeGreaterThanOrEqual(value);
    }
    // What the trainer's comment in the course file says ArgoCD and the kata's apps need.
    // Whole millicores and bytes: the sums are of decimal fractions.
    const kata = Object.fromEntries(
      Object.keys(need).map((k) => [k, Math.round((need[k] - (virtualClusterQuota()[k] ?? 0)) * 1000) / 1000]),
    );
    expect(kata).toMatchObject({
      'requests.cpu': 1.65,
      'limits.memory': 7120 * 2 ** 20,
      'limits.ephemeral-storage': 12 * 2 ** 30,
      services: 12,
    });
  });
});
