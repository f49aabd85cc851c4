import { App } from 'cdk8s';
import type { CoursePlan, ClusterPlan, RepoPlan, StudentPlan } from '../lib/plan/model/types';
import { workstationSetupScript } from '../lib/plan/workstation/workstation-setup';
import { kataSleepScript, kataWakeScript, SLEEP_SCRIPT, WAKE_SCRIPT } from '../lib/plan/schedule/kata-sleep';
import { ALB_GROUPS_FILE } from '../lib/contracts/dist-record';
import { courseLabels, platformLabels, studentLabels, SYNC_WAVE } from '../lib/plan/model/labels';
import { ChildApplication } from './argocd/child-application';
import { ClusterReadRole } from './course/cluster-read-role';
import { CourseNamespace } from './course/course-namespace';
import { PlannedNodePool } from './course/node-pool';
import { CronScaler } from './course/cron-scaler';
import { PrewarmPlaceholders } from './course/prewarm-placeholders';
import { NodeClass } from './platform/node-class';
import { OutputChart } from './output-chart';
import { RootApplication } from './argocd/root-application';
import { StudentAccess } from './student/student-access';
import { GATEWAY } from '../lib/plan/routing/hosts';
import { AlbGroupRecord } from './course/alb-group-record';
import { DojoAppProject } from './argocd/app-project';
import { SharedGateway } from './platform/shared-gateway';
import { CourseCertificates } from './course/course-certificates';
import { StorageAndPriorities } from './platform/storage-and-priorities';
import { UpstreamApplication } from './argocd/upstream-application';
import { WorkstationAccess } from './student/workstation-access';
import { WorkstationIngresses } from './student/workstation-ingresses';
import { WorkstationRoutes } from './student/workstation-routes';
import { StudentNamespace } from './student/student-namespace';
import { SysboxRuntime } from './platform/sysbox-runtime';
import { Workstation } from './student/workstation';
import { WorkstationSetup } from './course/workstation-setup';
import { LoginPage } from './course/login-page';
import { AdmissionPolicy } from './platform/admission-policy';
import { KataIngressClass } from './platform/kata-ingress-class';
import { VirtualCluster } from './course/virtual-cluster';
import { VirtualClusterAccess } from './student/virtual-cluster-access';
import { KubeconfigReaderRole } from './course/kubeconfig-reader-role';
import { ClassBoard } from './board/class-board';
import { VIRTUAL_CLUSTER_RELEASE } from '../lib/plan/virtual-clusters/virtual-cluster';

export const WORKSTATION_SETUP_CONFIGMAP = 'workstation-setup';
export const LOGIN_PAGE_CONFIGMAP = 'workstation-login';

/**
 * Every object of the repo, as charts that are each one output file: per course one
 * file of course-wide objects and one file per student, so that adding a student adds
 * a file and touches no other student's. Charts are built one at a time as the caller
 * asks for them, so that a caller that renders and drops each (synth) holds one student's
 * objects at a time, not a whole class's.
 */
export function* buildCharts(plan: RepoPlan): Generator<OutputChart> {
  const app = new App();
  for (const cluster of plan.clusters) {
    const root = new OutputChart(app, `${cluster.name}-root`, { outputPath: `argocd/${cluster.name}.yaml` });
    new RootApplication(root, 'root', { cluster: cluster.name, argocd: cluster.argocd });
    yield root;
    yield* buildPlatform(app, cluster);
    for (const course of cluster.courses) yield* buildCourse(app, cluster, course);
  }
}

/**
 * What every course of a cluster relies on: the AppProjects, the controllers (each an
 * Application of a pinned chart), and the platform objects: sysbox runtime, node class,
 * storage, priorities and, in gateway mode, the Gateway.
 */
