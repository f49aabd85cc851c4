import type { BootstrapPlan } from './bootstrap';
import type { SourceRef } from '../../common/problems';
import type { CapacityPlan } from './nodes';
import type { AcmeIssuerPlan, CourseCertificatePlan } from './routing';
import type { GatewayListener, StudentHosts } from './routing';
import type { CompiledSchedule, CronRange } from './schedule';
import type { ChartSource } from '../../facts/versions';
import type { AddonPlan } from './addons';
import type { ProjectPlan } from './argocd';
import type { LoginPlan, StudentLogin } from './login';
import type { AdmissionPolicyPlan } from './admission';
import type { ClassBoardPlan } from './class-board';

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

export type ClusterRoutingPlan =
  | {
      readonly mode: 'gateway';
      /** The shared proxy every course's hosts reach the workstations through. */
      readonly gateway: GatewayPlan;
    }
  | {
      readonly mode: 'alb';
      /** Where ALB traffic comes from. */
      readonly loadBalancerSourceRanges: readonly string[];
    };

export interface GatewayPlan {
  readonly listeners: readonly GatewayListener[];
  /** Annotations of the proxy's LoadBalancer Service: the NLB and the wildcard DNS names. */
  readonly serviceAnnotations: Readonly<Record<string, string>>;
  /** Helm values of the proxy's chart. */
  readonly proxyValues: Readonly<Record<string, unknown>>;
  /** One wildcard per course: the only DNS records routing needs. */
  readonly dnsNames: readonly string[];
  /** One wildcard certificate per course, served by its listener. */
  readonly certificates: readonly CourseCertificatePlan[];
  /** The ACME issuer of those certificates. */
  readonly issuer: AcmeIssuerPlan;
}

export type CourseRoutingPlan =
  | {
      readonly mode: 'gateway';
      /** `<course>.<domain>`. */
      readonly domain: string;
    }
  | {
      readonly mode: 'alb';
      /** `<course>.<domain>`. */
      readonly domain: string;
      /** The IngressGroups and their members. */
      readonly albGroups: readonly { readonly name: string; readonly students: readonly string[] }[];
      /** Target groups one student adds to their ALB. */
      readonly targetGroupsPerStudent: number;
    };

/** How a student's hosts reach their workstation. */
export type StudentRoutesPlan =
  | { readonly mode: 'gateway' }
  | {
      readonly mode: 'alb';
      /** The IngressGroup (one ALB) of the student's Ingresses. */
      readonly group: string;
      /** The ACM certificate covering `*.<course>.<domain>`. */
      readonly certificateArn: string;
    };

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
}

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

export interface StudentPlan {
  readonly id: string;
  readonly name: string;
  readonly source: SourceRef;
  /** What the student has of Kubernetes. */
  readonly kubernetes: StudentKubernetesPlan;
  readonly workstation: string;
  readonly hosts: StudentHosts;
  /** bcrypt hash of the student's IDE password (never the password); empty on OIDC clusters. */
  readonly passwordHash: string;
  /** What the student's login proxy checks. */
  readonly login: StudentLogin;
  /** How the student's hosts reach their workstation; undefined when nothing does (an archived course). */
  readonly routes: StudentRoutesPlan | undefined;
}

/** A student's Kubernetes: none, a namespace of their own, or a virtual cluster in that namespace. */
export type StudentKubernetesPlan =
  | { readonly isolation: 'none' }
  | {
      readonly isolation: 'namespace';
      /** The student's own namespace, where they are admin. */
      readonly namespace: string;
      /** The `hard` amounts of the namespace's ResourceQuota. */
      readonly namespaceQuota: StudentNamespacesPlan['namespaceQuota'];
      /** The ClusterRole with which the student reads the cluster-scoped kinds the katas list. */
      readonly clusterReadRole: string;
    }
  | {
      readonly isolation: 'vcluster';
      /** The student's namespace on the host, which holds their virtual cluster; they have no rights there. */
      readonly namespace: string;
      /** The `hard` amounts of the namespace's ResourceQuota, with the virtual cluster's own share. */
      readonly namespaceQuota: StudentNamespacesPlan['namespaceQuota'];
      /** Undefined when the course is archived: the namespace stays, the virtual cluster goes. */
      readonly virtualCluster: StudentVirtualClusterPlan | undefined;
    };

export interface WorkstationPlan {
  readonly image: string;
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
  | { readonly isolation: 'none' }
  | (StudentNamespacesPlan & {
      readonly isolation: 'namespace';
      /** The ClusterRole with which students read the cluster-scoped kinds the katas list. */
      readonly clusterReadRole: string;
    })
  | (StudentNamespacesPlan & {
      readonly isolation: 'vcluster';
      /** Undefined when the course is archived: namespaces stay, virtual clusters go. */
      readonly virtualClusters: VirtualClusterPlan | undefined;
    });

/** The students' namespaces of a course, in either isolation. */
export interface StudentNamespacesPlan {
  /** The `hard` amounts of each student namespace's ResourceQuota (in vcluster mode with the virtual cluster's own share). */
  readonly namespaceQuota: Readonly<Record<string, string | number>>;
  readonly quota: {
    readonly cpu: string;
    readonly memory: string;
    readonly pods: number;
    readonly services: number;
    readonly persistentVolumeClaims: number;
    readonly loadBalancers: number;
    readonly nodePorts: number;
    readonly storage: string;
    readonly ephemeralStorage: string;
  };
}
