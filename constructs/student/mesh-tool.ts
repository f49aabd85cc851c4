import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { quantities } from '../quantities';
import type { MeshToolPlan } from '../../lib/plan/model/mesh';
import { ISTIO } from '../../lib/plan/mesh/mesh';
import { withoutPlatformLabels } from './platform-labels';

export interface MeshToolProps {
  /** The student's namespace, where the tool runs. */
  readonly namespace: string;
  /** Labels of the tool's objects (the pods get only the tool's own). */
  readonly labels: Record<string, string>;
  /** The tool, from the plan. */
  readonly tool: MeshToolPlan;
}

/**
 * One of a mesh student's observability tools: its ServiceAccount (bound to the tool's role in
 * the namespace, or with no token at all), its configuration, a Deployment of one pod outside
 * the mesh and a ClusterIP Service the student port-forwards to.
 *
 * The pods are left out of the mesh (`sidecar.istio.io/inject: "false"`, as Istio's samples run
 * these tools): Prometheus scrapes the sidecars' plain metrics port, and a sidecar in front of
 * Jaeger would trace its own span reports. `replicas` is left out: the course's schedule scales
 * the tools (KEDA), and ArgoCD must not put them back.
 */
export class MeshTool extends Construct {
  constructor(scope: Construct, id: string, props: MeshToolProps) {
    super(scope, id);
    const { tool, namespace } = props;
    const ports = new Set(tool.ports.map((p) => p.port));
    if (ports.size !== tool.ports.length) throw new Error(`MeshTool ${tool.name}: a port is listed twice; give each once`);
    const podLabels = { app: tool.name };
    const metadata = { name: tool.name, namespace, labels: { ...props.labels, ...podLabels } };

    new k8s.KubeServiceAccount(this, 'account', {
      metadata,
      // A tool without a role reads nothing of the API: it gets no token.
      automountServiceAccountToken: tool.role !== undefined,
    });
    if (tool.role)
      new k8s.KubeRoleBinding(this, 'binding', {
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: tool.role },
        subjects: [{ kind: 'ServiceAccount', name: tool.name, namespace }],
      });
    new k8s.KubeConfigMap(this, 'config', { metadata, data: { ...tool.config.files } });

    const probe = (path: string) => ({
      httpGet: { path, port: k8s.IntOrString.fromNumber(tool.health.port) },
      periodSeconds: 10,
    });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata,
      spec: {
        selector: { matchLabels: podLabels },
        // The quota holds the tool's one pod: a surge pod beside it would be refused.
        strategy: { type: 'Recreate' },
        // ArgoCD keeps the history; an old ReplicaSet would count against the student's quota.
        revisionHistoryLimit: 0,
        template: {
          metadata: {
            labels: { ...podLabels, [ISTIO.injectLabel.key]: 'false' },
            // A new configuration is a new pod: none of the three reloads its file by itself.
            annotations: { 'checksum/config': configChecksum(tool.config.files) },
          },
          spec: {
            serviceAccountName: tool.name,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            ...(tool.waitsFor
              ? {
                  initContainers: [
                    {
                      name: 'wait',
                      image: tool.waitsFor.image,
                      command: ['/bin/sh', '-c', `until wget -q -O /dev/null ${tool.waitsFor.url}; do sleep 2; done`],
                      resources: {
                        requests: quantities(tool.waitsFor.resources.requests),
                        limits: quantities(tool.waitsFor.resources.limits),
                      },
                      securityContext: {
                        ...containerSecurity,
                        runAsUser: tool.waitsFor.runAsUser,
                        runAsGroup: tool.waitsFor.runAsUser,
                      },
                    },
                  ],
                }
              : {}),
            containers: [
              {
                name: tool.name,
                image: tool.image,
                ...(tool.command ? { command: [...tool.command] } : {}),
                ...(tool.args ? { args: [...tool.args] } : {}),
                ports: [...new Set([...ports, tool.health.port])].map((port) => ({ containerPort: port, protocol: 'TCP' })),
                readinessProbe: probe(tool.health.ready),
                livenessProbe: { ...probe(tool.health.live), initialDelaySeconds: 30 },
                resources: { requests: quantities(tool.resources.requests), limits: quantities(tool.resources.limits) },
                securityContext: {
                  ...(tool.runAsUser !== undefined ? { runAsUser: tool.runAsUser, runAsGroup: tool.runAsUser } : {}),
                  ...containerSecurity,
                },
                volumeMounts: [
                  { name: 'config', mountPath: tool.config.mountPath, readOnly: true },
                  ...(tool.data ? [{ name: 'data', mountPath: tool.data.mountPath }] : []),
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: tool.name } },
              ...(tool.data
                ? [
                    {
                      name: 'data',
                      emptyDir: tool.resources.limits['ephemeral-storage']
                        ? { sizeLimit: k8s.Quantity.fromString(tool.resources.limits['ephemeral-storage']) }
                        : {},
                    },
                  ]
                : []),
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'service', {
      // The EndpointSlice controller copies a Service's labels to its slices (see StudentMesh).
      metadata: { ...metadata, labels: withoutPlatformLabels(metadata.labels) },
      spec: {
        type: 'ClusterIP',
        selector: podLabels,
        ports: tool.ports.map((p) => ({
          name: p.name,
          port: p.port,
          protocol: 'TCP',
          targetPort: k8s.IntOrString.fromNumber(p.port),
        })),
      },
    });
  }
}

const containerSecurity = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
};

function configChecksum(files: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) hash.update(`${name}\0${files[name]}\0`);
  return hash.digest('hex');
}
