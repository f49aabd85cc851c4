import { Construct } from 'constructs';
import { loginKeyContainer, loginKeyVolume, loginProxyContainer } from '../login-proxy';
import { k8s } from '../k8s';
import { quantities } from '../quantities';
import { studentLabels, studentSelector, SYNC_OPTIONS_ANNOTATION } from '../../lib/plan/model/labels';
import type { WorkstationPlan } from '../../lib/plan/model/types';
import { HOME_STORAGE_CLASS } from '../../lib/plan/model/platform-classes';
import { WORKSTATION_HOME, WORKSTATION_UID } from '../../lib/plan/workstation/workstation-setup';
import { SCRIPTS_DIR, SLEEP_SCRIPT, STOP_GRACE_SECONDS } from '../../lib/plan/schedule/kata-sleep';
import type { LoginPlan, StudentLogin } from '../../lib/plan/model/login';
import { WORKSTATION_PRIORITY } from '../../lib/plan/model/platform-classes';
import { VIRTUAL_CLUSTER_DIR } from '../../lib/plan/virtual-clusters/virtual-cluster';

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
  /**
   * vcluster mode: the address of the student's virtual cluster, whose kubeconfig the setup
   * reads from the student's namespace and waits for.
   * @default - namespace mode: the kubeconfig is the workstation's ServiceAccount
   */
  readonly virtualClusterServer?: string;
  /** Image, resources, ports and repos, from the plan. */
  readonly workstation: WorkstationPlan;
  /** The course's ConfigMap with the setup script. */
  readonly setupConfigMap: string;
  /** How students sign in: the login proxy in front of the IDE. */
  readonly login: LoginPlan;
  /** What this student's login proxy checks. */
  readonly studentLogin: StudentLogin;
  /** The course's ConfigMap with the sign-in page. */
  readonly loginConfigMap: string;
}

