import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { MESH_OBSERVABILITY_IMAGES } from '../lib/facts/versions';
import { courseSchema } from '../lib/input/schema/course';
import { parseBytes, parseCpu } from '../lib/input/schema/quantity';
import { LIMIT_RANGE_DEFAULTS } from '../lib/plan/admission/student-quota';
import {
  checkMesh,
  checkMeshVersions,
  INGRESS_GATEWAY,
  meshQuotaShare,
  planMeshAddons,
  planStudentMesh,
  PROXY_RESOURCES,
} from '../lib/plan/mesh/mesh';
import {
  MESH_KIALI_ROLE,
  MESH_PROMETHEUS_ROLE,
  OBSERVABILITY_PORTS,
  observabilityQuotaShare,
  TRACING_TELEMETRY,
} from '../lib/plan/mesh/observability';
import { ON_SYSTEM_NODES } from '../lib/plan/addons/addons';
import { synth } from '../lib/synth';
import { withFixturePasswords } from '../dev/fixture-passwords';
import { makeRepo, objectsOf, REPO_ROOT, type KubeObject } from './support/repo';
import { clusterSpec } from './support/specs';

const cluster = clusterSpec;
const course = (kubernetes: Record<string, unknown>) =>
  courseSchema.safeParse({ name: 'istio', cluster: 'c', students: ['Ada'], kubernetes });

describe('a mesh course, planned', () => {
  it("gives each student a mesh address on the course's content domain, and their gateway the kata's host", () => {
    const mesh = planStudentMesh(
      { gatewayHost: '{namespace}.sentences.{course}.eficode.academy', observability: false },
      { id: 'ada', namespace: 'istio-ada', apps: [] },
      { id: 'istio', contentDomain: 'dojo.example.net' },
    );
    expect(mesh.address).toBe('mesh-ada.istio.dojo.example.net');
    expect(mesh.ingress).toEqual({
      service: INGRESS_GATEWAY,
      port: 80,
      rewriteHost: 'istio-ada.sentences.istio.eficode.academy',
    });
    expect(mesh.namespaceLabels).toEqual({ 'istio-injection': 'enabled' });
    // The katas' Gateway selectors.
    expect(mesh.gateways.map((g) => g.labels)).toEqual([
      { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      { app: 'istio-egressgateway', istio: 'egressgateway' },
    ]);
    expect(mesh.observability).toBeUndefined();
    const plain = planStudentMesh(
      { observability: false },
      { id: 'ada', namespace: 'istio-ada', apps: [] },
      { id: 'istio', contentDomain: 'dojo.example.net' },
    );
    expect(plain.ingress.rewriteHost).toBeUndefined();
  });

  it('refuses a mesh beside a virtual cluster or without a namespace, at kubernetes.mesh', () => {
    const vcluster = course({ isolation: 'vcluster', mesh: {} });
    expect(vcluster.success).toBe(false);
    expect(vcluster.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'kubernetes.mesh',
        "needs namespace: true and isolation: namespace: the mesh's sidecars and gateways run in the student namespace",
      ],
    ]);
    expect(course({ namespace: false, mesh: {} }).success).toBe(false);
    expect(course({ mesh: {} }).success).toBe(true);
  });

  it('refuses an alb-mode cluster, an unknown placeholder and a host that is none, each with its fix', () => {
    const spec = (gatewayHost?: string) => course({ mesh: gatewayHost === undefined ? {} : { gatewayHost } }).data!;
    // Only the routing mode matters here.
    const gateway = cluster();
    const alb = { ...gateway, routing: { ...gateway.routing, mode: 'alb' } } as unknown as typeof gateway;
    expect(checkMesh('courses/istio.yaml', spec(), alb).map((p) => [p.at.path.join('.'), p.message])).toEqual([
      [
        'kubernetes.mesh',
        'needs a cluster in routing mode gateway (c is in alb mode): the mesh addresses are routes of the shared proxy',
      ],
    ]);
    expect(checkMesh('courses/istio.yaml', spec('{ns}.sentences.example.org'), cluster()).map((p) => p.message)).toEqual([
      '{ns} is not a placeholder of gatewayHost',
    ]);
    expect(checkMesh('courses/istio.yaml', spec('{namespace}_x'), cluster()).map((p) => p.message)).toEqual([
      '"{namespace}_x" does not fill in to a host name (lower case, digits, "-" and dots, two labels or more)',
    ]);
    expect(checkMesh('courses/istio.yaml', spec('{namespace}.sentences.{course}.eficode.academy'), cluster())).toEqual([]);
  });

  it("refuses Istio's charts pinned apart in a cluster file", () => {
    expect(checkMeshVersions('clusters/c.yaml', cluster({ versions: { istiod: '1.30.4' } })).map((p) => p.message)).toEqual([
      "Istio's charts are pinned apart (istioBase 1.30.3, istioCni 1.30.3, istiod 1.30.4)",
    ]);
    expect(
      checkMeshVersions('clusters/c.yaml', cluster({ versions: { istioBase: '1.30.4', istioCni: '1.30.4', istiod: '1.30.4' } })),
    ).toEqual([]);
  });

  it('installs istiod with CNI, gateways scoped to their namespace and exportTo kept at home, on the system nodes', () => {
    const addons = planMeshAddons(cluster(), ON_SYSTEM_NODES, []);
    expect(addons.map((a) => [a.name, a.syncWave])).toEqual([
      ['istio-base', 'crds'],
      ['istio-cni', 'addons'],
      ['istiod', 'addons'],
    ]);
    const istiod = addons[2].source as { values: any };
    expect(istiod.values.pilot).toMatchObject({
      cni: { enabled: true },
      env: { PILOT_SCOPE_GATEWAY_TO_NAMESPACE: 'true' },
      nodeSelector: ON_SYSTEM_NODES.nodeSelector,
    });
    expect(istiod.values.meshConfig).toMatchObject({
      defaultServiceExportTo: ['.'],
      defaultVirtualServiceExportTo: ['.'],
      defaultDestinationRuleExportTo: ['.'],
    });
    expect(istiod.values.global.tag).toBe('1.30.3');
    // No tracing provider without a student whose tools are on.
    expect(istiod.values.meshConfig.extensionProviders).toBeUndefined();
  });
});

