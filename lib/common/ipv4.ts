/**
 * IPv4 addresses and networks as numbers: the cluster file's ranges, the subnets eksctl carves
 * from them and the addresses the NetworkPolicies name are all computed with these.
 */

/** The text form of a network: four octets and a prefix ("10.0.0.0/24"); the values are checked apart. */
export const IPV4_CIDR_FORMAT = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The network's first address, as a number, and its prefix length. */
export function parseCidr(cidr: string): { readonly base: number; readonly prefix: number } {
  const [address, prefix] = cidr.split('/');
  return { base: ipv4ToNumber(address), prefix: Number(prefix) };
}

/** Octets of at most 255, a prefix of at most 32, and no host bits set. */
export function isNetworkAddress(cidr: string): boolean {
  const [address] = cidr.split('/');
  const { base, prefix } = parseCidr(cidr);
  if (address.split('.').some((o) => Number(o) > 255) || prefix > 32) return false;
  return base % 2 ** (32 - prefix) === 0;
}

/** Whether `address` is in the network `cidr`. */
export function inCidr(address: string, cidr: string): boolean {
  const { base, prefix } = parseCidr(cidr);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(base / size) * size;
  const n = ipv4ToNumber(address);
  return n >= start && n < start + size;
}
