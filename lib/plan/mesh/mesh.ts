/**
 * The service mesh of a course (`kubernetes.mesh`, istio-katas): Istio 1.30 as platform add-ons,
 * and in each student's namespace the sidecars and two gateways of their own.
 *
 * Why each student's gateways are their own, not one shared gateway: istiod runs with
 * PILOT_SCOPE_GATEWAY_TO_NAMESPACE, so a Gateway object selects gateway pods of its own namespace
 * only, and with every exportTo defaulting to, and held by admission at, the own namespace, no
 * VirtualService, DestinationRule or ServiceEntry of a student reaches another's sidecars or
 * gateways. A shared gateway would see every student's routes, and a student's Gateway could
 * bind any host on it. The katas' Gateways select `istio: ingressgateway` and
 * `istio: egressgateway`: the labels of the gateways here.
 *
 * Why istio-cni: without it the injector adds an init container with NET_ADMIN and NET_RAW,
 * which Pod Security `baseline` refuses. With it, a node agent (the platform's) sets up each
 * pod's redirection, and the injected containers ask for no capability.
 */
import type { ClusterSpec } from '../../input/schema/cluster';
import type { CourseSpec } from '../../input/schema/course';
import type { Problem } from '../../common/problems';
import { CHARTS } from '../../facts/versions';
import { parseBytes, parseCpu } from '../../input/schema/quantity';
import { LIMIT_RANGE_DEFAULTS } from '../admission/student-quota';
import { courseDomain } from '../routing/hosts';
import type { AddonPlan, IgnoredDifference } from '../model/addons';
import type { EgressRule } from '../model/network';
import type { ClusterMeshPlan, MeshGatewayPlan, MeshRolePlan, StudentMeshPlan } from '../model/mesh';
import {
  kialiRules,
  MESH_KIALI_ROLE,
  MESH_READ_GROUPS,
  MESH_PROMETHEUS_ROLE,
  observabilityQuotaShare,
  planStudentObservability,
  prometheusRules,
  tracingProviders,
} from './observability';

/** Istio's own names, read at istio/istio 1.30.3 (manifests/charts, pilot/pkg). */
export const ISTIO = {
  /** The namespace of istiod and istio-cni (the charts' default). */
  namespace: 'istio-system',
  /** The label the injector's webhook selects namespaces by (istiod chart, sidecarInjectorWebhook). */
  injectionLabel: { key: 'istio-injection', value: 'enabled' },
  /** istiod's pods (istiod chart, templates/deployment.yaml). */
  istiodLabels: { app: 'istiod' },
  /** XDS and certificates over mTLS: what a sidecar's or gateway's agent dials (istiod Service, port 15012). */
  istiodPort: 15012,
  /** The injector's annotation that picks its `gateway` template: the proxy becomes the pod's one container. */
  gatewayTemplateAnnotation: { key: 'inject.istio.io/templates', value: 'gateway' },
  /** The pod label that asks the injector for a proxy (istio/api label/labels.yaml). */
  injectLabel: { key: 'sidecar.istio.io/inject', value: 'true' },
} as const;

/** The ClusterRole a mesh student gets in their namespace: the Istio kinds the katas write. */
export const MESH_STUDENT_ROLE = 'dojo-mesh-student';
/** The ClusterRole each gateway's account gets in the student's namespace: its Secrets. */
export const MESH_GATEWAY_ROLE = 'dojo-mesh-gateway';

/**
 * The Istio kinds a student may write, by API group. Not EnvoyFilter and WasmPlugin (raw proxy
 * configuration and code fetched by the agent: no kata uses them), nor WorkloadEntry,
 * WorkloadGroup and ProxyConfig (none either).
 */
export const MESH_STUDENT_KINDS = {
  'networking.istio.io': ['virtualservices', 'destinationrules', 'gateways', 'serviceentries', 'sidecars'],
  'security.istio.io': ['peerauthentications', 'authorizationpolicies', 'requestauthentications'],
  'telemetry.istio.io': ['telemetries'],
} as const;

/** The Istio kinds no student gets, by API group; admission refuses them too (lib/plan/admission/admission.ts). */
export const MESH_REFUSED_KINDS = {
  'networking.istio.io': ['envoyfilters', 'workloadentries', 'workloadgroups', 'proxyconfigs'],
  'extensions.istio.io': ['wasmplugins', 'trafficextensions'],
} as const;

