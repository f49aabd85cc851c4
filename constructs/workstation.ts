import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { studentLabels, studentSelector } from '../lib/plan/labels';
import type { WorkstationPlan } from '../lib/plan/types';
import { HOME_STORAGE_CLASS } from '../lib/plan/platform';
import { WORKSTATION_HOME, WORKSTATION_UID } from '../lib/plan/workstation-setup';

export interface WorkstationProps {
  /** Course name. */
  readonly course: string;
  /** Namespace of the course's workstations. */
  readonly namespace: string;
  /** The student's id. */
  readonly studentId: string;
  /** Name of the StatefulSet, its Service and its ServiceAccount. */
  readonly name: string;
  /** The student's own namespace; undefined when the course gives no Kubernetes access. */
  readonly studentNamespace: string | undefined;
  /** Image, resources, ports and repos, from the plan. */
  readonly workstation: WorkstationPlan;
  /** The course's ConfigMap with the setup script. */
  readonly setupConfigMap: string;
  /** argon2id hash of the student's password; code-server checks logins against it. */
  readonly passwordHash: string;
}

/**
 * A student's browser IDE: a one-pod StatefulSet with a persistent home, its Service
 * and its ServiceAccount. `replicas` is left out on purpose: the class schedule scales
 * it, and ArgoCD must not put it back.
 *
 * The pod runs under sysbox: its root is an unprivileged user on the node (its own user
 * namespace), which lets the image's entrypoint start dockerd and then run the IDE as the
 * `coder` user. Nothing in it is privileged.
 */
export class Workstation extends Construct {
  constructor(scope: Construct, id: string, props: WorkstationProps) {
    super(scope, id);
    if (!props.passwordHash.startsWith('$argon2id$')) {
      throw new Error(`Workstation ${props.name}: passwordHash must be an argon2id hash (run npm run passwords)`);
    }
    const { workstation: ws, name, namespace } = props;
    const labels = studentLabels(props.course, props.studentId, 'workstation');
    const selector = studentSelector(props.course, props.studentId);
    const kubernetesAccess = props.studentNamespace !== undefined;
    const ports = [
      { name: 'ide', containerPort: ws.idePort },
      ...ws.appPorts.map((port) => ({ name: `app-${port}`, containerPort: port })),
    ];
    const health = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('ide') },
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 5,
    });
    const setupSecurity: k8s.SecurityContext = {
      runAsUser: WORKSTATION_UID,
      runAsGroup: WORKSTATION_UID,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    };
    const scheduling = ws.scheduling;
    const homeMount = { name: 'home', mountPath: WORKSTATION_HOME };

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name, namespace, labels },
      automountServiceAccountToken: kubernetesAccess,
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name, namespace, labels },
      spec: {
        selector,
        ports: ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: k8s.IntOrString.fromString(p.name) })),
      },
    });
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name, namespace, labels },
      spec: {
        serviceName: name,
        selector: { matchLabels: selector },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels, annotations: { ...scheduling.annotations } },
          spec: {
            runtimeClassName: scheduling.runtimeClass,
            nodeSelector: { ...scheduling.nodeSelector },
            tolerations: scheduling.tolerations.map((t) => ({ ...t })),
            serviceAccountName: name,
            automountServiceAccountToken: kubernetesAccess,
            // A course namespace holds hundreds of Services; their env vars would flood every shell.
            enableServiceLinks: false,
            securityContext: { fsGroup: WORKSTATION_UID },
            initContainers: [
              {
                name: 'setup',
                image: ws.image,
                command: ['sh', '/opt/dojo/setup.sh'],
                env: kubernetesAccess ? [{ name: 'STUDENT_NAMESPACE', value: props.studentNamespace }] : [],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                  limits: { memory: k8s.Quantity.fromString('512Mi') },
                },
                securityContext: setupSecurity,
                volumeMounts: [homeMount, { name: 'setup', mountPath: '/opt/dojo', readOnly: true }],
              },
            ],
            containers: [
              {
                name: 'ide',
                image: ws.image,
                args: [`--bind-addr=0.0.0.0:${ws.idePort}`, '--auth=password', '--disable-telemetry', WORKSTATION_HOME],
                // A hash, never the password: code-server prefers it to PASSWORD.
                env: [{ name: 'HASHED_PASSWORD', value: props.passwordHash }],
                ports,
                resources: {
                  requests: { cpu: k8s.Quantity.fromString(ws.cpu), memory: k8s.Quantity.fromString(ws.memory) },
                  limits: { memory: k8s.Quantity.fromString(ws.memory) },
                },
                startupProbe: health(5, 60),
                readinessProbe: health(10, 3),
                livenessProbe: health(20, 6),
                volumeMounts: [homeMount],
              },
            ],
            volumes: [{ name: 'setup', configMap: { name: props.setupConfigMap } }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'home', labels },
            spec: {
              storageClassName: HOME_STORAGE_CLASS,
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: k8s.Quantity.fromString(ws.homeSize) } },
            },
          },
        ],
      },
    });
  }
}
