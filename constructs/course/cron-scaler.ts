import { Construct } from 'constructs';
import { ScaledObject } from '../../imports/keda-keda.sh';
import type { CronRange } from '../../lib/plan/model/schedule';
import { PLATFORM_LABEL_PREFIX } from '../../lib/plan/admission/admission';

/** KEDA's annotation of labels it does not copy to the HPA (apis/keda/v1alpha1, v2.18.0). */
const HPA_EXCLUDED_LABELS = 'scaledobject.keda.sh/hpa-excluded-labels';

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
  /**
   * Keep dojo's labels off the HPA that KEDA makes: KEDA 2.18 copies the ScaledObject's labels
   * to it (controllers/keda/hpa.go) unless excluded, and in a student namespace the admission
   * policy refuses `dojo.training/` labels from anyone but ArgoCD.
   * @default false
   */
  readonly inStudentNamespace?: boolean;
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
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        ...(props.inStudentNamespace
          ? {
              annotations: {
                [HPA_EXCLUDED_LABELS]: Object.keys(props.labels)
                  .filter((key) => key.startsWith(PLATFORM_LABEL_PREFIX))
                  .join(','),
              },
            }
          : {}),
      },
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
