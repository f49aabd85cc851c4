import type { ClusterMeshPlan, StudentMeshPlan } from './mesh';
import type { CheckExercise } from '../../contracts/checks';
import type { SourceRef } from '../../common/problems';
import type { AddonPlan } from './addons';
import type { AdmissionPolicyPlan } from './admission';
import type { EgressRule } from './network';
import type { FlowSchemaPlan } from './api-fairness';
import type { ArgoCdPlan, ProjectPlan } from './argocd';
import type { BootstrapPlan } from './bootstrap';
import type { ClassBoardPlan } from './class-board';
import type { LoginPlan, StudentLogin } from './login';
import type { CapacityPlan, NodeClassPlan, NodePoolPlan, PrewarmPlan, WorkstationSchedulingPlan } from './nodes';
import type { ClusterRoutingPlan, CourseRoutingPlan, StudentHosts, StudentRoutesPlan } from './routing';
import type { CompiledSchedule } from './schedule';
import type { StudentVirtualClusterPlan, VirtualClusterPlan } from './virtual-clusters';

/** Everything the constructs need, decided; no construct makes a choice of its own. */
export interface RepoPlan {
  readonly clusters: readonly ClusterPlan[];
}

export interface ClusterPlan {
  readonly name: string;
  readonly file: string;
  /** The logins: IDEs and the class board. */
  readonly domain: string;
  /** What students serve: app ports and their own Ingresses, another site than `domain`. */
  readonly contentDomain: string;
  readonly kubernetesVersion: string;
  readonly argocd: ArgoCdPlan;
  /** Folder in the repo that holds the platform objects of this cluster. */
  readonly platformPath: string;
  readonly platformApplication: string;
  /** Undefined when no sysbox release supports the cluster's Kubernetes version (a problem is reported). */
  readonly sysboxInstallerImage: string | undefined;
  readonly nodeClass: NodeClassPlan;
  readonly routing: ClusterRoutingPlan;
  /** Controllers and CRDs, each an Application of pinned upstream source. */
  readonly addons: readonly AddonPlan[];
  /** The pool of the students' own pods; undefined when no running course gives namespaces. */
  readonly studentNodePool: NodePoolPlan | undefined;
  /** What every object in a student namespace must pass. */
  readonly admissionPolicies: readonly AdmissionPolicyPlan[];
  /** The roles a service mesh's namespaces bind; undefined on a cluster without a mesh course. */
  readonly mesh: ClusterMeshPlan | undefined;
  /** The AppProjects of the platform's and of the courses' Applications. */
  readonly projects: {
    readonly platform: ProjectPlan;
    readonly courses: ProjectPlan;
    /** Only on a cluster with a vcluster-mode course. */
    readonly virtualClusters: ProjectPlan | undefined;
  };
  /** Sorted by name. */
  readonly courses: readonly CoursePlan[];
  /** The files a platform engineer runs once to make the cluster (undefined: a problem says why). */
  readonly bootstrap: BootstrapPlan | undefined;
  /** The trainers' class board; undefined when the cluster file names no trainers. */
  readonly board: ClassBoardPlan | undefined;
}

export interface CoursePlan {
  /**
   * What the cluster knows the course by (its id: namespaces, hosts, dist/ folder); the
   * commands take the name of its file, which differs after `npm run rename-course`.
   */
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
  /** How students sign in to their IDE. */
  readonly login: LoginPlan;
  readonly kubernetes: KubernetesAccessPlan;
  readonly nodePool: NodePoolPlan;
  readonly routing: CourseRoutingPlan;
  /** Archived: namespaces and homes stay; workstations, nodes and schedules go. */
  readonly archived: boolean;
  /** Class hours; undefined: always on. */
  readonly schedule: CompiledSchedule | undefined;
  /** Undefined without a schedule (always on: nothing to warm up for) or with no seats to warm. */
  readonly prewarm: PrewarmPlan | undefined;
  /** Undefined when no allowed instance type fits one workstation (a problem is reported). */
  readonly capacity: CapacityPlan | undefined;
  /** Nodes for the students' own pods at full quota; undefined without namespaces or when archived. */
  readonly studentCapacity: CapacityPlan | undefined;
  /** The exercises of the check sets the course names, in order; none without Kubernetes access. */
  readonly checks: readonly CheckExercise[];
}

