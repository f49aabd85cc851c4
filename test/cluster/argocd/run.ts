/**
 * argocd-katas on real control planes (issue 32: "ArgoCD install in a virtual cluster ...
 * admitted by the policies and scheduled"). vcluster itself is not built here (the Go module
 * proxy refuses github.com/loft-sh/vcluster), so the two halves run on two control planes:
 *
 *   DOJO_CLUSTER_KWOK=1 test/cluster/start.sh /tmp/argocd-work -- node bin/run.cjs test/cluster/argocd/run.ts
 *
 * A. Inside (the cluster start.sh gave us, standing for the student's virtual cluster, the
 *    student cluster-admin): the slip's install line, read from the virtual-clusters fixture's
 *    course file, run as written but for install.yaml, which comes from the Go module proxy
 *    (github.com/argoproj/argo-cd/v3 at lib/facts/versions.ts' ARGOCD.appVersion). Every object
 *    accepted, a kwok node runs the seven workloads' pods, argocd-server reads server.insecure
 *    from argocd-cmd-params-cm, the Application and ApplicationSet CRDs are Established.
 * B. Host (a second control plane, started here with start.sh, this bundle again with `host`): the
 *    fixture synthesized and its dist/example applied as ArgoCD would (apply-dist.sh, only the
 *    vcluster chart rendered: the other add-ons' webhooks have no pods here); in student
 *    ada-lovelace's namespace, what the virtual cluster's syncer (ServiceAccount vc-vcluster)
 *    would create for those pods: each pod read back from A translated as vcluster 0.36.1's
 *    pod translator does (see translatePod), the token Secrets (useSecretsForSATokens), the
 *    ConfigMaps, Secrets and Services they use, and CoreDNS's pod and Service. Each must be
 *    admitted by Pod Security baseline and dojo's policies, get the LimitRange's defaults, fit
 *    the ResourceQuota beside the control plane's own pod, and be Running on a kwok node of
 *    the students' pool.
 *
 * Prints `check: PASS|FAIL name: detail` per check and `N passed, M failed` last; exit 1 on a failure.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createInterface } from 'readline';
import { dump, load, loadAll } from 'js-yaml';
import { ARGOCD } from '../../../lib/facts/versions';
import { synth } from '../../../lib/synth';
import { COREDNS_RESOURCES, VIRTUAL_CLUSTER_RELEASE } from '../../../lib/plan/virtual-clusters/virtual-cluster';
import { REPO_ROOT } from '../../support/repo';

type Obj = Record<string, any>;
const t0 = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);
const results: { name: string; ok: boolean }[] = [];
const record = (name: string, ok: boolean, detail = '') => {
  results.push({ name, ok });
  console.log(`check: ${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const kubeconfig = process.env.KUBECONFIG;
if (!kubeconfig) {
  console.error('KUBECONFIG is not set: run under DOJO_CLUSTER_KWOK=1 test/cluster/start.sh WORK -- node bin/run.cjs test/cluster/argocd/run.ts');
  process.exit(2);
}
const work = path.dirname(kubeconfig);

function sh(cmd: string, args: readonly string[], input?: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(cmd, args, { input, encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
}
function kubectl(...args: string[]): string {
  const r = sh('kubectl', args);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}
const getJson = (...args: string[]): Obj => JSON.parse(kubectl('get', ...args, '-o', 'json'));
const applyAsAdmin = (objects: readonly Obj[]) =>
  sh('kubectl', ['apply', '-f', '-'], objects.map((o) => `---\n${dump(o)}`).join(''));

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'virtual-clusters');
const COURSE = 'argocd-katas';
const STUDENT = 'ada-lovelace';
const HOST_NS = `${COURSE}-${STUDENT}`;
const INNER_NS = 'argocd';
/** vcluster's suffix of every host name: the release (translate.VClusterName). */
const SUFFIX = VIRTUAL_CLUSTER_RELEASE;
const SYNCER = `system:serviceaccount:${HOST_NS}:vc-${VIRTUAL_CLUSTER_RELEASE}`;
/** The seven workloads of ArgoCD v3.4.4's install.yaml. */
const WORKLOADS = [
  'Deployment/argocd-applicationset-controller',
  'Deployment/argocd-dex-server',
  'Deployment/argocd-notifications-controller',
  'Deployment/argocd-redis',
  'Deployment/argocd-repo-server',
  'Deployment/argocd-server',
  'StatefulSet/argocd-application-controller',
];
const kwokNode = (name: string, labels: Record<string, string>): Obj => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok', ...labels },
  },
  status: {
    allocatable: { cpu: '32', memory: '128Gi', 'ephemeral-storage': '200Gi', pods: '110' },
    capacity: { cpu: '32', memory: '128Gi', 'ephemeral-storage': '200Gi', pods: '110' },
  },
});

// ---------------------------------------------------------------- A: inside the virtual cluster

