import { z } from 'zod';
import { dnsLabel, dnsName, publicHttpsUrl } from './names';

const argocdSchema = z.strictObject({
  repoURL: z.string().min(1),
  targetRevision: z.string().min(1).default('main'),
  namespace: dnsLabel('namespace').default('argocd'),
  destinationServer: publicHttpsUrl.default('https://kubernetes.default.svc'),
  project: dnsLabel('ArgoCD project').default('default'),
});

export const clusterSchema = z.strictObject({
  name: dnsLabel('cluster name', 40),
  domain: dnsName,
  kubernetesVersion: z
    .union([z.string(), z.number()])
    .transform(String)
    .refine((v) => /^1\.\d{2}$/.test(v), { message: 'is not a Kubernetes minor version such as "1.31" (quote it in YAML)' }),
  argocd: argocdSchema,
});

export type ClusterSpec = z.output<typeof clusterSchema>;
