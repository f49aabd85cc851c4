import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'vitest';
import { CHARTS_DIR, chartDir } from '../../dev/helm';
import { REPO_ROOT } from '../../dev/repo-root';
import { CHARTS } from '../../lib/facts/versions';

// The upstream files some tests need and the repo does not hold: the CRDs of the kinds dojo
// generates, and the pinned Helm charts of the add-ons. Each is looked for in its environment
// variable's folder, else in ../shared beside the repo. Where one is absent, the tests that
// need it are skipped and the run says once, at its start, how to get it (upstream-notice.ts).

/** The upstream CRDs: DOJO_CRDS_DIR, else ../shared/crds. */
export const CRDS_DIR = process.env.DOJO_CRDS_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'crds');
export { CHARTS_DIR };

export type Upstream = 'crds' | 'charts';

const FOLDERS: Record<Upstream, { readonly dir: string; readonly variable: string; readonly fetch: string }> = {
  crds: { dir: CRDS_DIR, variable: 'DOJO_CRDS_DIR', fetch: 'scripts/fetch-crds.sh DIR' },
  charts: { dir: CHARTS_DIR, variable: 'DOJO_CHARTS_DIR', fetch: 'npm run fetch-charts -- DIR' },
};

/** Whether the upstream `what` is there. */
export const upstreamHere = (what: Upstream): boolean => fs.existsSync(FOLDERS[what].dir);

/** What the run says when upstream files are missing: which, where they were looked for, and how to get them; undefined when all are there. */
export function upstreamNotice(here: (what: Upstream) => boolean = upstreamHere): string | undefined {
  const missing = (Object.keys(FOLDERS) as Upstream[]).filter((what) => !here(what));
  if (missing.length === 0) return undefined;
  return [
    `Skipping the tests that need upstream ${missing.join(' and ')} (every other test runs):`,
    ...missing.map((what) => {
      const { dir, variable, fetch } = FOLDERS[what];
      return `  ${what}: not at ${dir}. Get them with \`${fetch}\`, then run \`${variable}=DIR npm test\`.`;
    }),
    '  (../shared beside the repo, as the maintainers have it, holds both.)',
  ].join('\n');
}

/** Why a test that needs `needs` is skipped, or undefined when it runs. */
function skipReason(needs: readonly Upstream[]): string | undefined {
  const missing = needs.filter((what) => !upstreamHere(what));
  return missing.length === 0 ? undefined : `needs the upstream ${missing.join(' and ')}: see the note at the start of the run`;
}

/**
 * `describe(name, body)` where the upstream files the suite needs are there; otherwise a suite of
 * one skipped test that says so, and `body`, which may read those files as it is collected, is not run.
 */
export function describeWithUpstream(needs: readonly Upstream[], name: string, body: () => void): void {
  const reason = skipReason(needs);
  if (reason === undefined) describe(name, body);
  else describe(name, () => it.skip(reason, () => {}));
}

/** `it` where the upstream files the test needs are there, skipped otherwise. */
export function itWithUpstream(needs: readonly Upstream[], name: string, test: () => unknown): void {
  it.skipIf(skipReason(needs) !== undefined)(name, test);
}

/** Schema validation (test/support/schemas.ts) reads the CRDs and cert-manager's chart. */
export const VALIDATION: readonly Upstream[] = ['crds', 'charts'];

/** The folder of a pinned chart under CHARTS_DIR; throws, naming it and the fetch command, when the folder lacks it. */
export function pinnedChartDir(chart: string, version: string): string {
  const dir = chartDir(chart, version);
  if (!dir) throw new Error(`no chart ${chart}-${version} under ${CHARTS_DIR}: run ${FOLDERS.charts.fetch} into it`);
  return dir;
}

/**
 * Pinned charts that ../shared/charts does not hold: Istio's (a mesh course's add-ons). Their
 * values were checked by rendering them at the pinned tag (lib/plan/mesh/mesh.ts says how); the
 * tests render them too wherever they are in the charts folder (`npm run fetch-charts -- DIR`
 * downloads them), and without them only these are left unrendered, not the rest.
 */
export const CHARTS_OUTSIDE_SHARED: ReadonlySet<string> = new Set(
  [CHARTS.istioBase, CHARTS.istioCni, CHARTS.istiod].map((c) => `${c.chart}-${c.version}`),
);

/** The missing chart folders a test must fail on: all but those ../shared does not hold. */
export function missingPinnedCharts(missing: readonly string[]): string[] {
  return missing.filter((folder) => !CHARTS_OUTSIDE_SHARED.has(folder.split(' ')[0]));
}
