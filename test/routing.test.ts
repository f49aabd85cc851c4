import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { ARGOCD_MANIFEST_LIMIT_MB } from '../lib/facts/argocd';
import { ApplicationSizes, oversizedApplications } from '../lib/write/application-size';
import { assignAlbGroups, certificateFor, studentHosts, studentsPerAlb } from '../lib/plan/routing/hosts';
import { contentDomainProblems, sameSiteReason, sharedSuffix } from '../lib/plan/routing/content-domain';
import { ensurePasswords } from '../lib/commands/passwords-command';
import { fixturePasswordFile, withFixturePasswords } from '../dev/fixture-passwords';
import { makeRepo, objectsOf, readTree, EXAMPLE_REPO, type KubeObject } from './support/repo';
import { exampleOutput } from './support/example-output';
import { syntheticRepo } from '../bench/synthetic-repo';
import { AdmissionChain } from './support/admission';
import { albGroupOf } from './support/alb-controller';
import { asStudent, ingress } from './security/requests';

const exampleCluster = fs.readFileSync(path.join(EXAMPLE_REPO, 'clusters/example.yaml'), 'utf8');
const ACM = 'arn:aws:acm:us-east-1:123456789012:certificate';
/**
 * The example cluster in alb mode, with ACM certificates for `courses`: an ALB serves ACM
 * certificates only. One for the IDE hosts (`*.<course>.training.example.com`) and one for the
 * content hosts (`*.<course>.training.example.net`).
 */
const albCluster = (extra = '', courses = ['docker-katas', 'kubernetes-katas']) =>
  exampleCluster.replace(
    '  mode: gateway',
    [
      `  mode: alb${extra}`,
      '  loadBalancerSourceRanges: ["10.0.0.0/24"]',
      '  certificates:',
      `    - arn: ${ACM}/2f0e1c9a-5b7d-4e3f-9a1b-6c8d7e5f4a3b`,
      `      domains: [${courses.map((c) => `"*.${c}.training.example.com"`).join(', ')}]`,
      `    - arn: ${ACM}/5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b`,
      `      domains: [${courses.map((c) => `"*.${c}.training.example.net"`).join(', ')}]`,
    ].join('\n'),
  );
/** Objects of the example cluster (the staging cluster runs in alb mode and is tested in platform.test.ts). */
const objectsIn = (files: readonly { path: string; content: string }[]) =>
  objectsOf(new Map(files.filter((f) => /^(dist|argocd)\/example[/.]/.test(f.path)).map((f) => [f.path, f.content]))).map(
    (o) => o.object,
  );

describe('host names', () => {
  it('give the IDE a name below the course domain, and each app port and Ingress one below the course content domain', () => {
    expect(studentHosts('bob', 'k8s', { domain: 'example.com', contentDomain: 'example.net' }, [8080])).toEqual({
      ide: 'bob.k8s.example.com',
      apps: [{ port: 8080, host: '8080-bob.k8s.example.net' }],
      ingressSuffix: '-bob.k8s.example.net',
    });
  });

  it('find the certificate that lists the course wildcard', () => {
    const certs = [
      { arn: 'a', domains: ['*.other.example.com'] },
      { arn: 'b', domains: ['*.k8s.example.com'] },
    ];
    expect(certificateFor('k8s.example.com', certs)).toBe('b');
    expect(certificateFor('x.example.com', certs)).toBeUndefined();
  });
});

