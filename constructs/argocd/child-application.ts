import { Construct } from 'constructs';
import { Application } from '../../imports/argocd-argoproj.io';
import { SYNC_WAVE_ANNOTATION } from '../../lib/plan/model/labels';
import type { ArgoCdPlan } from '../../lib/plan/model/argocd';
import { argoSyncPolicy, FINALIZER, MANIFEST_GENERATE_PATHS } from './argocd-policy';

export interface ChildApplicationProps {
  /** Application name, unique in the ArgoCD namespace. */
  readonly name: string;
  /** Folder of the repo the Application deploys; its sub-folders are included. */
  readonly path: string;
  /** Namespace for objects that state none. */
  readonly destinationNamespace: string;
  /** The AppProject that bounds what the Application may do. */
  readonly project: string;
  /** ArgoCD sync wave among the Applications of the cluster. */
  readonly syncWave: string;
  /** Labels of the Application object. */
  readonly labels: Record<string, string>;
  /** Where ArgoCD runs and which repo it reads. */
  readonly argocd: ArgoCdPlan;
  /**
   * Kinds whose `/spec/replicas` something else owns (the class schedule), for ArgoCD to ignore.
   * @default - none
   */
  readonly replicasOwnedElsewhere?: readonly { readonly group: string; readonly kind: string }[];
}

/** An Application of the app of apps: one folder of dist/, pruned when gone, deleted with its objects. */
export class ChildApplication extends Construct {
  constructor(scope: Construct, id: string, props: ChildApplicationProps) {
    super(scope, id);
    const { argocd } = props;
    new Application(this, 'application', {
      metadata: {
        name: props.name,
        namespace: argocd.namespace,
        labels: props.labels,
        annotations: {
          [SYNC_WAVE_ANNOTATION]: props.syncWave,
          [MANIFEST_GENERATE_PATHS]: `/${props.path}`,
        },
        finalizers: [FINALIZER],
      },
      spec: {
        project: props.project,
        source: {
          repoUrl: argocd.repoURL,
          targetRevision: argocd.targetRevision,
          path: props.path,
          directory: { recurse: true },
        },
        destination: { server: argocd.destinationServer, namespace: props.destinationNamespace },
        syncPolicy: props.replicasOwnedElsewhere
          ? { ...argoSyncPolicy(), syncOptions: ['RespectIgnoreDifferences=true'] }
          : argoSyncPolicy(),
        ignoreDifferences: props.replicasOwnedElsewhere?.map((k) => ({ ...k, jsonPointers: ['/spec/replicas'] })),
      },
    });
  }
}
