import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { HOME_CLAIM_TEMPLATE_ANNOTATION, HOME_SIZE_ANNOTATION } from '../../lib/contracts/dist-record';
import { courseLabels, SYNC_WAVE, SYNC_WAVE_ANNOTATION, PLATFORM_MADE_POD_SECURITY_LABELS } from '../../lib/plan/model/labels';

export interface CourseNamespaceProps {
  /** Course name. */
  readonly course: string;
  /** The namespace that holds the course's workstations. */
  readonly namespace: string;
  /** The size the StatefulSets' home claims were made with, recorded for the next synth. */
  readonly homeClaimTemplate: string;
  /** The size the home volumes have after this synth, recorded so that the next one refuses a smaller size. */
  readonly homeSize: string;
}

/**
 * The namespace of a course's workstations. No student has rights in it, and no traffic goes
 * in or out unless a policy names it, so one student's workstation cannot reach another's, nor
 * anything of the platform's.
 */
export class CourseNamespace extends Construct {
  constructor(scope: Construct, id: string, props: CourseNamespaceProps) {
    super(scope, id);
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: props.namespace,
        labels: { ...courseLabels(props.course, 'workstations'), ...PLATFORM_MADE_POD_SECURITY_LABELS },
        annotations: {
          [SYNC_WAVE_ANNOTATION]: SYNC_WAVE.namespaces,
          [HOME_CLAIM_TEMPLATE_ANNOTATION]: props.homeClaimTemplate,
          [HOME_SIZE_ANNOTATION]: props.homeSize,
        },
      },
    });
    // Nothing in or out unless a policy names it: routing lets the proxy in, each student's
    // WorkstationEgress lets their workstation out.
    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny', namespace: props.namespace, labels: courseLabels(props.course, 'workstations') },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
  }
}
