import { App } from 'cdk8s';
import type { CoursePlan, ClusterPlan, RepoPlan } from '../lib/plan/types';
import { workstationSetupScript } from '../lib/plan/workstation-setup';
import { ALB_GROUPS_FILE } from '../lib/load/previous-output';
import { courseLabels, platformLabels, SYNC_WAVE } from '../lib/plan/labels';
import { ChildApplication } from './child-application';
import { ClusterReadRole } from './cluster-read-role';
import { CourseNamespace } from './course-namespace';
import { CourseNodePool } from './course-node-pool';
import { NodeClass } from './node-class';
import { OutputChart } from './output-chart';
import { RootApplication } from './root-application';
import { StudentAccess } from './student-access';
import { GATEWAY } from '../lib/plan/routing';
import { GATEWAY_API, TRAEFIK_CHART } from '../lib/versions';
import { AlbGroupRecord } from './alb-group-record';
import { SharedGateway } from './shared-gateway';
import { StorageAndPriorities } from './storage-and-priorities';
import { UpstreamApplication } from './upstream-application';
import { WorkstationAccess } from './workstation-access';
import { WorkstationIngresses } from './workstation-ingresses';
import { WorkstationRoutes } from './workstation-routes';
import { StudentNamespace } from './student-namespace';
import { SysboxRuntime } from './sysbox-runtime';
import { Workstation } from './workstation';
import { WorkstationSetup } from './workstation-setup';

export const WORKSTATION_SETUP_CONFIGMAP = 'workstation-setup';

/**
 * Every object of the repo, as charts that are each one output file: per course one
 * file of course-wide objects and one file per student, so that adding a student adds
 * a file and touches no other student's.
 */
export function buildApp(plan: RepoPlan): OutputChart[] {
  const app = new App();
  const charts: OutputChart[] = [];
  for (const cluster of plan.clusters) {
    const root = new OutputChart(app, `${cluster.name}-root`, { outputPath: `argocd/${cluster.name}.yaml` });
    new RootApplication(root, 'root', { cluster: cluster.name, argocd: cluster.argocd });
    charts.push(root, ...buildPlatform(app, cluster));
    for (const course of cluster.courses) charts.push(...buildCourse(app, cluster, course));
  }
  return charts;
}

