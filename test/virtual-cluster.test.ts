import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { synth } from '../lib/synth';
import { helmTemplate } from '../dev/helm';
import { describeWithUpstream, pinnedChartDir, VALIDATION } from './support/upstream';
import { objectsOf, REPO_ROOT, type KubeObject } from './support/repo';
import { validateObject } from './support/schemas';
import { AdmissionChain } from './support/admission';
import { asStudent, ingress, pod } from './security/requests';
import { parseBytes, parseCpu } from '../lib/input/schema/quantity';
import { VIRTUAL_CLUSTER_KINDS } from '../lib/plan/argocd/projects';
import {
  COREDNS_RESOURCES,
  CONTROL_PLANE_RESOURCES,
  VIRTUAL_CLUSTER_KUBECONFIG,
  VIRTUAL_CLUSTER_RELEASE,
  virtualClusterQuota,
  virtualClusterSeat,
} from '../lib/plan/virtual-clusters/virtual-cluster';
import { CHARTS } from '../lib/facts/versions';
import { studentQuota } from '../lib/plan/admission/student-quota';
import { compileSchedule } from '../lib/plan/schedule/schedule';

// The vcluster-mode course of the template (argocd-katas on the example cluster), synthesized
// as it is and once more in namespace mode, so that each guarantee of namespace mode can be
// compared object by object.

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'virtual-clusters');
const COURSE = 'argocd-katas';
const STUDENT = 'ada-lovelace';
const NAMESPACE = `${COURSE}-${STUDENT}`;
const courseFile = fs.readFileSync(path.join(FIXTURE, 'courses', `${COURSE}.yaml`), 'utf8');

