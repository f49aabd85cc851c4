import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { egressRules } from '../egress-rules';
import { studentLabels, studentSelector } from '../../lib/plan/model/labels';
import type { EgressRule } from '../../lib/plan/model/network';

export interface WorkstationEgressProps {
  /** Course name. */
  readonly course: string;
  /** The student's id. */
  readonly studentId: string;
  /** Namespace of the course's workstations. */
  readonly namespace: string;
  /** Where the workstation may connect, from the plan. */
  readonly egress: readonly EgressRule[];
}

/**
 * Where one student's workstation may connect. The course namespace denies all egress: the IDE
 * runs the student's code as root, with docker and raw sockets, and reaches only what this names.
 */
export class WorkstationEgress extends Construct {
  constructor(scope: Construct, id: string, props: WorkstationEgressProps) {
    super(scope, id);
    if (props.egress.length === 0) throw new Error(`WorkstationEgress ${props.studentId}: plan at least DNS for the workstation`);
    new k8s.KubeNetworkPolicy(this, 'policy', {
      metadata: {
        name: `egress-${props.studentId}`,
        namespace: props.namespace,
        labels: studentLabels(props.course, props.studentId, 'workstation-egress'),
      },
      spec: {
        podSelector: { matchLabels: studentSelector(props.course, props.studentId) },
        policyTypes: ['Egress'],
        egress: egressRules(props.egress),
      },
    });
  }
}
