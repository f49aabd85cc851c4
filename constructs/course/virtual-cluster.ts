import { Construct } from 'constructs';
import { Application } from '../../imports/argocd-argoproj.io';
import type { ArgoCdPlan } from '../../lib/plan/model/argocd';
import type { ChartSource } from '../../lib/facts/versions';
import { VIRTUAL_CLUSTER_RELEASE } from '../../lib/plan/virtual-clusters/virtual-cluster';
import { argoSyncPolicy, FINALIZER } from '../argocd/argocd-policy';

export interface VirtualClusterProps {
  /** Application name, unique in the ArgoCD namespace. */
  readonly name: string;
  /** The student's namespace: made by the course's Application, with its quota and policies, before this syncs. */
  readonly namespace: string;
  /** The pinned vcluster chart. */
  readonly chart: ChartSource;
  /** The chart's values, from the plan. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The AppProject that bounds what the Application may do. */
  readonly project: string;
  /** Labels of the Application object. */
  readonly labels: Record<string, string>;
  /** Where ArgoCD runs. */
  readonly argocd: ArgoCdPlan;
}

/**
 * A student's virtual cluster: an Application of the pinned vcluster chart into the student's
 * namespace. The chart sets the control plane's `replicas`; the class schedule (KEDA) owns it,
 * so ArgoCD ignores it. Deleting the Application leaves the database's claim (the chart's
 * retention policy), like the workstation's home.
 */
export class VirtualCluster extends Construct {
  constructor(scope: Construct, id: string, props: VirtualClusterProps) {
    super(scope, id);
    const { argocd, chart } = props;
    new Application(this, 'application', {
      metadata: { name: props.name, namespace: argocd.namespace, labels: props.labels, finalizers: [FINALIZER] },
      spec: {
        project: props.project,
        source: {
          repoUrl: chart.repoURL,
          chart: chart.chart,
          targetRevision: chart.version,
          helm: { releaseName: VIRTUAL_CLUSTER_RELEASE, valuesObject: props.values },
        },
        destination: { server: argocd.destinationServer, namespace: props.namespace },
        ignoreDifferences: [
          { group: 'apps', kind: 'StatefulSet', name: VIRTUAL_CLUSTER_RELEASE, jsonPointers: ['/spec/replicas'] },
        ],
        syncPolicy: { ...argoSyncPolicy(), syncOptions: ['RespectIgnoreDifferences=true'] },
      },
    });
  }
}
