import { clusterSchema } from '../../lib/input/schema/cluster';

/**
 * A gateway-mode cluster: cert-manager issues each course's certificate. An example, with the
 * template's placeholders (account, example.com); `extra` replaces settings at the top level.
 */
export const clusterSpec = (extra: Record<string, unknown> = {}) =>
  clusterSchema.parse({
    name: 'c',
    example: true,
    domain: 'dojo.example.com',
    contentDomain: 'dojo.example.net',
    region: 'us-east-1',
    aws: { podIdentity: true, karpenterRoleArn: 'arn:aws:iam::123456789012:role/KarpenterController-c' },
    kubernetesVersion: '1.33',
    argocd: { repoURL: 'https://example.com/r.git' },
    nodes: { role: 'KarpenterNodeRole-c' },
    ...extra,
  });
