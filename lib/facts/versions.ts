/**
 * Every version dojo pins, in one place, so that a bump is one reviewed line and a re-synth.
 * Each version sits on the line after a `renovate:` comment, which renovate.json's regex
 * manager reads; a cluster file may pin other versions of the charts (`versions:`).
 */

/** code-server release the workstation image is built on (images/workstation/Dockerfile). */
// renovate: datasource=docker depName=codercom/code-server
export const CODE_SERVER_VERSION = '4.102.2';

/** Revision of dojo's own image on top of that release; bump when the Dockerfile changes. */
export const WORKSTATION_IMAGE_REVISION = '3';

/**
 * Version of the class board image (board/, images/board/Dockerfile); bump it with every change
 * there: the board-image workflow refuses to push over a tag that exists.
 */
export const BOARD_IMAGE_VERSION = '0.1.3';

/**
 * The sysbox installer image per range of Kubernetes minor versions (ARCHITECTURE.md, "Upstream facts": v0.6.6-0
 * accepts 1.28-1.31, v0.7.0-0 1.32-1.35). The manifest at an upstream tag does not always
 * name that tag's image, so the image is pinned here, not taken from the manifest. A bump
 * must keep each range true (renovate.json asks for approval).
 */
export const SYSBOX_INSTALLERS = [
  {
    // renovate: datasource=docker depName=registry.nestybox.com/nestybox/sysbox-deploy-k8s
    image: 'registry.nestybox.com/nestybox/sysbox-deploy-k8s:v0.6.6-0',
    fromMinor: 28,
    toMinor: 31,
  },
  {
    // renovate: datasource=docker depName=registry.nestybox.com/nestybox/sysbox-deploy-k8s
    image: 'registry.nestybox.com/nestybox/sysbox-deploy-k8s:v0.7.0-0',
    fromMinor: 32,
    toMinor: 35,
  },
] as const;

export interface ChartSource {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
}

/** The Helm charts of the platform's controllers. */
export const CHARTS = {
  karpenter: {
    // OCI registry: ArgoCD needs it registered as an OCI Helm repository (docs/platform-guide.md, "Bootstrap a cluster").
    repoURL: 'public.ecr.aws/karpenter',
    chart: 'karpenter',
    // renovate: datasource=docker depName=public.ecr.aws/karpenter/karpenter
    version: '1.8.1',
  },
  awsLoadBalancerController: {
    repoURL: 'https://aws.github.io/eks-charts',
    chart: 'aws-load-balancer-controller',
    // renovate: datasource=helm depName=aws-load-balancer-controller registryUrl=https://aws.github.io/eks-charts
    version: '1.14.0',
  },
  externalDns: {
    repoURL: 'https://kubernetes-sigs.github.io/external-dns',
    chart: 'external-dns',
    // renovate: datasource=helm depName=external-dns registryUrl=https://kubernetes-sigs.github.io/external-dns
    version: '1.19.0',
  },
  keda: {
    repoURL: 'https://kedacore.github.io/charts',
    chart: 'keda',
    // renovate: datasource=helm depName=keda registryUrl=https://kedacore.github.io/charts
    version: '2.18.0',
  },
  metricsServer: {
    repoURL: 'https://kubernetes-sigs.github.io/metrics-server',
    chart: 'metrics-server',
    // renovate: datasource=helm depName=metrics-server registryUrl=https://kubernetes-sigs.github.io/metrics-server
    version: '3.13.0',
  },
  /**
   * gateway mode: issues each course's wildcard certificate (ACME DNS-01 on the Route 53 zone).
   * 1.21 serves Kubernetes 1.33 to 1.36 (cert-manager.io/docs/releases).
   */
  certManager: {
    repoURL: 'https://charts.jetstack.io',
    chart: 'cert-manager',
    // renovate: datasource=helm depName=cert-manager registryUrl=https://charts.jetstack.io
    version: 'v1.21.1',
  },
  /**
   * vcluster mode: each student's virtual cluster (lib/plan/virtual-clusters/virtual-cluster.ts). The chart's
   * default image is the paid build; dojo sets the open-source one, ghcr.io/loft-sh/vcluster-oss,
   * at the chart's version.
   */
  vcluster: {
    repoURL: 'https://charts.loft.sh',
    chart: 'vcluster',
    // renovate: datasource=helm depName=vcluster registryUrl=https://charts.loft.sh
    version: '0.36.1',
  },
  /** The shared proxy of gateway mode: Gateway API and the katas' Ingresses in one. */
  traefik: {
    repoURL: 'https://traefik.github.io/charts',
    chart: 'traefik',
    // renovate: datasource=helm depName=traefik registryUrl=https://traefik.github.io/charts
    version: '38.0.2',
  },
  /**
   * A course's service mesh (`kubernetes.mesh`): Istio's CRDs, its CNI node agent and istiod,
   * from Istio's own Helm repository, all three at one version (synth refuses a cluster file
   * that pins them apart). Read at istio/istio tag 1.30.3 (manifests/charts).
   */
  istioBase: {
    repoURL: 'https://istio-release.storage.googleapis.com/charts',
    chart: 'base',
    // renovate: datasource=helm depName=base registryUrl=https://istio-release.storage.googleapis.com/charts
    version: '1.30.3',
  },
  istioCni: {
    repoURL: 'https://istio-release.storage.googleapis.com/charts',
    chart: 'cni',
    // renovate: datasource=helm depName=cni registryUrl=https://istio-release.storage.googleapis.com/charts
    version: '1.30.3',
  },
  istiod: {
    repoURL: 'https://istio-release.storage.googleapis.com/charts',
    chart: 'istiod',
    // renovate: datasource=helm depName=istiod registryUrl=https://istio-release.storage.googleapis.com/charts
    version: '1.30.3',
  },
} as const satisfies Record<string, ChartSource>;

