import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { studentLabels } from '../lib/plan/labels';
import { KATA_INGRESS_CLASS } from '../lib/plan/routing';
import type { WorkstationRoutesProps } from './workstation-routes';

export interface WorkstationIngressesProps extends WorkstationRoutesProps {
  /** The IngressGroup (and so the ALB) the planner gave this student. */
  readonly group: string;
  /** ACM certificate of the course domain. */
  readonly certificateArn: string;
}

/**
 * A student's Ingresses in alb mode, in the IngressGroup the planner chose. An ALB applies an
 * Ingress's rules to all its listeners, so HTTPS (IDE and `<port>-<student>` hosts) and each
 * plain-HTTP app port are separate Ingresses of the same group.
 */
export class WorkstationIngresses extends Construct {
  constructor(scope: Construct, id: string, props: WorkstationIngressesProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.group) || props.group.length > 63) {
      throw new Error(`WorkstationIngresses: group "${props.group}" is not a valid IngressGroup name`);
    }
    const labels = studentLabels(props.course, props.studentId, 'routing');
    const common = {
      'alb.ingress.kubernetes.io/group.name': props.group,
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path': '/healthz',
      // A student's own app may answer /healthz with 404; it is still up.
      'alb.ingress.kubernetes.io/success-codes': '200-499',
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
          ...common,
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
          'alb.ingress.kubernetes.io/certificate-arn': props.certificateArn,
        },
      },
      spec: {
        ingressClassName: KATA_INGRESS_CLASS,
        rules: [rule(props.hosts.ide, props.idePort), ...props.hosts.apps.map((app) => rule(app.host, app.port))],
      },
    });
    for (const app of props.hosts.apps) {
      new k8s.KubeIngress(this, `http-${app.port}`, {
        metadata: {
          name: `${props.service}-http-${app.port}`,
          namespace: props.namespace,
          labels,
          annotations: { ...common, 'alb.ingress.kubernetes.io/listen-ports': `[{"HTTP":${app.port}}]` },
        },
        spec: { ingressClassName: KATA_INGRESS_CLASS, rules: [rule(props.hosts.ide, app.port)] },
      });
    }
  }
}
