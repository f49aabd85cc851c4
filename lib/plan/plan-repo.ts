import type { Loaded } from '../input/load/load-repo';
import type { HomeSizes } from '../input/load/previous-output';
import type { ClusterSpec } from '../input/schema/cluster';
import { IDE_PORT, type CourseSpec } from '../input/schema/course';
import { compareText, type Problem, type SourceRef } from '../common/problems';
import { awsAccountProblems } from './bootstrap/aws-account';
import { NameClaims } from './name-claims';
import {
  clusterReadRoleName,
  courseApplicationName,
  courseNamespace,
  dnsLabelProblem,
  hostProblem,
  kubeconfigReaderRoleName,
  reservedNamespaceReason,
  rootApplicationName,
  STATEFULSET_NAME_MAX,
  studentNamespace,
  virtualClusterApplicationName,
  virtualClustersApplicationName,
  workstationName,
} from './model/object-names';
import { planStudentIds, type StudentIdentity } from './students/plan-students';
import { compileSchedule } from './schedule/schedule';
import { checkAddonAccess, planAddons } from './addons/addons';
import { coursesProject, platformProject, virtualClustersProject } from './argocd/projects';
import { PLACEHOLDER_PRIORITY } from './model/platform-classes';
import { planClusterRouting, planCourseRouting } from './routing/plan-routing';
import { studentHosts } from './routing/hosts';
import { planCapacity } from './nodes/capacity';
import { planBootstrap } from './bootstrap/bootstrap';
import { planStudentCapacity, planStudentNodePool } from './nodes/student-nodes';
import { INSTANCE_TYPES, type InstanceType } from '../facts/instance-types';
import { CAPACITY_ANNOTATIONS } from '../contracts/dist-record';
import { MIN_NODE_VCPU, planNodeClass, planNodePool, planWorkstationScheduling } from './nodes/plan-nodes';
import { weeklyCost } from './nodes/cost';
import { sysboxInstallerImage } from './nodes/sysbox';
import { kubernetesVersionProblem } from '../facts/kubernetes-support';
import { parseBytes, parseCpu } from '../input/schema/quantity';
import { CODE_SERVER_VERSION, WORKSTATION_IMAGE_REVISION } from '../facts/versions';
import type { ClusterPlan, CoursePlan, RepoPlan, StudentPlan, VirtualClusterPlan, WorkstationPlan } from './model/types';
import { studentQuota } from './admission/student-quota';
import { studentLabels } from './model/labels';
import {
  virtualClusterChart,
  virtualClusterQuota,
  virtualClusterSeat,
  virtualClusterServer,
  virtualClusterValues,
  virtualKubernetesImage,
} from './virtual-clusters/virtual-cluster';
import { planLogin, studentLogin } from './login/login';
import type { LoginMethod } from './model/login';
import { planClassBoard } from './class-board/class-board';
import { planAdmissionPolicies } from './admission/admission';

export interface PlanOptions {
  /** Clusters whose file has problems of its own: courses on them are skipped silently. */
  readonly brokenClusters?: ReadonlySet<string>;
  /** alb mode: each course's earlier group per student (key `<cluster>/<course>`), so nobody moves. */
  readonly previousAlbGroups?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** The home sizes each course had at the last synth (key `<cluster>/<course>`), from dist/. */
  readonly homeSizes?: ReadonlyMap<string, HomeSizes>;
  /** The committed bcrypt hash of a student's password, by course file and student id. */
  readonly passwordHash: (courseFile: string, studentId: string) => string | undefined;
}

export interface PlanResult {
  readonly plan: RepoPlan;
  readonly problems: readonly Problem[];
}

/**
 * Pure: the same specs give the same plan, on any machine, at any time. Courses on a
 * cluster in `brokenClusters` (its file has problems of its own) are skipped silently.
 */
