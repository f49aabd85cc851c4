import { NOT_ON_SYSTEM_NODES, WEBHOOKS_SERVED_ELSEWHERE } from '../lib/plan/mesh/mesh';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { synth } from '../lib/synth';
import { chartDir, gitSourceDir, gitSourceFiles, helmTemplate } from '../dev/helm';
import { CHARTS_DIR, describeWithUpstream, itWithUpstream, missingPinnedCharts } from './support/upstream';
import { EXAMPLE_REPO, REPO_ROOT, yamlDocuments, type KubeObject } from './support/repo';
import { validateObject } from './support/schemas';
import { crdRuleFailures, hasCrdSchema } from './support/crd-rules';
import { SYSTEM_NODES } from '../lib/plan/addons/addons';
import { pinnedCharts } from '../dev/pinned-charts';
import { ARGOCD } from '../lib/facts/versions';
import { isPasswordFile } from '../lib/input/load/password-hashes';

// Every add-on rendered the way ArgoCD renders it (helm template of the pinned chart, from
// ../shared/charts, with the values dojo generates), together with dist/, for each cluster of
// the fixture repos: what a real cluster would be asked to apply.

const CLASSROOM = path.join(REPO_ROOT, 'test', 'fixtures', 'classroom');
const VIRTUAL_CLUSTERS = path.join(REPO_ROOT, 'test', 'fixtures', 'virtual-clusters');
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const CLUSTER_SCOPED = new Set([
  'APIService',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'EC2NodeClass',
  'GatewayClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'NodePool',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
]);

interface Rendered {
  /** The Application that owns the objects. */
  readonly application: KubeObject;
  readonly wave: number;
  readonly objects: KubeObject[];
}

// Parsing the renders with the `yaml` package was half of this file's time (see yamlDocuments).
const docs = (text: string) =>
  (yamlDocuments(text) as (KubeObject | null)[]).filter((o): o is KubeObject => !!o && typeof o === 'object' && 'kind' in o);

const renderCache = new Map<string, string | { missing: string }>();
const secondRenderCache = new Map<string, string | { missing: string }>();

/**
 * What ArgoCD renders for an Application's source, once per test file and source; `second`: a
 * render made after the first, once per source too (fixtures share sources: one second render
 * of each is what the determinism check needs).
 */
function renderSource(application: KubeObject, kubeVersion: string, second = false): string | { missing: string } {
  const cacheKey = JSON.stringify([application.metadata.name, application.spec.source, kubeVersion]);
  const cache = second ? secondRenderCache : renderCache;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  const text = renderUncached(application, kubeVersion);
  cache.set(cacheKey, text);
  return text;
}

function renderUncached(application: KubeObject, kubeVersion: string): string | { missing: string } {
  const source = application.spec.source;
  if (source.chart) {
    const dir = chartDir(source.chart, source.targetRevision);
    if (!dir) return { missing: `${source.chart}-${source.targetRevision}` };
    return helmTemplate({
      chart: dir,
      release: source.helm?.releaseName ?? application.metadata.name,
      namespace: application.spec.destination.namespace,
      values: source.helm?.valuesObject ?? {},
      kubeVersion,
      skipCrds: source.helm?.skipCrds,
    });
  }
  // A git folder of plain manifests (the Gateway API CRDs, Traefik's own CRDs of its chart).
  const { folder, dir } = gitSourceDir({ repoURL: source.repoURL, path: source.path, revision: source.targetRevision });
  if (!fs.existsSync(dir)) return { missing: folder };
  return gitSourceFiles(dir, source.directory?.include)
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n---\n');
}

/** Per cluster of a fixture repo: every Application with the objects it would apply. */
function clusterRenders(repo: string): { cluster: string; renders: Rendered[]; missing: string[] }[] {
  const result = synth(repo, { write: false });
  expect(result.errors).toEqual([]);
  return fs
    .readdirSync(path.join(repo, 'clusters'))
    .filter((f) => f.endsWith('.yaml') && !isPasswordFile(f))
    .map((file) => {
      const spec = parse(fs.readFileSync(path.join(repo, 'clusters', file), 'utf8'));
      const cluster: string = spec.name;
      const filesOf = (prefix: string) => result.files.filter((f) => f.path.startsWith(prefix)).flatMap((f) => docs(f.content));
      const applications = filesOf(`dist/${cluster}/apps/`).filter((o) => o.kind === 'Application');
      const missing: string[] = [];
      const renders = applications.map((application) => {
        const wave = Number(application.metadata.annotations?.[SYNC_WAVE] ?? 0);
        const source = application.spec.source;
        // dojo's own Applications read a folder of dist/ from the repo of the cluster file.
        if (source.repoURL === spec.argocd.repoURL) return { application, wave, objects: filesOf(`${source.path}/`) };
        const text = renderSource(application, `${spec.kubernetesVersion}.0`);
        if (typeof text !== 'string') {
          missing.push(text.missing);
          return { application, wave, objects: [] };
        }
        return { application, wave, objects: docs(text) };
      });
      return { cluster, renders, missing };
    });
}

