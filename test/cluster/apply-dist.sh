#!/usr/bin/env bash
# Applies one environment of dist/ to the cluster in $KUBECONFIG the way ArgoCD would
# (server-side apply, field manager argocd-controller): the CRDs under /work/shared/crds
# (or $DOJO_CRDS) and cert-manager's (Go module proxy), then every object of DISTDIR one by
# one in ArgoCD's order (apply-plan.mjs), namespaces first. Records each refusal and warning,
# the Warning events the controllers raised (e.g. pods a StatefulSet could not create), and
# what still differs afterwards.
#
#   test/cluster/start.sh /tmp/c-example -- test/cluster/apply-dist.sh dist/example
#
# Results: $KUBECONFIG's dir/apply/results.tsv (seq, source file#doc, kind, namespace/name,
# ok|warning|refused, message), events.txt and drift.txt; a summary on stdout.
# Exits 0 even with refusals.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
[[ $# -ge 1 ]] || { echo "usage: $0 DISTDIR..." >&2; exit 2; }
: "${KUBECONFIG:?run under start.sh WORKDIR -- $0 DISTDIR}"
crds="${DOJO_CRDS:-/work/shared/crds}"
out="$(dirname "$KUBECONFIG")/apply"
rm -rf "$out"
mkdir -p "$out/objects"
dists=()
for d in "$@"; do dists+=("$(cd "$d" && pwd)"); done

# ArgoCD's application controller applies, and dist/'s ValidatingAdmissionPolicies exempt exactly
# that user: impersonate it (the harness binds it to cluster-admin, as ArgoCD's install does with
# its */* ClusterRole). DOJO_APPLY_AS=admin applies as the kubeconfig's system:masters user instead.
as="${DOJO_APPLY_AS:-system:serviceaccount:argocd:argocd-application-controller}"
ssa=(kubectl apply --server-side --field-manager=argocd-controller)
created_ns=()
impersonate=()
if [[ "$as" != admin ]]; then
  kubectl get namespace argocd >/dev/null 2>&1 || { kubectl create namespace argocd >/dev/null; created_ns+=(argocd); }
  kubectl -n argocd create serviceaccount argocd-application-controller --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl create clusterrolebinding dojo-harness-argocd-application-controller --clusterrole=cluster-admin \
    --serviceaccount=argocd:argocd-application-controller --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  impersonate=(--as="$as" --as-group=system:serviceaccounts --as-group=system:serviceaccounts:argocd --as-group=system:authenticated)
  ssa+=("${impersonate[@]}")
  echo "== applying as $as (namespace argocd, its ServiceAccount and a cluster-admin binding created by the harness)"
fi
t0=$(date +%s)

echo "== CRDs from $crds"
"${ssa[@]}" -R -f "$crds" 2>&1 | sed 's/^/  /'
# cert-manager's chart installs its CRDs, which /work/shared/crds lacks: take them from the
# github.com/cert-manager/cert-manager Go module (deploy/crds, controller-gen output) at the
# chart version the environment's cert-manager Application pins. DOJO_CERT_MANAGER_CRDS=0 skips.
for d in "${dists[@]}"; do
  app="$d/apps/cert-manager.yaml"
  [[ "${DOJO_CERT_MANAGER_CRDS:-1}" == 1 && -f "$app" ]] || continue
  rev="$(awk '$1 == "targetRevision:" { print $2; exit }' "$app")"
  dir="$(cd /tmp && GOTOOLCHAIN=local GOFLAGS= go mod download -json "github.com/cert-manager/cert-manager@$rev" |
    awk -F'"' '$2 == "Dir" { print $4 }')"
  echo "== cert-manager $rev CRDs from the Go module proxy ($dir/deploy/crds)"
  "${ssa[@]}" -f <(for f in "$dir"/deploy/crds/*.yaml; do cat "$f"; echo; done) 2>&1 | sed 's/^/  /'
done
kubectl wait --for condition=established --timeout=60s crd --all >/dev/null

(cd "$repo" && node "$here/apply-plan.mjs" "$out/objects" "${dists[@]}") >"$out/plan.tsv"
echo "== $(wc -l <"$out/plan.tsv") objects from ${dists[*]}"

# Namespaces the objects or their Applications' destinations name but dist/ does not define:
# ArgoCD's CreateNamespace=true or the bootstrap creates those; the harness creates them here.
declare -A defined=()
while IFS=$'\t' read -r seq file src kind ns name defns app appwave wave; do
  [[ "$kind" == Namespace ]] && defined["$name"]=1
done <"$out/plan.tsv"
needed=$(awk -F'\t' '$4 != "Namespace" { if ($5 != "-") print $5; else if ($7 != "-") print $7 }' "$out/plan.tsv" | sort -u)

printf 'seq\tsource\tkind\tobject\tresult\tmessage\n' >"$out/results.tsv"
n_ok=0 n_warn=0 n_ref=0
apply_one() {
  local seq=$1 file=$2 src=$3 kind=$4 ns=${5#-} name=$6 defns=${7#-}
  local args=() msg rc=0
  [[ -z "$ns" && -n "$defns" ]] && args=(-n "$defns")
  msg="$("${ssa[@]}" "${args[@]}" -f "$file" 2>&1)" || rc=$?
  local problems
  problems="$(grep -vE ' serverside-applied$' <<<"$msg" || true)"
  local result=ok
  if ((rc != 0)); then
    result=refused
    n_ref=$((n_ref + 1))
  elif [[ -n "$problems" ]]; then
    result=warning
    n_warn=$((n_warn + 1))
  else
    n_ok=$((n_ok + 1))
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$seq" "$src" "$kind" "${ns:-${defns:-}}/$name" "$result" \
    "$(tr '\n' ' ' <<<"$problems" | sed 's/ *$//')" >>"$out/results.tsv"
  if [[ "$result" != ok ]]; then
    echo "-- $result: $kind ${ns:-${defns:-}}/$name ($src)"
    sed 's/^/   /' <<<"$problems"
  fi
}

namespaces_done=0
while IFS=$'\t' read -r seq file src kind ns name defns app appwave wave; do
  if [[ "$kind" != Namespace && $namespaces_done == 0 ]]; then
    namespaces_done=1
    for n in $needed; do
      if [[ -z "${defined[$n]:-}" ]] && ! kubectl get namespace "$n" >/dev/null 2>&1; then
        kubectl create namespace "$n" >/dev/null
        created_ns+=("$n")
      fi
    done
    echo "== namespaces not in dist, created by the harness: ${created_ns[*]:-(none)}"
  fi
  apply_one "$seq" "$file" "$src" "$kind" "$ns" "$name" "$defns"
done <"$out/plan.tsv"

echo "== applied in $(($(date +%s) - t0))s: $n_ok ok, $n_warn with warnings, $n_ref refused"
# Give the controllers (statefulset, deployment, replicaset, daemonset...) time to act.
sleep "${DOJO_SETTLE_SECONDS:-20}"
kubectl get events -A --field-selector type=Warning --sort-by=.lastTimestamp \
  -o custom-columns='NAMESPACE:.metadata.namespace,OBJECT:.involvedObject.kind,NAME:.involvedObject.name,REASON:.reason,COUNT:.count,MESSAGE:.message' \
  >"$out/events.txt" 2>&1 || true
echo "== Warning events after ${DOJO_SETTLE_SECONDS:-20}s ($(($(wc -l <"$out/events.txt") - 1))), distinct (reason, message):"
# Grouped by involved kind, reason and message, with the namespace, name and count left out.
awk 'NR > 1 { $1 = ""; $3 = ""; $5 = ""; print }' "$out/events.txt" | sed -E 's/^ +//; s/ +/ /g' |
  sort | uniq -c | sort -rn | head -50

# Drift: what ArgoCD's server-side diff (which forces conflicts) would report right after the
# sync, controllers and admission having run: `kubectl diff --server-side` of each accepted
# object. A diff here is an Application that never stays Synced, or that self-heal re-applies.
: >"$out/drift.txt"
n_drift=0
while IFS=$'\t' read -r seq src kind obj result msg; do
  [[ "$seq" == seq || "$result" == refused ]] && continue
  file="$out/objects/$seq.yaml"
  ns="${obj%%/*}"
  args=()
  grep -qE '^  namespace:' "$file" || [[ -z "$ns" ]] || args=(-n "$ns")
  rc=0
  d="$(kubectl diff --server-side --force-conflicts --field-manager=argocd-controller "${impersonate[@]}" "${args[@]}" -f "$file" 2>&1)" || rc=$?
  if ((rc != 0)); then
    n_drift=$((n_drift + 1))
    { echo "### $kind $obj ($src) exit $rc"; echo "$d"; } >>"$out/drift.txt"
  fi
done <"$out/results.tsv"
echo "== kubectl diff --server-side after the sync: $n_drift objects differ (details in $out/drift.txt)"
grep '^### ' "$out/drift.txt" | head -40 || true
echo "== results: $out/results.tsv, $out/events.txt, $out/drift.txt"
