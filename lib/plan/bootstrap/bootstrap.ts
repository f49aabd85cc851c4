/**
 * What a platform engineer runs once per cluster, before ArgoCD takes over: the EKS cluster
 * (an eksctl ClusterConfig), Karpenter's IAM (the upstream CloudFormation template of the pinned
 * Karpenter), and ArgoCD itself (Helm values). Plain data; lib/write/bootstrap-files.ts writes it
 * to bootstrap/<cluster>/.
 *
 * Checked against: eksctl's ClusterConfig schema at v0.230.0 (a test validates the output with
 * it), Karpenter v1.8.1's getting-started guide (website/content/en/v1.8/getting-started/
 * getting-started-with-karpenter: the CloudFormation stack `Karpenter-<cluster>` makes the node
 * role `KarpenterNodeRole-<cluster>`, the policy `KarpenterControllerPolicy-<cluster>` and the
 * interruption queue `<cluster>`), and the argo-cd chart 10.1.1 (a test renders it with these values).
 */
import type { ClusterSpec } from '../../input/schema/cluster';
import type { Problem } from '../../common/problems';
import { ARGOCD, CHARTS } from '../../facts/versions';
import { AWS_SERVICE_ACCOUNTS, awsAddonsOf, ON_SYSTEM_NODES, SYSTEM_NODES, type AwsAddon } from '../addons/addons';
import { awsAccountOf } from './aws-account';
import { loadBalancerSubnets } from './vpc';
import { ARGOCD_MANIFEST_LIMIT_MB } from '../../facts/argocd';
import type { BootstrapPlan } from '../model/bootstrap';

/**
 * ArgoCD stopped assessing the health of Applications in 1.8; without it, an Application's sync
 * wave does not wait for the Applications of earlier waves to be Healthy (the CRDs before the
 * controllers, the load balancer controller's webhook before any Service).
 */
export const APPLICATION_HEALTH_LUA = `hs = { status = "Progressing", message = "" }
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end
end
return hs
`;

/** Two nodes: Karpenter, the gateway proxy and aws-load-balancer-controller run two replicas each. */
export const SYSTEM_NODE_GROUP = {
  name: 'system',
  instanceType: 'm6i.large',
  minSize: 2,
  desiredCapacity: 2,
  maxSize: 4,
} as const;

