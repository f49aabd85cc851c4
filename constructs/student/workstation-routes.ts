import { Construct } from 'constructs';
import {
  HttpRoute,
  type HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersType,
} from '../../imports/http-route-gateway.networking.k8s.io';
import { studentLabels } from '../../lib/plan/model/labels';
import { contentListenerName, gatewayParentRef, HSTS, httpsListenerName } from '../../lib/plan/routing/hosts';
import type { StudentHosts } from '../../lib/plan/model/routing';

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

/**
 * A student's HTTPRoutes on the shared gateway. Gateway API picks a backend per route, so one
 * route serves one host -> port pair: the IDE on the course's IDE listener (with HSTS, and on
 * no other listener: its cookie never travels in clear) and each app port as `<port>-<student>`
 * on the course's content listener, another site.
 */
export class WorkstationRoutes extends Construct {
  constructor(scope: Construct, id: string, props: WorkstationRoutesProps) {
    super(scope, id);
    const labels = studentLabels(props.course, props.studentId, 'routing');
    const route = (name: string, listener: string, hostname: string, port: number, filters: HttpRouteSpecRulesFilters[] = []) =>
      new HttpRoute(this, name, {
        metadata: { name, namespace: props.namespace, labels },
        spec: {
          parentRefs: [gatewayParentRef(listener)],
          hostnames: [hostname],
          rules: [{ ...(filters.length > 0 ? { filters } : {}), backendRefs: [{ name: props.service, port }] }],
        },
      });
    route(props.service, httpsListenerName(props.course), props.hosts.ide, props.idePort, [
      {
        type: HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER,
        responseHeaderModifier: { set: [{ name: HSTS.header, value: HSTS.value }] },
      },
    ]);
    const content = contentListenerName(props.course);
    for (const app of props.hosts.apps) route(`${props.service}-https-${app.port}`, content, app.host, app.port);
  }
}
