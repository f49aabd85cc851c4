import * as z from 'zod';
import { IPV4_CIDR_FORMAT, isNetworkAddress, parseCidr } from '../../common/ipv4';
import { EKSCTL_VPC } from '../../facts/eksctl';
import { KNOWN_FAMILIES } from '../../facts/instance-types';
import { CHARTS, type ChartName } from '../../facts/versions';
import { dnsLabel, dnsName, publicHttpsUrl } from './dns-names';
import { byteQuantity } from './quantity';

export const DEFAULT_INSTANCE_FAMILIES = ['m6a', 'm6i', 'm7i', 'c6a', 'c6i', 'r6a', 'r6i'];

const tagSelector = z
  .record(z.string().min(1), z.string())
  .refine((tags) => Object.keys(tags).length > 0, { message: 'is empty: give at least one tag' });

const nodesSchema = z.strictObject({
  role: z.string().min(1).describe('IAM role name of the nodes Karpenter launches, e.g. KarpenterNodeRole-<cluster>.'),
  subnetTags: tagSelector
    .optional()
    .describe(
      'Tags of the subnets for nodes. Default: karpenter.sh/discovery: <cluster name> and, as eksctl tags them, ' +
        'kubernetes.io/role/internal-elb: "1" (private subnets), or kubernetes.io/role/elb: "1" with publicIP (public subnets).',
    ),
  securityGroupTags: tagSelector
    .optional()
    .describe('Tags of the security groups for nodes. Default: karpenter.sh/discovery: <cluster name>.'),
  instanceFamilies: z
    .array(
      z.string().refine((f) => KNOWN_FAMILIES.includes(f), {
        message: `is not in the price table (lib/facts/instance-types.ts); known: ${KNOWN_FAMILIES.join(', ')}`,
      }),
    )
    .min(1, { message: 'is empty: allow at least one instance family' })
    .default(DEFAULT_INSTANCE_FAMILIES)
    .describe('EC2 instance families the course nodes may use; the planner picks the cheapest fit.'),
  architecture: z.enum(['amd64', 'arm64']).default('amd64').describe('CPU architecture of the course nodes.'),
  publicIP: z.boolean().default(false).describe('Give nodes public IPs (katas that open NodePorts on node addresses need it).'),
  rootVolumeSize: byteQuantity.default('100Gi').describe("Root volume of each node: images and the students' docker data."),
});

const certificateSchema = z.strictObject({
  arn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, {
      message: 'is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
    })
    .describe('ARN of an ACM certificate.'),
  domains: z
    .array(
      z.string().regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, {
        message: 'is not a DNS name or wildcard such as "*.k8s-101.training.example.com"',
      }),
    )
    .min(1)
    .describe('The names the certificate covers, as issued: "*.<course>.<domain>" for each course it serves.'),
});

/** Let's Encrypt's production directory: certificates every browser trusts. */
export const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';

const acmeSchema = z.strictObject({
  server: publicHttpsUrl
    .default(LETS_ENCRYPT)
    .describe(
      "ACME directory URL. Default: Let's Encrypt production; its staging directory (untrusted certificates) suits a trial cluster.",
    ),
  email: z
    .email({ message: 'is not an email address' })
    .optional()
    .describe('Contact of the ACME account (the CA may write about problems with its certificates).'),
});

const routingSchema = z.strictObject({
  mode: z
    .enum(['gateway', 'alb'])
    .default('gateway')
    .describe('gateway: one shared proxy behind one NLB (default); alb: ALBs shared by IngressGroups packed within quotas.'),
  certificates: z
    .array(certificateSchema)
    .default([])
    .describe(
      'alb mode: ACM certificates for the course domains; every course needs one covering *.<course>.<domain>. (gateway mode issues them itself.)',
    ),
  acme: acmeSchema
    .prefault({})
    .describe("gateway mode: the ACME CA that issues each course's wildcard certificate (DNS-01 on the domain's Route 53 zone)."),
  albQuota: z.int().min(1).default(50).describe('ALBs per region the account may have (AWS default 50).'),
  loadBalancerSourceRanges: z
    .array(z.string().regex(IPV4_CIDR_FORMAT, { message: 'is not an IPv4 CIDR such as "10.0.0.0/24"' }))
    .default([])
    .describe(
      'The CIDRs of the public subnets the load balancers live in: in alb mode the only sources workstations accept, in gateway mode the only ' +
        "peers whose proxy protocol header (the client's address) the proxy believes; never the VPC's, where students' pods live. " +
        'Default: the public subnets eksctl makes in aws.vpcCidr.',
    ),
  webAclArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]+\/[0-9a-f-]+$/, {
      message: 'is not the ARN of a regional AWS WAF web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)',
    })
    .optional()
    .describe(
      'alb mode: the AWS WAF web ACL every platform ALB (workstations, class board) uses, with a rate-based rule per client IP on ' +
        '/oauth2/sign_in: the only limit on password guesses in alb mode (docs/platform-guide.md, "Routing").',
    ),
});

