import type { ClusterSpec } from '../../input/schema/cluster';
import { LABELS } from '../model/object-names';
import { SYSBOX } from './sysbox';
import type { CompiledSchedule } from '../model/schedule';
import type { DisruptionBudget, NodeClassPlan, NodePoolPlan, Toleration, WorkstationSchedulingPlan } from '../model/nodes';

/** Canonical's AWS account, owner of the Ubuntu EKS AMIs. */
export const CANONICAL_OWNER = '099720109477';
export const SYSBOX_NODE_CLASS = 'sysbox';
/** Workstations need room to burst: no node smaller than this many vCPUs. */
export const MIN_NODE_VCPU = 4;
export const WORKSTATION_TAINT_KEY = 'dojo.training/workstations';

/**
 * A fork bomb in one workstation must not take the node, its kubelet, CRI-O and sysbox with
 * it. Karpenter v1's EC2NodeClass has no per-pod PID limit (`podPidsLimit`), so the node keeps
 * PIDs back for the system (pods together get the rest) and evicts the pod that uses the most
 * once fewer than 10% are free. Listing one eviction threshold drops the kubelet's defaults
 * for the others, so they are listed too, at the kubelet's default values.
 */
export const NODE_KUBELET = {
  systemReserved: { pid: '4096' },
  evictionHard: {
    'memory.available': '100Mi',
    'nodefs.available': '10%',
    'nodefs.inodesFree': '5%',
    'imagefs.available': '15%',
    'pid.available': '10%',
  },
} as const;

/**
 * The subnets Karpenter may launch course nodes in, by default. eksctl's stack tags
 * (`metadata.tags`, hence `karpenter.sh/discovery`) land on every subnet of the VPC it makes,
 * public ones included; a node there without a public address (`nodes.publicIP: false`) has no
 * way out and never joins. eksctl tags its private subnets `kubernetes.io/role/internal-elb: 1`
 * and its public ones `kubernetes.io/role/elb: 1` (eksctl v0.230.0,
 * pkg/cfn/builder/vpc_ipv4.go), and the tags of one Karpenter subnet selector term must all
 * match (Karpenter v1.8 EC2NodeClass, subnetSelectorTerms: "within a single term, all
 * conditions are ANDed"): so nodes without public addresses go to private subnets only, and
 * nodes with them to public subnets only.
 */
export function defaultSubnetTags(cluster: string, publicIP: boolean): Record<string, string> {
  return {
    'karpenter.sh/discovery': cluster,
    [publicIP ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb']: '1',
  };
}

/** Ubuntu EKS AMIs (sysbox refuses Amazon Linux and Bottlerocket) for the cluster's Kubernetes version. */
export function planNodeClass(cluster: ClusterSpec): NodeClassPlan {
  const discovery = { 'karpenter.sh/discovery': cluster.name };
  return {
    name: SYSBOX_NODE_CLASS,
    role: cluster.nodes.role,
    amiName: `ubuntu-eks/k8s_${cluster.kubernetesVersion}/images/hvm-ssd*/ubuntu-*-server-*`,
    amiOwner: CANONICAL_OWNER,
    subnetTags: cluster.nodes.subnetTags ?? defaultSubnetTags(cluster.name, cluster.nodes.publicIP),
    securityGroupTags: cluster.nodes.securityGroupTags ?? discovery,
    publicIP: cluster.nodes.publicIP,
    rootVolumeSize: cluster.nodes.rootVolumeSize,
    kubelet: NODE_KUBELET,
  };
}

export function courseNodePoolName(course: string): string {
  return `course-${course}`;
}

/**
 * The NodePool of a course. Its nodes carry the sysbox labels from birth and the startup
 * taint the installer removes, so Karpenter scales up for sysbox pods (sysbox #888), and a
 * taint only this course's workstations tolerate, so nothing else lands on them.
 */
export function planNodePool(
  course: string,
  cluster: ClusterSpec,
  limits: { cpu: string; memory: string },
  schedule: CompiledSchedule | undefined,
  annotations: Record<string, string>,
): NodePoolPlan {
  return {
    name: courseNodePoolName(course),
    nodeClass: SYSBOX_NODE_CLASS,
    labels: {
      [SYSBOX.installLabel.key]: SYSBOX.installLabel.value,
      [SYSBOX.runtimeLabel.key]: SYSBOX.runtimeLabel.value,
      [LABELS.course]: course,
    },
    taint: workstationToleration(course),
    startupTaint: { ...SYSBOX.startupTaint, operator: 'Equal' },
    architecture: cluster.nodes.architecture,
    instanceFamilies: cluster.nodes.instanceFamilies,
    minVcpu: MIN_NODE_VCPU,
    limits,
    // Long enough to ride out a workstation restart, short enough that an empty course costs little.
    consolidateAfter: '10m',
    // Nodes are renewed monthly for patches; a workstation's do-not-disrupt holds that off until it sleeps.
    expireAfter: '720h',
    budgets: disruptionBudgets(schedule),
    annotations,
  };
}

/**
 * Empty nodes may always go. Outside class, drift and consolidation replace a tenth of the
 * nodes at a time; during class (from pre-warm to the end of each window) nothing goes.
 * A course without a schedule may have students at any hour: only empty nodes go, ever.
 */
export function disruptionBudgets(schedule: CompiledSchedule | undefined): DisruptionBudget[] {
  const empty: DisruptionBudget = { nodes: '100%', reasons: ['Empty'] };
  if (!schedule) return [empty, { nodes: '0', reasons: ['Drifted', 'Underutilized'] }];
  return [
    empty,
    { nodes: '10%', reasons: ['Drifted', 'Underutilized'] },
    ...schedule.protectedWindows.map((w) => ({ nodes: '0', schedule: w.schedule, duration: w.duration })),
  ];
}

export function workstationToleration(course: string): Toleration {
  return { key: WORKSTATION_TAINT_KEY, operator: 'Equal', value: course, effect: 'NoSchedule' };
}

/** What puts a workstation on its course's sysbox nodes, and keeps Karpenter from evicting it. */
export function planWorkstationScheduling(course: string): WorkstationSchedulingPlan {
  return {
    runtimeClass: SYSBOX.runtimeClass,
    nodeSelector: { [LABELS.course]: course },
    tolerations: [workstationToleration(course)],
    annotations: {
      [SYSBOX.userNamespaceAnnotation.key]: SYSBOX.userNamespaceAnnotation.value,
      'karpenter.sh/do-not-disrupt': 'true',
    },
  };
}

/** The installer must reach every course node, whatever the course's taint. */
export const INSTALLER_TOLERATIONS = [
  { key: SYSBOX.startupTaint.key, operator: 'Equal', value: SYSBOX.startupTaint.value, effect: 'NoSchedule' },
  { key: WORKSTATION_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' },
] as const;
