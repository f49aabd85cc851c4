import type { ClusterSpec } from '../../input/schema/cluster';
import type { Problem } from '../../common/problems';
import { CHARTS, GATEWAY_API, TRAEFIK_CRDS, type ChartName } from '../../facts/versions';
import { GATEWAY, KATA_INGRESS_CLASS, PLATFORM_DNS_LABEL } from '../routing/hosts';
import { LABELS } from '../model/object-names';
import type { GatewayPlan } from '../model/routing';
import type { IgnoredDifference, AddonPlan } from '../model/addons';

/**
 * aws-load-balancer-controller's chart makes a new webhook certificate at every render under
 * `helm template` (its `keepTLSSecret` reuse needs `lookup`, which ArgoCD's rendering does not
 * have; chart 1.14.0 templates/_helpers.tpl). ArgoCD keeps the first certificate and its CA
 * bundle instead of rotating them on every refresh, when Services could not be admitted.
 */
const LOAD_BALANCER_WEBHOOK_CERTIFICATE: IgnoredDifference[] = [
  { group: '', kind: 'Secret', name: 'aws-load-balancer-tls', jsonPointers: ['/data'] },
  ...(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] as const).map((kind) => ({
    group: 'admissionregistration.k8s.io',
    kind,
    name: 'aws-load-balancer-webhook',
    jqPathExpressions: ['.webhooks[].clientConfig.caBundle'],
  })),
];

/**
 * The system node group (EKS managed, made at bootstrap) carries this label and taint: the
 * controllers run there and nowhere else, and no student pod may tolerate the taint
 * (admission policy), so nothing of a student shares a node with a controller's credentials.
 */
