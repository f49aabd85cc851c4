import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadAndPlan, synth } from '../lib/synth';
import { handoutHtml } from '../lib/commands/handout';
import type { ClusterPlan, CoursePlan } from '../lib/plan/model/types';
import { VIRTUAL_CLUSTER_RELEASE } from '../lib/plan/virtual-clusters/virtual-cluster';
import { objectsOf, REPO_ROOT, yamlDocuments, type KubeObject } from './support/repo';
import { albGroupOf } from './support/alb-controller';
import { AdmissionChain } from './support/admission';
import { asStudent, ingress } from './security/requests';

/**
 * Issue 32: every `https://` address a slip prints resolves, in the objects synth generates,
 * to a listener and a backend. For every course of every fixture repo and every student: the
 * slip as `npm run handout` writes it (handoutHtml), each address in it, followed through the
 * generated objects as the controllers would follow it.
 *
 * gateway mode: DNS (the proxy Service's external-dns names), the NLB's 443 to Traefik's TLS
 * entryPoint, the Gateway's most specific listener for the host, the Certificate behind that
 * listener, the one HTTPRoute of the host attached to that listener and admitted by its
 * allowedRoutes, the rule that serves `GET /`, its Service and port, and a pod template with
 * that port. alb mode: the one Ingress rule of the host, its IngressClass and IngressGroup (as
 * aws-load-balancer-controller groups them), an HTTPS 443 listener, an ACM certificate of the
 * group covering the host (the cluster file says which domains each ARN covers), DNS (the
 * Ingress as external-dns reads it), and the backend as above. The slip's Ingress suffix
 * (`<name>-<student>.<course>.<contentDomain>`): in gateway mode a listener, its certificate and
 * the DNS wildcard cover it, and the admission policy admits an Ingress of that host.
 */
const FIXTURES = ['classroom', 'example', 'virtual-clusters'];
/** Hosts not of dojo's a slip may print (a course's `handout` lines): checked to be these, not resolved. */
const EXTERNAL_HOSTS = new Set(['raw.githubusercontent.com']);
/** A name a student would give their Ingress. */
const KATA_INGRESS_NAME = 'quotes';

interface ClusterCase {
  readonly fixture: string;
  readonly cluster: ClusterPlan;
  readonly objects: KubeObject[];
  /** ACM certificate ARN -> the domains the cluster file says it covers (alb mode). */
  readonly acm: ReadonlyMap<string, readonly string[]>;
}

const CLUSTERS: ClusterCase[] = FIXTURES.flatMap((fixture) => {
  const root = path.join(REPO_ROOT, 'test', 'fixtures', fixture);
  const planned = loadAndPlan(root);
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  const result = synth(root, { write: false });
  if (result.errors.length > 0) throw new Error(result.errors.join('\n'));
  const all = objectsOf(new Map(result.files.map((f) => [f.path, f.content])));
  return planned.plan.clusters.map((cluster) => {
    const file = yamlDocuments(fs.readFileSync(path.join(root, cluster.file), 'utf8'))[0] as any;
    const acm = new Map<string, string[]>(
      (file.routing?.certificates ?? []).map((c: { arn: string; domains: string[] }) => [c.arn, c.domains]),
    );
    const objects = all
      .filter(({ file }) => file.startsWith(`dist/${cluster.name}/`) || file === `argocd/${cluster.name}.yaml`)
      .map((o) => o.object);
    return { fixture, cluster, objects, acm };
  });
});

// ---- names and wildcards ----

/** A certificate's or DNS name's cover: exact, or a wildcard standing for exactly one label (RFC 6125, Route 53 answers deeper too). */
function covers(name: string, host: string): boolean {
  if (!name.startsWith('*.')) return name === host;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === name.slice(2);
}

/** Whether a Gateway listener's hostname matches a request's host (Gateway API: a wildcard stands for one or more labels). */
function listenerMatches(hostname: string | undefined, host: string): boolean {
  if (hostname === undefined) return true;
  if (!hostname.startsWith('*.')) return hostname === host;
  return host.endsWith(hostname.slice(1)) && host.length > hostname.length - 1;
}

