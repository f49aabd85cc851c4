import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from './repo-root';

/** The file of istio.io/api that Istio's `base` chart is made from. */
const CRDS_IN_MODULE = 'kubernetes/customresourcedefinitions.gen.yaml';

/**
 * Istio's CRDs at a version: istio.io/api's kubernetes/customresourcedefinitions.gen.yaml, for
 * tests where Istio's chart is absent (../shared/charts holds none). Read from Go's module cache
 * when Go has the module there, else downloaded once from the Go module proxy over HTTPS (the
 * module's zip, $GOPROXY's first entry or proxy.golang.org) into ~/.cache/dojo: `npm test` needs
 * no Go, only that registry. Throws, naming what failed, when neither gives the file.
 */
export function istioCrdsFile(version: string): string {
  const module = `istio.io/api@v${version}`;
  const inModuleCache = path.join(goModCache(), module, CRDS_IN_MODULE);
  if (fs.existsSync(inModuleCache)) return inModuleCache;
  const cached = path.join(os.homedir(), '.cache', 'dojo', `istio-api-v${version}-crds.yaml`);
  if (fs.existsSync(cached)) return cached;
  const url = `${moduleProxy()}/istio.io/api/@v/v${version}.zip`;
  // Synchronous for the callers (schema validators, the cluster harness): a child node fetches it.
  const fetched = spawnSync(
    process.execPath,
    ['-e', DOWNLOAD, url, `${module}/${CRDS_IN_MODULE}`, cached, require.resolve('adm-zip', { paths: [REPO_ROOT] })],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (fetched.status !== 0 || !fs.existsSync(cached))
    throw new Error(`Istio's CRDs: neither ${inModuleCache} nor ${url} gave them: ${fetched.error ?? ''}${fetched.stderr}`);
  return cached;
}

/** Downloads argv[1] (a module zip), writes its entry argv[2] to argv[3]; argv[4] is adm-zip. */
const DOWNLOAD = `
const https = require('https');
const fs = require('fs');
const path = require('path');
const [url, entry, target, admZip] = process.argv.slice(1);
const AdmZip = require(admZip);
const get = (address, redirects) =>
  https.get(address, (res) => {
    if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && redirects > 0) {
      res.resume();
      return get(new URL(res.headers.location, address).toString(), redirects - 1);
    }
    if (res.statusCode !== 200) {
      console.error(address + ': HTTP ' + res.statusCode);
      process.exit(1);
    }
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => {
      const file = new AdmZip(Buffer.concat(chunks)).getEntry(entry);
      if (!file) {
        console.error(address + ': no ' + entry);
        process.exit(1);
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target + '.tmp', file.getData());
      fs.renameSync(target + '.tmp', target);
    });
  }).on('error', (e) => {
    console.error(address + ': ' + e.message);
    process.exit(1);
  });
get(url, 5);
`;

/** Go's module cache: $GOMODCACHE, else $GOPATH/pkg/mod, else ~/go/pkg/mod (Go's defaults). */
function goModCache(): string {
  if (process.env.GOMODCACHE) return process.env.GOMODCACHE;
  const gopath = (process.env.GOPATH ?? '').split(path.delimiter)[0] || path.join(os.homedir(), 'go');
  return path.join(gopath, 'pkg', 'mod');
}

/** The first HTTP(S) entry of $GOPROXY, as Go would ask it; proxy.golang.org by default. */
function moduleProxy(): string {
  const first = (process.env.GOPROXY ?? '').split(/[,|]/).find((p) => /^https?:\/\//.test(p));
  return (first ?? 'https://proxy.golang.org').replace(/\/+$/, '');
}