/** The slip's install line: the fixture course's handout line that installs ArgoCD, its command in backticks. */
function installLine(): string {
  const course = load(fs.readFileSync(path.join(FIXTURE, 'courses', `${COURSE}.yaml`), 'utf8')) as Obj;
  const line = (course.handout as string[]).find((l) => l.includes('manifests/install.yaml'));
  const command = line && /`([^`]*manifests\/install\.yaml)`/.exec(line)?.[1];
  if (!command) throw new Error(`no handout line of ${COURSE} installs ArgoCD`);
  return command;
}

/** install.yaml of ARGOCD.appVersion from the Go module proxy (the module zip holds manifests/). */
function installYamlFromProxy(version: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-argocd-mod-'));
  const r = sh('go', ['mod', 'download', '-json', `github.com/argoproj/argo-cd/v3@${version}`], undefined, {
    ...process.env,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
  });
  fs.rmSync(tmp, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`go mod download github.com/argoproj/argo-cd/v3@${version}: ${r.stderr}${r.stdout}`);
  return path.join(JSON.parse(r.stdout).Dir, 'manifests', 'install.yaml');
}

async function inside(): Promise<Obj> {
  const version = ARGOCD.appVersion;
  const line = installLine();
  const url = `https://raw.githubusercontent.com/argoproj/argo-cd/${version}/manifests/install.yaml`;
  const expected =
    `kubectl create namespace argocd && kubectl -n argocd create configmap argocd-cmd-params-cm --from-literal=server.insecure=true && ` +
    `kubectl apply -n argocd --server-side --force-conflicts -f ${url}`;
  record('slip: the install line is the three commands, for ArgoCD ARGOCD.appVersion', line === expected, line);
  const file = installYamlFromProxy(version);
  const documents = (loadAll(fs.readFileSync(file, 'utf8')) as Obj[]).filter((d) => d?.kind);
  say(`install.yaml ${version} from the Go module proxy: ${file} (${documents.length} objects)`);

  // The slip's line as the student runs it, install.yaml read from the module instead of GitHub.
  const run = sh('sh', ['-c', line.replace(url, file)]);
  const applied = run.stdout.split('\n').filter((l) => / serverside-applied$/.test(l));
  record(
    'inside: the install line runs, every object of install.yaml accepted by server-side apply',
    run.status === 0 && applied.length === documents.length,
    `exit ${run.status}, ${applied.length} of ${documents.length} serverside-applied${run.stderr ? `; ${run.stderr.trim().slice(0, 600)}` : ''}`,
  );
  const params = getJson('configmap', 'argocd-cmd-params-cm', '-n', INNER_NS);
  record(
    'inside: argocd-cmd-params-cm keeps server.insecure=true after the apply',
    params.data?.['server.insecure'] === 'true',
    JSON.stringify(params.data ?? {}),
  );
  const server = getJson('deployment', 'argocd-server', '-n', INNER_NS);
  const env = server.spec.template.spec.containers.flatMap((c: Obj) => c.env ?? []) as Obj[];
  const insecure = env.find((e) => e.valueFrom?.configMapKeyRef?.key === 'server.insecure');
  record(
    "inside: argocd-server's Deployment reads server.insecure from argocd-cmd-params-cm",
    insecure?.valueFrom.configMapKeyRef.name === 'argocd-cmd-params-cm',
    insecure ? `${insecure.name} <- ${insecure.valueFrom.configMapKeyRef.name}/${insecure.valueFrom.configMapKeyRef.key}` : 'no env var',
  );

  for (const crd of ['applications.argoproj.io', 'applicationsets.argoproj.io', 'appprojects.argoproj.io']) {
    const w = sh('kubectl', ['wait', '--for=condition=Established', `crd/${crd}`, '--timeout=60s']);
    record(`inside: CRD ${crd} Established`, w.status === 0, (w.stderr || w.stdout).trim());
  }

  applyAsAdmin([kwokNode('inside-node', {})]);
  const pods = await waitRunning(INNER_NS, 7, 120_000);
  for (const workload of WORKLOADS) {
    const [kind, name] = workload.split('/');
    const owned = pods.filter((p) => ownerWorkload(p) === workload);
    record(
      `inside: ${kind} ${name}: its pod Running on the kwok node`,
      owned.length === 1 && owned[0].status?.phase === 'Running',
      owned.map((p) => `${p.metadata.name} ${p.status?.phase} on ${p.spec.nodeName ?? '-'}`).join(', ') || 'no pod',
    );
  }

  // What the syncer reads inside for the host side: the pods, the Services of their namespace,
  // the namespace's labels, the ConfigMaps and Secrets the pods use, and one token per pod.
  const services = getJson('services', '-n', INNER_NS).items as Obj[];
  const configMaps = getJson('configmaps', '-n', INNER_NS).items as Obj[];
  const secrets = getJson('secrets', '-n', INNER_NS).items as Obj[];
  const namespace = getJson('namespace', INNER_NS);
  const tokens: Record<string, string> = {};
  for (const pod of pods) {
    tokens[pod.metadata.name] = kubectl(
      'create',
      'token',
      pod.spec.serviceAccountName ?? 'default',
      '-n',
      INNER_NS,
      '--bound-object-kind=Pod',
      `--bound-object-name=${pod.metadata.name}`,
      `--bound-object-uid=${pod.metadata.uid}`,
      '--audience=https://kubernetes.default.svc.cluster.local',
      '--audience=https://kubernetes.default.svc',
      '--audience=https://kubernetes.default',
      '--duration=87600h',
    ).trim();
  }
  return { pods: pods.filter((p) => ownerWorkload(p)), services, configMaps, secrets, namespace, tokens };
}

/** `Deployment/<name>` or `StatefulSet/<name>` of a pod (a ReplicaSet's name less its hash). */
function ownerWorkload(pod: Obj): string | undefined {
  const owner = (pod.metadata.ownerReferences ?? []).find((o: Obj) => o.controller);
  if (!owner) return undefined;
  if (owner.kind === 'StatefulSet') return `StatefulSet/${owner.name}`;
  if (owner.kind === 'ReplicaSet') return `Deployment/${owner.name.replace(/-[a-z0-9]+$/, '')}`;
  return undefined;
}

