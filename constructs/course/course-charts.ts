import type { App } from 'cdk8s';
import { ALB_GROUPS_FILE } from '../../lib/contracts/dist-record';
import { courseLabels, studentLabels, SYNC_WAVE } from '../../lib/plan/model/labels';
import { LOGIN_PAGE_CONFIGMAP, WORKSTATION_SETUP_CONFIGMAP } from '../../lib/plan/model/object-names';
import type { ClusterPlan, CoursePlan } from '../../lib/plan/model/types';
import type { VirtualClusterPlan } from '../../lib/plan/model/virtual-clusters';
import { kataSleepScript, kataWakeScript, SLEEP_SCRIPT, WAKE_SCRIPT } from '../../lib/plan/schedule/kata-sleep';
import { workstationSetupScript } from '../../lib/plan/workstation/workstation-setup';
import { dojoCommandScript } from '../../lib/plan/workstation/dojo-command';
import { DOJO_CHECK_FILES } from '../../lib/contracts/dojo-check';
import { DOJO_CHECK_PROGRAM } from '../../lib/contracts/dojo-check-program';
import { ChildApplication } from '../argocd/child-application';
import { OutputChart } from '../output-chart';
import { buildStudent } from '../student/student-chart';
import { WorkstationAccess } from './workstation-access';
import { SignInLimits } from '../sign-in-limits';
import { AlbGroupRecord } from './alb-group-record';
import { ClusterReadRole } from './cluster-read-role';
import { CourseNamespace } from './course-namespace';
import { CronScaler } from './cron-scaler';
import { KubeconfigReaderRole } from './kubeconfig-reader-role';
import { LoginPage } from './login-page';
import { PlannedNodePool } from '../platform/node-pool';
import { PrewarmPlaceholders } from './prewarm-placeholders';
import { VirtualCluster } from './virtual-cluster';
import { WorkstationSetup } from './workstation-setup';

/** A course: its Application, its course-wide objects, its capacity, and one file per student. */
export function* buildCourse(app: App, cluster: ClusterPlan, course: CoursePlan): Generator<OutputChart> {
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
  const kubernetes = course.kubernetes;
  // A virtual cluster's student reads the cluster-scoped kinds of their own cluster.
  if (kubernetes.access === 'namespace') {
    new ClusterReadRole(courseWide, 'cluster-read', { course: course.name, name: kubernetes.clusterReadRole });
  }
  const virtualClusters = kubernetes.access === 'vcluster' ? kubernetes.virtualClusters : undefined;
  if (virtualClusters) {
    new KubeconfigReaderRole(courseWide, 'kubeconfig-reader', {
      course: course.name,
      name: virtualClusters.kubeconfigReaderRole,
    });
  }
  yield application;
  if (virtualClusters) yield* buildVirtualClusters(app, cluster, course, virtualClusters);
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
function* buildVirtualClusters(
  app: App,
  cluster: ClusterPlan,
  course: CoursePlan,
  plan: VirtualClusterPlan,
): Generator<OutputChart> {
  const scope = `${cluster.name}-${course.name}-vclusters`;
  const application = new OutputChart(app, scope, { outputPath: `${cluster.argocd.appsPath}/${plan.application}.yaml` });
  new ChildApplication(application, 'application', {
    name: plan.application,
    path: plan.path,
    destinationNamespace: cluster.argocd.namespace,
    project: plan.project,
    syncWave: SYNC_WAVE.virtualClusters,
    labels: courseLabels(course.name, 'application'),
    argocd: cluster.argocd,
  });
  yield application;
  for (const student of course.students) {
    const kubernetes = student.kubernetes;
    if (kubernetes.access !== 'vcluster' || !kubernetes.virtualCluster) {
      throw new Error(`${course.name}/${student.id}: the course has virtual clusters and the student none`);
    }
    const chart = new OutputChart(app, `${scope}-${student.id}`, { outputPath: `${plan.path}/${student.id}.yaml` });
    new VirtualCluster(chart, 'vcluster', {
      name: kubernetes.virtualCluster.application,
      namespace: kubernetes.namespace,
      chart: plan.chart,
      values: kubernetes.virtualCluster.values,
      project: plan.project,
      labels: studentLabels(course.name, student.id, 'virtual-cluster'),
      argocd: cluster.argocd,
    });
    yield chart;
  }
}

/** Course-wide objects of a course that runs: the setup script, the load balancer's access, the ALB record. */
function buildCourseCompute(courseWide: OutputChart, cluster: ClusterPlan, course: CoursePlan): void {
  const isolation = course.kubernetes.access;
  new WorkstationSetup(courseWide, 'setup', {
    course: course.name,
    namespace: course.namespace,
    name: WORKSTATION_SETUP_CONFIGMAP,
    scripts: {
      'setup.sh': workstationSetupScript(
        course.workstation.repos,
        course.workstation.kataSleep,
        isolation,
        course.checks.length > 0,
      ),
      ...(course.workstation.kataSleep
        ? { [SLEEP_SCRIPT]: kataSleepScript(isolation), [WAKE_SCRIPT]: kataWakeScript(isolation) }
        : {}),
      ...(course.checks.length > 0
        ? {
            [DOJO_CHECK_FILES.command]: dojoCommandScript(),
            [DOJO_CHECK_FILES.exercises]: `${JSON.stringify(course.checks, null, 2)}\n`,
            [DOJO_CHECK_FILES.program]: DOJO_CHECK_PROGRAM,
          }
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
  // The IDE routes' sign-in rule names these; an archived course has no routes.
  if (course.routing.mode === 'gateway' && !course.archived) {
    new SignInLimits(courseWide, 'sign-in-limits', { limits: course.routing.signInLimits });
  }
  new WorkstationAccess(courseWide, 'access', {
    course: course.name,
    namespace: course.namespace,
    ports: [course.login.port, ...course.workstation.appPorts],
    fromProxy: course.routing.mode === 'gateway',
    fromRanges: cluster.routing.mode === 'alb' ? cluster.routing.loadBalancerSourceRanges : [],
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