export function planRepo(
  clusters: readonly Loaded<ClusterSpec>[],
  courses: readonly Loaded<CourseSpec>[],
  options: PlanOptions,
): PlanResult {
  const brokenClusters = options.brokenClusters ?? new Set<string>();
  const problems: Problem[] = [];
  const clusterNames = new NameClaims('cluster name');
  const courseNames = new NameClaims('course name');
  const namespaces = new NameClaims('namespace');
  const hosts = new NameClaims('host name');
  const domains = new NameClaims('domain');

  const clusterByName = new Map<string, Loaded<ClusterSpec>>();
  for (const cluster of clusters) {
    if (!clusterNames.claim(cluster.spec.name, { file: cluster.file, path: ['name'] }, `cluster file ${cluster.file}`)) continue;
    clusterByName.set(cluster.spec.name, cluster);
    domains.claim(cluster.spec.domain, { file: cluster.file, path: ['domain'] }, `cluster file ${cluster.file}`);
    problems.push(...checkAddonAccess(cluster.file, cluster.spec), ...awsAccountProblems(cluster.file, cluster.spec));
    if (cluster.spec.routing.mode === 'gateway' && cluster.spec.routing.certificates.length > 0) {
      problems.push({
        at: { file: cluster.file, path: ['routing', 'certificates'] },
        message: "is for alb mode: in gateway mode cert-manager issues each course's certificate, and TLS ends at the proxy",
        hint: 'remove routing.certificates (the ACM certificates are no longer used by this cluster)',
      });
    }
    const versionProblem = kubernetesVersionProblem(
      Number(cluster.spec.kubernetesVersion.split('.')[1]),
      cluster.spec.routing.mode,
    );
    if (versionProblem) {
      problems.push({
        at: { file: cluster.file, path: ['kubernetesVersion'] },
        message: `"${cluster.spec.kubernetesVersion}" is not supported: ${versionProblem}`,
        hint: 'see "Versions" in the README for what each part serves',
      });
    }
  }

  const coursePlans: CoursePlan[] = [];
  for (const course of courses) {
    const { file, spec } = course;
    // A second course of the same name would only repeat the same collisions.
    if (!courseNames.claim(spec.name, { file, path: ['name'] }, `course file ${file}`)) continue;
    const cluster = clusterByName.get(spec.cluster);
    if (!cluster && brokenClusters.has(spec.cluster)) continue;
    if (!cluster) {
      const known = [...clusterByName.keys()];
      problems.push({
        at: { file, path: ['cluster'] },
        message: `"${spec.cluster}" is not a cluster of this repo`,
        hint: known.length ? `known clusters: ${known.join(', ')} (clusters/<name>.yaml)` : 'add clusters/<name>.yaml first',
      });
      continue;
    }
    const ids = planStudentIds(file, spec.students);
    problems.push(...ids.problems);
    const previous = options.previousAlbGroups?.get(`${cluster.spec.name}/${spec.name}`) ?? new Map<string, number>();
    const { plan, problems: routingProblems } = planCourse(
      course,
      cluster.spec,
      ids.students,
      previous,
      options.passwordHash,
      options.homeSizes?.get(`${cluster.spec.name}/${spec.name}`),
    );
    problems.push(
      ...routingProblems,
      ...checkCourseNames(plan),
      ...checkHostSpaces(plan),
      ...checkWorkstation(file, spec),
      ...checkCapacity(plan, cluster),
    );

    const courseRef: SourceRef = { file, path: ['name'] };
    claimNamespace(namespaces, problems, plan.namespace, courseRef, `course "${plan.name}"`);
    for (const student of plan.students) {
      const owner = `student ${JSON.stringify(student.name)} of course "${plan.name}"`;
      if (student.namespace) claimNamespace(namespaces, problems, student.namespace, student.source, owner);
      hosts.claim(student.hosts.ide, student.source, owner);
      for (const app of student.hosts.apps) hosts.claim(app.host, student.source, `${owner} (port ${app.port})`);
    }
    coursePlans.push(plan);
  }

  problems.push(
    ...clusterNames.problems,
    ...domains.problems,
    ...courseNames.problems,
    ...namespaces.problems,
    ...hosts.problems,
  );
  const clusterPlans: ClusterPlan[] = [...clusterByName.values()]
    .map(({ file, spec }) => {
      const courses = coursePlans.filter((c) => c.cluster === spec.name).sort((a, b) => compareText(a.name, b.name));
      const routing = planClusterRouting({ file, spec }, courses);
      problems.push(...routing.problems);
      const addons = planAddons(spec, routing.routing.gateway);
      const bootstrap = planBootstrap(file, spec);
      problems.push(...bootstrap.problems);
      const studentNodePool = planStudentNodePool(spec.nodes, courses);
      const trainerHash = (id: string) => options.passwordHash(file, id);
      const board = planClassBoard(spec, clusterLoginMethod(spec), courses, studentNodePool?.name, trainerHash);
      problems.push(...checkTrainerLogins(file, spec, trainerHash));
      return {
        name: spec.name,
        file,
        domain: spec.domain,
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
          domain: spec.domain,
          argocdNamespace: spec.argocd.namespace,
          routingMode: spec.routing.mode,
        }),
        projects: {
          platform: platformProject([spec.argocd.repoURL, ...addons.map((a) => a.source.repoURL)]),
          courses: coursesProject(
            spec.argocd.repoURL,
            courses.map((c) => c.name),
          ),
          virtualClusters: courses.some((c) => c.virtualCluster)
            ? virtualClustersProject(
                spec.argocd.repoURL,
                [virtualClusterChart(spec.versions.vcluster).repoURL],
                spec.argocd.namespace,
                courses.filter((c) => c.virtualCluster).map((c) => c.name),
              )
            : undefined,
        },
        courses,
        bootstrap: bootstrap.plan,
        board,
      };
    })
    .sort((a, b) => compareText(a.name, b.name));
  return { plan: { clusters: clusterPlans }, problems };
}

