#!/usr/bin/env bash
# npm run test:cluster: every cluster of dist/ on a real control plane, then the admission and
# scheduling suites when they exist.
#   build (build.sh) -> per dist/<cluster>: start, apply dist + add-ons (apply-dist.sh: refusals,
#   warnings vs known-warnings.txt, drift, idempotence), prune (a temp copy of the repo without the
#   cluster's first course, synthesised, applied; the old-minus-new objects deleted and checked
#   gone, Prune=false ones kept), stop -> test/cluster/admission/run.ts (in a started cluster)
#   -> test/cluster/preemption/run.sh, test/cluster/checks/run.ts and test/cluster/scheduling/run.sh
#   (in DOJO_CLUSTER_KWOK=1 start.sh).
# Prints each phase with its time and a last line `N passed, M failed`; exits 1 on any failure.
# Env: DOJO_TEST_CLUSTER_WORK (default a mktemp dir, removed at the end unless DOJO_KEEP_WORK=1),
# DOJO_SETTLE_SECONDS (default here 10), DOJO_CLUSTER_SUITES=0 (skip admission and scheduling),
# and apply-dist.sh's.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
work="${DOJO_TEST_CLUSTER_WORK:-$(mktemp -d /tmp/dojo-test-cluster.XXXXXX)}"
mkdir -p "$work"
checks="$work/checks.txt"
: >"$checks"
export DOJO_SETTLE_SECONDS="${DOJO_SETTLE_SECONDS:-10}"
export DOJO_CRDS_DIR="${DOJO_CRDS_DIR:-$repo/../shared/crds}"
export DOJO_CHARTS_DIR="${DOJO_CHARTS_DIR:-$repo/../shared/charts}"
t0=$(date +%s.%N)
el() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }
phase_start=
phase() { phase_start=$(date +%s.%N); echo "=== [$(el "$t0")s] $*"; }
phase_end() { echo "=== [$(el "$t0")s] $1: $(el "$phase_start")s"; }
check() { # check OK|FAIL name
  echo "check: $([[ $1 == 0 ]] && echo PASS || echo FAIL) $2" | tee -a "$checks"
}

# Every start.sh this script runs is in its own process group: stopped on exit, failure or Ctrl-C.
running=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for w in "${running[@]}"; do [[ -f "$w/start.pid" ]] && "$here/stop.sh" "$w" >/dev/null 2>&1; done
  local p=$(grep -c '^check: PASS' "$checks" 2>/dev/null || true) f=$(grep -c '^check: FAIL' "$checks" 2>/dev/null || true)
  ((rc == 0 || f > 0)) || { echo "check: FAIL run.sh exited $rc" >>"$checks"; f=$((f + 1)); }
  echo "=== total $(el "$t0")s; work in $work"
  grep '^check: FAIL' "$checks" | cut -c1-300 || true
  [[ "${DOJO_KEEP_WORK:-0}" == 1 || -n "${DOJO_TEST_CLUSTER_WORK:-}" ]] || rm -rf "$work"
  echo "$p passed, $f failed"
  ((f == 0 && rc == 0)) && exit 0 || exit 1
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

in_cluster() { # in_cluster WORK CMD...: start.sh WORK -- CMD in the background, waited for (Ctrl-C stops it)
  local w=$1
  shift
  running+=("$w")
  "$here/start.sh" "$w" -- "$@" &
  local pid=$!
  wait "$pid"
}

phase build
bin="$("$here/build.sh" | tail -1)"
check $? "build: control plane binaries"
export DOJO_CLUSTER_BIN="$bin"
phase_end build

