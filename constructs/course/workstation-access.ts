import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { courseLabels } from '../../lib/plan/model/labels';
import { LABELS } from '../../lib/plan/model/object-names';
import { GATEWAY } from '../../lib/plan/routing/hosts';
import { CLASS_BOARD } from '../../lib/plan/class-board/class-board';

export interface WorkstationAccessProps {
  /** Course name. */
  readonly course: string;
  /** Namespace of the workstations. */
  readonly namespace: string;
  /** The IDE's login port first, then the app ports: exactly what routing sends traffic to. */
  readonly ports: readonly number[];
  /** gateway mode: traffic comes from the shared proxy's pods. */
  readonly fromProxy: boolean;
  /** alb mode: traffic comes from ALB addresses in these ranges. */
  readonly fromRanges: readonly string[];
  /**
   * The class board reads each IDE's last activity from the login port's `/healthz`, the one
   * path the proxy serves without a login.
   * @default false
   */
  readonly fromBoard?: boolean;
}

/** Lets the load balancer reach the workstations on the ports routing uses, and nothing else in. */
export class WorkstationAccess extends Construct {
  constructor(scope: Construct, id: string, props: WorkstationAccessProps) {
    super(scope, id);
    const from: k8s.NetworkPolicyPeer[] = props.fromProxy
      ? [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': GATEWAY.namespace } },
            podSelector: { matchLabels: { ...GATEWAY.proxyLabels } },
          },
        ]
      : props.fromRanges.map((cidr) => ({ ipBlock: { cidr } }));
    new k8s.KubeNetworkPolicy(this, 'policy', {
      metadata: { name: 'allow-load-balancer', namespace: props.namespace, labels: courseLabels(props.course, 'routing') },
      spec: {
        podSelector: { matchLabels: { [LABELS.component]: 'workstation' } },
        policyTypes: ['Ingress'],
        ingress: [
          { from, ports: props.ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })) },
          ...(props.fromBoard
            ? [
                {
                  from: [
                    {
                      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': CLASS_BOARD.namespace } },
                      podSelector: { matchLabels: { ...CLASS_BOARD.podLabels } },
                    },
                  ],
                  ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(props.ports[0]) }],
                },
              ]
            : []),
        ],
      },
    });
  }
}
