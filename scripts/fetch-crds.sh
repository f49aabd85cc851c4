#!/usr/bin/env bash
# Downloads the upstream CRDs the tests validate against into $1, laid out like ../shared/crds,
# at the releases lib/facts/versions.ts pins (dev/pinned-crds.ts). For machines that have the
# network but not ../shared; run `npm ci` first. Then: DOJO_CRDS_DIR=DIR npm test.
set -euo pipefail
out=${1:?usage: scripts/fetch-crds.sh DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
sources=$(node bin/run.cjs scripts/crd-urls.ts)
while read -r folder url; do
  mkdir -p "$out/$folder"
  curl -fsSL --retry 3 -o "$out/$folder/$(basename "$url")" "$url"
done <<<"$sources"
