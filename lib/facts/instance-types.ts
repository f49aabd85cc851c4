/**
 * EC2 instance types the capacity planner may choose from.
 *
 * Source: AWS EC2 On-Demand list prices, region us-east-1 (N. Virginia), Linux, shared
 * tenancy, USD per hour, as published in 2025 (https://aws.amazon.com/ec2/pricing/on-demand/).
 * Other regions cost up to ~20% more; the planner's figures are estimates for comparing
 * options, not a bill. maxPods is the VPC CNI's ENI-based limit, which sets kube-reserved memory.
 */
export interface InstanceType {
  readonly name: string;
  readonly family: string;
  readonly arch: 'amd64' | 'arm64';
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly maxPods: number;
  readonly pricePerHour: number;
}

export const PRICE_REGION = 'us-east-1';

const SIZES = [
  { size: 'xlarge', factor: 1, maxPods: 58 },
  { size: '2xlarge', factor: 2, maxPods: 58 },
  { size: '4xlarge', factor: 4, maxPods: 234 },
  { size: '8xlarge', factor: 8, maxPods: 234 },
] as const;

// Per family: vCPU and GiB of the xlarge size and its hourly price; larger sizes scale linearly
// in AWS's own price list for these families.
const FAMILIES: readonly { family: string; arch: 'amd64' | 'arm64'; vcpu: number; memoryGiB: number; price: number }[] = [
  { family: 'm5', arch: 'amd64', vcpu: 4, memoryGiB: 16, price: 0.192 },
  { family: 'm6i', arch: 'amd64', vcpu: 4, memoryGiB: 16, price: 0.192 },
  { family: 'm6a', arch: 'amd64', vcpu: 4, memoryGiB: 16, price: 0.1728 },
  { family: 'm7i', arch: 'amd64', vcpu: 4, memoryGiB: 16, price: 0.2016 },
  { family: 'm7a', arch: 'amd64', vcpu: 4, memoryGiB: 16, price: 0.23184 },
  { family: 'c6i', arch: 'amd64', vcpu: 4, memoryGiB: 8, price: 0.17 },
  { family: 'c6a', arch: 'amd64', vcpu: 4, memoryGiB: 8, price: 0.153 },
  { family: 'c7i', arch: 'amd64', vcpu: 4, memoryGiB: 8, price: 0.1785 },
  { family: 'r6i', arch: 'amd64', vcpu: 4, memoryGiB: 32, price: 0.252 },
  { family: 'r6a', arch: 'amd64', vcpu: 4, memoryGiB: 32, price: 0.2268 },
  { family: 'r7i', arch: 'amd64', vcpu: 4, memoryGiB: 32, price: 0.2646 },
  { family: 'm7g', arch: 'arm64', vcpu: 4, memoryGiB: 16, price: 0.1632 },
  { family: 'c7g', arch: 'arm64', vcpu: 4, memoryGiB: 8, price: 0.145 },
  { family: 'r7g', arch: 'arm64', vcpu: 4, memoryGiB: 32, price: 0.2142 },
];

export const INSTANCE_TYPES: readonly InstanceType[] = FAMILIES.flatMap((f) =>
  SIZES.map((s) => ({
    name: `${f.family}.${s.size}`,
    family: f.family,
    arch: f.arch,
    vcpu: f.vcpu * s.factor,
    memoryGiB: f.memoryGiB * s.factor,
    maxPods: s.maxPods,
    pricePerHour: Math.round(f.price * s.factor * 1e5) / 1e5,
  })),
);

export const KNOWN_FAMILIES: readonly string[] = FAMILIES.map((f) => f.family);
