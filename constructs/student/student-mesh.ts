import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute, HttpRouteSpecRulesFiltersType } from '../../imports/http-route-gateway.networking.k8s.io';
import { ReferenceGrant } from '../../imports/reference-grant-gateway.networking.k8s.io';
import { k8s } from '../k8s';
import { quantities } from '../quantities';
import { studentLabels, SYNC_WAVE_ANNOTATION } from '../../lib/plan/model/labels';
import type { MeshGatewayPlan, StudentMeshPlan } from '../../lib/plan/model/mesh';
import { ISTIO } from '../../lib/plan/mesh/mesh';
import { MeshTool } from './mesh-tool';
import { withoutPlatformLabels } from './platform-labels';
import { contentListenerName, gatewayParentRef } from '../../lib/plan/routing/hosts';

export interface StudentMeshProps {
  /** Course name. */
  readonly course: string;
  /** Namespace of the course's workstations and routes. */
  readonly courseNamespace: string;
  /** The student's id. */
  readonly studentId: string;
  /** The student's own namespace, in the mesh. */
  readonly namespace: string;
  /** The workstation's ServiceAccount, whose token the student's kubectl uses. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  /** The student's part of the mesh, from the plan. */
  readonly mesh: StudentMeshPlan;
}

/**
 * A student's part of the course's mesh: the role for the Istio kinds, an ingress and an egress
 * gateway in their namespace, the route from their mesh address on the shared proxy to the
 * ingress gateway, and their Kiali, Prometheus and Jaeger with the Telemetry that traces to it.
 *
 * Each gateway is what Istio's `gateway` chart makes (istio/istio 1.30.3
 * manifests/charts/gateway/templates/deployment.yaml, service.yaml, role.yaml): a Deployment
 * whose one container, `istio-proxy` with image `auto`, the injector fills in from its `gateway`
 * template, a ServiceAccount bound to the chart's Role (here the platform's ClusterRole, so
 * that a course makes no Role), and a ClusterIP Service. Its pods carry no `dojo.training/` label:
 * the ReplicaSet controller makes them, and admission refuses those labels from anyone but
 * ArgoCD. `replicas` is left out: the course's schedule scales the gateways (KEDA, as the
 * workstations), and ArgoCD must not put them back.
 */