describe('the content domain, another site than the logins', () => {
  it('is refused when it is the domain, a parent or a subdomain of it, or shares its registrable part', () => {
    expect(sharedSuffix('apps.example.com', 'training.example.com')).toBe('example.com');
    expect(sameSiteReason('training.example.com', 'training.example.com')).toBe('is the domain of the logins');
    expect(sameSiteReason('apps.training.example.com', 'training.example.com')).toBe(
      'is under the domain of the logins "training.example.com"',
    );
    expect(sameSiteReason('example.com', 'training.example.com')).toBe(
      'is a parent of the domain of the logins "training.example.com"',
    );
    expect(sameSiteReason('apps.example.com', 'training.example.com')).toBe(
      'shares "example.com" with the domain of the logins "training.example.com"',
    );
    // Without the Public Suffix List, a shared public suffix is refused too: safe, if strict.
    expect(sameSiteReason('school-apps.co.uk', 'school.co.uk')).toBeDefined();
  });

  it('is accepted when it shares no label with the domain but the top-level one', () => {
    expect(sameSiteReason('training.example.net', 'training.example.com')).toBeUndefined();
    expect(sameSiteReason('training-example-apps.com', 'training.example.com')).toBeUndefined();
    expect(sameSiteReason('example.com.evil.net', 'example.com')).toBeUndefined();
  });

  it("is checked against every cluster's domain, naming the other cluster's file", () => {
    const a = { file: 'clusters/a.yaml', spec: { domain: 'a.example.com', contentDomain: 'a.example.net' } };
    const b = { file: 'clusters/b.yaml', spec: { domain: 'b.example.org', contentDomain: 'apps.a.example.com' } };
    const problems = contentDomainProblems([a, b]);
    expect(problems.map((p) => [p.at.file, p.also?.file, p.message.split(':')[0]])).toEqual([
      [
        'clusters/b.yaml',
        'clusters/a.yaml',
        '"apps.a.example.com" is under the domain of the logins "a.example.com" of cluster file clusters/a.yaml',
      ],
    ]);
    expect(contentDomainProblems([a])).toEqual([]);
  });
});

describe("students' content and the logins, in both modes", () => {
  const ideDomain = (course: string) => `.${course}.training.example.com`;
  const contentDomain = (course: string) => `.${course}.training.example.net`;

  it('puts every host a student serves under the content domain, and no IDE or board host there', () => {
    // With the class board, whose host is one of the logins' domain.
    const board = '\nboard:\n  trainers:\n    - id: trainer\n';
    const withBoard = (cluster: string) => ({
      'clusters/example.yaml': cluster + board,
      'clusters/example.passwords.yaml': fixturePasswordFile(['trainer']),
    });
    const albBoard = albCluster().replace(
      '      domains: ["*.docker-katas',
      '      domains: ["board.training.example.com", "*.docker-katas',
    );
    for (const files of [withBoard(exampleCluster), withBoard(albBoard)]) {
      const result = synth(makeRepo(files), { write: false });
      expect(result.errors).toEqual([]);
      const objects = objectsIn(result.files);
      expect(objects.some((o) => JSON.stringify(o).includes('board.training.example.com'))).toBe(true);
      const hosts = [
        ...objects.filter((o) => o.kind === 'HTTPRoute').flatMap((r) => r.spec.hostnames.map((h: string) => [r, h] as const)),
        ...objects.filter((o) => o.kind === 'Ingress').flatMap((i) => i.spec.rules.map((r: any) => [i, r.host] as const)),
      ];
      expect(hosts.length).toBeGreaterThan(0);
      for (const [object, host] of hosts) {
        const course = object.metadata.labels?.['dojo.training/course'] ?? '';
        const student = object.metadata.labels?.['dojo.training/student'] ?? '';
        const content = host.endsWith(contentDomain(course));
        if (host === `${student}${ideDomain(course)}`) expect(content, host).toBe(false);
        else if (host.startsWith('board.')) expect(host).toBe('board.training.example.com');
        else expect(content, `${host} is a student's app host`).toBe(true);
        expect(host.endsWith('.training.example.com') !== host.endsWith('.training.example.net'), host).toBe(true);
      }
    }
  });

  it("gives the admission policy the content domain for the students' own Ingress hosts, never the logins' domain", () => {
    const objects = objectsIn(exampleOutput().files);
    const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === 'dojo-student-ingresses')!;
    const variables = Object.fromEntries(policy.spec.variables.map((v: any) => [v.name, v.expression]));
    expect(variables.contentDomain).toBe('"training.example.net"');
    expect(JSON.stringify(policy.spec)).not.toContain('training.example.com');
  });
});