function planCourse(
  course: Loaded<CourseSpec>,
  cluster: ClusterSpec,
  identities: readonly StudentIdentity[],
  previousAlbGroups: ReadonlyMap<string, number>,
  passwordHash: PlanOptions['passwordHash'],
  previousHomes: HomeSizes | undefined,
): { plan: CoursePlan; problems: Problem[] } {
  const { spec, file } = course;
  const access = spec.kubernetes.namespace;
  const virtual = access && spec.kubernetes.isolation === 'vcluster';
  const virtualChart = virtualClusterChart(cluster.versions.vcluster);
  const virtualImage = virtualKubernetesImage(cluster.kubernetesVersion);
  const virtualProblems: Problem[] =
    virtual && !virtualImage
      ? [
          {
            at: { file, path: ['kubernetes', 'isolation'] },
            message: `vcluster ${virtualChart.version} has no Kubernetes image for the cluster's ${cluster.kubernetesVersion} in lib/facts/versions.ts`,
            hint: 'add the image vcluster maps for that version to VIRTUAL_KUBERNETES_IMAGES, or use isolation: namespace',
          },
        ]
      : [];
  // A port listed twice is reported by checkWorkstation; here it counts once.
  const appPorts = [...new Set(spec.workstation.ports)].sort((a, b) => a - b);
  const sortedIds = identities.map((s) => s.id).sort(compareText);
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
      name: spec.name,
      file,
      appPorts,
      // An archived course serves nobody: no routes, no load balancer, no certificate needed.
      studentIds: spec.archived ? [] : sortedIds,
      archived: spec.archived,
    },
    cluster,
    previousAlbGroups,
  );
  const loginMethod = clusterLoginMethod(cluster);
  const students: StudentPlan[] = identities
    .map((s) => {
      const hosts = studentHosts(s.id, spec.name, cluster.domain, appPorts);
      const hash = loginMethod.kind === 'password' ? (passwordHash(file, s.id) ?? '') : '';
      return {
        id: s.id,
        name: s.name,
        source: s.source,
        namespace: access ? studentNamespace(spec.name, s.id) : undefined,
        workstation: workstationName(s.id),
        hosts,
        passwordHash: hash,
        login: studentLogin(loginMethod, { id: s.id, passwordHash: hash, email: s.email }, hosts.ide),
        albGroup: routing.groupOf.get(s.id),
        virtualCluster:
          virtual && virtualImage && !spec.archived
            ? {
                application: virtualClusterApplicationName(spec.name, s.id),
                server: virtualClusterServer(studentNamespace(spec.name, s.id)),
                values: virtualClusterValues({
                  chart: virtualChart,
                  kubernetesImage: virtualImage,
                  studentNamespace: studentNamespace(spec.name, s.id),
                  labels: studentLabels(spec.name, s.id, 'virtual-cluster'),
                }),
              }
            : undefined,
      };
    })
    .sort((a, b) => compareText(a.id, b.id));
  const workstation: WorkstationPlan = {
    image:
      spec.workstation.image ??
      `${cluster.images.workstation}:${CODE_SERVER_VERSION}-${WORKSTATION_IMAGE_REVISION}-k8s${cluster.kubernetesVersion}`,
    cpu: spec.workstation.cpu,
    memory: spec.workstation.memory,
    homeSize: spec.workstation.homeSize,
    homeClaimTemplate: previousHomes?.claimTemplate ?? spec.workstation.homeSize,
    homeVolumes: previousHomes?.volumes ?? spec.workstation.homeSize,
    dockerStorage: spec.workstation.dockerStorage,
    resources: workstationResources(spec.workstation),
    idePort: IDE_PORT,
    appPorts,
    repos: spec.workstation.repos.map((repo) =>
      typeof repo === 'string'
        ? { url: repo, directory: repoDirectory(repo) }
        : { url: repo.url, directory: repo.directory ?? repoDirectory(repo.url) },
    ),
    scheduling: planWorkstationScheduling(spec.name),
    kataSleep: access && schedule !== undefined,
  };
  const studentPods = planStudentPods(students.length, spec, cluster, virtual);
  const capacity = planCapacity(
    students.length,
    { cpu: parseCpu(spec.workstation.cpu), memoryGiB: parseBytes(spec.workstation.memory) / 2 ** 30 },
    allowedInstanceTypes(cluster),
  );
  const plan: CoursePlan = {
    name: spec.name,
    title: spec.title ?? spec.name,
    file,
    cluster: cluster.name,
    namespace: courseNamespace(spec.name),
    path: `dist/${cluster.name}/courses/${spec.name}`,
    application: courseApplicationName(spec.name),
    students,
    workstation,
    login: planLogin(loginMethod, IDE_PORT),
    kubernetes: {
      enabled: access,
      isolation: virtual ? 'vcluster' : 'namespace',
      clusterReadRole: clusterReadRoleName(spec.name),
      quota: spec.kubernetes.quota,
      namespaceQuota: studentQuota(spec.kubernetes.quota, spec.archived, virtual ? virtualClusterQuota() : {}),
    },
    nodePool: planNodePool(spec.name, cluster, capacity?.limits ?? { cpu: '0', memory: '0' }, schedule, {}),
    routing: routing.routing,
    archived: spec.archived,
    schedule,
    prewarm:
      schedule && (spec.schedule?.prewarm.seats ?? students.length) > 0
        ? { name: 'prewarm', seats: spec.schedule?.prewarm.seats ?? students.length, priorityClass: PLACEHOLDER_PRIORITY.name }
        : undefined,
    capacity,
    studentCapacity: studentPods.capacity,
    virtualCluster: undefined,
  };
  const virtualClusters =
    virtual && virtualImage && !spec.archived
      ? planVirtualClusters(cluster.name, spec.name, virtualChart, schedule, studentPods, weeklyCost(plan).awakeHours)
      : undefined;
  const withCost: CoursePlan = {
    ...plan,
    virtualCluster: virtualClusters,
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
      ...routing.problems,
      ...checkPasswords(withCost),
      ...checkHomeSize(file, workstation),
    ],
  };
}

