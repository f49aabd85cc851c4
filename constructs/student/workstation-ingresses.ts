import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { studentLabels } from '../../lib/plan/model/labels';
import { albHttpsAnnotations, PLATFORM_DNS_LABEL, PLATFORM_INGRESS_CLASS } from '../../lib/plan/routing/hosts';
import type { WorkstationRoutesProps } from './workstation-routes';

export interface WorkstationIngressesProps extends WorkstationRoutesProps {
  /** The IngressGroup (and so the ALB) the planner gave this student. */
  readonly group: string;
  /** ACM certificates of the course's IDE and content domains, the IDE's first. */
  readonly certificateArns: readonly string[];
  /**
   * The AWS WAF web ACL of the group's ALB, which limits sign-ins.
   * @default - none: the ALB keeps whatever web ACL it has (aws-load-balancer-controller v2.14)
   */
  readonly webAclArn?: string;
}

/**
 * A student's Ingress in alb mode, in the IngressGroup the planner chose, of the platform's
 * own class: the IDE and the `<port>-<student>` hosts (under the content domain), on HTTPS
 * only (no plain-HTTP listener ever carries the IDE's cookie).
 */
export class WorkstationIngresses extends Construct {
  constructor(scope: Construct, id: string, props: WorkstationIngressesProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.group) || props.group.length > 63) {
      throw new Error(`WorkstationIngresses: group "${props.group}" is not a valid IngressGroup name`);
    }
    const labels = {
      ...studentLabels(props.course, props.studentId, 'routing'),
      [PLATFORM_DNS_LABEL.key]: PLATFORM_DNS_LABEL.value,
    };
    const rule = (host: string, port: number): k8s.IngressRule => ({
      host,
      http: {
        paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.service, port: { number: port } } } }],
      },
    });
    new k8s.KubeIngress(this, 'https', {
      metadata: {
        name: props.service,
        namespace: props.namespace,
        labels,
        annotations: {
          ...albHttpsAnnotations(props.group, props.certificateArns, props.webAclArn),
          'alb.ingress.kubernetes.io/healthcheck-path': '/healthz',
          // A student's own app may answer /healthz with 404; it is still up.
          'alb.ingress.kubernetes.io/success-codes': '200-499',
        },
      },
      spec: {
        ingressClassName: PLATFORM_INGRESS_CLASS,
        rules: [rule(props.hosts.ide, props.idePort), ...props.hosts.apps.map((app) => rule(app.host, app.port))],
      },
    });
  }
}
