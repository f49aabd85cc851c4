#!/bin/sh
# Runs as root of the pod's own user namespace (sysbox): starts dockerd, then runs
# code-server as the coder user with the arguments the StatefulSet gives. A dockerd that
# fails to start leaves the IDE usable, with the reason in /var/log/dockerd.log.
set -eu

dockerd >/var/log/dockerd.log 2>&1 &
tries=0
until docker info >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -gt 30 ]; then
    echo "dockerd did not start within 30s; see /var/log/dockerd.log" >&2
    break
  fi
  sleep 1
done

exec setpriv --reuid=coder --regid=coder --init-groups env HOME=/home/coder USER=coder /usr/bin/code-server "$@"
