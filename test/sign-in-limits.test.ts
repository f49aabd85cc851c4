import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { gitSourceDir, gitSourceFiles, helmTemplate } from '../dev/helm';
import { fixturePasswordFile } from '../dev/fixture-passwords';
import { loginRouteRules, PROXY_CONFIG_LABEL, SIGN_IN, signInLimits } from '../lib/plan/routing/sign-in-limits';
import { loadBalancerSubnets } from '../lib/plan/bootstrap/vpc';
import { PLATFORM_LABEL_PREFIX } from '../lib/plan/admission/admission';
import { makeRepo, objectsOf, readTree, REPO_ROOT, yamlDocuments, type KubeObject } from './support/repo';
import { describeWithUpstream, pinnedChartDir } from './support/upstream';
import { validateObject } from './support/schemas';

/** The repo's own output: the example cluster runs gateway mode with the class board, staging alb mode. */
const objects = objectsOf(readTree(REPO_ROOT)).map((o) => o.object);
const inCluster = (cluster: string) =>
  objectsOf(readTree(REPO_ROOT))
    .filter((o) => o.file.startsWith(`dist/${cluster}/`) || o.file === `argocd/${cluster}.yaml`)
    .map((o) => o.object);

/** The routes that lead to a login proxy: each student's IDE (port 4180) and the class board's. */
const loginRoutes = (all: readonly KubeObject[]) =>
  all.filter((o) => o.kind === 'HTTPRoute' && o.spec.rules.some((r: any) => r.backendRefs?.[0]?.port === 4180));

const isSignIn = (rule: any) =>
  JSON.stringify(rule.matches) === JSON.stringify([{ method: 'POST', path: { type: 'Exact', value: '/oauth2/sign_in' } }]);
const isHealth = (rule: any) => JSON.stringify(rule.matches) === JSON.stringify([{ path: { type: 'Exact', value: '/healthz' } }]);

describe('sign-in limits, the plan', () => {
  it('bound sign-ins per client address: at most 2 in flight, 6 a minute with a burst of 3, one middleware type per Middleware', () => {
    const limits = signInLimits('course-a');
    expect(limits.namespace).toBe('course-a');
    expect(limits.middlewares.map((m) => [m.name, m.spec])).toEqual([
      ['dojo-sign-in-in-flight', { inFlightReq: { amount: 2, sourceCriterion: { ipStrategy: {} } } }],
      ['dojo-sign-in-rate', { rateLimit: { average: 6, period: '1m', burst: 3, sourceCriterion: { ipStrategy: {} } } }],
    ]);
    // Traefik's CRD provider reads only objects with the label, and no student object can carry it.
    expect(limits.labels[PROXY_CONFIG_LABEL.key]).toBe(PROXY_CONFIG_LABEL.value);
    expect(PROXY_CONFIG_LABEL.key.startsWith(PLATFORM_LABEL_PREFIX)).toBe(true);
  });

  it('route the sign-in POST through the limits, and remove Authorization and set HSTS on every rule', () => {
    const rules = loginRouteRules(signInLimits('course-a'));
    expect(rules.map((r) => [r.match ?? null, r.middlewares])).toEqual([
      [SIGN_IN, ['dojo-sign-in-in-flight', 'dojo-sign-in-rate']],
      [{ path: '/healthz' }, []],
      [null, []],
    ]);
    for (const rule of rules) {
      expect(rule.removeRequestHeaders).toEqual(['Authorization']);
      expect(rule.setResponseHeaders).toEqual([{ name: 'Strict-Transport-Security', value: 'max-age=31536000' }]);
    }
  });
});

