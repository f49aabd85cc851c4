import { ARGOCD, CHARTS, GATEWAY_API } from '../lib/facts/versions';

/** One upstream CRD file the tests validate against, and its folder under the CRDs folder (laid out like ../shared/crds). */
export interface PinnedCrd {
  readonly folder: string;
  readonly url: string;
}

const raw = (repo: string, tag: string, file: string) => `https://raw.githubusercontent.com/${repo}/${tag}/${file}`;

/**
 * The CRDs of the kinds dojo generates, at the releases lib/facts/versions.ts pins (the tag of
 * each project's release; KEDA's and Karpenter's charts carry their app's version).
 * scripts/fetch-crds.sh downloads them.
 */
export function pinnedCrds(): PinnedCrd[] {
  return [
    ...['application-crd.yaml', 'appproject-crd.yaml'].map((file) => ({
      folder: 'argocd',
      url: raw('argoproj/argo-cd', ARGOCD.appVersion, `manifests/crds/${file}`),
    })),
    ...['gatewayclasses', 'gateways', 'httproutes', 'referencegrants'].map((kind) => ({
      folder: 'gateway-api',
      url: raw('kubernetes-sigs/gateway-api', GATEWAY_API.version, `config/crd/standard/gateway.networking.k8s.io_${kind}.yaml`),
    })),
    ...['karpenter.sh_nodepools.yaml', 'karpenter.k8s.aws_ec2nodeclasses.yaml'].map((file) => ({
      folder: 'karpenter',
      url: raw('aws/karpenter-provider-aws', `v${CHARTS.karpenter.version}`, `pkg/apis/crds/${file}`),
    })),
    { folder: 'keda', url: raw('kedacore/keda', `v${CHARTS.keda.version}`, 'config/crd/bases/keda.sh_scaledobjects.yaml') },
  ];
}
