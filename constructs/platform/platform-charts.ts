import type { App } from 'cdk8s';
import type { ClusterPlan } from '../../lib/plan/model/types';
import { platformLabels, SYNC_WAVE } from '../../lib/plan/model/labels';
import { DojoAppProject } from '../argocd/app-project';
import { ChildApplication } from '../argocd/child-application';
import { UpstreamApplication } from '../argocd/upstream-application';
import { ClassBoard } from '../board/class-board';
import { CourseCertificates } from './course-certificates';
import { PlannedNodePool } from './node-pool';
import { OutputChart } from '../output-chart';
import { AdmissionPolicy } from './admission-policy';
import { MeshRole } from './mesh-role';
import { StudentPriorityLevel } from './student-priority-level';
import { STUDENT_PRIORITY_LEVEL } from '../../lib/plan/api-fairness/api-fairness';
import { AlbIngressClass } from './alb-ingress-class';
import { KATA_INGRESS_CLASS, PLATFORM_INGRESS_CLASS } from '../../lib/plan/routing/hosts';
import { NodeClass } from './node-class';
import { SharedGateway } from './shared-gateway';
import { StorageAndPriorities } from './storage-and-priorities';
import { SysboxRuntime } from './sysbox-runtime';

/**
 * What every course of a cluster relies on: the AppProjects, the controllers (each an
 * Application of a pinned chart), and the platform objects: sysbox runtime, node class,
 * storage, priorities and, in gateway mode, the Gateway; in alb mode, the IngressClasses.
 */
export function buildPlatform(app: App, cluster: ClusterPlan): OutputChart[] {
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
  // Undefined only beside the problem that names the unsupported Kubernetes version: synth stops there.
  if (!cluster.sysboxInstallerImage) throw new Error(`cluster ${cluster.name}: no sysbox installer (the plan reports this)`);
  const runtime = chart('sysbox');
  new SysboxRuntime(runtime, 'sysbox', { installerImage: cluster.sysboxInstallerImage });
  const nodes = chart('node-class');
  new NodeClass(nodes, 'node-class', { nodeClass: cluster.nodeClass });
  const storage = chart('storage-and-priorities');
  new StorageAndPriorities(storage, 'storage-and-priorities');
  const admission = chart('admission-policies');
  for (const policy of cluster.admissionPolicies) new AdmissionPolicy(admission, policy.name, { policy });
  const fairness = chart('api-fairness');
  new StudentPriorityLevel(fairness, 'students', { level: STUDENT_PRIORITY_LEVEL });
  const charts = [projects, ...addons, application, runtime, nodes, storage, admission, fairness];
  if (cluster.board) {
    const board = chart('class-board');
    new ClassBoard(board, 'class-board', { board: cluster.board });
    charts.push(board);
  }
  if (cluster.mesh) {
    const mesh = chart('mesh');
    new MeshRole(mesh, 'students', { role: cluster.mesh.studentRole });
    new MeshRole(mesh, 'gateways', { role: cluster.mesh.gatewayRole });
    new MeshRole(mesh, 'prometheus', { role: cluster.mesh.prometheusRole });
    new MeshRole(mesh, 'kiali', { role: cluster.mesh.kialiRole });
    charts.push(mesh);
  }
  if (cluster.studentNodePool) {
    const students = chart('student-node-pool');
    new PlannedNodePool(students, 'student-node-pool', { labels: platformLabels('nodes'), nodePool: cluster.studentNodePool });
    charts.push(students);
  }
  if (cluster.routing.mode === 'alb') {
    // The katas' class and the platform's: students may name only the first (admission policy),
    // and only the platform's Ingresses name an ALB group.
    const ingressClasses = chart('ingress-classes');
    new AlbIngressClass(ingressClasses, 'kata', { name: KATA_INGRESS_CLASS });
    new AlbIngressClass(ingressClasses, 'platform', { name: PLATFORM_INGRESS_CLASS });
    charts.push(ingressClasses);
  } else {
    const { gateway } = cluster.routing;
    const gatewayChart = chart('gateway');
    new SharedGateway(gatewayChart, 'gateway', { gateway });
    const certificates = chart('certificates');
    new CourseCertificates(certificates, 'certificates', { issuer: gateway.issuer, certificates: gateway.certificates });
    charts.push(gatewayChart, certificates);
  }
  return charts;
}
