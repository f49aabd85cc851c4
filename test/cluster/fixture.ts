/** A fixture repo of test/fixtures, synthesized into a temp folder and applied to the real control plane as ArgoCD would. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synth } from '../../lib/synth';
import { CHARTS } from '../../lib/facts/versions';
import { istioCrdsFile } from '../../dev/istio-crds';
import { REPO_ROOT } from '../support/repo';

/**
 * Synthesizes test/fixtures/<fixture> and applies its dist/<cluster> with apply-dist.sh; says
 * what was applied and refused, throws (with the script's last lines) when it fails.
 */
export function applyFixture(fixture: string, cluster: string, say: (line: string) => void): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `dojo-${fixture}-`));
  const result = synth(path.join(REPO_ROOT, 'test', 'fixtures', fixture), { write: false });
  if (result.errors.length > 0) throw new Error(`synth of the fixture ${fixture} failed:\n${result.errors.join('\n')}`);
  for (const file of result.files) {
    const target = path.join(work, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
  say(`synthesized test/fixtures/${fixture} (${result.files.length} files) into ${work}; applying dist/${cluster}`);
  // A mesh course's Telemetry objects: Istio's CRDs first, as the istio-base Application brings
  // them (its chart is not in ../shared/charts, and the suites apply no add-ons).
  if (result.files.some((f) => f.path.startsWith(`dist/${cluster}/`) && f.content.includes('apiVersion: telemetry.istio.io/'))) {
    applyIstioCrds();
    say(`Istio's CRDs of istio.io/api@v${CHARTS.istioBase.version} applied and Established`);
  }
  const applied = spawnSync(path.join(REPO_ROOT, 'test', 'cluster', 'apply-dist.sh'), [path.join(work, 'dist', cluster)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, DOJO_SETTLE_SECONDS: process.env.DOJO_SETTLE_SECONDS ?? '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = `${applied.stdout}${applied.stderr}`.split('\n');
  for (const line of lines) if (/^(== applied|-- refused|== namespaces)/.test(line)) say(`apply-dist: ${line}`);
  if (applied.status !== 0) {
    console.error(lines.slice(-40).join('\n'));
    throw new Error(`apply-dist.sh exited ${applied.status}`);
  }
  fs.rmSync(work, { recursive: true, force: true });
}

/**
 * Istio's CRDs at dojo's version (dev/istio-crds.ts), applied server-side as istio-base's
 * Application would and waited for until Established; their names. Throws with kubectl's output.
 */
export function applyIstioCrds(): string[] {
  const file = istioCrdsFile(CHARTS.istioBase.version);
  const names = [...fs.readFileSync(file, 'utf8').matchAll(/^kind: CustomResourceDefinition\n(?:.*\n)*?  name: (\S+)$/gm)].map(
    (m) => m[1],
  );
  const kubectl = (args: string[]) => spawnSync('kubectl', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const applied = kubectl(['apply', '--server-side', '--field-manager=istio-base', '-f', file]);
  const established =
    applied.status === 0
      ? kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...names.map((n) => `crd/${n}`)])
      : applied;
  if (established.status !== 0 || names.length === 0)
    throw new Error(`Istio's CRDs (${file}): ${applied.stdout}${applied.stderr}${established.stderr}`);
  return names;
}
