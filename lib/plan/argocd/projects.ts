import { clusterReadRoleName, courseNamespace, kubeconfigReaderRoleName, studentFlowSchemaPrefix } from '../model/object-names';
import { courseNodePoolName } from '../nodes/plan-nodes';
import type { ResourceRule, ProjectPlan } from '../model/argocd';

export const PLATFORM_PROJECT = 'dojo-platform';
export const COURSES_PROJECT = 'dojo-courses';

/** Everything a course Application creates inside namespaces; nothing else passes. */
export const COURSE_NAMESPACED_KINDS: readonly ResourceRule[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'LimitRange' },
  // Home claims that have grown (the StatefulSet made them; synth only raises their size).
  { group: '', kind: 'PersistentVolumeClaim' },
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
  // A mesh course: lets the student's mesh address route to their ingress gateway.
  { group: 'gateway.networking.k8s.io', kind: 'ReferenceGrant' },
  { group: 'keda.sh', kind: 'ScaledObject' },
  { group: 'networking.k8s.io', kind: 'Ingress' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  // A mesh course: each student's spans to their own Jaeger (lib/plan/mesh/observability.ts).
  { group: 'telemetry.istio.io', kind: 'Telemetry' },
  // gateway mode: the sign-in limits the IDE routes name (lib/plan/routing/sign-in-limits.ts).
  { group: 'traefik.io', kind: 'Middleware' },
];

/**
 * The project of all course Applications: only the course repo, only the courses' own
 * namespaces, only the namespaced kinds above, and cluster-wide only the objects a course
 * generates, by name: its namespaces, its read-only ClusterRoles and bindings, its NodePool.
 * No CRDs, no other cluster-wide RBAC, nothing in kube-system.
 */
export function coursesProject(repoURL: string, courses: readonly string[]): ProjectPlan {
  return {
    name: COURSES_PROJECT,
    description: 'dojo courses: each in its own namespaces, nothing cluster-wide beyond what dojo generates',
    sourceRepos: [repoURL],
    namespaces: courses.flatMap((c) => [courseNamespace(c), `${c}-*`]),
    clusterResources: courses.flatMap((c) => [
      { group: '', kind: 'Namespace', name: courseNamespace(c) },
      { group: '', kind: 'Namespace', name: `${c}-*` },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterReadRoleName(c) },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: kubeconfigReaderRoleName(c) },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', name: `${clusterReadRoleName(c)}-*` },
      { group: 'karpenter.sh', kind: 'NodePool', name: courseNodePoolName(c) },
      { group: 'flowcontrol.apiserver.k8s.io', kind: 'FlowSchema', name: `${studentFlowSchemaPrefix(c)}*` },
    ]),
    namespacedResources: COURSE_NAMESPACED_KINDS,
  };
}

/** The project of the platform: the controllers, their CRDs and the shared objects. */
export function platformProject(sourceRepos: readonly string[]): ProjectPlan {
  return {
    name: PLATFORM_PROJECT,
    description: 'dojo platform: controllers, CRDs and objects shared by all courses',
    sourceRepos: [...new Set(sourceRepos)].sort(),
    namespaces: ['*'],
    clusterResources: [{ group: '*', kind: '*' }],
    namespacedResources: undefined,
  };
}

export const VIRTUAL_CLUSTERS_PROJECT = 'dojo-vclusters';

/** The kinds the vcluster chart renders with dojo's values (test/virtual-cluster.test.ts renders it and holds this list to it). */
export const VIRTUAL_CLUSTER_KINDS: readonly ResourceRule[] = [
  { group: '', kind: 'Secret' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/**
 * The project of the vcluster-mode courses' virtual clusters: each course's Application of
 * per-student Applications (in ArgoCD's namespace), and those, which install the pinned chart
 * into the students' namespaces. Nothing cluster-wide: a virtual cluster has no rights beyond
 * its namespace.
 */
export function virtualClustersProject(
  repoURL: string,
  chartRepoURLs: readonly string[],
  argocdNamespace: string,
  courses: readonly string[],
): ProjectPlan {
  return {
    name: VIRTUAL_CLUSTERS_PROJECT,
    description: "dojo virtual clusters: one per student of a vcluster-mode course, in the student's namespace",
    sourceRepos: [...new Set([repoURL, ...chartRepoURLs])].sort(),
    namespaces: [argocdNamespace, ...courses.map((c) => `${c}-*`)],
    clusterResources: [],
    namespacedResources: [{ group: 'argoproj.io', kind: 'Application' }, ...VIRTUAL_CLUSTER_KINDS],
  };
}
