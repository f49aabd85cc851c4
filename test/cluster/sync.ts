// What ArgoCD does with dist/<cluster>, against the cluster in $KUBECONFIG, over the API server's
// REST API (one request per object: a kubectl process per object took minutes per cluster).
// Run from the repo root, bundled by apply-dist.sh (esbuild), never imported by the project.
//
//   sync.js render OUTDIR DISTDIR...      render the add-ons (Applications with a Helm chart, or a
//                                         folder of an outside git repo) with dev/helm's helm
//   sync.js apply OUT DISTDIR...          plan + apply (+ drift + idempotence), see apply-dist.sh
//   sync.js prune WORK OLDSTATE NEWSTATE  delete what OLDSTATE applied and NEWSTATE does not
//   sync.js git-crds DISTDIR...           the CRDs of the add-ons' git folders that DOJO_CRDS_DIR lacks (DOJO_ADDONS=0)
//
// Checks are printed as `check: PASS|FAIL <name>` and appended to $DOJO_CHECKS_FILE.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { chartDir, CHARTS_DIR, gitSourceDir, gitSourceFiles, helmBinary } from '../../dev/helm';
import { istioCrdsFile } from '../../dev/istio-crds';
import { CHARTS } from '../../lib/facts/versions';

type Obj = Record<string, any>;
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const FIELD_MANAGER = 'argocd-controller';
const ARGOCD_SA = 'system:serviceaccount:argocd:argocd-application-controller';

// ---------------------------------------------------------------- checks
function check(name: string, ok: boolean, detail = ''): boolean {
  const line = `check: ${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`;
  console.log(line);
  if (process.env.DOJO_CHECKS_FILE) fs.appendFileSync(process.env.DOJO_CHECKS_FILE, line.split('\n')[0] + '\n');
  return ok;
}

