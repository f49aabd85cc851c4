/**
 * vcluster mode: every student is cluster-admin of a virtual cluster of their own. Its control
 * plane (vcluster 0.36.1, open-source build: the Kubernetes API server and controller manager
 * with a sqlite database) runs as one pod in the student's namespace on the host, and what the
 * student creates inside is synced into that namespace: pods, Services, Ingresses, claims,
 * ConfigMaps and Secrets their pods use. So the host namespace's quota, Pod Security level,
 * NetworkPolicies and admission policies judge the student's pods and Ingresses as in
 * namespace mode, now as requests of the control plane's ServiceAccount. The student has no
 * rights on the host at all.
 *
 * Read at vcluster v0.36.1: the chart (../shared/charts/vcluster-0.36.1, rendered in
 * test/virtual-cluster.test.ts), and in its source the kubeconfig Secret (pkg/util/kubeconfig:
 * `vc-<release>`, key `config`), the certificate's names (pkg/server/cert: `<release>.<namespace>`),
 * the backing store (config/config.go: embedded sqlite unless another is enabled), the
 * certificates kept in the Secret `<release>-certs` across restarts (pkg/certs), and that host
 * Endpoints are written only for Services without a selector
 * (pkg/controllers/resources/endpoints), which the endpoints policy refuses as in namespace mode.
 */
import { CHARTS, VIRTUAL_KUBERNETES_IMAGES, type ChartSource } from '../../facts/versions';
import { parseBytes, parseCpu } from '../../input/schema/quantity';
import { HOME_STORAGE_CLASS, KATA_PRIORITY_CLASSES } from '../model/platform-classes';
import { LIMIT_RANGE_DEFAULTS } from '../admission/student-quota';

/** Release name of each virtual cluster: its StatefulSet and Service in the student's namespace. */
export const VIRTUAL_CLUSTER_RELEASE = 'vcluster';
/** Where the control plane writes the student's kubeconfig on every start. */
export const VIRTUAL_CLUSTER_KUBECONFIG = { secret: `vc-${VIRTUAL_CLUSTER_RELEASE}`, key: 'config' } as const;
/** The volume of the virtual cluster's database: its state across nights. */
export const VIRTUAL_CLUSTER_STORAGE = '5Gi';
/**
 * The control plane stays up this long after a class window closes: the workstation's stop hook
 * puts the student's workloads to sleep through it, and the control plane then removes their
 * pods from the host, so that the students' nodes empty.
 */
export const VIRTUAL_CLUSTER_SLEEP_DELAY_MINUTES = 10;

/** The workstation's copy of the virtual cluster's credentials: a memory volume of its pod. */
export const VIRTUAL_CLUSTER_DIR = '/var/run/dojo-vcluster';
/** How long a starting workstation waits for its virtual cluster before the IDE starts anyway. */
export const VIRTUAL_CLUSTER_WAIT_SECONDS = 600;

type Resources = {
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
};

/**
 * The control plane container. The chart's request (256Mi) is below what an API server with a
 * controller manager holds once a kata has installed a chart; its 4Gi limit would let one
 * student's control plane take most of a node.
 */
export const CONTROL_PLANE_RESOURCES: Resources = {
  requests: { cpu: '200m', memory: '512Mi', 'ephemeral-storage': '1Gi' },
  limits: { memory: '2Gi', 'ephemeral-storage': '4Gi' },
};
/** The init container that copies the Kubernetes binaries: the chart's defaults, named here so the quota counts them. */
const KUBERNETES_INIT_RESOURCES: Resources = {
  requests: { cpu: '40m', memory: '64Mi' },
  limits: { cpu: '100m', memory: '256Mi' },
};
/** The virtual cluster's CoreDNS, a pod synced into the namespace: the chart's defaults. Disk comes from the LimitRange. */
export const COREDNS_RESOURCES: Resources = {
  requests: { cpu: '20m', memory: '64Mi' },
  limits: { cpu: '1', memory: '170Mi' },
};

/**
 * What the virtual cluster itself takes of the student's namespace, added to its quota so that
 * the student keeps the room of namespace mode: the control plane and CoreDNS pods, the
 * Services (the API's, its headless twin, CoreDNS's), the database's claim, and the objects the
 * chart and the control plane keep there.
 */
export function virtualClusterQuota(): Readonly<Record<string, number>> {
  const pods = [
    podTotal([CONTROL_PLANE_RESOURCES], [KUBERNETES_INIT_RESOURCES]),
    podTotal([{ ...COREDNS_RESOURCES, ...withLimitRangeDisk(COREDNS_RESOURCES) }], []),
  ];
  const sum = (pick: (p: PodTotal) => number) => pods.reduce((total, p) => total + pick(p), 0);
  return {
    'requests.cpu': sum((p) => p.requestsCpu),
    'requests.memory': sum((p) => p.requestsMemory),
    'limits.memory': sum((p) => p.limitsMemory),
    'requests.ephemeral-storage': sum((p) => p.requestsDisk),
    'limits.ephemeral-storage': sum((p) => p.limitsDisk),
    'requests.storage': parseBytes(VIRTUAL_CLUSTER_STORAGE),
    pods: pods.length,
    services: 3,
    persistentvolumeclaims: 1,
    // config, kubeconfig and certificates; the CoreDNS ConfigMap and the CA bundle.
    secrets: 3,
    configmaps: 2,
    'count/statefulsets.apps': 1,
    // The chart's two, and the workstation's reader of the kubeconfig.
    'count/serviceaccounts': 2,
    'count/roles.rbac.authorization.k8s.io': 2,
    'count/rolebindings.rbac.authorization.k8s.io': 2,
    // KEDA's, for the class schedule.
    'count/horizontalpodautoscalers.autoscaling': 1,
  };
}

