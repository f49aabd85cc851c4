import { Construct } from 'constructs';
import { Application } from '../../imports/argocd-argoproj.io';
import { SYNC_WAVE_ANNOTATION } from '../../lib/plan/model/labels';
import type { IgnoredDifference, UpstreamSource } from '../../lib/plan/model/addons';
import type { ArgoCdPlan } from '../../lib/plan/model/argocd';
import { argoSyncPolicy, FINALIZER } from './argocd-policy';

export interface UpstreamApplicationProps {
  /** Application name, unique in the ArgoCD namespace. */
  readonly name: string;
  /** Namespace the component is installed into; created by the sync. */
  readonly namespace: string;
  /** The pinned upstream source. */
  readonly source: UpstreamSource;
  /** The AppProject that bounds what the Application may do. */
  readonly project: string;
  /** ArgoCD sync wave among the Applications of the cluster. */
  readonly syncWave: string;
  /** Labels of the Application object. */
  readonly labels: Record<string, string>;
  /** Where ArgoCD runs. */
  readonly argocd: ArgoCdPlan;
  /**
   * Fields ArgoCD neither diffs nor syncs.
   * @default - none
   */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
}

/**
 * An Application that installs a pinned upstream component (a controller, CRDs). Server-side
 * apply, because CRDs outgrow the annotation client-side apply keeps.
 */
export class UpstreamApplication extends Construct {
  constructor(scope: Construct, id: string, props: UpstreamApplicationProps) {
    super(scope, id);
    const { source, argocd } = props;
    new Application(this, 'application', {
      metadata: {
        name: props.name,
        namespace: argocd.namespace,
        labels: props.labels,
        annotations: { [SYNC_WAVE_ANNOTATION]: props.syncWave },
        finalizers: [FINALIZER],
      },
      spec: {
        project: props.project,
        source:
          source.kind === 'helm'
            ? {
                repoUrl: source.repoURL,
                chart: source.chart,
                targetRevision: source.version,
                helm: {
                  releaseName: props.name,
                  valuesObject: source.values,
                  ...(source.skipCrds ? { skipCrds: true } : {}),
                },
              }
            : {
                repoUrl: source.repoURL,
                path: source.path,
                targetRevision: source.revision,
                ...(source.include ? { directory: { include: source.include } } : {}),
              },
        destination: { server: argocd.destinationServer, namespace: props.namespace },
        ...(props.ignoreDifferences
          ? {
              ignoreDifferences: props.ignoreDifferences.map((d) => ({
                group: d.group,
                kind: d.kind,
                name: d.name,
                jsonPointers: d.jsonPointers && [...d.jsonPointers],
                jqPathExpressions: d.jqPathExpressions && [...d.jqPathExpressions],
              })),
            }
          : {}),
        syncPolicy: {
          ...argoSyncPolicy(),
          syncOptions: [
            'CreateNamespace=true',
            'ServerSideApply=true',
            ...(props.ignoreDifferences ? ['RespectIgnoreDifferences=true'] : []),
          ],
        },
      },
    });
  }
}
