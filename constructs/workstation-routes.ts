import { Construct } from 'constructs';
import { HttpRoute } from '../imports/http-route-gateway.networking.k8s.io';
import { studentLabels } from '../lib/plan/labels';
import { appListenerName, GATEWAY, httpsListenerName, type StudentHosts } from '../lib/plan/routing';

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
  /** Port of the IDE on that Service. */
  readonly idePort: number;
  /** The student's host names. */
  readonly hosts: StudentHosts;
}

/**
 * A student's HTTPRoutes on the shared gateway. Gateway API picks a backend per route, not
 * per host or listener, so one route serves one (host, listener) -> port pair: the IDE, each
 * app port over HTTPS as `<port>-<student>`, and each app port over plain HTTP on that port.
 */
export class WorkstationRoutes extends Construct {
  constructor(scope: Construct, id: string, props: WorkstationRoutesProps) {
    super(scope, id);
    const labels = studentLabels(props.course, props.studentId, 'routing');
    const route = (name: string, listener: string, hostname: string, port: number) =>
      new HttpRoute(this, name, {
        metadata: { name, namespace: props.namespace, labels },
        spec: {
          parentRefs: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'Gateway',
              name: GATEWAY.name,
              namespace: GATEWAY.namespace,
              sectionName: listener,
            },
          ],
          hostnames: [hostname],
          rules: [{ backendRefs: [{ name: props.service, port }] }],
        },
      });
    route(props.service, httpsListenerName(props.course), props.hosts.ide, props.idePort);
    for (const app of props.hosts.apps) {
      route(`${props.service}-https-${app.port}`, httpsListenerName(props.course), app.host, app.port);
      route(`${props.service}-http-${app.port}`, appListenerName(app.port), props.hosts.ide, app.port);
    }
  }
}