describe('ALB packing', () => {
  it('holds as many students as the tighter of the target group and rule quotas allows, less 10%', () => {
    expect(studentsPerAlb(0)).toBe(90); // 1 target group, 1 rule each
    expect(studentsPerAlb(1)).toBe(45); // 2 target groups, 2 rules each
    expect(studentsPerAlb(2)).toBe(30); // 3 target groups, 3 rules each
  });

  it('puts the 90 students of the replaced platform on the fewest ALBs possible', () => {
    const ids = Array.from({ length: 90 }, (_, i) => `s${i}`);
    const groups = new Set(assignAlbGroups(ids, studentsPerAlb(2), new Map()).values());
    expect(groups.size).toBe(3);
    // Two ALBs cannot do: 90 students need 270 target groups, two ALBs allow 2 x 90 within headroom.
    expect(90 * 3).toBeGreaterThan(2 * 90);
  });

  it('never moves a student when others are added or removed, anywhere in the list', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    let previous = assignAlbGroups(ids, 18, new Map());
    const changes: [string, string[]][] = [
      ['add at the front', ['a0', ...ids]],
      ['add in the middle', [...ids.slice(0, 25), 's24b', ...ids.slice(25)]],
      ['remove from the front', ids.slice(3)],
      ['remove and add', [...ids.slice(10), 'new1', 'new2']],
    ];
    let current = ids;
    for (const [what, next] of changes) {
      const assignment = assignAlbGroups([...next].sort(), 18, previous);
      for (const id of next.filter((i) => previous.has(i))) expect(assignment.get(id), `${what}: ${id}`).toBe(previous.get(id));
      expect(
        Math.max(...[...assignment.values()].map((g) => [...assignment.values()].filter((x) => x === g).length)),
      ).toBeLessThanOrEqual(18);
      previous = assignment;
      current = next;
    }
    expect(current.length).toBeGreaterThan(0);
  });
});