// ---------------------------------------------------------------- the API server
interface Response {
  status: number;
  body: any;
  warnings: string[];
}
class Kube {
  private agent: https.Agent;
  private server: string;
  private headers: Record<string, string | string[]>;
  private resources = new Map<string, { plural: string; namespaced: boolean } | null>();
  constructor(kubeconfig: string, impersonate?: { user: string; groups: string[] }) {
    const config = YAML.parse(fs.readFileSync(kubeconfig, 'utf8'));
    const cluster = config.clusters[0].cluster;
    const user = config.users[0].user;
    const b64 = (s: string) => Buffer.from(s, 'base64');
    this.server = cluster.server;
    this.agent = new https.Agent({
      ca: b64(cluster['certificate-authority-data']),
      cert: b64(user['client-certificate-data']),
      key: b64(user['client-key-data']),
      keepAlive: true,
      maxSockets: 8,
    });
    this.headers = impersonate ? { 'Impersonate-User': impersonate.user, 'Impersonate-Group': impersonate.groups } : {};
  }
  request(method: string, url: string, body?: string, contentType = 'application/json'): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        this.server + url,
        {
          method,
          agent: this.agent,
          headers: {
            ...this.headers,
            Accept: 'application/json',
            ...(body !== undefined ? { 'Content-Type': contentType } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const warnings: string[] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2)
              if (res.rawHeaders[i].toLowerCase() === 'warning') {
                // 299 - "text": the text as kubectl prints it after "Warning: "
                const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(res.rawHeaders[i + 1]);
                warnings.push(m ? m[1].replace(/\\(.)/g, '$1') : res.rawHeaders[i + 1]);
              }
            let parsed: any = text;
            try {
              parsed = JSON.parse(text);
            } catch {}
            resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
  /** Plural and scope of apiVersion/kind from discovery, looked up again after a miss (new CRDs). */
  async resource(apiVersion: string, kind: string) {
    const key = `${apiVersion}/${kind}`;
    if (!this.resources.get(key)) {
      const r = await this.request('GET', apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`);
      if (r.status === 200)
        for (const res of r.body.resources ?? [])
          if (!res.name.includes('/'))
            this.resources.set(`${apiVersion}/${res.kind}`, { plural: res.name, namespaced: res.namespaced });
    }
    return this.resources.get(key);
  }
  async url(o: Obj, defaultNs: string): Promise<string | { error: string }> {
    const r = await this.resource(o.apiVersion, o.kind);
    if (!r)
      return {
        error: `resource mapping not found for name: "${o.metadata?.name}" namespace: "${o.metadata?.namespace ?? defaultNs}" from "": no matches for kind "${o.kind}" in version "${o.apiVersion}"`,
      };
    const base = o.apiVersion === 'v1' ? '/api/v1' : `/apis/${o.apiVersion}`;
    const ns = o.metadata?.namespace || defaultNs || 'default';
    return `${base}${r.namespaced ? `/namespaces/${ns}` : ''}/${r.plural}/${encodeURIComponent(o.metadata.name)}`;
  }
}
const errorText = (r: Response) =>
  typeof r.body === 'object' && r.body?.message
    ? `Error from server (${r.body.reason || r.status}): ${r.body.message}`
    : `HTTP ${r.status}: ${String(r.body).slice(0, 500)}`;

// ---------------------------------------------------------------- rendering the add-ons
interface AddonIndex {
  app: string;
  parent: string;
  wave: number;
  destNs: string;
  file: string;
  source: string;
}
function documents(text: string, where: string): { o: Obj; text: string; doc: number }[] {
  const out: { o: Obj; text: string; doc: number }[] = [];
  // Duplicate keys (a chart template can render one twice): parsed, last wins, as ArgoCD does; the API server judges the text.
  YAML.parseAllDocuments(text, { uniqueKeys: false }).forEach((d, i) => {
    if (d.errors.length) throw new Error(`${where} doc ${i}: ${d.errors[0].message}`);
    const o = d.toJS();
    // A List is applied item by item, as ArgoCD unpacks it.
    if (o && typeof o === 'object' && /List$/.test(o.kind ?? '') && Array.isArray(o.items))
      for (const item of o.items) out.push({ o: item, text: YAML.stringify(item), doc: i });
    else if (o && typeof o === 'object' && o.kind) out.push({ o, text: text.slice(d.range[0], d.range[2]), doc: i });
  });
  return out;
}
const yamlFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      return fs.statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
    });

/** A file's path in the repo whose dist/<cluster> is `dist`: what an Application's source.path names. */
const repoPath = (dist: string, file: string) => path.relative(path.dirname(path.dirname(dist)), file);

/** Every Application in the dists, with the Application (in dist) whose folder holds it. */
function applications(dists: string[]) {
  const all: { o: Obj; file: string }[] = [];
  for (const dist of dists)
    for (const file of yamlFiles(dist))
      for (const { o } of documents(fs.readFileSync(file, 'utf8'), file))
        if (o.kind === 'Application') all.push({ o, file: repoPath(dist, file) });
  const folderApps = all.filter(({ o }) => o.spec?.source?.path && !o.spec.source.chart);
  const parentOf = (file: string) =>
    folderApps
      .filter(({ o }) => file.startsWith(o.spec.source.path.replace(/\/$/, '') + '/'))
      .sort((a, b) => b.o.spec.source.path.length - a.o.spec.source.path.length)[0]?.o.metadata.name ?? '(root)';
  return all.map((a) => ({ ...a, parent: parentOf(a.file) }));
}

async function render(outDir: string, dists: string[]) {
  fs.mkdirSync(outDir, { recursive: true });
  const kubeconfig = process.env.KUBECONFIG;
  // What ArgoCD passes to helm: the cluster's version and API versions (group/version and group/version/Kind).
  let kubeVersion = process.env.DOJO_KUBE_VERSION ?? '1.34.4';
  const apiVersions: string[] = [];
  if (kubeconfig) {
    const kube = new Kube(kubeconfig);
    const v = await kube.request('GET', '/version');
    if (v.status === 200) kubeVersion = String(v.body.gitVersion).replace(/^v/, '');
    const core = await kube.request('GET', '/api/v1');
    const groups = await kube.request('GET', '/apis');
    const gvs = ['v1', ...groups.body.groups.flatMap((g: Obj) => g.versions.map((x: Obj) => x.groupVersion))];
    for (const gv of gvs) {
      const r = gv === 'v1' ? core : await kube.request('GET', `/apis/${gv}`);
      apiVersions.push(gv);
      for (const res of r.body.resources ?? []) if (!res.name.includes('/')) apiVersions.push(`${gv}/${res.kind}`);
    }
  }
  const index: AddonIndex[] = [];
  const local = dists.map((d) => repoPath(d, d));
  for (const { o: app, parent } of applications(dists)) {
    const source = app.spec?.source;
    if (!source) continue;
    const name = app.metadata.name;
    const destNs = app.spec.destination?.namespace ?? '';
    const wave = Number(app.metadata.annotations?.[SYNC_WAVE] ?? 0);
    const file = path.join(outDir, `${name}.yaml`);
    let text: string;
    let what: string;
    if (source.chart) {
      what = `chart ${source.chart} ${source.targetRevision} (${source.repoURL})`;
      const dir = chartDir(source.chart, source.targetRevision);
      if (!dir && source.repoURL === CHARTS.istioBase.repoURL && source.chart === CHARTS.istioBase.chart) {
        // ../shared/charts holds no Istio chart: istio-base's CRDs, which a mesh course's
        // Telemetry objects need, come from the Go module they are made from; its webhook is left out.
        const file = istioCrdsFile(source.targetRevision);
        what = `CRDs of istio.io/api@v${source.targetRevision} (no folder ${source.chart}-${source.targetRevision} under ${CHARTS_DIR})`;
        text = fs.readFileSync(file, 'utf8');
      } else if (!dir) {
        console.log(`render: SKIP ${name}: ${what}: no folder ${source.chart}-${source.targetRevision} under ${CHARTS_DIR}`);
        continue;
      } else {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-render-'));
        const args = ['template', source.helm?.releaseName ?? name, dir, '--namespace', destNs, '--kube-version', kubeVersion];
        // ArgoCD: valueFiles, then values, then valuesObject (which wins), then parameters.
        if (source.helm?.values) {
          fs.writeFileSync(path.join(tmp, 'values.yaml'), source.helm.values);
          args.push('--values', path.join(tmp, 'values.yaml'));
        }
        if (source.helm?.valuesObject) {
          fs.writeFileSync(path.join(tmp, 'values-object.json'), JSON.stringify(source.helm.valuesObject));
          args.push('--values', path.join(tmp, 'values-object.json'));
        }
        for (const p of source.helm?.parameters ?? [])
          args.push(p.forceString ? '--set-string' : '--set', `${p.name}=${p.value}`);
        if (source.helm?.valueFiles?.length) console.log(`render: ${name}: valueFiles ${source.helm.valueFiles} ignored`);
        args.push(source.helm?.skipCrds ? '--skip-crds' : '--include-crds');
        for (const v of apiVersions) args.push('--api-versions', v);
        try {
          text = execFileSync(helmBinary(), args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: 'pipe' });
        } catch (e: any) {
          check(`render ${name}`, false, `${what}: ${String(e.stderr ?? e.message).trim()}`);
          continue;
        } finally {
          fs.rmSync(tmp, { recursive: true, force: true });
        }
      }
    } else if (source.path && !local.some((d) => source.path === d || source.path.startsWith(d + '/'))) {
      // A folder of plain manifests in an outside git repo (the Gateway API CRDs: <repo>-<tag> under
      // the charts dir; Traefik's CRDs: the crds/ of its chart there), with ArgoCD's directory.include.
      const { folder, dir } = gitSourceDir({ repoURL: source.repoURL, path: source.path, revision: source.targetRevision });
      what = `${source.repoURL} ${source.path} at ${source.targetRevision}${source.directory?.include ? ` (${source.directory.include})` : ''}`;
      if (!fs.existsSync(dir)) {
        console.log(`render: SKIP ${name}: ${what}: no folder ${folder} under ${CHARTS_DIR}`);
        continue;
      }
      text = gitSourceFiles(dir, source.directory?.include)
        .map((f) => fs.readFileSync(f, 'utf8'))
        .join('\n---\n');
    } else continue;
    fs.writeFileSync(file, text);
    const n = documents(text, file).length;
    console.log(`render: ${name} (wave ${wave}, in ${parent}) -> ${destNs}: ${what}: ${n} objects`);
    index.push({ app: name, parent, wave, destNs, file, source: what });
  }
  fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(index, null, 1));
  // The CRDs of DOJO_CRDS_DIR that no rendered add-on brings (ArgoCD's own, a chart that is missing):
  // the harness applies those before the sync; the add-ons' own come in their Application's order.
  const crdsDir = process.env.DOJO_CRDS_DIR;
  if (crdsDir && fs.existsSync(crdsDir)) {
    const rendered = new Set(
      index.flatMap((a) =>
        documents(fs.readFileSync(a.file, 'utf8'), a.file)
          .filter((d) => d.o.kind === 'CustomResourceDefinition')
          .map((d) => d.o.metadata.name),
      ),
    );
    const rest: string[] = [];
    const skipped: string[] = [];
    for (const f of yamlFiles(crdsDir))
      for (const d of documents(fs.readFileSync(f, 'utf8'), f))
        if (d.o.kind === 'CustomResourceDefinition')
          (rendered.has(d.o.metadata.name) ? skipped : rest).push(rendered.has(d.o.metadata.name) ? d.o.metadata.name : d.text);
    fs.writeFileSync(path.join(outDir, 'crds-not-rendered.yaml'), rest.map((t) => t.replace(/\n*$/, '\n')).join('---\n'));
    console.log(
      `render: ${rest.length} CRDs of ${crdsDir} come from no add-on (applied first); ${skipped.length} come with their add-on`,
    );
  }
}

// ---------------------------------------------------------------- the plan (ArgoCD's order)
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
const kindRank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);

interface Step {
  seq: number;
  src: string;
  text: string;
  o: Obj;
  kind: string;
  ns: string;
  name: string;
  defaultNs: string;
  app: string;
  order: number[];
  phase: number;
  wave: number;
  hook: boolean;
  pruneFalse: boolean;
  key: string;
}
const group = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/**
 * Namespaces first; then the Applications' folders: an Application's objects come after its
 * parent's, at the Application's sync wave (dist/<cluster>/apps is the root Application's);
 * inside one Application: hook phase, sync wave, gitops-engine's kind order, kind, name.
 */
function plan(dists: string[], addonsDir?: string): Step[] {
  const apps = applications(dists);
  const byName = new Map(apps.map((a) => [a.o.metadata.name as string, a]));
  const addons: AddonIndex[] = addonsDir ? JSON.parse(fs.readFileSync(path.join(addonsDir, 'index.json'), 'utf8')) : [];
  const orderOf = (name: string): number[] => {
    const a = byName.get(name);
    if (!a) return [];
    return [...orderOf(a.parent), Number(a.o.metadata.annotations?.[SYNC_WAVE] ?? 0)];
  };
  const folderApps = apps.filter(({ o }) => o.spec?.source?.path && !o.spec.source.chart);
  const owner = (file: string) =>
    folderApps
      .filter(
        ({ o }) => file === o.spec.source.path.replace(/\/$/, '') || file.startsWith(o.spec.source.path.replace(/\/$/, '') + '/'),
      )
      .sort((a, b) => b.o.spec.source.path.length - a.o.spec.source.path.length)[0]?.o;
  const raw: Omit<Step, 'seq'>[] = [];
  const add = (src: string, doc: number, o: Obj, text: string, app: string, appNs: string) => {
    const ann = o.metadata?.annotations ?? {};
    const helmHook: string | undefined = ann['helm.sh/hook'];
    const argoHook: string | undefined = ann['argocd.argoproj.io/hook'];
    // ArgoCD maps Helm's hooks: pre-install/pre-upgrade -> PreSync, post-* -> PostSync; test hooks are not synced.
    let phase = 0;
    const hookNames = (argoHook ?? helmHook ?? '').split(',').map((s) => s.trim());
    if (hookNames.some((h) => /^(test|test-success|test-failure|Skip)$/.test(h))) return;
    if (hookNames.some((h) => /^(pre-install|pre-upgrade|PreSync)$/.test(h))) phase = -1;
    if (hookNames.some((h) => /^(post-install|post-upgrade|PostSync)$/.test(h))) phase = 1;
    const wave = Number(ann[SYNC_WAVE] ?? (helmHook ? (ann['helm.sh/hook-weight'] ?? 0) : 0));
    const ns = o.metadata?.namespace ?? '';
    raw.push({
      src: `${src}#${doc}`,
      text: text.endsWith('\n') ? text : text + '\n',
      o,
      kind: o.kind,
      ns,
      name: o.metadata?.name ?? '',
      defaultNs: ns ? '' : appNs,
      app,
      order: orderOf(app),
      phase,
      wave,
      hook: !!(helmHook || argoHook),
      pruneFalse: /(^|,)\s*Prune=false/.test(ann['argocd.argoproj.io/sync-options'] ?? ''),
      key: '',
    });
  };
  for (const dist of dists)
    for (const file of yamlFiles(dist)) {
      const rel = repoPath(dist, file);
      const app = owner(rel);
      for (const d of documents(fs.readFileSync(file, 'utf8'), file))
        add(rel, d.doc, d.o, d.text, app?.metadata.name ?? '(root)', app?.spec.destination?.namespace ?? '');
    }
  for (const a of addons)
    for (const d of documents(fs.readFileSync(a.file, 'utf8'), a.file))
      add(`addons/${path.basename(a.file)}`, d.doc, d.o, d.text, a.app, a.destNs);
  const cmpArrays = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  };
  raw.sort(
    (a, b) =>
      Number(b.kind === 'Namespace' && !b.hook) - Number(a.kind === 'Namespace' && !a.hook) ||
      cmpArrays(a.order, b.order) ||
      a.app.localeCompare(b.app) ||
      a.phase - b.phase ||
      a.wave - b.wave ||
      kindRank(a.kind) - kindRank(b.kind) ||
      a.kind.localeCompare(b.kind) ||
      a.name.localeCompare(b.name) ||
      a.src.localeCompare(b.src),
  );
  return raw.map((s, i) => ({ ...s, seq: i + 1, key: '' }));
}

// ---------------------------------------------------------------- apply
interface Result {
  step: Step;
  url?: string;
  result: 'ok' | 'warning' | 'refused';
  messages: string[];
  resourceVersion?: string;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const keyOf = (s: Step, url: string) =>
  `${group(s.o.apiVersion)}|${s.kind}|${s.kind !== 'Namespace' && url.includes('/namespaces/') ? url.split('/namespaces/')[1].split('/')[0] : ''}|${s.name}`;

async function applyOne(kube: Kube, s: Step, dryRun = false): Promise<Result & { body?: any }> {
  const url = await kube.url(s.o, s.defaultNs);
  if (typeof url !== 'string') return { step: s, result: 'refused', messages: [url.error] };
  const q = `?fieldManager=${FIELD_MANAGER}&force=true${dryRun ? '&dryRun=All' : ''}`;
  const r = await kube.request('PATCH', url + q, s.text, 'application/apply-patch+yaml');
  if (r.status >= 300)
    return { step: s, url, result: 'refused', messages: [...r.warnings.map((w) => `Warning: ${w}`), errorText(r)] };
  return {
    step: s,
    url,
    result: r.warnings.length ? 'warning' : 'ok',
    messages: r.warnings.map((w) => `Warning: ${w}`),
    resourceVersion: r.body?.metadata?.resourceVersion,
    body: r.body,
  };
}

function loadAllowlist(): { re: RegExp; line: string }[] {
  const file = process.env.DOJO_KNOWN_WARNINGS ?? path.join(__dirname_(), 'known-warnings.txt');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\s+# .*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ re: new RegExp(l), line: l }));
}
function __dirname_() {
  return path.join(process.cwd(), 'test', 'cluster');
}

/** Refusals that only say a webhook's pods are not running: no nodes here (see test/cluster/README.md). */
const WEBHOOK_DOWN = /failed calling webhook/;

async function apply(out: string, dists: string[]) {
  const addonsDir = process.env.DOJO_ADDONS === '0' ? undefined : path.join(out, 'addons');
  const admin = new Kube(process.env.KUBECONFIG!);
  const asAdmin = process.env.DOJO_APPLY_AS === 'admin';
  const kube = asAdmin
    ? admin
    : new Kube(process.env.KUBECONFIG!, {
        user: ARGOCD_SA,
        groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd', 'system:authenticated'],
      });
  const steps = plan(dists, addonsDir);
  const t0 = Date.now();
  const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `== ${steps.length} objects (${steps.filter((s) => s.src.startsWith('addons/')).length} from add-ons) from ${dists.join(' ')}`,
  );

