/**
 * How eksctl lays out the VPC it makes for a new cluster, read from eksctl v0.230.0
 * (EKSCTL_MIN_VERSION): pkg/vpc/vpc.go (SetSubnets, getSubnetNetworkSize, validateVPCCIDR),
 * pkg/az/az.go (randomSelectionOfZones) and pkg/apis/eksctl.io/v1alpha5/vpc.go.
 *
 * The VPC CIDR (default 192.168.0.0/16, a prefix of /16 to /24) is split into 8 equal subnets
 * (3 bits longer) when it holds at most 8 (two per zone); zone i gets the i-th as its public
 * subnet and the (i + zones)-th as its private one. eksctl takes 3 zones, but 2 in us-east-1
 * (and every zone of a region that has fewer than 3).
 */
export const EKSCTL_VPC = {
  defaultCidr: '192.168.0.0/16',
  widestPrefix: 16,
  narrowestPrefix: 24,
  /** 8 subnets: the prefix grows by 3 bits. */
  subnetPrefixBits: 3,
  zones: 3,
  zonesByRegion: { 'us-east-1': 2 } as Readonly<Record<string, number>>,
} as const;