function buildPlatform(app: App, cluster: ClusterPlan): OutputChart[] {
  const appChart = (name: string) =>
    new OutputChart(app, `${cluster.name}-app-${name}`, { outputPath: `${cluster.argocd.appsPath}/${name}.yaml` });
  const chart = (name: string) =>
    new OutputChart(app, `${cluster.name}-platform-${name}`, { outputPath: `${cluster.platformPath}/${name}.yaml` });

  const projects = appChart('projects');
  const { platform, courses, virtualClusters } = cluster.projects;
  for (const project of [platform, courses, ...(virtualClusters ? [virtualClusters] : [])]) {
    new DojoAppProject(projects, project.name, {
      project,
      argocd: cluster.argocd,
      labels: platformLabels('projects'),
      syncWave: SYNC_WAVE.projects,
    });
  }
  const addons = cluster.addons.map((addon) => {
    const addonChart = appChart(addon.name);
    new UpstreamApplication(addonChart, 'application', {
      name: addon.name,
      namespace: addon.namespace,
      source: addon.source,
      project: cluster.projects.platform.name,
      syncWave: SYNC_WAVE[addon.syncWave],
      labels: platformLabels('addon'),
      argocd: cluster.argocd,
      ignoreDifferences: addon.ignoreDifferences,
    });
    return addonChart;
  });

  const application = appChart(cluster.platformApplication);
  new ChildApplication(application, 'application', {
    name: cluster.platformApplication,
    path: cluster.platformPath,
    destinationNamespace: 'kube-system',
    project: cluster.projects.platform.name,
    syncWave: SYNC_WAVE.platform,
    labels: platformLabels('application'),
    argocd: cluster.argocd,
  });
  if (!cluster.sysboxInstallerImage) throw new Error(`cluster ${cluster.name}: no sysbox installer (the plan reports this)`);
  const runtime = chart('sysbox');
  new SysboxRuntime(runtime, 'sysbox', { installerImage: cluster.sysboxInstallerImage });
  const nodes = chart('node-class');
  new NodeClass(nodes, 'node-class', { nodeClass: cluster.nodeClass });
  const storage = chart('storage-and-priorities');
  new StorageAndPriorities(storage, 'storage-and-priorities');
  const admission = chart('admission-policies');
  for (const policy of cluster.admissionPolicies) new AdmissionPolicy(admission, policy.name, { policy });
  const charts = [projects, ...addons, application, runtime, nodes, storage, admission];
  if (cluster.board) {
    const board = chart('class-board');
    new ClassBoard(board, 'class-board', { board: cluster.board });
    charts.push(board);
  }
  if (cluster.studentNodePool) {
    const students = chart('student-node-pool');
    new PlannedNodePool(students, 'student-node-pool', { labels: platformLabels('nodes'), nodePool: cluster.studentNodePool });
    charts.push(students);
  }
  if (cluster.routing.mode === 'alb') {
    const ingressClass = chart('kata-ingress-class');
    new KataIngressClass(ingressClass, 'kata-ingress-class');
    charts.push(ingressClass);
  }
  if (cluster.routing.gateway) {
    const gateway = chart('gateway');
    new SharedGateway(gateway, 'gateway', { gateway: cluster.routing.gateway });
    const certificates = chart('certificates');
    new CourseCertificates(certificates, 'certificates', {
      issuer: cluster.routing.gateway.issuer,
      certificates: cluster.routing.gateway.certificates,
    });
    charts.push(gateway, certificates);
  }
  return charts;
}

function* buildCourse(app: App, cluster: ClusterPlan, course: CoursePlan): Generator<OutputChart> {
  const scope = `${cluster.name}-${course.name}`;
  const chart = (id: string, file: string) => new OutputChart(app, `${scope}-${id}`, { outputPath: `${course.path}/${file}` });
  const application = new OutputChart(app, `${scope}-application`, {
    outputPath: `${cluster.argocd.appsPath}/${course.name}.yaml`,
  });
  new ChildApplication(application, 'application', {
    name: course.application,
    path: course.path,
    destinationNamespace: course.namespace,
    project: cluster.projects.courses.name,
    syncWave: SYNC_WAVE.courses,
    labels: courseLabels(course.name, 'application'),
    argocd: cluster.argocd,
    replicasOwnedElsewhere: [
      { group: 'apps', kind: 'StatefulSet' },
      { group: 'apps', kind: 'Deployment' },
    ],
  });

  const courseWide = chart('course', 'course.yaml');
  new CourseNamespace(courseWide, 'namespace', {
    course: course.name,
    namespace: course.namespace,
    homeClaimTemplate: course.workstation.homeClaimTemplate,
    homeSize: course.workstation.homeSize,
  });
  // A virtual cluster's student reads the cluster-scoped kinds of their own cluster.
  if (course.kubernetes.enabled && course.kubernetes.isolation === 'namespace') {
    new ClusterReadRole(courseWide, 'cluster-read', { course: course.name, name: course.kubernetes.clusterReadRole });
  }
  if (course.virtualCluster) {
    new KubeconfigReaderRole(courseWide, 'kubeconfig-reader', {
      course: course.name,
      name: course.virtualCluster.kubeconfigReaderRole,
    });
  }
  yield application;
  if (course.virtualCluster) yield* buildVirtualClusters(app, cluster, course);
  if (!course.archived) buildCourseCompute(courseWide, cluster, course);
  yield courseWide;
  if (!course.archived) yield* buildCourseCapacity(chart, course);
  for (const student of course.students) {
    const studentChart = chart(`student-${student.id}`, `students/${student.id}.yaml`);
    buildStudent(studentChart, course, student);
    yield studentChart;
  }
}

