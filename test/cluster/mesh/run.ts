/**
 * The mesh course mode (`kubernetes.mesh`, istio-katas) on a real Kubernetes 1.34 API server,
 * scheduler, controller-manager and kwok, with Istio's own CRDs:
 *
 *   DOJO_CLUSTER_KWOK=1 DOJO_ADDONS=0 test/cluster/start.sh /tmp/mesh-work -- node bin/run.cjs test/cluster/mesh/run.ts
 *
 * Needs KUBECONFIG (start.sh sets it: the system:masters admin), kubectl on PATH, kwok running
 * (DOJO_CLUSTER_KWOK=1) and Go with the module proxy. Steps:
 * 1. installs Istio's CRDs of the version dojo pins (CHARTS.istiod.version), from the Go module
 *    proxy (istio.io/api, kubernetes/customresourcedefinitions.gen.yaml: the CRDs istio-base's
 *    chart carries), server-side, until Established;
 * 2. synthesizes test/fixtures/classroom (course `mesh` on cluster `lab`: mesh-alice, mesh-bob)
 *    into a temp dir and applies its dist/lab with test/cluster/apply-dist.sh, as ArgoCD would;
 * 3. one kwok Node without taints for the students' pods;
 * 4. as Alice (her workstation's ServiceAccount, impersonated), server-side dry runs in mesh-alice:
 *    the istio-katas objects, written as the katas write them, are admitted; widening exportTo,
 *    a jwksUri, EnvoyFilter and WasmPlugin (RBAC first, then the policy behind it), taking the
 *    namespace out of the mesh, Istio kinds in a course without a mesh, and the pods the injector
 *    makes for TPROXY and IPTABLES_TRACE_LOGGING (Pod Security) are refused, each by the layer named;
 * 5. creates for real, as Alice, the pods Istio 1.30.3's injector makes (injected/: an app pod and a
 *    gateway pod): admitted, bound to the kwok node, Running;
 * 6. the gateway Deployments of dist/: the controller makes their pods, which run on the kwok node;
 *    the namespace's ResourceQuota holds all of them (used <= hard).
 * Prints `check: PASS|FAIL name: detail` per check and `N passed, M failed`; exits 1 on any failure.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { load } from 'js-yaml';
import { CHARTS, MESH_OBSERVABILITY_IMAGES } from '../../../lib/facts/versions';
import { REPO_ROOT } from '../../support/repo';
import { PLURALS } from '../../security/requests';
import { MESH_ATTACKS, MESH_KATA_OBJECTS } from '../../security/mesh';
import { parseBytes, parseCpu } from '../../../lib/input/schema/quantity';
import { apiClient, serviceAccount, type Identity, type Reply } from '../api';
import { applyFixture, applyIstioCrds } from '../fixture';
import { kialiRules, prometheusRules } from '../../../lib/plan/mesh/observability';

const FIELD_MANAGER = 'dojo-mesh-test';
const NS = 'mesh-alice';
/** dojo's Deployments in a mesh student's namespace: the two gateways and the three observability tools. */
const MESH_DEPLOYMENTS = ['istio-ingressgateway', 'istio-egressgateway', 'kiali', 'prometheus', 'jaeger'];
const NODE = 'mesh-students';
const ISTIO_VERSION = `v${CHARTS.istiod.version}`;
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (line: string) => console.log(`[${elapsed()}] ${line}`);

