/** The plan of ArgoCD: where it reads the repo, and its AppProjects (what each set of Applications may deploy, and where). */

export interface ResourceRule {
  readonly group: string;
  readonly kind: string;
  /** Glob on the object name (cluster-scoped rules only). */
  readonly name?: string;
}

export interface ProjectPlan {
  readonly name: string;
  readonly description: string;
  readonly sourceRepos: readonly string[];
  /** Namespace globs the project may deploy to. */
  readonly namespaces: readonly string[];
  readonly clusterResources: readonly ResourceRule[];
  /** Undefined: any namespaced kind. */
  readonly namespacedResources: readonly ResourceRule[] | undefined;
}

export interface ArgoCdPlan {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly namespace: string;
  readonly destinationServer: string;
  readonly project: string;
  readonly rootApplication: string;
  /** Folder in the repo that holds the child Applications of this cluster. */
  readonly appsPath: string;
}
