import { parseBytes, parseCpu } from '../../input/schema/quantity';
import type { CourseSpec } from '../../input/schema/course';

/**
 * Object counts no kata comes near: each one bounds what a loop of `kubectl create` can
 * pile up in etcd. Every namespaced kind the built-in `admin` role lets a student create is
 * here (Kubernetes 1.34, bootstrappolicy editRules, and `kubectl auth can-i --list` as a student
 * on the real control plane), and the kinds controllers make from them; PodDisruptionBudgets are
 * refused by admission instead. Pods, Services and claims are counted below. Not Events: the
 * quota system ignores them whatever the quota says (Kubernetes 1.34
 * pkg/quota/v1/install/registry.go, ignoredResources); their size policy and their hour's life
 * bound them.
 */
export const OBJECT_COUNTS: Readonly<Record<string, number>> = {
  configmaps: 50,
  secrets: 50,
  'count/deployments.apps': 20,
  'count/statefulsets.apps': 10,
  'count/replicasets.apps': 100,
  'count/jobs.batch': 20,
  'count/cronjobs.batch': 5,
  'count/ingresses.networking.k8s.io': 10,
  'count/roles.rbac.authorization.k8s.io': 20,
  'count/rolebindings.rbac.authorization.k8s.io': 20,
  'count/serviceaccounts': 20,
  'count/horizontalpodautoscalers.autoscaling': 10,
  'count/daemonsets.apps': 5,
  'count/controllerrevisions.apps': 50,
  'count/replicationcontrollers': 5,
  'count/networkpolicies.networking.k8s.io': 20,
  'count/leases.coordination.k8s.io': 10,
  // Dynamic resource allocation (GA in 1.34): no kata, and no node of dojo's offers a device.
  'count/resourceclaims.resource.k8s.io': 0,
  'count/resourceclaimtemplates.resource.k8s.io': 0,
};

/**
 * What a container without resources gets in a student namespace, so that it still fits the
 * quota. No default CPU limit: the quota counts no CPU limits, and a default one below a
 * container's own request makes the pod invalid (helm-katas' sentences requests 1 CPU with a
 * memory limit only; the ReplicaSet could make none of its pods on a real 1.34 control plane).
 */
export const LIMIT_RANGE_DEFAULTS = {
  default: { memory: '512Mi', 'ephemeral-storage': '1Gi' },
  defaultRequest: { cpu: '50m', memory: '128Mi', 'ephemeral-storage': '100Mi' },
  /**
   * A container's memory limit at most 8 times its request: the scheduler places pods by their
   * requests, so a pod that asks for little and may use much overcommits a node that classmates
   * share. The katas go up to 6 (helm-katas' sentence-app, 200Mi for a 1200Mi limit); the
   * defaults above are 4.
   */
  maxLimitRequestRatio: { memory: '8' },
} as const;

/**
 * The `hard` amounts of a student namespace's ResourceQuota: the course's quota, nothing new
 * running when the course is archived, and what the platform puts in the namespace on top
 * (`platform`: a virtual cluster, a mesh's gateways), so that the student keeps the room the
 * course file gives; `moreCounts`: counts of kinds only such a course has (the mesh's).
 */
export function studentQuota(
  quota: CourseSpec['kubernetes']['quota'],
  archived: boolean,
  platform: Readonly<Record<string, number>> = {},
  moreCounts: Readonly<Record<string, number>> = {},
): Record<string, string | number> {
  // The trainer's own spelling where nothing is added: the diff of a quota change reads as written.
  const cpu = (key: string, value: string) => (platform[key] ? millicores(parseCpu(value) + platform[key]) : value);
  const bytes = (key: string, value: string) => (platform[key] ? mebibytes(parseBytes(value) + platform[key]) : value);
  const count = (key: string, value: number) => value + (platform[key] ?? 0);
  const hard: Record<string, string | number> = {
    'requests.cpu': cpu('requests.cpu', quota.cpu),
    'requests.memory': bytes('requests.memory', quota.memory),
    'limits.memory': bytes('limits.memory', quota.memory),
    'requests.ephemeral-storage': bytes('requests.ephemeral-storage', quota.ephemeralStorage),
    'limits.ephemeral-storage': bytes('limits.ephemeral-storage', quota.ephemeralStorage),
    'requests.storage': bytes('requests.storage', quota.storage),
    pods: archived ? 0 : count('pods', quota.pods),
    services: count('services', quota.services),
    persistentvolumeclaims: count('persistentvolumeclaims', quota.persistentVolumeClaims),
    'services.loadbalancers': archived ? 0 : quota.loadBalancers,
    'services.nodeports': archived ? 0 : quota.nodePorts,
  };
  for (const [key, value] of Object.entries({ ...OBJECT_COUNTS, ...moreCounts })) hard[key] = count(key, value);
  return hard;
}

/** Whole millicores, or whole cores when exact: "4", "4220m". */
function millicores(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Whole GiB when exact, else whole MiB (rounded up): "8Gi", "8768Mi". */
function mebibytes(bytes: number): string {
  const mib = Math.ceil(bytes / 2 ** 20);
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
