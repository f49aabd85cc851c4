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
 * Pod Security for a course's own namespace, where the workstations run: `baseline` enforced,
 * `restricted` audited, and no warning. The IDE runs as root in its sysbox user namespace,
 * which `restricted` can never admit: a warning on every sync of every workstation would only
 * hide the warnings that matter (seen applying dist/ to a real 1.34 control plane).
 */
export const WORKSTATION_POD_SECURITY_LABELS: Record<string, string> = {
  'pod-security.kubernetes.io/enforce': 'baseline',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': 'latest',
};

/** Labels of a platform object (shared by all courses of a cluster). */
export function platformLabels(component: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.component]: component, [LABELS.role]: 'platform' };
}