describe('the istio-katas in a mesh namespace', () => {
  const result = synth(path.join(REPO_ROOT, 'test', 'fixtures', 'classroom'), { write: false });
  const objects: KubeObject[] = objectsOf(new Map(result.files.map((f) => [f.path, f.content]))).map((o) => o.object);
  const quota = objects.find((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === 'mesh-alice')!.spec.hard;

  it('add the gateways and the observability tools on top of the course quota', () => {
    const share = meshQuotaShare(true);
    expect(share.pods).toBe(5);
    expect(quota.pods).toBe(30 + share.pods);
    expect(parseCpu(String(quota['requests.cpu']))).toBeCloseTo(4 + share['requests.cpu']);
    expect(parseBytes(String(quota['limits.memory']))).toBe(parseBytes('8Gi') + share['limits.memory']);
    expect(quota['count/virtualservices.networking.istio.io']).toBe(20);
  });

  it('fit the heaviest exercise with a sidecar in every pod (02-deployment-patterns and 08-distributed-tracing: five pods)', () => {
    // Read at eficode-academy/istio-katas ab43909: three Deployments ask for 250m and 64Mi (limits
    // 500m, 128Mi), two ask for nothing and get the LimitRange's defaults.
    const sized = { cpu: 0.25, memory: parseBytes('64Mi'), limit: parseBytes('128Mi') };
    const unsized = {
      cpu: parseCpu(LIMIT_RANGE_DEFAULTS.defaultRequest.cpu),
      memory: parseBytes(LIMIT_RANGE_DEFAULTS.defaultRequest.memory),
      limit: parseBytes(LIMIT_RANGE_DEFAULTS.default.memory),
    };
    const sidecar = {
      cpu: parseCpu(PROXY_RESOURCES.requests.cpu),
      memory: parseBytes(PROXY_RESOURCES.requests.memory),
      limit: parseBytes(PROXY_RESOURCES.limits.memory),
    };
    const pods = [sized, sized, sized, unsized, unsized].map((p) => ({
      cpu: p.cpu + sidecar.cpu,
      memory: p.memory + sidecar.memory,
      limit: p.limit + sidecar.limit,
    }));
    const share = meshQuotaShare(true);
    const sum = (pick: (p: (typeof pods)[number]) => number) => pods.reduce((t, p) => t + pick(p), 0);
    expect(sum((p) => p.cpu) + share['requests.cpu']).toBeLessThanOrEqual(parseCpu(String(quota['requests.cpu'])));
    expect(sum((p) => p.memory) + share['requests.memory']).toBeLessThanOrEqual(parseBytes(String(quota['requests.memory'])));
    expect(sum((p) => p.limit) + share['limits.memory']).toBeLessThanOrEqual(parseBytes(String(quota['limits.memory'])));
    expect(pods.length + share.pods).toBeLessThanOrEqual(Number(quota.pods));
  });

  it("route the mesh address to the student's own ingress gateway, granted in their namespace only", () => {
    const route = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'mesh-alice')!;
    expect(route.metadata.namespace).toBe('mesh');
    expect(route.spec.hostnames).toEqual(['mesh-alice.mesh.lab.example.net']);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: INGRESS_GATEWAY, namespace: 'mesh-alice', port: 80 }]);
    const grants = objects.filter((o) => o.kind === 'ReferenceGrant');
    expect(grants.map((g) => [g.metadata.namespace, g.spec.to])).toEqual([
      ['mesh-alice', [{ group: '', kind: 'Service', name: INGRESS_GATEWAY }]],
      ['mesh-bob', [{ group: '', kind: 'Service', name: INGRESS_GATEWAY }]],
    ]);
  });

  it('let the sidecars reach istiod, and nothing more of the platform', () => {
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'mesh-alice' && o.spec.egress)!;
    const toIstiod = policy.spec.egress.filter((r: any) =>
      r.to?.some((t: any) => t.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'istio-system'),
    );
    expect(toIstiod).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } },
            podSelector: { matchLabels: { app: 'istiod' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 15012 }],
      },
    ]);
    const k8s = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'k8s-alice' && o.spec.egress)!;
    expect(JSON.stringify(k8s.spec.egress)).not.toContain('istio-system');
  });
});

