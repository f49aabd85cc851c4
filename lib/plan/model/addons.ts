/** The plan of the platform's add-ons: controllers and CRDs from pinned upstream sources. */

/** Where an upstream component comes from: a Helm chart, or a folder of a git repo, pinned. */
export type UpstreamSource =
  | {
      readonly kind: 'helm';
      readonly repoURL: string;
      readonly chart: string;
      readonly version: string;
      readonly values: Record<string, unknown>;
      /** ArgoCD renders without CRDs: another Application owns them. */
      readonly skipCrds?: boolean;
    }
  | {
      readonly kind: 'git';
      readonly repoURL: string;
      readonly path: string;
      readonly revision: string;
      /** Only the files of the folder whose names match this glob (ArgoCD's `directory.include`). */
      readonly include?: string;
    };

export interface IgnoredDifference {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
}

/** A controller (or CRD set) the generated objects need, installed from a pinned upstream source. */
export interface AddonPlan {
  readonly name: string;
  readonly namespace: string;
  readonly syncWave: 'crds' | 'webhooks' | 'addons';
  readonly source: UpstreamSource;
  /** Fields ArgoCD leaves as the cluster has them: the chart renders them anew each time. */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
}