function objectsFor(courseYaml: string): KubeObject[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-vcluster-'));
  try {
    fs.cpSync(FIXTURE, root, { recursive: true });
    fs.writeFileSync(path.join(root, 'courses', `${COURSE}.yaml`), courseYaml);
    const result = synth(root, { write: false });
    expect(result.errors).toEqual([]);
    return objectsOf(new Map(result.files.map((f) => [f.path, f.content]))).map((o) => o.object);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const virtual = objectsFor(courseFile);
const namespaced = objectsFor(courseFile.replace('isolation: vcluster', 'isolation: namespace'));
const find = (objects: KubeObject[], kind: string, name: string, namespace?: string) =>
  objects.find(
    (o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
  );
const application = find(virtual, 'Application', `vcluster-${COURSE}-${STUDENT}`)!;
const values = application.spec.source.helm.valuesObject;
const workstation = find(virtual, 'StatefulSet', `ws-${STUDENT}`, COURSE)!;
const envOf = (container: { env?: { name: string; value: string }[] }) =>
  Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));

describe('a virtual cluster per student (vcluster mode)', () => {
  it('is an Application of the pinned chart into the student namespace, under one Application per course', () => {
    expect(application.spec.source).toMatchObject({
      repoURL: CHARTS.vcluster.repoURL,
      chart: 'vcluster',
      targetRevision: CHARTS.vcluster.version,
    });
    expect(application.spec.destination.namespace).toBe(NAMESPACE);
    expect(application.spec.project).toBe('dojo-vclusters');
    const parent = find(virtual, 'Application', `vclusters-${COURSE}`)!;
    expect(parent.spec.source.path).toBe(`dist/example/vclusters/${COURSE}`);
    const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
    // The namespace, its quota and its policies exist before the control plane.
    expect(wave(parent)).toBeGreaterThan(wave(find(virtual, 'Application', `course-${COURSE}`)!));
    // KEDA owns the control plane's replicas, as it owns the workstation's.
    expect(application.spec.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'StatefulSet', name: VIRTUAL_CLUSTER_RELEASE, jsonPointers: ['/spec/replicas'] },
    ]);
    expect(application.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });

  it("gives the student no right on the host: the workstation reads one Secret, the virtual cluster's kubeconfig", () => {
    const account = { kind: 'ServiceAccount', name: `ws-${STUDENT}`, namespace: COURSE };
    const bindings = virtual.filter(
      (o) =>
        /RoleBinding$/.test(o.kind) && (o.subjects ?? []).some((s: any) => s.name === account.name && s.namespace === COURSE),
    );
    expect(bindings.map((b) => [b.kind, b.metadata.namespace, b.roleRef.kind])).toEqual([
      ['RoleBinding', NAMESPACE, 'ClusterRole'],
    ]);
    const role = find(virtual, 'ClusterRole', bindings[0].roleRef.name)!;
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: [VIRTUAL_CLUSTER_KUBECONFIG.secret], verbs: ['get'] },
    ]);
    // In namespace mode the same student is admin of the namespace.
    expect(find(namespaced, 'RoleBinding', 'student-admin', NAMESPACE)!.roleRef.name).toBe('admin');
  });

  it('writes a kubeconfig like namespace mode: context course, the student namespace, no credential in git', () => {
    const setup = find(virtual, 'ConfigMap', 'workstation-setup', COURSE)!.data['setup.sh'] as string;
    expect(spawnSync('sh', ['-n'], { input: setup }).status).toBe(0);
    expect(setup).toContain(`get secret ${VIRTUAL_CLUSTER_KUBECONFIG.secret}`);
    expect(setup).toMatch(/current-context: course/);
    expect(setup).toMatch(/namespace: \$\{STUDENT_NS\}/);
    const ide = workstation.spec.template.spec.containers.find((c: any) => c.name === 'ide');
    const env = envOf(ide);
    expect(env.STUDENT_NS).toBe(NAMESPACE);
    // The address the control plane writes into its kubeconfig, a name its certificate holds.
    expect(env.DOJO_VCLUSTER_SERVER).toBe(values.exportKubeConfig.server);
    expect(values.exportKubeConfig.server).toBe(`https://${VIRTUAL_CLUSTER_RELEASE}.${NAMESPACE}:443`);
    // The namespace of the kubeconfig exists inside the virtual cluster.
    expect(parse(values.experimental.deploy.vcluster.manifests)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE },
    });
    const namespaceSetup = find(namespaced, 'ConfigMap', 'workstation-setup', COURSE)!.data['setup.sh'] as string;
    const context = (script: string) => script.slice(script.indexOf('contexts:'), script.indexOf('current-context'));
    expect(context(setup)).toBe(context(namespaceSetup));
    // The control plane makes its certificates in the cluster: nothing of them is in dist/.
    expect(JSON.stringify(virtual)).not.toMatch(/BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)/);
    expect(virtual.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('routes the student as namespace mode does, and syncs their Ingresses to the host, where the same policy judges them', () => {
    const hosts = (objects: KubeObject[]) =>
      objects
        .filter((o) => o.kind === 'HTTPRoute' && o.metadata.labels?.['dojo.training/student'] === STUDENT)
        .map((r) => r.spec.hostnames)
        .sort();
    expect(hosts(virtual)).toEqual(hosts(namespaced));
    expect(values.sync.toHost.ingresses.enabled).toBe(true);
  });

  it("keeps the namespace's guarantees: labels, Pod Security, NetworkPolicies, LimitRange, and the quota plus the cluster's own share", () => {
    // The namespace: the same but for Pod Security's warnings, which only the syncer would read.
    const withoutWarnings = (o: any) => {
      const labels = Object.entries(o.metadata.labels).filter(([key]) => !key.startsWith('pod-security.kubernetes.io/warn'));
      return { ...o, metadata: { ...o.metadata, labels: Object.fromEntries(labels) } };
    };
    const namespace = find(virtual, 'Namespace', NAMESPACE)!;
    expect(namespace).toEqual(withoutWarnings(find(namespaced, 'Namespace', NAMESPACE)!));
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('baseline');
    for (const [kind, name] of [
      ['NetworkPolicy', 'default-deny'],
      ['NetworkPolicy', 'allow-own-traffic'],
      ['LimitRange', 'student-defaults'],
    ]) {
      const ns = kind === 'Namespace' ? undefined : NAMESPACE;
      expect(find(virtual, kind, name, ns), `${kind} ${name}`).toEqual(find(namespaced, kind, name, ns));
    }
    const quota = find(virtual, 'ResourceQuota', 'student-quota', NAMESPACE)!.spec.hard;
    const own = find(namespaced, 'ResourceQuota', 'student-quota', NAMESPACE)!.spec.hard;
    const share = virtualClusterQuota();
    for (const [key, amount] of Object.entries(quota)) {
      const asNumber = (q: unknown) =>
        typeof q === 'number' ? q : /cpu/.test(key) ? parseCpu(String(q)) : parseBytes(String(q));
      expect(asNumber(amount) - asNumber(own[key]), key).toBeCloseTo(share[key] ?? 0, 3);
    }
    for (const key of Object.keys(share)) expect(quota[key], key).toBeDefined();
  });

  it('sleeps and wakes with the class: up from the pre-warm until the students’ workloads are asleep', () => {
    const scaler = find(virtual, 'ScaledObject', VIRTUAL_CLUSTER_RELEASE, NAMESPACE)!;
    expect(scaler.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: VIRTUAL_CLUSTER_RELEASE });
    const ws = find(virtual, 'ScaledObject', `ws-${STUDENT}`, COURSE)!;
    const prewarm = find(virtual, 'ScaledObject', 'prewarm', COURSE)!;
    const window = (o: KubeObject) => o.spec.triggers.map((t: any) => [t.metadata.start, t.metadata.end]);
    // 09:00-16:00: the control plane from the pre-warm at 08:30 until 16:10, the workstation 09:00-16:00.
    expect(window(scaler)).toEqual([['30 8 1-3 2 *', '10 16 1-3 2 *']]);
    expect(window(prewarm)[0][0]).toBe(window(scaler)[0][0]);
    expect(window(ws)).toEqual([['0 9 1-3 2 *', '0 16 1-3 2 *']]);
    // KEDA copies labels to its HPA; the labels policy would refuse dojo's there.
    expect(scaler.metadata.annotations!['scaledobject.keda.sh/hpa-excluded-labels']).toBe(
      'dojo.training/course,dojo.training/student',
    );
    const sleep = find(virtual, 'ConfigMap', 'workstation-setup', COURSE)!.data['sleep-katas.sh'] as string;
    expect(sleep).toContain('get namespaces');
    expect(sleep).toContain('--kubeconfig="$vc/admin"');
  });

  it('counts each control plane in the capacity plan, the PR plan and the NodePool limits', () => {
    const pool = find(virtual, 'NodePool', 'students')!;
    const own = find(namespaced, 'NodePool', 'students')!;
    expect(Number(pool.spec.limits.cpu)).toBeGreaterThanOrEqual(Number(own.spec.limits.cpu));
    const seat = virtualClusterSeat();
    const quota = parse(courseFile).kubernetes.quota;
    // Six seats of the student's quota plus the control plane and CoreDNS fit the pool's limits.
    expect(Number(pool.spec.limits.cpu)).toBeGreaterThanOrEqual(6 * (parseCpu(quota.cpu) + seat.cpu));
    const coursePool = find(virtual, 'NodePool', `course-${COURSE}`)!;
    expect(coursePool.metadata.annotations!['dojo.training/planned-virtual-cluster-nodes']).toMatch(/^\d+$/);
  });

  it("judges what the control plane syncs into the namespace by the students' policies", () => {
    const chain = new AdmissionChain(
      virtual,
      new Map(virtual.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}])),
    );
    const syncer = `system:serviceaccount:${NAMESPACE}:vc-${VIRTUAL_CLUSTER_RELEASE}`;
    const asSyncer = (operation: 'CREATE', object: Record<string, any>) =>
      asStudent(STUDENT, operation, object, { course: COURSE, username: syncer });
    // The students' own hosts are under the cluster's content domain, never the logins' domain.
    const contentDomain = 'training.example.net';
    expect(chain.review(asSyncer('CREATE', ingress(`web-${STUDENT}.${COURSE}.${contentDomain}`))).denials).toEqual([]);
    expect(chain.review(asSyncer('CREATE', ingress(`web-grace-hopper.${COURSE}.${contentDomain}`))).allowed).toBe(false);
    expect(chain.review(asSyncer('CREATE', ingress(`web-${STUDENT}.${COURSE}.training.example.com`))).allowed).toBe(false);
    expect(chain.review(asSyncer('CREATE', pod({ runtimeClassName: 'sysbox-runc' }))).allowed).toBe(false);
    expect(
      chain.review(asSyncer('CREATE', pod({ tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] }))).allowed,
    ).toBe(false);
    const endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'x' }, subsets: [] };
    expect(chain.review(asSyncer('CREATE', endpoints)).allowed).toBe(false);
  });
});