/**
 * The students' pool for a course at full quota; in vcluster mode each seat also holds its
 * virtual cluster's control plane and CoreDNS, and the difference is what they add.
 */
function planStudentPods(students: number, spec: CourseSpec, cluster: ClusterSpec, virtual: boolean) {
  if (!spec.kubernetes.namespace || spec.archived) return { capacity: undefined, extraNodes: 0, extraPerHour: 0 };
  const allowed = allowedInstanceTypes(cluster);
  const own = planStudentCapacity(students, spec.kubernetes.quota, allowed);
  if (!virtual) return { capacity: own, extraNodes: 0, extraPerHour: 0 };
  const seat = virtualClusterSeat();
  const total = planStudentCapacity(
    students,
    {
      cpu: String(parseCpu(spec.kubernetes.quota.cpu) + seat.cpu),
      memory: `${parseBytes(spec.kubernetes.quota.memory) + seat.memoryGiB * 2 ** 30}`,
    },
    allowed,
  );
  return {
    capacity: total,
    extraNodes: (total?.nodes ?? 0) - (own?.nodes ?? 0),
    extraPerHour: (total?.costPerHour ?? 0) - (own?.costPerHour ?? 0),
  };
}

function planVirtualClusters(
  clusterName: string,
  course: string,
  chart: VirtualClusterPlan['chart'],
  schedule: CoursePlan['schedule'],
  studentPods: { readonly extraNodes: number; readonly extraPerHour: number },
  awakeHours: number,
): VirtualClusterPlan {
  return {
    chart,
    application: virtualClustersApplicationName(course),
    path: `dist/${clusterName}/vclusters/${course}`,
    kubeconfigReaderRole: kubeconfigReaderRoleName(course),
    triggers: schedule?.virtualClusterTriggers,
    extraStudentNodes: studentPods.extraNodes,
    extraUsdPerWeek: Math.round(studentPods.extraPerHour * awakeHours * 100) / 100,
  };
}