/** How specific a listener hostname is: exact beats any wildcard, a longer wildcard a shorter one, none comes last. */
function specificity(hostname: string | undefined): number {
  if (hostname === undefined) return 0;
  return hostname.startsWith('*.') ? hostname.length : 10_000;
}

type Labels = Record<string, string>;
const selects = (selector: { matchLabels?: Labels; matchExpressions?: unknown[] } | undefined, labels: Labels) => {
  if (selector?.matchExpressions?.length) throw new Error('matchExpressions: not evaluated here');
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
};

// ---- the objects ----

class Generated {
  constructor(
    readonly objects: readonly KubeObject[],
    readonly acm: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {}

  of(kind: string): KubeObject[] {
    return this.objects.filter((o) => o.kind === kind);
  }

  get(kind: string, name: string, namespace?: string): KubeObject | undefined {
    return this.objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  }

  /** A namespace's labels as the API server has them (it adds kubernetes.io/metadata.name); undefined if no object makes it. */
  namespaceLabels(name: string): Labels | undefined {
    const ns = this.get('Namespace', name);
    return ns && { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  }

  /** The helm values of the add-on Application of `chart`. */
  chartValues(chart: string): any {
    const app = this.of('Application').find((a) => a.spec.source?.chart === chart);
    return app?.spec.source.helm?.valuesObject;
  }

  /** Gateway API: an HTTPRoute of `from` may name Service `name` of `to` only where a ReferenceGrant in `to` allows it. */
  referenceGranted(from: string, to: string, name: string): boolean {
    return this.of('ReferenceGrant').some(
      (g) =>
        g.metadata.namespace === to &&
        g.spec.from.some((f: any) => f.group === 'gateway.networking.k8s.io' && f.kind === 'HTTPRoute' && f.namespace === from) &&
        g.spec.to.some((t: any) => (t.group ?? '') === '' && t.kind === 'Service' && (t.name === undefined || t.name === name)),
    );
  }

  /** Problems with `<service>:<port>` in `namespace` as a backend: the Service, the port, a pod template with the target port. */
  backendProblems(what: string, namespace: string, name: string, port: number): string[] {
    const service = this.get('Service', name, namespace);
    if (!service) return [`${what}: no Service ${namespace}/${name}`];
    const servicePort = (service.spec.ports ?? []).find((p: any) => p.port === port);
    if (!servicePort) return [`${what}: Service ${namespace}/${name} has no port ${port}`];
    const target = servicePort.targetPort ?? port;
    const pods = this.objects.filter(
      (o) =>
        ['StatefulSet', 'Deployment'].includes(o.kind) &&
        o.metadata.namespace === namespace &&
        selects({ matchLabels: service.spec.selector }, o.spec.template.metadata.labels ?? {}) &&
        (istioGateway(o) ||
          o.spec.template.spec.containers.some((c: any) =>
            (c.ports ?? []).some((p: any) => (typeof target === 'string' ? p.name === target : p.containerPort === target)),
          )),
    );
    return pods.length > 0 ? [] : [`${what}: no pod template in ${namespace} that Service ${name} selects has port ${target}`];
  }

  /** Problems with DNS for `host`: external-dns's filters, its source, and a name of that source covering the host. */
  dnsProblems(host: string, source: 'service' | 'ingress', names: readonly string[], labels: Labels): string[] {
    const dns = this.chartValues('external-dns');
    if (!dns) return [`${host}: no external-dns`];
    const problems: string[] = [];
    if (!dns.sources.includes(source)) problems.push(`${host}: external-dns does not read ${source}s`);
    if (!dns.domainFilters.some((d: string) => host.endsWith(`.${d}`))) problems.push(`${host}: outside external-dns's domains`);
    const [key, value] = String(dns.labelFilter).split('=');
    if (labels[key] !== value) problems.push(`${host}: its ${source} lacks external-dns's label ${dns.labelFilter}`);
    if (!names.some((n) => covers(n, host))) problems.push(`${host}: no DNS name covers it (${names.join(', ')})`);
    return problems;
  }

  // ---- gateway mode ----

  /** The proxy Service's DNS names and labels, from the Traefik Application. */
  private proxyDns(): { names: string[]; labels: Labels } {
    const service = this.chartValues('traefik')?.service ?? {};
    const names = String(service.annotations?.['external-dns.alpha.kubernetes.io/hostname'] ?? '').split(',');
    return { names, labels: service.labels ?? {} };
  }

  /** The listener a request for `host` on `port` lands on: the most specific hostname that matches (Gateway API). */
  private listenerFor(gateway: KubeObject, port: number, host: string): any {
    const matching = gateway.spec.listeners.filter((l: any) => l.port === port && listenerMatches(l.hostname, host));
    return matching.sort((a: any, b: any) => specificity(b.hostname) - specificity(a.hostname))[0];
  }

  /** Problems with a TLS connection to `host` on 443 reaching `listener` of `gateway`, with a certificate covering the host. */
  private tlsProblems(gateway: KubeObject, listener: any, host: string): string[] {
    const problems: string[] = [];
    if (listener.protocol !== 'HTTPS' || listener.tls?.mode !== 'Terminate')
      problems.push(`${host}: listener ${listener.name} is not HTTPS`);
    // The NLB's 443 reaches Traefik's entryPoint of the listener's port, which ends TLS.
    const entryPoint = Object.values(this.chartValues('traefik')?.ports ?? {}).find((p: any) => p.port === listener.port) as any;
    if (entryPoint?.exposedPort !== 443 || entryPoint?.tls?.enabled !== true) {
      problems.push(`${host}: no TLS entryPoint on ${listener.port} exposed at 443`);
    }
    const secrets = (listener.tls?.certificateRefs ?? []).map((r: any) => [r.namespace ?? gateway.metadata.namespace, r.name]);
    const certificate = this.of('Certificate').find(
      (c) =>
        secrets.some(([ns, name]: string[]) => c.metadata.namespace === ns && c.spec.secretName === name) &&
        c.spec.dnsNames.some((n: string) => covers(n, host)),
    );
    if (!certificate) problems.push(`${host}: no Certificate of listener ${listener.name}'s Secret covers it`);
    else if (!this.get(certificate.spec.issuerRef.kind, certificate.spec.issuerRef.name)) {
      problems.push(`${host}: Certificate ${certificate.metadata.name}'s issuer does not exist`);
    }
    return problems;
  }

  /** Every problem with `https://<host>/` in gateway mode; none: it resolves. */
  gatewayProblems(host: string): string[] {
    const problems: string[] = [];
    const routes = this.of('HTTPRoute').filter((r) => (r.spec.hostnames ?? []).includes(host));
    if (routes.length !== 1) return [`${host}: ${routes.length} HTTPRoutes name it`];
    const [route] = routes;
    const namespace = route.metadata.namespace!;
    const namespaceLabels = this.namespaceLabels(namespace);
    if (!namespaceLabels) problems.push(`${host}: the route's namespace ${namespace} is not made`);
    const refs = route.spec.parentRefs ?? [];
    if (refs.length === 0) problems.push(`${host}: route ${route.metadata.name} has no parent`);
    for (const ref of refs) {
      const gateway =
        (ref.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io' && (ref.kind ?? 'Gateway') === 'Gateway'
          ? this.get('Gateway', ref.name, ref.namespace ?? namespace)
          : undefined;
      if (!gateway) {
        problems.push(`${host}: route ${route.metadata.name}'s parent ${ref.namespace}/${ref.name} is no Gateway`);
        continue;
      }
      if (!this.get('GatewayClass', gateway.spec.gatewayClassName))
        problems.push(`${host}: no GatewayClass ${gateway.spec.gatewayClassName}`);
      const listener = this.listenerFor(
        gateway,
        ref.port ?? gateway.spec.listeners.find((l: any) => l.name === ref.sectionName)?.port,
        host,
      );
      if (!listener) {
        problems.push(`${host}: no listener of Gateway ${gateway.metadata.name} matches it`);
        continue;
      }
      if (ref.sectionName !== undefined && ref.sectionName !== listener.name) {
        problems.push(`${host}: route attached to ${ref.sectionName}, but requests land on listener ${listener.name}`);
        continue;
      }
      const kinds = listener.allowedRoutes?.kinds;
      if (
        kinds &&
        !kinds.some(
          (k: any) => k.kind === 'HTTPRoute' && (k.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io',
        )
      ) {
        problems.push(`${host}: listener ${listener.name} admits no HTTPRoute`);
      }
      const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
      const admitted =
        from === 'All' ||
        (from === 'Same' && namespace === gateway.metadata.namespace) ||
        (from === 'Selector' &&
          namespaceLabels !== undefined &&
          selects(listener.allowedRoutes.namespaces.selector, namespaceLabels));
      if (!admitted) problems.push(`${host}: listener ${listener.name} does not admit routes of namespace ${namespace}`);
      problems.push(...this.tlsProblems(gateway, listener, host));
    }
    // `GET /`: the rule that serves it must send it to a backend, not redirect it.
    const servesRoot = (route.spec.rules ?? []).find(
      (rule: any) =>
        !rule.matches?.length ||
        rule.matches.some(
          (m: any) =>
            (m.method === undefined || m.method === 'GET') &&
            (m.path === undefined || (m.path.type === 'PathPrefix' && m.path.value === '/')),
        ),
    );
    if (!servesRoot?.backendRefs?.length || servesRoot.filters?.some((f: any) => f.type === 'RequestRedirect')) {
      problems.push(`${host}: no rule of route ${route.metadata.name} sends GET / to a backend`);
    }
    for (const rule of route.spec.rules ?? []) {
      for (const ref of rule.backendRefs ?? []) {
        if ((ref.kind ?? 'Service') !== 'Service' || (ref.group ?? '') !== '')
          problems.push(`${host}: backend ${ref.name} is no Service`);
        else {
          const backendNamespace = ref.namespace ?? namespace;
          if (backendNamespace !== namespace && !this.referenceGranted(namespace, backendNamespace, ref.name))
            problems.push(
              `${host}: no ReferenceGrant in ${backendNamespace} lets routes of ${namespace} name Service ${ref.name}`,
            );
          problems.push(...this.backendProblems(host, backendNamespace, ref.name, ref.port));
        }
      }
    }
    const dns = this.proxyDns();
    problems.push(...this.dnsProblems(host, 'service', dns.names, dns.labels));
    return problems;
  }

  /** Problems with a student's Ingress of `host` being served over HTTPS by the shared proxy in gateway mode. */
  gatewayIngressHostProblems(host: string): string[] {
    const problems: string[] = [];
    const gateway = this.of('Gateway')[0];
    const traefik = this.chartValues('traefik');
    if (traefik?.providers?.kubernetesIngress?.ingressClass !== 'alb')
      problems.push(`${host}: the proxy serves no kata Ingresses`);
    // Traefik picks a kata router's certificate by SNI from the listeners' Secrets.
    const listener = gateway && this.listenerFor(gateway, 8443, host);
    if (!listener) problems.push(`${host}: no listener covers it`);
    else problems.push(...this.tlsProblems(gateway, listener, host));
    const dns = this.proxyDns();
    problems.push(...this.dnsProblems(host, 'service', dns.names, dns.labels));
    return problems;
  }

  // ---- alb mode ----

  /** Every problem with `https://<host>/` in alb mode; none: it resolves. */
  albProblems(host: string): string[] {
    const problems: string[] = [];
    const ingresses = this.of('Ingress').filter((i) => (i.spec.rules ?? []).some((r: any) => r.host === host));
    if (ingresses.length !== 1) return [`${host}: ${ingresses.length} Ingresses name it`];
    const [object] = ingresses;
    const namespace = object.metadata.namespace!;
    const flag = this.chartValues('aws-load-balancer-controller')?.ingressClass ?? '';
    const group = albGroupOf(object, flag, this.of('IngressClass'), this.of('IngressClassParams'));
    if (group === undefined) return [`${host}: aws-load-balancer-controller does not take Ingress ${object.metadata.name}`];
    const members = this.of('Ingress').filter(
      (i) => albGroupOf(i, flag, this.of('IngressClass'), this.of('IngressClassParams')) === group,
    );
    const annotations: Labels = object.metadata.annotations ?? {};
    const listenPorts: Record<string, number>[] = JSON.parse(
      annotations['alb.ingress.kubernetes.io/listen-ports'] ?? '[{"HTTP":80}]',
    );
    if (!listenPorts.some((p) => p.HTTPS === 443)) problems.push(`${host}: the ALB has no HTTPS listener on 443`);
    if (annotations['alb.ingress.kubernetes.io/scheme'] !== 'internet-facing') problems.push(`${host}: the ALB is internal`);
    // The ALB's HTTPS listener serves the certificates of every Ingress of the group.
    const arns = members.flatMap((m) =>
      String(m.metadata.annotations?.['alb.ingress.kubernetes.io/certificate-arn'] ?? '')
        .split(',')
        .filter(Boolean),
    );
    if (!arns.some((arn) => (this.acm.get(arn) ?? []).some((d) => covers(d, host)))) {
      problems.push(`${host}: no certificate of group ${group} covers it (${arns.join(', ') || 'none'})`);
    }
    const rule = object.spec.rules.find((r: any) => r.host === host);
    const root = (rule.http?.paths ?? []).find((p: any) => p.path === '/' && p.pathType === 'Prefix');
    if (!root) problems.push(`${host}: no path / of Ingress ${object.metadata.name}`);
    for (const p of rule.http?.paths ?? []) {
      const service = p.backend.service;
      if (!service || service.port.number === undefined) problems.push(`${host}: path ${p.path} has no Service port number`);
      else problems.push(...this.backendProblems(host, namespace, service.name, service.port.number));
    }
    problems.push(...this.dnsProblems(host, 'ingress', [host], object.metadata.labels ?? {}));
    return problems;
  }
}

// ---- the slips ----

interface Slip {
  readonly student: string;
  /** The slip's HTML. */
  readonly body: string;
  readonly urls: string[];
  /** The text of the slip's Ingress hosts line, `<name>` + suffix, if it has one. */
  readonly ingressHost: string | undefined;
}

function slipsOf(course: CoursePlan): Slip[] {
  const html = handoutHtml(course, new Map(course.students.map((s) => [s.id, 'pw'])));
  return [...html.matchAll(/<section class="slip" data-student="([^"]+)">([\s\S]*?)<\/section>/g)].map(([, student, body]) => ({
    student,
    body,
    urls: [...body.matchAll(/https:\/\/[^\s<>"'`]+/g)].map((m) => m[0].replace(/[.,;:!?)]+$/, '')),
    ingressHost: /<code class="ingress-host">([^<]*)<\/code>/.exec(body)?.[1].replace('&lt;name&gt;', KATA_INGRESS_NAME),
  }));
}

const courses = CLUSTERS.flatMap((c) => c.cluster.courses.map((course) => ({ ...c, course })));
const label = (c: (typeof courses)[number]) =>
  `${c.fixture}/${c.course.name} (${c.course.routing.mode} mode, Kubernetes: ${c.course.kubernetes.access}, login: ${c.course.login.method.kind})`;

describe('every handout URL resolves to a listener and a backend in the generated objects', () => {
  it('covers a gateway and an alb cluster, a vcluster course, one without a namespace and one with OIDC', () => {
    const running = courses.filter((c) => !c.course.archived);
    expect(new Set(running.map((c) => c.course.routing.mode))).toEqual(new Set(['gateway', 'alb']));
    expect(running.some((c) => c.course.kubernetes.access === 'vcluster')).toBe(true);
    expect(running.some((c) => c.course.kubernetes.access === 'none')).toBe(true);
    expect(running.some((c) => c.course.login.method.kind === 'oidc')).toBe(true);
  });

  describe.each(courses.filter((c) => !c.course.archived).map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const generated = new Generated(c.objects, c.acm);
    const slips = slipsOf(c.course);
    const problemsOf = (host: string) =>
      c.course.routing.mode === 'gateway' ? generated.gatewayProblems(host) : generated.albProblems(host);

    it('has a slip per student, each with its IDE and app addresses among its URLs', () => {
      expect(slips.map((s) => s.student)).toEqual(c.course.students.map((s) => s.id));
      for (const student of c.course.students) {
        const urls = slips.find((s) => s.student === student.id)!.urls;
        expect(urls).toContain(`https://${student.hosts.ide}`);
        for (const app of student.hosts.apps) expect(urls).toContain(`https://${app.host}`);
      }
    });

    it.each(c.course.students.map((s) => [s.id]))("resolves every URL of %s's slip", (id) => {
      const slip = slips.find((s) => s.student === id)!;
      const problems: string[] = [];
      for (const url of slip.urls) {
        const { host, port, pathname } = new URL(url);
        if (EXTERNAL_HOSTS.has(host)) continue;
        const ours = [c.cluster.domain, c.cluster.contentDomain].some((d) => host.endsWith(`.${d}`));
        if (!ours)
          problems.push(`${url}: neither dojo's (${c.cluster.domain}, ${c.cluster.contentDomain}) nor a known external host`);
        else if (port !== '' || pathname !== '/') problems.push(`${url}: a port or path the routes do not serve`);
        else problems.push(...problemsOf(host));
      }
      expect(problems).toEqual([]);
    });

    if (c.course.kubernetes.access === 'namespace' && c.course.kubernetes.mesh) {
      it.each(c.course.students.map((s) => [s.id]))(
        "opens %s's mesh tools where the slip says: its port-forward reaches a Service of theirs at the port whose app address the line gives",
        (id) => {
          const student = c.course.students.find((s) => s.id === id)!;
          const namespace = student.kubernetes.access === 'namespace' ? student.kubernetes.namespace : '';
          const lines = [
            ...slips
              .find((s) => s.student === id)!
              .body.matchAll(
                /<li>(\w+): <code>kubectl port-forward --address 0\.0\.0\.0 svc\/([\w-]+) (\d+)<\/code>, then <code>https:\/\/([^<]+)<\/code><\/li>/g,
              ),
          ];
          expect(lines.map(([, title]) => title)).toEqual(['Kiali', 'Prometheus', 'Jaeger']);
          for (const [, title, service, port, host] of lines) {
            // The workstation's port-forward listens on that port, which the app address serves.
            expect(host, title).toBe(student.hosts.apps.find((a) => a.port === Number(port))?.host);
            const target = c.objects.find(
              (o) => o.kind === 'Service' && o.metadata.namespace === namespace && o.metadata.name === service,
            );
            expect(
              target?.spec.ports.map((p: { port: number }) => p.port),
              `${title}: svc/${service} in ${namespace}`,
            ).toContain(Number(port));
          }
        },
      );
    }

    if (c.course.kubernetes.access === 'none') {
      it('gives no Ingress hosts (no namespace)', () => {
        expect(slips.every((s) => s.ingressHost === undefined)).toBe(true);
      });
    } else if (c.course.routing.mode === 'gateway') {
      const namespaces = new Map(
        c.objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}]),
      );
      const chain = new AdmissionChain(c.objects, namespaces);
      it.each(c.course.students.map((s) => [s.id]))("serves %s's Ingress hosts, and admits them", (id) => {
        const student = c.course.students.find((s) => s.id === id)!;
        const host = slips.find((s) => s.student === id)!.ingressHost;
        expect(host).toBe(`${KATA_INGRESS_NAME}${student.hosts.ingressSuffix}`);
        expect(host).toBe(`${KATA_INGRESS_NAME}-${id}.${c.course.name}.${c.cluster.contentDomain}`);
        expect(generated.gatewayIngressHostProblems(host!)).toEqual([]);
        // As the student's kubectl makes it, or in vcluster mode the virtual cluster's syncer.
        const username =
          c.course.kubernetes.access === 'vcluster'
            ? `system:serviceaccount:${c.course.name}-${id}:vc-${VIRTUAL_CLUSTER_RELEASE}`
            : undefined;
        const review = chain.review(asStudent(id, 'CREATE', ingress(host), { course: c.course.name, username }));
        expect(review.denials).toEqual([]);
      });
    }
  });

  it('routes nothing of an archived course (its slip would print addresses that lead nowhere)', () => {
    const archived = courses.filter((c) => c.course.archived);
    expect(archived.length).toBeGreaterThan(0);
    for (const c of archived) {
      const generated = new Generated(c.objects, c.acm);
      for (const slip of slipsOf(c.course)) {
        for (const url of slip.urls) expect(generated.gatewayProblems(new URL(url).host)[0], url).toMatch(/0 HTTPRoutes name it/);
      }
    }
  });
});

