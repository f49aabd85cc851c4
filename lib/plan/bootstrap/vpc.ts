import { EKSCTL_VPC } from '../../facts/eksctl';
import type { ClusterSpec } from '../../input/schema/cluster';

/**
 * The public subnets eksctl makes in a new VPC of `vpcCidr` in `region` (lib/facts/eksctl.ts):
 * the subnets the load balancers live in, known before the VPC exists. A region with fewer
 * zones than eksctl takes gets fewer subnets; bootstrap.sh compares these with the VPC made.
 */
export function eksctlPublicSubnets(vpcCidr: string, region: string): string[] {
  const [address, prefix] = vpcCidr.split('/');
  const base = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const subnetPrefix = Number(prefix) + EKSCTL_VPC.subnetPrefixBits;
  const size = 2 ** (32 - subnetPrefix);
  const zones = EKSCTL_VPC.zonesByRegion[region] ?? EKSCTL_VPC.zones;
  return Array.from({ length: zones }, (_, i) => `${dotted(base + i * size)}/${subnetPrefix}`);
}

function dotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
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
