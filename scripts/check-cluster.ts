import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { applicationReport, type ApplicationStatus } from '../lib/commands/application-health';

// npm run check-cluster -- <cluster> [minutes]: waits until every Application of the cluster's
// root (argocd/<cluster>.yaml and dist/<cluster>/apps/) is Synced and Healthy, with the current
// kubectl context. Exits 0 then; after `minutes` (default 30) prints which are not and why, exit 1.

type Manifest = { kind?: string; metadata?: { name?: string; namespace?: string } };

function expectedApplications(root: string, cluster: string): { namespace: string; names: string[] } {
  const rootFile = path.join(root, 'argocd', `${cluster}.yaml`);
  if (!fs.existsSync(rootFile))
    throw new Error(`${path.relative(root, rootFile)} does not exist: run npm run synth, or name a cluster of clusters/`);
  const rootApp = loadAll(fs.readFileSync(rootFile, 'utf8'))[0] as Manifest;
  const appsDir = path.join(root, 'dist', cluster, 'apps');
  const children = fs
    .readdirSync(appsDir)
    .sort()
    .flatMap((file) => loadAll(fs.readFileSync(path.join(appsDir, file), 'utf8')) as Manifest[])
    .filter((doc) => doc?.kind === 'Application')
    .map((doc) => doc.metadata!.name!);
  return { namespace: rootApp.metadata!.namespace!, names: [rootApp.metadata!.name!, ...children] };
}

async function main(): Promise<number> {
  const [cluster, minutesArg] = process.argv.slice(2);
  if (!cluster) {
    console.error('usage: npm run check-cluster -- <cluster> [minutes]');
    return 2;
  }
  const { namespace, names } = expectedApplications(path.resolve('.'), cluster);
  const config = new KubeConfig();
  config.loadFromDefault();
  const api = config.makeApiClient(CustomObjectsApi);
  const deadline = Date.now() + Number(minutesArg ?? 30) * 60_000;
  console.log(`waiting for ${names.length} Applications in ${namespace} on context ${config.getCurrentContext()}`);
  for (;;) {
    const list = (await api.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace,
      plural: 'applications',
    })) as {
      items: ApplicationStatus[];
    };
    const report = applicationReport(names, list.items);
    if (report.ready || Date.now() > deadline) {
      console.log(report.lines.join('\n'));
      if (!report.ready)
        console.log(`\nnot every Application is Synced and Healthy after ${minutesArg ?? 30} minutes: see the reasons above`);
      return report.ready ? 0 : 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(`cannot read the Applications: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
