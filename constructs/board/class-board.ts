import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { HttpRoute } from '../../imports/http-route-gateway.networking.k8s.io';
import { ON_SYSTEM_NODES } from '../../lib/plan/addons/addons';
import { BOARD_VERBS, CLASS_BOARD } from '../../lib/plan/class-board/class-board';
import type { ClassBoardPlan } from '../../lib/plan/model/class-board';
import { platformLabels } from '../../lib/plan/model/labels';
import { signInPage } from '../../lib/plan/login/login';
import { loginKeyContainer, loginKeyVolume, loginProxyContainer } from '../login-proxy';
import { loginHttpRouteRules } from '../login-route-rules';
import { SignInLimits } from '../sign-in-limits';
import {
  albHttpsAnnotations,
  GATEWAY,
  gatewayParentRef,
  PLATFORM_DNS_LABEL,
  PLATFORM_INGRESS_CLASS,
} from '../../lib/plan/routing/hosts';

export interface ClassBoardProps {
  /** The board, from the plan. */
  readonly board: ClassBoardPlan;
}

/** The board's uid: the node image's unprivileged user. */
const BOARD_UID = 1000;

/**
 * The class board of a cluster: its namespace, a ServiceAccount that may list and watch what
 * the board shows and nothing else, the board behind the trainers' login proxy in one pod, and
 * its route on the cluster's load balancer.
 */
export class ClassBoard extends Construct {
  constructor(scope: Construct, id: string, props: ClassBoardProps) {
    super(scope, id);
    const { board } = props;
    const { namespace, name } = board;
    if (board.routing.mode === 'alb' && !board.routing.certificateArn) {
      throw new Error('ClassBoard: alb mode needs the certificate of the board host (the plan reports this)');
    }
    const labels = platformLabels('class-board');
    const selector = { ...CLASS_BOARD.podLabels };
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    });
    new k8s.KubeServiceAccount(this, 'account', { metadata: { name, namespace, labels } });
    const role = `dojo-${name}`;
    new k8s.KubeClusterRole(this, 'role', {
      metadata: { name: role, labels },
      rules: board.rules.map((r) => ({ apiGroups: [r.apiGroup], resources: [...r.resources], verbs: [...BOARD_VERBS] })),
    });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      metadata: { name: role, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    const login = board.login;
    const loginConfig = `${name}-login`;
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name, namespace, labels },
      data: { [CLASS_BOARD.configFile]: `${JSON.stringify(board.config, null, 2)}\n` },
    });
    new k8s.KubeConfigMap(this, 'login', {
      metadata: { name: loginConfig, namespace, labels },
      data:
        login.method.kind === 'password'
          ? { htpasswd: board.trainerLogin.htpasswd ?? '', 'sign_in.html': signInPage(`Class board: ${board.config.cluster}`) }
          : { emails: `${board.trainerLogin.email ?? ''}\n` },
    });
    const security = {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        // One watcher at a time: a second pod would double the load on the API server for nothing.
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            serviceAccountName: name,
            ...(board.imagePullSecret ? { imagePullSecrets: [{ name: board.imagePullSecret }] } : {}),
            nodeSelector: { ...ON_SYSTEM_NODES.nodeSelector },
            tolerations: ON_SYSTEM_NODES.tolerations.map((t) => ({ ...t })),
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            initContainers: [loginKeyContainer(board.image, security)],
            containers: [
              {
                name: 'board',
                image: board.image,
                env: [
                  { name: 'BOARD_CONFIG', value: `${CLASS_BOARD.configDir}/${CLASS_BOARD.configFile}` },
                  { name: 'BOARD_PORT', value: String(CLASS_BOARD.port) },
                ],
                // Informers of a 1,000-student class hold some tens of MiB (npm run bench:board).
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('256Mi') },
                  limits: { memory: k8s.Quantity.fromString('1Gi') },
                },
                securityContext: { ...security, runAsUser: BOARD_UID, runAsGroup: BOARD_UID },
                volumeMounts: [{ name: 'config', mountPath: CLASS_BOARD.configDir, readOnly: true }],
              },
              // Through the proxy, which lets /healthz alone through: ready once the board has listed everything.
              loginProxyContainer(login, board.trainerLogin, {
                portName: 'login',
                readinessPath: '/healthz',
                securityContext: security,
              }),
            ],
            volumes: [
              { name: 'config', configMap: { name } },
              { name: 'login-config', configMap: { name: loginConfig } },
              loginKeyVolume(),
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name, namespace, labels },
      spec: { selector, ports: [{ name: 'login', port: login.port, targetPort: k8s.IntOrString.fromString('login') }] },
    });
    new k8s.KubeNetworkPolicy(this, 'policy', {
      metadata: { name, namespace, labels },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        // Only the load balancer reaches the login proxy; nothing reaches the board itself.
        ingress: [
          {
            from:
              board.routing.mode === 'gateway'
                ? [
                    {
                      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': GATEWAY.namespace } },
                      podSelector: { matchLabels: { ...GATEWAY.proxyLabels } },
                    },
                  ]
                : board.routing.sourceRanges.map((cidr) => ({ ipBlock: { cidr } })),
            ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(login.port) }],
          },
        ],
      },
    });
    this.route(board, labels, login.port);
  }

  private route(board: ClassBoardPlan, labels: Record<string, string>, port: number): void {
    const { namespace, name, host, routing } = board;
    if (routing.mode === 'gateway') {
      new SignInLimits(this, 'sign-in-limits', { limits: routing.signInLimits });
      new HttpRoute(this, 'route', {
        metadata: { name, namespace, labels },
        spec: {
          parentRefs: [gatewayParentRef(routing.listener)],
          hostnames: [host],
          rules: loginHttpRouteRules(routing.rules, { name, port }),
        },
      });
      return;
    }
    new k8s.KubeIngress(this, 'ingress', {
      metadata: {
        name,
        namespace,
        labels: { ...labels, [PLATFORM_DNS_LABEL.key]: PLATFORM_DNS_LABEL.value },
        annotations: {
          ...albHttpsAnnotations(routing.group, [routing.certificateArn], routing.webAclArn),
          'alb.ingress.kubernetes.io/healthcheck-path': '/ping',
        },
      },
      spec: {
        ingressClassName: PLATFORM_INGRESS_CLASS,
        rules: [
          { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: port } } } }] } },
        ],
      },
    });
  }
}
