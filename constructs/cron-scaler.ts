import { Construct } from 'constructs';
import { ScaledObject } from '../imports/keda-keda.sh';
import type { CronRange } from '../lib/plan/schedule';

export interface CronScalerProps {
  /** Namespace of the target and of the ScaledObject. */
  readonly namespace: string;
  /** Name of the ScaledObject. */
  readonly name: string;
  /** The workload KEDA scales. */
  readonly target: { readonly kind: 'StatefulSet' | 'Deployment'; readonly name: string };
  /** Replicas inside the windows; outside them, zero. */
  readonly replicas: number;
  /** Time zone of the cron expressions. */
  readonly timeZone: string;
  /** When the workload is up. */
  readonly windows: readonly CronRange[];
  /** Labels of the ScaledObject. */
  readonly labels: Record<string, string>;
}

/**
 * Scales a workload between zero and `replicas` on KEDA cron triggers, in the course's own
 * time zone (KEDA follows its DST changes). The workload leaves `replicas` out of its
 * manifest, so KEDA and ArgoCD never fight over it.
 */
export class CronScaler extends Construct {
  constructor(scope: Construct, id: string, props: CronScalerProps) {
    super(scope, id);
    if (props.windows.length === 0) throw new Error(`CronScaler ${props.name}: no windows; leave the scaler out for always-on`);
    new ScaledObject(this, 'scaled-object', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: props.target.kind, name: props.target.name },
        minReplicaCount: 0,
        maxReplicaCount: props.replicas,
        // Scale to zero a minute after a window closes, not KEDA's default five.
        cooldownPeriod: 60,
        triggers: props.windows.map((w) => ({
          type: 'cron',
          metadata: { timezone: props.timeZone, start: w.start, end: w.end, desiredReplicas: String(props.replicas) },
        })),
      },
    });
  }
}
