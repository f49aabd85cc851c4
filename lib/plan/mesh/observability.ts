/**
 * What the istio-katas open to look at the traffic, per student: Kiali (every exercise),
 * Prometheus (07-istio-metrics-tour) and Jaeger (08-distributed-tracing), each in the student's
 * own namespace and seeing nothing else.
 *
 * Why not the trainer-installed tools the katas expect: Kiali, Prometheus and Jaeger installed
 * once see every namespace of the mesh, so a student would see, and in Kiali change, the others'
 * services and requests. Here each student's Prometheus discovers the pods of its own namespace
 * only, Kiali reads that namespace (and no Secret anywhere), and each student's sidecars send
 * their spans to their own Jaeger.
 *
 * Anything their ServiceAccounts may do, the student may do too (an `admin` can start a pod
 * under any account of the namespace), so the accounts get nothing beyond the namespace, and
 * nothing there the student's `admin` does not have.
 */
import { MESH_OBSERVABILITY_IMAGES } from '../../facts/versions';
import { parseBytes, parseCpu } from '../../input/schema/quantity';
import type { MeshRolePlan, MeshToolPlan, StudentObservabilityPlan } from '../model/mesh';

/** Where each tool's UI listens; the student opens it with a port-forward of the same port. */
export const OBSERVABILITY_PORTS = { kiali: 20001, prometheus: 9090, jaeger: 16686 } as const;

/** The ClusterRole Prometheus's account gets in its namespace: discovery of the pods it scrapes. */
export const MESH_PROMETHEUS_ROLE = 'dojo-mesh-prometheus';
/** The ClusterRole Kiali's account gets in its namespace: reading what Kiali shows. */
export const MESH_KIALI_ROLE = 'dojo-mesh-kiali';

/** Jaeger's Deployment and Service. */
const JAEGER = 'jaeger';

/** Zipkin's port on Jaeger: what Istio's `zipkin` tracing provider sends to (jaeger.yaml). */
const ZIPKIN_PORT = 9411;

/** The Telemetry object that sends a namespace's spans to its own Jaeger. */
export const TRACING_TELEMETRY = 'dojo-tracing';

/** The name of a student's tracing provider in istiod's mesh configuration. */
export function tracingProviderName(namespace: string): string {
  return `jaeger-${namespace}`;
}

/**
 * istiod's `meshConfig.extensionProviders` for the students' Jaegers: one per namespace, as a
 * provider names one Service (istio/istio 1.30.3 pilot/pkg/model/telemetry_logging.go,
 * LookupCluster). Named `<namespace>/<host>`: a bare host is looked up among the Services and
 * ServiceEntries of every namespace, whatever their exportTo, and another student's ServiceEntry
 * claiming the same host would make it ambiguous, which turns the student's tracing off
 * (pilot/pkg/networking/core/tracing.go). A student's Telemetry may name another's provider:
 * the spans then go to the other's Jaeger, which the other namespace's NetworkPolicy refuses.
 */
export function tracingProviders(namespaces: readonly string[]): { name: string; zipkin: { service: string; port: number } }[] {
  return [...new Set(namespaces)].sort().map((namespace) => ({
    name: tracingProviderName(namespace),
    zipkin: { service: `${namespace}/${JAEGER}.${namespace}.svc.cluster.local`, port: ZIPKIN_PORT },
  }));
}

/**
 * Prometheus's scrape jobs: itself, and the pods of its own namespace that ask to be scraped.
 * Istio's injector marks every sidecar'd pod and gateway with prometheus.io/scrape, port 15020
 * and path /stats/prometheus (pkg/kube/inject/webhook.go, applyPrometheusMerge), and 15020 is
 * left out of the sidecar's inbound capture (traffic.sidecar.istio.io/excludeInboundPorts), so
 * Prometheus, outside the mesh, scrapes it in plain HTTP even under a STRICT PeerAuthentication.
 * The job is Istio's sample's `kubernetes-pods` (samples/addons/prometheus.yaml, 1.30.3) with
 * `namespaces.own_namespace` (Prometheus v3.10.0 discovery/kubernetes).
 */