export type ChartName = keyof typeof CHARTS;

/**
 * The observability tools each student of a mesh course gets in their namespace (the katas'
 * Kiali, Prometheus and Jaeger): the versions Istio 1.30.3 pairs with its release
 * (istio/istio 1.30.3 samples/addons/kiali.yaml, prometheus.yaml, jaeger.yaml).
 */
export const MESH_OBSERVABILITY_IMAGES = {
  // renovate: datasource=docker depName=quay.io/kiali/kiali
  kiali: 'quay.io/kiali/kiali:v2.26.0',
  // renovate: datasource=docker depName=docker.io/prom/prometheus
  prometheus: 'docker.io/prom/prometheus:v3.10.0',
  // renovate: datasource=docker depName=docker.io/jaegertracing/jaeger
  jaeger: 'docker.io/jaegertracing/jaeger:2.14.0',
} as const;

/**
 * The traefik.io CRDs (Middleware and the nine others Traefik's kubernetesCRD provider watches:
 * it fails to start without all ten, v3.6.6 pkg/provider/kubernetes/crd/client.go) from the
 * chart's own repo at the chart's tag: `traefik/crds/` of traefik/traefik-helm-chart at
 * `v<chart version>` is the chart's crds/ folder, whose Gateway API and Traefik Hub CRDs the
 * include leaves out (gateway-api-crds owns the former; dojo uses no Hub). One pin, the
 * chart's, moves both.
 */
export const TRAEFIK_CRDS = {
  repoURL: 'https://github.com/traefik/traefik-helm-chart.git',
  path: 'traefik/crds',
  include: 'traefik.io_*.yaml',
  revision: (chartVersion: string) => `v${chartVersion.replace(/^v/, '')}`,
} as const;

/**
 * Gateway API CRDs (standard channel) from the upstream repo. Traefik's chart ships older ones
 * in its crds/ (v1.4.0 in 38.0.2); the gateway-proxy Application skips them.
 */
export const GATEWAY_API = {
  repoURL: 'https://github.com/kubernetes-sigs/gateway-api.git',
  // renovate: datasource=github-releases depName=kubernetes-sigs/gateway-api
  version: 'v1.6.1',
} as const;

/**
 * ArgoCD, installed once per cluster at bootstrap from its Helm chart with the values synth
 * writes to bootstrap/<cluster>/argocd-values.yaml. Chart 10.1.1 is ArgoCD v3.4.4 (its
 * Chart.yaml appVersion; a test holds the two together): dojo needs 3.3 or later
 * (ARGOCD_MIN_VERSION).
 */
export const ARGOCD = {
  repoURL: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  // renovate: datasource=helm depName=argo-cd registryUrl=https://argoproj.github.io/argo-helm
  version: '10.1.1',
  appVersion: 'v3.4.4',
} as const;

/**
 * The oldest ArgoCD dojo's output works with: AppProject `clusterResourceWhitelist` entries
 * with `name` exist from 3.3, and older releases drop them, allowing any Namespace,
 * ClusterRole and NodePool to the courses.
 */
export const ARGOCD_MIN_VERSION = '3.3';

/** The eksctl release whose ClusterConfig schema bootstrap/<cluster>/eksctl.yaml is checked against. */
export const EKSCTL_MIN_VERSION = '0.230.0';

/** The login proxy in front of every workstation's IDE (lib/plan/login/login.ts). */
// renovate: datasource=docker depName=quay.io/oauth2-proxy/oauth2-proxy
export const OAUTH2_PROXY_IMAGE = 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.3';

/**
 * The Kubernetes of each virtual cluster, per minor version of the host: the same minor, so the
 * workstation's kubectl (built for the host's) stays within its skew. Images as vcluster 0.36.1
 * maps them (config/default_extra_values.go); a bump must keep each at its minor (renovate.json
 * asks for approval).
 */
export const VIRTUAL_KUBERNETES_IMAGES = [
  {
    minor: 31,
    // renovate: datasource=docker depName=ghcr.io/loft-sh/kubernetes
    image: 'ghcr.io/loft-sh/kubernetes:v1.31.1',
  },
  {
    minor: 32,
    // renovate: datasource=docker depName=ghcr.io/loft-sh/kubernetes
    image: 'ghcr.io/loft-sh/kubernetes:v1.32.1',
  },
  {
    minor: 33,
    // renovate: datasource=docker depName=ghcr.io/loft-sh/kubernetes
    image: 'ghcr.io/loft-sh/kubernetes:v1.33.4',
  },
  {
    minor: 34,
    // renovate: datasource=docker depName=ghcr.io/loft-sh/kubernetes
    image: 'ghcr.io/loft-sh/kubernetes:v1.34.0',
  },
] as const;
