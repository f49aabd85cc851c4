import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { quantities } from '../quantities';
import { courseLabels } from '../../lib/plan/model/labels';
import { LABELS } from '../../lib/plan/model/object-names';
import type { WorkstationPlan } from '../../lib/plan/model/types';
import type { PrewarmPlan } from '../../lib/plan/model/nodes';

export interface PrewarmPlaceholdersProps {
  /** Course name. */
  readonly course: string;
  /** Namespace of the workstations. */
  readonly namespace: string;
  /** Name, size and priority class, from the plan. */
  readonly prewarm: PrewarmPlan;
  /** The workstation they stand in for: image, requests and scheduling. */
  readonly workstation: WorkstationPlan;
}

/**
 * Placeholders that run the workstation image with the workstation's requests on the
 * course's nodes, so that Karpenter brings the nodes up and CRI-O pulls the image before
 * class. Their priority is below everything: a real workstation preempts one at once.
 * `replicas` is left out: the class schedule scales them.
 */
export class PrewarmPlaceholders extends Construct {
  constructor(scope: Construct, id: string, props: PrewarmPlaceholdersProps) {
    super(scope, id);
    const { workstation: ws } = props;
    const labels = courseLabels(props.course, 'prewarm');
    const selector = { [LABELS.course]: props.course, [LABELS.component]: 'prewarm' };
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: props.prewarm.name, namespace: props.namespace, labels },
      spec: {
        selector: { matchLabels: selector },
        template: {
          // The user-namespace annotation, but not do-not-disrupt: placeholders may always go.
          metadata: {
            labels,
            annotations: Object.fromEntries(
              Object.entries(ws.scheduling.annotations).filter(([key]) => key !== 'karpenter.sh/do-not-disrupt'),
            ),
          },
          spec: {
            runtimeClassName: ws.scheduling.runtimeClass,
            nodeSelector: { ...ws.scheduling.nodeSelector },
            tolerations: ws.scheduling.tolerations.map((t) => ({ ...t })),
            priorityClassName: props.prewarm.priorityClass,
            terminationGracePeriodSeconds: 0,
            automountServiceAccountToken: false,
            ...(ws.imagePullSecret ? { imagePullSecrets: [{ name: ws.imagePullSecret }] } : {}),
            enableServiceLinks: false,
            containers: [
              {
                name: 'placeholder',
                image: ws.image,
                command: ['sleep', 'infinity'],
                // The workstation's resources, so that a placeholder holds exactly one seat.
                resources: { requests: quantities(ws.resources.requests), limits: quantities(ws.resources.limits) },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    });
  }
}