/** An IPv4 network in CIDR notation whose address is the network's own (no host bits set). */
const ipv4Cidr = z
  .string()
  .regex(IPV4_CIDR_FORMAT, { message: 'is not an IPv4 CIDR such as "10.0.0.0/24"' })
  .refine(isNetworkAddress, { message: 'has host bits set: give the network address, such as "192.168.0.0/16"' });

const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, {
  message: 'is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
});

/** A network address with a prefix eksctl accepts for a new VPC (lib/facts/eksctl.ts). */
function isVpcCidr(cidr: string): boolean {
  const { prefix } = parseCidr(cidr);
  return isNetworkAddress(cidr) && prefix >= EKSCTL_VPC.widestPrefix && prefix <= EKSCTL_VPC.narrowestPrefix;
}

const awsSchema = z.strictObject({
  podIdentity: z
    .boolean()
    .default(false)
    .describe('The controllers get AWS access from EKS Pod Identity associations instead of IAM roles for service accounts.'),
  karpenterRoleArn: roleArn.optional().describe("IAM role of Karpenter's controller (IRSA)."),
  loadBalancerControllerRoleArn: roleArn.optional().describe('IAM role of aws-load-balancer-controller (IRSA).'),
  externalDnsRoleArn: roleArn
    .optional()
    .describe('IAM role of external-dns, allowed to change the Route 53 zone of the domain (IRSA).'),
  certManagerRoleArn: roleArn
    .optional()
    .describe(
      "gateway mode: IAM role of cert-manager, allowed to write the DNS-01 challenge records in the domain's Route 53 zone (IRSA).",
    ),
  interruptionQueue: z
    .string()
    .min(1)
    .optional()
    .describe("SQS queue of Karpenter's interruption handling. Default: the cluster's name, the queue bootstrap.sh makes."),
  vpcCidr: z
    .string()
    .regex(IPV4_CIDR_FORMAT, { message: 'is not an IPv4 CIDR such as "192.168.0.0/16"' })
    .refine(isVpcCidr, {
      message: `is not a network eksctl can make: a prefix of /${EKSCTL_VPC.widestPrefix} to /${EKSCTL_VPC.narrowestPrefix} with no host bits set`,
    })
    .default(EKSCTL_VPC.defaultCidr)
    .describe(
      `CIDR of the VPC eksctl makes for the cluster (default ${EKSCTL_VPC.defaultCidr}, eksctl's own). ` +
        'The public subnets eksctl carves from it are the default loadBalancerSourceRanges. ' +
        "The API server's addresses are in it: the only private range workstations and students' pods may reach, on 443 only.",
    ),
  vpcId: z
    .string()
    .regex(/^vpc-[0-9a-f]+$/, { message: 'is not a VPC id such as "vpc-0abc123"' })
    .optional()
    .describe(
      'VPC of the cluster, for aws-load-balancer-controller (otherwise it asks the instance metadata). ' +
        'eksctl makes a new VPC for a new cluster: bootstrap.sh stops and names it when it is not this one.',
    ),
  serviceCidr: ipv4Cidr
    .default('10.100.0.0/16')
    .describe(
      "The cluster's Service CIDR (eksctl passes it to EKS; EKS's default for VPCs outside 10.0.0.0/8). " +
        "Its first address is the API server, which workstations and students' pods may reach.",
    ),
});

const versionsSchema = z
  .strictObject(
    Object.fromEntries(
      Object.keys(CHARTS).map((name) => [
        name,
        z.string().min(1).optional().describe(`Version of the ${name} chart on this cluster.`),
      ]),
    ) as Record<ChartName, z.ZodOptional<z.ZodString>>,
  )
  .describe('Chart versions of this cluster that differ from lib/facts/versions.ts (to try an upgrade on one cluster first).');

const imageRepository = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;

const imagesSchema = z.strictObject({
  workstation: z
    .string()
    .regex(imageRepository, {
      message: 'is not an image repository without a tag, such as "ghcr.io/my-org/dojo-workstation"',
    })
    .optional()
    .describe(
      'Repository of the workstation image, as .github/workflows/workstation-image.yaml pushes it: ghcr.io/<your-org>/dojo-workstation.',
    ),
  board: z
    .string()
    .regex(imageRepository, {
      message: 'is not an image repository without a tag, such as "ghcr.io/my-org/dojo-board"',
    })
    .optional()
    .describe(
      'Repository of the class board image, as .github/workflows/board-image.yaml pushes it: ghcr.io/<your-org>/dojo-board.',
    ),
  pullSecret: dnsLabel('Secret name')
    .optional()
    .describe(
      'A private registry: the name of a kubernetes.io/dockerconfigjson Secret, made by the platform engineer (never in git) ' +
        "in each course namespace and the board's, that the workstations and the board pull with. ECR needs none (the nodes' role reads it).",
    ),
});

