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
