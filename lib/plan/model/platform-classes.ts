/** Storage class of the workstation homes; the katas expect one named `gp3`. */
export const HOME_STORAGE_CLASS = 'gp3';

/**
 * The storage classes the katas name: `gp3` (the default: helm-katas' subchart names no class)
 * and `gp2` (kubernetes-katas' persistent-storage exercise).
 */
export const KATA_STORAGE_CLASSES = [
  { name: 'gp3', volumeType: 'gp3', isDefault: true },
  { name: 'gp2', volumeType: 'gp2', isDefault: false },
] as const;

/**
 * The PriorityClasses the katas use. None is the global default: a cluster-wide default
 * would change the priority of every pod of the platform as well. None preempts: students
 * share nodes, and a student's high-priority pod would otherwise evict a classmate's pods (in
 * vcluster mode every student's host pods run at 0, always the victims). The scheduler still
 * orders its queue by them, and Karpenter makes room for a pending pod with a node, not by
 * preemption. appdev-katas' preemption exercise sees its pod wait instead.
 */
export const KATA_PRIORITY_CLASSES = [
  { name: 'default', value: 0, description: 'Priority for kata workloads that name no other (katas expect it). Never preempts.' },
  {
    name: 'medium-priority',
    value: 1000,
    description: 'Medium priority for the scheduling katas. Never preempts: nodes are shared.',
  },
  {
    name: 'high-priority',
    value: 10000,
    description: 'High priority for the scheduling katas. Never preempts: nodes are shared.',
  },
] as const;

/** Priority of the pre-warm placeholders: below every real pod, so anything preempts them. */
export const PLACEHOLDER_PRIORITY = {
  name: 'dojo-placeholder',
  value: -10,
  description: 'dojo pre-warm placeholders: keep nodes up and images pulled before class; anything preempts them.',
} as const;

/**
 * Priority of the workstations: above every class a student may name (the admission policy
 * allows only KATA_PRIORITY_CLASSES in student namespaces), so a student's pods can neither
 * preempt a workstation nor outrank one in the scheduler's queue.
 */
export const WORKSTATION_PRIORITY = {
  name: 'dojo-workstation',
  value: 100000,
  description: 'dojo workstations: above every priority class students may use.',
} as const;
