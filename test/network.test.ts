import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { CLASS_BOARD } from '../lib/plan/class-board/class-board';
import { GATEWAY } from '../lib/plan/routing/hosts';
import { apiServerServiceAddress, workstationEgress } from '../lib/plan/network/egress';
import { NetworkPolicies, type Endpoint } from './support/network-policy';
import { inCidr } from '../lib/common/ipv4';
import { objectsOf, REPO_ROOT, type KubeObject } from './support/repo';

/**
 * Every pair that matters, in the classroom fixture's cluster `lab` (gateway mode, the default
 * VPC 192.168.0.0/16 and Service CIDR 10.100.0.0/16): workstations, students' pods and platform
 * pods, to each other and out. The generated NetworkPolicies are evaluated as the API defines
 * them (test/support/network-policy.ts); the expected set is written out here.
 */
let policies: NetworkPolicies;
let objects: KubeObject[];

beforeAll(() => {
  const result = synth(path.join(REPO_ROOT, 'test', 'fixtures', 'classroom'), { write: false });
  expect(result.errors).toEqual([]);
  objects = objectsOf(new Map(result.files.map((f) => [f.path, f.content])))
    .filter(({ file }) => file.startsWith('dist/lab/'))
    .map(({ object }) => object);
  const namespaces = new Map(
    objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}]),
  );
  policies = new NetworkPolicies(objects, (ns) => ({ ...(namespaces.get(ns) ?? {}), 'kubernetes.io/metadata.name': ns }));
});

function workstationOf(student: string): Endpoint {
  const set = objects.find(
    (o) => o.kind === 'StatefulSet' && o.metadata.namespace === 'k8s' && o.metadata.labels?.['dojo.training/student'] === student,
  )!;
  return {
    pod: { namespace: 'k8s', labels: set.spec.template.metadata.labels },
    ip: student === 'alice' ? '192.168.100.11' : '192.168.100.12',
  };
}
const studentPod = (student: string): Endpoint => ({
  pod: { namespace: `k8s-${student}`, labels: { app: 'quotes' } },
  ip: student === 'alice' ? '192.168.110.21' : '192.168.110.22',
});
const PLATFORM = {
  dns: { pod: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, ip: '192.168.120.2' },
  proxy: { pod: { namespace: GATEWAY.namespace, labels: { ...GATEWAY.proxyLabels } }, ip: '192.168.120.3' },
  board: { pod: { namespace: CLASS_BOARD.namespace, labels: { ...CLASS_BOARD.podLabels } }, ip: '192.168.120.4' },
  karpenterWebhook: { pod: { namespace: 'karpenter', labels: { 'app.kubernetes.io/name': 'karpenter' } }, ip: '192.168.120.5' },
} satisfies Record<string, Endpoint>;
const ADDRESS = {
  internet: { ip: '140.82.121.4' },
  apiServerService: { ip: '10.100.0.1' },
  apiServerEni: { ip: '192.168.64.10' },
  otherService: { ip: '10.100.23.7' },
  node: { ip: '192.168.70.15' },
  vpcEndpoint: { ip: '192.168.65.20' },
  peeredNetwork: { ip: '10.50.0.5' },
  instanceMetadata: { ip: '169.254.169.254' },
  podIdentityAgent: { ip: '169.254.170.23' },
} satisfies Record<string, Endpoint>;

/** A pod of `kubectl create deployment customnginx` in Alice's namespace: the Service's backend once kube-proxy has picked one. */
const customnginx = (): Endpoint => ({ pod: { namespace: 'k8s-alice', labels: { app: 'customnginx' } }, ip: '192.168.110.23' });
const alice = { workstation: () => workstationOf('alice'), pod: () => studentPod('alice') };
const bob = { workstation: () => workstationOf('bob'), pod: () => studentPod('bob') };