/** A Kubernetes Service's own exportTo, comma-separated (istio/api annotation/annotations.yaml). */
export const SERVICE_EXPORT_ANNOTATION = 'networking.istio.io/exportTo';

/** The kinds whose `exportTo` admission holds at the own namespace. */
export const EXPORTED_KINDS = ['virtualservices', 'destinationrules', 'serviceentries'] as const;

/** Counts per student namespace: a few times what the heaviest kata writes. */
export const MESH_OBJECT_COUNTS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(MESH_STUDENT_KINDS).flatMap(([group, kinds]) => kinds.map((kind) => [`count/${kind}.${group}`, 20])),
);

/**
 * What a proxy asks for: each sidecar and each gateway. Istio's default (100m, 128Mi, limits 2
 * CPU and 1Gi) would take a third of a student's CPU quota for the katas' six pods; an idle
 * Envoy of a kata's size uses some 30-50Mi.
 */
export const PROXY_RESOURCES = {
  requests: { cpu: '20m', memory: '64Mi' },
  limits: { memory: '256Mi' },
} as const;

/** The host label of a student's mesh address: `mesh-<student>.<course>.<contentDomain>`. */
export const MESH_HOST_PREFIX = 'mesh';

const GATEWAYS: readonly Omit<MeshGatewayPlan, 'resources'>[] = [
  {
    name: 'istio-ingressgateway',
    labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
    ports: [
      { name: 'http2', port: 80 },
      { name: 'https', port: 443 },
    ],
  },
  {
    name: 'istio-egressgateway',
    labels: { app: 'istio-egressgateway', istio: 'egressgateway' },
    ports: [
      { name: 'http2', port: 80 },
      { name: 'https', port: 443 },
    ],
  },
];

/** The name of a student's ingress gateway Service, which their mesh address reaches. */
export const INGRESS_GATEWAY = GATEWAYS[0].name;

/**
 * What the mesh adds to a student's quota: the gateways' pods, Services, Deployments, accounts
 * and RBAC, and their proxies (with the LimitRange's disk defaults, as they set none).
 */
export function meshQuotaShare(observability: boolean): Record<string, number> {
  const n = GATEWAYS.length;
  const gateways: Record<string, number> = {
    pods: n,
    services: n,
    'count/deployments.apps': n,
    // A rollout's new and old ReplicaSet, for a moment (no revision is kept: StudentMesh).
    'count/replicasets.apps': 2 * n,
    'count/serviceaccounts': n,
    // KEDA's, one per gateway, for the class schedule.
    'count/horizontalpodautoscalers.autoscaling': n,
    // Each gateway's binding (its Secrets), and the student's binding of the mesh role.
    'count/rolebindings.rbac.authorization.k8s.io': n + 1,
    'requests.cpu': n * parseCpu(PROXY_RESOURCES.requests.cpu),
    'requests.memory': n * parseBytes(PROXY_RESOURCES.requests.memory),
    'limits.memory': n * parseBytes(PROXY_RESOURCES.limits.memory),
    'requests.ephemeral-storage': n * parseBytes(LIMIT_RANGE_DEFAULTS.defaultRequest['ephemeral-storage']),
    'limits.ephemeral-storage': n * parseBytes(LIMIT_RANGE_DEFAULTS.default['ephemeral-storage']),
  };
  if (!observability) return gateways;
  const tools = observabilityQuotaShare();
  const keys = new Set([...Object.keys(gateways), ...Object.keys(tools)]);
  return Object.fromEntries([...keys].map((key) => [key, (gateways[key] ?? 0) + (tools[key] ?? 0)]));
}

/** What the capacity plan adds to each student's seat on the students' nodes: the gateways' and tools' requests. */
export function meshSeat(observability: boolean): { readonly cpu: number; readonly memoryGiB: number } {
  const share = meshQuotaShare(observability);
  return { cpu: share['requests.cpu'], memoryGiB: share['requests.memory'] / 2 ** 30 };
}

/** Placeholders of `mesh.gatewayHost`. */
const HOST_PLACEHOLDER = /\{([A-Za-z]+)\}/g;
const HOST_VALUES = ['namespace', 'student', 'course'] as const;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;

