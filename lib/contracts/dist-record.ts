/**
 * What dojo writes into dist/ and reads back at the next synth (dist/ is the record of what is
 * deployed), and what `npm run plan` reads from two versions of dist/: the writer and the readers
 * share these names, so neither can change one alone.
 */

/** A Kubernetes object as read back from dist/. */
export interface KubeObjectLike {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** File, in each course folder of dist/, that records the ALB group of every student (alb mode). */
export const ALB_GROUPS_FILE = 'alb-groups.yaml';

/** Annotation on a course's namespace: the size its StatefulSets ask their home claims for. */
export const HOME_CLAIM_TEMPLATE_ANNOTATION = 'dojo.training/home-claim-template';
/** Annotation on a course's namespace: the size its home volumes have (they never shrink). */
export const HOME_SIZE_ANNOTATION = 'dojo.training/home-size';

/** Annotation keys of the capacity plan on a NodePool. */
export const CAPACITY_ANNOTATIONS = {
  instanceType: 'dojo.training/planned-instance-type',
  nodes: 'dojo.training/planned-nodes',
  /** Nodes of the students' pool this course's students fill at full quota. */
  studentNodes: 'dojo.training/planned-student-nodes',
  usdPerWeek: 'dojo.training/estimated-usd-per-week',
  /** vcluster mode: of the students' nodes, those the virtual clusters' control planes add. */
  virtualClusterNodes: 'dojo.training/planned-virtual-cluster-nodes',
  /** vcluster mode: what those control planes cost a week on the schedule (within usdPerWeek). */
  virtualClusterUsdPerWeek: 'dojo.training/estimated-virtual-cluster-usd-per-week',
} as const;