async function waitRunning(ns: string, count: number, ms: number, selector?: string): Promise<Obj[]> {
  const until = Date.now() + ms;
  let pods: Obj[] = [];
  while (Date.now() < until) {
    pods = getJson('pods', '-n', ns, ...(selector ? ['-l', selector] : [])).items;
    if (pods.length >= count && pods.every((p) => p.status?.phase === 'Running')) break;
    await sleep(1000);
  }
  return pods;
}

// ---------------------------------------------------------------- vcluster 0.36.1's translation

/** pkg/util/translate/translate.go SafeConcatName. */
function safeConcatName(...parts: string[]): string {
  const full = parts.join('-');
  if (full.length <= 63) return full;
  const digest = createHash('sha256').update(full).digest('hex');
  return `${full.slice(0, 52)}-${digest.slice(0, 10)}`.replaceAll('.-', '-');
}
/** single_namespace.go SingleNamespaceHostName: every namespaced object's host name. */
const hostName = (name: string, namespace: string) => safeConcatName(name, 'x', namespace, 'x', SUFFIX);
/** single_namespace.go convertLabelKeyWithPrefix / HostLabelNamespace. */
const hostLabelNamespace = (key: string) =>
  safeConcatName('vcluster.loft.sh/ns-label', SUFFIX, 'x', createHash('sha256').update(key).digest('hex').slice(0, 10));
/** LabelsToTranslate of single_namespace.go: release, and vcluster's own. */
const TRANSLATED = ['release', 'vcluster.loft.sh/namespace', 'vcluster.loft.sh/managed-by', 'vcluster.loft.sh/controlled-by'];
const hostLabel = (key: string) =>
  TRANSLATED.includes(key)
    ? safeConcatName('vcluster.loft.sh/label', SUFFIX, 'x', createHash('sha256').update(key).digest('hex').slice(0, 10))
    : key;
function hostSelector(selector: Obj | undefined): Obj | undefined {
  if (!selector) return undefined;
  return {
    ...(selector.matchLabels
      ? { matchLabels: Object.fromEntries(Object.entries(selector.matchLabels).map(([k, v]) => [hostLabel(k), v])) }
      : {}),
    ...(selector.matchExpressions
      ? { matchExpressions: selector.matchExpressions.map((e: Obj) => ({ ...e, key: hostLabel(e.key) })) }
      : {}),
  };
}

/** The kubelet's service links (pkg/kubelet/envvars) as vcluster's buildEnvironmentVariables writes them. */
function serviceEnv(services: readonly Obj[], kubeIP: string, enabled: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of enabled ? services : []) {
    const ip = s.spec.clusterIP;
    if (!ip || ip === 'None') continue;
    const name = s.metadata.name.toUpperCase().replaceAll('-', '_');
    const [first] = s.spec.ports;
    env[`${name}_SERVICE_HOST`] = ip;
    env[`${name}_SERVICE_PORT`] = String(first.port);
    for (const p of s.spec.ports)
      if (p.name) env[`${name}_SERVICE_PORT_${p.name.toUpperCase().replaceAll('-', '_')}`] = String(p.port);
    env[`${name}_PORT`] = `${first.protocol.toLowerCase()}://${ip}:${first.port}`;
    for (const p of s.spec.ports) {
      const prefix = `${name}_PORT_${p.port}_${p.protocol.toUpperCase()}`;
      env[prefix] = `${p.protocol.toLowerCase()}://${ip}:${p.port}`;
      env[`${prefix}_PROTO`] = p.protocol.toLowerCase();
      env[`${prefix}_PORT`] = String(p.port);
      env[`${prefix}_ADDR`] = ip;
    }
  }
  // translator.go:980-992
  for (const [k, v] of Object.entries({
    KUBERNETES_PORT: 'tcp://IP:443',
    KUBERNETES_PORT_443_TCP: 'tcp://IP:443',
    KUBERNETES_PORT_443_TCP_ADDR: 'IP',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_SERVICE_HOST: 'IP',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
  }))
    env[k] = v.replaceAll('IP', kubeIP);
  return env;
}

/** translator.go translateFieldRef. */
function translateFieldRef(ref: Obj | undefined): void {
  if (!ref) return;
  const label = /^metadata\.labels\['(.+)'\]$/.exec(ref.fieldPath);
  if (label) {
    ref.fieldPath = `metadata.labels['${hostLabel(label[1])}']`;
    return;
  }
  const to: Record<string, string> = {
    'metadata.labels': 'vcluster.loft.sh/labels',
    'metadata.name': 'vcluster.loft.sh/object-name',
    'metadata.namespace': 'vcluster.loft.sh/object-namespace',
    'metadata.uid': 'vcluster.loft.sh/object-uid',
    'spec.serviceAccountName': 'vcluster.loft.sh/service-account-name',
  };
  if (to[ref.fieldPath]) ref.fieldPath = `metadata.annotations['${to[ref.fieldPath]}']`;
}

/** translator.go TranslateContainerEnv: the service links first, then the container's own env, names of ConfigMaps and Secrets mapped. */
function translateEnv(c: Obj, ns: string, links: Record<string, string>): void {
  const own = (c.env ?? []) as Obj[];
  for (const e of own) {
    translateFieldRef(e.valueFrom?.fieldRef);
    if (e.valueFrom?.configMapKeyRef?.name) e.valueFrom.configMapKeyRef.name = hostName(e.valueFrom.configMapKeyRef.name, ns);
    if (e.valueFrom?.secretKeyRef?.name) e.valueFrom.secretKeyRef.name = hostName(e.valueFrom.secretKeyRef.name, ns);
  }
  for (const f of (c.envFrom ?? []) as Obj[]) {
    if (f.configMapRef?.name) f.configMapRef.name = hostName(f.configMapRef.name, ns);
    if (f.secretRef?.name) f.secretRef.name = hostName(f.secretRef.name, ns);
  }
  const names = new Set(own.map((e) => e.name));
  const extra = Object.keys(links)
    .filter((k) => !names.has(k))
    .sort()
    .map((name) => ({ name, value: links[name] }));
  c.env = [...extra, ...own];
}