// The chart rendered as ArgoCD renders it (helm template, ../shared/charts/vcluster-<version>)
// with the generated values of one student.
describeWithUpstream(VALIDATION, 'the vcluster chart with the generated values', () => {
  const rendered = parseAllDocuments(
    helmTemplate({
      chart: pinnedChartDir('vcluster', application.spec.source.targetRevision),
      release: application.spec.source.helm.releaseName,
      namespace: NAMESPACE,
      values,
      kubeVersion: '1.34.0',
    }),
  )
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => !!o);
  const statefulSet = rendered.find((o) => o.kind === 'StatefulSet')!;
  const podSpec = statefulSet.spec.template.spec;

  it('validates against the schemas, in the student namespace only, of kinds the project allows', async () => {
    for (const object of rendered) {
      expect(await validateObject(object), `${object.kind} ${object.metadata.name}`).toEqual([]);
      expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBe(NAMESPACE);
    }
    const kinds = new Set(rendered.map((o) => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`));
    expect([...kinds].sort()).toEqual(VIRTUAL_CLUSTER_KINDS.map((k) => `${k.group}/${k.kind}`).sort());
  });

  it("keeps the virtual ServiceAccounts' tokens in Secrets of the namespace, not in host pod annotations the board lists (issue 30, finding 8)", () => {
    const config = rendered.find((o) => o.kind === 'Secret' && o.data?.['config.yaml'])!;
    const text = Buffer.from(config.data['config.yaml'], 'base64').toString('utf8');
    const parsed = parseAllDocuments(text)[0].toJS() as any;
    expect(parsed.sync.toHost.pods.useSecretsForSATokens).toBe(true);
  });

  it('runs the open-source build at the chart version and the host’s Kubernetes minor, no paid image', () => {
    const images = [...podSpec.initContainers, ...podSpec.containers].map((c: any) => c.image);
    expect(images).toEqual(['ghcr.io/loft-sh/kubernetes:v1.34.0', `ghcr.io/loft-sh/vcluster-oss:${CHARTS.vcluster.version}`]);
    expect(JSON.stringify(rendered)).not.toContain('vcluster-pro');
  });

  it('resolves its references: account, role, config Secret, Services, storage class and priority', () => {
    const named = (kind: string, name: string) => rendered.some((o) => o.kind === kind && o.metadata.name === name);
    expect(named('ServiceAccount', podSpec.serviceAccountName)).toBe(true);
    for (const binding of rendered.filter((o) => o.kind === 'RoleBinding')) {
      expect(named(binding.roleRef.kind, binding.roleRef.name)).toBe(true);
      for (const s of binding.subjects) expect(named(s.kind, s.name)).toBe(true);
    }
    for (const volume of podSpec.volumes.filter((v: any) => v.secret))
      expect(named('Secret', volume.secret.secretName)).toBe(true);
    expect(named('Service', statefulSet.spec.serviceName)).toBe(true);
    const service = rendered.find((o) => o.kind === 'Service' && o.metadata.name === VIRTUAL_CLUSTER_RELEASE)!;
    expect(Object.entries(service.spec.selector).every(([k, v]) => statefulSet.spec.template.metadata.labels[k] === v)).toBe(
      true,
    );
    // The kubeconfig's address: port 443 of this Service.
    expect(service.spec.ports.find((p: any) => p.port === 443)).toBeDefined();
    const claim = statefulSet.spec.volumeClaimTemplates[0].spec;
    expect(find(virtual, 'StorageClass', claim.storageClassName)).toBeDefined();
    expect(find(virtual, 'PriorityClass', podSpec.priorityClassName)).toBeDefined();
    // No ClusterRole or binding: nothing beyond the namespace.
    expect(rendered.filter((o) => o.kind.startsWith('Cluster'))).toEqual([]);
  });

  it('requests what the capacity plan and the quota count', () => {
    const syncer = podSpec.containers.find((c: any) => c.name === 'syncer');
    expect(syncer.resources.requests).toEqual(CONTROL_PLANE_RESOURCES.requests);
    expect(syncer.resources.limits).toEqual(CONTROL_PLANE_RESOURCES.limits);
    const initCpu = Math.max(...podSpec.initContainers.map((c: any) => parseCpu(c.resources.requests.cpu)));
    const podCpu = Math.max(parseCpu(syncer.resources.requests.cpu), initCpu);
    const podMemory = parseBytes(syncer.resources.requests.memory);
    const seat = virtualClusterSeat();
    expect(podCpu + parseCpu(COREDNS_RESOURCES.requests.cpu)).toBeCloseTo(seat.cpu, 6);
    expect((podMemory + parseBytes(COREDNS_RESOURCES.requests.memory)) / 2 ** 30).toBeCloseTo(seat.memoryGiB, 6);
    // The control plane's pod passes the namespace's policies as the StatefulSet controller creates it.
    const chain = new AdmissionChain(
      virtual,
      new Map(virtual.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}])),
    );
    const decision = chain.review(
      asStudent(
        STUDENT,
        'CREATE',
        { apiVersion: 'v1', kind: 'Pod', metadata: statefulSet.spec.template.metadata, spec: podSpec },
        {
          course: COURSE,
          username: 'system:serviceaccount:kube-system:statefulset-controller',
        },
      ),
    );
    expect(decision.denials).toEqual([]);
  });
});

describe("the virtual cluster's share, decided in lib/plan", () => {
  const quota = {
    cpu: '0.5',
    memory: '4Gi',
    pods: 30,
    services: 10,
    persistentVolumeClaims: 5,
    loadBalancers: 0,
    nodePorts: 3,
    storage: '20Gi',
    ephemeralStorage: '10Gi',
  };

  it('is the control plane and CoreDNS: the larger of init and containers, limits and the LimitRange filling in disk', () => {
    const share = virtualClusterQuota();
    expect(share['requests.cpu']).toBeCloseTo(0.22, 9);
    expect(share['requests.memory']).toBe(576 * 2 ** 20);
    expect(share['limits.memory']).toBe((2048 + 170) * 2 ** 20);
    expect(share['requests.ephemeral-storage']).toBe((1024 + 100) * 2 ** 20);
    expect(share['limits.ephemeral-storage']).toBe(5 * 2 ** 30);
    expect(share.pods).toBe(2);
  });

  it("adds it to the namespace's quota, and keeps the trainer's spelling where nothing is added", () => {
    expect(studentQuota(quota, false)).toMatchObject({ 'requests.cpu': '0.5', 'requests.memory': '4Gi', pods: 30 });
    expect(studentQuota(quota, false, virtualClusterQuota())).toMatchObject({
      'requests.cpu': '720m',
      'requests.memory': '4672Mi',
      'limits.memory': '6314Mi',
      pods: 32,
      'services.loadbalancers': 0,
    });
    expect(studentQuota(quota, true, virtualClusterQuota())).toMatchObject({ pods: 0, 'services.nodeports': 0 });
  });

  it('keeps the control plane up from the pre-warm to 10 minutes after each window, never into the next day', () => {
    const { schedule } = compileSchedule({
      timeZone: 'Europe/Copenhagen',
      weekdays: ['mon'],
      hours: ['09:00-12:00', '18:00-23:55'],
      daysOff: [],
      prewarm: { lead: '30m' },
    });
    expect(schedule!.virtualClusterTriggers).toEqual([
      { start: '30 8 * * 1', end: '10 12 * * 1' },
      { start: '30 17 * * 1', end: '59 23 * * 1' },
    ]);
  });
});