export interface StudentPlan {
  readonly id: string;
  readonly name: string;
  readonly source: SourceRef;
  /** What the student has of Kubernetes. */
  readonly kubernetes: StudentKubernetesPlan;
  readonly workstation: string;
  readonly hosts: StudentHosts;
  /** The course's own lines on the student's slip, filled in for the student. */
  readonly handout: readonly string[];
  /** bcrypt hash of the student's IDE password (never the password); empty on OIDC clusters. */
  readonly passwordHash: string;
  /** What the student's login proxy checks. */
  readonly login: StudentLogin;
  /**
   * How the student's hosts reach their workstation. Undefined when nothing does: the course is
   * archived, or in alb mode no certificate covers it (a problem is reported).
   */
  readonly routes: StudentRoutesPlan | undefined;
  /** Where the student's workstation may connect. */
  readonly workstationEgress: readonly EgressRule[];
  /** The student's queue at the API server. */
  readonly flowSchema: FlowSchemaPlan;
}

/** A student's Kubernetes: none, a namespace of their own, or a virtual cluster in that namespace. */
export type StudentKubernetesPlan =
  | { readonly access: 'none' }
  | {
      readonly access: 'namespace';
      /** The student's own namespace, where they are admin. */
      readonly namespace: string;
      /** The `hard` amounts of the namespace's ResourceQuota. */
      readonly namespaceQuota: NamespaceQuotaPlan;
      /** The ClusterRole with which the student reads the cluster-scoped kinds the katas list. */
      readonly clusterReadRole: string;
      /** Where the pods of the namespace may connect. */
      readonly namespaceEgress: readonly EgressRule[];
      /** The student's part of the course's service mesh; undefined without one. */
      readonly mesh?: StudentMeshPlan;
    }
  | {
      readonly access: 'vcluster';
      /** The student's namespace on the host, which holds their virtual cluster; they have no rights there. */
      readonly namespace: string;
      /** The `hard` amounts of the namespace's ResourceQuota, with the virtual cluster's own share. */
      readonly namespaceQuota: NamespaceQuotaPlan;
      /** Where the pods of the namespace (the virtual cluster and the pods it syncs) may connect. */
      readonly namespaceEgress: readonly EgressRule[];
      /**
       * Undefined when the course is archived (the namespace stays, the virtual cluster goes), or
       * when no virtual Kubernetes image fits the cluster (a problem is reported).
       */
      readonly virtualCluster: StudentVirtualClusterPlan | undefined;
    };

export interface WorkstationPlan {
  readonly image: string;
  /** The Secret its pods pull the image with (`images.pullSecret`), for a private registry. */
  readonly imagePullSecret?: string;
  readonly cpu: string;
  readonly memory: string;
  readonly homeSize: string;
  /**
   * What the StatefulSets' volumeClaimTemplates ask for: the home size the course started
   * with (a template cannot change). Smaller than homeSize when homes have grown since.
   */
  readonly homeClaimTemplate: string;
  /** What the home volumes have before this synth (they grow, never shrink): homeSize may not be less. */
  readonly homeVolumes: string;
  /** Size of the volume dockerd keeps its data on. */
  readonly dockerStorage: string;
  /** The IDE container's requests and limits; pre-warm placeholders hold exactly these. */
  readonly resources: {
    readonly requests: Readonly<Record<string, string>>;
    readonly limits: Readonly<Record<string, string>>;
  };
  /** code-server's port, on the pod's loopback only. */
  readonly idePort: number;
  readonly appPorts: readonly number[];
  readonly repos: readonly { readonly url: string; readonly directory: string }[];
  readonly scheduling: WorkstationSchedulingPlan;
  /** The students' own workloads sleep and wake with their workstation (a schedule and namespaces). */
  readonly kataSleep: boolean;
}

/**
 * What a course gives its students of Kubernetes: nothing; admin in a namespace of their own
 * (namespace); or cluster-admin of a virtual cluster in that namespace and nothing on the host
 * (vcluster).
 */
export type KubernetesAccessPlan =
  | { readonly access: 'none' }
  | {
      readonly access: 'namespace';
      /** The ClusterRole with which students read the cluster-scoped kinds the katas list. */
      readonly clusterReadRole: string;
      /** The students' namespaces are in an Istio mesh (`kubernetes.mesh`). */
      readonly mesh: boolean;
    }
  | {
      readonly access: 'vcluster';
      /** Undefined when the course is archived or no virtual Kubernetes image fits the cluster (a problem is reported). */
      readonly virtualClusters: VirtualClusterPlan | undefined;
    };

/** The `hard` amounts of a student namespace's ResourceQuota (in vcluster mode with the virtual cluster's own share). */
export type NamespaceQuotaPlan = Readonly<Record<string, string | number>>;