describe('sign-in limits in gateway mode, in the generated objects', () => {
  const example = inCluster('example');
  const routes = loginRoutes(example);

  it('cover every IDE and the class board', () => {
    const students = example.filter((o) => o.kind === 'StatefulSet' && o.metadata.labels?.['dojo.training/student']);
    expect(students.length).toBeGreaterThan(0);
    expect(routes).toHaveLength(students.length + 1);
    expect(routes.filter((r) => r.metadata.namespace === 'dojo-board')).toHaveLength(1);
  });

  it('remove the Authorization header on every rule of every login route: no request reaches the basic session loader', () => {
    for (const route of routes) {
      for (const rule of route.spec.rules) {
        expect(rule.filters, route.metadata.name).toContainEqual({
          type: 'RequestHeaderModifier',
          requestHeaderModifier: { remove: ['Authorization'] },
        });
        expect(rule.filters, route.metadata.name).toContainEqual({
          type: 'ResponseHeaderModifier',
          responseHeaderModifier: { set: [{ name: 'Strict-Transport-Security', value: 'max-age=31536000' }] },
        });
      }
    }
  });

  it('send the sign-in POST through Middlewares of the route’s own namespace, with the limits the plan chose', () => {
    const middlewares = example.filter((o) => o.kind === 'Middleware');
    for (const route of routes) {
      const signIn = route.spec.rules.filter(isSignIn);
      expect(signIn, route.metadata.name).toHaveLength(1);
      const refs = signIn[0].filters.filter((f: any) => f.type === 'ExtensionRef').map((f: any) => f.extensionRef);
      expect(refs.map((r: any) => `${r.group}/${r.kind}/${r.name}`)).toEqual([
        'traefik.io/Middleware/dojo-sign-in-in-flight',
        'traefik.io/Middleware/dojo-sign-in-rate',
      ]);
      // Traefik resolves an ExtensionRef in the route's namespace only; a missing one would let sign-ins fall to the catch-all.
      const specs = refs.map((r: any) => {
        const found = middlewares.find((m) => m.metadata.namespace === route.metadata.namespace && m.metadata.name === r.name);
        expect(found, `${route.metadata.namespace}/${r.name}`).toBeDefined();
        expect(found!.metadata.labels?.[PROXY_CONFIG_LABEL.key]).toBe(PROXY_CONFIG_LABEL.value);
        return found!.spec;
      });
      expect(specs).toEqual([
        { inFlightReq: { amount: 2, sourceCriterion: { ipStrategy: {} } } },
        { rateLimit: { average: 6, period: '1m', burst: 3, sourceCriterion: { ipStrategy: {} } } },
      ]);
      // The other rule has no limit and no match: every other request, as before.
      const rest = route.spec.rules.filter((r: any) => !isSignIn(r) && !isHealth(r));
      expect(rest.map((r: any) => r.matches ?? null)).toEqual([null]);
      expect(rest[0].filters.some((f: any) => f.type === 'ExtensionRef')).toBe(false);
    }
  });

  it("send code-server's /healthz to the sign-in from outside: it would tell anyone when a student last worked", () => {
    for (const route of routes) {
      const health = route.spec.rules.filter(isHealth);
      expect(health, route.metadata.name).toHaveLength(1);
      expect(health[0].backendRefs).toBeUndefined();
      expect(health[0].filters).toContainEqual({
        type: 'RequestRedirect',
        requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/' }, statusCode: 302 },
      });
    }
  });

  it('leave the app ports’ and mesh addresses’ routes alone: they lead to the student’s own apps, not to a login', () => {
    const others = example.filter((o) => o.kind === 'HTTPRoute' && !routes.includes(o));
    // A mesh address hands the student's gateway the kata's host name: its one filter.
    const mesh = others.filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'mesh');
    for (const route of mesh)
      expect(route.spec.rules).toEqual([
        {
          backendRefs: route.spec.rules[0].backendRefs,
          filters: [{ type: 'URLRewrite', urlRewrite: { hostname: expect.any(String) } }],
        },
      ]);
    const apps = others.filter((o) => !mesh.includes(o));
    expect(apps.length).toBeGreaterThan(0);
    for (const route of apps) expect(route.spec.rules).toEqual([{ backendRefs: route.spec.rules[0].backendRefs }]);
  });

  it('put Middlewares only where the courses’ AppProject allows them', () => {
    const project = example.find((o) => o.kind === 'AppProject' && o.metadata.name === 'dojo-courses')!;
    expect(project.spec.namespaceResourceWhitelist).toContainEqual({ group: 'traefik.io', kind: 'Middleware' });
  });

  it('are made in no alb-mode cluster', () => {
    expect(inCluster('staging').filter((o) => o.kind === 'Middleware' || /ExtensionRef/.test(JSON.stringify(o)))).toEqual([]);
  });
});