export const SYSTEM_NODES = {
  label: { key: LABELS.pool, value: 'system' },
  taint: { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' },
} as const;

/**
 * Placement values every add-on chart takes at the top level (checked in each pinned chart's
 * values.yaml: karpenter 1.8, aws-load-balancer-controller 1.14, external-dns 1.19, keda 2.18,
 * metrics-server 3.13, traefik 38).
 */
export const ON_SYSTEM_NODES = {
  nodeSelector: { [SYSTEM_NODES.label.key]: SYSTEM_NODES.label.value },
  tolerations: [{ key: SYSTEM_NODES.taint.key, operator: 'Exists', effect: SYSTEM_NODES.taint.effect }],
};

/** The service accounts that need AWS access, by add-on: for IRSA annotations or Pod Identity associations. */
export const AWS_SERVICE_ACCOUNTS = {
  karpenter: { namespace: 'karpenter', name: 'karpenter', roleKey: 'karpenterRoleArn' },
  'aws-load-balancer-controller': {
    namespace: 'kube-system',
    name: 'aws-load-balancer-controller',
    roleKey: 'loadBalancerControllerRoleArn',
  },
  'external-dns': { namespace: 'external-dns', name: 'external-dns', roleKey: 'externalDnsRoleArn' },
  'cert-manager': { namespace: 'cert-manager', name: 'cert-manager', roleKey: 'certManagerRoleArn', mode: 'gateway' },
} as const;

export type AwsAddon = keyof typeof AWS_SERVICE_ACCOUNTS;

/** The add-ons of a cluster that reach AWS: cert-manager runs in gateway mode only. */
export function awsAddonsOf(cluster: ClusterSpec): AwsAddon[] {
  return (Object.keys(AWS_SERVICE_ACCOUNTS) as AwsAddon[]).filter((addon) => {
    const account = AWS_SERVICE_ACCOUNTS[addon];
    return !('mode' in account) || account.mode === cluster.routing.mode;
  });
}

/**
 * Every controller a cluster's objects need: Karpenter (NodePools), aws-load-balancer-controller
 * (the NLB or the ALBs), external-dns (the records), KEDA (ScaledObjects), metrics-server (the
 * katas' kubectl top and HPAs), and in gateway mode the Gateway API CRDs and the proxy.
 */
export function planAddons(cluster: ClusterSpec, gateway: GatewayPlan | undefined): AddonPlan[] {
  const chart = (name: ChartName, values: Record<string, unknown>) => ({
    kind: 'helm' as const,
    ...CHARTS[name],
    version: cluster.versions[name] ?? CHARTS[name].version,
    values: { ...values, ...ON_SYSTEM_NODES },
  });
  const serviceAccount = (addon: AwsAddon) => {
    const { name, roleKey } = AWS_SERVICE_ACCOUNTS[addon];
    const role = cluster.aws[roleKey];
    return { create: true, name, annotations: cluster.aws.podIdentity || !role ? {} : { 'eks.amazonaws.com/role-arn': role } };
  };
  const gatewayMode = cluster.routing.mode === 'gateway';
  const addons: AddonPlan[] = [
    {
      name: 'karpenter',
      namespace: AWS_SERVICE_ACCOUNTS.karpenter.namespace,
      syncWave: 'addons',
      source: chart('karpenter', {
        replicas: 2,
        serviceAccount: serviceAccount('karpenter'),
        settings: {
          clusterName: cluster.name,
          // Bootstrap's CloudFormation stack (Karpenter's own template) makes the queue under the cluster's name.
          interruptionQueue: cluster.aws.interruptionQueue ?? cluster.name,
        },
      }),
    },
    {
      name: 'aws-load-balancer-controller',
      namespace: AWS_SERVICE_ACCOUNTS['aws-load-balancer-controller'].namespace,
      // Its Service webhook fails closed: it must be serving before any other Service is made.
      syncWave: 'webhooks',
      ignoreDifferences: LOAD_BALANCER_WEBHOOK_CERTIFICATE,
      source: chart('awsLoadBalancerController', {
        clusterName: cluster.name,
        region: cluster.region,
        ...(cluster.aws.vpcId ? { vpcId: cluster.aws.vpcId } : {}),
        serviceAccount: serviceAccount('aws-load-balancer-controller'),
        // `ingressClass` is the controller's --ingress-class, the one value of the annotation
        // kubernetes.io/ingress.class it serves: the annotation outranks spec.ingressClassName and
        // is matched against this flag alone, not against IngressClass objects (v2.14.1
        // pkg/ingress/group_loader.go classifyIngress). Gateway mode: the shared proxy serves the
        // katas' class `alb` both ways, so the controller answers to another name (else every kata
        // Ingress would get an ALB too). alb mode: it answers to `alb`, so an Ingress that names
        // the class only by annotation gets an ALB of its own, as one naming it in the field does:
        // neither reads IngressClassParams, and no student may name a group (admission policy).
        // An empty flag would also take Ingresses of no class. The chart would make an
        // IngressClass of the flag's name; the platform objects make alb mode's two instead.
        createIngressClassResource: false,
        ingressClass: gatewayMode ? 'aws-alb' : KATA_INGRESS_CLASS,
      }),
    },
    {
      name: 'external-dns',
      namespace: AWS_SERVICE_ACCOUNTS['external-dns'].namespace,
      syncWave: 'addons',
      source: chart('externalDns', {
        provider: { name: 'aws' },
        env: [{ name: 'AWS_DEFAULT_REGION', value: cluster.region }],
        // The logins' zone and the students' content zone (--domain-filter per entry, chart 1.19.0 templates/deployment.yaml).
        domainFilters: [cluster.domain, cluster.contentDomain],
        // gateway mode: the wildcard names on the proxy's Service; alb mode: the Ingress hosts.
        sources: gatewayMode ? ['service'] : ['ingress'],
        // Only the platform's objects make records: students' objects cannot carry this label.
        labelFilter: `${PLATFORM_DNS_LABEL.key}=${PLATFORM_DNS_LABEL.value}`,
        policy: 'sync',
        registry: 'txt',
        txtOwnerId: `dojo-${cluster.name}`,
        serviceAccount: serviceAccount('external-dns'),
      }),
    },
    { name: 'keda', namespace: 'keda', syncWave: 'addons', source: chart('keda', {}) },
    { name: 'metrics-server', namespace: 'kube-system', syncWave: 'addons', source: chart('metricsServer', {}) },
  ];
  if (gateway) {
    addons.push(
      {
        name: 'cert-manager',
        namespace: AWS_SERVICE_ACCOUNTS['cert-manager'].namespace,
        syncWave: 'addons',
        source: chart('certManager', certManagerValues(serviceAccount('cert-manager'))),
      },
      {
        name: 'gateway-api-crds',
        namespace: 'kube-system',
        syncWave: 'crds',
        source: { kind: 'git', repoURL: GATEWAY_API.repoURL, path: 'config/crd/standard', revision: GATEWAY_API.version },
      },
      {
        // The sign-in limits are traefik.io Middlewares (lib/plan/routing/sign-in-limits.ts).
        name: 'gateway-proxy-crds',
        namespace: 'kube-system',
        syncWave: 'crds',
        source: {
          kind: 'git',
          repoURL: TRAEFIK_CRDS.repoURL,
          path: TRAEFIK_CRDS.path,
          revision: TRAEFIK_CRDS.revision(cluster.versions.traefik ?? CHARTS.traefik.version),
          include: TRAEFIK_CRDS.include,
        },
      },
      {
        name: 'gateway-proxy',
        namespace: GATEWAY.namespace,
        syncWave: 'addons',
        // Traefik 38.0.2 ships Gateway API CRDs (v1.4.0) in crds/ beside its own: gateway-api-crds
        // owns the former, gateway-proxy-crds the latter, so the chart installs none.
        source: { ...chart('traefik', { ...gateway.proxyValues }), skipCrds: true },
      },
    );
  }
  return addons;
}

/**
 * cert-manager of chart v1.21.1 (values.yaml, templates/*-deployment.yaml), checked by
 * rendering: its CRDs, every component on the system nodes (the chart has a global
 * nodeSelector but tolerations per component), and nothing a student can use. A student
 * is admin of a namespace: with the chart's default aggregation to `admin` they could make
 * Issuers and Certificates and burn the CA's rate limits of the whole domain, and with the
 * ingress-shim an Ingress annotation would have the ClusterIssuer (and its Route 53 role)
 * issue for them. Namespaced Issuers never get the controller's AWS credentials
 * (--issuer-ambient-credentials is false by default).
 */
function certManagerValues(serviceAccount: Record<string, unknown>): Record<string, unknown> {
  const tolerations = ON_SYSTEM_NODES.tolerations;
  return {
    crds: { enabled: true, keep: true },
    global: { nodeSelector: ON_SYSTEM_NODES.nodeSelector, rbac: { aggregateClusterRoles: false } },
    serviceAccount,
    extraArgs: ['--controllers=*,-ingress-shim'],
    webhook: { tolerations },
    cainjector: { tolerations },
    startupapicheck: { tolerations },
  };
}

/** Without Pod Identity, each controller needs its IAM role, or it cannot reach AWS at all. */
export function checkAddonAccess(file: string, cluster: ClusterSpec): Problem[] {
  if (cluster.aws.podIdentity) return [];
  const missing = awsAddonsOf(cluster)
    .map((addon) => AWS_SERVICE_ACCOUNTS[addon].roleKey)
    .filter((key) => !cluster.aws[key]);
  if (missing.length === 0) return [];
  return [
    {
      at: { file, path: ['aws'] },
      message: `needs ${missing.map((k) => `aws.${k}`).join(', ')}: the controllers reach AWS through them`,
      hint: 'give the IAM role ARNs, or set aws.podIdentity: true and create the Pod Identity associations (docs/platform-guide.md, "Bootstrap a cluster")',
    },
  ];
}
