import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { objectsOf, REPO_ROOT, type FileObject, type KubeObject } from './support/repo';
import { exampleOutput } from './support/example-output';

const files = exampleOutput().files;
const objects: FileObject[] = objectsOf(new Map(files.map((f) => [f.path, f.content])));
const applications = objects.filter((o) => o.object.kind === 'Application').map((o) => o.object);
const byName = (cluster: string, name: string) =>
  objects.find((o) => o.file.startsWith(`dist/${cluster}/apps/`) && o.object.metadata.name === name)!.object;
const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

/** Go's filepath.Match as ArgoCD uses it for names and namespaces: `*` matches any run of characters. */
const glob = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);

describe('Applications', () => {
  it('exist for every cluster file, each with its own tree', () => {
    expect(objects.filter((o) => o.file.startsWith('argocd/')).map((o) => o.file)).toEqual([
      'argocd/example.yaml',
      'argocd/staging.yaml',
    ]);
    for (const cluster of ['example', 'staging']) {
      const root = objects.find((o) => o.file === `argocd/${cluster}.yaml`)!.object;
      expect(root.spec.source.path).toBe(`dist/${cluster}/apps`);
    }
  });

  it('point at a folder of this repo that exists and holds manifests, recursing where it has sub-folders', () => {
    const paths = new Set(files.map((f) => f.path));
    for (const app of applications.filter((a) => a.spec.source.repoURL === 'https://github.com/example-org/dojo.git')) {
      const folder = app.spec.source.path;
      const inside = [...paths].filter((p) => p.startsWith(`${folder}/`));
      expect(inside.length, folder).toBeGreaterThan(0);
      const nested = inside.some((p) => p.slice(folder.length + 1).includes('/'));
      if (nested) expect(app.spec.source.directory, folder).toEqual({ recurse: true });
      expect(app.metadata.annotations!['argocd.argoproj.io/manifest-generate-paths']).toBe(`/${folder}`);
      expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    }
  });

  it('install every controller the generated objects need from a pinned chart', () => {
    const addons = applications.filter((a) => a.spec.source.chart).map((a) => [a.metadata.name, a.spec.source.targetRevision]);
    const example = objects
      .filter((o) => o.file.startsWith('dist/example/apps/') && o.object.spec?.source?.chart)
      .map((o) => o.object.metadata.name)
      .sort();
    expect(example).toEqual([
      'aws-load-balancer-controller',
      'cert-manager',
      'external-dns',
      'gateway-proxy',
      'karpenter',
      'keda',
      'metrics-server',
    ]);
    for (const [name, version] of addons) expect(version, name).toMatch(/^v?\d+\.\d+\.\d+$/);
    for (const app of applications) expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('take their values from the cluster file: names, region, IAM roles or Pod Identity, domain, versions', () => {
    const karpenter = byName('example', 'karpenter').spec.source;
    expect(karpenter.helm.valuesObject.settings.clusterName).toBe('example');
    expect(karpenter.helm.valuesObject.serviceAccount.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/KarpenterController-example',
    });
    expect(karpenter.targetRevision).toBe('1.8.1');
    const staging = byName('staging', 'karpenter').spec.source;
    expect(staging.helm.valuesObject.serviceAccount.annotations).toEqual({});
    expect(staging.targetRevision).toBe('1.8.2');
    const dns = byName('example', 'external-dns').spec.source.helm.valuesObject;
    expect([dns.domainFilters, dns.sources, dns.env]).toEqual([
      // The logins' zone and the students' content zone.
      ['training.example.com', 'training.example.net'],
      ['service'],
      [{ name: 'AWS_DEFAULT_REGION', value: 'us-east-1' }],
    ]);
    expect(byName('staging', 'external-dns').spec.source.helm.valuesObject).toMatchObject({
      sources: ['ingress'],
      domainFilters: ['staging.training.example.com', 'staging.training.example.net'],
    });
    // Gateway mode: the proxy serves class alb, by name and by annotation; alb mode: the
    // controller does (--ingress-class, for the annotation), and dojo makes its IngressClasses.
    expect(byName('example', 'aws-load-balancer-controller').spec.source.helm.valuesObject).toMatchObject({
      createIngressClassResource: false,
      ingressClass: 'aws-alb',
    });
    expect(byName('staging', 'aws-load-balancer-controller').spec.source.helm.valuesObject).toMatchObject({
      createIngressClassResource: false,
      ingressClass: 'alb',
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      region: 'eu-west-1',
    });
    expect(objects.some((o) => o.file === 'dist/staging/apps/gateway-proxy.yaml')).toBe(false);
  });

  it('sync in waves: projects, CRDs, controllers, platform objects, courses (and delete in reverse)', () => {
    const example = objects.filter((o) => o.file.startsWith('dist/example/apps/')).map((o) => o.object);
    const waveOf = (name: string) => wave(example.find((o) => o.metadata.name === name)!);
    expect(waveOf('dojo-platform')).toBeLessThan(waveOf('gateway-api-crds'));
    expect(waveOf('gateway-api-crds')).toBeLessThan(waveOf('karpenter'));
    expect(waveOf('karpenter')).toBeLessThan(waveOf('platform'));
    expect(waveOf('platform')).toBeLessThan(waveOf('course-kubernetes-katas'));
  });
});

describe('AppProjects', () => {
  const project = (cluster: string, name: string) => byName(cluster, name);

  it('put platform Applications in dojo-platform, course Applications in dojo-courses, virtual clusters in dojo-vclusters', () => {
    for (const app of applications) {
      if (app.metadata.name.startsWith('course-')) expect(app.spec.project).toBe('dojo-courses');
      else if (/^vclusters?-/.test(app.metadata.name)) expect(app.spec.project).toBe('dojo-vclusters');
      else if (!app.metadata.name.startsWith('dojo-')) expect(app.spec.project).toBe('dojo-platform');
    }
  });

  it('let every course object through the courses project, each course only into its own namespaces', () => {
    for (const cluster of ['example', 'staging']) {
      const spec = project(cluster, 'dojo-courses').spec;
      for (const { file, object } of objects.filter((o) => o.file.startsWith(`dist/${cluster}/courses/`))) {
        const course = file.split('/')[3];
        const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
        const where = `${file} ${object.kind}/${object.metadata.name}`;
        if (object.metadata.namespace === undefined) {
          const allowed = spec.clusterResourceWhitelist.some(
            (r: any) => r.group === group && r.kind === object.kind && glob(r.name, object.metadata.name),
          );
          expect(allowed, where).toBe(true);
        } else {
          expect(
            spec.namespaceResourceWhitelist.some((r: any) => r.group === group && r.kind === object.kind),
            where,
          ).toBe(true);
          expect(
            spec.destinations.some((d: any) => glob(d.namespace, object.metadata.namespace!)),
            where,
          ).toBe(true);
          expect(
            [course, ...[`${course}-`].map((p) => (object.metadata.namespace!.startsWith(p) ? object.metadata.namespace! : ''))],
            where,
          ).toContain(object.metadata.namespace);
          expect(object.metadata.namespace).not.toBe('kube-system');
        }
      }
    }
  });

  it('refuse to courses what they must never create: CRDs, other cluster-wide RBAC, kube-system', () => {
    const spec = project('example', 'dojo-courses').spec;
    const clusterAllowed = (group: string, kind: string, name: string) =>
      spec.clusterResourceWhitelist.some((r: any) => r.group === group && r.kind === kind && glob(r.name, name));
    expect(clusterAllowed('apiextensions.k8s.io', 'CustomResourceDefinition', 'anything')).toBe(false);
    expect(clusterAllowed('rbac.authorization.k8s.io', 'ClusterRoleBinding', 'cluster-admin-for-me')).toBe(false);
    expect(clusterAllowed('rbac.authorization.k8s.io', 'ClusterRole', 'admin')).toBe(false);
    expect(spec.destinations.some((d: any) => glob(d.namespace, 'kube-system'))).toBe(false);
    expect(spec.namespaceResourceWhitelist.some((r: any) => r.kind === 'Secret' || r.kind === 'Role')).toBe(false);
    expect(spec.sourceRepos).toEqual(['https://github.com/example-org/dojo.git']);
  });
});

describe('versions', () => {
  const versions = fs.readFileSync(path.join(REPO_ROOT, 'lib/facts/versions.ts'), 'utf8');
  const renovate = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'renovate.json'), 'utf8'));

  it('each carry a renovate comment that renovate.json reads', () => {
    const manager = renovate.customManagers.find((m: any) => m.managerFilePatterns.includes('/^lib/facts/versions\\.ts$/'));
    const matches = [...versions.matchAll(new RegExp(manager.matchStrings[0], 'g'))].map((m) => [
      m.groups!.depName,
      m.groups!.currentValue,
    ]);
    expect(matches.length).toBe((versions.match(/\/\/ renovate:/g) ?? []).length);
    expect(matches).toContainEqual(['traefik', '38.0.2']);
    expect(matches).toContainEqual(['registry.nestybox.com/nestybox/sysbox-deploy-k8s', 'v0.6.6-0']);
    expect(matches).toContainEqual(['codercom/code-server', '4.102.2']);
    const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'images/workstation/Dockerfile'), 'utf8');
    const docker = renovate.customManagers.find((m: any) => m.managerFilePatterns[0].includes('Dockerfile'));
    expect([...dockerfile.matchAll(new RegExp(docker.matchStrings[0], 'g'))].map((m) => m.groups!.depName)).toEqual([
      'codercom/code-server',
      'helm/helm',
      'databus23/helm-diff',
      'melmorabity/helm-kubeconform',
    ]);
  });

  it('are pinned in generated output exactly as lib/facts/versions.ts or the cluster file says', () => {
    for (const app of applications.filter((a) => a.spec.source.chart)) {
      expect(
        versions.includes(`'${app.spec.source.targetRevision}'`) || app.spec.source.targetRevision === '1.8.2',
        app.metadata.name,
      ).toBe(true);
    }
  });
});