describeWithUpstream(['charts'], 'the shared proxy of gateway mode, rendered from its pinned chart with dojo’s values', () => {
  const application = (name: string) =>
    objects.find((o) => o.kind === 'Application' && o.metadata.name === name && o.spec.destination)!;
  const proxy = application('gateway-proxy');
  const rendered = () =>
    (
      yamlDocuments(
        helmTemplate({
          chart: pinnedChartDir('traefik', proxy.spec.source.targetRevision),
          release: 'gateway-proxy',
          namespace: 'dojo-gateway',
          values: proxy.spec.source.helm.valuesObject,
          kubeVersion: '1.34.0',
          skipCrds: true,
        }),
      ) as (KubeObject | null)[]
    ).filter((o): o is KubeObject => o !== null);
  const example = fs.readFileSync(path.join(REPO_ROOT, 'clusters', 'example.yaml'), 'utf8');
  const nlbSubnets = ['192.168.0.0/19', '192.168.32.0/19'];

  it('takes the NLB subnets to be the public subnets eksctl makes in the example VPC (us-east-1: two zones)', () => {
    expect(example).toMatch(/region: us-east-1/);
    expect(example).not.toMatch(/loadBalancerSourceRanges/);
    const spec = { routing: { loadBalancerSourceRanges: [] }, aws: { vpcCidr: '192.168.0.0/16' }, region: 'us-east-1' };
    expect(loadBalancerSubnets(spec as never)).toEqual(nlbSubnets);
  });

  it('runs the CRD provider on the platform’s label only, and believes proxy protocol from the NLB subnets only, on both entryPoints', () => {
    const objectsOfChart = rendered();
    const args: string[] = objectsOfChart.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].args;
    expect(args).toContain('--providers.kubernetescrd');
    expect(args).toContain(`--providers.kubernetescrd.labelSelector=${PROXY_CONFIG_LABEL.key}=${PROXY_CONFIG_LABEL.value}`);
    expect(args.filter((a) => a.startsWith('--providers.kubernetescrd.allowCrossNamespace'))).toEqual([]);
    const proxyProtocol = args.filter((a) => /proxyProtocol/.test(a)).sort();
    expect(proxyProtocol).toEqual([
      `--entryPoints.web.proxyProtocol.trustedIPs=${nlbSubnets.join(',')}`,
      `--entryPoints.websecure.proxyProtocol.trustedIPs=${nlbSubnets.join(',')}`,
    ]);
    // Every port of the NLB gets a proxy protocol header: every one of them must expect it.
    const service = objectsOfChart.find((o) => o.kind === 'Service' && o.spec.type === 'LoadBalancer')!;
    expect(service.metadata.annotations?.['service.beta.kubernetes.io/aws-load-balancer-proxy-protocol']).toBe('*');
    expect(service.spec.ports.map((p: any) => p.targetPort).sort()).toEqual(['web', 'websecure']);
  });

  it('gives students no traefik.io rights: the chart aggregates none of its roles to admin, edit or view', () => {
    for (const role of rendered().filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) {
      const labels = Object.keys(role.metadata.labels ?? {});
      expect(
        labels.filter((l) => l.startsWith('rbac.authorization.k8s.io/aggregate-to-')),
        role.metadata.name,
      ).toEqual([]);
    }
    const clusterRole = rendered().find((o) => o.kind === 'ClusterRole')!;
    const traefikIo = clusterRole.rules.filter((r: any) => r.apiGroups.includes('traefik.io'));
    expect(traefikIo.flatMap((r: any) => r.verbs).sort()).toEqual(['get', 'list', 'watch']);
  });

  it('has the ten traefik.io CRDs the CRD provider watches from gateway-proxy-crds, none of Gateway API or Traefik Hub', () => {
    const crds = application('gateway-proxy-crds');
    const source = crds.spec.source;
    const { dir } = gitSourceDir({ repoURL: source.repoURL, path: source.path, revision: source.targetRevision });
    const names = gitSourceFiles(dir, source.directory.include)
      .flatMap((f) => yamlDocuments(fs.readFileSync(f, 'utf8')) as KubeObject[])
      .filter((o) => o?.kind === 'CustomResourceDefinition')
      .map((o) => o.metadata.name)
      .sort();
    expect(names).toEqual(
      [
        'ingressroutes',
        'ingressroutetcps',
        'ingressrouteudps',
        'middlewares',
        'middlewaretcps',
        'serverstransports',
        'serverstransporttcps',
        'tlsoptions',
        'tlsstores',
        'traefikservices',
      ].map((n) => `${n}.traefik.io`),
    );
  });

  it('has Middlewares that the Middleware CRD refuses when wrong (the schema check covers them)', async () => {
    const middleware = structuredClone(objects.find((o) => o.kind === 'Middleware')!);
    expect(await validateObject(middleware)).toEqual([]);
    middleware.spec.inFlightReq = { amount: 'two' };
    expect(await validateObject(middleware)).not.toEqual([]);
  });
});