/**
 * The IDE container's resources. Memory is requested and capped alike. Local disk: docker's
 * volume plus 4 GiB of its own (logs, /tmp); past that the kubelet evicts this one
 * workstation, never its neighbours. It requests 1 GiB: docker's volume is filled by use,
 * not reserved.
 */
export function workstationResources(ws: { cpu: string; memory: string; dockerStorage: string }): WorkstationPlan['resources'] {
  const diskGiB = Math.ceil(parseBytes(ws.dockerStorage) / 2 ** 30) + 4;
  return {
    requests: { cpu: ws.cpu, memory: ws.memory, 'ephemeral-storage': '1Gi' },
    limits: { memory: ws.memory, 'ephemeral-storage': `${diskGiB}Gi` },
  };
}

/** Homes can grow (their claims are expanded), never shrink: EBS volumes do not. */
function checkHomeSize(file: string, workstation: WorkstationPlan): Problem[] {
  if (parseBytes(workstation.homeSize) >= parseBytes(workstation.homeVolumes)) return [];
  return [
    {
      at: { file, path: ['workstation', 'homeSize'] },
      message: `is ${workstation.homeSize}, smaller than the ${workstation.homeVolumes} the home volumes already have: volumes cannot shrink`,
      hint: `keep homeSize at ${workstation.homeVolumes} or more (to start afresh with smaller homes, delete and re-create the course, which deletes every home)`,
    },
  ];
}