describe('add-ons as ArgoCD renders them (checked with helm template of the pinned charts, see the comments in lib/plan)', () => {
  it("render the proxy's chart without its CRDs: gateway-api-crds owns Gateway API's, gateway-proxy-crds Traefik's own", () => {
    const proxy = byName('example', 'gateway-proxy');
    expect(proxy.spec.source.helm.skipCrds).toBe(true);
    expect(wave(byName('example', 'gateway-api-crds'))).toBeLessThan(wave(proxy));
    const crds = byName('example', 'gateway-proxy-crds');
    expect(wave(crds)).toBeLessThan(wave(proxy));
    // The chart's crds/ at the chart's own tag, but only traefik.io's: not its Gateway API or Hub CRDs.
    expect(crds.spec.source).toEqual({
      repoURL: 'https://github.com/traefik/traefik-helm-chart.git',
      path: 'traefik/crds',
      targetRevision: `v${proxy.spec.source.targetRevision}`,
      directory: { include: 'traefik.io_*.yaml' },
    });
  });

  it("keep aws-load-balancer-controller's first webhook certificate and serve its webhook before any other Service", () => {
    const controller = byName('example', 'aws-load-balancer-controller');
    expect(controller.spec.ignoreDifferences.map((d: any) => `${d.kind}/${d.name}`).sort()).toEqual([
      'MutatingWebhookConfiguration/aws-load-balancer-webhook',
      'Secret/aws-load-balancer-tls',
      'ValidatingWebhookConfiguration/aws-load-balancer-webhook',
    ]);
    // Without it, a sync would still write the freshly rendered certificate.
    expect(controller.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    for (const app of applications.filter((a) => a.metadata.name !== 'aws-load-balancer-controller')) {
      if (['gateway-api-crds', 'gateway-proxy-crds', 'projects'].includes(app.metadata.name)) continue;
      expect(wave(app), app.metadata.name).toBeGreaterThan(wave(controller));
    }
  });

  it('end TLS at Traefik on websecure (chart 38.0.2 reads ports.websecure.tls), the NLB passing TCP through', () => {
    const values = byName('example', 'gateway-proxy').spec.source.helm.valuesObject;
    expect(values.ports.websecure.tls).toEqual({ enabled: true });
    expect(values.ports.websecure.http).toBeUndefined();
    expect(values.ports.web.tls).toBeUndefined();
    const nlb = Object.keys(values.service.annotations);
    expect(nlb.filter((a) => /ssl|certificate/.test(a))).toEqual([]);
  });

  it('run cert-manager for no student: no aggregation to admin, no ingress-shim, on the system nodes', () => {
    const values = byName('example', 'cert-manager').spec.source.helm.valuesObject;
    expect(values.global.rbac.aggregateClusterRoles).toBe(false);
    expect(values.extraArgs).toContain('--controllers=*,-ingress-shim');
    expect(values.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toMatch(/:role\/CertManager-example$/);
    // alb mode serves ACM certificates at the ALBs: no cert-manager there.
    expect(objects.some((o) => o.file === 'dist/staging/apps/cert-manager.yaml')).toBe(false);
  });
});