interface Translated {
  readonly pod: Obj;
  /** The token Secret vcluster makes before the pod (token/sa_token_secret.go SATokenSecret). */
  readonly tokenSecret?: Obj;
  /** Names (inside) of the ConfigMaps and Secrets the pod uses, which the syncer syncs. */
  readonly configMaps: Set<string>;
  readonly secrets: Set<string>;
}

/**
 * vcluster 0.36.1's pods translator (pkg/controllers/resources/pods/translate/translator.go
 * Translate) with dojo's values: sync.toHost.pods.useSecretsForSATokens, everything else the
 * chart's default (no ServiceAccount, PriorityClass or image translation, rewriteHosts on, no
 * enforced tolerations, no runtime class, the virtual scheduler off).
 */
function translatePod(vPod: Obj, inner: Obj, owner: Obj, kubeIP: string, dnsIP: string): Translated {
  const ns = vPod.metadata.namespace;
  const spec = structuredClone(vPod.spec) as Obj;
  const name = hostName(vPod.metadata.name, ns);
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  // A pod the syncer sees has no node yet (the virtual cluster has no scheduler); A's scheduler placed these.
  delete spec.nodeName;
  // translator.go:219-233: the workload ServiceAccount of the host, no token, no service links.
  delete spec.serviceAccount;
  spec.serviceAccountName = `vc-workload-${VIRTUAL_CLUSTER_RELEASE}`;
  spec.automountServiceAccountToken = false;
  spec.enableServiceLinks = false;
  // translator.go:246-249: neither toHost nor fromHost priority class sync: no class, no priority.
  delete spec.priorityClassName;
  delete spec.priority;
  // translator.go:259-311
  const labelsAnnotation = Object.entries(vPod.metadata.labels ?? {})
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .sort()
    .join('\n');
  const controller = (vPod.metadata.ownerReferences ?? []).find((o: Obj) => o.controller);
  const annotations: Record<string, string> = {
    ...(vPod.metadata.annotations ?? {}),
    // translate.go:133-151 addHostAnnotations
    'vcluster.loft.sh/object-name': vPod.metadata.name,
    'vcluster.loft.sh/object-uid': vPod.metadata.uid,
    'vcluster.loft.sh/object-host-name': name,
    'vcluster.loft.sh/object-host-namespace': HOST_NS,
    'vcluster.loft.sh/object-namespace': ns,
    'vcluster.loft.sh/object-kind': '/v1, Kind=Pod',
    'vcluster.loft.sh/service-account-name': vPod.spec.serviceAccountName ?? '',
    'vcluster.loft.sh/labels': labelsAnnotation,
    'cluster-autoscaler.kubernetes.io/safe-to-evict': String(Boolean(controller)),
  };
  if (vPod.metadata.ownerReferences?.length) {
    annotations['vcluster.loft.sh/owner-references'] = JSON.stringify(vPod.metadata.ownerReferences);
    const set = vPod.metadata.ownerReferences.find(
      (o: Obj) => o.apiVersion === 'apps/v1' && ['DaemonSet', 'Job', 'ReplicaSet', 'StatefulSet'].includes(o.kind),
    );
    if (set) annotations['vcluster.loft.sh/owner-set-kind'] = set.kind;
  }
  // labels.go HostLabelsMap (marker and namespace labels), translator.go:313-321 (the namespace's labels).
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(vPod.metadata.labels ?? {})) labels[hostLabel(k)] = v as string;
  labels['vcluster.loft.sh/managed-by'] = SUFFIX;
  labels['vcluster.loft.sh/namespace'] = ns;
  for (const [k, v] of Object.entries(inner.namespace.metadata.labels ?? {})) labels[hostLabelNamespace(k)] = v as string;

  // translator.go:326-335: the virtual cluster's API in /etc/hosts.
  spec.hostAliases = [
    ...(spec.hostAliases ?? []),
    { ip: kubeIP, hostnames: ['kubernetes.default.svc.cluster.local', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'] },
  ];
  // translator.go:753-803: ClusterFirst -> None with the virtual cluster's DNS.
  if (spec.dnsPolicy === 'ClusterFirst' || spec.dnsPolicy === 'ClusterFirstWithHostNet') {
    const existing = spec.dnsConfig ?? {};
    spec.dnsPolicy = 'None';
    spec.dnsConfig = {
      nameservers: [...new Set([dnsIP, ...(existing.nameservers ?? [])])],
      searches: [...new Set([`${ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local', ...(existing.searches ?? [])])],
      options: [{ name: 'ndots', value: '5' }],
    };
  }
  // translator.go:340-364: hostname; a subdomain (a StatefulSet's pod) becomes hosts.go's init container.
  if (!spec.hostname) spec.hostname = vPod.metadata.name.slice(0, 63).replaceAll('.', '-').replace(/-$/, '');
  if (spec.subdomain) {
    const fqdn = `${spec.hostname}.${spec.subdomain}.${ns}.svc.cluster.local`;
    spec.initContainers = [
      {
        name: 'vcluster-rewrite-hosts',
        // values.yaml sync.toHost.pods.rewriteHosts.initContainer (chart 0.36.1)
        image: 'mirror.gcr.io/library/alpine:3.20',
        command: ['sh'],
        args: ['-c', `sed -E -e 's/^(\\d+.\\d+.\\d+.\\d+\\s+)${spec.hostname}$/\\1 ${fqdn} ${spec.hostname}/' /etc/hosts > /hosts/hosts`],
        // coredns.go GetUserID/GetGroupID: 1001 when the syncer runs as root, as dojo's does.
        securityContext: {
          runAsUser: 1001,
          runAsGroup: 1001,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
          allowPrivilegeEscalation: false,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        resources: { limits: { cpu: '30m', memory: '64Mi' }, requests: { cpu: '30m', memory: '64Mi' } },
        volumeMounts: [{ mountPath: '/hosts', name: 'vcluster-rewrite-hosts' }],
      },
      ...(spec.initContainers ?? []).map((c: Obj) => ({
        ...c,
        volumeMounts: [...(c.volumeMounts ?? []), { mountPath: '/etc/hosts', name: 'vcluster-rewrite-hosts', subPath: 'hosts' }],
      })),
    ];
    spec.volumes = [...(spec.volumes ?? []), { name: 'vcluster-rewrite-hosts', emptyDir: {} }];
    spec.containers = spec.containers.map((c: Obj) => ({
      ...c,
      volumeMounts: [...(c.volumeMounts ?? []), { mountPath: '/etc/hosts', name: 'vcluster-rewrite-hosts', subPath: 'hosts' }],
    }));
    annotations['vcluster.loft.sh/hosts-rewritten'] = 'true';
    delete spec.subdomain;
  }
  // translator.go:372-392: env of every container, images as they are (no translateImage).
  const links = serviceEnv(inner.services, kubeIP, vPod.spec.enableServiceLinks !== false);
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    if (c.name === 'vcluster-rewrite-hosts') continue;
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
      if (f.secretRef?.name) secrets.add(f.secretRef.name);
    }
    translateEnv(c, ns, links);
  }
  for (const s of spec.imagePullSecrets ?? []) s.name = hostName(s.name, ns);
  // translator.go:476-555 translateVolumes, 557-671 translateProjectedVolume (useSecretsForSATokens).
  const tokenKeys: Record<string, string> = {};
  const tokenSecretName = hostName(`${vPod.metadata.name}-sa-token`, ns);
  for (const v of spec.volumes ?? []) {
    if (v.configMap) configMaps.add(v.configMap.name), (v.configMap.name = hostName(v.configMap.name, ns));
    if (v.secret) secrets.add(v.secret.secretName), (v.secret.secretName = hostName(v.secret.secretName, ns));
    if (v.persistentVolumeClaim) v.persistentVolumeClaim.claimName = hostName(v.persistentVolumeClaim.claimName, ns);
    for (const item of v.downwardAPI?.items ?? []) translateFieldRef(item.fieldRef);
    for (const source of v.projected?.sources ?? []) {
      if (source.secret) secrets.add(source.secret.name), (source.secret.name = hostName(source.secret.name, ns));
      if (source.configMap) configMaps.add(source.configMap.name), (source.configMap.name = hostName(source.configMap.name, ns));
      for (const item of source.downwardAPI?.items ?? []) translateFieldRef(item.fieldRef);
      if (source.serviceAccountToken) {
        tokenKeys[v.name] = inner.tokens[vPod.metadata.name];
        source.secret = { name: tokenSecretName, items: [{ key: v.name, path: source.serviceAccountToken.path, mode: 0o644 }] };
        delete source.serviceAccountToken;
      }
    }
  }
  // translator.go:424-444: the host's scheduler; anti-affinity terms limited to this virtual namespace.
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = spec.affinity?.[kind];
    if (!a) continue;
    const term = (t: Obj): Obj => {
      const out: Obj = { labelSelector: hostSelector(t.labelSelector), topologyKey: t.topologyKey };
      if (t.labelSelector) {
        // translatePodAffinityTerm: no namespaces and no namespaceSelector: this pod's namespace.
        out.labelSelector.matchLabels = { ...(out.labelSelector.matchLabels ?? {}), 'vcluster.loft.sh/namespace': ns };
        out.labelSelector.matchLabels['vcluster.loft.sh/managed-by'] = SUFFIX;
      }
      return out;
    };
    a.requiredDuringSchedulingIgnoredDuringExecution = a.requiredDuringSchedulingIgnoredDuringExecution?.map(term);
    a.preferredDuringSchedulingIgnoredDuringExecution = a.preferredDuringSchedulingIgnoredDuringExecution?.map((p: Obj) => ({
      weight: p.weight,
      podAffinityTerm: term(p.podAffinityTerm),
    }));
  }
  for (const t of spec.topologySpreadConstraints ?? []) {
    t.labelSelector = hostSelector(t.labelSelector);
    if (t.labelSelector)
      t.labelSelector.matchLabels = { ...(t.labelSelector.matchLabels ?? {}), 'vcluster.loft.sh/namespace': ns, 'vcluster.loft.sh/managed-by': SUFFIX };
  }
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: HOST_NS,
      labels,
      annotations,
      // translate.go:39-56 CopyObjectWithName, 185-208 GetOwnerReference: the vcluster Service owns what it syncs.
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Service', name: owner.metadata.name, uid: owner.metadata.uid, controller: Boolean(controller) },
      ],
    },
    spec,
  };
  const tokenSecret = Object.keys(tokenKeys).length
    ? {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: {
          name: tokenSecretName,
          namespace: HOST_NS,
          annotations: { 'vcluster.loft.sh/skip-backsync': 'true' },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: owner.metadata.name, uid: owner.metadata.uid, controller: false }],
        },
        stringData: tokenKeys,
      }
    : undefined;
  return { pod, tokenSecret, configMaps, secrets };
}

/** A ConfigMap, Secret or Service of the virtual namespace as the generic syncer writes it on the host. */
function syncedObject(v: Obj, owner: Obj): Obj {
  const ns = v.metadata.namespace;
  const o: Obj = {
    apiVersion: v.apiVersion,
    kind: v.kind,
    metadata: {
      name: hostName(v.metadata.name, ns),
      namespace: HOST_NS,
      labels: {
        ...Object.fromEntries(Object.entries(v.metadata.labels ?? {}).map(([k, val]) => [hostLabel(k), val])),
        'vcluster.loft.sh/managed-by': SUFFIX,
        'vcluster.loft.sh/namespace': ns,
      },
      annotations: {
        ...Object.fromEntries(
          Object.entries(v.metadata.annotations ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'),
        ),
        'vcluster.loft.sh/object-name': v.metadata.name,
        'vcluster.loft.sh/object-namespace': ns,
        'vcluster.loft.sh/object-uid': v.metadata.uid,
        'vcluster.loft.sh/object-host-name': hostName(v.metadata.name, ns),
        'vcluster.loft.sh/object-host-namespace': HOST_NS,
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: owner.metadata.name, uid: owner.metadata.uid, controller: false }],
    },
  };
  if (v.kind === 'Service') {
    // services' translation: selector to host labels, the cluster IP the host allocates.
    o.spec = {
      type: v.spec.type,
      ports: v.spec.ports.map((p: Obj) => ({ ...p, nodePort: undefined })),
      ...(v.spec.selector
        ? {
            selector: {
              ...Object.fromEntries(Object.entries(v.spec.selector).map(([k, val]) => [hostLabel(k), val])),
              'vcluster.loft.sh/managed-by': SUFFIX,
              'vcluster.loft.sh/namespace': ns,
            },
          }
        : {}),
      ...(v.spec.clusterIP === 'None' ? { clusterIP: 'None' } : {}),
    };
  } else {
    if (v.type) o.type = v.type;
    if (v.data) o.data = v.data;
    if (v.binaryData) o.binaryData = v.binaryData;
  }
  return JSON.parse(JSON.stringify(o));
}

// ---------------------------------------------------------------- B: the host

/** Create as the syncer: the server's verdict (stderr on refusal) and its warnings. */
function createAsSyncer(o: Obj): { ok: boolean; message: string } {
  const r = sh('kubectl', ['create', `--as=${SYNCER}`, '-f', '-', '-o', 'name'], JSON.stringify(o));
  return { ok: r.status === 0, message: (r.stderr || '').trim() };
}

function synthesizeAndApply(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-argocd-host-'));
  const result = synth(FIXTURE, { write: false });
  if (result.errors.length > 0) throw new Error(`synth of ${FIXTURE} failed:\n${result.errors.join('\n')}`);
  for (const file of result.files) {
    const target = path.join(dir, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
  // Only the vcluster chart and the folders that hold CRDs dist's objects use (Traefik's chart,
  // whose crds/ the Middlewares need, and the Gateway API's) are rendered: the other add-ons'
  // webhooks would have no pods here and refuse Services before dojo's policies are asked; their
  // CRDs come from DOJO_CRDS_DIR.
  const charts = path.join(dir, 'charts');
  fs.mkdirSync(charts);
  const shared = process.env.DOJO_CHARTS_DIR ?? path.join(REPO_ROOT, '..', 'shared', 'charts');
  for (const entry of fs.readdirSync(shared).filter((e) => /^(vcluster|traefik|gateway-api)-/.test(e)))
    fs.symlinkSync(path.join(shared, entry), path.join(charts, entry));
  say(`synthesized ${path.relative(REPO_ROOT, FIXTURE)} (${result.files.length} files) into ${dir}; applying dist/example`);
  const applied = sh(path.join(REPO_ROOT, 'test', 'cluster', 'apply-dist.sh'), [path.join(dir, 'dist', 'example')], undefined, {
    ...process.env,
    DOJO_ADDONS: '1',
    DOJO_CHARTS_DIR: charts,
    DOJO_SETTLE_SECONDS: '0',
    DOJO_APPLY_OUT: path.join(work, 'apply'),
  });
  const lines = `${applied.stdout}${applied.stderr}`.split('\n');
  for (const line of lines) if (/^(== applied|-- refused|render: )/.test(line)) say(`apply-dist: ${line}`);
  const refused = lines.filter((l) => /^-- refused/.test(l));
  record('host: the fixture dist/example (with the vcluster chart) applied as ArgoCD would, nothing refused', applied.status === 0 && refused.length === 0, refused.join('; ').slice(0, 600));
  if (applied.status !== 0) {
    console.error(lines.slice(-40).join('\n'));
    throw new Error(`apply-dist.sh exited ${applied.status}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Until the policies judge the syncer, the quota has a status and the ServiceAccounts exist. */
async function waitUntilReady(): Promise<void> {
  const probe = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'probe', namespace: HOST_NS },
    spec: { serviceAccountName: `vc-workload-${VIRTUAL_CLUSTER_RELEASE}`, runtimeClassName: 'sysbox-runc', containers: [{ name: 'c', image: 'nginx:1.27' }] },
  };
  for (let i = 0; i < 300; i++) {
    const quota = sh('kubectl', ['get', 'resourcequota', 'student-quota', '-n', HOST_NS, '-o', 'jsonpath={.status.hard.pods}']).stdout;
    const accounts = ['default', `vc-${VIRTUAL_CLUSTER_RELEASE}`, `vc-workload-${VIRTUAL_CLUSTER_RELEASE}`].every(
      (a) => sh('kubectl', ['get', 'serviceaccount', a, '-n', HOST_NS]).status === 0,
    );
    const r = sh('kubectl', ['create', '--dry-run=server', `--as=${SYNCER}`, '-f', '-'], JSON.stringify(probe));
    if (quota && accounts && /ValidatingAdmissionPolicy/.test(r.stderr)) return;
    await sleep(200);
  }
  throw new Error('the policies, quota or ServiceAccounts are not ready after 60s');
}

async function host(innerFile: string): Promise<void> {
  const inner = JSON.parse(fs.readFileSync(innerFile, 'utf8')) as Obj;
  synthesizeAndApply();
  await waitUntilReady();
  say('policies, quota and ServiceAccounts ready');
  // The students' pool, as Karpenter would make a node of it (platform/student-node-pool.yaml: no taints).
  applyAsAdmin([kwokNode('students-node', { 'dojo.training/pool': 'students' })]);

  const owner = getJson('service', VIRTUAL_CLUSTER_RELEASE, '-n', HOST_NS);
  const kubeIP = owner.spec.clusterIP;
  // The virtual cluster's own share: its control plane (the chart's StatefulSet, made by the
  // controller) and CoreDNS, a Deployment inside whose pod and Service the syncer makes here.
  const controlPlane = await waitFor(() =>
    sh('kubectl', ['get', 'pod', `${VIRTUAL_CLUSTER_RELEASE}-0`, '-n', HOST_NS, '-o', 'name']).status === 0, 30_000);
  record("host: the virtual cluster's control plane pod exists (its quota share)", controlPlane, `${VIRTUAL_CLUSTER_RELEASE}-0`);
  // The control plane's claim gets a volume as the EBS provisioner would give one.
  for (const claim of getJson('persistentvolumeclaims', '-n', HOST_NS).items as Obj[])
    applyAsAdmin([
      {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: `${HOST_NS}-${claim.metadata.name}` },
        spec: {
          capacity: { storage: claim.spec.resources.requests.storage },
          accessModes: claim.spec.accessModes,
          storageClassName: claim.spec.storageClassName,
          hostPath: { path: `/tmp/${HOST_NS}` },
          claimRef: { namespace: HOST_NS, name: claim.metadata.name },
        },
      },
    ]);
  const dnsService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: hostName('kube-dns', 'kube-system'), namespace: HOST_NS, labels: { 'vcluster.loft.sh/managed-by': SUFFIX, 'vcluster.loft.sh/namespace': 'kube-system' } },
    spec: {
      selector: { 'k8s-app': 'vcluster-kube-dns', 'vcluster.loft.sh/managed-by': SUFFIX, 'vcluster.loft.sh/namespace': 'kube-system' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 1053 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 1053 },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ],
    },
  };
  const dns = createAsSyncer(dnsService);
  record("host: CoreDNS's Service admitted as the syncer", dns.ok, dns.message);
  const dnsIP = dns.ok ? getJson('service', dnsService.metadata.name, '-n', HOST_NS).spec.clusterIP : '10.96.0.10';
  // CoreDNS's pod: pkg/coredns/template.go's Deployment with dojo's resources (COREDNS_RESOURCES),
  // trimmed to what the host's policies judge (no token, vcluster's security defaults).
  const corednsPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: hostName('coredns-0', 'kube-system'),
      namespace: HOST_NS,
      labels: { 'k8s-app': 'vcluster-kube-dns', 'vcluster.loft.sh/managed-by': SUFFIX, 'vcluster.loft.sh/namespace': 'kube-system' },
    },
    spec: {
      serviceAccountName: `vc-workload-${VIRTUAL_CLUSTER_RELEASE}`,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      containers: [
        {
          name: 'coredns',
          image: 'coredns/coredns:1.12.1',
          args: ['-conf', '/etc/coredns/Corefile'],
          resources: COREDNS_RESOURCES,
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001 },
        },
      ],
    },
  };
  const coredns = createAsSyncer(corednsPod);
  record("host: CoreDNS's pod admitted as the syncer", coredns.ok, coredns.message);

  // ArgoCD: Services, used ConfigMaps and Secrets, then per pod its token Secret and the pod.
  const translated = (inner.pods as Obj[]).map((p) => ({ workload: ownerWorkload(p)!, ...translatePod(p, inner, owner, kubeIP, dnsIP) }));
  const usedConfigMaps = new Set(translated.flatMap((t) => [...t.configMaps]));
  const usedSecrets = new Set(translated.flatMap((t) => [...t.secrets]));
  const synced: Obj[] = [
    ...(inner.services as Obj[]).map((s) => ({ ...s, apiVersion: 'v1', kind: 'Service' })),
    ...(inner.configMaps as Obj[]).filter((c) => usedConfigMaps.has(c.metadata.name)).map((c) => ({ ...c, apiVersion: 'v1', kind: 'ConfigMap' })),
    ...(inner.secrets as Obj[]).filter((s) => usedSecrets.has(s.metadata.name)).map((s) => ({ ...s, apiVersion: 'v1', kind: 'Secret' })),
  ];
  const refusedSynced: string[] = [];
  for (const v of synced) {
    const r = createAsSyncer(syncedObject(v, owner));
    if (!r.ok) refusedSynced.push(`${v.kind} ${v.metadata.name}: ${r.message}`);
  }
  record(
    `host: ArgoCD's ${inner.services.length} Services and the ${synced.length - inner.services.length} ConfigMaps and Secrets its pods use admitted as the syncer`,
    refusedSynced.length === 0,
    refusedSynced.join('; ').slice(0, 800),
  );
  const limitRange = getJson('limitrange', 'student-defaults', '-n', HOST_NS).spec.limits[0];
  for (const t of translated) {
    if (t.tokenSecret) {
      const s = createAsSyncer(t.tokenSecret);
      if (!s.ok) {
        record(`host: ${t.workload}: its token Secret admitted as the syncer`, false, s.message);
        continue;
      }
    }
    const r = createAsSyncer(t.pod);
    record(`host: ${t.workload}: its pod admitted as the syncer (Pod Security baseline, dojo's policies, quota)`, r.ok, r.message || t.pod.metadata.name);
    if (!r.ok) continue;
    const live = getJson('pod', t.pod.metadata.name, '-n', HOST_NS);
    // The LimitRange's defaults where ArgoCD sets none (every container of install.yaml).
    const wrong = [...live.spec.containers, ...(live.spec.initContainers ?? [])]
      .filter((c: Obj) => c.name !== 'vcluster-rewrite-hosts')
      .filter(
        (c: Obj) =>
          c.resources?.requests?.cpu !== limitRange.defaultRequest.cpu ||
          c.resources?.requests?.memory !== limitRange.defaultRequest.memory ||
          c.resources?.requests?.['ephemeral-storage'] !== limitRange.defaultRequest['ephemeral-storage'] ||
          c.resources?.limits?.memory !== limitRange.default.memory ||
          c.resources?.limits?.['ephemeral-storage'] !== limitRange.default['ephemeral-storage'],
      )
      .map((c: Obj) => `${c.name}: ${JSON.stringify(c.resources)}`);
    record(`host: ${t.workload}: the LimitRange's defaults on every container`, wrong.length === 0, wrong.join('; '));
  }

  const quota = getJson('resourcequota', 'student-quota', '-n', HOST_NS);
  const keys = ['pods', 'requests.cpu', 'requests.memory', 'limits.memory', 'requests.ephemeral-storage', 'limits.ephemeral-storage', 'services', 'configmaps', 'secrets'];
  say(`quota ${HOST_NS}: ${keys.map((k) => `${k} ${quota.status?.used?.[k]}/${quota.status?.hard?.[k]}`).join(', ')}`);

  const pods = await waitRunning(HOST_NS, translated.length + 1, 90_000, 'vcluster.loft.sh/managed-by=' + SUFFIX);
  for (const t of translated) {
    const p = pods.find((x) => x.metadata.name === t.pod.metadata.name);
    record(
      `host: ${t.workload}: its pod scheduled and Running on the students' kwok node`,
      p?.status?.phase === 'Running' && p.spec.nodeName === 'students-node',
      p ? `${p.metadata.name} ${p.status?.phase} on ${p.spec.nodeName ?? '-'}` : 'not created',
    );
  }
  const dnsPod = pods.find((x) => x.metadata.name === corednsPod.metadata.name);
  record("host: CoreDNS's pod Running on the students' kwok node", dnsPod?.status?.phase === 'Running', dnsPod?.status?.phase ?? 'not created');
  await waitFor(() => getJson('pod', `${VIRTUAL_CLUSTER_RELEASE}-0`, '-n', HOST_NS).status?.phase === 'Running', 30_000);
  const cp = getJson('pod', `${VIRTUAL_CLUSTER_RELEASE}-0`, '-n', HOST_NS);
  record(
    "host: the virtual cluster's control plane pod Running on the students' kwok node",
    cp.status?.phase === 'Running' && cp.spec.nodeName === 'students-node',
    `${cp.status?.phase} on ${cp.spec.nodeName ?? '-'}`,
  );
  // Pods only: kwok's loopback pod addresses make every Service's EndpointSlice invalid here (README).
  const events = (getJson('events', '-n', HOST_NS, '--field-selector=type=Warning').items as Obj[]).filter(
    (e) => e.involvedObject.kind === 'Pod',
  );
  for (const e of events) say(`event ${e.involvedObject.kind}/${e.involvedObject.name}: ${e.reason}: ${e.message}`);
}

