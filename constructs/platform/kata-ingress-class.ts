import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { platformLabels } from '../../lib/plan/model/labels';
import { ALB_CONTROLLER, KATA_INGRESS_CLASS } from '../../lib/plan/routing/hosts';

/**
 * alb mode: the IngressClass the katas name, served by aws-load-balancer-controller. It is not
 * the class of the platform's Ingresses, and it has no IngressClassParams group, so a student's
 * Ingress (which may name no group: admission policy) never joins a workstation ALB.
 */
export class KataIngressClass extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubeIngressClass(this, 'class', {
      metadata: { name: KATA_INGRESS_CLASS, labels: platformLabels('routing') },
      spec: { controller: ALB_CONTROLLER },
    });
  }
}
