import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { platformLabels } from '../../lib/plan/model/labels';
import { ALB_CONTROLLER } from '../../lib/plan/routing/hosts';

export interface AlbIngressClassProps {
  /** The class's name, as Ingresses name it in spec.ingressClassName. */
  readonly name: string;
}

/**
 * alb mode: an IngressClass served by aws-load-balancer-controller, without IngressClassParams:
 * an Ingress of the class joins only the group its own annotation names, if any.
 */
export class AlbIngressClass extends Construct {
  constructor(scope: Construct, id: string, props: AlbIngressClassProps) {
    super(scope, id);
    new k8s.KubeIngressClass(this, 'class', {
      metadata: { name: props.name, labels: platformLabels('routing') },
      spec: { controller: ALB_CONTROLLER },
    });
  }
}