describe('the resolver itself fails', () => {
  const lab = CLUSTERS.find((c) => c.cluster.name === 'lab')!;
  const shards = CLUSTERS.find((c) => c.cluster.name === 'shards')!;
  const without = (objects: readonly KubeObject[], change: (o: KubeObject) => KubeObject | undefined) =>
    objects.flatMap((o) => change(structuredClone(o)) ?? []);
  const APP = '8080-alice.k8s.lab.example.net';

  it('passes the classroom app host as generated', () => {
    expect(new Generated(lab.objects).gatewayProblems(APP)).toEqual([]);
  });

  it('on a host no route names, or one under no listener', () => {
    expect(new Generated(lab.objects).gatewayProblems('8080-alice.k8s.lab.example.com')).toEqual([
      '8080-alice.k8s.lab.example.com: 0 HTTPRoutes name it',
    ]);
    expect(new Generated(lab.objects).gatewayIngressHostProblems('quotes-alice.k9s.lab.example.net')).toContain(
      'quotes-alice.k9s.lab.example.net: no listener covers it',
    );
  });

  it('on a listener that does not admit the namespace, a Certificate that does not cover, a missing port or DNS name', () => {
    const cases: [string, (o: KubeObject) => KubeObject | undefined, string][] = [
      [
        'namespace',
        (o) => {
          if (o.kind === 'Gateway')
            for (const l of o.spec.listeners)
              l.allowedRoutes.namespaces.selector.matchLabels['kubernetes.io/metadata.name'] = 'other';
          return o;
        },
        `${APP}: listener content-k8s does not admit routes of namespace k8s`,
      ],
      [
        'certificate',
        (o) => {
          if (o.kind === 'Certificate') o.spec.dnsNames = ['*.other.lab.example.net'];
          return o;
        },
        `${APP}: no Certificate of listener content-k8s's Secret covers it`,
      ],
      [
        'port',
        (o) => {
          if (o.kind === 'Service' && o.metadata.name === 'ws-alice')
            o.spec.ports = o.spec.ports.filter((p: any) => p.port !== 8080);
          return o;
        },
        `${APP}: Service k8s/ws-alice has no port 8080`,
      ],
      [
        'dns',
        (o) => {
          if (o.kind === 'Application' && o.spec.source?.chart === 'traefik') {
            o.spec.source.helm.valuesObject.service.annotations['external-dns.alpha.kubernetes.io/hostname'] =
              '*.k8s.lab.example.org';
          }
          return o;
        },
        `${APP}: no DNS name covers it (*.k8s.lab.example.org)`,
      ],
    ];
    for (const [name, change, problem] of cases) {
      expect(new Generated(without(lab.objects, change)).gatewayProblems(APP), name).toContain(problem);
    }
  });

  it('in alb mode on an Ingress whose group has no certificate of the host, or whose Service is gone', () => {
    const host = '8080-alice.sso.shards.example.net';
    expect(new Generated(shards.objects, shards.acm).albProblems(host)).toEqual([]);
    expect(new Generated(shards.objects, new Map()).albProblems(host)[0]).toMatch(/no certificate of group sso-1 covers it/);
    const noService = without(shards.objects, (o) => (o.kind === 'Service' && o.metadata.name === 'ws-alice' ? undefined : o));
    expect(new Generated(noService, shards.acm).albProblems(host)).toContain(`${host}: no Service sso/ws-alice`);
  });
});

/**
 * An Istio gateway's pod listens on its Service's target ports once a Gateway object of the
 * student names them: istiod binds each server's listener to the targetPort of the gateway
 * Service's port of that number (istio/istio 1.30.3 pilot/pkg/model/gateway.go, resolvePorts).
 */
function istioGateway(workload: KubeObject): boolean {
  return workload.spec.template.metadata.annotations?.['inject.istio.io/templates'] === 'gateway';
}