type Case = readonly [string, () => Endpoint, () => Endpoint, number, 'TCP' | 'UDP', boolean];
const CASES: readonly Case[] = [
  // Alice's workstation: the student's own code runs there as root.
  ['workstation -> DNS', alice.workstation, () => PLATFORM.dns, 53, 'UDP', true],
  ['workstation -> internet (git, registries)', alice.workstation, () => ADDRESS.internet, 443, 'TCP', true],
  ['workstation -> internet on any port', alice.workstation, () => ADDRESS.internet, 22, 'TCP', true],
  ['workstation -> API server (Service address)', alice.workstation, () => ADDRESS.apiServerService, 443, 'TCP', true],
  ['workstation -> API server (endpoint in the VPC)', alice.workstation, () => ADDRESS.apiServerEni, 443, 'TCP', true],
  ["workstation -> own namespace's pods", alice.workstation, alice.pod, 8080, 'TCP', true],
  // kubernetes-katas deployments-ingress without a load balancer: `curl customnginx.$STUDENT_NS`
  // from the terminal, a ClusterIP Service on 80 whose four pods kube-proxy takes turns at.
  ["workstation -> own namespace's Service (customnginx on 80)", alice.workstation, customnginx, 80, 'TCP', true],
  ["workstation -> Bob's Service (customnginx on 80)", bob.workstation, customnginx, 80, 'TCP', false],
  ["workstation -> Bob's workstation (login port)", alice.workstation, bob.workstation, 4180, 'TCP', false],
  ["workstation -> Bob's pods", alice.workstation, bob.pod, 8080, 'TCP', false],
  ["workstation -> Bob's pods on 443", alice.workstation, bob.pod, 443, 'TCP', false],
  ['workstation -> proxy metrics', alice.workstation, () => PLATFORM.proxy, 9100, 'TCP', false],
  ['workstation -> proxy entryPoint', alice.workstation, () => PLATFORM.proxy, 8443, 'TCP', false],
  ['workstation -> board', alice.workstation, () => PLATFORM.board, 8080, 'TCP', false],
  ['workstation -> a webhook', alice.workstation, () => PLATFORM.karpenterWebhook, 8443, 'TCP', false],
  ['workstation -> kubelet', alice.workstation, () => ADDRESS.node, 10250, 'TCP', false],
  ['workstation -> NodePort', alice.workstation, () => ADDRESS.node, 30080, 'TCP', false],
  ['workstation -> another Service address on 443', alice.workstation, () => ADDRESS.otherService, 443, 'TCP', false],
  ['workstation -> peered network on 443', alice.workstation, () => ADDRESS.peeredNetwork, 443, 'TCP', false],
  ['workstation -> instance metadata', alice.workstation, () => ADDRESS.instanceMetadata, 80, 'TCP', false],
  ['workstation -> Pod Identity agent', alice.workstation, () => ADDRESS.podIdentityAgent, 80, 'TCP', false],
  // Accepted: HTTPS endpoints inside the VPC (interface endpoints need AWS credentials, which no student has).
  ['workstation -> a VPC endpoint on 443', alice.workstation, () => ADDRESS.vpcEndpoint, 443, 'TCP', true],
  // Alice's pods.
  ['pod -> DNS', alice.pod, () => PLATFORM.dns, 53, 'UDP', true],
  ['pod -> internet', alice.pod, () => ADDRESS.internet, 443, 'TCP', true],
  ['pod -> API server', alice.pod, () => ADDRESS.apiServerService, 443, 'TCP', true],
  ['pod -> own namespace', alice.pod, () => ({ ...studentPod('alice'), ip: '192.168.110.30' }), 6379, 'TCP', true],
  ['pod -> own workstation', alice.pod, alice.workstation, 4180, 'TCP', false],
  ["pod -> Bob's pods", alice.pod, bob.pod, 8080, 'TCP', false],
  ["pod -> Bob's workstation", alice.pod, bob.workstation, 8080, 'TCP', false],
  ['pod -> proxy metrics', alice.pod, () => PLATFORM.proxy, 9100, 'TCP', false],
  ['pod -> kubelet', alice.pod, () => ADDRESS.node, 10250, 'TCP', false],
  ['pod -> peered network on 443', alice.pod, () => ADDRESS.peeredNetwork, 443, 'TCP', false],
  ['pod -> instance metadata', alice.pod, () => ADDRESS.instanceMetadata, 80, 'TCP', false],
  // The platform into the students' space.
  ["proxy -> Alice's login port", () => PLATFORM.proxy, alice.workstation, 4180, 'TCP', true],
  ["proxy -> Alice's app port", () => PLATFORM.proxy, alice.workstation, 8080, 'TCP', true],
  ["proxy -> Alice's workstation elsewhere", () => PLATFORM.proxy, alice.workstation, 22, 'TCP', false],
  ["proxy -> Alice's pods (her kata Ingresses)", () => PLATFORM.proxy, alice.pod, 8080, 'TCP', true],
];

describe('network: who reaches whom', () => {
  it.each(CASES)('%s', (_name, from, to, port, protocol, allowed) => {
    expect(policies.allows({ from: from(), to: to(), port, protocol })).toBe(allowed);
  });

  it("lets a workstation's own namespace through by its Services' addresses too, where the VPC CNI enforces", () => {
    // The VPC CNI's agent sees a connection to a ClusterIP before kube-proxy rewrites it, so its
    // controller adds to an egress rule the ClusterIPs of the Services whose selector the rule's
    // podSelector matches (amazon-network-policy-controller-k8s pkg/resolvers/endpoints.go
    // getMatchingServiceClusterIPs): with no podSelector and no ports, every Service of the
    // namespace on every port, whatever its selector.
    const egress = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'egress-alice')!;
    const own = egress.spec.egress.filter((rule: any) =>
      rule.to?.some((peer: any) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'k8s-alice'),
    );
    expect(own).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'k8s-alice' } } }] }]);
  });

  it('has a case that each rule of a workstation decides', () => {
    const rules = workstationEgress({ vpcCidr: '192.168.0.0/16', serviceCidr: '10.100.0.0/16' }, 'k8s-alice');
    expect(rules.map((r) => r.purpose)).toHaveLength(4);
    expect(apiServerServiceAddress('10.100.0.0/16')).toBe('10.100.0.1');
    expect(apiServerServiceAddress('172.20.0.0/16')).toBe('172.20.0.1');
  });
});

describe('the evaluator itself', () => {
  it('opens a pod no policy selects, and closes one a policy selects with no rule', () => {
    const open = new NetworkPolicies([], () => ({}));
    const endpoint = { pod: { namespace: 'a', labels: {} }, ip: '10.0.0.1' };
    expect(open.allows({ from: endpoint, to: ADDRESS.internet, port: 80 })).toBe(true);
    const deny = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'd', namespace: 'a' },
      spec: { podSelector: {}, policyTypes: ['Egress'] },
    };
    expect(new NetworkPolicies([deny as KubeObject], () => ({})).allows({ from: endpoint, to: ADDRESS.internet, port: 80 })).toBe(
      false,
    );
  });

  it('reads CIDRs as networks', () => {
    expect(inCidr('192.168.255.255', '192.168.0.0/16')).toBe(true);
    expect(inCidr('192.169.0.0', '192.168.0.0/16')).toBe(false);
    expect(inCidr('10.100.0.1', '10.100.0.1/32')).toBe(true);
  });
});
