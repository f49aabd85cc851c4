import type { Problem } from '../../common/problems';
import type { ClusterSpec } from '../../input/schema/cluster';
import { closest } from '../../common/text';
import { AWS_SERVICE_ACCOUNTS } from '../addons/addons';

/**
 * AWS regions: the codes on AWS's "AWS Region billing codes" page
 * (docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html,
 * read 2026-11, which lists ap-east-2, ap-southeast-6/7, ca-west-1 and mx-central-1), GovCloud
 * and China. A region AWS opens later is added here; the error says so.
 */
export const AWS_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
];

/**
 * The account and partition a cluster lives in, from the first ARN of its file (the role ARNs,
 * then the certificates; awsAccountProblems holds them to one account), or undefined when the
 * file has none.
 */
export function awsAccountOf(cluster: ClusterSpec): { account: string; partition: string } | undefined {
  const first = clusterArns(cluster)[0];
  if (!first) return undefined;
  const [, partition] = first.arn.split(':');
  return { account: arnParts(first.arn).account, partition };
}

/** Every ARN of a cluster file, with where it is: the role ARNs, then the certificates. */
function clusterArns(cluster: ClusterSpec): { arn: string; path: (string | number)[] }[] {
  const roles = Object.values(AWS_SERVICE_ACCOUNTS).flatMap(({ roleKey: key }) => {
    const arn = cluster.aws[key];
    return arn ? [{ arn, path: ['aws', key] }] : [];
  });
  return [...roles, ...cluster.routing.certificates.map((c, i) => ({ arn: c.arn, path: ['routing', 'certificates', i, 'arn'] }))];
}

/** arn:partition:service:region:account:resource */
function arnParts(arn: string): { region: string; account: string } {
  const [, , , region, account] = arn.split(':');
  return { region, account };
}

/**
 * What a cluster file says about AWS must hold together, or the cluster fails at bootstrap or
 * at the first HTTPS request, far from the file: the region exists; each certificate is in the
 * cluster's region (a load balancer takes ACM certificates of its own region only) and covers
 * names under the cluster's domain; every ARN is of one account. A file copied from the
 * example and half edited fails one of these.
 */
export function awsAccountProblems(file: string, cluster: ClusterSpec): Problem[] {
  const problems: Problem[] = [];
  const knownRegion = AWS_REGIONS.includes(cluster.region);
  if (!knownRegion) {
    const guess = closest(cluster.region, AWS_REGIONS);
    problems.push({
      at: { file, path: ['region'] },
      message: `"${cluster.region}" is not an AWS region${guess ? `: did you mean "${guess}"?` : ''}`,
      hint: 'if AWS opened it after this dojo version, add it to lib/plan/bootstrap/aws-account.ts',
    });
  }
  cluster.routing.certificates.forEach((certificate, i) => {
    const { region } = arnParts(certificate.arn);
    if (knownRegion && region !== cluster.region) {
      problems.push({
        at: { file, path: ['routing', 'certificates', i, 'arn'] },
        message: `is a certificate of ${region}, and the cluster is in ${cluster.region}: a load balancer takes certificates of its own region only`,
        hint: `issue (or import) the certificate in ${cluster.region}`,
      });
    }
    certificate.domains.forEach((domain, j) => {
      if (!domain.endsWith(`.${cluster.domain}`)) {
        problems.push({
          at: { file, path: ['routing', 'certificates', i, 'domains', j] },
          message: `"${domain}" is not under the cluster's domain "${cluster.domain}": no course host of this cluster matches it`,
          hint: `course hosts are <student>.<course>.${cluster.domain}: list *.<course>.${cluster.domain}`,
        });
      }
    });
  });
  const [first, ...others] = clusterArns(cluster);
  for (const other of others) {
    const [a, b] = [arnParts(first.arn).account, arnParts(other.arn).account];
    if (a !== b) {
      problems.push({
        at: { file, path: other.path },
        also: { file, path: first.path },
        message: `is in account ${b}, and ${first.path.join('.')} in account ${a}: one cluster lives in one account`,
        hint: 'use the ARNs of the account the cluster runs in',
      });
    }
  }
  return problems;
}