/** A home claim's spec; only its size may ever change (EBS volumes grow in place, never shrink). */
function homeClaim(size: string): k8s.PersistentVolumeClaimSpec {
  return {
    storageClassName: HOME_STORAGE_CLASS,
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: k8s.Quantity.fromString(size) } },
  };
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
    const { workstation: ws, name, namespace, login } = props;
    if (login.method.kind === 'password' && !props.studentLogin.htpasswd) {
      throw new Error(`Workstation ${name}: a password login needs the student's htpasswd line (run npm run passwords)`);
    }
    if (login.method.kind === 'oidc' && !props.studentLogin.email) {
      throw new Error(`Workstation ${name}: an OIDC login needs the student's email (list it in the course file)`);
    }
    const labels = studentLabels(props.course, props.studentId, 'workstation');
    const selector = studentSelector(props.course, props.studentId);
    const kubernetesAccess = props.studentNamespace !== undefined;
    const appPorts = ws.appPorts.map((port) => ({ name: `app-${port}`, containerPort: port }));
    const loginPort = { name: 'ide', containerPort: login.port };
    // Through the login proxy, which lets /healthz alone through: up means both are up. By number:
    // the kubelet looks a probe's named port up in the probe's own container only (Kubernetes
    // 1.34, pkg/probe/util.go ResolveContainerPort), and `ide` is the proxy container's port.
    const health = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: '/healthz', port: k8s.IntOrString.fromNumber(login.port) },
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
    // What the katas expect in the shell: the student's namespace and the training's name.
    const kataEnvironment = kubernetesAccess
      ? [
          { name: 'STUDENT_NS', value: props.studentNamespace },
          { name: 'TRAINING_NAME', value: props.course },
          ...(props.virtualClusterServer ? [{ name: 'DOJO_VCLUSTER_SERVER', value: props.virtualClusterServer }] : []),
        ]
      : [];
    const virtualClusterVolume = props.virtualClusterServer
      ? [{ name: 'vcluster', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } }]
      : [];
    const virtualClusterMount = (readOnly: boolean) =>
      props.virtualClusterServer ? [{ name: 'vcluster', mountPath: VIRTUAL_CLUSTER_DIR, readOnly }] : [];
    const scriptsMount = { name: 'setup', mountPath: SCRIPTS_DIR, readOnly: true };
    const homeMount = { name: 'home', mountPath: WORKSTATION_HOME };
    const loginConfig = `${name}-login`;
    new k8s.KubeConfigMap(this, 'login', {
      metadata: { name: loginConfig, namespace, labels },
      data:
        login.method.kind === 'password'
          ? { htpasswd: props.studentLogin.htpasswd ?? '' }
          : { emails: `${props.studentLogin.email}\n` },
    });
    const loginSources: k8s.VolumeProjection[] = [
      { configMap: { name: loginConfig } },
      ...(login.method.kind === 'password' ? [{ configMap: { name: props.loginConfigMap } }] : []),
      ...(login.method.kind === 'oidc'
        ? [
            {
              secret: {
                name: login.method.clientSecret.name,
                items: [{ key: login.method.clientSecret.key, path: `oidc/${login.method.clientSecret.key}` }],
              },
            },
          ]
        : []),
    ];

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name, namespace, labels },
      automountServiceAccountToken: kubernetesAccess,
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name, namespace, labels },
      spec: {
        selector,
        ports: [loginPort, ...appPorts].map((p) => ({
          name: p.name,
          port: p.containerPort,
          targetPort: k8s.IntOrString.fromString(p.name),
        })),
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
            // Above every class a student may use: no student pod preempts a workstation.
            priorityClassName: WORKSTATION_PRIORITY.name,
            nodeSelector: { ...scheduling.nodeSelector },
            tolerations: scheduling.tolerations.map((t) => ({ ...t })),
            serviceAccountName: name,
            ...(ws.imagePullSecret ? { imagePullSecrets: [{ name: ws.imagePullSecret }] } : {}),
            automountServiceAccountToken: kubernetesAccess,
            // A course namespace holds hundreds of Services; their env vars would flood every shell.
            enableServiceLinks: false,
            terminationGracePeriodSeconds: STOP_GRACE_SECONDS,
            securityContext: { fsGroup: WORKSTATION_UID },
            initContainers: [
              {
                name: 'setup',
                image: ws.image,
                command: ['sh', `${SCRIPTS_DIR}/setup.sh`],
                env: kataEnvironment,
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                  limits: { memory: k8s.Quantity.fromString('512Mi') },
                },
                securityContext: setupSecurity,
                volumeMounts: [homeMount, scriptsMount, ...virtualClusterMount(false)],
              },
              loginKeyContainer(ws.image, setupSecurity),
            ],
            containers: [
              {
                name: 'ide',
                image: ws.image,
                // Only the login proxy in this pod reaches the IDE: it listens on loopback.
                args: [`--bind-addr=127.0.0.1:${ws.idePort}`, '--auth=none', '--disable-telemetry', WORKSTATION_HOME],
                env: kataEnvironment,
                // The student's own workloads sleep when the workstation does (lib/plan/schedule/kata-sleep.ts).
                lifecycle: ws.kataSleep
                  ? { preStop: { exec: { command: ['sh', `${SCRIPTS_DIR}/${SLEEP_SCRIPT}`] } } }
                  : undefined,
                ports: appPorts,
                resources: { requests: quantities(ws.resources.requests), limits: quantities(ws.resources.limits) },
                startupProbe: health(5, 60),
                readinessProbe: health(10, 3),
                livenessProbe: health(20, 6),
                volumeMounts: [
                  homeMount,
                  scriptsMount,
                  { name: 'docker', mountPath: '/var/lib/docker' },
                  ...virtualClusterMount(true),
                ],
              },
              loginProxyContainer(login, props.studentLogin, {
                portName: 'ide',
                readinessPath: '/ping',
                securityContext: setupSecurity,
              }),
            ],
            volumes: [
              { name: 'setup', configMap: { name: props.setupConfigMap } },
              loginKeyVolume(),
              { name: 'login-config', projected: { sources: loginSources } },
              // dockerd's images and containers: on a volume the kubelet measures and caps, not
              // the node's shared disk (sysbox would otherwise keep them under /var/lib/sysbox).
              { name: 'docker', emptyDir: { sizeLimit: k8s.Quantity.fromString(ws.dockerStorage) } },
              ...virtualClusterVolume,
            ],
          },
        },
        // The size the course started with, for good: the API server refuses any change here.
        volumeClaimTemplates: [{ metadata: { name: 'home', labels }, spec: homeClaim(ws.homeClaimTemplate) }],
      },
    });
    if (ws.homeSize !== ws.homeClaimTemplate) {
      // Homes have grown since the course started: the claim the StatefulSet made, with the new
      // size. The class allows expansion; the claim stays when a student leaves (no prune).
      new k8s.KubePersistentVolumeClaim(this, 'home', {
        metadata: {
          name: `home-${name}-0`,
          namespace,
          labels,
          annotations: { [SYNC_OPTIONS_ANNOTATION]: 'Prune=false' },
        },
        spec: homeClaim(ws.homeSize),
      });
    }
  }
}
