import { Construct } from 'constructs';
import { Application } from '../imports/argocd-argoproj.io';
import { courseLabels, SYNC_WAVE, SYNC_WAVE_ANNOTATION } from '../lib/plan/labels';
import type { ArgoCdPlan, CoursePlan } from '../lib/plan/types';
import { argoSyncPolicy, FINALIZER, MANIFEST_GENERATE_PATHS } from './argocd-policy';

export interface CourseApplicationProps {
  /** The course, from the plan. */
  readonly course: CoursePlan;
  /** Where ArgoCD runs and which repo it reads. */
  readonly argocd: ArgoCdPlan;
}

/** The ArgoCD Application of one course: everything under the course's folder, pruned when gone. */
export class CourseApplication extends Construct {
  constructor(scope: Construct, id: string, props: CourseApplicationProps) {
    super(scope, id);
    const { course, argocd } = props;
    new Application(this, 'application', {
      metadata: {
        name: course.application,
        namespace: argocd.namespace,
        labels: courseLabels(course.name, 'application'),
        annotations: {
          [SYNC_WAVE_ANNOTATION]: SYNC_WAVE.courses,
          [MANIFEST_GENERATE_PATHS]: `/${course.path}`,
        },
        finalizers: [FINALIZER],
      },
      spec: {
        project: argocd.project,
        source: {
          repoUrl: argocd.repoURL,
          targetRevision: argocd.targetRevision,
          path: course.path,
          directory: { recurse: true },
        },
        destination: { server: argocd.destinationServer, namespace: course.namespace },
        syncPolicy: argoSyncPolicy(),
      },
    });
  }
}