const key = (o: KubeObject, defaultNamespace: string) =>
  `${o.apiVersion.split('/').slice(0, -1).join('/') || 'core'}/${o.kind}/${CLUSTER_SCOPED.has(o.kind) ? '' : (o.metadata.namespace ?? defaultNamespace)}/${o.metadata.name}`;

// Without the charts (test/support/upstream.ts) these suites are skipped; with them, a pinned
// chart missing from the folder fails the first test, naming it.
for (const [name, repo] of [
  ['example', EXAMPLE_REPO],
  ['classroom', CLASSROOM],
  ['virtual-clusters', VIRTUAL_CLUSTERS],
] as const)
  describeWithUpstream(['charts'], `the add-ons of the ${name} fixture, rendered as ArgoCD renders them`, () => {
    const clusters = clusterRenders(repo);

    it('render from the pinned charts in ../shared/charts (a chart missing there is named)', () => {
      for (const { cluster, missing } of clusters)
        expect(missingPinnedCharts(missing), `${cluster}: charts not in ${CHARTS_DIR}`).toEqual([]);
      for (const { renders, missing } of clusters)
        for (const r of renders.filter(
          (r) => !missing.includes(`${r.application.spec.source.chart}-${r.application.spec.source.targetRevision}`),
        ))
          expect(r.objects.length, r.application.metadata.name).toBeGreaterThan(0);
    });

    it('give every object one owning Application', () => {
      for (const { cluster, renders } of clusters) {
        const owners = new Map<string, string[]>();
        for (const { application, objects } of renders) {
          for (const o of objects) {
            const k = key(o, application.spec.destination.namespace);
            owners.set(k, [...(owners.get(k) ?? []), application.metadata.name]);
          }
        }
        const shared = [...owners].filter(([, apps]) => apps.length > 1).map(([k, apps]) => `${k}: ${apps.join(', ')}`);
        expect(shared, cluster).toEqual([]);
      }
    });

    it('render the same bytes twice, except where the Application tells ArgoCD to ignore a difference', () => {
      const checked = new Set<string>();
      for (const { cluster, renders } of clusters) {
        for (const { application, objects: first } of renders.filter((r) => r.application.spec.source.chart)) {
          const spec = parse(fs.readFileSync(path.join(repo, 'clusters', `${cluster}.yaml`), 'utf8'));
          const source = JSON.stringify([application.spec.source, spec.kubernetesVersion]);
          if (checked.has(source)) continue;
          checked.add(source);
          const second = docs(renderSource(application, `${spec.kubernetesVersion}.0`, true) as string);
          const ignored = (application.spec.ignoreDifferences ?? []) as { kind: string; name?: string }[];
          first.forEach((o, i) => {
            if (JSON.stringify(o) === JSON.stringify(second[i])) return;
            const covered = ignored.some((d) => d.kind === o.kind && (!d.name || d.name === o.metadata.name));
            expect(covered, `${application.metadata.name}: ${o.kind} ${o.metadata.name} changes on every render`).toBe(true);
          });
        }
      }
    });

    it('put each CRD in an earlier sync wave than the objects of its kind', () => {
      for (const { cluster, renders } of clusters) {
        const crdWave = new Map<string, { wave: number; app: string }>();
        for (const r of renders) {
          for (const o of r.objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
            crdWave.set(`${o.spec.group}/${o.spec.names.kind}`, { wave: r.wave, app: r.application.metadata.name });
          }
        }
        for (const r of renders) {
          for (const o of r.objects) {
            const crd = crdWave.get(`${o.apiVersion.split('/')[0]}/${o.kind}`);
            if (!crd || crd.app === r.application.metadata.name) continue;
            expect(
              crd.wave,
              `${cluster}: ${o.kind} ${o.metadata.name} (${r.application.metadata.name}) before its CRD (${crd.app})`,
            ).toBeLessThan(r.wave);
          }
        }
      }
    });

    it("sync the load balancer controller's webhooks before any Service they intercept", () => {
      for (const { cluster, renders } of clusters) {
        const webhookApps = renders.filter((r) =>
          r.objects.some(
            (o) =>
              o.kind === 'MutatingWebhookConfiguration' &&
              o.webhooks.some((w: { rules?: { resources: string[] }[] }) =>
                w.rules?.some((rule) => rule.resources.includes('services')),
              ),
          ),
        );
        expect(
          webhookApps.map((r) => r.application.metadata.name),
          cluster,
        ).toEqual(['aws-load-balancer-controller']);
        const [webhooks] = webhookApps;
        for (const r of renders.filter((r) => r !== webhooks && r.objects.some((o) => o.kind === 'Service'))) {
          expect(webhooks.wave, `${cluster}: ${r.application.metadata.name} has Services`).toBeLessThan(r.wave);
        }
      }
    });

    it("run Traefik with an entryPoint at every Gateway listener's port, TLS on websecure only, the NLB passing TCP", () => {
      for (const { cluster, renders } of clusters) {
        const all = renders.flatMap((r) => r.objects);
        const gateway = all.find((o) => o.kind === 'Gateway');
        if (!gateway) continue; // alb mode
        const proxy = renders.find((r) => r.application.metadata.name === 'gateway-proxy')!;
        const args: string[] = proxy.objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].args;
        const entryPoints = new Map(
          args.flatMap((a) => {
            const m = /^--entryPoints\.([\w-]+)\.address=:(\d+)\/tcp$/.exec(a);
            return m ? [[Number(m[2]), m[1]] as const] : [];
          }),
        );
        const tls = (entryPoint: string) => args.includes(`--entryPoints.${entryPoint}.http.tls=true`);
        // An HTTP listener on a TLS entryPoint gets none; an HTTPS one binds by port (Traefik v3.6.6).
        for (const listener of gateway.spec.listeners) {
          const entryPoint = entryPoints.get(listener.port);
          expect(entryPoint, `${cluster}: listener ${listener.name}`).toBeDefined();
          expect(tls(entryPoint!), `${cluster}: ${listener.name} on ${entryPoint}`).toBe(listener.protocol === 'HTTPS');
        }
        expect(tls('web'), cluster).toBe(false);
        const service = proxy.objects.find((o) => o.kind === 'Service' && o.spec.type === 'LoadBalancer')!;
        expect(Object.keys(service.metadata.annotations ?? {}).filter((a) => /ssl/.test(a))).toEqual([]);
        expect(service.spec.ports.find((p: { port: number }) => p.port === 443).targetPort).toBe('websecure');
      }
    });

    it("serve each listener's certificate: a Certificate for its host, issued by a ClusterIssuer, readable by Traefik", () => {
      for (const { cluster, renders } of clusters) {
        const all = renders.flatMap((r) => r.objects);
        const gateway = all.find((o) => o.kind === 'Gateway');
        if (!gateway) continue;
        const certificates = all.filter((o) => o.kind === 'Certificate');
        for (const listener of gateway.spec.listeners) {
          const [ref] = listener.tls.certificateRefs;
          const certificate = certificates.find(
            (c) => c.metadata.namespace === gateway.metadata.namespace && c.spec.secretName === ref.name,
          );
          expect(certificate, `${cluster}: ${listener.name} serves Secret ${ref.name}`).toBeDefined();
          expect(certificate!.spec.dnsNames).toContain(listener.hostname);
          const issuer = all.find(
            (o) => o.kind === certificate!.spec.issuerRef.kind && o.metadata.name === certificate!.spec.issuerRef.name,
          );
          expect(issuer, `${cluster}: issuer of ${certificate!.metadata.name}`).toBeDefined();
          const zones: string[] = issuer!.spec.acme.solvers.flatMap((s: any) => s.selector.dnsZones);
          expect(zones.some((z) => listener.hostname.endsWith(`.${z}`))).toBe(true);
        }
        // That cert-manager's CRDs sync before the Certificates is the CRD-wave test's.
        const traefikRole = renders
          .find((r) => r.application.metadata.name === 'gateway-proxy')!
          .objects.find((o) => o.kind === 'ClusterRole')!;
        expect(
          traefikRole.rules.some(
            (r: any) => r.resources.includes('secrets') && ['get', 'list', 'watch'].every((v) => r.verbs.includes(v)),
          ),
          `${cluster}: Traefik reads the certificate Secrets`,
        ).toBe(true);
      }
    });

    it('point every webhook at a Service of its own Application (or the one planned to serve it), on a port that Service has', () => {
      for (const { cluster, renders } of clusters) {
        for (const { application, objects } of renders) {
          const servedBy = WEBHOOKS_SERVED_ELSEWHERE.find((w) => w.application === application.metadata.name);
          const server = servedBy && renders.find((r) => r.application.metadata.name === servedBy.servedBy);
          // The serving Application syncs no earlier than the webhook's, and in the same namespace.
          if (server) {
            expect(server.wave, servedBy!.servedBy).toBeGreaterThanOrEqual(
              Number(application.metadata.annotations?.[SYNC_WAVE] ?? 0),
            );
            expect(server.application.spec.destination.namespace).toBe(application.spec.destination.namespace);
          }
          const services = [...objects, ...(server?.objects ?? [])].filter((o) => o.kind === 'Service');
          for (const config of objects.filter((o) => /^(Mutating|Validating)WebhookConfiguration$/.test(o.kind))) {
            for (const webhook of config.webhooks) {
              const ref = webhook.clientConfig.service;
              const at = `${cluster}/${application.metadata.name}: ${config.kind} ${config.metadata.name} ${webhook.name}`;
              expect(ref, at).toBeDefined();
              const service = services.find(
                (s) =>
                  s.metadata.name === ref.name &&
                  (s.metadata.namespace ?? application.spec.destination.namespace) === ref.namespace,
              );
              expect(service, `${at} -> Service ${ref.namespace}/${ref.name}`).toBeDefined();
              expect(
                service!.spec.ports.map((p: { port: number }) => p.port),
                at,
              ).toContain(ref.port ?? 443);
            }
          }
        }
      }
    });

    it('hold every CEL rule of the CRDs, on dist/ and the rendered add-ons together (as the API server evaluates them)', () => {
      for (const { cluster, renders } of clusters) {
        const all = renders.flatMap((r) => r.objects);
        const checked = all.filter(hasCrdSchema);
        const kinds = new Set(checked.map((o) => o.kind));
        const expected = ['NodePool', 'EC2NodeClass', ...(all.some((o) => o.kind === 'Gateway') ? ['Gateway', 'HTTPRoute'] : [])];
        for (const kind of expected) expect(kinds, cluster).toContain(kind);
        expect(checked.flatMap(crdRuleFailures), cluster).toEqual([]);
      }
    });

    it('catch an object that breaks a CEL rule', () => {
      const gateway = clusters.flatMap((c) => c.renders.flatMap((r) => r.objects)).find((o) => o.kind === 'Gateway')!;
      const broken = structuredClone(gateway);
      // Gateway API v1.6.1: "tls mode must be Terminate for protocol HTTPS".
      broken.spec.listeners[0].tls.mode = 'Passthrough';
      expect(crdRuleFailures(broken)).toEqual([
        expect.objectContaining({ path: '.spec.listeners', message: 'tls mode must be Terminate for protocol HTTPS' }),
      ]);
    });

    it("run every add-on's pods on the system nodes: selected and tolerated", () => {
      for (const { cluster, renders } of clusters) {
        for (const { application, objects } of renders.filter(
          (r) =>
            r.application.spec.source.chart && !(NOT_ON_SYSTEM_NODES as readonly string[]).includes(r.application.metadata.name),
        )) {
          for (const o of objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind))) {
            const pod = o.spec.template.spec;
            const at = `${cluster}/${application.metadata.name}: ${o.kind} ${o.metadata.name}`;
            expect(pod.nodeSelector?.[SYSTEM_NODES.label.key], at).toBe(SYSTEM_NODES.label.value);
            expect(pod.tolerations, at).toContainEqual(
              expect.objectContaining({ key: SYSTEM_NODES.taint.key, effect: SYSTEM_NODES.taint.effect }),
            );
          }
        }
      }
    });

    itWithUpstream(
      ['crds'],
      'validate against the upstream schemas where dojo has them: core kinds and the upstream CRDs',
      async () => {
        for (const { cluster, renders } of clusters) {
          for (const { application, objects } of renders.filter((r) => r.application.spec.source.chart)) {
            for (const o of objects) {
              const errors = await validateObject(o);
              const unknownKind = errors.length === 1 && errors[0].startsWith('no schema known');
              if (!unknownKind)
                expect(errors, `${cluster}/${application.metadata.name}: ${o.kind} ${o.metadata.name}`).toEqual([]);
            }
          }
        }
      },
    );
  });

describe('the charts CI fetches where ../shared/charts is absent (npm run fetch-charts)', () => {
  it('are every chart and CRD folder these tests render, under the folder names they look for', () => {
    const fetched = new Set(pinnedCharts().map((c) => c.folder));
    for (const repo of [EXAMPLE_REPO, CLASSROOM]) {
      const result = synth(repo, { write: false });
      const applications = result.files
        .filter((f) => /^dist\/[^/]+\/apps\//.test(f.path))
        .flatMap((f) => docs(f.content))
        .filter((o) => o.kind === 'Application' && !String(o.spec.source.path ?? '').startsWith('dist/'));
      for (const { spec } of applications) {
        const folder = spec.source.chart
          ? `${spec.source.chart}-${spec.source.targetRevision}`
          : gitSourceDir({ repoURL: spec.source.repoURL, path: spec.source.path, revision: spec.source.targetRevision }).folder;
        expect(fetched, folder).toContain(folder);
      }
    }
    expect(fetched).toContain(`${ARGOCD.chart}-${ARGOCD.version}`);
  });
});
