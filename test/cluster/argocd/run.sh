#!/usr/bin/env bash
# argocd-katas' ArgoCD on real control planes (see run.ts): bundles run.ts with esbuild beside
# $KUBECONFIG (bin/run.cjs's bundle cache does not watch this folder) and runs it from the repo.
#   DOJO_CLUSTER_KWOK=1 test/cluster/start.sh /tmp/argocd-work -- test/cluster/argocd/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
: "${KUBECONFIG:?run under DOJO_CLUSTER_KWOK=1 test/cluster/start.sh WORK -- $0}"
out="$(dirname "$KUBECONFIG")/argocd-run.js"
cd "$repo"
"$repo/node_modules/.bin/esbuild" "$here/run.ts" --bundle --platform=node --format=cjs --target=node20 \
  --external:playwright-core --external:esbuild --log-level=error --outfile="$out"
exec node "$out" "$@"