describe('sign-in limits in alb mode: an AWS WAF web ACL', () => {
  const staging = fs.readFileSync(path.join(REPO_ROOT, 'clusters', 'staging.yaml'), 'utf8');
  const exampleCluster = fs.readFileSync(path.join(REPO_ROOT, 'clusters', 'example.yaml'), 'utf8');
  const ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dojo-sign-in/1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d';
  const withoutAcl = staging.replace(/\n {2}webAclArn: .*/, '');
  const withAcl = (acl: string) => withoutAcl.replace(/^ {2}mode: alb$/m, `  mode: alb\n  webAclArn: ${acl}`);
  const repoWith = (cluster: string, file = 'staging') =>
    makeRepo({ [`clusters/${file}.yaml`]: cluster, [`clusters/${file}.passwords.yaml`]: fixturePasswordFile(['trainer']) });

  it('without one, synth warns once per alb cluster, naming the setting', () => {
    const result = synth(repoWith(withoutAcl), { write: false });
    expect(result.errors).toEqual([]);
    const warnings = result.warnings.filter((w) => w.includes('webAclArn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: clusters\/staging\.yaml: alb mode without routing\.webAclArn/);
  });

  it('with one, every platform Ingress (workstations, class board) names it, and synth does not warn', () => {
    expect(staging).toContain(`  webAclArn: ${ACL}\n`);
    const result = synth(repoWith(staging), { write: false });
    expect(result.errors).toEqual([]);
    expect(result.warnings.filter((w) => w.includes('webAclArn'))).toEqual([]);
    const ingresses = objectsOf(new Map(result.files.map((f) => [f.path, f.content])))
      .map((o) => o.object)
      .filter((o) => o.kind === 'Ingress' && o.metadata.labels?.['dojo.training/dns'] === 'platform');
    expect(ingresses.length).toBeGreaterThan(1);
    for (const ingress of ingresses) {
      expect(ingress.metadata.annotations?.['alb.ingress.kubernetes.io/wafv2-acl-arn'], ingress.metadata.name).toBe(ACL);
    }
  });

  it('refuses a web ACL of another region, one that is not a regional web ACL, and one on a gateway-mode cluster', () => {
    const otherRegion = synth(repoWith(withAcl(ACL.replace('eu-west-1', 'us-east-1'))), { write: false });
    expect(otherRegion.errors.join('\n')).toMatch(/routing\.webAclArn .*web ACL of us-east-1, and the cluster is in eu-west-1/);
    const global = synth(repoWith(withAcl(ACL.replace('regional/', 'global/'))), { write: false });
    expect(global.errors.join('\n')).toMatch(/routing\.webAclArn .*is not the ARN of a regional AWS WAF web ACL/);
    const gateway = exampleCluster.replace(
      /^ {2}mode: gateway$/m,
      `  mode: gateway\n  webAclArn: ${ACL.replace('eu-west-1', 'us-east-1')}`,
    );
    const onGateway = synth(repoWith(gateway, 'example'), { write: false });
    expect(onGateway.errors.join('\n')).toMatch(/routing\.webAclArn .*is for alb mode/);
  });
});

describe('the load balancers’ subnets', () => {
  it('may not be as wide as a VPC in gateway mode either: Traefik would believe any address a pod claims', () => {
    const exampleCluster = fs.readFileSync(path.join(REPO_ROOT, 'clusters', 'example.yaml'), 'utf8');
    const wide = exampleCluster.replace(
      /^ {2}mode: gateway$/m,
      '  mode: gateway\n  loadBalancerSourceRanges: ["192.168.0.0/16"]',
    );
    const result = synth(
      makeRepo({ 'clusters/example.yaml': wide, 'clusters/example.passwords.yaml': fixturePasswordFile(['trainer']) }),
      { write: false },
    );
    expect(result.errors.join('\n')).toMatch(/loadBalancerSourceRanges\[0\] .*"192\.168\.0\.0\/16" is wider than \/18/);
  });
});