interface PodTotal {
  readonly requestsCpu: number;
  readonly requestsMemory: number;
  readonly limitsMemory: number;
  readonly requestsDisk: number;
  readonly limitsDisk: number;
}

/** A pod's effective amounts as ResourceQuota counts them: the larger of its containers' sum and its largest init container. */
function podTotal(containers: readonly Resources[], inits: readonly Resources[]): PodTotal {
  const amount = (r: Resources, side: 'requests' | 'limits', key: string) => {
    const value = r[side][key] ?? (side === 'requests' ? r.limits[key] : undefined);
    if (value === undefined) return 0;
    return key === 'cpu' ? parseCpu(value) : parseBytes(value);
  };
  const effective = (side: 'requests' | 'limits', key: string) =>
    Math.max(
      containers.reduce((total, c) => total + amount(c, side, key), 0),
      ...inits.map((i) => amount(i, side, key)),
    );
  return {
    requestsCpu: effective('requests', 'cpu'),
    requestsMemory: effective('requests', 'memory'),
    limitsMemory: effective('limits', 'memory'),
    requestsDisk: effective('requests', 'ephemeral-storage'),
    limitsDisk: effective('limits', 'ephemeral-storage'),
  };
}

function withLimitRangeDisk(r: Resources): Resources {
  return {
    requests: { ...r.requests, 'ephemeral-storage': LIMIT_RANGE_DEFAULTS.defaultRequest['ephemeral-storage'] },
    limits: { ...r.limits, 'ephemeral-storage': LIMIT_RANGE_DEFAULTS.default['ephemeral-storage'] },
  };
}

/** What the capacity plan adds to each student's seat on the students' nodes: the requests of the two pods. */
export function virtualClusterSeat(): { readonly cpu: number; readonly memoryGiB: number } {
  const quota = virtualClusterQuota();
  return { cpu: quota['requests.cpu'], memoryGiB: quota['requests.memory'] / 2 ** 30 };
}

/** The image of the virtual cluster's Kubernetes for a host version, or undefined when vcluster 0.36 maps none. */
export function virtualKubernetesImage(kubernetesVersion: string): string | undefined {
  const minor = Number(kubernetesVersion.split('.')[1]);
  return VIRTUAL_KUBERNETES_IMAGES.find((entry) => entry.minor === minor)?.image;
}

/** The chart of a cluster: lib/facts/versions.ts's, or the cluster file's `versions.vcluster`. */
export function virtualClusterChart(versionOverride: string | undefined): ChartSource {
  return { ...CHARTS.vcluster, version: versionOverride ?? CHARTS.vcluster.version };
}

/** The address of a student's virtual cluster from the course namespace, a name its certificate holds. */
export function virtualClusterServer(studentNamespace: string): string {
  return `https://${VIRTUAL_CLUSTER_RELEASE}.${studentNamespace}:443`;
}

function imageParts(image: string): { registry: string; repository: string; tag: string } {
  const match = /^([^/]+)\/(.+):([^:]+)$/.exec(image);
  if (!match) throw new Error(`not an image with a registry and a tag: ${image}`);
  return { registry: match[1], repository: match[2], tag: match[3] };
}

/**
 * The chart's values for one student's virtual cluster. Everything a student creates that the
 * host should carry is synced into their namespace; nothing of the host is synced in but
 * events. The namespace of their kubeconfig exists inside too, so the katas' `$STUDENT_NS`
 * works in both modes.
 */
export function virtualClusterValues(input: {
  readonly chart: ChartSource;
  readonly kubernetesImage: string;
  readonly studentNamespace: string;
  readonly labels: Readonly<Record<string, string>>;
}): Record<string, unknown> {
  // The highest class a student may name: no student pod outranks the control plane.
  const priorityClassName = KATA_PRIORITY_CLASSES[KATA_PRIORITY_CLASSES.length - 1].name;
  return {
    controlPlane: {
      distro: {
        k8s: { enabled: true, image: imageParts(input.kubernetesImage), resources: KUBERNETES_INIT_RESOURCES },
      },
      backingStore: { database: { embedded: { enabled: true } } },
      coredns: { deployment: { resources: COREDNS_RESOURCES } },
      statefulSet: {
        // The open-source build at the chart's version; the chart's default is the paid one.
        image: { registry: 'ghcr.io', repository: 'loft-sh/vcluster-oss', tag: input.chart.version },
        // The chart renders an empty policy (null) otherwise, which the Pod schema refuses.
        imagePullPolicy: 'IfNotPresent',
        labels: { ...input.labels },
        resources: CONTROL_PLANE_RESOURCES,
        scheduling: { priorityClassName },
        persistence: {
          volumeClaim: { enabled: true, size: VIRTUAL_CLUSTER_STORAGE, storageClass: HOME_STORAGE_CLASS },
        },
      },
    },
    sync: {
      toHost: {
        ingresses: { enabled: true },
        // vcluster 0.36.1 otherwise writes each virtual ServiceAccount's token (valid for years) into
        // an annotation of the host pod, which every reader of pods cluster-wide (the class board)
        // sees; in a Secret of the student's host namespace nobody but the platform reads it.
        pods: { useSecretsForSATokens: true },
      },
    },
    exportKubeConfig: { context: 'course', server: virtualClusterServer(input.studentNamespace) },
    experimental: {
      deploy: {
        vcluster: {
          manifests: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${input.studentNamespace}\n`,
        },
      },
    },
    // A class's clusters report nothing to the vendor.
    telemetry: { enabled: false },
  };
}