/** What every course of a cluster relies on: the sysbox runtime, the node class, storage, priorities. */
function buildPlatform(app: App, cluster: ClusterPlan): OutputChart[] {
  const scope = `${cluster.name}-platform`;
  const chart = (name: string) =>
    new OutputChart(app, `${scope}-${name}`, { outputPath: `${cluster.platformPath}/${name}.yaml` });
  const application = new OutputChart(app, `${scope}-application`, {
    outputPath: `${cluster.argocd.appsPath}/${cluster.platformApplication}.yaml`,
  });
  new ChildApplication(application, 'application', {
    name: cluster.platformApplication,
    path: cluster.platformPath,
    destinationNamespace: 'kube-system',
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
  return [application, runtime, nodes, storage, ...buildGateway(app, cluster, chart)];
}

/** gateway mode: the Gateway API CRDs, the proxy (one NLB) and the Gateway itself. */
function buildGateway(app: App, cluster: ClusterPlan, chart: (name: string) => OutputChart): OutputChart[] {
  const gateway = cluster.routing.gateway;
  if (!gateway) return [];
  const appChart = (name: string) =>
    new OutputChart(app, `${cluster.name}-app-${name}`, { outputPath: `${cluster.argocd.appsPath}/${name}.yaml` });
  const crds = appChart('gateway-api-crds');
  new UpstreamApplication(crds, 'application', {
    name: 'gateway-api-crds',
    namespace: 'kube-system',
    source: { kind: 'git', repoURL: GATEWAY_API.repoURL, path: 'config/crd/standard', revision: GATEWAY_API.version },
    syncWave: SYNC_WAVE.crds,
    labels: platformLabels('gateway'),
    argocd: cluster.argocd,
  });
  const proxy = appChart('gateway-proxy');
  new UpstreamApplication(proxy, 'application', {
    name: 'gateway-proxy',
    namespace: GATEWAY.namespace,
    source: { kind: 'helm', ...TRAEFIK_CHART, values: { ...gateway.proxyValues } },
    syncWave: SYNC_WAVE.addons,
    labels: platformLabels('gateway'),
    argocd: cluster.argocd,
  });
  const objects = chart('gateway');
  new SharedGateway(objects, 'gateway', { gateway });
  return [crds, proxy, objects];
}

function buildCourse(app: App, cluster: ClusterPlan, course: CoursePlan): OutputChart[] {
  const scope = `${cluster.name}-${course.name}`;
  const application = new OutputChart(app, `${scope}-application`, {
    outputPath: `${cluster.argocd.appsPath}/${course.name}.yaml`,
  });
  new ChildApplication(application, 'application', {
    name: course.application,
    path: course.path,
    destinationNamespace: course.namespace,
    syncWave: SYNC_WAVE.courses,
    labels: courseLabels(course.name, 'application'),
    argocd: cluster.argocd,
  });

  const courseWide = new OutputChart(app, `${scope}-course`, { outputPath: `${course.path}/course.yaml` });
  new CourseNamespace(courseWide, 'namespace', { course: course.name, namespace: course.namespace });
  new WorkstationSetup(courseWide, 'setup', {
    course: course.name,
    namespace: course.namespace,
    name: WORKSTATION_SETUP_CONFIGMAP,
    script: workstationSetupScript(course.workstation.repos),
  });
  if (course.kubernetes.enabled) {
    new ClusterReadRole(courseWide, 'cluster-read', { course: course.name, name: course.kubernetes.clusterReadRole });
  }
  const viaGateway = course.routing.mode === 'gateway';
  new WorkstationAccess(courseWide, 'access', {
    course: course.name,
    namespace: course.namespace,
    ports: [course.workstation.idePort, ...course.workstation.appPorts],
    fromProxy: viaGateway,
    fromRanges: cluster.routing.loadBalancerSourceRanges,
  });
  const extra: OutputChart[] = [];
  if (!viaGateway) {
    // The assignment changes with every new student, so it has a file of its own.
    const record = new OutputChart(app, `${scope}-alb-groups`, { outputPath: `${course.path}/${ALB_GROUPS_FILE}` });
    new AlbGroupRecord(record, 'alb-groups', {
      course: course.name,
      namespace: course.namespace,
      groups: course.routing.albGroups,
    });
    extra.push(record);
  }
  // Its limits follow the student count, so it has a file of its own: a new student touches it, not course.yaml.
  const nodes = new OutputChart(app, `${scope}-node-pool`, { outputPath: `${course.path}/node-pool.yaml` });
  new CourseNodePool(nodes, 'node-pool', { course: course.name, nodePool: course.nodePool });

  const studentCharts = course.students.map((student) => {
    const chart = new OutputChart(app, `${scope}-student-${student.id}`, {
      outputPath: `${course.path}/students/${student.id}.yaml`,
    });
    if (student.namespace) {
      new StudentNamespace(chart, 'namespace', {
        course: course.name,
        courseNamespace: course.namespace,
        studentId: student.id,
        namespace: student.namespace,
        access: course.kubernetes,
        proxyNamespace: viaGateway ? GATEWAY.namespace : undefined,
      });
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
      workstation: course.workstation,
      setupConfigMap: WORKSTATION_SETUP_CONFIGMAP,
    });
    const routing = {
      course: course.name,
      namespace: course.namespace,
      studentId: student.id,
      service: student.workstation,
      idePort: course.workstation.idePort,
      hosts: student.hosts,
    };
    if (viaGateway) {
      new WorkstationRoutes(chart, 'routes', routing);
    } else {
      if (!student.albGroup || !course.routing.certificateArn)
        throw new Error(`${course.name}/${student.id}: alb routing not planned`);
      new WorkstationIngresses(chart, 'ingresses', {
        ...routing,
        group: student.albGroup,
        certificateArn: course.routing.certificateArn,
      });
    }
    return chart;
  });
  return [application, courseWide, nodes, ...extra, ...studentCharts];
}
