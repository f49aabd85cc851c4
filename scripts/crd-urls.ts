import { pinnedCrds } from '../dev/pinned-crds';

// node bin/run.cjs scripts/crd-urls.ts: "<folder> <url>" per pinned CRD, for scripts/fetch-crds.sh.
for (const { folder, url } of pinnedCrds()) console.log(`${folder} ${url}`);
