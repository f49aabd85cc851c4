import { z } from 'zod';
import { dnsLabel, dnsName, publicHttpsUrl } from './names';

const argocdSchema = z.strictObject({
  repoURL: z.string().min(1).describe('Git repo ArgoCD reads dist/ from (your fork of this template).'),
  targetRevision: z.string().min(1).default('main').describe('Branch, tag or commit ArgoCD follows.'),
  namespace: dnsLabel('namespace').default('argocd').describe('Namespace ArgoCD runs in.'),
  destinationServer: publicHttpsUrl.default('https://kubernetes.default.svc').describe('API server ArgoCD deploys to.'),
  project: dnsLabel('ArgoCD project').default('default').describe('ArgoCD project of the Applications.'),
});

export const clusterSchema = z.strictObject({
  name: dnsLabel('cluster name', 40).describe('Cluster id, used in dist/<cluster>/ and by courses.'),
  domain: dnsName.describe('DNS zone under which courses get <student>.<course>.<domain>.'),
  kubernetesVersion: z
    .union([z.string(), z.number()])
    .transform(String)
    .refine((v) => /^1\.\d{2}$/.test(v), { message: 'is not a Kubernetes minor version such as "1.31" (quote it in YAML)' })
    .describe('Kubernetes minor version of the cluster, quoted: "1.31".'),
  argocd: argocdSchema.describe('Where ArgoCD runs and which repo it follows.'),
});

export type ClusterSpec = z.output<typeof clusterSchema>;
