import { studentFlowSchema } from './api-fairness/api-fairness';
import { studentNamespaceEgress, workstationEgress } from './network/egress';
import type { Loaded } from '../input/load/load-repo';
import type { HomeSizes } from '../input/load/previous-output';
import type { ClusterSpec } from '../input/schema/cluster';
import { IDE_PORT, type CourseSpec } from '../input/schema/course';
import { parseBytes, parseCpu } from '../input/schema/quantity';
import { compareText, type Problem } from '../common/problems';
import { CAPACITY_ANNOTATIONS } from '../contracts/dist-record';
import { studentQuota } from './admission/student-quota';
import { checkPasswords, clusterLoginMethod } from './login/credentials';
import { planLogin, studentLogin } from './login/login';
import { studentLabels } from './model/labels';
import {
  clusterReadRoleName,
  courseApplicationName,
  courseIdOf,
  courseNamespace,
  kubeconfigReaderRoleName,
  studentFlowSchemaName,
  studentNamespace,
  virtualClusterApplicationName,
  workstationName,
} from './model/object-names';
import { PLACEHOLDER_PRIORITY } from './model/platform-classes';
import type { CoursePlan, KubernetesAccessPlan, StudentKubernetesPlan, StudentPlan } from './model/types';
import { planCapacity } from './nodes/capacity';
import { allowedInstanceTypes, checkCapacity, planStudentPods } from './nodes/course-capacity';
import { weeklyCost } from './nodes/cost';
import { planNodePool } from './nodes/plan-nodes';
import { checkHostSpaces } from './routing/host-spaces';
import { studentHosts } from './routing/hosts';
import { checkHandoutLines, handoutLines } from './students/handout-lines';
import { planCourseRouting } from './routing/plan-routing';
import { compileSchedule } from './schedule/schedule';
import { checkCourseNames } from './students/student-names';
import type { StudentIdentity } from './students/plan-students';
import { checkVirtualKubernetesImage, planVirtualClusters } from './virtual-clusters/plan-virtual-clusters';
import {
  virtualClusterChart,
  virtualClusterQuota,
  virtualClusterSeat,
  virtualClusterServer,
  virtualClusterValues,
  virtualKubernetesImage,
} from './virtual-clusters/virtual-cluster';
import { courseChecks } from './checks/checks';
import type { CheckExercise } from '../contracts/checks';
import { checkHomeSize, checkWorkstation, planWorkstation } from './workstation/plan-workstation';
import { checkMesh, meshEgress, meshQuotaShare, meshSeat, MESH_OBJECT_COUNTS, planStudentMesh } from './mesh/mesh';
import { OBSERVABILITY_PORTS } from './mesh/observability';

/** What a course's plan needs besides its own file: its cluster and what the last synth recorded. */
export interface CourseContext {
  readonly cluster: Loaded<ClusterSpec>;
  /** The course's students, with the ids planned for them. */
  readonly identities: readonly StudentIdentity[];
  /** alb mode: the earlier group of each student, so nobody moves. */
  readonly previousAlbGroups: ReadonlyMap<string, number>;
  /** The committed bcrypt hash of a student's password, by course file and student id. */
  readonly passwordHash: (courseFile: string, studentId: string) => string | undefined;
  /** Course password files beside no course file, which a course renamed by hand leaves behind. */
  readonly strayPasswordFiles: readonly string[];
  /** The home sizes the course had at the last synth. */
  readonly previousHomes: HomeSizes | undefined;
  /** The repo's check sets by name, compiled. */
  readonly checkSets: ReadonlyMap<string, readonly CheckExercise[]>;
  /** Check sets whose file has problems of its own: not reported again here. */
  readonly brokenCheckSets: ReadonlySet<string>;
}