  // Namespaces objects need that dist does not define: ArgoCD's CreateNamespace=true or the bootstrap creates them.
  const defined = new Set(steps.filter((s) => s.kind === 'Namespace').map((s) => s.name));
  const needed = new Set(
    steps
      .filter((s) => s.kind !== 'Namespace')
      .map((s) => s.ns || s.defaultNs)
      .filter(Boolean),
  );
  const created: string[] = [];
  const results: Result[] = [];
  let namespacesDone = false;
  // ArgoCD waits 2 s between an Application's sync waves (v3.4.4 controller/sync.go,
  // delayBetweenSyncWaves; ARGOCD_SYNC_WAVE_DELAY): what a later wave relies on, such as a quota
  // that has counted its namespace, has that long.
  const waveDelay = Number(process.env.DOJO_SYNC_WAVE_DELAY ?? 2) * 1000;
  let previous: Step | undefined;
  for (const s of steps) {
    if (previous && previous.app === s.app && (previous.phase !== s.phase || previous.wave !== s.wave)) await sleep(waveDelay);
    previous = s;
    if (s.kind !== 'Namespace' && !namespacesDone) {
      namespacesDone = true;
      for (const n of [...needed].sort())
        if (!defined.has(n) && (await admin.request('GET', `/api/v1/namespaces/${n}`)).status === 404) {
          const r = await admin.request(
            'POST',
            '/api/v1/namespaces',
            JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }),
          );
          if (r.status < 300) created.push(n);
        }
      console.log(`== namespaces not in dist, created by the harness: ${created.join(' ') || '(none)'}`);
    }
    let r = await applyOne(kube, s);
    // A namespace being created a moment ago, or a CRD of the same sync not served yet: ArgoCD retries.
    for (
      let i = 0;
      i < 20 && r.result === 'refused' && /no matches for kind|could not find the requested resource/.test(r.messages.join(' '));
      i++
    ) {
      await sleep(250);
      r = await applyOne(kube, s);
    }
    results.push(r);
    if (r.url) s.key = keyOf(s, r.url);
    if (s.kind === 'CustomResourceDefinition' && r.result !== 'refused') {
      for (let i = 0; i < 120; i++) {
        const c = await admin.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${s.name}`);
        if (c.body?.status?.conditions?.some((x: Obj) => x.type === 'Established' && x.status === 'True')) break;
        await sleep(250);
      }
    }
    if (r.result !== 'ok') {
      console.log(`-- ${r.result}: ${s.kind} ${s.ns || s.defaultNs}/${s.name} (${s.src})`);
      for (const m of r.messages) console.log(`   ${m}`);
    }
  }
  const count = (k: string) => results.filter((r) => r.result === k).length;
  console.log(`== applied in ${secs()}s: ${count('ok')} ok, ${count('warning')} with warnings, ${count('refused')} refused`);
  const tsv = ['seq\tsource\tkind\tobject\tresult\tmessage'];
  for (const r of results)
    tsv.push(
      [
        String(r.step.seq).padStart(4, '0'),
        r.step.src,
        r.step.kind,
        `${r.step.ns || r.step.defaultNs}/${r.step.name}`,
        r.result,
        r.messages.join(' ').replace(/\s+/g, ' '),
      ].join('\t'),
    );
  fs.writeFileSync(path.join(out, 'results.tsv'), tsv.join('\n') + '\n');

  // Refusals: a failure, except a webhook whose pods cannot run here (no nodes).
  const refused = results.filter((r) => r.result === 'refused');
  const webhookDown = refused.filter((r) => WEBHOOK_DOWN.test(r.messages.join(' ')));
  const realRefused = refused.filter((r) => !webhookDown.includes(r));
  const distinct = (rs: Result[]) => {
    const m = new Map<string, string[]>();
    for (const r of rs)
      for (const msg of r.messages) {
        const generic = msg.replace(r.step.name, '<name>');
        m.set(generic, [...(m.get(generic) ?? []), `${r.step.kind} ${r.step.ns || r.step.defaultNs}/${r.step.name}`]);
      }
    return [...m].map(([msg, objs]) => `  ${objs.length}x ${msg}\n     e.g. ${objs.slice(0, 3).join(', ')}`).join('\n');
  };
  if (webhookDown.length)
    console.log(`== refused because a webhook's pods are not running (no nodes; not a failure):\n${distinct(webhookDown)}`);
  check(
    `${label(dists)} apply: nothing refused`,
    realRefused.length === 0,
    realRefused.length ? `${realRefused.length} refused\n${distinct(realRefused)}` : '',
  );

  // Warnings: every one listed; one not in known-warnings.txt fails.
  const allow = loadAllowlist();
  const warned = results.filter((r) => r.messages.some((m) => m.startsWith('Warning: ')));
  const unknown: Result[] = [];
  const byMessage = new Map<string, { n: number; known: string | undefined }>();
  for (const r of warned)
    for (const m of r.messages.filter((m) => m.startsWith('Warning: '))) {
      const text = m.slice('Warning: '.length);
      const known = allow.find((a) => a.re.test(text))?.line;
      if (!known && !unknown.includes(r)) unknown.push(r);
      byMessage.set(m, { n: (byMessage.get(m)?.n ?? 0) + 1, known });
    }
  console.log(`== warnings (${warned.length} objects, ${byMessage.size} distinct):`);
  for (const [m, { n, known }] of byMessage) console.log(`  ${n}x ${known ? '[known]' : '[NOT IN known-warnings.txt]'} ${m}`);
  check(
    `${label(dists)} warnings: all in known-warnings.txt`,
    unknown.length === 0,
    unknown.length ? `${unknown.length} objects with unknown warnings\n${distinct(unknown)}` : '',
  );

  // Settle: the controllers (deployment, statefulset, namespace...) act; then drift and idempotence.
  const settle = Number(process.env.DOJO_SETTLE_SECONDS ?? 20);
  await sleep(settle * 1000);
  const applied = results.filter((r) => r.result !== 'refused' && !r.step.hook);
  // Drift: what ArgoCD's server-side diff would show right after the sync: a dry-run apply
  // (forcing conflicts) compared with the live object, managedFields aside.
  const strip = (o: Obj) => {
    const c = JSON.parse(JSON.stringify(o ?? {}));
    delete c.metadata?.managedFields;
    return c;
  };
  const drift: string[] = [];
  for (const r of applied) {
    const live = await kube.request('GET', r.url!);
    const dry = await applyOne(kube, r.step, true);
    if (live.status !== 200) drift.push(`${r.step.kind} ${r.url}: live object gone (${live.status})`);
    else if (dry.result === 'refused') drift.push(`${r.step.kind} ${r.url}: dry-run refused: ${dry.messages.join(' ')}`);
    else if (JSON.stringify(strip(live.body)) !== JSON.stringify(strip(dry.body)))
      drift.push(`${r.step.kind} ${r.url}: ${jsonDiff(strip(live.body), strip(dry.body)).join('; ')}`);
  }
  fs.writeFileSync(path.join(out, 'drift.txt'), drift.join('\n') + '\n');
  check(
    `${label(dists)} drift: a server-side diff after the sync shows nothing`,
    drift.length === 0,
    drift.length ? `${drift.length} objects differ\n  ${drift.slice(0, 20).join('\n  ')}` : '',
  );

  // Idempotence: the second sync changes nothing (no resourceVersion moves).
  // A write that only rewrites metadata.managedFields (the API server re-records the appliers'
  // entries when a controller applied status in between) is listed, not failed: nothing ArgoCD compares moved.
  const changed: string[] = [];
  const bookkeeping: string[] = [];
  for (const r of applied) {
    const before = await kube.request('GET', r.url!);
    const again = await applyOne(kube, r.step);
    if (again.result === 'refused') changed.push(`${r.step.kind} ${r.url}: refused the second time: ${again.messages.join(' ')}`);
    else if (again.resourceVersion !== before.body?.metadata?.resourceVersion) {
      const content = jsonDiff(strip(before.body), strip(again.body)).filter((d) => !d.startsWith('.metadata.resourceVersion'));
      if (content.length) changed.push(`${r.step.kind} ${r.url}: ${content.join('; ')}`);
      else bookkeeping.push(`${r.step.kind} ${r.url}`);
    }
  }
  if (bookkeeping.length)
    console.log(
      `== second apply: ${bookkeeping.length} objects got a new resourceVersion with only metadata.managedFields rewritten:\n  ${bookkeeping.join('\n  ')}`,
    );
  check(
    `${label(dists)} idempotent: the second apply changes nothing`,
    changed.length === 0,
    changed.length ? `${changed.length} objects changed\n  ${changed.slice(0, 20).join('\n  ')}` : '',
  );

  // What was applied, for a later prune.
  const state = applied.map((r) => ({
    key: r.step.key,
    url: r.url,
    kind: r.step.kind,
    name: r.step.name,
    ns: r.step.ns || r.step.defaultNs,
    app: r.step.app,
    pruneFalse: r.step.pruneFalse,
    src: r.step.src,
  }));
  fs.writeFileSync(path.join(out, 'state.json'), JSON.stringify(state, null, 1));
  console.log(`== apply, drift and idempotence in ${secs()}s; state in ${path.join(out, 'state.json')}`);
}
const label = (dists: string[]) => dists.map((d) => `dist/${path.basename(d)}`).join('+');

function jsonDiff(a: any, b: any, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b))
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => jsonDiff(a[k], b[k], `${at}.${k}`));
  return [`${at || '.'}: ${JSON.stringify(a)?.slice(0, 120)} -> ${JSON.stringify(b)?.slice(0, 120)}`];
}

