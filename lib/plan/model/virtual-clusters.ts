/** The plan of the students' virtual clusters (vcluster mode). */
import type { ChartSource } from '../../facts/versions';
import type { CronRange } from './schedule';

/** A course's virtual clusters: one Application per student, under one Application of the course. */
export interface VirtualClusterPlan {
  readonly chart: ChartSource;
  /** The Application of the course's folder of per-student Applications. */
  readonly application: string;
  /** `dist/<cluster>/vclusters/<course>`: one file per student. */
  readonly path: string;
  /** The ClusterRole with which each workstation reads its virtual cluster's kubeconfig. */
  readonly kubeconfigReaderRole: string;
  /** The AppProject of the students' virtual cluster Applications. */
  readonly project: string;
  /** Nodes the control planes add to the students' pool, and what they cost a week on the schedule. */
  readonly extraStudentNodes: number;
  readonly extraUsdPerWeek: number;
}

/** One student's virtual cluster: an Application of the pinned chart, into the student's namespace. */
export interface StudentVirtualClusterPlan {
  readonly application: string;
  readonly values: Readonly<Record<string, unknown>>;
  /** Where the workstation reaches it. */
  readonly server: string;
  /** The ClusterRole with which the workstation reads the virtual cluster's kubeconfig. */
  readonly kubeconfigReaderRole: string;
  /** When the control plane is up: undefined without a schedule (always). */
  readonly triggers: readonly CronRange[] | undefined;
}