/** The instance types a cluster's course nodes may be: its families and architecture, and big enough. */
export function allowedInstanceTypes(cluster: ClusterSpec): InstanceType[] {
  return INSTANCE_TYPES.filter(
    (t) => cluster.nodes.instanceFamilies.includes(t.family) && t.arch === cluster.nodes.architecture && t.vcpu >= MIN_NODE_VCPU,
  );
}

function checkCapacity(course: CoursePlan, cluster: Loaded<ClusterSpec>): Problem[] {
  if (course.capacity || course.archived) return [];
  const allowed = allowedInstanceTypes(cluster.spec);
  const largest = [...allowed].sort((a, b) => b.vcpu - a.vcpu || b.memoryGiB - a.memoryGiB)[0];
  const cpuBinds = !largest || parseCpu(course.workstation.cpu) >= largest.vcpu;
  return [
    {
      at: { file: course.file, path: ['workstation', cpuBinds ? 'cpu' : 'memory'] },
      message:
        `a workstation of cpu ${course.workstation.cpu} and memory ${course.workstation.memory} fits on no instance type ` +
        (largest
          ? `${cluster.file} allows; the largest is ${largest.name} (${largest.vcpu} vCPU, ${largest.memoryGiB} GiB) less system overhead`
          : `${cluster.file} allows: none of its instance families has ${cluster.spec.nodes.architecture} types`),
      hint: `lower workstation.cpu or workstation.memory, or allow larger families in ${cluster.file} (nodes.instanceFamilies)`,
    },
  ];
}

/** "https://github.com/org/kubernetes-katas.git" -> "kubernetes-katas". */
export function repoDirectory(url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'repo';
  return last.replace(/\.git$/, '') || 'repo';
}

function claimNamespace(claims: NameClaims, problems: Problem[], namespace: string, ref: SourceRef, owner: string): void {
  const reserved = reservedNamespaceReason(namespace);
  if (reserved) {
    problems.push({ at: ref, message: `needs the namespace "${namespace}", but ${reserved}`, hint: 'choose another name' });
    return;
  }
  claims.claim(namespace, ref, owner);
}

/** Every name derived from a student id must fit Kubernetes' and DNS's limits: one problem per student. */
function checkCourseNames(course: CoursePlan): Problem[] {
  return course.students.flatMap((student) => {
    const checks: [string, string, string | undefined][] = [
      ['namespace', student.namespace ?? '', student.namespace && dnsLabelProblem(student.namespace)],
      ['workstation name', student.workstation, dnsLabelProblem(student.workstation, STATEFULSET_NAME_MAX)],
      ...[student.hosts.ide, ...student.hosts.apps.map((a) => a.host)].map((host): [string, string, string | undefined] => [
        'host name',
        host,
        hostProblem(host),
      ]),
    ];
    const failures = checks.filter(([, , problem]) => problem).map(([what, name, problem]) => `${what} "${name}" ${problem}`);
    if (failures.length === 0) return [];
    return [
      {
        at: student.source,
        message: `makes the id "${student.id}", too long for the names made from it: ${failures.join(', ')}`,
        hint: 'give this student a shorter id ({ name: ..., id: ... }) or the course a shorter name',
      },
    ];
  });
}

/**
 * A student's own Ingress hosts are `<name>-<student>.<course>.<domain>` (admission policy).
 * If one id ends in "-" + another (`bob`, `alice-bob`), Bob could take `x-alice-bob`, and
 * Bob's `alice-bob` space would hold Alice-Bob's IDE host: the ids must not overlap.
 */
function checkHostSpaces(course: CoursePlan): Problem[] {
  const byId = new Map(course.students.map((s) => [s.id, s]));
  const problems: Problem[] = [];
  for (const student of course.students) {
    for (let i = student.id.indexOf('-'); i >= 0; i = student.id.indexOf('-', i + 1)) {
      const other = byId.get(student.id.slice(i + 1));
      if (!other) continue;
      problems.push({
        at: student.source,
        also: other.source,
        message: `has the id "${student.id}", which ends in "-${other.id}": ${JSON.stringify(other.name)} could claim its host names`,
        hint: `give one of them another id: - { name: ${JSON.stringify(student.name)}, id: ... }`,
      });
      break;
    }
  }
  return problems;
}