/**
 * vcluster mode: an Application of the course (after the courses' wave, so that each student
 * namespace has its quota and policies first) whose folder holds one Application per student,
 * each in a file of its own.
 */
function* buildVirtualClusters(app: App, cluster: ClusterPlan, course: CoursePlan): Generator<OutputChart> {
  const plan = course.virtualCluster;
  const project = cluster.projects.virtualClusters;
  if (!plan || !project) throw new Error(`${course.name}: virtual clusters not planned`);
  const scope = `${cluster.name}-${course.name}-vclusters`;
  const application = new OutputChart(app, scope, { outputPath: `${cluster.argocd.appsPath}/${plan.application}.yaml` });
  new ChildApplication(application, 'application', {
    name: plan.application,
    path: plan.path,
    destinationNamespace: cluster.argocd.namespace,
    project: project.name,
    syncWave: SYNC_WAVE.virtualClusters,
    labels: courseLabels(course.name, 'application'),
    argocd: cluster.argocd,
  });
  yield application;
  for (const student of course.students) {
    if (!student.virtualCluster || !student.namespace)
      throw new Error(`${course.name}/${student.id}: no virtual cluster planned`);
    const chart = new OutputChart(app, `${scope}-${student.id}`, { outputPath: `${plan.path}/${student.id}.yaml` });
    new VirtualCluster(chart, 'vcluster', {
      name: student.virtualCluster.application,
      namespace: student.namespace,
      chart: plan.chart,
      values: student.virtualCluster.values,
      project: project.name,
      labels: studentLabels(course.name, student.id, 'virtual-cluster'),
      argocd: cluster.argocd,
    });
    yield chart;
  }
}

/** Course-wide objects of a course that runs: the setup script, the load balancer's access, the ALB record. */
function buildCourseCompute(courseWide: OutputChart, cluster: ClusterPlan, course: CoursePlan): void {
  const isolation = course.kubernetes.isolation;
  new WorkstationSetup(courseWide, 'setup', {
    course: course.name,
    namespace: course.namespace,
    name: WORKSTATION_SETUP_CONFIGMAP,
    scripts: {
      'setup.sh': workstationSetupScript(course.workstation.repos, course.workstation.kataSleep, isolation),
      ...(course.workstation.kataSleep
        ? { [SLEEP_SCRIPT]: kataSleepScript(isolation), [WAKE_SCRIPT]: kataWakeScript(isolation) }
        : {}),
    },
  });
  if (course.login.method.kind === 'password') {
    new LoginPage(courseWide, 'login-page', {
      course: course.name,
      title: course.title,
      namespace: course.namespace,
      name: LOGIN_PAGE_CONFIGMAP,
    });
  }
  new WorkstationAccess(courseWide, 'access', {
    course: course.name,
    namespace: course.namespace,
    ports: [course.login.port, ...course.workstation.appPorts],
    fromProxy: course.routing.mode === 'gateway',
    fromRanges: cluster.routing.loadBalancerSourceRanges,
    fromBoard: cluster.board !== undefined,
  });
}

/**
 * Objects whose content follows the student count, each in a file of its own so that a new
 * student touches them and not course.yaml: NodePool limits, pre-warm size, ALB groups.
 */
