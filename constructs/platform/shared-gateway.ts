import { Construct } from 'constructs';
import { GatewayClass } from '../../imports/gateway-class-gateway.networking.k8s.io';
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
} from '../../imports/gateway-gateway.networking.k8s.io';
import { platformLabels } from '../../lib/plan/model/labels';
import { LABELS } from '../../lib/plan/model/object-names';
import { GATEWAY } from '../../lib/plan/routing/hosts';
import type { GatewayPlan } from '../../lib/plan/model/routing';

export interface SharedGatewayProps {
  /** The gateway, from the plan. */
  readonly gateway: GatewayPlan;
}

/**
 * The one Gateway of a cluster. A course's HTTPS listener serves the course's certificate and
 * takes routes only from that course's namespace, so no course can serve another course's
 * host names.
 */
export class SharedGateway extends Construct {
  constructor(scope: Construct, id: string, props: SharedGatewayProps) {
    super(scope, id);
    const labels = platformLabels('gateway');
    new GatewayClass(this, 'class', {
      metadata: { name: GATEWAY.className, labels },
      spec: { controllerName: GATEWAY.controllerName, description: 'dojo: workstations and kata Ingresses behind one NLB' },
    });
    new Gateway(this, 'gateway', {
      metadata: { name: GATEWAY.name, namespace: GATEWAY.namespace, labels },
      spec: {
        gatewayClassName: GATEWAY.className,
        listeners: props.gateway.listeners.map((listener) => ({
          name: listener.name,
          port: listener.port,
          protocol: 'HTTPS',
          hostname: listener.hostname,
          // Traefik v3.6.6 takes the first reference, a core Secret in the Gateway's namespace.
          tls: {
            mode: GatewaySpecListenersTlsMode.TERMINATE,
            certificateRefs: [{ group: '', kind: 'Secret', name: listener.tlsSecret }],
          },
          allowedRoutes: {
            kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
            namespaces: {
              from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
              selector: { matchLabels: routeNamespaces(listener.namespace) },
            },
          },
        })),
      },
    });
  }
}

/** The namespaces whose routes a listener takes: one course's, or every course's. */
function routeNamespaces(courseNamespace: string | undefined): Record<string, string> {
  return courseNamespace ? { 'kubernetes.io/metadata.name': courseNamespace } : { [LABELS.component]: 'workstations' };
}