describe('gateway mode (the example cluster)', () => {
  const objects = objectsIn(exampleOutput().files);
  const gateway = objects.find((o) => o.kind === 'Gateway')!;
  const routes = objects.filter((o) => o.kind === 'HTTPRoute');
  const listener = (name: string) => gateway.spec.listeners.find((l: any) => l.name === name);

  it('has one Gateway, one LoadBalancer Service (the proxy chart) and no Ingress of its own', () => {
    expect(objects.filter((o) => o.kind === 'Gateway')).toHaveLength(1);
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Service').every((s) => s.spec.type === undefined)).toBe(true);
    const proxy = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'gateway-proxy')!;
    expect(proxy.spec.source.helm.valuesObject.service.type).toBe('LoadBalancer');
  });

  it('has an HTTPS listener per course domain and per course content domain, and no other: nothing serves a workstation in clear', () => {
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.port, l.hostname ?? null])).toEqual([
      ['https-docker-katas', 8443, '*.docker-katas.training.example.com'],
      ['content-docker-katas', 8443, '*.docker-katas.training.example.net'],
      ['https-kubernetes-katas', 8443, '*.kubernetes-katas.training.example.com'],
      ['content-kubernetes-katas', 8443, '*.kubernetes-katas.training.example.net'],
    ]);
  });

  it('routes every student over HTTPS: the IDE through its login proxy, with HSTS, and each app port', () => {
    const ofAda = routes.filter((r) => r.metadata.labels!['dojo.training/student'] === 'ada-lovelace');
    const summary = ofAda.map((r) => [
      r.spec.parentRefs[0].sectionName,
      r.spec.hostnames[0],
      r.spec.rules[0].backendRefs[0].port,
    ]);
    expect(summary.sort()).toEqual(
      [
        ['https-kubernetes-katas', 'ada-lovelace.kubernetes-katas.training.example.com', 4180],
        ['content-kubernetes-katas', '5000-ada-lovelace.kubernetes-katas.training.example.net', 5000],
        ['content-kubernetes-katas', '8080-ada-lovelace.kubernetes-katas.training.example.net', 8080],
      ].sort(),
    );
    const ide = ofAda.find((r) => r.spec.hostnames[0] === 'ada-lovelace.kubernetes-katas.training.example.com')!;
    // Every rule of the IDE's route sets HSTS (the sign-in rule's limits: test/sign-in-limits.test.ts).
    for (const rule of ide.spec.rules) {
      expect(rule.filters).toContainEqual({
        type: 'ResponseHeaderModifier',
        responseHeaderModifier: { set: [{ name: 'Strict-Transport-Security', value: 'max-age=31536000' }] },
      });
    }
    // docker-katas opens nine app ports, kubernetes-katas two: a route per host.
    expect(routes).toHaveLength(12 * 10 + 25 * 3);
  });

  it('gives every route a listener that takes it, a host the listener matches and a backend port that exists', () => {
    const services = new Map(
      objects.filter((o) => o.kind === 'Service').map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]),
    );
    const seen = new Map<string, string>();
    for (const route of routes) {
      const parent = listener(route.spec.parentRefs[0].sectionName);
      expect(parent, route.metadata.name).toBeDefined();
      const allowed = parent.allowedRoutes.namespaces.selector.matchLabels;
      const namespaceLabels = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === route.metadata.namespace)!
        .metadata.labels!;
      const nsLabels = { ...namespaceLabels, 'kubernetes.io/metadata.name': route.metadata.namespace };
      expect(
        Object.entries(allowed).every(([k, v]) => nsLabels[k as keyof typeof nsLabels] === v),
        route.metadata.name,
      ).toBe(true);
      for (const host of route.spec.hostnames) {
        if (parent.hostname)
          expect(host.endsWith(parent.hostname.slice(1)) && host.split('.').length === parent.hostname.split('.').length).toBe(
            true,
          );
        const key = `${parent.name} ${host}`;
        expect(seen.get(key), `${key} is routed twice`).toBeUndefined();
        seen.set(key, route.metadata.name);
      }
      const backend = route.spec.rules[0].backendRefs[0];
      const service = services.get(`${route.metadata.namespace}/${backend.name}`)!;
      expect(service.spec.ports.map((p: any) => p.port)).toContain(backend.port);
    }
  });

  it('fits 32 courses on the one Gateway, two listeners each, and names the limit at 33', () => {
    expect(synth(syntheticRepo(32, 1), { write: false }).errors).toEqual([]);
    expect(synth(syntheticRepo(33, 1), { write: false }).errors).toEqual([
      "clusters/example.yaml:29:1  routing  the courses need 66 Gateway listeners (two per course, for its IDEs and its students' content); the limit is 64\n" +
        '    hint: move courses to another cluster',
    ]);
  });

  it('lets the proxy reach exactly the ports it routes to, and nothing else reach the workstations', () => {
    const policy = objects.find(
      (o) =>
        o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-load-balancer' && o.metadata.namespace === 'kubernetes-katas',
    )!;
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dojo-gateway' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
          },
        ],
        ports: [4180, 5000, 8080].map((port) => ({ protocol: 'TCP', port })),
      },
    ]);
  });

  it("serves the students' own kata Ingresses (class alb) on the same proxy and lets it into their namespaces", () => {
    const values = objects.find((o) => o.metadata.name === 'gateway-proxy')!.spec.source.helm.valuesObject;
    expect(values.ingressClass).toEqual({ enabled: true, isDefaultClass: false, name: 'alb' });
    expect(values.providers.kubernetesIngress.enabled).toBe(true);
    const allow = objects.find(
      (o) =>
        o.kind === 'NetworkPolicy' &&
        o.metadata.name === 'allow-own-traffic' &&
        o.metadata.namespace === 'kubernetes-katas-ada-lovelace',
    )!;
    expect(allow.spec.ingress).toContainEqual({
      from: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dojo-gateway' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
        },
      ],
    });
  });

  it('asks external-dns for two wildcard records per course, in the zones it may write, the NLB passing TCP through to the proxy', () => {
    const annotations = objects.find((o) => o.metadata.name === 'gateway-proxy')!.spec.source.helm.valuesObject.service
      .annotations;
    expect(annotations['external-dns.alpha.kubernetes.io/hostname']).toBe(
      '*.docker-katas.training.example.com,*.docker-katas.training.example.net,' +
        '*.kubernetes-katas.training.example.com,*.kubernetes-katas.training.example.net',
    );
    const externalDns = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'external-dns')!;
    expect(externalDns.spec.source.helm.valuesObject.domainFilters).toEqual(['training.example.com', 'training.example.net']);
    expect(Object.keys(annotations).filter((a) => /ssl/.test(a))).toEqual([]);
    expect(objects.filter((o) => JSON.stringify(o.metadata.annotations ?? {}).includes('external-dns'))).toEqual([]);
  });

  it("has cert-manager issue each course's two wildcards by DNS-01 in the two zones, and their listeners serve them", () => {
    const [issuer] = objects.filter((o) => o.kind === 'ClusterIssuer');
    expect(issuer.spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(issuer.spec.acme.solvers).toEqual([
      {
        selector: { dnsZones: ['training.example.com', 'training.example.net'] },
        dns01: { route53: { region: 'us-east-1' } },
      },
    ]);
    const certificates = objects.filter((o) => o.kind === 'Certificate');
    expect(certificates.map((c) => [c.metadata.namespace, c.spec.dnsNames, c.spec.issuerRef.name])).toEqual([
      ['dojo-gateway', ['*.docker-katas.training.example.com'], issuer.metadata.name],
      ['dojo-gateway', ['*.docker-katas.training.example.net'], issuer.metadata.name],
      ['dojo-gateway', ['*.kubernetes-katas.training.example.com'], issuer.metadata.name],
      ['dojo-gateway', ['*.kubernetes-katas.training.example.net'], issuer.metadata.name],
    ]);
    for (const l of gateway.spec.listeners) {
      expect(l.protocol).toBe('HTTPS');
      const served = certificates.find((c) => c.spec.dnsNames.includes(l.hostname))!;
      expect(l.tls).toEqual({
        mode: 'Terminate',
        certificateRefs: [{ group: '', kind: 'Secret', name: served.spec.secretName }],
      });
      expect(served.metadata.namespace).toBe(gateway.metadata.namespace);
    }
  });
});

