import { k8s } from './k8s';
import type { EgressPeer, EgressRule } from '../lib/plan/model/network';

function peer(p: EgressPeer): k8s.NetworkPolicyPeer {
  if ('ipBlock' in p) return { ipBlock: { cidr: p.ipBlock.cidr, except: p.ipBlock.except && [...p.ipBlock.except] } };
  if ('sameNamespace' in p) return { podSelector: {} };
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
    ...(p.podLabels ? { podSelector: { matchLabels: { ...p.podLabels } } } : {}),
  };
}

/** The plan's egress rules as a NetworkPolicy's `egress`. */
export function egressRules(rules: readonly EgressRule[]): k8s.NetworkPolicyEgressRule[] {
  return rules.map((rule) => ({
    to: rule.to.map(peer),
    ports: rule.ports?.map((p) => ({ protocol: p.protocol, port: k8s.IntOrString.fromNumber(p.port) })),
  }));
}
