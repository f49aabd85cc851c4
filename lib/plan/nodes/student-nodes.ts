/**
 * Nodes for what students create with kubectl and helm. Workstation nodes are tainted for
 * their course's workstations and the system nodes for the platform, and the admission
 * policy lets no student pod tolerate either: without this pool no kata pod has a node.
 *
 * One pool per cluster: a student pod carries no selector of its course (the katas' manifests
 * are applied as written), so any course's pods may land on any student node. Its limits are
 * the sum of what every course's quotas allow, so a class at full quota fits and no more.
 */
import { compareText } from '../../common/problems';
import { planCapacity } from './capacity';
import type { CapacityPlan } from '../model/nodes';
import type { InstanceType } from '../../facts/instance-types';
import { LABELS } from '../model/object-names';
import { disruptionBudgets, MIN_NODE_VCPU, SYSBOX_NODE_CLASS } from './plan-nodes';
import { parseBytes, parseCpu } from '../../input/schema/quantity';
import type { NodePoolPlan } from '../model/nodes';

export const STUDENT_NODE_POOL = 'students';
/** Label of the students' nodes: the katas' `kubectl get nodes` shows which ones are theirs. */
export const STUDENT_POOL_LABEL = { key: LABELS.pool, value: 'students' } as const;

/**
 * The nodes a course's students need with every one of them using their whole quota: the
 * cheapest allowed instance type for seats of one quota each. Undefined without namespaces.
 */
export function planStudentCapacity(
  students: number,
  quota: { readonly cpu: string; readonly memory: string },
  allowed: readonly InstanceType[],
): CapacityPlan | undefined {
  if (students === 0) return undefined;
  return planCapacity(students, { cpu: parseCpu(quota.cpu), memoryGiB: parseBytes(quota.memory) / 2 ** 30 }, allowed);
}

/** The cluster's pool for students' pods, or undefined when no running course gives namespaces. */
export function planStudentNodePool(
  cluster: { readonly architecture: string; readonly instanceFamilies: readonly string[] },
  courses: readonly { readonly name: string; readonly studentCapacity: CapacityPlan | undefined }[],
): NodePoolPlan | undefined {
  const sized = courses
    .filter((c): c is { name: string; studentCapacity: CapacityPlan } => c.studentCapacity !== undefined)
    .sort((a, b) => compareText(a.name, b.name));
  if (sized.length === 0) return undefined;
  const cpu = sized.reduce((sum, c) => sum + parseCpu(c.studentCapacity.limits.cpu), 0);
  const memoryGiB = sized.reduce((sum, c) => sum + parseBytes(c.studentCapacity.limits.memory) / 2 ** 30, 0);
  return {
    name: STUDENT_NODE_POOL,
    nodeClass: SYSBOX_NODE_CLASS,
    labels: { [STUDENT_POOL_LABEL.key]: STUDENT_POOL_LABEL.value },
    taint: undefined,
    startupTaint: undefined,
    architecture: cluster.architecture,
    instanceFamilies: cluster.instanceFamilies,
    minVcpu: MIN_NODE_VCPU,
    limits: { cpu: String(cpu), memory: `${memoryGiB}Gi` },
    consolidateAfter: '10m',
    expireAfter: '720h',
    // Courses keep different hours: only empty nodes go, so no kata pod is moved mid-exercise.
    budgets: disruptionBudgets(undefined),
    annotations: {
      [STUDENT_CAPACITY_ANNOTATION]: sized.map((c) => `${c.name}=${c.studentCapacity.nodes}`).join(','),
    },
  };
}

/** On the students' NodePool: planned nodes per course at full quota, for humans and `npm run plan`. */
export const STUDENT_CAPACITY_ANNOTATION = 'dojo.training/planned-nodes-per-course';
