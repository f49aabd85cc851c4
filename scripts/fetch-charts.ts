import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { helmBinary } from '../dev/helm';
import { pinnedCharts, type PinnedChart } from '../dev/pinned-charts';

// npm run fetch-charts -- DIR: downloads every chart the add-on tests render into DIR, laid out
// like ../shared/charts (<chart>-<version>/), for CI runners that have the network but not
// ../shared. Then: DOJO_CHARTS_DIR=DIR npm test.

function fetchChart(out: string, chart: PinnedChart): void {
  const target = path.join(out, chart.folder);
  if (fs.existsSync(path.join(target, 'Chart.yaml'))) return;
  const scratch = fs.mkdtempSync(path.join(out, '.pull-'));
  try {
    // A repository URL without a scheme is an OCI registry (Karpenter's, public.ecr.aws).
    const source = /^https?:\/\//.test(chart.repoURL)
      ? [chart.chart!, '--repo', chart.repoURL]
      : [`oci://${chart.repoURL}/${chart.chart}`];
    execFileSync(helmBinary(), ['pull', ...source, '--version', chart.version, '--untar', '--untardir', scratch], {
      stdio: 'inherit',
    });
    fs.renameSync(path.join(scratch, chart.chart!), target);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The Gateway API CRDs: the files of config/crd/standard at the pinned tag, as the gateway-api-crds Application reads them. */
async function fetchGatewayApi(out: string, chart: PinnedChart): Promise<void> {
  const target = path.join(out, chart.folder);
  if (fs.existsSync(target)) return;
  const repo = new URL(chart.repoURL).pathname.replace(/^\//, '').replace(/\.git$/, '');
  const headers: Record<string, string> = process.env.GITHUB_TOKEN ? { authorization: `Bearer ${process.env.GITHUB_TOKEN}` } : {};
  const listing = await fetch(`https://api.github.com/repos/${repo}/contents/config/crd/standard?ref=${chart.version}`, {
    headers,
  });
  if (!listing.ok) throw new Error(`listing ${repo} config/crd/standard at ${chart.version}: HTTP ${listing.status}`);
  const files = ((await listing.json()) as { name: string; download_url: string }[]).filter((f) => f.name.endsWith('.yaml'));
  fs.mkdirSync(`${target}.partial`, { recursive: true });
  for (const file of files) {
    const response = await fetch(file.download_url);
    if (!response.ok) throw new Error(`${file.download_url}: HTTP ${response.status}`);
    fs.writeFileSync(path.join(`${target}.partial`, file.name), await response.text());
  }
  fs.renameSync(`${target}.partial`, target);
}

async function main(): Promise<number> {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npm run fetch-charts -- DIR');
    return 2;
  }
  fs.mkdirSync(out, { recursive: true });
  for (const chart of pinnedCharts()) {
    console.log(`${chart.folder}  from ${chart.repoURL}`);
    if (chart.chart) fetchChart(out, chart);
    else await fetchGatewayApi(out, chart);
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