// ---------------------------------------------------------------- checks
let passed = 0;
let failed = 0;
function check(ok: boolean, name: string, detail: string): void {
  if (ok) passed++;
  else failed++;
  console.log(`check: ${ok ? 'PASS' : 'FAIL'} ${name}: ${detail.replace(/\s+/g, ' ').slice(0, 600)}`);
}
function finish(): never {
  console.log(`(${elapsed()})`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

// ---------------------------------------------------------------- API client
const call = (method: string, urlPath: string, body?: unknown, as?: Identity): Promise<Reply> =>
  api(method, urlPath, body, { as });
const api = apiClient(
  'DOJO_CLUSTER_KWOK=1 DOJO_ADDONS=0 test/cluster/start.sh WORK -- node bin/run.cjs test/cluster/mesh/run.ts',
);

/** Alice of the mesh course: her workstation's ServiceAccount, whose token her kubectl uses. */
const ALICE = serviceAccount('system:serviceaccount:mesh:ws-alice');
/** Alice of course k8s (no mesh), in k8s-alice. */
const K8S_ALICE = serviceAccount('system:serviceaccount:k8s:ws-alice');
/** RBAC out of the way: what the admission policies say on their own. */
const withMasters = (as: Identity): Identity => ({ user: as.user, groups: [...as.groups, 'system:masters'] });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function collectionPath(object: Record<string, any>, namespace: string): string {
  const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const plural = PLURALS[object.kind];
  if (!plural) throw new Error(`no resource known for kind ${object.kind}`);
  return `${base}/namespaces/${namespace}/${plural}`;
}

/** Creates the object as `as` (a server-side dry run unless `dryRun` is false). */
function create(object: Record<string, any>, namespace: string, as: Identity, dryRun = true): Promise<Reply> {
  const query = `${dryRun ? 'dryRun=All&' : ''}fieldManager=${FIELD_MANAGER}`;
  return call('POST', `${collectionPath(object, namespace)}?${query}`, object, as);
}

/** The layer that refused a request, read from the API server's answer; `admitted` when none did. */
function layerOf(reply: { status: number; message: string }): string {
  if (reply.status >= 200 && reply.status < 300) return 'admitted';
  const policy = /ValidatingAdmissionPolicy '([^']+)' with binding '[^']*' denied request/.exec(reply.message);
  if (policy) return policy[1];
  if (/violates PodSecurity "baseline/.test(reply.message)) return 'PodSecurity baseline';
  if (/violates PodSecurity/.test(reply.message)) return 'PodSecurity';
  if (/exceeded quota/.test(reply.message)) return 'quota';
  if (/is forbidden: User ".*" cannot (create|patch|update) resource/.test(reply.message)) return 'RBAC';
  return `other (${reply.status})`;
}
const messageOf = (reply: Reply) => String(reply.body?.message ?? reply.text.slice(0, 400));

// ---------------------------------------------------------------- setup
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

/** Istio's CRDs at dojo's version, from the Go module proxy (the file istio-base's chart is made from). */
async function installIstioCrds(): Promise<void> {
  let names: string[] = [];
  try {
    names = applyIstioCrds();
  } catch (error) {
    check(false, 'istio CRDs', String(error));
    finish();
  }
  check(
    names.length > 0,
    'istio CRDs',
    `${names.length} CRDs of istio.io/api@${ISTIO_VERSION} (CHARTS.istiod.version) applied server-side and Established: ${names.join(', ')}`,
  );
}

function synthesizeAndApply(): void {
  applyFixture('classroom', 'lab', say);
}

/** A kwok node, no taints, for the students' pods. */
async function createNode(): Promise<void> {
  const capacity = { cpu: '16', memory: '64Gi', 'ephemeral-storage': '200Gi', pods: '110' };
  const reply = await call('POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: NODE,
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
      labels: { 'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'linux', 'kwok.x-k8s.io/node': 'fake' },
    },
    status: { capacity, allocatable: capacity },
  });
  if (reply.status >= 300) throw new Error(`node ${NODE}: ${messageOf(reply)}`);
  for (let i = 0; i < 300; i++) {
    const node = await call('GET', `/api/v1/nodes/${NODE}`);
    const ready = (node.body?.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    if (ready && !(node.body?.spec?.taints ?? []).length) {
      check(
        true,
        'kwok node',
        `${NODE} Ready, no taints, ${capacity.cpu} CPU / ${capacity.memory} / ${capacity['ephemeral-storage']} disk / ${capacity.pods} pods`,
      );
      return;
    }
    await sleep(200);
  }
  check(false, 'kwok node', `${NODE} not Ready without taints after 60s (is kwok running? DOJO_CLUSTER_KWOK=1)`);
  finish();
}

/**
 * Until the mesh policy is enforced, the namespace has its default ServiceAccount and the quota
 * counts every kind it limits. The quota controller counts a custom kind only once its discovery
 * resync (every 30 s) has seen the CRD, and recounts a quota only when its spec changes, when an
 * object it counts changes in the namespace, or at its full resync (5 min): until then a create
 * of an Istio kind is refused with "status unknown for quota". The harness makes and deletes a
 * ConfigMap in the namespace (an object the quota counts) every 2 s until the quota counts them.
 */

async function waitUntilReady(): Promise<void> {
  // An EnvoyFilter (the corpus's): the mesh policy refuses it once it is enforced.
  const envoyFilter: Record<string, any> = MESH_ATTACKS.find((a) => a.request.object?.kind === 'EnvoyFilter')!.request.object!;
  const probe = { ...envoyFilter, metadata: { ...envoyFilter.metadata, name: 'probe' } };
  let nudges = 0;
  for (let i = 0; i < 450; i++) {
    const quota = await call('GET', `/api/v1/namespaces/${NS}/resourcequotas/student-quota`);
    const account = await call('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`);
    const probed = await create(probe, NS, withMasters(ALICE));
    const hard = Object.keys(quota.body?.status?.hard ?? {});
    const uncounted = hard.filter((k) => !(k in (quota.body?.status?.used ?? {})));
    const policy = layerOf({ status: probed.status, message: messageOf(probed) }) === 'dojo-student-mesh';
    if (hard.length > 0 && uncounted.length === 0 && account.status === 200 && policy) {
      if (nudges > 0) say(`harness: ${nudges} ConfigMap(s) made and deleted in ${NS} until its quota counted the Istio kinds`);
      return;
    }
    if (hard.length > 0 && uncounted.length > 0 && i % 10 === 9) {
      const name = `quota-nudge-${nudges++}`;
      await call('POST', `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name } });
      await call('DELETE', `/api/v1/namespaces/${NS}/configmaps/${name}`);
    }
    await sleep(200);
  }
  const quota = await call('GET', `/api/v1/namespaces/${NS}/resourcequotas/student-quota`);
  const uncounted = Object.keys(quota.body?.status?.hard ?? {}).filter((k) => !(k in (quota.body?.status?.used ?? {})));
  throw new Error(
    `the policy dojo-student-mesh, the quota's status or the ServiceAccount of ${NS} is not ready after 90s (quota not counting: ${uncounted.join(', ') || 'none'})`,
  );
}

// ---------------------------------------------------------------- the katas' objects
/** The host of Alice's Gateway: the fixture's gatewayHost, "{namespace}.sentences.{course}.eficode.academy". */
interface Refusal {
  readonly name: string;
  readonly object: Record<string, any>;
  readonly namespace: string;
  readonly as: Identity;
  readonly by: string;
  /** Refused first by RBAC; sent again with RBAC out of the way, this layer refuses it. */
  readonly behindRbac?: string;
}

/** The pods of injected/, with what the runner strips (what a ReplicaSet would set) and a name. */
function injectedPod(file: string, name: string): Record<string, any> {
  const pod: any = load(fs.readFileSync(path.join(REPO_ROOT, 'test', 'cluster', 'mesh', 'injected', file), 'utf8'));
  const { namespace: _ns, ownerReferences: _owners, generateName: _generated, ...metadata } = pod.metadata;
  return { apiVersion: 'v1', kind: 'Pod', ...pod, metadata: { ...metadata, name }, status: undefined };
}

const REFUSALS = (): Refusal[] => [
  // The static corpus (test/security/mesh.ts), each refused by the layer it names.
  ...MESH_ATTACKS.map((attack) => ({
    name: attack.name,
    object: attack.request.object!,
    namespace: attack.request.namespace,
    as: serviceAccount(attack.request.username),
    by: attack.refusedFirstBy ?? attack.by,
    behindRbac: attack.refusedFirstBy ? attack.by : undefined,
  })),
  {
    name: 'VirtualService as Alice of course k8s (no mesh) in k8s-alice',
    object: {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'name-route' },
      spec: { hosts: ['name'], http: [{ route: [{ destination: { host: 'name' } }] }] },
    },
    namespace: 'k8s-alice',
    as: K8S_ALICE,
    by: 'RBAC',
  },
  {
    name: 'Pod as injected for sidecar.istio.io/interceptionMode TPROXY (NET_ADMIN, root)',
    object: injectedPod('injected-tproxy-pod.yaml', 'sentences-tproxy'),
    namespace: NS,
    as: ALICE,
    by: 'PodSecurity baseline',
  },
  {
    name: 'Pod as injected for IPTABLES_TRACE_LOGGING (privileged)',
    object: injectedPod('injected-iptrace-pod.yaml', 'sentences-iptrace'),
    namespace: NS,
    as: ALICE,
    by: 'PodSecurity baseline',
  },
];

async function admitted(): Promise<void> {
  for (const { kata, object } of MESH_KATA_OBJECTS) {
    const reply = await create(object, NS, ALICE);
    const layer = layerOf({ status: reply.status, message: messageOf(reply) });
    check(
      layer === 'admitted',
      `admitted ${object.kind} ${object.metadata.name}`,
      `${kata}; ${layer === 'admitted' ? 'admitted (dry run) as Alice' : `${layer}: ${messageOf(reply)}`}`,
    );
  }
}

async function refused(): Promise<void> {
  for (const r of REFUSALS()) {
    const reply = await create(r.object, r.namespace, r.as);
    const message = messageOf(reply);
    const layer = layerOf({ status: reply.status, message });
    let ok = layer === r.by;
    let detail = `${layer}: ${message}`;
    if (r.behindRbac) {
      const again = await create(r.object, r.namespace, withMasters(r.as));
      const behind = layerOf({ status: again.status, message: messageOf(again) });
      ok &&= behind === r.behindRbac;
      detail = `${layer} first; with RBAC out of the way (+system:masters) ${behind}: ${messageOf(again)}`;
    }
    check(ok, `refused ${r.name}`, `expected ${r.by}${r.behindRbac ? ` then ${r.behindRbac}` : ''}; ${detail}`);
  }
  // Out of the mesh: the injection label is the platform's.
  const label = run('kubectl', [
    'label',
    'namespace',
    NS,
    'istio-injection-',
    '--dry-run=server',
    `--as=${ALICE.user}`,
    ...ALICE.groups.map((g) => `--as-group=${g}`),
  ]);
  const text = `${label.stdout}${label.stderr}`.trim();
  const layer =
    label.status === 0 ? 'admitted' : /is forbidden: User ".*" cannot patch resource "namespaces"/.test(text) ? 'RBAC' : 'other';
  check(layer === 'RBAC', `refused kubectl label namespace ${NS} istio-injection-`, `expected RBAC; ${layer}: ${text}`);
}

// ---------------------------------------------------------------- for real
interface PodState {
  readonly name: string;
  readonly node?: string;
  readonly phase?: string;
}
async function podsOf(selector?: string): Promise<PodState[]> {
  const query = selector ? `?labelSelector=${encodeURIComponent(selector)}` : '';
  const reply = await call('GET', `/api/v1/namespaces/${NS}/pods${query}`);
  return (reply.body?.items ?? []).map((p: any) => ({ name: p.metadata.name, node: p.spec.nodeName, phase: p.status?.phase }));
}
const running = (p: PodState) => p.node === NODE && p.phase === 'Running';
const describe = (pods: PodState[]) =>
  pods.map((p) => `${p.name} on ${p.node ?? '(none)'} ${p.phase ?? '?'}`).join(', ') || 'none';

async function injectedForReal(): Promise<string[]> {
  const made: string[] = [];
  for (const [file, name] of [
    ['injected-app-pod.yaml', 'sentences-injected'],
    ['injected-gateway-pod.yaml', 'istio-ingressgateway-injected'],
  ]) {
    const reply = await create(injectedPod(file, name), NS, ALICE, false);
    const layer = layerOf({ status: reply.status, message: messageOf(reply) });
    check(
      layer === 'admitted',
      `created injected pod ${name}`,
      `${file} as Alice in ${NS}: ${layer === 'admitted' ? 'admitted' : `${layer}: ${messageOf(reply)}`}`,
    );
    if (layer === 'admitted') made.push(name);
  }
  return made;
}

async function waitRunning(names: string[], gateways: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  let pods: PodState[] = [];
  const gatewayPods = (gw: string) => pods.filter((p) => p.name.startsWith(`${gw}-`) && !names.includes(p.name));
  while (Date.now() < deadline) {
    pods = await podsOf();
    const allNamed = names.every((n) => pods.some((p) => p.name === n && running(p)));
    const allGateways = gateways.every((g) => gatewayPods(g).some(running));
    if (allNamed && allGateways) break;
    await sleep(500);
  }
  const took = `${((60_000 - (deadline - Date.now())) / 1000).toFixed(1)}s`;
  for (const n of names) {
    const p = pods.find((q) => q.name === n);
    check(
      !!p && running(p),
      `injected pod ${n} runs`,
      `bound to ${p?.node ?? '(none)'}, ${p?.phase ?? 'not there'} (within ${took})`,
    );
  }
  for (const g of gateways) {
    const own = gatewayPods(g);
    check(
      own.some(running),
      `Deployment ${g}: its pods run`,
      `made by the ReplicaSet controller: ${describe(own)} (within ${took}, limit 60s)`,
    );
  }
  if (pods.some((p) => !running(p))) {
    const events = await call('GET', `/api/v1/namespaces/${NS}/events?fieldSelector=type%3DWarning`);
    for (const e of events.body?.items ?? []) say(`event ${e.reason} ${e.involvedObject?.name}: ${e.message}`);
  }
}

/**
 * The EndpointSlice controller (kube-controller-manager, as its own ServiceAccount) writes each
 * Service's slices with the Service's labels (pkg/controller/endpointslice, reconciler): a dry run
 * of the slice it writes for each gateway Service. Without slices neither the shared proxy's route
 * nor istiod finds the gateway's pods.
 */
async function gatewayEndpointSlices(gateways: string[]): Promise<void> {
  const controller = serviceAccount('system:serviceaccount:kube-system:endpointslice-controller');
  for (const gateway of gateways) {
    const service = (await call('GET', `/api/v1/namespaces/${NS}/services/${gateway}`)).body;
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        generateName: `${gateway}-`,
        labels: {
          ...(service?.metadata?.labels ?? {}),
          'kubernetes.io/service-name': gateway,
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        },
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'Service',
            name: gateway,
            uid: service?.metadata?.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      addressType: 'IPv4',
      endpoints: [],
      ports: (service?.spec?.ports ?? []).map((p: any) => ({ name: p.name, port: p.targetPort, protocol: p.protocol })),
    };
    const reply = await call(
      'POST',
      `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices?dryRun=All&fieldManager=endpointslice-controller`,
      slice,
      controller,
    );
    const layer = layerOf({ status: reply.status, message: messageOf(reply) });
    check(
      layer === 'admitted',
      `EndpointSlice of Service ${gateway} written by the EndpointSlice controller`,
      `dry run with the Service's labels (${Object.keys(slice.metadata.labels).join(', ')}) as ${controller.user}: ${
        layer === 'admitted' ? 'admitted' : `${layer}: ${messageOf(reply)}`
      }`,
    );
  }
}

/**
 * What the observability tools' accounts may do, asked of the API server's own authorizer
 * (SubjectAccessReview): a student may run a pod under them, so they must hold nothing beyond
 * the namespace and nothing there the student's `admin` lacks.
 */
async function toolAccounts(): Promise<void> {
  const cases: { account: string; verb: string; resource: string; namespace: string; group?: string; allowed: boolean }[] = [
    { account: 'kiali', verb: 'list', resource: 'pods', namespace: NS, allowed: true },
    { account: 'kiali', verb: 'list', resource: 'virtualservices', group: 'networking.istio.io', namespace: NS, allowed: true },
    { account: 'kiali', verb: 'list', resource: 'envoyfilters', group: 'networking.istio.io', namespace: NS, allowed: true },
    { account: 'kiali', verb: 'get', resource: 'namespaces', namespace: NS, allowed: true },
    { account: 'kiali', verb: 'watch', resource: 'jobs', group: 'batch', namespace: NS, allowed: true },
    { account: 'kiali', verb: 'get', resource: 'secrets', namespace: NS, allowed: false },
    {
      account: 'kiali',
      verb: 'create',
      resource: 'virtualservices',
      group: 'networking.istio.io',
      namespace: NS,
      allowed: false,
    },
    { account: 'kiali', verb: 'list', resource: 'pods', namespace: 'mesh-bob', allowed: false },
    { account: 'kiali', verb: 'get', resource: 'configmaps', namespace: 'istio-system', allowed: false },
    { account: 'kiali', verb: 'create', resource: 'pods/portforward', namespace: 'istio-system', allowed: false },
    { account: 'kiali', verb: 'list', resource: 'namespaces', namespace: '', allowed: false },
    { account: 'prometheus', verb: 'list', resource: 'pods', namespace: NS, allowed: true },
    { account: 'prometheus', verb: 'list', resource: 'pods', namespace: 'mesh-bob', allowed: false },
    { account: 'prometheus', verb: 'list', resource: 'pods', namespace: '', allowed: false },
    { account: 'prometheus', verb: 'get', resource: 'secrets', namespace: NS, allowed: false },
    { account: 'jaeger', verb: 'list', resource: 'pods', namespace: NS, allowed: false },
  ];
  // Whatever the tools' accounts may, the student may (admin, and the mesh role's reading).
  for (const rule of [...kialiRules(), ...prometheusRules()])
    for (const group of rule.apiGroups)
      for (const resource of rule.resources)
        for (const verb of rule.verbs) cases.push({ account: 'student', verb, resource, group, namespace: NS, allowed: true });
  for (const c of cases) {
    const [resource, subresource] = c.resource.split('/');
    const student = c.account === 'student';
    const user = student ? `system:serviceaccount:mesh:ws-alice` : `system:serviceaccount:${NS}:${c.account}`;
    const userNamespace = student ? 'mesh' : NS;
    const reply = await call('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${userNamespace}`, 'system:authenticated'],
        resourceAttributes: {
          verb: c.verb,
          group: c.group ?? '',
          resource,
          ...(subresource ? { subresource } : {}),
          ...(c.namespace ? { namespace: c.namespace } : {}),
          ...(resource === 'namespaces' && c.namespace ? { name: c.namespace } : {}),
        },
      },
    });
    const allowed = reply.body?.status?.allowed === true;
    check(
      reply.status === 201 && allowed === c.allowed,
      `${c.account} ${c.allowed ? 'may' : 'may not'} ${c.verb} ${c.group ? `${c.group}/` : ''}${c.resource} in ${c.namespace || 'the cluster'}`,
      `SubjectAccessReview for ${user}: ${reply.status} allowed=${allowed}${reply.body?.status?.reason ? ` (${reply.body.status.reason})` : ''}`,
    );
  }
}

/**
 * The Prometheus configuration the cluster holds (the ConfigMap the tool's pod mounts), loaded
 * by Prometheus's own loader at the image's version (test/cluster/prometheus, through the Go
 * module proxy), and a copy with a misspelt field, which it must refuse: kwok runs no container.
 */
async function prometheusLoadsItsConfig(): Promise<void> {
  const configMap = await call('GET', `/api/v1/namespaces/${NS}/configmaps/prometheus`);
  const text = String(configMap.body?.data?.['prometheus.yml'] ?? '');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-prometheus-'));
  const file = path.join(dir, 'prometheus.yml');
  const misspelt = path.join(dir, 'misspelt.yml');
  fs.writeFileSync(file, text);
  fs.writeFileSync(misspelt, text.replace('own_namespace:', 'own_namespaces:'));
  const loaded = run('go', ['run', '.', file, misspelt], {
    cwd: path.join(REPO_ROOT, 'test', 'cluster', 'prometheus'),
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' },
  });
  const out = `${loaded.stdout}${loaded.stderr}`;
  check(
    text.includes('own_namespace: true') && out.includes(`ok ${file}`),
    `Prometheus ${MESH_OBSERVABILITY_IMAGES.prometheus.split(':')[1]} loads ${NS}'s prometheus.yml`,
    out.trim().split('\n')[0] || 'no output',
  );
  check(
    out.includes(`FAIL ${misspelt}`),
    'and refuses it with a misspelt field (own_namespaces)',
    out.split('\n').find((l) => l.startsWith(`FAIL ${misspelt}`)) ?? out.trim(),
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Warning events in the namespace that say a controller's write was refused by an admission policy. */
async function controllersRefused(): Promise<void> {
  const events = await call('GET', `/api/v1/namespaces/${NS}/events?fieldSelector=type%3DWarning`);
  const refused = (events.body?.items ?? []).filter((e: any) => /ValidatingAdmissionPolicy|violates PodSecurity/.test(e.message));
  const distinct = [
    ...new Set<string>(
      refused.map(
        (e: any) =>
          `${e.reason} ${e.involvedObject?.kind}/${e.involvedObject?.name}: ${String(e.message).replace(/"[a-z0-9-]+-[a-z0-9]{5}"/, '"<name>"')}`,
      ),
    ),
  ];
  check(
    distinct.length === 0,
    `no controller write in ${NS} refused by admission`,
    distinct.length === 0
      ? 'no Warning event names a policy or Pod Security'
      : `${refused.length} events: ${distinct.join(' | ')}`,
  );
}

/** A quota amount as a number: cores for CPU, bytes or a count for the rest. */
function quantity(key: string, value: string | number): number {
  return key.endsWith('.cpu') || key === 'cpu' ? parseCpu(String(value)) : parseBytes(String(value));
}

async function quotaHolds(): Promise<void> {
  // The quota controller recounts a moment after the pods appear: wait until it counts them all.
  let quota: any;
  let pods = 0;
  for (let i = 0; i < 100; i++) {
    pods = (await podsOf()).length;
    quota = (await call('GET', `/api/v1/namespaces/${NS}/resourcequotas/student-quota`)).body;
    if (Number(quota?.status?.used?.pods ?? -1) === pods) break;
    await sleep(200);
  }
  const hard: Record<string, string> = quota?.status?.hard ?? {};
  const used: Record<string, string> = quota?.status?.used ?? {};
  const over = Object.keys(hard).filter((k) => !(quantity(k, used[k] ?? 0) <= quantity(k, hard[k])));
  const shown = [
    'pods',
    'requests.cpu',
    'requests.memory',
    'limits.memory',
    'requests.ephemeral-storage',
    'limits.ephemeral-storage',
  ];
  check(
    Number(used.pods) === pods && over.length === 0,
    `ResourceQuota of ${NS} holds`,
    `${pods} pods counted ${used.pods}; ${shown.map((k) => `${k} ${used[k]}/${hard[k]}`).join(', ')}${
      over.length ? `; OVER: ${over.map((k) => `${k} ${used[k]}/${hard[k]}`).join(', ')}` : ''
    }`,
  );
}

async function main(): Promise<void> {
  say(`Istio ${ISTIO_VERSION}: CRDs from the Go module proxy`);
  await installIstioCrds();
  synthesizeAndApply();
  say('dist/lab applied');
  await createNode();
  await waitUntilReady();
  say(`ready: dojo-student-mesh enforced, ${NS}'s quota and ServiceAccount there`);

  await admitted();
  await refused();
  say('dry runs done; creating the injected pods for real');
  const made = await injectedForReal();
  await waitRunning(made, MESH_DEPLOYMENTS);
  await quotaHolds();
  await gatewayEndpointSlices(MESH_DEPLOYMENTS);
  await toolAccounts();
  await prometheusLoadsItsConfig();
  await controllersRefused();
  // Who else is on the node (the suite's node is the only one): for the record.
  const all = await call('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${NODE}`);
  say(`on ${NODE}: ${(all.body?.items ?? []).map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}`);
  finish();
}

main().catch((error) => {
  console.error(error);
  failed++;
  finish();
});
