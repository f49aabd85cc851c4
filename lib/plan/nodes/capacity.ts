import type { InstanceType } from '../../facts/instance-types';
import type { CapacityPlan } from '../model/nodes';

/** What one workstation requests. */
export interface SeatRequest {
  readonly cpu: number;
  readonly memoryGiB: number;
}

/**
 * What a node spends before any workstation: the DaemonSets (VPC CNI, kube-proxy, EBS CSI
 * node, pod identity agent) and sysbox's own services (sysbox-mgr, sysbox-fs), which run
 * outside any pod and so are not in kube-reserved.
 */
export const NODE_OVERHEAD = { cpu: 0.35, memoryGiB: 0.75 } as const;

/** Karpenter's default VM_MEMORY_OVERHEAD_PERCENT: memory the hypervisor keeps. */
const VM_MEMORY_OVERHEAD = 0.075;
/** kubelet's default hard eviction threshold, memory.available<100Mi. */
const EVICTION_GIB = 100 / 1024;

/** kube-reserved CPU as EKS AMIs and Karpenter compute it: 6% of the first core, 1% of the second, 0.5% of cores 3-4, 0.25% above. */
export function kubeReservedCpu(vcpu: number): number {
  const tiers = [
    [1, 0.06],
    [1, 0.01],
    [2, 0.005],
    [Infinity, 0.0025],
  ] as const;
  let left = vcpu;
  let reserved = 0;
  for (const [cores, share] of tiers) {
    const used = Math.min(left, cores);
    reserved += used * share;
    left -= used;
  }
  return reserved;
}

/** kube-reserved memory: 255 MiB plus 11 MiB per pod the node may run. */
export function kubeReservedMemoryGiB(maxPods: number): number {
  return (255 + 11 * maxPods) / 1024;
}

/** How many workstations fit on one node of `type`. */
export function seatsPerNode(type: InstanceType, seat: SeatRequest): number {
  const cpu = type.vcpu - kubeReservedCpu(type.vcpu) - NODE_OVERHEAD.cpu;
  const memory =
    type.memoryGiB * (1 - VM_MEMORY_OVERHEAD) - kubeReservedMemoryGiB(type.maxPods) - EVICTION_GIB - NODE_OVERHEAD.memoryGiB;
  return Math.max(0, Math.min(Math.floor(cpu / seat.cpu + 1e-9), Math.floor(memory / seat.memoryGiB + 1e-9)));
}

/**
 * The allowed instance type that gives the lowest cost for `students` workstations, counting
 * what each node loses to the system; ties go to fewer nodes, then to the name. Undefined
 * when no allowed type fits even one workstation.
 */
export function planCapacity(students: number, seat: SeatRequest, allowed: readonly InstanceType[]): CapacityPlan | undefined {
  let best: CapacityPlan | undefined;
  for (const type of allowed) {
    const perNode = seatsPerNode(type, seat);
    if (perNode === 0) continue;
    const nodes = Math.ceil(students / perNode);
    const candidate: CapacityPlan = {
      instanceType: type,
      seatsPerNode: perNode,
      nodes,
      costPerHour: round(nodes * type.pricePerHour),
      // One spare node: Karpenter may pick a smaller type of an allowed family, or replace a node.
      limits: { cpu: String((nodes + 1) * type.vcpu), memory: `${(nodes + 1) * type.memoryGiB}Gi` },
    };
    if (!best || better(candidate, best)) best = candidate;
  }
  return best;
}

function better(a: CapacityPlan, b: CapacityPlan): boolean {
  if (a.costPerHour !== b.costPerHour) return a.costPerHour < b.costPerHour;
  if (a.nodes !== b.nodes) return a.nodes < b.nodes;
  return a.instanceType.name < b.instanceType.name;
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