export function prometheusConfig(): string {
  return `global:
  scrape_interval: 15s
  evaluation_interval: 15s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: [localhost:${OBSERVABILITY_PORTS.prometheus}]
  - job_name: kubernetes-pods
    honor_labels: true
    kubernetes_sd_configs:
      - role: pod
        namespaces:
          own_namespace: true
    relabel_configs:
      - action: keep
        regex: true
        source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
      - action: replace
        regex: (https?)
        source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scheme]
        target_label: __scheme__
      - action: replace
        regex: (.+)
        source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
        target_label: __metrics_path__
      - action: replace
        regex: (\\d+);((([0-9]+?)(\\.|$)){4})
        replacement: $2:$1
        source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_port, __meta_kubernetes_pod_ip]
        target_label: __address__
      - action: labelmap
        regex: __meta_kubernetes_pod_label_(.+)
      - action: replace
        source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - action: replace
        source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
      - action: drop
        regex: Pending|Succeeded|Failed|Completed
        source_labels: [__meta_kubernetes_pod_phase]
`;
}

/**
 * Jaeger v2.14.0's all-in-one configuration (cmd/jaeger/internal/all-in-one.yaml), as Istio's
 * sample runs it, with: only the Zipkin receiver (Istio's sidecars speak Zipkin), no remote
 * sampling, expvar or zpages ports, at most 10000 traces in memory (istio-katas' loop-query.sh
 * sends some 3 requests a second: the last hour of it; older ones go first), and no traces of its own queries
 * (jaeger_query's `enable_tracing`, on by default, sends them to an OTLP port nobody serves).
 */
export function jaegerConfig(): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [zipkin]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    logs:
      level: info
extensions:
  jaeger_query:
    enable_tracing: false
    storage:
      traces: memory_storage
  jaeger_storage:
    backends:
      memory_storage:
        memory:
          max_traces: 10000
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 0.0.0.0:13133
receivers:
  zipkin:
    endpoint: 0.0.0.0:${ZIPKIN_PORT}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memory_storage
`;
}

/**
 * Kiali's configuration for one namespace (kiali/kiali v2.26.0 config/config.go; Istio 1.30.3's
 * sample runs v2.26). `jaegerAddress` is where the student's browser opens Jaeger.
 *
 * With `cluster_wide_access: false` and one namespace selected, Kiali caches that namespace only
 * and GETs the Namespace object itself, never listing namespaces (business/namespaces.go). It
 * finds no istiod there (istio/discovery.go, Mesh), so it reads nothing of istio-system and
 * calls no istiod port: it shows no control plane, mesh-wide mTLS status or proxy sync, and
 * its Applications, Workloads, Services and Graph pages come from the namespace and Prometheus.
 * `cluster_name` spares it the lookup of istiod for a name. Anonymous access acts with Kiali's
 * own account (handlers/authentication.go), which reads the namespace only, and `view_only_mode`
 * keeps Kiali from writing: the student writes their Istio objects with kubectl, as the katas do.
 */
export function kialiConfig(namespace: string, jaegerAddress: string): string {
  return `auth:
  strategy: anonymous
deployment:
  cluster_wide_access: false
  discovery_selectors:
    default:
      - matchLabels:
          kubernetes.io/metadata.name: ${namespace}
  instance_name: kiali
  namespace: ${namespace}
  view_only_mode: true
kubernetes_config:
  cluster_name: Kubernetes
external_services:
  grafana:
    enabled: false
  istio:
    component_status:
      enabled: false
    istio_api_enabled: false
  prometheus:
    url: http://prometheus:${OBSERVABILITY_PORTS.prometheus}
  tracing:
    enabled: true
    provider: jaeger
    internal_url: http://jaeger:${OBSERVABILITY_PORTS.jaeger}
    external_url: https://${jaegerAddress}
    use_grpc: false
server:
  port: ${OBSERVABILITY_PORTS.kiali}
  web_root: /
  observability:
    metrics:
      enabled: false