/** The bootstrap files of a cluster, or why they cannot be made. */
export function planBootstrap(file: string, cluster: ClusterSpec): { plan?: BootstrapPlan; problems: Problem[] } {
  const owner = awsAccountOf(cluster);
  // Without Pod Identity, checkAddonAccess already asks for the role ARNs.
  if (!owner && !cluster.aws.podIdentity) return { problems: [] };
  if (!owner) {
    return {
      problems: [
        {
          at: { file, path: ['aws'] },
          message: 'names no ARN, so the bootstrap files cannot name the AWS account of the cluster',
          hint: "give the controllers' role ARNs under aws (with podIdentity, they name the roles bootstrap makes)",
        },
      ],
    };
  }
  const { account, partition } = owner;
  const karpenterVersion = cluster.versions.karpenter ?? CHARTS.karpenter.version;
  const iamArn = (kind: 'role' | 'policy', name: string) => `arn:${partition}:iam::${account}:${kind}/${name}`;
  const controllerPolicy = iamArn('policy', `KarpenterControllerPolicy-${cluster.name}`);

  // The policies of each controller: Karpenter's from its CloudFormation stack, the others
  // eksctl's well-known policies (the upstream controllers' published policies). external-dns
  // and cert-manager write in two zones, the domain's and the contentDomain's: eksctl v0.230.0's
  // externalDNS and certManager policies allow route53:ChangeResourceRecordSets on every hosted
  // zone of the account (pkg/cfn/builder/statement.go changeSetStatements, iam_helper.go).
  // Narrower would be the two zones' ARNs, whose ids exist only once the zones do.
  const policies: Record<AwsAddon, { permissionPolicyARNs: string[] } | { wellKnownPolicies: Record<string, true> }> = {
    karpenter: { permissionPolicyARNs: [controllerPolicy] },
    'aws-load-balancer-controller': { wellKnownPolicies: { awsLoadBalancerController: true } },
    'external-dns': { wellKnownPolicies: { externalDNS: true } },
    // Route 53 changes and zone lookup for the DNS-01 challenges (eksctl pkg/cfn/builder/statement.go).
    'cert-manager': { wellKnownPolicies: { certManager: true } },
  };
  const access = awsAddonsOf(cluster).map((addon) => ({ addon, policy: policies[addon] }));
  const roleName = (addon: AwsAddon) => {
    const arn = cluster.aws[AWS_SERVICE_ACCOUNTS[addon].roleKey];
    return arn ? arn.split('/').pop()! : `${cluster.name}-${addon}`;
  };
  const iam = cluster.aws.podIdentity
    ? {
        podIdentityAssociations: access.map(({ addon, policy }) => ({
          namespace: AWS_SERVICE_ACCOUNTS[addon].namespace,
          serviceAccountName: AWS_SERVICE_ACCOUNTS[addon].name,
          roleName: roleName(addon),
          ...policy,
        })),
      }
    : {
        withOIDC: true,
        serviceAccounts: access.map(({ addon, policy }) => ({
          metadata: { name: AWS_SERVICE_ACCOUNTS[addon].name, namespace: AWS_SERVICE_ACCOUNTS[addon].namespace },
          roleName: roleName(addon),
          // The chart makes the ServiceAccount (with the role's annotation): eksctl makes the role only.
          roleOnly: true,
          ...('permissionPolicyARNs' in policy ? { attachPolicyARNs: policy.permissionPolicyARNs } : policy),
        })),
      };
  const ebsAccess = cluster.aws.podIdentity
    ? { useDefaultPodIdentityAssociations: true }
    : { wellKnownPolicies: { ebsCSIController: true } };

  const clusterConfig = {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: {
      name: cluster.name,
      region: cluster.region,
      version: cluster.kubernetesVersion,
      // eksctl tags the stack's VPC, subnets and security groups with it: Karpenter's EC2NodeClass finds
      // its security groups by it, and its subnets by it and the private subnets' own tag (defaultSubnetTags).
      tags: { 'karpenter.sh/discovery': cluster.name },
    },
    // A VPC of known addresses: alb mode's sources (the public subnets carved from it) are known
    // before it exists (lib/plan/bootstrap/vpc.ts), and the NetworkPolicies that let pods reach the
    // API server, and no other private address, name the ranges the cluster really has.
    vpc: { cidr: cluster.aws.vpcCidr },
    kubernetesNetworkConfig: { serviceIPv4CIDR: cluster.aws.serviceCidr },
    iam,
    accessConfig: {
      authenticationMode: 'API',
      // The nodes Karpenter launches join the cluster with this role.
      accessEntries: [{ principalARN: iamArn('role', cluster.nodes.role), type: 'EC2_LINUX' }],
    },
    managedNodeGroups: [
      {
        ...SYSTEM_NODE_GROUP,
        amiFamily: 'AmazonLinux2023',
        privateNetworking: true,
        volumeEncrypted: true,
        labels: { [SYSTEM_NODES.label.key]: SYSTEM_NODES.label.value },
        // Only the controllers tolerate it, and the admission policy lets no student pod do so.
        taints: [{ ...SYSTEM_NODES.taint }],
      },
    ],
    addons: [
      // EKS enforces no NetworkPolicy without the VPC CNI's network policy agent.
      { name: 'vpc-cni', configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }) },
      { name: 'coredns' },
      { name: 'kube-proxy' },
      { name: 'eks-pod-identity-agent' },
      // The home volumes and the gp3 and gp2 classes.
      { name: 'aws-ebs-csi-driver', ...ebsAccess },
    ],
  };

  // The chart's own default selector (kubernetes.io/os) is replaced, so it is kept here.
  const onSystemNodes = { ...ON_SYSTEM_NODES, nodeSelector: { 'kubernetes.io/os': 'linux', ...ON_SYSTEM_NODES.nodeSelector } };
  const argocdValues = {
    global: onSystemNodes,
    // No single sign-on: platform engineers use the admin login or their own SSO settings.
    dex: { enabled: false },
    configs: {
      cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA },
      params: { 'reposerver.max.combined.directory.manifests.size': `${ARGOCD_MANIFEST_LIMIT_MB}M` },
      repositories: {
        // The chart of CHARTS.karpenter lives in an OCI registry, which ArgoCD reads only when told so.
        karpenter: { name: 'karpenter', type: 'helm', url: CHARTS.karpenter.repoURL, enableOCI: 'true' },
        // A private fork needs credentials too, added by hand (never in git): see docs/platform-guide.md, "Before bootstrap".
        dojo: { name: 'dojo', type: 'git', url: cluster.argocd.repoURL },
      },
    },
  };
  return {
    plan: {
      cluster: cluster.name,
      region: cluster.region,
      example: cluster.example,
      argocdNamespace: cluster.argocd.namespace,
      karpenterVersion,
      vpcId: cluster.aws.vpcId,
      loadBalancerSubnets: { mode: cluster.routing.mode, ranges: loadBalancerSubnets(cluster) },
      clusterConfig,
      argocdValues,
    },
    problems: [],
  };
}

/** The upstream CloudFormation template of Karpenter `version`, as its getting-started guide deploys it. */
export function karpenterCloudFormationUrl(version: string): string {
  const minor = version.split('.').slice(0, 2).join('.');
  return `https://raw.githubusercontent.com/aws/karpenter-provider-aws/v${version}/website/content/en/v${minor}/getting-started/getting-started-with-karpenter/cloudformation.yaml`;
}

/** `helm install` of ArgoCD, as bootstrap.sh runs it. */
export function argocdInstallCommand(plan: BootstrapPlan): string {
  return (
    `helm upgrade --install argocd ${ARGOCD.chart} --repo ${ARGOCD.repoURL} --version ${ARGOCD.version} ` +
    `--namespace ${plan.argocdNamespace} --create-namespace --values bootstrap/${plan.cluster}/argocd-values.yaml --wait`
  );
}
