#!/usr/bin/env bash
# Builds the test cluster's binaries from the Go module proxy into a cache outside the repo:
#   ${DOJO_CLUSTER_CACHE:-$HOME/.cache/dojo-cluster}/<key>/bin/
# <key> is the sha256 of this directory's go.mod/go.sum files (every module), the etcd main,
# this script and `go version`. When that bin/ already holds every binary, it does nothing.
# Prints the bin directory on the last line of stdout.
#
#   test/cluster/build.sh            # build what is missing
#   BIN=$(test/cluster/build.sh | tail -1)
set -euo pipefail
export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -mod=readonly"
export CGO_ENABLED=0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${DOJO_CLUSTER_CACHE:-$HOME/.cache/dojo-cluster}"

K8S_VERSION=v1.34.4
# hack/lib/version.sh sets these in both packages; kubectl's client half reads component-base.
ldflags_k8s="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags_k8s+=" -X ${pkg}.gitVersion=${K8S_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=34"
  ldflags_k8s+=" -X ${pkg}.gitTreeState=clean"
done

# name|module dir (relative to here)|package|ldflags
targets=(
  "etcd|.|./etcd|-s -w"
  "kube-apiserver|.|k8s.io/kubernetes/cmd/kube-apiserver|${ldflags_k8s}"
  "kube-controller-manager|.|k8s.io/kubernetes/cmd/kube-controller-manager|${ldflags_k8s}"
  "kube-scheduler|.|k8s.io/kubernetes/cmd/kube-scheduler|${ldflags_k8s}"
  "kubectl|.|k8s.io/kubernetes/cmd/kubectl|${ldflags_k8s}"
)
if [[ -f "$here/kwok/go.mod" ]]; then
  targets+=("kwok|kwok|sigs.k8s.io/kwok/cmd/kwok|-s -w")
fi
if [[ -f "$here/karpenter/go.mod" ]]; then
  targets+=("karpenter-kwok|karpenter|sigs.k8s.io/karpenter/kwok|-s -w")
fi

key="$(
  cd "$here"
  {
    for f in $(find . -name go.mod -o -name go.sum -o -path ./etcd/main.go | LC_ALL=C sort); do
      echo "== $f"
      cat "$f"
    done
    echo "== build.sh"
    cat build.sh
    go version
  } | sha256sum | cut -c1-16
)"
bin="$cache/$key/bin"

missing=()
for t in "${targets[@]}"; do
  name="${t%%|*}"
  [[ -x "$bin/$name" ]] || missing+=("$t")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "build.sh: all ${#targets[@]} binaries present in $bin" >&2
  echo "$bin"
  exit 0
fi

mkdir -p "$bin"
total_start=$(date +%s.%N)
for t in "${missing[@]}"; do
  IFS='|' read -r name dir pkg flags <<<"$t"
  start=$(date +%s.%N)
  (cd "$here/$dir" && go build -trimpath -ldflags "$flags" -o "$bin/$name.tmp" "$pkg")
  mv "$bin/$name.tmp" "$bin/$name"
  end=$(date +%s.%N)
  printf 'build.sh: %-24s %7.1fs  %s\n' "$name" "$(awk -v a="$end" -v b="$start" 'BEGIN { print a - b }')" "$pkg" >&2
done
printf 'build.sh: total %.1fs -> %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$total_start" 'BEGIN { print a - b }')" "$bin" >&2
echo "$bin"
