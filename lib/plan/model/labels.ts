import { LABELS, MANAGED_BY } from './object-names';

/** Labels of a course-wide object. Only stable identifiers: a title change touches no label. */
export function courseLabels(course: string, component: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.component]: component, [LABELS.course]: course };
}

/** Labels of a student's object; `studentSelector` is the subset that selects their pods. */
export function studentLabels(course: string, studentId: string, component: string): Record<string, string> {
  return { ...courseLabels(course, component), [LABELS.student]: studentId };
}

export function studentSelector(course: string, studentId: string): Record<string, string> {
  return { [LABELS.course]: course, [LABELS.student]: studentId };
}

/** ArgoCD applies lower waves first; namespaces must exist before what lives in them. */
export const SYNC_WAVE = {
  projects: '-20',
  crds: '-10',
  /** Controllers with admission webhooks that intercept other add-ons' objects (Services). */
  webhooks: '-7',
  addons: '-5',
  namespaces: '-1',
  platform: '0',
  courses: '10',
  /** vcluster mode: into the student namespaces the courses' wave made, with their quota and policies. */
  virtualClusters: '20',
} as const;

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** ArgoCD's per-object sync options. */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * ArgoCD deletes and creates such an object instead of patching it (ArgoCD 3.4 docs, "Force
 * Sync"): for objects whose immutable fields dojo changes and whose name others rely on.
 */
export const RECREATE_SYNC_OPTIONS = 'Force=true,Replace=true';

/**
 * Pod Security for the namespaces of a course: students run the katas' images, many of
 * which run as root, so `baseline` is enforced (no privileged, no host access) and
 * `restricted` only warned about.
 */
export const POD_SECURITY_LABELS: Record<string, string> = {
  'pod-security.kubernetes.io/enforce': 'baseline',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/warn-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': 'latest',
};

/**
 * Pod Security for a namespace whose pods the platform makes: a course's workstations, a
 * virtual cluster's control plane and the pods its syncer makes. `baseline` enforced,
 * `restricted` audited, and no warning: the IDE runs as root in its sysbox user namespace and
 * vcluster's containers as root, which `restricted` can never admit, and a warning on every
 * sync would only hide the warnings that matter (seen applying dist/ to a real 1.34 control plane).
 */
export const PLATFORM_MADE_POD_SECURITY_LABELS: Record<string, string> = {
  'pod-security.kubernetes.io/enforce': 'baseline',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': 'latest',
};

/**
 * A student namespace's Pod Security: in namespace mode the warnings reach the student's own
 * kubectl, a lesson in what `restricted` asks; in vcluster mode the syncer makes the pods and
 * reads no warning.
 */
export function studentNamespacePodSecurity(hostsVirtualCluster: boolean): Record<string, string> {
  return hostsVirtualCluster ? PLATFORM_MADE_POD_SECURITY_LABELS : POD_SECURITY_LABELS;
}

/** Labels of a platform object (shared by all courses of a cluster). */
export function platformLabels(component: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.component]: component, [LABELS.role]: 'platform' };
}
