import { Construct } from 'constructs';
import { AppProject } from '../../imports/argocd-project-argoproj.io';
import { SYNC_WAVE_ANNOTATION } from '../../lib/plan/model/labels';
import type { ProjectPlan } from '../../lib/plan/model/argocd';
import type { ArgoCdPlan } from '../../lib/plan/model/argocd';

export interface AppProjectProps {
  /** The project, from the plan. */
  readonly project: ProjectPlan;
  /** Where ArgoCD runs and which cluster it deploys to. */
  readonly argocd: ArgoCdPlan;
  /** Labels of the AppProject. */
  readonly labels: Record<string, string>;
  /** ArgoCD sync wave: before every Application that uses the project. */
  readonly syncWave: string;
}

/** An ArgoCD AppProject: what its Applications may read from and create, and where. */
export class DojoAppProject extends Construct {
  constructor(scope: Construct, id: string, props: AppProjectProps) {
    super(scope, id);
    const { project, argocd } = props;
    new AppProject(this, 'project', {
      metadata: {
        name: project.name,
        namespace: argocd.namespace,
        labels: props.labels,
        annotations: { [SYNC_WAVE_ANNOTATION]: props.syncWave },
      },
      spec: {
        description: project.description,
        sourceRepos: [...project.sourceRepos],
        destinations: project.namespaces.map((namespace) => ({ server: argocd.destinationServer, namespace })),
        clusterResourceWhitelist: project.clusterResources.map((r) => ({ ...r })),
        namespaceResourceWhitelist: project.namespacedResources?.map((r) => ({ ...r })),
      },
    });
  }
}
