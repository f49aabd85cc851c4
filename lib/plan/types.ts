import type { SourceRef } from '../problems';

/** Everything the constructs need, decided; no construct makes a choice of its own. */
export interface RepoPlan {
  readonly clusters: readonly ClusterPlan[];
}

export interface ClusterPlan {
  readonly name: string;
  readonly file: string;
  readonly domain: string;
  readonly kubernetesVersion: string;
  readonly argocd: ArgoCdPlan;
  /** Sorted by name. */
  readonly courses: readonly CoursePlan[];
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

export interface CoursePlan {
  readonly name: string;
  readonly title: string;
  readonly file: string;
  readonly cluster: string;
  /** Namespace of the workstations: out of every student's reach. */
  readonly namespace: string;
  /** Folder in the repo that holds everything of this course. */
  readonly path: string;
  readonly application: string;
  /** Sorted by id. */
  readonly students: readonly StudentPlan[];
  readonly workstation: WorkstationPlan;
  readonly kubernetes: KubernetesAccessPlan;
}

export interface StudentPlan {
  readonly id: string;
  readonly name: string;
  readonly source: SourceRef;
  /** The student's own namespace, or undefined when the course gives no Kubernetes access. */
  readonly namespace: string | undefined;
  readonly workstation: string;
  readonly ideHost: string;
}

export interface WorkstationPlan {
  readonly image: string;
  readonly cpu: string;
  readonly memory: string;
  readonly homeSize: string;
  readonly idePort: number;
  readonly appPorts: readonly number[];
  readonly repos: readonly { readonly url: string; readonly directory: string }[];
}

export interface KubernetesAccessPlan {
  readonly enabled: boolean;
  readonly clusterReadRole: string;
  readonly quota: {
    readonly cpu: string;
    readonly memory: string;
    readonly pods: number;
    readonly services: number;
    readonly persistentVolumeClaims: number;
    readonly loadBalancers: number;
  };
}