/** One course, planned by each capability in turn, with every problem they find. */
export function planCourse(course: Loaded<CourseSpec>, context: CourseContext): { plan: CoursePlan; problems: Problem[] } {
  const { spec, file } = course;
  const courseId = courseIdOf(spec);
  const cluster = context.cluster.spec;
  const access = spec.kubernetes.namespace;
  const virtual = access && spec.kubernetes.isolation === 'vcluster';
  const virtualChart = virtualClusterChart(cluster.versions.vcluster);
  const virtualImage = virtualKubernetesImage(cluster.kubernetesVersion);
  const virtualProblems = virtual ? checkVirtualKubernetesImage(file, virtualChart, cluster.kubernetesVersion) : [];
  const mesh = access && !virtual ? spec.kubernetes.mesh : undefined;
  // A port listed twice is reported by checkWorkstation; here it counts once. A mesh's Kiali,
  // Prometheus and Jaeger open at app addresses of their own ports.
  const appPorts = [
    ...new Set([...spec.workstation.ports, ...(mesh?.observability ? Object.values(OBSERVABILITY_PORTS) : [])]),
  ].sort((a, b) => a - b);
  const sortedIds = context.identities.map((s) => s.id).sort(compareText);
  const compiled = spec.schedule ? compileSchedule(spec.schedule) : undefined;
  const scheduleProblems: Problem[] = (compiled?.problems ?? []).map((p) => ({
    at: { file, path: ['schedule', ...p.path] },
    message: p.message,
    also: p.also && { file, path: ['schedule', ...p.also] },
    hint: p.hint,
  }));
  const schedule = spec.archived ? undefined : compiled?.schedule;
  const routing = planCourseRouting(
    {
      name: courseId,
      namespace: courseNamespace(courseId),
      file,
      appPorts,
      // An archived course serves nobody: no routes, no load balancer, no certificate needed.
      studentIds: spec.archived ? [] : sortedIds,
      archived: spec.archived,
    },
    cluster,
    context.previousAlbGroups,
  );
  const namespaceQuota = studentQuota(
    spec.kubernetes.quota,
    spec.archived,
    virtual ? virtualClusterQuota() : mesh ? meshQuotaShare(mesh.observability) : {},
    mesh ? MESH_OBJECT_COUNTS : {},
  );
  const clusterReadRole = clusterReadRoleName(courseId);
  const network = { vpcCidr: cluster.aws.vpcCidr, serviceCidr: cluster.aws.serviceCidr };
  const namespaceEgress = [...studentNamespaceEgress(network), ...(mesh ? [meshEgress()] : [])];
  const studentKubernetes = (id: string): StudentKubernetesPlan => {
    if (!access) return { access: 'none' };
    const namespace = studentNamespace(courseId, id);
    if (!virtual)
      return {
        access: 'namespace',
        namespace,
        namespaceQuota,
        clusterReadRole,
        namespaceEgress,
        ...(mesh && !spec.archived
          ? {
              mesh: planStudentMesh(
                mesh,
                { id, namespace, apps: studentHosts(id, courseId, cluster, appPorts).apps },
                { id: courseId, contentDomain: cluster.contentDomain },
              ),
            }
          : {}),
      };
    return {
      access: 'vcluster',
      namespace,
      namespaceQuota,
      namespaceEgress,
      virtualCluster:
        virtualImage && !spec.archived
          ? {
              application: virtualClusterApplicationName(courseId, id),
              server: virtualClusterServer(namespace),
              values: virtualClusterValues({
                chart: virtualChart,
                kubernetesImage: virtualImage,
                studentNamespace: namespace,
                labels: studentLabels(courseId, id, 'virtual-cluster'),
              }),
              kubeconfigReaderRole: kubeconfigReaderRoleName(courseId),
              triggers: schedule?.virtualClusterTriggers,
            }
          : undefined,
    };
  };
  const loginMethod = clusterLoginMethod(cluster);
  const students: StudentPlan[] = context.identities
    .map((s) => {
      const hosts = studentHosts(s.id, courseId, cluster, appPorts);
      const hash = loginMethod.kind === 'password' ? (context.passwordHash(file, s.id) ?? '') : '';
      const kubernetes = studentKubernetes(s.id);
      const ownNamespace = kubernetes.access === 'none' ? undefined : kubernetes.namespace;
      return {
        id: s.id,
        name: s.name,
        source: s.source,
        kubernetes,
        workstation: workstationName(s.id),
        hosts,
        handout: handoutLines(spec.handout, {
          student: s.id,
          namespace: ownNamespace,
          course: courseId,
          contentDomain: cluster.contentDomain,
          hosts,
        }),
        passwordHash: hash,
        login: studentLogin(loginMethod, { id: s.id, passwordHash: hash, email: s.email }, hosts.ide),
        routes: routing.routesOf.get(s.id),
        workstationEgress: workstationEgress(network, ownNamespace),
        flowSchema: studentFlowSchema(
          studentFlowSchemaName(courseId, s.id),
          { namespace: courseNamespace(courseId), name: workstationName(s.id) },
          ownNamespace,
        ),
      };
    })
    .sort((a, b) => compareText(a.id, b.id));
  const workstation = planWorkstation(spec, cluster, {
    appPorts,
    previousHomes: context.previousHomes,
    kataSleep: access && schedule !== undefined,
  });
  const studentPods = planStudentPods(
    students.length,
    spec,
    cluster,
    virtual ? virtualClusterSeat() : mesh ? meshSeat(mesh.observability) : undefined,
  );
  const capacity = planCapacity(
    students.length,
    { cpu: parseCpu(spec.workstation.cpu), memoryGiB: parseBytes(spec.workstation.memory) / 2 ** 30 },
    allowedInstanceTypes(cluster),
  );
  const kubernetes: KubernetesAccessPlan = !access
    ? { access: 'none' }
    : virtual
      ? { access: 'vcluster', virtualClusters: undefined }
      : { access: 'namespace', clusterReadRole, mesh: mesh !== undefined };
  const checks = courseChecks(file, spec.checks, context.checkSets, context.brokenCheckSets);
  const checksWithoutKubernetes: Problem[] =
    spec.checks.length > 0 && !access
      ? [
          {
            at: { file, path: ['checks'] },
            message: 'names check sets, but the students have no Kubernetes to check',
            hint: 'set kubernetes.namespace: true, or remove checks',
          },
        ]
      : [];
  const plan: CoursePlan = {
    name: courseId,
    title: spec.title ?? spec.name,
    file,
    cluster: cluster.name,
    namespace: courseNamespace(courseId),
    path: `dist/${cluster.name}/courses/${courseId}`,
    application: courseApplicationName(courseId),
    students,
    workstation,
    login: planLogin(loginMethod, IDE_PORT),
    kubernetes,
    nodePool: planNodePool(courseId, cluster, capacity?.limits ?? { cpu: '0', memory: '0' }, schedule, {}),
    routing: routing.routing,
    archived: spec.archived,
    schedule,
    prewarm:
      schedule && (spec.schedule?.prewarm.seats ?? students.length) > 0
        ? { name: 'prewarm', seats: spec.schedule?.prewarm.seats ?? students.length, priorityClass: PLACEHOLDER_PRIORITY.name }
        : undefined,
    capacity,
    studentCapacity: studentPods.capacity,
    checks: access ? checks.exercises : [],
  };
  const virtualClusters =
    virtual && virtualImage && !spec.archived
      ? planVirtualClusters(cluster.name, courseId, virtualChart, studentPods, weeklyCost(plan).awakeHours)
      : undefined;
  const withCost: CoursePlan = {
    ...plan,
    kubernetes: kubernetes.access === 'vcluster' ? { ...kubernetes, virtualClusters } : kubernetes,
    nodePool: {
      ...plan.nodePool,
      annotations: {
        [CAPACITY_ANNOTATIONS.instanceType]: capacity?.instanceType.name ?? '',
        [CAPACITY_ANNOTATIONS.nodes]: String(capacity?.nodes ?? 0),
        [CAPACITY_ANNOTATIONS.studentNodes]: String(plan.studentCapacity?.nodes ?? 0),
        ...(virtualClusters
          ? {
              [CAPACITY_ANNOTATIONS.virtualClusterNodes]: String(virtualClusters.extraStudentNodes),
              [CAPACITY_ANNOTATIONS.virtualClusterUsdPerWeek]: virtualClusters.extraUsdPerWeek.toFixed(2),
            }
          : {}),
        [CAPACITY_ANNOTATIONS.usdPerWeek]: weeklyCost(plan).scheduled.toFixed(2),
      },
    },
  };
  return {
    plan: withCost,
    problems: [
      ...scheduleProblems,
      ...virtualProblems,
      ...checks.problems,
      ...checksWithoutKubernetes,
      ...routing.problems,
      ...checkPasswords(withCost, context.strayPasswordFiles),
      ...checkHomeSize(file, workstation),
      ...checkCourseNames(withCost),
      ...checkHostSpaces(withCost),
      ...checkWorkstation(file, spec),
      ...checkHandoutLines(file, spec.handout, appPorts, access),
      ...checkCapacity(withCost, context.cluster),
      ...checkMesh(file, spec, cluster),
    ],
  };
}
