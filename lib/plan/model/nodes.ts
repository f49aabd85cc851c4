/** The plan of the nodes a course needs. */
import type { InstanceType } from '../../facts/instance-types';

export interface CapacityPlan {
  readonly instanceType: InstanceType;
  readonly seatsPerNode: number;
  /** Nodes for every student awake at once. */
  readonly nodes: number;
  readonly costPerHour: number;
  /** NodePool limits: the nodes above plus one spare node of headroom, as Kubernetes quantities. */
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** The EC2NodeClass shared by the course NodePools of a cluster: Ubuntu EKS AMIs, for sysbox. */
export interface NodeClassPlan {
  readonly name: string;
  readonly role: string;
  readonly amiName: string;
  readonly amiOwner: string;
  readonly subnetTags: Readonly<Record<string, string>>;
  readonly securityGroupTags: Readonly<Record<string, string>>;
  readonly publicIP: boolean;
  readonly rootVolumeSize: string;
  /** Kubelet settings that keep a node alive when one pod runs wild. */
  readonly kubelet: {
    readonly systemReserved: Readonly<Record<string, string>>;
    readonly evictionHard: Readonly<Record<string, string>>;
  };
}

export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal';
  readonly value: string;
  readonly effect: 'NoSchedule';
}

/** The Karpenter NodePool of one course: its nodes serve its workstations and nothing else. */
export interface NodePoolPlan {
  readonly name: string;
  readonly nodeClass: string;
  /** Labels every node of the pool carries from birth. */
  readonly labels: Readonly<Record<string, string>>;
  /** Undefined for the students' pool: any student pod may land there. */
  readonly taint: Toleration | undefined;
  /** Undefined where no node agent has to finish first. */
  readonly startupTaint: Toleration | undefined;
  readonly architecture: string;
  readonly instanceFamilies: readonly string[];
  /** Smallest node size: workstations are packed onto nodes of at least this many vCPUs. */
  readonly minVcpu: number;
  readonly limits: { readonly cpu: string; readonly memory: string };
  readonly consolidateAfter: string;
  readonly expireAfter: string;
  /** Karpenter disruption budgets: none during class hours. */
  readonly budgets: readonly DisruptionBudget[];
  /** The capacity plan, recorded on the NodePool for humans and for `npm run plan`. */
  readonly annotations: Readonly<Record<string, string>>;
}

export interface DisruptionBudget {
  readonly nodes: string;
  readonly reasons?: readonly ('Empty' | 'Drifted' | 'Underutilized')[];
  /** Cron in UTC. */
  readonly schedule?: string;
  readonly duration?: string;
}

/** Placeholders that bring nodes up and pull the image before class, then make way. */
export interface PrewarmPlan {
  readonly name: string;
  readonly seats: number;
  readonly priorityClass: string;
}

/** How a workstation pod finds its course's sysbox nodes and stays on them. */
export interface WorkstationSchedulingPlan {
  readonly runtimeClass: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  readonly annotations: Readonly<Record<string, string>>;
}