/** The course's mesh setting against its cluster: gateway mode, a gatewayHost that fills in to a host name. */
export function checkMesh(file: string, spec: CourseSpec, cluster: ClusterSpec): Problem[] {
  const mesh = spec.kubernetes.mesh;
  if (!mesh) return [];
  const at = { file, path: ['kubernetes', 'mesh'] };
  const problems: Problem[] = [];
  if (cluster.routing.mode !== 'gateway')
    problems.push({
      at,
      message: `needs a cluster in routing mode gateway (${cluster.name} is in alb mode): the mesh addresses are routes of the shared proxy`,
      hint: 'run the course on a gateway-mode cluster, or remove kubernetes.mesh',
    });
  if (mesh.gatewayHost !== undefined) {
    const unknown = [...mesh.gatewayHost.matchAll(HOST_PLACEHOLDER)]
      .map(([, name]) => name)
      .filter((name) => !(HOST_VALUES as readonly string[]).includes(name));
    const sample = fillGatewayHost(mesh.gatewayHost, { namespace: 'course-student', student: 'student', course: 'course' });
    if (unknown.length > 0)
      problems.push({
        at: { file, path: ['kubernetes', 'mesh', 'gatewayHost'] },
        message: `{${unknown.join('}, {')}} is not a placeholder of gatewayHost`,
        hint: 'use {namespace}, {student} or {course}',
      });
    else if (!DNS_NAME.test(sample))
      problems.push({
        at: { file, path: ['kubernetes', 'mesh', 'gatewayHost'] },
        message: `"${mesh.gatewayHost}" does not fill in to a host name (lower case, digits, "-" and dots, two labels or more)`,
        hint: 'e.g. "{namespace}.sentences.{course}.eficode.academy"',
      });
  }
  return problems;
}

function fillGatewayHost(template: string, values: Record<(typeof HOST_VALUES)[number], string>): string {
  return template.replace(HOST_PLACEHOLDER, (whole, name: string) => values[name as keyof typeof values] ?? whole);
}

/** A student's part of the mesh. The course's problems were checked by `checkMesh`. */
export function planStudentMesh(
  mesh: NonNullable<CourseSpec['kubernetes']['mesh']>,
  student: {
    readonly id: string;
    readonly namespace: string;
    /** The student's app addresses: the observability tools' UIs open at theirs. */
    readonly apps: readonly { readonly port: number; readonly host: string }[];
  },
  course: { readonly id: string; readonly contentDomain: string },
): StudentMeshPlan {
  const address = `${MESH_HOST_PREFIX}-${student.id}.${courseDomain(course.id, course.contentDomain)}`;
  const gatewayHost =
    mesh.gatewayHost === undefined
      ? undefined
      : fillGatewayHost(mesh.gatewayHost, { namespace: student.namespace, student: student.id, course: course.id });
  return {
    namespaceLabels: { [ISTIO.injectionLabel.key]: ISTIO.injectionLabel.value },
    role: MESH_STUDENT_ROLE,
    gatewayRole: MESH_GATEWAY_ROLE,
    gateways: GATEWAYS.map((g) => ({ ...g, resources: PROXY_RESOURCES })),
    address,
    ingress: {
      service: INGRESS_GATEWAY,
      port: 80,
      ...(gatewayHost && gatewayHost !== address ? { rewriteHost: gatewayHost } : {}),
    },
    ...(mesh.observability
      ? {
          observability: planStudentObservability(student.namespace, (port) => {
            const app = student.apps.find((a) => a.port === port);
            if (!app)
              throw new Error(`planStudentMesh ${student.namespace}: port ${port} is no app port; the course plan adds it`);
            return app.host;
          }),
        }
      : {}),
  };
}

/** Where a mesh namespace's pods connect beyond the others: their agents to istiod. */
export function meshEgress(): EgressRule {
  return {
    purpose: "istiod: the proxies' configuration and certificates",
    to: [{ namespace: ISTIO.namespace, podLabels: ISTIO.istiodLabels }],
    ports: [{ protocol: 'TCP', port: ISTIO.istiodPort }],
  };
}

/**
 * Add-ons whose pods do not go to the system nodes with the others: istio-base has none (CRDs
 * and a webhook configuration), and istio-cni is a node agent that must run on every node a
 * mesh pod may land on, which its chart's default tolerations (every taint) give it.
 */