// ---------------------------------------------------------------- prune
interface StateEntry {
  key: string;
  url: string;
  kind: string;
  name: string;
  ns: string;
  app: string;
  pruneFalse: boolean;
  src: string;
}
async function prune(_work: string, oldFile: string, newFile: string, course: string) {
  const kube = new Kube(process.env.KUBECONFIG!, {
    user: ARGOCD_SA,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd', 'system:authenticated'],
  });
  const olds: StateEntry[] = JSON.parse(fs.readFileSync(oldFile, 'utf8'));
  const news = new Set((JSON.parse(fs.readFileSync(newFile, 'utf8')) as StateEntry[]).map((s) => s.key));
  const gone = olds.filter((o) => !news.has(o.key));
  const keep = gone.filter((o) => o.pruneFalse);
  const del = gone.filter((o) => !o.pruneFalse);
  console.log(`== prune: ${gone.length} objects in the old sync and not the new (${keep.length} Prune=false, kept)`);
  const t0 = Date.now();
  // The namespace controller finishes a deletion only once API discovery is complete; the
  // add-ons' APIServices (metrics-server's v1beta1.metrics.k8s.io, KEDA's
  // v1beta1.external.metrics.k8s.io) have no pods without nodes: the harness deletes the
  // unavailable ones first, and says so.
  const services = await kube.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices');
  for (const a of services.body?.items ?? []) {
    const available = a.status?.conditions?.find((c: Obj) => c.type === 'Available');
    if (a.spec?.service && available?.status !== 'True') {
      console.log(`   harness: deleting unavailable APIService ${a.metadata.name}: ${available?.message ?? ''}`);
      await kube.request('DELETE', `/apis/apiregistration.k8s.io/v1/apiservices/${a.metadata.name}`);
    }
  }
  // Children before what holds them: namespaces last, as ArgoCD prunes (reverse order).
  // Background propagation: the garbage collector removes dependents (pods of a StatefulSet...).
  for (const o of [...del].reverse()) {
    const r = await kube.request('DELETE', `${o.url}?propagationPolicy=Background`);
    if (r.status >= 300 && r.status !== 404) console.log(`-- delete ${o.kind} ${o.url}: ${errorText(r)}`);
  }
  // A finalizer whose controller does not run here (ArgoCD's on Applications, Karpenter's on
  // NodePools...) is removed by the harness, as that controller would, and listed.
  const builtin = /^(kubernetes|kubernetes\.io\/.*|foregroundDeletion|orphan)$/;
  let left = del;
  const stripped = new Set<string>();
  for (let i = 0; i < 240 && left.length; i++) {
    const still: StateEntry[] = [];
    for (const o of left) {
      const g = await kube.request('GET', o.url);
      if (g.status === 404) continue;
      still.push(o);
      const finalizers: string[] = g.body?.metadata?.finalizers ?? [];
      if (i >= 4 && g.body?.metadata?.deletionTimestamp && finalizers.some((f) => !builtin.test(f)) && !stripped.has(o.url)) {
        stripped.add(o.url);
        console.log(
          `   harness: removing finalizers ${finalizers.filter((f) => !builtin.test(f)).join(',')} of ${o.kind} ${o.url} (controller not running)`,
        );
        await kube.request(
          'PATCH',
          o.url,
          JSON.stringify({ metadata: { finalizers: finalizers.filter((f) => builtin.test(f)) } }),
          'application/merge-patch+json',
        );
      }
    }
    left = still;
    if (left.length) await sleep(500);
  }
  console.log(`== prune done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  const ofCourse = gone.filter((o) => JSON.stringify(o).includes(course));
  check(
    `prune: objects of the removed course ${course} were in the old sync and not the new`,
    ofCourse.length > 0,
    `${ofCourse.length} of ${gone.length}`,
  );
  check(
    `prune: every pruned object of the removed course ${course} is gone`,
    left.length === 0,
    left.length
      ? `${left.length} still there: ${left
          .slice(0, 10)
          .map((o) => `${o.kind} ${o.url}`)
          .join(', ')}`
      : `${del.length} deleted`,
  );
  if (keep.length) {
    const missing: string[] = [];
    for (const o of keep) if ((await kube.request('GET', o.url)).status !== 200) missing.push(`${o.kind} ${o.url}`);
    check(
      `prune: objects with Prune=false stay`,
      missing.length === 0,
      missing.length ? missing.join(', ') : `${keep.length} kept`,
    );
  }
}

/**
 * The CRDs that the add-ons' git folders bring (the Gateway API's, Traefik's traefik.io) and
 * $DOJO_CRDS_DIR lacks, as YAML on stdout: with DOJO_ADDONS=0 no add-on is applied, but dist's
 * own objects (Middlewares beside the HTTPRoutes) still need their kinds.
 */
function gitFolderCrds(dists: string[]) {
  const crdsDir = process.env.DOJO_CRDS_DIR;
  const known = new Set(
    crdsDir && fs.existsSync(crdsDir)
      ? yamlFiles(crdsDir).flatMap((f) =>
          documents(fs.readFileSync(f, 'utf8'), f)
            .filter((d) => d.o.kind === 'CustomResourceDefinition')
            .map((d) => d.o.metadata.name),
        )
      : [],
  );
  const local = dists.map((d) => repoPath(d, d));
  const out: string[] = [];
  for (const { o: app } of applications(dists)) {
    const source = app.spec?.source;
    if (!source?.path || source.chart || local.some((d) => source.path === d || source.path.startsWith(d + '/'))) continue;
    const { dir } = gitSourceDir({ repoURL: source.repoURL, path: source.path, revision: source.targetRevision });
    if (!fs.existsSync(dir)) continue;
    for (const f of gitSourceFiles(dir, source.directory?.include))
      for (const d of documents(fs.readFileSync(f, 'utf8'), f))
        if (d.o.kind === 'CustomResourceDefinition' && !known.has(d.o.metadata.name)) {
          known.add(d.o.metadata.name);
          out.push(d.text.replace(/\n*$/, '\n'));
        }
  }
  process.stdout.write(out.join('---\n'));
}

// ---------------------------------------------------------------- main
async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  if (cmd === 'render' && args.length >= 2)
    return render(
      args[0],
      args.slice(1).map((d) => path.resolve(d)),
    );
  if (cmd === 'apply' && args.length >= 2)
    return apply(
      args[0],
      args.slice(1).map((d) => path.resolve(d)),
    );
  if (cmd === 'prune' && args.length === 4) return prune(args[0], args[1], args[2], args[3]);
  if (cmd === 'git-crds' && args.length >= 1) return gitFolderCrds(args.map((d) => path.resolve(d)));
  if (cmd === 'plan' && args.length >= 1) {
    for (const s of plan(args.map((d) => path.resolve(d))))
      console.log([s.seq, s.kind, s.ns || s.defaultNs, s.name, s.app, s.order.join(','), s.wave].join('\t'));
    return;
  }
  console.error(
    'usage: sync.js render OUTDIR DISTDIR... | apply OUT DISTDIR... | prune WORK OLDSTATE NEWSTATE COURSE | git-crds DISTDIR...',
  );
  process.exit(2);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
