import { App } from 'cdk8s';
import type { CoursePlan, ClusterPlan, RepoPlan } from '../lib/plan/types';
import { workstationSetupScript } from '../lib/plan/workstation-setup';
import { ClusterReadRole } from './cluster-read-role';
import { CourseApplication } from './course-application';
import { CourseNamespace } from './course-namespace';
import { OutputChart } from './output-chart';
import { RootApplication } from './root-application';
import { StudentAccess } from './student-access';
import { StudentNamespace } from './student-namespace';
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
    charts.push(root);
    for (const course of cluster.courses) charts.push(...buildCourse(app, cluster, course));
  }
  return charts;
}

function buildCourse(app: App, cluster: ClusterPlan, course: CoursePlan): OutputChart[] {
  const scope = `${cluster.name}-${course.name}`;
  const application = new OutputChart(app, `${scope}-application`, {
    outputPath: `${cluster.argocd.appsPath}/${course.name}.yaml`,
  });
  new CourseApplication(application, 'application', { course, argocd: cluster.argocd });

  const courseWide = new OutputChart(app, `${scope}-course`, { outputPath: `${course.path}/course.yaml` });
  new CourseNamespace(courseWide, 'namespace', { course: course.name, namespace: course.namespace });
  new WorkstationSetup(courseWide, 'setup', {
    course: course.name,
    namespace: course.namespace,
    name: WORKSTATION_SETUP_CONFIGMAP,
    script: workstationSetupScript(course.workstation),
  });
  if (course.kubernetes.enabled) {
    new ClusterReadRole(courseWide, 'cluster-read', { course: course.name, name: course.kubernetes.clusterReadRole });
  }

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
    return chart;
  });
  return [application, courseWide, ...studentCharts];
}