export const NOT_ON_SYSTEM_NODES = ['istio-base', 'istio-cni'] as const;

/**
 * Webhooks a chart renders whose Service another Application of the mesh makes: istio-base's
 * default-revision validator calls istiod (chart base 1.30.3,
 * templates/defaultrevision-validatingwebhookconfiguration.yaml). It fails closed for Istio's
 * kinds only, which nothing of the platform writes, and istiod syncs before any course.
 */
export const WEBHOOKS_SERVED_ELSEWHERE = [{ application: 'istio-base', servedBy: 'istiod' }] as const;

/**
 * Istio's three charts, one version. istiod reads every Secret of the cluster (a gateway's
 * `credentialName`): it runs on the system nodes, as the other controllers.
 */
export function planMeshAddons(
  cluster: ClusterSpec,
  onSystemNodes: { readonly nodeSelector: Record<string, string>; readonly tolerations: readonly object[] },
  tracedNamespaces: readonly string[],
): AddonPlan[] {
  const version = (name: 'istioBase' | 'istioCni' | 'istiod') => cluster.versions[name] ?? CHARTS[name].version;
  const chart = (name: 'istioBase' | 'istioCni' | 'istiod', values: Record<string, unknown>) => ({
    kind: 'helm' as const,
    ...CHARTS[name],
    version: version(name),
    values,
  });
  // The source charts name a test registry and `latest` (manifests/charts/*/values.yaml, `hub`,
  // `tag`); release-builder rewrites them in the published charts. Set here all the same, so that
  // dist/ says which images run.
  const images = (name: 'istioBase' | 'istioCni' | 'istiod') => ({ hub: ISTIO_IMAGES.hub, tag: version(name) });
  return [
    {
      name: 'istio-base',
      namespace: ISTIO.namespace,
      syncWave: 'crds',
      ignoreDifferences: WEBHOOK_CERTIFICATES,
      source: chart('istioBase', {
        global: { istioNamespace: ISTIO.namespace },
        // A fresh render (which ArgoCD's always is) writes `Ignore` until istiod patches it to
        // `Fail` (templates/defaultrevision-validatingwebhookconfiguration.yaml): ArgoCD would
        // put `Ignore` back on every sync.
        base: { validationFailurePolicy: 'Fail' },
      }),
    },
    {
      name: 'istio-cni',
      namespace: ISTIO.namespace,
      syncWave: 'addons',
      // The chart's defaults fit EKS's VPC CNI (chained into /etc/cni/net.d, binaries in
      // /opt/cni/bin), and its tolerations (every taint) put the node agent on every node. Its
      // AppArmor exception goes in the securityContext field, not the annotation Kubernetes 1.30
      // deprecated (values.yaml useAppArmorAnnotation; the API server warns of the annotation).
      source: chart('istioCni', { global: images('istioCni'), useAppArmorAnnotation: false }),
    },
    {
      name: 'istiod',
      namespace: ISTIO.namespace,
      // Its injection webhook fails closed, but only for pods of the mesh namespaces (courses,
      // a later wave); its own Service must wait for aws-load-balancer-controller's webhook,
      // which intercepts every Service (the `webhooks` wave).
      syncWave: 'addons',
      ignoreDifferences: WEBHOOK_CERTIFICATES,
      source: chart('istiod', istiodValues(images('istiod'), onSystemNodes, tracedNamespaces)),
    },
  ];
}

/** Where Istio's images come from (the published charts' `global.hub`). */
export const ISTIO_IMAGES = { hub: 'docker.io/istio' } as const;

/**
 * istiod writes its CA bundle into the webhook configurations the charts render with none:
 * ArgoCD keeps what istiod wrote instead of taking it out on every sync.
 */
const WEBHOOK_CERTIFICATES: IgnoredDifference[] = [
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', name: 'istio-sidecar-injector' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: 'istio-validator-istio-system' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: 'istiod-default-validator' },
].map((w) => ({ ...w, jqPathExpressions: ['.webhooks[].clientConfig.caBundle'] }));

