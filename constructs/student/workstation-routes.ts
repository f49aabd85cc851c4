import { Construct } from 'constructs';
import { HttpRoute, type HttpRouteSpecRules } from '../../imports/http-route-gateway.networking.k8s.io';
import { studentLabels } from '../../lib/plan/model/labels';
import { contentListenerName, gatewayParentRef, httpsListenerName } from '../../lib/plan/routing/hosts';
import type { LoginRouteRule, StudentHosts } from '../../lib/plan/model/routing';
import { loginHttpRouteRules } from '../login-route-rules';

/** How a student's workstation is reached: shared by its HTTPRoutes (gateway mode) and Ingresses (alb mode). */
export interface WorkstationRoutesProps {
  /** Course name. */
  readonly course: string;
  /** Namespace of the workstation and its routes. */
  readonly namespace: string;
  /** The student's id. */
  readonly studentId: string;
  /** The workstation's Service. */
  readonly service: string;
  /** Port of the IDE's login proxy on that Service. */
  readonly idePort: number;
  /** The student's host names. */
  readonly hosts: StudentHosts;
}

export interface WorkstationHttpRoutesProps extends WorkstationRoutesProps {
  /** The rules of the IDE's route to the login proxy (header filters, the sign-in limits), from the plan. */
  readonly ideRules: readonly LoginRouteRule[];
}

/**
 * A student's HTTPRoutes on the shared gateway. Gateway API picks a backend per route, so one
 * route serves one host -> port pair: the IDE on the course's IDE listener (with the plan's
 * login rules: HSTS, no `Authorization` header, the sign-in limits; and on no other listener:
 * its cookie never travels in clear) and each app port as `<port>-<student>` on the course's
 * content listener, another site.
 */
export class WorkstationRoutes extends Construct {
  constructor(scope: Construct, id: string, props: WorkstationHttpRoutesProps) {
    super(scope, id);
    if (props.ideRules.length === 0)
      throw new Error('WorkstationRoutes: ideRules is empty: the IDE route needs at least one rule');
    const labels = studentLabels(props.course, props.studentId, 'routing');
    const route = (name: string, listener: string, hostname: string, rules: HttpRouteSpecRules[]) =>
      new HttpRoute(this, name, {
        metadata: { name, namespace: props.namespace, labels },
        spec: { parentRefs: [gatewayParentRef(listener)], hostnames: [hostname], rules },
      });
    route(
      props.service,
      httpsListenerName(props.course),
      props.hosts.ide,
      loginHttpRouteRules(props.ideRules, { name: props.service, port: props.idePort }),
    );
    const content = contentListenerName(props.course);
    for (const app of props.hosts.apps) {
      route(`${props.service}-https-${app.port}`, content, app.host, [
        { backendRefs: [{ name: props.service, port: app.port }] },
      ]);
    }
  }
}
