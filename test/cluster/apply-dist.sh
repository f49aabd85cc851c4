#!/usr/bin/env bash
# Applies one cluster's dist/ to the cluster in $KUBECONFIG the way ArgoCD would, with its add-ons:
#   1. CRDs of $DOJO_CRDS_DIR that no add-on brings (ArgoCD's own...), then Established;
#   2. the add-ons: every Application with a Helm chart (or an outside git folder) rendered with
#      helm from $DOJO_CHARTS_DIR as ArgoCD renders it (sync.ts render); a missing chart is named
#      and skipped;
#   3. every object of DISTDIR and of the add-ons, one request each, in ArgoCD's order
#      (namespaces, then each Application's objects by the Application's sync wave; inside one:
#      hook phase, wave, kind order, name), server-side apply as argocd-application-controller
#      (field manager argocd-controller, conflicts forced); CRDs waited for until Established;
#   4. checks: nothing refused (a webhook whose pods cannot run here is listed, not failed),
#      every warning in known-warnings.txt, no drift after $DOJO_SETTLE_SECONDS (server-side
#      dry-run apply vs live), the second apply changes nothing (no resourceVersion moves).
#
#   test/cluster/start.sh /tmp/c-example -- test/cluster/apply-dist.sh dist/example
#
# Env: DOJO_CRDS_DIR (default <repo>/../shared/crds; DOJO_CRDS still read), DOJO_CHARTS_DIR
# (default <repo>/../shared/charts), DOJO_ADDONS=0 (dist only), DOJO_APPLY_AS=admin,
# DOJO_SETTLE_SECONDS (20), DOJO_APPLY_OUT (default $KUBECONFIG's dir/apply),
# DOJO_APPLY_STRICT=1 (exit 1 when a check fails; default: report and exit 0, as before).
# Results in the out dir: results.tsv (seq, source, kind, object, ok|warning|refused, verbatim
# messages), checks.txt, drift.txt, events.txt, state.json (for a prune), addons/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
[[ $# -ge 1 ]] || { echo "usage: $0 DISTDIR..." >&2; exit 2; }
: "${KUBECONFIG:?run under start.sh WORKDIR -- $0 DISTDIR}"
export DOJO_CRDS_DIR="${DOJO_CRDS_DIR:-${DOJO_CRDS:-$repo/../shared/crds}}"
export DOJO_CHARTS_DIR="${DOJO_CHARTS_DIR:-$repo/../shared/charts}"
out="${DOJO_APPLY_OUT:-$(dirname "$KUBECONFIG")/apply}"
rm -rf "$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
export DOJO_CHECKS_FILE="$out/checks.txt"
: >"$DOJO_CHECKS_FILE"
dists=()
for d in "$@"; do dists+=("$(cd "$d" && pwd)"); done
t0=$(date +%s.%N)
el() { awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { printf "%.1f", a - b }'; }

# sync.ts, bundled (esbuild) into the out dir: bin/run.cjs's cache does not watch test/cluster/.
cd "$repo"
"$repo/node_modules/.bin/esbuild" "$here/sync.ts" --bundle --platform=node --format=cjs --target=node20 \
  --log-level=error --outfile="$out/sync.js"

# ArgoCD's application controller applies, and dist/'s ValidatingAdmissionPolicies exempt exactly
# that user: the harness binds it to cluster-admin, as ArgoCD's install does with its */* ClusterRole.
if [[ "${DOJO_APPLY_AS:-}" != admin ]]; then
  kubectl get namespace argocd >/dev/null 2>&1 || kubectl create namespace argocd >/dev/null
  kubectl -n argocd create serviceaccount argocd-application-controller --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl create clusterrolebinding dojo-harness-argocd-application-controller --clusterrole=cluster-admin \
    --serviceaccount=argocd:argocd-application-controller --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  echo "== applying as system:serviceaccount:argocd:argocd-application-controller (namespace argocd, its ServiceAccount and a cluster-admin binding created by the harness)"
fi
ssa=(kubectl apply --server-side --force-conflicts --field-manager=argocd-controller)

mkdir -p "$out/addons"
if [[ "${DOJO_ADDONS:-1}" != 0 ]]; then
  echo "== [$(el)s] rendering add-ons (charts: $DOJO_CHARTS_DIR)"
  node "$out/sync.js" render "$out/addons" "${dists[@]}" | sed 's/^/  /'
else
  echo '[]' >"$out/addons/index.json"
  for f in $(find "$DOJO_CRDS_DIR" -name '*.yaml' | sort); do cat "$f"; echo '---'; done >"$out/addons/crds-not-rendered.yaml"
  # dist's own objects of add-on kinds (the sign-in Middlewares) need those add-ons' CRDs still.
  node "$out/sync.js" git-crds "${dists[@]}" >>"$out/addons/crds-not-rendered.yaml"
fi
echo "== [$(el)s] CRDs from $DOJO_CRDS_DIR that no add-on brings"
if [[ -s "$out/addons/crds-not-rendered.yaml" ]]; then
  "${ssa[@]}" -f "$out/addons/crds-not-rendered.yaml" 2>&1 | sed 's/^/  /'
fi
# cert-manager's CRDs when its chart could not be rendered: from the Go module proxy
# (github.com/cert-manager/cert-manager deploy/crds) at the version its Application pins.
for d in "${dists[@]}"; do
  app="$d/apps/cert-manager.yaml"
  [[ -f "$app" ]] || continue
  grep -q '"app": "cert-manager"' "$out/addons/index.json" && continue
  rev="$(awk '$1 == "targetRevision:" { print $2; exit }' "$app")"
  dir="$(cd /tmp && GOTOOLCHAIN=local GOFLAGS= go mod download -json "github.com/cert-manager/cert-manager@$rev" |
    awk -F'"' '$2 == "Dir" { print $4 }')"
  echo "== cert-manager $rev not rendered: its CRDs from the Go module proxy ($dir/deploy/crds)"
  "${ssa[@]}" -f <(for f in "$dir"/deploy/crds/*.yaml; do cat "$f"; echo; done) 2>&1 | sed 's/^/  /'
done
kubectl wait --for condition=established --timeout=60s crd --all >/dev/null 2>&1 || true

echo "== [$(el)s] sync"
node "$out/sync.js" apply "$out" "${dists[@]}"
echo "== [$(el)s] done"
kubectl get events -A --field-selector type=Warning --sort-by=.lastTimestamp \
  -o custom-columns='NAMESPACE:.metadata.namespace,OBJECT:.involvedObject.kind,NAME:.involvedObject.name,REASON:.reason,COUNT:.count,MESSAGE:.message' \
  >"$out/events.txt" 2>&1 || true
echo "== Warning events ($(($(wc -l <"$out/events.txt") - 1))), distinct (kind, reason, message):"
awk 'NR > 1 { $1 = ""; $3 = ""; $5 = ""; print }' "$out/events.txt" | sed -E 's/^ +//; s/ +/ /g' |
  sort | uniq -c | sort -rn | head -20
failed=$(grep -c '^check: FAIL' "$DOJO_CHECKS_FILE" || true)
echo "== checks: $(grep -c '^check: PASS' "$DOJO_CHECKS_FILE" || true) passed, $failed failed ($DOJO_CHECKS_FILE); results in $out"
if [[ "${DOJO_APPLY_STRICT:-0}" == 1 && "$failed" != 0 ]]; then exit 1; fi
exit 0
