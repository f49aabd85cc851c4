import { inCidr } from '../../lib/common/ipv4';
import type { KubeObject } from './repo';

/**
 * Whether a NetworkPolicy set lets a connection through, as the NetworkPolicy API defines it
 * (networking.k8s.io/v1): a pod selected by no policy of a direction is open in that direction;
 * a selected pod accepts what any rule of any selecting policy allows (the union); a connection
 * passes when the source's egress and the destination's ingress both allow it. Peers: a
 * podSelector alone means the policy's namespace; ipBlock matches the address (pods have VPC
 * addresses on EKS, so ipBlocks match pods too). No cluster here enforces NetworkPolicies (the
 * real control plane has no CNI): these are the rules the VPC CNI's agent is given.
 */
export interface Endpoint {
  /** A pod: its namespace and labels. Absent for an address outside the cluster. */
  readonly pod?: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly ip: string;
}

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

type Labels = Readonly<Record<string, string>>;

function matches(selector: { matchLabels?: Labels; matchExpressions?: unknown[] } | undefined, labels: Labels): boolean {
  if (!selector) return true;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions: not evaluated here');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

export class NetworkPolicies {
  private readonly policies: KubeObject[];
  constructor(
    objects: readonly KubeObject[],
    private readonly namespaceLabels: (namespace: string) => Labels,
  ) {
    this.policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  }

  allows(c: Connection): boolean {
    return this.direction('Egress', c.from, c.to, c) && this.direction('Ingress', c.to, c.from, c);
  }

  /** Whether `subject`'s policies of `type` let it talk to `peer`. */
  private direction(type: 'Ingress' | 'Egress', subject: Endpoint, peer: Endpoint, c: Connection): boolean {
    if (!subject.pod) return true;
    const pod = subject.pod;
    const selecting = this.policies.filter(
      (p) =>
        p.metadata.namespace === pod.namespace &&
        matches(p.spec.podSelector, pod.labels) &&
        (p.spec.policyTypes ?? ['Ingress']).includes(type),
    );
    if (selecting.length === 0) return true;
    const rulesOf = (p: KubeObject): any[] => (type === 'Egress' ? (p.spec.egress ?? []) : (p.spec.ingress ?? []));
    return selecting.some((policy) =>
      rulesOf(policy).some((rule) => {
        const peers = type === 'Egress' ? rule.to : rule.from;
        const peerOk = peers === undefined || peers.some((x: any) => this.peerMatches(x, policy.metadata.namespace!, peer));
        const portOk =
          rule.ports === undefined ||
          rule.ports.some(
            (p: any) => (p.protocol ?? 'TCP') === (c.protocol ?? 'TCP') && (p.port === undefined || p.port === c.port),
          );
        return peerOk && portOk;
      }),
    );
  }

  private peerMatches(peer: any, policyNamespace: string, endpoint: Endpoint): boolean {
    if (peer.ipBlock) {
      return inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e: string) => inCidr(endpoint.ip, e));
    }
    if (!endpoint.pod) return false;
    const namespaceOk = peer.namespaceSelector
      ? matches(peer.namespaceSelector, this.namespaceLabels(endpoint.pod.namespace))
      : endpoint.pod.namespace === policyNamespace;
    return namespaceOk && matches(peer.podSelector, endpoint.pod.labels);
  }
}
