#!/usr/bin/env bash
# "Pods get nodes for real" (issue 29, item 5): applies dist/<cluster> to the test cluster, runs
# Karpenter's kwok provider against it, wakes a full class the way KEDA's cron triggers would and
# checks where every pod landed and how many nodes Karpenter made per NodePool against dojo's
# capacity plan (the NodePools' dojo.training/planned-* annotations).
#
#   DOJO_CLUSTER_KWOK=1 test/cluster/start.sh /tmp/c-sched -- test/cluster/scheduling/run.sh dist/<cluster>
#
# What the harness does that the real cluster's components would (each is printed as it happens):
#   - NodePools: deleted and created again with spec.template.spec.nodeClassRef naming a
#     KWOKNodeClass (same name) instead of the EC2NodeClass; nothing else of them changes.
#     (nodeClassRef's group and kind are immutable, so an update is refused.)
#   - instance types: the AWS types of the families dojo's NodePools allow, with AWS's
#     karpenter.k8s.aws/* labels and AWS Karpenter's allocatable (prepare.mjs).
#   - the eksctl managed node group: kwok-managed Nodes with its labels and taints.
#   - sysbox-deploy-k8s: removes the sysbox-runtime startup taint and labels sysbox-runtime=running
#     once its DaemonSet pod runs on the node (kwok "runs" it; nothing is installed).
#   - the EBS CSI provisioner: a PV for each WaitForFirstConsumer claim the scheduler picked a node for.
#   - KEDA: scales the pre-warm Deployments and the workstation StatefulSets (KEDA does not run).
# Output: one PASS/FAIL line per check, phase timings, then exactly "N passed, M failed".
# Files: WORK/scheduling/ (prepared inputs, snapshots, logs of the helpers), WORK/logs/karpenter.log.
# Env: DOJO_SCHEDULING_TIMEOUT (s, per wait, default 300), DOJO_OVERLAP_SECONDS (default 30),
#      DOJO_KATAS=0 (no kata workloads), DOJO_SETTLE_SECONDS (passed to apply-dist.sh, default 5).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
: "${KUBECONFIG:?run under: DOJO_CLUSTER_KWOK=1 test/cluster/start.sh WORK -- $0 DISTDIR}"
[[ $# -ge 1 ]] || { echo "usage: $0 DISTDIR (a cluster folder of dist/)" >&2; exit 2; }
dist="$(cd "$1" && pwd)"
cluster="$(basename "$dist")"
bootstrap="$repo/bootstrap/$cluster"
work="$(dirname "$KUBECONFIG")"
out="$work/scheduling"
rm -rf "$out"
mkdir -p "$out" "$work/logs"
timeout_s="${DOJO_SCHEDULING_TIMEOUT:-300}"
overlap_s="${DOJO_OVERLAP_SECONDS:-30}"
export GOTOOLCHAIN=local

t_start=$(date +%s.%N)
now() { awk -v a="$(date +%s.%N)" -v b="$t_start" 'BEGIN { printf "%.1f", a - b }'; }
say() { echo "[$(now)s] $*"; }
phases=()
phase_t=""
phase_name=""
phase() { # phase NAME: ends the previous phase, starts this one
  local t
  t=$(date +%s.%N)
  if [[ -n "$phase_name" ]]; then
    phases+=("$(printf '%-44s %7.1fs' "$phase_name" "$(awk -v a="$t" -v b="$phase_t" 'BEGIN { print a - b }')")")
  fi
  phase_name="$1"
  phase_t=$t
  if [[ -n "$1" ]]; then echo; echo "=== $1"; fi
}

n_pass=0
n_fail=0
tally() { # reads check.mjs output, echoes it, counts PASS/FAIL
  local line
  while IFS= read -r line; do
    echo "$line"
    case "$line" in PASS*) n_pass=$((n_pass + 1)) ;; FAIL*) n_fail=$((n_fail + 1)) ;; esac
  done
}
pass() { tally <<<"PASS $*"; }
fail() { tally <<<"FAIL $*"; }

