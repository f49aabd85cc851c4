import type { Loaded } from '../input/load/load-repo';
import type { ClusterSpec } from '../input/schema/cluster';
import type { Problem } from '../common/problems';
import { kubernetesVersionProblem } from '../facts/kubernetes-support';
import { checkAddonAccess, ON_SYSTEM_NODES, planAddons } from './addons/addons';
import { checkMeshVersions, planClusterMesh, planMeshAddons } from './mesh/mesh';
import { planAdmissionPolicies } from './admission/admission';
import { coursesProject, platformProject, virtualClustersProject } from './argocd/projects';
import { awsAccountProblems } from './bootstrap/aws-account';
import { planBootstrap } from './bootstrap/bootstrap';
import { placeholderProblems } from './bootstrap/placeholders';
import { checkTrainerLogins, planClassBoard } from './class-board/class-board';
import { clusterLoginMethod } from './login/credentials';
import { rootApplicationName } from './model/object-names';
import type { ClusterPlan, CoursePlan } from './model/types';
import { planNodeClass } from './nodes/plan-nodes';
import { planStudentNodePool } from './nodes/student-nodes';
import { sysboxInstallerImage } from './nodes/sysbox';
import { checkRoutingSpec, planClusterRouting } from './routing/plan-routing';
import { virtualClusterChart } from './virtual-clusters/virtual-cluster';

/** What is wrong with a cluster file on its own, before any course is planned on it. */
export function clusterProblems(file: string, spec: ClusterSpec): Problem[] {
  const problems = [
    ...checkAddonAccess(file, spec),
    ...awsAccountProblems(file, spec),
    ...placeholderProblems(file, spec),
    ...checkRoutingSpec(file, spec),
    ...checkMeshVersions(file, spec),
  ];
  const versionProblem = kubernetesVersionProblem(Number(spec.kubernetesVersion.split('.')[1]), spec.routing.mode);
  if (versionProblem) {
    problems.push({
      at: { file, path: ['kubernetesVersion'] },
      message: `"${spec.kubernetesVersion}" is not supported: ${versionProblem}`,
      hint: 'see "Upgrades: versions" in docs/platform-guide.md for what each part serves',
    });
  }
  return problems;
}

/** A cluster and the platform its courses share, planned by each capability in turn. */
export function planCluster(
  { file, spec }: Loaded<ClusterSpec>,
  courses: readonly CoursePlan[],
  passwordHash: (file: string, id: string) => string | undefined,
): { plan: ClusterPlan; problems: Problem[] } {
  const problems: Problem[] = [];
  const routing = planClusterRouting({ file, spec }, courses);
  problems.push(...routing.problems);
  const mesh = courses.some((c) => c.kubernetes.access === 'namespace' && c.kubernetes.mesh) ? planClusterMesh() : undefined;
  const addons = [
    ...planAddons(spec, routing.routing.mode === 'gateway' ? routing.routing.gateway : undefined),
    ...(mesh ? planMeshAddons(spec, ON_SYSTEM_NODES, tracedNamespaces(courses)) : []),
  ];
  const bootstrap = planBootstrap(file, spec);
  problems.push(...bootstrap.problems);
  const studentNodePool = planStudentNodePool(spec.nodes, courses);
  const trainerHash = (id: string) => passwordHash(file, id);
  const board = planClassBoard(spec, clusterLoginMethod(spec), courses, studentNodePool?.name, trainerHash);
  problems.push(...checkTrainerLogins(file, spec, trainerHash));
  const virtualClusterCourses = courses.filter((c) => c.kubernetes.access === 'vcluster' && c.kubernetes.virtualClusters);
  const plan: ClusterPlan = {
    name: spec.name,
    file,
    domain: spec.domain,
    contentDomain: spec.contentDomain,
    kubernetesVersion: spec.kubernetesVersion,
    argocd: {
      ...spec.argocd,
      rootApplication: rootApplicationName(spec.name),
      appsPath: `dist/${spec.name}/apps`,
    },
    platformPath: `dist/${spec.name}/platform`,
    platformApplication: 'platform',
    sysboxInstallerImage: sysboxInstallerImage(spec.kubernetesVersion),
    nodeClass: planNodeClass(spec),
    routing: routing.routing,
    addons,
    studentNodePool,
    admissionPolicies: planAdmissionPolicies({
      contentDomain: spec.contentDomain,
      argocdNamespace: spec.argocd.namespace,
      routingMode: spec.routing.mode,
      mesh: mesh !== undefined,
    }),
    mesh,
    projects: {
      platform: platformProject([spec.argocd.repoURL, ...addons.map((a) => a.source.repoURL)]),
      courses: coursesProject(
        spec.argocd.repoURL,
        courses.map((c) => c.name),
      ),
      virtualClusters:
        virtualClusterCourses.length > 0
          ? virtualClustersProject(
              spec.argocd.repoURL,
              [virtualClusterChart(spec.versions.vcluster).repoURL],
              spec.argocd.namespace,
              virtualClusterCourses.map((c) => c.name),
            )
          : undefined,
    },
    courses,
    bootstrap: bootstrap.plan,
    board,
  };
  return { plan, problems };
}

/** The student namespaces of the cluster whose sidecars trace to a Jaeger of their own. */
function tracedNamespaces(courses: readonly CoursePlan[]): string[] {
  return courses.flatMap((c) =>
    c.students.flatMap((s) =>
      s.kubernetes.access === 'namespace' && s.kubernetes.mesh?.observability ? [s.kubernetes.namespace] : [],
    ),
  );
}