function buildCourseCapacity(chart: (id: string, file: string) => OutputChart, course: CoursePlan): OutputChart[] {
  const nodes = chart('node-pool', 'node-pool.yaml');
  new PlannedNodePool(nodes, 'node-pool', { labels: courseLabels(course.name, 'nodes'), nodePool: course.nodePool });
  const charts = [nodes];
  if (course.prewarm && course.schedule) {
    const prewarm = chart('prewarm', 'prewarm.yaml');
    new PrewarmPlaceholders(prewarm, 'placeholders', {
      course: course.name,
      namespace: course.namespace,
      prewarm: course.prewarm,
      workstation: course.workstation,
    });
    new CronScaler(prewarm, 'scaler', {
      namespace: course.namespace,
      name: course.prewarm.name,
      target: { kind: 'Deployment', name: course.prewarm.name },
      replicas: course.prewarm.seats,
      timeZone: course.schedule.timeZone,
      windows: course.schedule.prewarmTriggers,
      labels: courseLabels(course.name, 'prewarm'),
    });
    charts.push(prewarm);
  }
  if (course.routing.mode === 'alb') {
    const record = chart('alb-groups', ALB_GROUPS_FILE);
    new AlbGroupRecord(record, 'alb-groups', {
      course: course.name,
      namespace: course.namespace,
      groups: course.routing.albGroups,
    });
    charts.push(record);
  }
  return charts;
}

/** A student's namespace and rights, and, unless the course is archived, their workstation, its schedule and routes. */
function buildStudent(chart: OutputChart, course: CoursePlan, student: StudentPlan): void {
  const viaGateway = course.routing.mode === 'gateway';
  if (student.namespace) {
    new StudentNamespace(chart, 'namespace', {
      course: course.name,
      courseNamespace: course.namespace,
      studentId: student.id,
      namespace: student.namespace,
      quota: course.kubernetes.namespaceQuota,
      hostsVirtualCluster: course.kubernetes.isolation === 'vcluster',
      proxyNamespace: viaGateway ? GATEWAY.namespace : undefined,
      archived: course.archived,
    });
  }
  // Archived: no binding, no workstation (whose ServiceAccount was the student's identity).
  if (course.archived) return;
  if (student.namespace && student.virtualCluster) {
    new VirtualClusterAccess(chart, 'access', {
      course: course.name,
      studentId: student.id,
      namespace: student.namespace,
      serviceAccount: { name: student.workstation, namespace: course.namespace },
      kubeconfigReaderRole: course.virtualCluster!.kubeconfigReaderRole,
    });
    if (course.virtualCluster?.triggers && course.schedule) {
      new CronScaler(chart, 'vcluster-schedule', {
        namespace: student.namespace,
        name: VIRTUAL_CLUSTER_RELEASE,
        target: { kind: 'StatefulSet', name: VIRTUAL_CLUSTER_RELEASE },
        replicas: 1,
        timeZone: course.schedule.timeZone,
        windows: course.virtualCluster.triggers,
        labels: studentLabels(course.name, student.id, 'schedule'),
        inStudentNamespace: true,
      });
    }
  } else if (student.namespace) {
    new StudentAccess(chart, 'access', {
      course: course.name,
      studentId: student.id,
      namespace: student.namespace,
      serviceAccount: { name: student.workstation, namespace: course.namespace },
      clusterReadRole: course.kubernetes.clusterReadRole,
    });
  }
  new Workstation(chart, 'workstation', {
    course: course.name,
    namespace: course.namespace,
    studentId: student.id,
    name: student.workstation,
    studentNamespace: student.namespace,
    virtualClusterServer: student.virtualCluster?.server,
    workstation: course.workstation,
    setupConfigMap: WORKSTATION_SETUP_CONFIGMAP,
    login: course.login,
    studentLogin: student.login,
    loginConfigMap: LOGIN_PAGE_CONFIGMAP,
  });
  if (course.schedule) {
    new CronScaler(chart, 'schedule', {
      namespace: course.namespace,
      name: student.workstation,
      target: { kind: 'StatefulSet', name: student.workstation },
      replicas: 1,
      timeZone: course.schedule.timeZone,
      windows: course.schedule.workstationTriggers,
      labels: studentLabels(course.name, student.id, 'schedule'),
    });
  }
  const routing = {
    course: course.name,
    namespace: course.namespace,
    studentId: student.id,
    service: student.workstation,
    idePort: course.login.port,
    hosts: student.hosts,
  };
  if (viaGateway) {
    new WorkstationRoutes(chart, 'routes', routing);
    return;
  }
  if (!student.albGroup || !course.routing.certificateArn)
    throw new Error(`${course.name}/${student.id}: alb routing not planned`);
  new WorkstationIngresses(chart, 'ingresses', {
    ...routing,
    group: student.albGroup,
    certificateArn: course.routing.certificateArn,
  });
}
