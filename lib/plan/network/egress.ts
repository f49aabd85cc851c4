/**
 * Where pods in a student's reach may connect. Workstations and students' pods run code of the
 * student's (root, docker, raw sockets in a workstation): they reach the internet, DNS, the API
 * server and the student's own pods; no private address beyond that, so no platform port
 * (metrics, webhooks, kubelets), no other student, no VPC endpoint or peered network.
 */
import { numberToIpv4, parseCidr } from '../../common/ipv4';
import type { EgressRule } from '../model/network';

/**
 * Private, shared and link-local ranges (RFC 1918, RFC 6598, RFC 3927): the VPC, peered and
 * on-premises networks, the pods, and the instance metadata service.
 */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] as const;

/** The cluster DNS: CoreDNS pods of the EKS add-on. */
export const CLUSTER_DNS = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } } as const;

/** The port of the EKS API server's endpoints (the ENIs of the `kubernetes` Service). */
export const API_SERVER_PORT = 443;

export interface EgressInputs {
  /**
   * The VPC's CIDR: EKS puts the API server's network interfaces (the endpoints of the
   * `kubernetes` Service) in the cluster's subnets, whose addresses no manifest knows.
   */
  readonly vpcCidr: string;
  /** The cluster's Service CIDR, whose first address is the `kubernetes` Service. */
  readonly serviceCidr: string;
}

/**
 * The `kubernetes` Service's address: the first of the Service CIDR (the API server allocates
 * it so: Kubernetes 1.34, `pkg/controlplane/apiserver/options/options.go`, `GetIndexedIP(range, 1)`).
 */
export function apiServerServiceAddress(serviceCidr: string): string {
  return numberToIpv4(parseCidr(serviceCidr).base + 1);
}

const dns: EgressRule = {
  purpose: 'DNS',
  to: [CLUSTER_DNS],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

const internet: EgressRule = {
  purpose: 'the internet (git, registries, package mirrors)',
  to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }],
};

function apiServer(inputs: EgressInputs): EgressRule {
  return {
    purpose: 'the API server (kubectl; the katas give pods a Role)',
    // The Service address before kube-proxy rewrites it, the endpoints after: which one a
    // policy sees depends on where the CNI enforces it.
    to: [{ ipBlock: { cidr: `${apiServerServiceAddress(inputs.serviceCidr)}/32` } }, { ipBlock: { cidr: inputs.vpcCidr } }],
    ports: [{ protocol: 'TCP', port: API_SERVER_PORT }],
  };
}

/** What pods in a student's namespace may reach: their own namespace, DNS, the internet and the API server. */
export function studentNamespaceEgress(inputs: EgressInputs): EgressRule[] {
  return [{ purpose: "the student's own pods", to: [{ sameNamespace: true }] }, dns, internet, apiServer(inputs)];
}

/**
 * What a student's workstation may reach: DNS, the internet, the API server, and the pods of the
 * student's own namespace (their katas' Services, their virtual cluster), when they have one.
 */
export function workstationEgress(inputs: EgressInputs, studentNamespace: string | undefined): EgressRule[] {
  return [
    dns,
    internet,
    apiServer(inputs),
    ...(studentNamespace ? [{ purpose: "the student's own namespace", to: [{ namespace: studentNamespace }] }] : []),
  ];
}
