/**
 * What argocd-katas (read at 6cbd033) runs in a student's virtual cluster, pod by pod, for the
 * quota: resources as the manifests give them, none where they give none (the LimitRange fills
 * those in).
 */
export interface KataPod {
  readonly name: string;
  readonly replicas: number;
  readonly containers: readonly Resources[];
  readonly initContainers?: readonly Resources[];
}
type Resources = {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
};
export interface KataPart {
  readonly name: string;
  readonly pods: readonly KataPod[];
  readonly services: number;
  /** Sizes of its PersistentVolumeClaims. */
  readonly claims: readonly string[];
}

const none: Resources = {};

/**
 * ArgoCD as the slip installs it: argoproj/argo-cd v3.4.4 manifests/install.yaml, six
 * Deployments and the application controller's StatefulSet of one replica each, no container
 * with resources; dex, redis and repo-server have an init container; eight Services.
 */
export const ARGOCD_INSTALL = {
  version: 'v3.4.4',
  part: {
    name: 'ArgoCD',
    pods: [
      { name: 'argocd-application-controller', replicas: 1, containers: [none] },
      { name: 'argocd-applicationset-controller', replicas: 1, containers: [none] },
      { name: 'argocd-dex-server', replicas: 1, containers: [none], initContainers: [none] },
      { name: 'argocd-notifications-controller', replicas: 1, containers: [none] },
      { name: 'argocd-redis', replicas: 1, containers: [none], initContainers: [none] },
      { name: 'argocd-repo-server', replicas: 1, containers: [none], initContainers: [none] },
      { name: 'argocd-server', replicas: 1, containers: [none] },
    ],
    services: 8,
    claims: [],
  } satisfies KataPart,
} as const;

const quotesPod = (name: string): KataPod => ({
  name,
  replicas: 1,
  containers: [{ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } }],
});

/**
 * The heaviest exercise, applicationsets.md: ArgoCD, the quotes-flask app the exercises before
 * deployed (quotes-flask/k8s: three Deployments, three Services, a 5Gi claim) and, per labelled
 * pull request, helm-katas' examples/apps/http-server with the kata's parameters (two replicas,
 * the chart's default resources, one Service and an Ingress).
 */
export const HEAVIEST_ARGOCD_EXERCISE: readonly KataPart[] = [
  ARGOCD_INSTALL.part,
  { name: 'quotes-flask', pods: ['backend', 'frontend', 'postgres'].map(quotesPod), services: 3, claims: ['5Gi'] },
  {
    name: 'ApplicationSet todo app',
    pods: [
      {
        name: 'todo',
        replicas: 2,
        containers: [{ requests: { cpu: '500m', memory: '500Mi' }, limits: { cpu: '1', memory: '1000Mi' } }],
      },
    ],
    services: 1,
    claims: [],
  },
];
