import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Istio's CRDs at a version, from the Go module proxy: istio.io/api's
 * kubernetes/customresourcedefinitions.gen.yaml, the file Istio's `base` chart is made from.
 * For tests where the chart itself is absent (../shared/charts holds no Istio chart).
 * Throws, naming what failed, when Go or the module cannot be had.
 */
export function istioCrdsFile(version: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-istio-api-'));
  const download = spawnSync(goBinary(), ['mod', 'download', '-json', `istio.io/api@v${version}`], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
  });
  fs.rmSync(tmp, { recursive: true, force: true });
  let dir = '';
  try {
    dir = (JSON.parse(download.stdout) as { Dir?: string }).Dir ?? '';
  } catch {
    // Reported below with Go's own output.
  }
  const file = path.join(dir, 'kubernetes', 'customresourcedefinitions.gen.yaml');
  if (download.status !== 0 || !dir || !fs.existsSync(file))
    throw new Error(
      `go mod download istio.io/api@v${version} gave no CRDs (Go and the module proxy are needed): ${download.error ?? ''}${download.stdout}${download.stderr}`,
    );
  return file;
}

/** `go` on the PATH, or where the Go tarball installs it. */
function goBinary(): string {
  const onPath = spawnSync('go', ['version'], { encoding: 'utf8' });
  return onPath.status === 0 ? 'go' : '/usr/local/go/bin/go';
}