const boardSchema = z.strictObject({
  trainers: z
    .array(
      z.strictObject({
        id: dnsLabel('trainer id').describe("User name on the board's sign-in form (password login)."),
        email: z
          .email({ message: 'is not an e-mail address' })
          .optional()
          .describe('The address the identity provider gives the trainer (OIDC login).'),
      }),
    )
    .min(1, { message: 'is empty: name at least one trainer' })
    .describe('Who may open the board; students never can.'),
});

const argocdSchema = z.strictObject({
  repoURL: z.string().min(1).describe('Git repo ArgoCD reads dist/ from (your fork of this template).'),
  targetRevision: z.string().min(1).default('main').describe('Branch, tag or commit ArgoCD follows.'),
  namespace: dnsLabel('namespace').default('argocd').describe('Namespace ArgoCD runs in.'),
  destinationServer: publicHttpsUrl.default('https://kubernetes.default.svc').describe('API server ArgoCD deploys to.'),
  project: dnsLabel('ArgoCD project').default('default').describe('ArgoCD project of the Applications.'),
});

const loginSchema = z.strictObject({
  oidc: z
    .strictObject({
      issuerURL: publicHttpsUrl.describe(
        'OIDC issuer of the school\'s identity provider, e.g. "https://login.example.edu/realms/school".',
      ),
      clientID: z.string().min(1).describe('Client id registered with the identity provider for the IDE hosts.'),
      clientSecret: z
        .strictObject({
          name: dnsLabel('Secret name').describe('Name of a Secret in each course namespace, made by the platform engineer.'),
          key: z
            .string()
            .regex(/^[-._a-zA-Z0-9]+$/, { message: 'is not a Secret key' })
            .default('client-secret')
            .describe('Key of the client secret in that Secret.'),
        })
        .describe('Where the workstations find the client secret; it is never in git.'),
    })
    .optional()
    .describe(
      'Students sign in with the identity provider instead of passwords; each student needs an email in the course file.',
    ),
});

export const clusterSchema = z.strictObject({
  name: dnsLabel('cluster name', 40).describe('Cluster id, used in dist/<cluster>/ and by courses.'),
  example: z
    .boolean()
    .default(false)
    .describe(
      "One of the template's examples: synth accepts its placeholders (example-org, account 123456789012, example.com) " +
        'and its bootstrap.sh refuses to run. Remove it from a cluster you build; synth then names every placeholder left.',
    ),
  domain: dnsName().describe(
    'DNS zone of the logins: the IDEs at <student>.<course>.<domain> and the class board at board.<domain>.',
  ),
  contentDomain: dnsName(
    "students' apps and Ingresses are served under it, apart from the IDEs and the class board: a registrable domain of its own with a Route 53 hosted zone (for domain training.example.com, e.g. training.example.net). Under domain, a student's page would be same-site with the IDEs and could phish their sign-in (docs/security-model.md)",
  ).describe(
    "DNS zone of what students serve: app ports at <port>-<student>.<course>.<contentDomain> and their own Ingresses at <name>-<student>.<course>.<contentDomain>. A registrable domain other than domain's (as github.io is to github.com), so that no student's page is same-site with the IDEs and the board.",
  ),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'is not an AWS region such as "eu-west-1"' })
    .describe('AWS region of the cluster.'),
  aws: awsSchema.prefault({}).describe('How the controllers reach AWS.'),
  versions: versionsSchema.prefault({}),
  kubernetesVersion: z
    .union([z.string(), z.number()])
    .transform(String)
    .refine((v) => /^1\.\d{2}$/.test(v), { message: 'is not a Kubernetes minor version such as "1.31" (quote it in YAML)' })
    .describe('Kubernetes minor version of the cluster, quoted: "1.31".'),
  argocd: argocdSchema.describe('Where ArgoCD runs and which repo it follows.'),
  nodes: nodesSchema.describe('Where and how Karpenter launches the course nodes.'),
  images: imagesSchema.prefault({}).describe('Images built from this repo.'),
  routing: routingSchema.prefault({}).describe('How students reach their workstations.'),
  login: loginSchema.prefault({}).describe('How students sign in to their IDE. Default: passwords handed out by the trainer.'),
  board: boardSchema
    .optional()
    .describe("The class board at https://board.<domain>: every student's environment, live, for the trainers named here."),
});

export type ClusterSpec = z.output<typeof clusterSchema>;
