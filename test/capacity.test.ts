import { describe, expect, it } from 'vitest';
import { kubeReservedCpu, kubeReservedMemoryGiB, planCapacity, seatsPerNode } from '../lib/plan/nodes/capacity';
import { INSTANCE_TYPES } from '../lib/facts/instance-types';
import { allowedInstanceTypes } from '../lib/plan/nodes/course-capacity';
import { sysboxInstallerImage } from '../lib/plan/nodes/sysbox';
import { kubernetesVersionProblem, supportedRange } from '../lib/facts/kubernetes-support';
import { clusterSchema, DEFAULT_INSTANCE_FAMILIES } from '../lib/input/schema/cluster';

const type = (name: string) => INSTANCE_TYPES.find((t) => t.name === name)!;
const exampleSeat = { cpu: 1, memoryGiB: 2 }; // the example course's workstation requests
const defaultTypes = allowedInstanceTypes(
  clusterSchema.parse({
    name: 'c',
    domain: 'x.example.com',
    contentDomain: 'x.example.net',
    region: 'us-east-1',
    kubernetesVersion: '1.31',
    argocd: { repoURL: 'https://example.com/r.git' },
    nodes: { role: 'r' },
  }),
);

describe('node overhead', () => {
  it('reserves CPU for the kubelet as EKS does', () => {
    expect(kubeReservedCpu(4)).toBeCloseTo(0.08);
    expect(kubeReservedCpu(16)).toBeCloseTo(0.11);
    expect(kubeReservedCpu(32)).toBeCloseTo(0.15);
  });

  it('reserves memory by the pods a node may run', () => {
    expect(kubeReservedMemoryGiB(58) * 1024).toBe(893);
    expect(kubeReservedMemoryGiB(234) * 1024).toBe(2829);
  });

  it('fits fewer seats than the raw numbers suggest', () => {
    // 16 vCPU / 64 GiB: CPU binds at 15 (16 - 0.11 reserved - 0.35 system), not 16.
    expect(seatsPerNode(type('m6a.4xlarge'), exampleSeat)).toBe(15);
    // 8 GiB compute nodes: memory binds at 2 seats of 2 GiB, not 4.
    expect(seatsPerNode(type('c6a.xlarge'), exampleSeat)).toBe(2);
    expect(seatsPerNode(type('c6a.xlarge'), { cpu: 1, memoryGiB: 8 })).toBe(0);
  });
});

describe('capacity plan', () => {
  it('puts the 90 workstations of the replaced platform on 3 nodes instead of its 15', () => {
    const plan = planCapacity(90, exampleSeat, defaultTypes)!;
    expect(plan.instanceType.name).toBe('m6a.8xlarge');
    expect(plan.seatsPerNode).toBe(31);
    expect(plan.nodes).toBe(3);
    expect(plan.nodes * 5).toBe(15);
    expect(plan.costPerHour).toBeCloseTo(4.1472);
    // One spare node of headroom in the NodePool limits.
    expect(plan.limits).toEqual({ cpu: '128', memory: '512Gi' });
  });

  it('is never beaten by any single allowed type', () => {
    for (const students of [1, 12, 25, 90, 300, 1000]) {
      const plan = planCapacity(students, exampleSeat, defaultTypes)!;
      for (const t of defaultTypes) {
        const perNode = seatsPerNode(t, exampleSeat);
        if (perNode > 0) expect(plan.costPerHour).toBeLessThanOrEqual(Math.ceil(students / perNode) * t.pricePerHour + 1e-9);
      }
    }
  });

  it('prefers memory-heavy types for memory-heavy seats', () => {
    expect(planCapacity(40, { cpu: 0.5, memoryGiB: 6 }, defaultTypes)!.instanceType.family).toMatch(/^r6/);
  });

  it('breaks a cost tie towards fewer nodes', () => {
    const plan = planCapacity(90, exampleSeat, [type('m6a.4xlarge'), type('m6a.8xlarge')])!;
    expect(plan.nodes).toBe(3);
  });

  it('finds nothing when no type fits one seat', () => {
    expect(planCapacity(10, { cpu: 64, memoryGiB: 2 }, defaultTypes)).toBeUndefined();
  });

  it('offers only the default families, of the cluster architecture, of at least 4 vCPU', () => {
    expect(new Set(defaultTypes.map((t) => t.family))).toEqual(new Set(DEFAULT_INSTANCE_FAMILIES));
    expect(defaultTypes.every((t) => t.arch === 'amd64' && t.vcpu >= 4)).toBe(true);
  });
});

describe('sysbox installer per Kubernetes version', () => {
  it.each([
    ['1.27', undefined],
    ['1.28', 'registry.nestybox.com/nestybox/sysbox-deploy-k8s:v0.6.6-0'],
    ['1.31', 'registry.nestybox.com/nestybox/sysbox-deploy-k8s:v0.6.6-0'],
    ['1.32', 'registry.nestybox.com/nestybox/sysbox-deploy-k8s:v0.7.0-0'],
    ['1.35', 'registry.nestybox.com/nestybox/sysbox-deploy-k8s:v0.7.0-0'],
    ['1.36', undefined],
  ])('%s -> %s', (version, image) => {
    expect(sysboxInstallerImage(version)).toBe(image);
  });

  it('names the supported range: what every pinned part serves, and which part refuses a version', () => {
    expect(supportedRange('gateway')).toBe('1.33 to 1.34');
    expect(supportedRange('alb')).toBe('1.31 to 1.34');
    expect(kubernetesVersionProblem(33, 'gateway')).toBeUndefined();
    expect(kubernetesVersionProblem(31, 'alb')).toBeUndefined();
    expect(kubernetesVersionProblem(34, 'alb')).toBeUndefined();
    expect(kubernetesVersionProblem(35, 'gateway')).toBe(
      'Karpenter 1.8 (the nodes) serves up to 1.34. Supported here: 1.33 to 1.34',
    );
    expect(kubernetesVersionProblem(31, 'gateway')).toBe(
      "cert-manager 1.21 (the courses' certificates) serves 1.33 to 1.36. Supported here: 1.33 to 1.34",
    );
    expect(kubernetesVersionProblem(29, 'gateway')).toMatch(
      /^ValidatingAdmissionPolicy v1 .* needs 1.30 or later; Gateway API v1.6.1 CRDs .* needs 1.31 or later; KEDA 2.18 .* needs 1.31 or later; cert-manager 1.21 .* serves 1.33 to 1.36\./,
    );
  });
});