# Per cluster: apply, then prune in the same cluster.
cluster_run() { # inside start.sh: cluster_run DISTDIR WORK
  local dist=$1 w=$2 cluster
  cluster=$(basename "$dist")
  local s=$(date +%s.%N)
  echo "=== [$(el "$t0")s] $cluster: apply dist + add-ons"
  DOJO_APPLY_OUT="$w/apply" DOJO_CHECKS_FILE= "$here/apply-dist.sh" "$dist" 2>&1 | grep -v '^  .* serverside-applied$'
  cat "$w/apply/checks.txt" >>"$checks"
  echo "=== [$(el "$t0")s] $cluster: apply, checks: $(el "$s")s"

  s=$(date +%s.%N)
  echo "=== [$(el "$t0")s] $cluster: prune (a course removed)"
  local tmp="$w/repo"
  rm -rf "$tmp" && mkdir -p "$tmp"
  cp -r "$repo/courses" "$repo/clusters" "$tmp/"
  [[ -d "$repo/checks" ]] && cp -r "$repo/checks" "$tmp/"
  # The cluster's first course (by name), found in the temp repo: never a hard-coded name.
  local course file
  course=$(grep -l "^cluster: $cluster\$" "$tmp"/courses/*.yaml 2>/dev/null | grep -v '\.passwords\.yaml$' |
    xargs -r -n1 awk '$1 == "name:" { print $2; exit }' | sort | head -1)
  if [[ -z "$course" ]]; then
    echo "check: FAIL $cluster prune: no course of cluster $cluster in courses/" >>"$checks"
    return
  fi
  file=$(grep -l "^name: $course\$" "$tmp"/courses/*.yaml | grep -v '\.passwords\.yaml$' | head -1)
  rm -f "$file" "${file%.yaml}.passwords.yaml"
  echo "  removed course $course ($(basename "$file")) from a copy of courses/ in $tmp"
  if ! npm run --silent synth -- "$tmp" >"$w/synth.log" 2>&1; then
    echo "check: FAIL $cluster prune: npm run synth -- $tmp failed (see $w/synth.log)" >>"$checks"
    tail -20 "$w/synth.log"
    return
  fi
  DOJO_APPLY_OUT="$w/apply-pruned" DOJO_SETTLE_SECONDS=0 "$here/apply-dist.sh" "$tmp/dist/$cluster" 2>&1 |
    grep -E '^== (\[|applied|checks)|^check: FAIL|^render: SKIP'
  # Only the apply of the new dist counts here (its warnings and refusals were checked above).
  grep '^check: FAIL' "$w/apply-pruned/checks.txt" | grep -v 'idempotent\|drift\|warnings\|nothing refused' >>"$checks" || true
  DOJO_CHECKS_FILE="$checks" node "$w/apply-pruned/sync.js" prune "$w" "$w/apply/state.json" "$w/apply-pruned/state.json" "$course" |
    sed 's/^check: \(PASS\|FAIL\) /check: \1 '"$cluster"' /'
  echo "=== [$(el "$t0")s] $cluster: prune: $(el "$s")s"
}
export -f cluster_run el
export t0 here checks repo

for dist in dist/*/; do
  dist=${dist%/}
  cluster=$(basename "$dist")
  [[ -d "$dist/apps" ]] || continue
  phase "$cluster: start + apply + checks + prune + stop"
  in_cluster "$work/$cluster" bash -c 'cluster_run "$0" "$1"' "$repo/$dist" "$work/$cluster"
  rc=$?
  ((rc == 0)) || echo "check: FAIL $cluster: the cluster run exited $rc" >>"$checks"
  phase_end "$cluster"
done

# suite NAME FILE WORK CMD...: when test/cluster/FILE exists, CMD in a cluster of its own (WORK),
# one check; the caller's environment (DOJO_ADDONS, DOJO_CLUSTER_KWOK) goes with it.
suite() {
  local name=$1 file=$2 w=$3
  shift 3
  if [[ ! -e "$here/$file" ]]; then
    echo "=== $name: test/cluster/$file not there, skipped"
    return
  fi
  phase "$name: test/cluster/$file"
  in_cluster "$w" "$@"
  check $? "$name: test/cluster/$file"
  phase_end "$name"
}

if [[ "${DOJO_CLUSTER_SUITES:-1}" == 0 ]]; then
  echo "=== admission, preemption, checks, scheduling: skipped (DOJO_CLUSTER_SUITES=0)"
else
  # dojo's own objects only: the add-ons' webhooks have no pods here and would refuse every
  # Service and Ingress before dojo's policies are asked (docs/development.md, "Tested on a real control plane").
  DOJO_ADDONS=0 suite admission admission/run.ts "$work/admission" node "$repo/bin/run.cjs" test/cluster/admission/run.ts
  DOJO_ADDONS=0 DOJO_CLUSTER_KWOK=1 suite mesh mesh/run.ts "$work/mesh" node "$repo/bin/run.cjs" test/cluster/mesh/run.ts
  # The PriorityClasses are the same on every cluster: the first one of dist/ is enough.
  first=$(ls -d dist/*/apps 2>/dev/null | head -1)
  if [[ -n "$first" ]]; then
    DOJO_CLUSTER_KWOK=1 suite preemption preemption/run.sh "$work/preemption" \
      "$here/preemption/run.sh" "$repo/$(dirname "$first")"
  fi
  # argocd-katas' ArgoCD inside a control plane, its pods as the virtual cluster syncs them on a second (the host).
  DOJO_CLUSTER_KWOK=1 suite argocd argocd/run.ts "$work/argocd" node "$repo/bin/run.cjs" test/cluster/argocd/run.ts
  # Every kata check against its reference solution, applied as the student would.
  DOJO_CLUSTER_KWOK=1 suite checks checks/run.ts "$work/checks" node "$repo/bin/run.cjs" test/cluster/checks/run.ts
  # A class wakes on every cluster of dist/, whatever a fork calls them.
  for dist in dist/*/; do
    dist=${dist%/}
    cluster=$(basename "$dist")
    [[ -d "$dist/apps" ]] || continue
    DOJO_CLUSTER_KWOK=1 suite "scheduling $cluster" scheduling/run.sh "$work/scheduling-$cluster" \
      "$here/scheduling/run.sh" "$repo/$dist"
  done
fi
