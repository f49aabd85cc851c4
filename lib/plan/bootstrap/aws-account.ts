import type { Problem } from '../../common/problems';
import type { ClusterSpec } from '../../input/schema/cluster';
import { closest } from '../../common/text';
import { AWS_SERVICE_ACCOUNTS } from '../addons/addons';
import { AWS_REGIONS } from '../../facts/aws-regions';

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

/** Every ARN of a cluster file, with where it is: the role ARNs, then the certificates, then the web ACL. */
export function clusterArns(cluster: ClusterSpec): { arn: string; path: (string | number)[] }[] {
  const roles = Object.values(AWS_SERVICE_ACCOUNTS).flatMap(({ roleKey: key }) => {
    const arn = cluster.aws[key];
    return arn ? [{ arn, path: ['aws', key] }] : [];
  });
  const webAcl = cluster.routing.webAclArn ? [{ arn: cluster.routing.webAclArn, path: ['routing', 'webAclArn'] }] : [];
  return [
    ...roles,
    ...cluster.routing.certificates.map((c, i) => ({ arn: c.arn, path: ['routing', 'certificates', i, 'arn'] })),
    ...webAcl,
  ];
}

/** arn:partition:service:region:account:resource */
function arnParts(arn: string): { region: string; account: string } {
  const [, , , region, account] = arn.split(':');
  return { region, account };
}

/**
 * What a cluster file says about AWS must hold together, or the cluster fails at bootstrap or
 * at the first HTTPS request, far from the file: the region exists; each certificate is in the
 * cluster's region (a load balancer takes ACM certificates of its own region only), and so is the
 * web ACL (aws-load-balancer-controller v2.14 supports regional WAFv2 only); each certificate covers
 * names under the cluster's domain or contentDomain; every ARN is of one account. A file copied from the
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
      hint: 'if AWS opened it after this dojo version, add it to lib/facts/aws-regions.ts',
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
      if (!domain.endsWith(`.${cluster.domain}`) && !domain.endsWith(`.${cluster.contentDomain}`)) {
        problems.push({
          at: { file, path: ['routing', 'certificates', i, 'domains', j] },
          message: `"${domain}" is under neither the cluster's domain "${cluster.domain}" nor its contentDomain "${cluster.contentDomain}": no host of this cluster matches it`,
          hint: `a course's hosts are <student>.<course>.${cluster.domain} and <port>-<student>.<course>.${cluster.contentDomain}: list *.<course>.${cluster.domain} and *.<course>.${cluster.contentDomain}`,
        });
      }
    });
  });
  const webAclArn = cluster.routing.webAclArn;
  if (webAclArn && knownRegion && arnParts(webAclArn).region !== cluster.region) {
    problems.push({
      at: { file, path: ['routing', 'webAclArn'] },
      message: `is a web ACL of ${arnParts(webAclArn).region}, and the cluster is in ${cluster.region}: an ALB takes a regional web ACL of its own region only`,
      hint: `make the web ACL (scope Regional) in ${cluster.region}`,
    });
  }
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