function checkWorkstation(file: string, spec: CourseSpec): Problem[] {
  const problems: Problem[] = [];
  const ports = spec.workstation.ports;
  ports.forEach((port, i) => {
    const first = ports.indexOf(port);
    if (first !== i) {
      problems.push({
        at: { file, path: ['workstation', 'ports', i] },
        also: { file, path: ['workstation', 'ports', first] },
        message: `${port} is listed twice`,
      });
    }
  });
  const directories = new Map<string, number>();
  spec.workstation.repos.forEach((repo, i) => {
    const directory = typeof repo === 'string' ? repoDirectory(repo) : (repo.directory ?? repoDirectory(repo.url));
    const first = directories.get(directory);
    if (first !== undefined) {
      problems.push({
        at: { file, path: ['workstation', 'repos', i] },
        also: { file, path: ['workstation', 'repos', first] },
        message: `clones into the folder "${directory}", as another repo does`,
        hint: 'give one of them a directory: { url: ..., directory: ... }',
      });
    } else {
      directories.set(directory, i);
    }
  });
  return problems;
}

/** Every trainer needs a credential for the board, as students do for their IDE. */
function checkTrainerLogins(file: string, cluster: ClusterSpec, hashOf: (trainerId: string) => string | undefined): Problem[] {
  const trainers = cluster.board?.trainers ?? [];
  if (cluster.login.oidc) {
    return trainers.flatMap((t, i) =>
      t.email
        ? []
        : [
            {
              at: { file, path: ['board', 'trainers', i] },
              message: `trainer "${t.id}" has no email`,
              hint: `cluster "${cluster.name}" signs in with OIDC: give each trainer the address the identity provider knows`,
            },
          ],
    );
  }
  return trainers.flatMap((t, i) =>
    !hashOf(t.id)
      ? [
          {
            at: { file, path: ['board', 'trainers', i] },
            message: `trainer "${t.id}" has no password`,
            hint: `run: npm run passwords -- --board ${cluster.name}`,
          },
        ]
      : [],
  );
}

function clusterLoginMethod(cluster: ClusterSpec): LoginMethod {
  const oidc = cluster.login.oidc;
  return oidc ? { kind: 'oidc', ...oidc } : { kind: 'password' };
}

/**
 * Every student needs a credential before the course can be deployed: a password, or on an
 * OIDC cluster an e-mail address. One problem per course, naming the fix.
 */
function checkPasswords(course: CoursePlan): Problem[] {
  if (course.login.method.kind === 'oidc') {
    const withoutEmail = course.students.filter((s) => !s.login.email);
    if (withoutEmail.length === 0) return [];
    return [
      {
        at: { file: course.file, path: ['students'] },
        message: `${withoutEmail.length === 1 ? 'has a student' : `have ${withoutEmail.length} students`} without an email: ${withoutEmail
          .slice(0, 3)
          .map((s) => JSON.stringify(s.name))
          .join(', ')}${withoutEmail.length > 3 ? ` and ${withoutEmail.length - 3} more` : ''}`,
        hint: `cluster "${course.cluster}" signs students in with OIDC: list them as - { name: ..., email: ... }`,
      },
    ];
  }
  const missing = course.students.filter((s) => !s.passwordHash);
  if (missing.length === 0) return [];
  const names = missing.slice(0, 3).map((s) => JSON.stringify(s.name));
  const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
  return [
    {
      at: { file: course.file, path: ['students'] },
      message: `${missing.length === 1 ? 'has a student' : `have ${missing.length} students`} without a password: ${names.join(', ')}${more}`,
      hint: `run: npm run passwords -- ${course.name}`,
    },
  ];
}
