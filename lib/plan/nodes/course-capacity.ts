import type { Loaded } from '../../input/load/load-repo';
import type { ClusterSpec } from '../../input/schema/cluster';
import type { CourseSpec } from '../../input/schema/course';
import { parseBytes, parseCpu } from '../../input/schema/quantity';
import type { Problem } from '../../common/problems';
import { INSTANCE_TYPES, type InstanceType } from '../../facts/instance-types';
import type { CoursePlan } from '../model/types';
import { MIN_NODE_VCPU } from './plan-nodes';
import { planStudentCapacity } from './student-nodes';

/** The instance types a cluster's course nodes may be: its families and architecture, and big enough. */
export function allowedInstanceTypes(cluster: ClusterSpec): InstanceType[] {
  return INSTANCE_TYPES.filter(
    (t) => cluster.nodes.instanceFamilies.includes(t.family) && t.arch === cluster.nodes.architecture && t.vcpu >= MIN_NODE_VCPU,
  );
}

export function checkCapacity(course: CoursePlan, cluster: Loaded<ClusterSpec>): Problem[] {
  if (course.capacity || course.archived) return [];
  const allowed = allowedInstanceTypes(cluster.spec);
  const largest = [...allowed].sort((a, b) => b.vcpu - a.vcpu || b.memoryGiB - a.memoryGiB)[0];
  const cpuBinds = !largest || parseCpu(course.workstation.cpu) >= largest.vcpu;
  return [
    {
      at: { file: course.file, path: ['workstation', cpuBinds ? 'cpu' : 'memory'] },
      message:
        `a workstation of cpu ${course.workstation.cpu} and memory ${course.workstation.memory} fits on no instance type ` +
        (largest
          ? `${cluster.file} allows; the largest is ${largest.name} (${largest.vcpu} vCPU, ${largest.memoryGiB} GiB) less system overhead`
          : `${cluster.file} allows: none of its instance families has ${cluster.spec.nodes.architecture} types`),
      hint: `lower workstation.cpu or workstation.memory, or allow larger families in ${cluster.file} (nodes.instanceFamilies)`,
    },
  ];
}

/**
 * The students' pool for a course at full quota; each seat also holds what the platform puts in
 * the student's namespace (`platformSeat`: a virtual cluster's control plane and CoreDNS, a
 * mesh's gateways), and the difference is what that adds.
 */
export function planStudentPods(
  students: number,
  spec: CourseSpec,
  cluster: ClusterSpec,
  platformSeat: { readonly cpu: number; readonly memoryGiB: number } | undefined,
) {
  if (!spec.kubernetes.namespace || spec.archived) return { capacity: undefined, extraNodes: 0, extraPerHour: 0 };
  const allowed = allowedInstanceTypes(cluster);
  const own = planStudentCapacity(students, spec.kubernetes.quota, allowed);
  if (!platformSeat) return { capacity: own, extraNodes: 0, extraPerHour: 0 };
  const total = planStudentCapacity(
    students,
    {
      cpu: String(parseCpu(spec.kubernetes.quota.cpu) + platformSeat.cpu),
      memory: `${parseBytes(spec.kubernetes.quota.memory) + platformSeat.memoryGiB * 2 ** 30}`,
    },
    allowed,
  );
  return {
    capacity: total,
    extraNodes: (total?.nodes ?? 0) - (own?.nodes ?? 0),
    extraPerHour: (total?.costPerHour ?? 0) - (own?.costPerHour ?? 0),
  };
}
