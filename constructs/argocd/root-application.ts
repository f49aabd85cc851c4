import { Construct } from 'constructs';
import { Application } from '../../imports/argocd-argoproj.io';
import { LABELS, MANAGED_BY } from '../../lib/plan/model/object-names';
import type { ArgoCdPlan } from '../../lib/plan/model/argocd';
import { argoSyncPolicy, FINALIZER, MANIFEST_GENERATE_PATHS } from './argocd-policy';

export interface RootApplicationProps {
  /** Cluster name. */
  readonly cluster: string;
  /** Where ArgoCD runs and which repo it reads. */
  readonly argocd: ArgoCdPlan;
}

/** The app of apps of a cluster: the one object applied by hand, once. */
export class RootApplication extends Construct {
  constructor(scope: Construct, id: string, props: RootApplicationProps) {
    super(scope, id);
    const { argocd } = props;
    new Application(this, 'application', {
      metadata: {
        name: argocd.rootApplication,
        namespace: argocd.namespace,
        labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.component]: 'root-application' },
        annotations: { [MANIFEST_GENERATE_PATHS]: `/${argocd.appsPath}` },
        finalizers: [FINALIZER],
      },
      spec: {
        project: argocd.project,
        source: { repoUrl: argocd.repoURL, targetRevision: argocd.targetRevision, path: argocd.appsPath },
        destination: { server: argocd.destinationServer, namespace: argocd.namespace },
        syncPolicy: argoSyncPolicy(),
      },
    });
  }
}