describe('alb mode', () => {
  const repo = () => makeRepo({ 'clusters/example.yaml': albCluster() });
  const groupsOf = (root: string, course: string) =>
    objectsOf(readTree(root)).find((o) => o.file.endsWith(`${course}/alb-groups.yaml`))!.object.data as Record<string, string>;

  it('gives each student one HTTPS Ingress in a group, target-type ip, health check /healthz, within the quotas', () => {
    const objects = objectsIn(synth(repo(), { write: false }).files);
    const ingresses = objects.filter((o) => o.kind === 'Ingress');
    expect(ingresses).toHaveLength(37);
    for (const ingress of ingresses) {
      expect(ingress.spec.ingressClassName).toBe('dojo-alb');
      expect(ingress.metadata.annotations!['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTPS":443}]');
      expect(ingress.metadata.annotations!['alb.ingress.kubernetes.io/listener-attributes.HTTPS-443']).toBe(
        'routing.http.response.strict_transport_security.header_value=max-age=31536000',
      );
    }
    const groups = new Map<string, KubeObject[]>();
    for (const ingress of ingresses) {
      const a = ingress.metadata.annotations!;
      expect(a['alb.ingress.kubernetes.io/target-type']).toBe('ip');
      expect(a['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/healthz');
      const group = a['alb.ingress.kubernetes.io/group.name'];
      groups.set(group, [...(groups.get(group) ?? []), ingress]);
    }
    for (const [group, members] of groups) {
      const targetGroups = new Set(
        members.flatMap((i) =>
          i.spec.rules.flatMap((r: any) =>
            r.http.paths.map((p: any) => `${p.backend.service.name}:${p.backend.service.port.number}`),
          ),
        ),
      );
      const rules = members.reduce((n, i) => n + i.spec.rules.length, 0);
      expect(targetGroups.size, group).toBeLessThanOrEqual(90);
      expect(rules, group).toBeLessThanOrEqual(90);
    }
    // docker-katas: ten target groups per student, so nine students per ALB.
    expect([...groups.keys()].sort()).toEqual(['docker-katas-1', 'docker-katas-2', 'kubernetes-katas-1']);
  });

  it('serves a kata Ingress that names class alb by annotation only, as one naming it in the field: an ALB of its own, never a platform group', () => {
    const objects = objectsIn(synth(repo(), { write: false }).files);
    const values = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'aws-load-balancer-controller')!.spec
      .source.helm.valuesObject;
    // The chart (1.14.0 templates/ingressclass.yaml) makes an IngressClass named after the flag, with empty params.
    const classes = [
      ...objects.filter((o) => o.kind === 'IngressClass'),
      ...(values.createIngressClassResource
        ? [
            {
              apiVersion: 'networking.k8s.io/v1',
              kind: 'IngressClass',
              metadata: { name: values.ingressClass },
              spec: { controller: 'ingress.k8s.aws/alb' },
            },
          ]
        : []),
    ];
    const params = objects.filter((o) => o.kind === 'IngressClassParams');
    const groupOf = (i: KubeObject) => albGroupOf(i, values.ingressClass, classes, params);
    const chain = new AdmissionChain(
      objects,
      new Map(objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}] as const)),
    );
    const host = 'quotes-ada-lovelace.kubernetes-katas.training.example.net';
    const rules = ingress(host).spec.rules;
    const tries: Record<string, KubeObject> = {
      // kubernetes-katas deployments-ingress: the class by annotation, no spec.ingressClassName.
      annotation: { ...ingress(host, { annotations: { 'kubernetes.io/ingress.class': 'alb' } }), spec: { rules } },
      field: ingress(host),
      'no class': { ...ingress(host), spec: { rules } },
      'platform class by annotation': {
        ...ingress(host, { annotations: { 'kubernetes.io/ingress.class': 'dojo-alb' } }),
        spec: { rules },
      },
      'platform class in the field': ingress(host, { spec: { ingressClassName: 'dojo-alb' } }),
      'a platform group': ingress(host, { annotations: { 'alb.ingress.kubernetes.io/group.name': 'kubernetes-katas-1' } }),
    };
    const outcome = Object.fromEntries(
      Object.entries(tries).map(([name, object]) => {
        const request = asStudent('ada-lovelace', 'CREATE', object, { course: 'kubernetes-katas' });
        return [name, chain.review(request).allowed ? (groupOf(request.object as KubeObject) ?? 'not served') : 'refused'];
      }),
    );
    const own = 'kubernetes-katas-ada-lovelace/quotes';
    expect(outcome).toEqual({
      annotation: own,
      field: own,
      'no class': 'not served',
      'platform class by annotation': 'refused',
      'platform class in the field': 'refused',
      'a platform group': 'refused',
    });
    // The platform's Ingresses stay in their groups.
    for (const platform of objects.filter((o) => o.kind === 'Ingress'))
      expect(groupOf(platform)).toBe(platform.metadata.annotations!['alb.ingress.kubernetes.io/group.name']);
  });

  it("serves the IDE hosts' and the content hosts' certificates on every group, and names the certificate a course lacks", () => {
    const ingresses = objectsIn(synth(repo(), { write: false }).files).filter((o) => o.kind === 'Ingress');
    for (const ingress of ingresses) {
      // The IDE's first: the listener's default certificate.
      expect(ingress.metadata.annotations!['alb.ingress.kubernetes.io/certificate-arn']).toBe(
        `${ACM}/2f0e1c9a-5b7d-4e3f-9a1b-6c8d7e5f4a3b,${ACM}/5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b`,
      );
    }
    // One certificate naming both domains of a course is listed once.
    const both = exampleCluster.replace(
      '  mode: gateway',
      [
        '  mode: alb',
        '  loadBalancerSourceRanges: ["10.0.0.0/24"]',
        '  certificates:',
        `    - arn: ${ACM}/2f0e1c9a-5b7d-4e3f-9a1b-6c8d7e5f4a3b`,
        '      domains: ["*.docker-katas.training.example.com", "*.docker-katas.training.example.net",',
        '        "*.kubernetes-katas.training.example.com", "*.kubernetes-katas.training.example.net"]',
      ].join('\n'),
    );
    const oneCertificate = objectsIn(synth(makeRepo({ 'clusters/example.yaml': both }), { write: false }).files);
    for (const ingress of oneCertificate.filter((o) => o.kind === 'Ingress'))
      expect(ingress.metadata.annotations!['alb.ingress.kubernetes.io/certificate-arn']).toBe(
        `${ACM}/2f0e1c9a-5b7d-4e3f-9a1b-6c8d7e5f4a3b`,
      );
    // Without the content certificate, synth names it.
    const ideOnly = albCluster().replace(/\n {4}- arn: [^\n]*5e6f7a8b[^\n]*\n[^\n]*/, '');
    const errors = synth(makeRepo({ 'clusters/example.yaml': ideOnly }), { write: false }).errors;
    expect(errors.map((e) => e.split('\n')[0].replace(/^\S+ {2}\S+ {2}/, ''))).toEqual([
      'needs a TLS certificate for "*.docker-katas.training.example.net", and no certificate of cluster "example" lists it',
      'needs a TLS certificate for "*.kubernetes-katas.training.example.net", and no certificate of cluster "example" lists it',
    ]);
  });

  it('keeps every student on their ALB when a student is added at the top of the list or removed', async () => {
    const root = repo();
    synth(root);
    const before = groupsOf(root, 'kubernetes-katas');
    const file = path.join(root, 'courses/kubernetes-katas.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('students:\n', 'students:\n  - Aaron Aardvark\n').replace('  - Grace Hopper\n', ''),
    );
    await ensurePasswords(root, 'kubernetes-katas');
    expect(synth(root).errors).toEqual([]);
    const after = groupsOf(root, 'kubernetes-katas');
    for (const [student, group] of Object.entries(before))
      if (student !== 'grace-hopper') expect(after[student], student).toBe(group);
    expect(after['aaron-aardvark']).toBeDefined();
    expect(after['grace-hopper']).toBeUndefined();
  });

  it('fails with the numbers when the courses need more ALBs than the quota', () => {
    // albQuota goes on the line after `mode:`.
    const albQuotaLine = exampleCluster.split('\n').findIndex((l) => l.startsWith('  mode:')) + 2;
    const root = makeRepo({ 'clusters/example.yaml': albCluster('\n  albQuota: 1') });
    expect(synth(root, { write: false }).errors).toEqual([
      `clusters/example.yaml:${albQuotaLine}:3  routing.albQuota  the courses need 3 ALBs (docker-katas 2, kubernetes-katas 1), more than the region's quota of 1\n` +
        '    hint: raise the quota with AWS and then routing.albQuota, move courses to another cluster, or use gateway mode',
    ]);
  });
});

