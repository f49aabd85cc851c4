import { numberToIpv4, parseCidr } from '../../common/ipv4';
import { EKSCTL_VPC } from '../../facts/eksctl';
import type { ClusterSpec } from '../../input/schema/cluster';

/**
 * The public subnets eksctl makes in a new VPC of `vpcCidr` in `region` (lib/facts/eksctl.ts):
 * the subnets the load balancers live in, known before the VPC exists. A region with fewer
 * zones than eksctl takes gets fewer subnets; bootstrap.sh compares these with the VPC made.
 */
export function eksctlPublicSubnets(vpcCidr: string, region: string): string[] {
  const { base, prefix } = parseCidr(vpcCidr);
  const subnetPrefix = prefix + EKSCTL_VPC.subnetPrefixBits;
  const size = 2 ** (32 - subnetPrefix);
  const zones = EKSCTL_VPC.zonesByRegion[region] ?? EKSCTL_VPC.zones;
  return Array.from({ length: zones }, (_, i) => `${numberToIpv4(base + i * size)}/${subnetPrefix}`);
}

/**
 * The public subnets the load balancers live in: in alb mode the only sources workstations
 * accept, in gateway mode the only peers whose proxy protocol header Traefik believes (the
 * NLB's). Unless the cluster file lists them, they are the public subnets eksctl makes in
 * aws.vpcCidr, known before bootstrap makes the VPC, so that a cluster is built in the order of
 * any other.
 */
export function loadBalancerSubnets(spec: ClusterSpec): readonly string[] {
  const listed = spec.routing.loadBalancerSourceRanges;
  return listed.length > 0 ? listed : eksctlPublicSubnets(spec.aws.vpcCidr, spec.region);
}
