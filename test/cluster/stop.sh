#!/usr/bin/env bash
# Stops a cluster that `start.sh WORKDIR` runs in the foreground (or in the background):
# SIGTERM to start.sh, whose trap stops etcd, kube-apiserver, kube-controller-manager and
# kube-scheduler; waits until start.sh has gone.
#   test/cluster/stop.sh WORKDIR
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
pidfile="$1/start.pid"
[[ -f "$pidfile" ]] || { echo "stop.sh: no $pidfile; nothing running" >&2; exit 0; }
pid="$(cat "$pidfile")"
kill -TERM "$pid" 2>/dev/null || { echo "stop.sh: pid $pid already gone" >&2; rm -f "$pidfile"; exit 0; }
for _ in $(seq 1 300); do
  kill -0 "$pid" 2>/dev/null || { echo "stop.sh: stopped (pid $pid)" >&2; exit 0; }
  sleep 0.1
done
echo "stop.sh: start.sh (pid $pid) still running after 30s" >&2
exit 1
