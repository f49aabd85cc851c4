import { DNS_LABEL, DNS_LABEL_MAX } from '../../input/schema/dns-names';

/** Label keys dojo puts on what it generates; selectors and NetworkPolicies rely on them. */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  course: 'dojo.training/course',
  student: 'dojo.training/student',
  role: 'dojo.training/role',
  /** On nodes: which pool they are (students, system). */
  pool: 'dojo.training/pool',
} as const;

export const MANAGED_BY = 'dojo';

/**
 * The name the cluster knows a course by, which every name below is made from: its `id`, which
 * `npm run rename-course` sets to the old name so that its namespaces (and the home volumes in
 * them), host names and Application stay; otherwise its name.
 */
export function courseIdOf(spec: { readonly name: string; readonly id?: string }): string {
  return spec.id ?? spec.name;
}

export function courseNamespace(course: string): string {
  return course;
}

export function studentNamespace(course: string, studentId: string): string {
  return `${course}-${studentId}`;
}

/** StatefulSet, Service and ServiceAccount of a student's workstation, in the course namespace. */
export function workstationName(studentId: string): string {
  return `ws-${studentId}`;
}

export function courseApplicationName(course: string): string {
  return `course-${course}`;
}

/** The Application of a vcluster-mode course's per-student virtual cluster Applications. */
export function virtualClustersApplicationName(course: string): string {
  return `vclusters-${course}`;
}

/** A student's virtual cluster Application, unique in ArgoCD's namespace. */
export function virtualClusterApplicationName(course: string, studentId: string): string {
  return `vcluster-${course}-${studentId}`;
}

export function rootApplicationName(cluster: string): string {
  return `dojo-${cluster}`;
}

/** The FlowSchema that queues a student's requests in the students' priority level. */
export function studentFlowSchemaName(course: string, studentId: string): string {
  return `${studentFlowSchemaPrefix(course)}${studentId}`;
}

export function studentFlowSchemaPrefix(course: string): string {
  return `dojo-${course}-student-`;
}

export function clusterReadRoleName(course: string): string {
  return `dojo-${course}-cluster-read`;
}

/** vcluster mode: reading the one Secret that holds a virtual cluster's kubeconfig, bound per student namespace. */
export function kubeconfigReaderRoleName(course: string): string {
  return `dojo-${course}-kubeconfig-reader`;
}

/**
 * A StatefulSet's pods carry a `controller-revision-hash` label of `<name>-<10 chars>`,
 * which must fit a 63-character label value.
 */
export const STATEFULSET_NAME_MAX = 52;

/** Namespaces that belong to Kubernetes, EKS or the platform, never to a course. */
const RESERVED_NAMESPACES = ['default', 'argocd', 'karpenter', 'keda', 'external-dns', 'envoy-gateway-system', 'cert-manager'];
const RESERVED_PREFIXES = ['kube-', 'dojo-', 'amazon-', 'aws-', 'eks-'];

/** Why `namespace` may not be used by a course, or undefined when it may. */
export function reservedNamespaceReason(namespace: string): string | undefined {
  if (RESERVED_NAMESPACES.includes(namespace)) return `"${namespace}" is a namespace of the cluster or the platform`;
  const prefix = RESERVED_PREFIXES.find((p) => namespace.startsWith(p));
  return prefix ? `namespaces starting with "${prefix}" belong to the cluster or the platform` : undefined;
}

/** Why `name` is not a valid RFC 1123 label of at most `max` characters, or undefined. */
export function dnsLabelProblem(name: string, max = DNS_LABEL_MAX): string | undefined {
  if (name.length > max) return `is ${name.length} characters long (at most ${max})`;
  if (!DNS_LABEL.test(name)) return 'is not a valid DNS label';
  return undefined;
}

/** Why `host` is not a valid DNS name (each label at most 63, the whole at most 253), or undefined. */
export function hostProblem(host: string): string | undefined {
  if (host.length > 253) return `is ${host.length} characters long (at most 253)`;
  const long = host.split('.').find((label) => label.length > DNS_LABEL_MAX);
  return long ? `has a part of ${long.length} characters (at most ${DNS_LABEL_MAX})` : undefined;
}

/** The ConfigMap of a course's workstation scripts (setup, kata sleep and wake). */
export const WORKSTATION_SETUP_CONFIGMAP = 'workstation-setup';
/** The ConfigMap of a course's sign-in page (password login). */
export const LOGIN_PAGE_CONFIGMAP = 'workstation-login';