describe("a mesh student's Kiali, Prometheus and Jaeger (istio-katas 00-08)", () => {
  const result = synth(path.join(REPO_ROOT, 'test', 'fixtures', 'classroom'), { write: false });
  const objects: KubeObject[] = objectsOf(new Map(result.files.map((f) => [f.path, f.content]))).map((o) => o.object);
  const inAlice = (kind: string) => objects.filter((o) => o.kind === kind && o.metadata.namespace === 'mesh-alice');
  const named = (kind: string, name: string) => inAlice(kind).find((o) => o.metadata.name === name)!;
  const config = (name: string, file: string) => load(named('ConfigMap', name).data[file]) as any;

  it("trace each namespace's requests to its own Jaeger, which the provider's Service and port reach", () => {
    const istiod = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'istiod')!;
    const providers = istiod.spec.source.helm.valuesObject.meshConfig.extensionProviders;
    expect(providers.map((p: any) => p.name)).toEqual(['jaeger-mesh-alice', 'jaeger-mesh-bob']);
    const telemetry = named('Telemetry', TRACING_TELEMETRY);
    expect(telemetry.spec).toEqual({ tracing: [{ providers: [{ name: 'jaeger-mesh-alice' }], randomSamplingPercentage: 100 }] });
    // After the quota's wave: the quota must count the kind first.
    expect(Number(telemetry.metadata.annotations?.['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(
      Number(named('ResourceQuota', 'student-quota').metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0),
    );
    const provider = providers.find((p: any) => p.name === 'jaeger-mesh-alice').zipkin;
    // `<namespace>/<host>`: istiod looks the host up in that namespace only, so Bob's ServiceEntry
    // claiming jaeger.mesh-alice.svc.cluster.local cannot make it ambiguous and turn Alice's tracing off.
    const jaeger = named('Service', 'jaeger');
    expect(provider.service).toBe(`mesh-alice/${jaeger.metadata.name}.mesh-alice.svc.cluster.local`);
    expect(jaeger.spec.ports.map((p: any) => p.port)).toContain(provider.port);
    // Jaeger receives Zipkin there, and nothing else.
    expect(config('jaeger', 'config.yaml').receivers).toEqual({ zipkin: { endpoint: `0.0.0.0:${provider.port}` } });
    // No course without a mesh has a provider.
    expect(providers.some((p: any) => p.name.startsWith('jaeger-k8s-'))).toBe(false);
  });

  it('have each tool look at its own namespace only', () => {
    const prometheus = config('prometheus', 'prometheus.yml');
    const discoveries = prometheus.scrape_configs.flatMap((job: any) => job.kubernetes_sd_configs ?? []);
    expect(discoveries.length).toBeGreaterThan(0);
    for (const discovery of discoveries) expect(discovery.namespaces).toEqual({ own_namespace: true });
    const kiali = config('kiali', 'config.yaml');
    expect(kiali.deployment).toMatchObject({
      cluster_wide_access: false,
      discovery_selectors: { default: [{ matchLabels: { 'kubernetes.io/metadata.name': 'mesh-alice' } }] },
      view_only_mode: true,
    });
    expect(kiali.external_services.istio.istio_api_enabled).toBe(false);
    expect(kiali.external_services.prometheus.url).toBe(`http://prometheus:${OBSERVABILITY_PORTS.prometheus}`);
    expect(kiali.external_services.tracing.external_url).toBe(`https://${OBSERVABILITY_PORTS.jaeger}-alice.mesh.lab.example.net`);
  });

  it("give their accounts nothing beyond the namespace, no Secret and no write, and Jaeger's no token", () => {
    const roles = objects.filter(
      (o) => o.kind === 'ClusterRole' && [MESH_KIALI_ROLE, MESH_PROMETHEUS_ROLE].includes(o.metadata.name),
    );
    expect(roles).toHaveLength(2);
    for (const role of roles)
      for (const rule of role.rules) {
        expect(rule.resources, role.metadata.name).not.toContain('secrets');
        // Port-forward to the namespace's own proxies (Kiali's Envoy tab) is the one create.
        const writes = rule.verbs.filter((v: string) => !['get', 'list', 'watch'].includes(v));
        expect(writes.length === 0 || (rule.resources.join() === 'pods/portforward' && writes.join() === 'create')).toBe(true);
      }
    const bindings = objects.filter(
      (o) =>
        (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && roles.some((r) => r.metadata.name === o.roleRef.name),
    );
    const described = (kind: string, namespace: string | undefined, subjects: unknown) =>
      `${kind} ${namespace} ${JSON.stringify(subjects)}`;
    expect(bindings.map((b) => described(b.kind, b.metadata.namespace, b.subjects)).sort()).toEqual(
      ['mesh-alice', 'mesh-bob']
        .flatMap((ns) =>
          ['kiali', 'prometheus'].map((sa) =>
            described('RoleBinding', ns, [{ kind: 'ServiceAccount', name: sa, namespace: ns }]),
          ),
        )
        .sort(),
    );
    expect(named('ServiceAccount', 'jaeger').automountServiceAccountToken).toBe(false);
  });

  it("serve each UI from a port of the tool's own container, probed there, outside the mesh", () => {
    for (const name of ['kiali', 'prometheus', 'jaeger']) {
      const deployment = named('Deployment', name);
      const pod = deployment.spec.template;
      expect(pod.metadata.labels['sidecar.istio.io/inject'], name).toBe('false');
      const [container] = pod.spec.containers;
      const containerPorts = container.ports.map((p: any) => p.containerPort);
      // The kubelet resolves a probe's port in its own container only.
      expect(containerPorts).toContain(container.readinessProbe.httpGet.port);
      expect(containerPorts).toContain(container.livenessProbe.httpGet.port);
      const service = named('Service', name);
      expect(
        Object.entries(service.spec.selector).every(([k, v]) => pod.metadata.labels[k] === v),
        name,
      ).toBe(true);
      for (const port of service.spec.ports) expect(containerPorts, `${name}:${port.port}`).toContain(port.targetPort);
      // The slip's port-forward: the UI's port is an app port of the course.
      expect(
        objects.some(
          (o) => o.kind === 'HTTPRoute' && o.spec.hostnames?.includes(`${service.spec.ports[0].port}-alice.mesh.lab.example.net`),
        ),
      ).toBe(true);
    }
  });

  it('add to the quota exactly what their pods ask for, the wait for Prometheus included, as the quota counts a pod', () => {
    // Kubernetes' quota counts a pod as the larger of its init containers and the sum of its
    // containers, per resource (pkg/quota/v1/evaluator/core/pods.go, PodUsageFunc).
    const podUsage = (spec: any, kind: 'requests' | 'limits') => {
      const of = (c: any, key: string) => {
        const value = c.resources?.[kind]?.[key];
        return value === undefined ? 0 : key === 'cpu' ? parseCpu(String(value)) : parseBytes(String(value));
      };
      const keys = kind === 'requests' ? ['cpu', 'memory', 'ephemeral-storage'] : ['memory', 'ephemeral-storage'];
      return Object.fromEntries(
        keys.map((key) => [
          key,
          Math.max(
            spec.containers.reduce((t: number, c: any) => t + of(c, key), 0),
            ...(spec.initContainers ?? []).map((c: any) => of(c, key)),
          ),
        ]),
      );
    };
    const tools = ['kiali', 'prometheus', 'jaeger'].map((name) => named('Deployment', name).spec.template.spec);
    expect(tools[0].initContainers).toHaveLength(1);
    const sum = (kind: 'requests' | 'limits', key: string) => tools.reduce((t, spec) => t + podUsage(spec, kind)[key], 0);
    const share = observabilityQuotaShare();
    expect(sum('requests', 'cpu')).toBeCloseTo(share['requests.cpu']);
    expect(sum('requests', 'memory')).toBe(share['requests.memory']);
    expect(sum('requests', 'ephemeral-storage')).toBe(share['requests.ephemeral-storage']);
    expect(sum('limits', 'memory')).toBe(share['limits.memory']);
    expect(sum('limits', 'ephemeral-storage')).toBe(share['limits.ephemeral-storage']);
  });

  it('are left out, with their ports, provider and quota, when the course turns them off', () => {
    const root = makeRepo(
      withFixturePasswords({
        'courses/mesh.yaml': [
          'name: mesh',
          'cluster: example',
          'students: [Alice]',
          'kubernetes:',
          '  mesh:',
          '    observability: false',
        ].join('\n'),
      }),
      { exampleCourses: false },
    );
    const off = synth(root, { write: false });
    expect(off.errors).toEqual([]);
    const offObjects = objectsOf(new Map(off.files.map((f) => [f.path, f.content]))).map((o) => o.object);
    expect(offObjects.filter((o) => o.kind === 'Telemetry' || (o.kind === 'Deployment' && o.metadata.name === 'kiali'))).toEqual(
      [],
    );
    const istiod = offObjects.find((o) => o.kind === 'Application' && o.metadata.name === 'istiod')!;
    expect(istiod.spec.source.helm.valuesObject.meshConfig.extensionProviders).toBeUndefined();
    expect(offObjects.some((o) => o.kind === 'HTTPRoute' && JSON.stringify(o.spec.hostnames ?? []).includes('20001-'))).toBe(
      false,
    );
    expect(meshQuotaShare(false).pods).toBe(2);
  });
});

describe("the real control plane's check of Prometheus's configuration (test/cluster/prometheus)", () => {
  it('loads it with the Prometheus of the image dojo runs (module v0.3XX.Y is Prometheus v3.XX.Y)', () => {
    const goMod = fs.readFileSync(path.join(REPO_ROOT, 'test', 'cluster', 'prometheus', 'go.mod'), 'utf8');
    const [, minor, patch] = /^require github\.com\/prometheus\/prometheus v0\.3(\d\d)\.(\d+)$/m.exec(goMod) ?? [];
    expect(minor, 'test/cluster/prometheus/go.mod requires github.com/prometheus/prometheus v0.3XX.Y').toBeDefined();
    expect(MESH_OBSERVABILITY_IMAGES.prometheus).toBe(`docker.io/prom/prometheus:v3.${Number(minor)}.${patch}`);
  });
});