async function waitFor(test: () => boolean, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(500)) if (test()) return true;
  return test();
}

// ---------------------------------------------------------------- main
async function main(): Promise<void> {
  if (process.argv[2] === 'host') {
    await host(process.argv[3]);
  } else {
    const inner = await inside();
    const file = path.join(work, 'argocd-inside.json');
    fs.writeFileSync(file, JSON.stringify(inner));
    say(`inside done; ${inner.pods.length} pods written to ${file}; starting the host control plane`);
    // The host: a second control plane (kwok too), this file again in `host` mode.
    const hostWork = path.join(work, 'host');
    const child = spawn(
      path.join(REPO_ROOT, 'test', 'cluster', 'start.sh'),
      [hostWork, '--', process.execPath, process.argv[1], 'host', file],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DOJO_CLUSTER_KWOK: '1' } },
    );
    let hostFailed = false;
    for await (const line of createInterface({ input: child.stdout })) {
      const m = /^check: (PASS|FAIL) /.exec(line);
      if (m) results.push({ name: line, ok: m[1] === 'PASS' }), (hostFailed ||= m[1] === 'FAIL');
      console.log(line);
    }
    const status: number = child.exitCode ?? (await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1))));
    if (status !== 0 && !hostFailed) record('host: the host run completed', false, `exit ${status}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  if (process.argv[2] !== 'host') console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
