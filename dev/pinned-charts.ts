import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { ARGOCD, CHARTS, GATEWAY_API, type ChartName } from '../lib/facts/versions';
import { REPO_ROOT } from './repo-root';
import { isPasswordFile } from '../lib/input/load/password-hashes';

/** One chart (or, for the Gateway API CRDs, one git folder) the add-on tests render, and its folder name under the charts folder. */
export interface PinnedChart {
  readonly folder: string;
  readonly repoURL: string;
  readonly chart?: string;
  readonly version: string;
}

/**
 * Everything test/addons.test.ts and test/bootstrap.test.ts render: the charts of
 * lib/facts/versions.ts, ArgoCD's, the Gateway API CRDs, and every chart version a cluster file of
 * this repo or of a test fixture pins under `versions:`. scripts/fetch-charts.ts downloads
 * them where ../shared/charts is absent (a GitHub runner).
 */
export function pinnedCharts(): PinnedChart[] {
  const clusterFiles = [path.join(REPO_ROOT, 'clusters'), ...fixtureClusterDirs()].flatMap((dir) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.yaml') && !isPasswordFile(f))
          .map((f) => path.join(dir, f))
      : [],
  );
  const overrides = clusterFiles.flatMap((file) => {
    const versions =
      (load(fs.readFileSync(file, 'utf8')) as { versions?: Partial<Record<ChartName, string>> } | null)?.versions ?? {};
    return Object.entries(versions).map(([name, version]) => ({ ...CHARTS[name as ChartName], version: version! }));
  });
  const charts = [...Object.values(CHARTS), ...overrides, ARGOCD].map((c) => ({
    folder: `${c.chart}-${c.version}`,
    repoURL: c.repoURL,
    chart: c.chart,
    version: c.version,
  }));
  const gatewayApi = { folder: `gateway-api-${GATEWAY_API.version}`, repoURL: GATEWAY_API.repoURL, version: GATEWAY_API.version };
  const unique = new Map([...charts, gatewayApi].map((c) => [c.folder, c]));
  return [...unique.values()].sort((a, b) => (a.folder < b.folder ? -1 : 1));
}

function fixtureClusterDirs(): string[] {
  const fixtures = path.join(REPO_ROOT, 'test', 'fixtures');
  return fs.readdirSync(fixtures).map((f) => path.join(fixtures, f, 'clusters'));
}
