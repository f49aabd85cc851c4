import type { OutputChart } from '../output-chart';
import { studentLabels } from '../../lib/plan/model/labels';
import { LOGIN_PAGE_CONFIGMAP, WORKSTATION_SETUP_CONFIGMAP } from '../../lib/plan/model/object-names';
import type { CoursePlan, StudentPlan } from '../../lib/plan/model/types';
import { GATEWAY } from '../../lib/plan/routing/hosts';
import { VIRTUAL_CLUSTER_RELEASE } from '../../lib/plan/virtual-clusters/virtual-cluster';
import { CronScaler } from '../course/cron-scaler';
import { StudentAccess } from './student-access';
import { WorkstationEgress } from './workstation-egress';
import { StudentFlowSchema } from './student-flow-schema';
import { StudentMesh } from './student-mesh';
import { StudentNamespace } from './student-namespace';
import { VirtualClusterAccess } from './virtual-cluster-access';
import { Workstation } from './workstation';
import { WorkstationIngresses } from './workstation-ingresses';
import { WorkstationRoutes } from './workstation-routes';

/** A student's namespace and rights, and, unless the course is archived, their workstation, its schedule and routes. */
export function buildStudent(chart: OutputChart, course: CoursePlan, student: StudentPlan): void {
  const kubernetes = student.kubernetes;
  if (kubernetes.access !== 'none') {
    new StudentNamespace(chart, 'namespace', {
      course: course.name,
      courseNamespace: course.namespace,
      studentId: student.id,
      namespace: kubernetes.namespace,
      quota: kubernetes.namespaceQuota,
      egress: kubernetes.namespaceEgress,
      hostsVirtualCluster: kubernetes.access === 'vcluster',
      extraLabels: kubernetes.access === 'namespace' ? kubernetes.mesh?.namespaceLabels : undefined,
      proxyNamespace: course.routing.mode === 'gateway' ? GATEWAY.namespace : undefined,
      archived: course.archived,
    });
  }
  // Archived: no binding, no workstation (whose ServiceAccount was the student's identity).
  if (course.archived) return;
  const serviceAccount = { name: student.workstation, namespace: course.namespace };
  new StudentFlowSchema(chart, 'api-fairness', { course: course.name, studentId: student.id, flowSchema: student.flowSchema });
  new WorkstationEgress(chart, 'egress', {
    course: course.name,
    studentId: student.id,
    namespace: course.namespace,
    egress: student.workstationEgress,
  });
  if (kubernetes.access === 'vcluster' && kubernetes.virtualCluster) {
    new VirtualClusterAccess(chart, 'access', {
      course: course.name,
      studentId: student.id,
      namespace: kubernetes.namespace,
      serviceAccount,
      kubeconfigReaderRole: kubernetes.virtualCluster.kubeconfigReaderRole,
    });
    if (kubernetes.virtualCluster.triggers && course.schedule) {
      new CronScaler(chart, 'vcluster-schedule', {
        namespace: kubernetes.namespace,
        name: VIRTUAL_CLUSTER_RELEASE,
        target: { kind: 'StatefulSet', name: VIRTUAL_CLUSTER_RELEASE },
        replicas: 1,
        timeZone: course.schedule.timeZone,
        windows: kubernetes.virtualCluster.triggers,
        labels: studentLabels(course.name, student.id, 'schedule'),
        inStudentNamespace: true,
      });
    }
  } else if (kubernetes.access === 'namespace') {
    new StudentAccess(chart, 'access', {
      course: course.name,
      studentId: student.id,
      namespace: kubernetes.namespace,
      serviceAccount,
      clusterReadRole: kubernetes.clusterReadRole,
    });
    if (kubernetes.mesh) {
      new StudentMesh(chart, 'mesh', {
        course: course.name,
        courseNamespace: course.namespace,
        studentId: student.id,
        namespace: kubernetes.namespace,
        serviceAccount,
        mesh: kubernetes.mesh,
      });
      // The gateways and tools sleep with the workstation. The kata sleep cannot scale them: it
      // marks what it scales, and admission refuses the student's changes to an object with dojo's labels.
      if (course.schedule) {
        const deployments = [...kubernetes.mesh.gateways, ...(kubernetes.mesh.observability?.tools ?? [])].map((d) => d.name);
        for (const name of deployments) {
          new CronScaler(chart, `${name}-schedule`, {
            namespace: kubernetes.namespace,
            name,
            target: { kind: 'Deployment', name },
            replicas: 1,
            timeZone: course.schedule.timeZone,
            windows: course.schedule.workstationTriggers,
            labels: studentLabels(course.name, student.id, 'schedule'),
            inStudentNamespace: true,
          });
        }
      }
    }
  }
  new Workstation(chart, 'workstation', {
    course: course.name,
    namespace: course.namespace,
    studentId: student.id,
    name: student.workstation,
    studentNamespace: kubernetes.access === 'none' ? undefined : kubernetes.namespace,
    virtualClusterServer: kubernetes.access === 'vcluster' ? kubernetes.virtualCluster?.server : undefined,
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
  // Undefined only beside the problem that names the missing certificate: synth stops there.
  if (!student.routes) throw new Error(`${course.name}/${student.id}: no routes (the plan reports this)`);
  if (student.routes.mode === 'gateway') {
    new WorkstationRoutes(chart, 'routes', { ...routing, ideRules: student.routes.ideRules });
  } else {
    new WorkstationIngresses(chart, 'ingresses', {
      ...routing,
      group: student.routes.group,
      certificateArns: student.routes.certificateArns,
      webAclArn: student.routes.webAclArn,
    });
  }
}
