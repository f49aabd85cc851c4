import { App } from 'cdk8s';
import type { RepoPlan } from '../lib/plan/model/types';
import { RootApplication } from './argocd/root-application';
import { buildCourse } from './course/course-charts';
import { OutputChart } from './output-chart';
import { buildPlatform } from './platform/platform-charts';

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
