// Splits dist/<env>/**/*.yaml into one file per object (run from the repo root), in the order ArgoCD would apply them,
// and prints a TSV plan ('-' for empty): seq, file, kind, namespace, name, -n namespace for kubectl (the owning
// Application's destination namespace when the object has none), appWave, wave.
//
//   node test/cluster/apply-plan.mjs OUTDIR DISTDIR...
//
// Order: Namespaces first (the harness creates them before anything else), then the apps/
// directory (what the bootstrap root Application syncs), then each child Application's
// directory in the Application's sync wave; within one Application: sync wave, then
// gitops-engine's kind order, then name.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const require = createRequire(resolve(process.cwd(), 'package.json'));
const YAML = require('yaml');

const [outDir, ...distDirs] = process.argv.slice(2);
if (!outDir || distDirs.length === 0) {
  console.error('usage: node apply-plan.mjs OUTDIR DISTDIR...');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

// gitops-engine pkg/sync/sync_tasks.go kindOrder
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];
const kindRank = (k) => {
  const i = KIND_ORDER.indexOf(k);
  return i < 0 ? KIND_ORDER.length : i;
};
const wave = (o) => Number(o?.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

const files = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : /\.ya?ml$/.test(n) ? [p] : [];
    });

const objects = [];
for (const dist of distDirs) {
  for (const file of files(dist)) {
    const src = readFileSync(file, 'utf8');
    const docs = YAML.parseAllDocuments(src);
    docs.forEach((d, i) => {
      if (d.errors.length) throw new Error(`${file} doc ${i}: ${d.errors[0].message}`);
      const o = d.toJS();
      if (o && typeof o === 'object')
        objects.push({ file: relative(process.cwd(), file), doc: i, o, text: src.slice(d.range[0], d.range[2]) });
    });
  }
}

// Each Application's source path -> its destination namespace and sync wave.
const apps = objects
  .filter(({ o }) => o.kind === 'Application' && o.spec?.source?.path)
  .map(({ o }) => ({
    path: o.spec.source.path.replace(/\/$/, ''),
    ns: o.spec.destination?.namespace ?? '',
    wave: wave(o),
    name: o.metadata.name,
  }));
const owner = (file) =>
  apps.filter((a) => file === a.path || file.startsWith(a.path + '/')).sort((a, b) => b.path.length - a.path.length)[0];

const plan = objects.map((x) => {
  const app = owner(x.file);
  return {
    ...x,
    kind: x.o.kind,
    ns: x.o.metadata?.namespace ?? '',
    name: x.o.metadata?.name ?? '',
    defaultNs: x.o.metadata?.namespace ? '' : (app?.ns ?? ''),
    app: app?.name ?? '(root)',
    appWave: app ? app.wave : -1000,
    wave: wave(x.o),
  };
});
plan.sort(
  (a, b) =>
    (b.kind === 'Namespace') - (a.kind === 'Namespace') ||
    a.appWave - b.appWave ||
    a.app.localeCompare(b.app) ||
    a.wave - b.wave ||
    kindRank(a.kind) - kindRank(b.kind) ||
    a.kind.localeCompare(b.kind) ||
    a.name.localeCompare(b.name) ||
    a.file.localeCompare(b.file),
);

const lines = plan.map((p, i) => {
  const seq = String(i + 1).padStart(4, '0');
  const out = join(outDir, `${seq}.yaml`);
  // The document's own text, not a re-serialisation: kubectl must see what ArgoCD sees.
  writeFileSync(out, p.text.endsWith('\n') ? p.text : p.text + '\n');
  // '-' for an empty field: bash's `read` merges adjacent tabs.
  return [seq, out, `${p.file}#${p.doc}`, p.kind, p.ns, p.name, p.defaultNs, p.app, p.appWave, p.wave]
    .map((f) => (f === '' ? '-' : f))
    .join('\t');
});
process.stdout.write(lines.join('\n') + '\n');
