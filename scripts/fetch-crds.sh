#!/usr/bin/env bash
# Downloads the upstream CRDs the tests validate against into $1, laid out like
# ../shared/crds. For CI runners that have the network but not ../shared.
set -euo pipefail
out=${1:?usage: fetch-crds.sh DIR}
fetch() { mkdir -p "$out/$1"; curl -fsSL --retry 3 -o "$out/$1/$(basename "$2")" "$2"; }
fetch argocd https://raw.githubusercontent.com/argoproj/argo-cd/stable/manifests/crds/application-crd.yaml
fetch argocd https://raw.githubusercontent.com/argoproj/argo-cd/stable/manifests/crds/appproject-crd.yaml
for kind in gatewayclasses gateways httproutes referencegrants; do
  fetch gateway-api "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_${kind}.yaml"
done
fetch karpenter https://raw.githubusercontent.com/aws/karpenter-provider-aws/main/pkg/apis/crds/karpenter.sh_nodepools.yaml
fetch karpenter https://raw.githubusercontent.com/aws/karpenter-provider-aws/main/pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml
fetch keda https://raw.githubusercontent.com/kedacore/keda/main/config/crd/bases/keda.sh_scaledobjects.yaml