describe('scale', () => {
  const bigCourse = 'name: big\ncluster: example\nstudents: { count: 3000 }\nworkstation: { ports: [8080, 5000] }\n';

  it('synthesizes 5,000 students behind one load balancer in gateway mode, within what ArgoCD renders per Application', () => {
    const root = makeRepo(
      withFixturePasswords({
        'courses/big.yaml': bigCourse.replace('count: 3000', 'count: 5000'),
      }),
      { exampleCourses: false },
    );
    const result = synth(root, { write: false });
    expect(result.errors).toEqual([]);
    expect(result.files.filter((f) => f.path.includes('/students/'))).toHaveLength(5000);
    expect(result.summary.join('\n')).toMatch(/big\s+gateway\s+15000\s+1 NLB, shared/);
    // The course's Application stays under half of ArgoCD's limit: the rest is headroom.
    const bytes = result.files
      .filter((f) => f.path.startsWith('dist/example/courses/big/'))
      .reduce((n, f) => n + f.content.length, 0);
    expect(bytes).toBeLessThan(ARGOCD_MANIFEST_LIMIT_MB * 2 ** 20 * 0.5);
  });

  it('synthesizes 3,000 students in alb mode once the ALB quota allows their 100 ALBs', () => {
    const cluster = albCluster('\n  albQuota: 200', ['big']);
    const root = makeRepo(withFixturePasswords({ 'courses/big.yaml': bigCourse, 'clusters/example.yaml': cluster }), {
      exampleCourses: false,
    });
    const result = synth(root, { write: false });
    expect(result.errors).toEqual([]);
    expect(result.summary.join('\n')).toMatch(/big\s+alb\s+9000\s+100 ALB/);
  });
});

describe('ArgoCD limits', () => {
  it('stops synth, naming the folder and the fix, when an Application would pass the limit', () => {
    const huge = 60 * 2 ** 20;
    const sizes = new ApplicationSizes();
    sizes.add('dist/example/courses/big/students/a.yaml', huge, 10);
    sizes.add('dist/example/courses/big/students/b.yaml', huge, 10);
    sizes.add('dist/example/courses/small/course.yaml', 1, 1);
    const problems = oversizedApplications(sizes);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^dist\/example\/courses\/big  is 120\.0 MB of manifests; ArgoCD renders at most 200 MB/);
  });
});