`;
}

/** The API groups whose every kind a mesh student, and their Kiali, may read in their namespace. */
export const MESH_READ_GROUPS = [
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
  'gateway.networking.k8s.io',
] as const;

const READ = ['get', 'list', 'watch'];

/** The rules of MESH_PROMETHEUS_ROLE: the pods its one job discovers, in the namespace it is bound in. */
export function prometheusRules(): MeshRolePlan['rules'] {
  return [{ apiGroups: [''], resources: ['pods'], verbs: READ }];
}

/**
 * The rules of MESH_KIALI_ROLE, in the namespace it is bound in: what Kiali v2.26.0 caches and
 * shows, read only, and the Envoy tab's port-forward to the namespace's own proxies. Every kind
 * its cache may watch is readable (cmd/server.go, makeWatchErrorHandler: one Forbidden watch
 * stops the whole cache), EnvoyFilters too (none exist there: admission refuses them); all of it
 * is what the student reads anyway (`admin`, and MESH_STUDENT_ROLE's reading of Istio's and the
 * Gateway API's kinds), but Secrets, which Kiali never reads.
 */
export function kialiRules(): MeshRolePlan['rules'] {
  return [
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
    { apiGroups: [''], resources: ['pods', 'services', 'endpoints', 'configmaps', 'replicationcontrollers'], verbs: READ },
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
    { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: READ },
    { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
    { apiGroups: [...MESH_READ_GROUPS], resources: ['*'], verbs: READ },
  ];
}

/** Resources of each tool: a namespace's worth of data; memory limits within the LimitRange's 8 times the request. */
const RESOURCES = {
  kiali: {
    requests: { cpu: '10m', memory: '64Mi', 'ephemeral-storage': '10Mi' },
    limits: { memory: '512Mi', 'ephemeral-storage': '100Mi' },
  },
  prometheus: {
    requests: { cpu: '50m', memory: '128Mi', 'ephemeral-storage': '100Mi' },
    limits: { memory: '512Mi', 'ephemeral-storage': '1Gi' },
  },
  jaeger: {
    requests: { cpu: '10m', memory: '64Mi', 'ephemeral-storage': '10Mi' },
    limits: { memory: '512Mi', 'ephemeral-storage': '100Mi' },
  },
} as const;

/** A student's Kiali, Prometheus and Jaeger; `appAddress` gives a port's app address, where a UI opens. */
export function planStudentObservability(namespace: string, appAddress: (port: number) => string): StudentObservabilityPlan {
  const tools: MeshToolPlan[] = [
    {
      name: 'kiali',
      title: 'Kiali',
      image: MESH_OBSERVABILITY_IMAGES.kiali,
      command: ['/opt/kiali/kiali', '-config', '/kiali-configuration/config.yaml'],
      config: {
        mountPath: '/kiali-configuration',
        files: { 'config.yaml': kialiConfig(namespace, appAddress(OBSERVABILITY_PORTS.jaeger)) },
      },
      ports: [{ name: 'http', port: OBSERVABILITY_PORTS.kiali }],
      health: { ready: '/healthz', live: '/healthz', port: OBSERVABILITY_PORTS.kiali },
      // Kiali v2.26.0 asks Prometheus once, at start, and without an answer runs without
      // metrics until restarted (cmd/server.go): it starts once Prometheus is healthy. The
      // Prometheus image is busybox-based (its Dockerfile at v3.10.0), so it has `wget`.
      waitsFor: {
        url: `http://prometheus:${OBSERVABILITY_PORTS.prometheus}/-/healthy`,
        image: MESH_OBSERVABILITY_IMAGES.prometheus,
        runAsUser: 65534,
        // Below Kiali's own: the pod asks for no more than Kiali.
        resources: {
          requests: { cpu: '10m', memory: '16Mi', 'ephemeral-storage': '10Mi' },
          limits: { memory: '32Mi', 'ephemeral-storage': '10Mi' },
        },
      },
      role: MESH_KIALI_ROLE,
      resources: RESOURCES.kiali,
      address: appAddress(OBSERVABILITY_PORTS.kiali),
    },
    {
      name: 'prometheus',
      title: 'Prometheus',
      image: MESH_OBSERVABILITY_IMAGES.prometheus,
      args: [
        '--config.file=/etc/prometheus/prometheus.yml',
        '--storage.tsdb.path=/data',
        // A course day's data within the pod's disk limit; the pod sleeps with the class.
        '--storage.tsdb.retention.size=512MB',
      ],
      config: { mountPath: '/etc/prometheus', files: { 'prometheus.yml': prometheusConfig() } },
      data: { mountPath: '/data' },
      ports: [{ name: 'http', port: OBSERVABILITY_PORTS.prometheus }],
      // Ready once its data is loaded; alive while it loads it (a restart replays the WAL).
      health: { ready: '/-/ready', live: '/-/healthy', port: OBSERVABILITY_PORTS.prometheus },
      // The image's user is `nobody` by name (Dockerfile at v3.10.0), which runAsNonRoot cannot check.
      runAsUser: 65534,
      role: MESH_PROMETHEUS_ROLE,
      resources: RESOURCES.prometheus,
      address: appAddress(OBSERVABILITY_PORTS.prometheus),
    },
    {
      name: JAEGER,
      title: 'Jaeger',
      image: MESH_OBSERVABILITY_IMAGES.jaeger,
      args: ['--config', '/etc/jaeger/config.yaml'],
      config: { mountPath: '/etc/jaeger', files: { 'config.yaml': jaegerConfig() } },
      ports: [
        { name: 'http-query', port: OBSERVABILITY_PORTS.jaeger },
        { name: 'http-zipkin', port: ZIPKIN_PORT },
      ],
      health: { ready: '/status', live: '/status', port: 13133 },
      resources: RESOURCES.jaeger,
      address: appAddress(OBSERVABILITY_PORTS.jaeger),
    },
  ];
  return {
    tools,
    tracing: {
      telemetry: TRACING_TELEMETRY,
      provider: tracingProviderName(namespace),
      samplingPercentage: 100,
      // After the namespace's quota, which counts Telemetry objects: until the quota controller
      // has counted a new namespace, the API server refuses every counted custom kind ("status
      // unknown for quota", found on the real control plane). ArgoCD waits 2 s between waves
      // and retries a failed sync.
      syncWave: '1',
    },
  };
}

