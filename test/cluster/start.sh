#!/usr/bin/env bash
# Starts a real Kubernetes v1.34 control plane on 127.0.0.1 only: etcd, kube-apiserver (TLS,
# Node,RBAC, EKS 1.34's admission plugins), kube-controller-manager and kube-scheduler.
# No kubelet: pods stay Pending unless something plays the nodes: DOJO_CLUSTER_KWOK=1 also starts
# kwok, which runs the Nodes annotated kwok.x-k8s.io/node=fake and their pods.
#
#   test/cluster/start.sh WORKDIR                 # runs until Ctrl-C / SIGTERM, then stops everything
#   test/cluster/start.sh WORKDIR -- CMD ARGS...  # runs CMD once /readyz is ok (KUBECONFIG set), then stops
#   test/cluster/stop.sh WORKDIR                  # stops a cluster started by the first form
#
# WORKDIR gets: pki/, etcd data, logs/<component>.log, kubeconfig (admin), ports, start.pid.
# Binaries come from build.sh (which does nothing when its cache is complete) or $DOJO_CLUSTER_BIN.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -lt 1 ]]; then
  sed -n '2,13p' "${BASH_SOURCE[0]}" >&2
  exit 2
fi
mkdir -p "$1"
work="$(cd "$1" && pwd)"
shift
cmd=()
if [[ $# -gt 0 ]]; then
  [[ "$1" == "--" ]] || { echo "start.sh: expected -- before a command, got $1" >&2; exit 2; }
  shift
  cmd=("$@")
fi

t0=$(date +%s.%N)
elapsed() { awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { printf "%.1f", a - b }'; }
log() { echo "start.sh [$(elapsed)s] $*" >&2; }

bin="${DOJO_CLUSTER_BIN:-}"
if [[ -z "$bin" ]]; then
  bin="$("$here/build.sh" | tail -1)"
fi
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  [[ -x "$bin/$b" ]] || { echo "start.sh: $bin/$b missing; run build.sh" >&2; exit 1; }
done

if [[ -f "$work/start.pid" ]] && kill -0 "$(cat "$work/start.pid")" 2>/dev/null; then
  echo "start.sh: a cluster from $work is already running (pid $(cat "$work/start.pid"))" >&2
  exit 1
fi

# ---- processes: every pid started is stopped on exit, failure, Ctrl-C or SIGTERM ----
names=()
pids=()
stopping=0
cmd_pid=
tree() { # tree PID: PID and its descendants, parents first
  local c
  echo "$1"
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do tree "$c"; done
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stopping=1
  local i
  # CMD first (it runs in the background so that a signal reaches this trap at once), with
  # whatever it started: SIGTERM, then SIGKILL after 10 s.
  if [[ -n "$cmd_pid" ]] && kill -0 "$cmd_pid" 2>/dev/null; then
    local procs
    procs=$(tree "$cmd_pid")
    kill -TERM $procs 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$cmd_pid" 2>/dev/null || break; sleep 0.1; done
    procs=$(tree "$cmd_pid")
    kill -KILL $procs 2>/dev/null || true
    wait "$cmd_pid" 2>/dev/null || true
  fi
  # One at a time, last started first: the apiserver must go before the etcd it writes to.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    local n=0
    while kill -0 "${pids[i]}" 2>/dev/null && ((n < 100)); do sleep 0.1; n=$((n + 1)); done
    if kill -0 "${pids[i]}" 2>/dev/null; then
      log "${names[i]} (pid ${pids[i]}) ignored SIGTERM for 10s; SIGKILL"
      kill -KILL "${pids[i]}" 2>/dev/null || true
    fi
    wait "${pids[i]}" 2>/dev/null || true
  done
  rm -f "$work/start.pid"
  ((${#pids[@]} == 0)) || log "stopped ${names[*]}"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo $$ >"$work/start.pid"

run() { # run NAME BINARY ARGS...: starts in the background, logs to logs/NAME.log
  local name=$1
  shift
  "$@" >"$work/logs/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

# Fails with the component's log tail if it died.
check_alive() {
  local i
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[i]}" 2>/dev/null; then
      log "${names[i]} exited; last lines of $work/logs/${names[i]}.log:"
      tail -n 30 "$work/logs/${names[i]}.log" >&2
      exit 1
    fi
  done
}

# ---- loopback ports: nothing answering on them now, and below the ephemeral range, where the
# kernel picks the local ports of outgoing connections (one took kwok's port once) ----
taken=" "
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
  local p
  while true; do
    p=$((10000 + RANDOM % (ephemeral_low - 10000)))
    [[ "$taken" == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      taken+="$p "
      echo "$p"
      return
    fi
  done
}
etcd_client=$(free_port); taken+="$etcd_client "
etcd_peer=$(free_port); taken+="$etcd_peer "
api_port=$(free_port); taken+="$api_port "
kcm_port=$(free_port); taken+="$kcm_port "
sched_port=$(free_port); taken+="$sched_port "
printf 'etcd_client=%s\netcd_peer=%s\napiserver=%s\nkube_controller_manager=%s\nkube_scheduler=%s\n' \
  "$etcd_client" "$etcd_peer" "$api_port" "$kcm_port" "$sched_port" >"$work/ports"
server="https://127.0.0.1:$api_port"

# ---- PKI (openssl): CA, apiserver serving cert, client certs, service-account key pair ----
pki="$work/pki"
mkdir -p "$pki" "$work/logs"
ssl() { openssl "$@" 2>/dev/null; }
if [[ ! -f "$pki/ca.crt" ]]; then
  ssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 30 \
    -subj "/CN=dojo-test-cluster-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
  ssl genrsa -out "$pki/sa.key" 2048
  ssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
  cert() { # cert NAME SUBJECT EXTKEYUSAGE [SAN]
    local ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$3"
    [[ -n "${4:-}" ]] && ext+=$'\n'"subjectAltName=$4"
    ssl req -newkey rsa:2048 -nodes -keyout "$pki/$1.key" -out "$pki/$1.csr" -subj "$2"
    ssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
      -days 30 -out "$pki/$1.crt" -extfile <(echo "$ext")
    rm -f "$pki/$1.csr"
  }
  cert apiserver "/CN=kube-apiserver" serverAuth \
    "IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin "/O=system:masters/CN=kubernetes-admin" clientAuth
  cert kube-controller-manager "/CN=system:kube-controller-manager" clientAuth
  cert kube-scheduler "/CN=system:kube-scheduler" clientAuth
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  cert front-proxy-client "/CN=front-proxy-client" clientAuth
fi

kubeconfig() { # kubeconfig FILE USER
  local b64='base64 -w0'
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: dojo-test
  cluster:
    server: $server
    certificate-authority-data: $($b64 <"$pki/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $($b64 <"$pki/$2.crt")
    client-key-data: $($b64 <"$pki/$2.key")
contexts:
- name: $2@dojo-test
  context:
    cluster: dojo-test
    user: $2
current-context: $2@dojo-test
EOF
  chmod 600 "$1"
}
kubeconfig "$work/kubeconfig" admin
kubeconfig "$pki/kube-controller-manager.kubeconfig" kube-controller-manager
kubeconfig "$pki/kube-scheduler.kubeconfig" kube-scheduler

# ---- etcd ----
log "etcd on 127.0.0.1:$etcd_client (data $work/etcd)"
run etcd "$bin/etcd" --name dojo --data-dir "$work/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "dojo=http://127.0.0.1:$etcd_peer" --initial-cluster-state new \
  --unsafe-no-fsync --log-level warn
for _ in $(seq 1 200); do
  check_alive
  curl -fsS "http://127.0.0.1:$etcd_client/health" 2>/dev/null | grep -q '"health":"true"' && break
  sleep 0.1
done
log "etcd healthy"

# ---- kube-apiserver ----
# --endpoint-reconciler-type none: the default reconciler refuses a loopback advertise address
# ("may not be in the loopback range") and logs that every 10s; default/kubernetes gets no endpoints.
# --enable-aggregator-routing: webhooks and APIServices are dialled at their endpoints, never at a
# Service's cluster IP (v1.34.4 cmd/kube-apiserver/app/server.go buildServiceResolver), so nothing
# leaves loopback: the add-ons' webhooks have no endpoints here and fail at once. kwok gives its
# pods and nodes loopback addresses for the same reason (an EndpointSlice refuses a loopback
# address, so no webhook gets an endpoint from a fake pod either).
# The admission plugins an EKS 1.34 cluster enables; every one exists in 1.34.
# MutatingAdmissionPolicy stays inert unless the (beta, off by default) feature gate of that name is on.
admission=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,ResourceQuota,DefaultTolerationSeconds,NodeRestriction,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,PodSecurity,Priority,StorageObjectInUseProtection,PersistentVolumeClaimResize,RuntimeClass,CertificateApproval,CertificateSigning,CertificateSubjectRestriction,DefaultIngressClass,TaintNodesByCondition,ValidatingAdmissionPolicy,MutatingAdmissionPolicy
log "kube-apiserver on $server"
run kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$etcd_client" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" \
  --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
  --requestheader-client-ca-file "$pki/ca.crt" --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-cluster-ip-range 10.96.0.0/16 \
  --endpoint-reconciler-type none \
  --enable-aggregator-routing=true \
  --authorization-mode Node,RBAC \
  --enable-admission-plugins "$admission" \
  --allow-privileged=true \
  --profiling=false \
  ${DOJO_CLUSTER_APISERVER_ARGS:-}

ready() { curl -fsS --max-time 2 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$server$1" >/dev/null 2>&1; }
for i in $(seq 1 600); do
  check_alive
  ready /readyz && break
  ((i < 600)) || { log "kube-apiserver not ready after 60s"; tail -n 30 "$work/logs/kube-apiserver.log" >&2; exit 1; }
  sleep 0.1
done
log "kube-apiserver /readyz ok"

# ---- kube-controller-manager, kube-scheduler ----
run kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig "$pki/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig "$pki/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig "$pki/kube-controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port "$kcm_port" --cert-dir "$work/kube-controller-manager" \
  --leader-elect=false --use-service-account-credentials=true \
  --root-ca-file "$pki/ca.crt" --service-account-private-key-file "$pki/sa.key" \
  --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
  --service-cluster-ip-range 10.96.0.0/16 \
  --controllers '*' --profiling=false
run kube-scheduler "$bin/kube-scheduler" \
  --kubeconfig "$pki/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig "$pki/kube-scheduler.kubeconfig" \
  --authorization-kubeconfig "$pki/kube-scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port "$sched_port" --cert-dir "$work/kube-scheduler" \
  --leader-elect=false --profiling=false
for _ in $(seq 1 300); do
  check_alive
  curl -fsSk --max-time 2 "https://127.0.0.1:$kcm_port/healthz" >/dev/null 2>&1 &&
    curl -fsSk --max-time 2 "https://127.0.0.1:$sched_port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
check_alive
log "kube-controller-manager and kube-scheduler healthy"

export KUBECONFIG="$work/kubeconfig"

# ---- kwok (opt-in): plays the kubelet of Nodes annotated kwok.x-k8s.io/node=fake ----
if [[ "${DOJO_CLUSTER_KWOK:-0}" == 1 ]]; then
  [[ -x "$bin/kwok" ]] || { log "$bin/kwok missing"; exit 1; }
  kwok_port=$(free_port)
  echo "kwok=$kwok_port" >>"$work/ports"
  mkdir -p "$work/kwok"
  printf 'apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\noptions: {}\n' >"$work/kwok/kwok.yaml"
  run kwok "$bin/kwok" --kubeconfig "$work/kubeconfig" --config "$work/kwok/kwok.yaml" \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --server-address "127.0.0.1:$kwok_port" --cidr 127.244.0.1/16 --node-ip 127.0.0.2 --node-lease-duration-seconds 40
  for _ in $(seq 1 300); do
    check_alive
    curl -fsS --max-time 2 "http://127.0.0.1:$kwok_port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  log "kwok healthy (manages Nodes annotated kwok.x-k8s.io/node=fake)"
fi
# The default ServiceAccount appears once the controller-manager's serviceaccount controller ran.
for _ in $(seq 1 300); do
  "$bin/kubectl" get serviceaccount default -n default >/dev/null 2>&1 && break
  sleep 0.1
done
log "ready: KUBECONFIG=$KUBECONFIG (kubectl: $bin/kubectl); pids ${pids[*]}; logs in $work/logs"

if [[ ${#cmd[@]} -gt 0 ]]; then
  # In the background (stdin kept), so that Ctrl-C / SIGTERM run the trap now, not after CMD.
  PATH="$bin:$PATH" "${cmd[@]}" <&0 &
  cmd_pid=$!
  wait "$cmd_pid" && rc=0 || rc=$?
  cmd_pid=
  exit "$rc"
fi
# Until a signal, or until a component dies.
while true; do
  wait -n "${pids[@]}" || true
  ((stopping)) || check_alive
done