export class StudentMesh extends Construct {
  constructor(scope: Construct, id: string, props: StudentMeshProps) {
    super(scope, id);
    const labels = studentLabels(props.course, props.studentId, 'mesh');
    const { mesh } = props;
    const ingress = mesh.gateways.find((g) => g.name === mesh.ingress.service);
    if (!ingress?.ports.some((p) => p.port === mesh.ingress.port))
      throw new Error(
        `StudentMesh ${props.namespace}: the route's backend ${mesh.ingress.service}:${mesh.ingress.port} is no port of a gateway; plan it among mesh.gateways`,
      );

    new k8s.KubeRoleBinding(this, 'role', {
      metadata: { name: 'student-mesh', namespace: props.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: mesh.role },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccount.name, namespace: props.serviceAccount.namespace }],
    });
    for (const gateway of mesh.gateways) this.gateway(gateway, props.namespace, labels, mesh.gatewayRole);
    if (mesh.observability) {
      for (const tool of mesh.observability.tools) new MeshTool(this, tool.name, { namespace: props.namespace, labels, tool });
      // Every request of the namespace traced, to the student's own Jaeger (istio/istio 1.30.3
      // pilot/pkg/networking/core/tracing.go: a Telemetry's provider and sampling take the place
      // of the mesh-wide defaults). The student cannot change it: it carries dojo's labels.
      const { tracing } = mesh.observability;
      new ApiObject(this, 'tracing', {
        apiVersion: 'telemetry.istio.io/v1',
        kind: 'Telemetry',
        metadata: {
          name: tracing.telemetry,
          namespace: props.namespace,
          labels,
          annotations: { [SYNC_WAVE_ANNOTATION]: tracing.syncWave },
        },
        spec: { tracing: [{ providers: [{ name: tracing.provider }], randomSamplingPercentage: tracing.samplingPercentage }] },
      });
    }

    // Gateway API: a route may name a Service of another namespace only where a ReferenceGrant
    // there allows it. The student cannot change it (no rights on gateway.networking.k8s.io).
    new ReferenceGrant(this, 'reference-grant', {
      metadata: { name: 'mesh-address', namespace: props.namespace, labels },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: props.courseNamespace }],
        to: [{ group: '', kind: 'Service', name: mesh.ingress.service }],
      },
    });
    // Plain HTTP to the gateway's port 80: Traefik v3.6.6 speaks HTTPS to a backend only for
    // port 443, a port name starting with "https" or an appProtocol saying so
    // (pkg/provider/kubernetes/gateway/httproute.go, getHTTPServiceProtocol).
    new HttpRoute(this, 'route', {
      metadata: { name: `mesh-${props.studentId}`, namespace: props.courseNamespace, labels },
      spec: {
        parentRefs: [gatewayParentRef(contentListenerName(props.course))],
        hostnames: [mesh.address],
        rules: [
          {
            ...(mesh.ingress.rewriteHost
              ? {
                  filters: [
                    { type: HttpRouteSpecRulesFiltersType.URL_REWRITE, urlRewrite: { hostname: mesh.ingress.rewriteHost } },
                  ],
                }
              : {}),
            backendRefs: [{ name: mesh.ingress.service, namespace: props.namespace, port: mesh.ingress.port }],
          },
        ],
      },
    });
  }

  private gateway(gateway: MeshGatewayPlan, namespace: string, labels: Record<string, string>, gatewayRole: string): void {
    const metadata = { name: gateway.name, namespace, labels: { ...labels, ...gateway.labels } };
    new k8s.KubeServiceAccount(this, `${gateway.name}-account`, { metadata });
    new k8s.KubeDeployment(this, `${gateway.name}-deployment`, {
      metadata,
      spec: {
        selector: { matchLabels: { ...gateway.labels } },
        // ArgoCD keeps the history; an old ReplicaSet would count against the student's quota.
        revisionHistoryLimit: 0,
        template: {
          metadata: {
            annotations: { [ISTIO.gatewayTemplateAnnotation.key]: ISTIO.gatewayTemplateAnnotation.value },
            labels: {
              ...gateway.labels,
              [ISTIO.injectLabel.key]: ISTIO.injectLabel.value,
              // The chart's: a gateway is never enrolled in the ambient data plane.
              'istio.io/dataplane-mode': 'none',
            },
          },
          spec: {
            serviceAccountName: gateway.name,
            securityContext: {
              // The chart's: Envoy binds the Gateway's ports 80 and 443 without a capability
              // (a safe sysctl since Kubernetes 1.22, which Pod Security baseline admits).
              sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'istio-proxy',
                // The injector's webhook replaces it with the proxy image of istiod's version.
                image: 'auto',
                securityContext: {
                  capabilities: { drop: ['ALL'] },
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                },
                ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
                resources: {
                  requests: quantities(gateway.resources.requests),
                  limits: quantities(gateway.resources.limits),
                },
              },
            ],
          },
        },
      },
    });
    // istiod serves a Gateway's `credentialName` Secret only to a gateway whose account may list
    // the namespace's Secrets (istio/istio 1.30.3 pilot/pkg/xds/sds.go; the gateway chart's
    // templates/role.yaml): the kata's TLS Gateway names one. The pod never reads them itself.
    new k8s.KubeRoleBinding(this, `${gateway.name}-secrets`, {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: gatewayRole },
      subjects: [{ kind: 'ServiceAccount', name: gateway.name, namespace }],
    });
    new k8s.KubeService(this, `${gateway.name}-service`, {
      metadata: { ...metadata, labels: withoutPlatformLabels(metadata.labels) },
      spec: {
        type: 'ClusterIP',
        selector: { ...gateway.labels },
        ports: gateway.ports.map((p) => ({
          name: p.name,
          port: p.port,
          protocol: 'TCP',
          targetPort: k8s.IntOrString.fromNumber(p.port),
        })),
      },
    });
  }
}