/**
 * istiod of chart 1.30.3 (manifests/charts/istio-control/istio-discovery/values.yaml; `pilot.*`
 * is its top level, templates/zzy_descope_legacy.yaml), checked by rendering:
 * - `pilot.cni.enabled`: the injector leaves out the NET_ADMIN init container
 *   (files/injection-template.yaml) and adds `istio-validation`, which asks for no capability;
 * - PILOT_SCOPE_GATEWAY_TO_NAMESPACE: a Gateway object configures gateway pods of its own
 *   namespace only (pilot/pkg/model/push_context.go, mergeGateways);
 * - the exportTo defaults: what a student writes stays in their namespace unless they widen it,
 *   which admission refuses;
 * - REGISTRY_ONLY, as the katas' cluster has it (04-egress-traffic); not a boundary (a student's
 *   own Sidecar or uid 1337 gets around it), the NetworkPolicies are;
 * - no Ingress controller (`ingressControllerMode: OFF`): students' Ingresses are the proxy's;
 * - one replica on the system nodes, 200m and 512Mi (the chart's 500m and 2Gi are for meshes of
 *   thousands of pods).
 */
function istiodValues(
  images: { readonly hub: string; readonly tag: string },
  onSystemNodes: { readonly nodeSelector: Record<string, string>; readonly tolerations: readonly object[] },
  tracedNamespaces: readonly string[],
): Record<string, unknown> {
  return {
    global: {
      ...images,
      istioNamespace: ISTIO.namespace,
      // Merged over the chart's default, whose 2-CPU limit stays unless removed (null).
      proxy: { resources: { requests: PROXY_RESOURCES.requests, limits: { ...PROXY_RESOURCES.limits, cpu: null } } },
    },
    base: { validationFailurePolicy: 'Fail' },
    pilot: {
      cni: { enabled: true },
      autoscaleEnabled: false,
      replicaCount: 1,
      resources: { requests: { cpu: '200m', memory: '512Mi' } },
      nodeSelector: onSystemNodes.nodeSelector,
      tolerations: onSystemNodes.tolerations,
      env: { PILOT_SCOPE_GATEWAY_TO_NAMESPACE: 'true' },
    },
    meshConfig: {
      defaultServiceExportTo: ['.'],
      defaultVirtualServiceExportTo: ['.'],
      defaultDestinationRuleExportTo: ['.'],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      ingressControllerMode: 'OFF',
      // Each student's Jaeger (./observability.ts); their namespace's Telemetry names it.
      ...(tracedNamespaces.length > 0 ? { extensionProviders: tracingProviders(tracedNamespaces) } : {}),
    },
  };
}

/**
 * The rules of MESH_STUDENT_ROLE: what `admin` gives of the built-in kinds, for the Istio kinds a
 * student may write; and reading every Istio and Gateway API kind of the namespace, as the
 * student's Kiali does (./observability.ts): whatever Kiali's account may, the student may.
 */
export function meshStudentRules(): MeshRolePlan['rules'] {
  return [
    ...Object.entries(MESH_STUDENT_KINDS).map(([group, resources]) => ({
      apiGroups: [group],
      resources: [...resources],
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
    })),
    { apiGroups: [...MESH_READ_GROUPS], resources: ['*'], verbs: ['get', 'list', 'watch'] },
  ];
}

/** The platform's part of the mesh on a cluster with a mesh course: the roles its namespaces bind. */
export function planClusterMesh(): ClusterMeshPlan {
  return {
    studentRole: { name: MESH_STUDENT_ROLE, rules: meshStudentRules() },
    gatewayRole: {
      name: MESH_GATEWAY_ROLE,
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
    },
    prometheusRole: { name: MESH_PROMETHEUS_ROLE, rules: prometheusRules() },
    kialiRole: { name: MESH_KIALI_ROLE, rules: kialiRules() },
  };
}

/** Istio's three charts at one version: a cluster file that pins them apart is refused. */
export function checkMeshVersions(file: string, cluster: ClusterSpec): Problem[] {
  const versions = (['istioBase', 'istioCni', 'istiod'] as const).map((name) => ({
    name,
    version: cluster.versions[name] ?? CHARTS[name].version,
  }));
  if (new Set(versions.map((v) => v.version)).size === 1) return [];
  return [
    {
      at: { file, path: ['versions'] },
      message: `Istio's charts are pinned apart (${versions.map((v) => `${v.name} ${v.version}`).join(', ')})`,
      hint: 'give istioBase, istioCni and istiod one version: Istio releases them together',
    },
  ];
}