/** What the tools add to a student's quota and seat: their pods, Services, accounts and bindings. */
export function observabilityQuotaShare(): Record<string, number> {
  const { tools } = planStudentObservability('share', () => 'share');
  // As the quota counts a pod: the larger of its init container and its container, per resource
  // (Kubernetes 1.34 pkg/quota/v1/evaluator/core/pods.go, PodUsageFunc).
  const pod = (tool: MeshToolPlan, kind: 'requests' | 'limits', key: string, parse: (s: string) => number) =>
    Math.max(parse(tool.resources[kind][key] ?? '0'), parse(tool.waitsFor?.resources[kind][key] ?? '0'));
  const sum = (kind: 'requests' | 'limits', key: string, parse: (s: string) => number) =>
    tools.reduce((total, tool) => total + pod(tool, kind, key, parse), 0);
  const n = tools.length;
  return {
    pods: n,
    services: n,
    configmaps: n,
    'count/deployments.apps': n,
    // A rollout's new and old ReplicaSet, for a moment (no revision is kept: MeshTool).
    'count/replicasets.apps': 2 * n,
    'count/serviceaccounts': n,
    'count/horizontalpodautoscalers.autoscaling': n,
    'count/rolebindings.rbac.authorization.k8s.io': tools.filter((t) => t.role).length,
    // The tracing Telemetry.
    'count/telemetries.telemetry.istio.io': 1,
    'requests.cpu': sum('requests', 'cpu', parseCpu),
    'requests.memory': sum('requests', 'memory', parseBytes),
    'limits.memory': sum('limits', 'memory', parseBytes),
    'requests.ephemeral-storage': sum('requests', 'ephemeral-storage', parseBytes),
    'limits.ephemeral-storage': sum('limits', 'ephemeral-storage', parseBytes),
  };
}