bg_pids=()
cleanup() {
  local rc=$? p
  for ((i = ${#bg_pids[@]} - 1; i >= 0; i--)); do
    p=${bg_pids[i]}
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  local p
  while true; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

snapshot() { # snapshot DIR
  mkdir -p "$1"
  kubectl get nodes -o json >"$1/nodes.json"
  kubectl get pods -A -o json >"$1/pods.json"
  kubectl get nodeclaims -o json >"$1/nodeclaims.json"
  kubectl get events -A --field-selector type=Warning --sort-by=.lastTimestamp >"$1/warning-events.txt" 2>&1 || true
}
nodes_per_pool() {
  kubectl get nodes --no-headers -o 'custom-columns=P:.metadata.labels.karpenter\.sh/nodepool,G:.metadata.labels.eks\.amazonaws\.com/nodegroup' |
    awk '{ pool = ($1 != "<none>") ? $1 : "eksctl:" $2; c[pool]++ } END { for (p in c) printf "%s=%d ", p, c[p]; print "" }' | tr -s ' ' 
}
# wait_until DESCRIPTION COMMAND...: runs COMMAND every 2s until it succeeds or the timeout passes.
wait_until() {
  local what=$1 t0
  shift
  t0=$(date +%s)
  while ! "$@" >/dev/null 2>&1; do
    if (($(date +%s) - t0 >= timeout_s)); then
      say "timed out after ${timeout_s}s waiting for: $what"
      return 1
    fi
    sleep 2
  done
  say "$what ($(($(date +%s) - t0))s)"
}
count_pods() { # count_pods SELECTOR FIELD-SELECTOR
  kubectl get pods -A -l "$1" --field-selector "$2" --no-headers 2>/dev/null | wc -l
}
none_unbound() { # none_unbound SELECTOR: every pod of SELECTOR is Running (kwok runs bound pods)
  local total running
  total=$(kubectl get pods -A -l "$1" --no-headers 2>/dev/null | wc -l)
  running=$(count_pods "$1" status.phase=Running)
  ((total > 0 && total == running && total >= ${2:-0}))
}
none_left() { # none_left SELECTOR: no pod of SELECTOR is left
  (($(kubectl get pods -A -l "$1" --no-headers 2>/dev/null | wc -l) == 0))
}
nothing_pending() { (($(kubectl get pods -A --field-selector status.phase=Pending --no-headers 2>/dev/null | wc -l) == 0)); }

if [[ -n "$(kubectl get nodes -o name 2>/dev/null)" ]]; then
  echo "run.sh: the cluster already has Nodes: start.sh keeps WORK/etcd between runs; use a fresh WORK dir" >&2
  exit 2
fi

# ================================================================ 1. apply dist
phase "apply $cluster (test/cluster/apply-dist.sh)"
DOJO_SETTLE_SECONDS="${DOJO_SETTLE_SECONDS:-5}" "$here/../apply-dist.sh" "$dist" >"$out/apply.log" 2>&1 || {
  tail -30 "$out/apply.log"
  fail "apply-dist.sh $dist exited non-zero (see $out/apply.log)"
}
grep -E '^== (applied|kubectl diff)' "$out/apply.log" | sed 's/^/  /' || true

# ================================================================ 2. prepare nodes for kwok
phase "prepare: Karpenter CRDs, KWOKNodeClass, NodePools, system nodes"
kmod="$(cd "$here/../karpenter" && GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' sigs.k8s.io/karpenter)"
(cd "$repo" && node "$here/prepare.mjs" "$out/prep" "$dist" "$bootstrap" "$kmod") | sed 's/^/  /'
# /work/shared/crds has NodePool (and EC2NodeClass) but not NodeClaim: Karpenter's chart installs it.
# The harness takes NodeClaim and NodeOverlay from the karpenter module it runs (v1.8.0), and the
# kwok provider's KWOKNodeClass.
# (apply-dist.sh may already have installed them with the Karpenter chart: then those are kept.)
for crd in karpenter.sh_nodeclaims:kwok/charts/crds karpenter.sh_nodeoverlays:kwok/charts/crds karpenter.kwok.sh_kwoknodeclasses:kwok/apis/crds; do
  f="$kmod/${crd#*:}/${crd%%:*}.yaml"
  name="$(awk '$1 == "name:" { print $2; exit }' "$f")"
  if kubectl get crd "$name" >/dev/null 2>&1; then
    echo "  CRD $name already installed (by apply-dist.sh): kept"
  else
    kubectl apply --server-side --field-manager=dojo-scheduling-harness -f "$f" | sed 's/^/  (karpenter module v1.8.0) /'
  fi
done
kubectl wait --for condition=established --timeout=60s crd nodeclaims.karpenter.sh nodeoverlays.karpenter.sh kwoknodeclasses.karpenter.kwok.sh >/dev/null
kubectl apply --server-side --field-manager=dojo-scheduling-harness -f "$out/prep/nodeclasses.yaml" | sed 's/^/  /'
echo "  NOTE: the harness rewrites ONLY spec.template.spec.nodeClassRef of dojo's NodePools"
echo "        (karpenter.k8s.aws/EC2NodeClass -> karpenter.kwok.sh/KWOKNodeClass, same name); requirements,"
echo "        labels, taints, startupTaints, limits and disruption are dojo's. nodeClassRef's group/kind"
echo "        are immutable, so each NodePool is deleted and created again:"
kubectl get nodepools -o custom-columns='  NODEPOOL:.metadata.name,NODECLASSREF:.spec.template.spec.nodeClassRef' 2>&1 | sed 's/^/  /'
# Show that an in-place change is refused (and why), then recreate.
first_np="$(kubectl get nodepools -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)"
if [[ -n "$first_np" ]]; then
  kubectl patch nodepool "$first_np" --type=merge --dry-run=server \
    -p '{"spec":{"template":{"spec":{"nodeClassRef":{"group":"karpenter.kwok.sh","kind":"KWOKNodeClass"}}}}}' 2>&1 |
    sed 's/^/    patch: /' | cut -c1-240 || true
fi
kubectl delete --wait -f "$out/prep/nodepools.yaml" --ignore-not-found | sed 's/^/  /'
kubectl create --field-manager=dojo-scheduling-harness -f "$out/prep/nodepools.yaml" | sed 's/^/  /'
echo "  instance types for the kwok provider: $(node -e "console.log(require('$out/prep/instance-types.json').length)") ($out/prep/instance-types.tsv)"
kubectl create -f "$out/prep/system-nodes.yaml" | sed 's/^/  /'
echo "  NOTE: system nodes = bootstrap/$cluster/eksctl.yaml managedNodeGroups, created by the harness as kwok Nodes"
wait_until "system nodes Ready" kubectl wait --for=condition=Ready --timeout=5s node -l eks.amazonaws.com/nodegroup

# Outside class hours KEDA holds every ScaledObject's target at minReplicaCount (0). dist's
# StatefulSets and pre-warm Deployments carry no replicas, so the API server defaulted them to 1
# on apply: every workstation started with the sync. KEDA would scale them down; so does the harness,
# before Karpenter starts, so that the class wake begins from the night.
n_started=$(kubectl get pods -A -l app.kubernetes.io/component=workstation --no-headers 2>/dev/null | wc -l)
echo "  INFO after the sync $n_started workstation pods exist (StatefulSets without spec.replicas default to 1); KEDA's night state: scale to 0"
for kind in statefulset deployment; do
  for ns in $(kubectl get "$kind" -A -l "app.kubernetes.io/component in (workstation,prewarm)" -o jsonpath='{range .items[*]}{.metadata.namespace}{"\n"}{end}' | sort -u); do
    kubectl scale "$kind" -n "$ns" -l "app.kubernetes.io/component in (workstation,prewarm)" --replicas=0 >/dev/null
  done
done
wait_until "night: no workstation or placeholder pod left" bash -c '(($(kubectl get pods -A -l "app.kubernetes.io/component in (workstation,prewarm)" --no-headers 2>/dev/null | wc -l) == 0))' || true

# ================================================================ 3. Karpenter + the helpers
phase "start karpenter-kwok and the harness's stand-ins"
kport=$(free_port)
hport=$(free_port)
while [[ "$hport" == "$kport" ]]; do hport=$(free_port); done
# Restarted when it exits, as the kubelet restarts a Deployment's pod: Karpenter v1.8.0 can die
# of a concurrent map access in its nodepoolhealth tracker (seen here once in several runs).
karpenter_supervised() {
  local child=''
  trap '[[ -n "$child" ]] && kill "$child" 2>/dev/null; wait 2>/dev/null; exit 0' TERM INT
  while true; do
    KUBECONFIG="$KUBECONFIG" DISABLE_LEADER_ELECTION=true INSTANCE_TYPES_FILE_PATH="$out/prep/instance-types.json" \
      METRICS_PORT="$kport" HEALTH_PROBE_PORT="$hport" LOG_LEVEL="${DOJO_KARPENTER_LOG_LEVEL:-info}" \
      karpenter-kwok >>"$work/logs/karpenter.log" 2>&1 &
    child=$!
    wait "$child"
    echo "karpenter-kwok exited with $?; restarted" >>"$work/logs/karpenter-restarts.log"
    sleep 1
  done
}
karpenter_supervised &
bg_pids+=($!)
kpid=$!
say "karpenter-kwok pid $kpid (metrics :$kport, health :$hport, log $work/logs/karpenter.log)"
up() { kill -0 "$kpid" 2>/dev/null && curl -fsS "http://127.0.0.1:$hport/readyz" >/dev/null 2>&1; }
if ! wait_until "karpenter-kwok ready" up; then
  tail -20 "$work/logs/karpenter.log"
  fail "karpenter-kwok did not become ready"
fi

# sysbox-deploy-k8s stand-in: once the installer's DaemonSet pod runs on a node that still has the
# sysbox-runtime startup taint, do what the installer does on success: label and untaint.
sysbox_installer() {
  local n t
  while true; do
    for n in $(kubectl get nodes -l sysbox-install=yes -o jsonpath='{range .items[*]}{.metadata.name}{" "}{end}' 2>/dev/null); do
      t=$(kubectl get node "$n" -o jsonpath='{.spec.taints[*].key}' 2>/dev/null) || continue
      [[ " $t " == *" sysbox-runtime "* ]] || continue
      if (($(kubectl get pods -n kube-system -l sysbox-install=yes --field-selector "spec.nodeName=$n,status.phase=Running" --no-headers 2>/dev/null | wc -l) > 0)); then
        kubectl label node "$n" sysbox-runtime=running --overwrite >/dev/null &&
          kubectl taint node "$n" sysbox-runtime- >/dev/null &&
          echo "[$(now)s] $n: sysbox-deploy-k8s pod Running -> labelled sysbox-runtime=running, startup taint sysbox-runtime removed"
      fi
    done
    sleep 1
  done
}
sysbox_installer >"$out/sysbox-installer.log" 2>&1 &
bg_pids+=($!)
echo "  NOTE: no real sysbox installer: the harness removes the sysbox-runtime startup taint and labels"
echo "        sysbox-runtime=running once the sysbox-deploy-k8s DaemonSet pod is Running on the node ($out/sysbox-installer.log)"

# EBS CSI external-provisioner stand-in: a PV for every claim of an ebs.csi.aws.com class the
# scheduler picked a node for (WaitForFirstConsumer), in that node's zone.
ebs_provisioner() {
  local ns name uid sc size node zone
  while true; do
    kubectl get pvc -A -o jsonpath='{range .items[?(@.status.phase=="Pending")]}{.metadata.namespace}{" "}{.metadata.name}{" "}{.metadata.uid}{" "}{.spec.storageClassName}{" "}{.spec.resources.requests.storage}{" "}{.metadata.annotations.volume\.kubernetes\.io/selected-node}{"\n"}{end}' 2>/dev/null |
      while read -r ns name uid sc size node; do
        [[ -n "${node:-}" ]] || continue
        kubectl get pv "pvc-$uid" >/dev/null 2>&1 && continue
        [[ "$(kubectl get storageclass "$sc" -o jsonpath='{.provisioner}' 2>/dev/null)" == ebs.csi.aws.com ]] || continue
        zone=$(kubectl get node "$node" -o jsonpath='{.metadata.labels.topology\.kubernetes\.io/zone}')
        kubectl create -f - >/dev/null <<EOF && echo "[$(now)s] PV pvc-$uid for $ns/$name ($size, $sc, $zone, node $node)"
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pvc-$uid
  annotations: {pv.kubernetes.io/provisioned-by: ebs.csi.aws.com, dojo.training/scheduling-harness: fake EBS volume}
spec:
  capacity: {storage: $size}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Delete
  storageClassName: $sc
  claimRef: {namespace: $ns, name: $name, uid: $uid}
  csi: {driver: ebs.csi.aws.com, volumeHandle: vol-fake-$uid, fsType: ext4}
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [$zone]}]
EOF
      done
    sleep 1
  done
}
ebs_provisioner >"$out/ebs-provisioner.log" 2>&1 &
bg_pids+=($!)
echo "  NOTE: no EBS CSI driver: the harness creates a PV for each gp3/gp2 claim once the scheduler picked its node ($out/ebs-provisioner.log)"

# ================================================================ 4. pre-warm (KEDA cron, e.g. 08:30)
phase "pre-warm: placeholders to their class-hour replicas"
expect_ph=0
while IFS=$'\t' read -r ns name replicas; do
  kubectl scale deployment -n "$ns" "$name" --replicas="$replicas" | sed 's/^/  /'
  expect_ph=$((expect_ph + replicas))
done <"$out/prep/prewarm.tsv"
echo "  (KEDA would: ScaledObject cron desiredReplicas; $expect_ph placeholders in all)"
wait_until "all $expect_ph placeholders Running" none_unbound app.kubernetes.io/component=prewarm "$expect_ph" || true
say "nodes: $(nodes_per_pool)"
snapshot "$out/snap-prewarm"
tally < <(node "$here/check.mjs" prewarm "$out/snap-prewarm" "$out/prep")

# ================================================================ 5, 6. the handover, in the order dist's cron gives
# Does the pre-warm end before class starts? Read from the first pre-warm ScaledObject and a
# workstation's, as KEDA would act on them (minutes of the day of their first trigger).
handover=$(kubectl get scaledobjects.keda.sh -A -o json | node -e '
  const items = JSON.parse(require("fs").readFileSync(0, "utf8")).items;
  const minutes = (cron) => { const [m, h] = cron.split(" ").map(Number); return h * 60 + m; };
  const prewarm = items.find((o) => o.metadata.name === "prewarm");
  const ws = items.find((o) => o.metadata.name.startsWith("ws-"));
  if (!prewarm || !ws) { console.log("before"); process.exit(0); }
  console.log(minutes(prewarm.spec.triggers[0].metadata.end) < minutes(ws.spec.triggers[0].metadata.start) ? "before" : "after");')

prewarm_end() {
  phase "pre-warm end: placeholders to 0"
  while IFS=$'\t' read -r ns name replicas; do
    kubectl scale deployment -n "$ns" "$name" --replicas=0 | sed 's/^/  /'
  done <"$out/prep/prewarm.tsv"
  wait_until "no placeholder left" none_left app.kubernetes.io/component=prewarm || true
}

class_start() {
  phase "class start: every workstation StatefulSet to 1"
  n_ws=0
  for ns in $(kubectl get statefulsets -A -l app.kubernetes.io/component=workstation -o jsonpath='{range .items[*]}{.metadata.namespace}{"\n"}{end}' | sort -u); do
    k=$(kubectl get statefulsets -n "$ns" -l app.kubernetes.io/component=workstation --no-headers | wc -l)
    kubectl scale statefulset -n "$ns" -l app.kubernetes.io/component=workstation --replicas=1 >/dev/null
    echo "  $ns: $k workstation StatefulSets scaled to 1"
    n_ws=$((n_ws + k))
  done
  wait_until "all $n_ws workstations Running" none_unbound "app.kubernetes.io/component=workstation" "$n_ws" || true
  if [[ "$handover" == after ]]; then
    echo "  holding the pre-warm/class overlap for ${overlap_s}s (dist's pre-warm ends after class starts)"
    sleep "$overlap_s"
  fi
  say "nodes: $(nodes_per_pool)"
  snapshot "$out/snap-class"
  tally < <(node "$here/check.mjs" class "$out/snap-class" "$out/prep")
}

echo "  dist's cron: the pre-warm ends $handover class starts"
if [[ "$handover" == before ]]; then
  prewarm_end
  class_start
else
  class_start
  prewarm_end
fi

# ================================================================ 7. katas as the students
if [[ "${DOJO_KATAS:-1}" == 1 ]]; then
  phase "katas: a Deployment as each student, filling the quota"
  n_kata=0
  declare -A vc_note=()
  mkdir -p "$out/katas"
  # Per student namespace: what its quota still allows (hard - used: a vcluster course's quota
  # also holds the vcluster's own pod), as 4 replicas, prepared first and then created all at once
  # (a class that starts a kata together; Karpenter batches pods that arrive within 1-10 s).
  for sns in $(kubectl get namespaces -l app.kubernetes.io/component=student-namespace -o jsonpath='{range .items[*]}{.metadata.name}{" "}{end}'); do
    course=$(kubectl get namespace "$sns" -o jsonpath='{.metadata.labels.dojo\.training/course}')
    student=$(kubectl get namespace "$sns" -o jsonpath='{.metadata.labels.dojo\.training/student}')
    read -r cpu_m mem < <(kubectl get resourcequota -n "$sns" -o json | node -e '
      const q = JSON.parse(require("fs").readFileSync(0, "utf8")).items[0].status;
      const cpu = (v) => (v ? (v.endsWith("m") ? parseFloat(v) : parseFloat(v) * 1000) : 0);
      const mi = (v) => { if (!v) return 0; const m = /^([0-9.]+)(Ki|Mi|Gi|k|M|G)?$/.exec(v); const f = { Ki: 1 / 1024, Mi: 1, Gi: 1024, k: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576 }[m[2]] ?? 1 / 1048576; return parseFloat(m[1]) * f; };
      const c = cpu(q.hard["requests.cpu"]) - cpu(q.used?.["requests.cpu"]);
      const m = Math.min(mi(q.hard["requests.memory"]) - mi(q.used?.["requests.memory"]), mi(q.hard["limits.memory"] ?? "1Ti") - mi(q.used?.["limits.memory"]));
      console.log(Math.floor(c / 4) + "m", Math.floor(m / 4) + "Mi");')
    as=(--as="system:serviceaccount:$course:ws-$student" --as-group=system:serviceaccounts
      --as-group="system:serviceaccounts:$course" --as-group=system:authenticated)
    if ! kubectl auth can-i create deployments.apps -n "$sns" "${as[@]}" >/dev/null 2>&1; then
      # The workstation's ServiceAccount has no rights in the namespace: the course gives each student
      # a vcluster (its syncer, a Helm chart, creates the students' pods here; it is not run). The
      # harness creates the Deployment as its admin (system:masters; dist's admission policies still apply).
      [[ -n "${vc_note[$course]:-}" ]] || echo "  $course: ws-<student> may not create Deployments in the student namespace (vcluster course): created as the harness's admin"
      vc_note[$course]=1
      as=()
    fi
    : >"$out/katas/$sns.as"
    ((${#as[@]} == 0)) || printf '%s\n' "${as[@]}" >"$out/katas/$sns.as"
    cat >"$out/katas/$sns.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kata
  namespace: $sns
  labels: {app: kata}
spec:
  replicas: 4
  selector: {matchLabels: {app: kata}}
  template:
    metadata:
      labels: {app: kata, scheduling-harness: kata}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: {cpu: $cpu_m, memory: $mem}
            limits: {cpu: $cpu_m, memory: $mem}
EOF
    n_kata=$((n_kata + 4))
  done
  say "creating $((n_kata / 4)) kata Deployments at once"
  kpids=()
  for f in "$out"/katas/*.yaml; do
    mapfile -t as <"${f%.yaml}.as"
    kubectl apply "${as[@]}" -f "$f" >"${f%.yaml}.log" 2>&1 &
    kpids+=($!)
  done
  i=0
  for f in "$out"/katas/*.yaml; do
    if ! wait "${kpids[i]}"; then
      fail "kata Deployment $(basename "$f" .yaml) refused: $(grep -v '^Warning' "${f%.yaml}.log" | tr '\n' ' ' | cut -c1-300)"
      n_kata=$((n_kata - 4))
    fi
    i=$((i + 1))
  done
  say "kata Deployments created"
  echo "  $((n_kata / 4)) kata Deployments (4 replicas of a quarter of what the quota still allows) created as the students' workstation ServiceAccounts"
  wait_until "all $n_kata kata pods Running" none_unbound scheduling-harness=kata "$n_kata" || true
fi

# ================================================================ 8. settle and check
phase "settle: nothing Pending"
wait_until "no pod Pending" nothing_pending || true
say "nodes: $(nodes_per_pool)"
snapshot "$out/snap-final"
tally < <(node "$here/check.mjs" final "$out/snap-final" "$out/prep")
kubectl get nodeclaims -o wide >"$out/nodeclaims.txt" 2>&1 || true
kubectl get nodes -L karpenter.sh/nodepool,node.kubernetes.io/instance-type,karpenter.k8s.aws/instance-family,sysbox-runtime >"$out/nodes.txt" 2>&1 || true
echo "INFO harness stand-ins: sysbox installer acted on $(grep -c 'startup taint' "$out/sysbox-installer.log" || true) node(s); EBS provisioner made $(grep -c '^\[.*PV ' "$out/ebs-provisioner.log" || true) PV(s)"
if ! kill -0 "$kpid" 2>/dev/null; then fail "karpenter-kwok's supervisor exited during the run (see $work/logs/karpenter.log)"; fi
if [[ -s "$work/logs/karpenter-restarts.log" ]]; then
  echo "INFO karpenter-kwok was restarted $(wc -l <"$work/logs/karpenter-restarts.log") time(s) (its panics are in $work/logs/karpenter.log)"
fi
errs=$(grep -c '"level":"ERROR"' "$work/logs/karpenter.log" || true)
echo "INFO karpenter-kwok logged $errs ERROR lines; distinct messages:"
grep '"level":"ERROR"' "$work/logs/karpenter.log" | sed -E 's/.*"message":"([^"]*)".*"error":"([^"]{0,200}).*/\1: \2/' | sort | uniq -c | sort -rn | head -8 | sed 's/^/     /' || true
phase ""

echo
echo "=== phase timings"
printf '  %s\n' "${phases[@]}"
printf '  %-44s %7.1fs\n' total "$(awk -v a="$(date +%s.%N)" -v b="$t_start" 'BEGIN { print a - b }')"
echo "  files: $out, $work/logs/karpenter.log"
echo
echo "$n_pass passed, $n_fail failed"
((n_fail == 0))
