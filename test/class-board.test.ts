import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { WATCHED_KINDS, type BoardConfig } from '../lib/contracts/board-config';
import { CHECK_KINDS } from '../lib/contracts/checks';
import { COURSE_LABEL, STUDENT_LABEL, WORKSTATION_SELECTOR } from '../board/model';
import { boardHost, CLASS_BOARD, planClassBoard } from '../lib/plan/class-board/class-board';
import { clusterSchema } from '../lib/input/schema/cluster';
import { loginProxyArgs } from '../lib/plan/login/login';
import { parse } from 'yaml';
import { GATEWAY } from '../lib/plan/routing/hosts';
import { makeRepo, objectsOf, REPO_ROOT, type KubeObject } from './support/repo';
import { validateObject } from './support/schemas';
import { itWithUpstream, VALIDATION } from './support/upstream';
import { FIXTURE_HASH } from '../dev/fixture-passwords';

// The class board as synth generates it: on the virtual-clusters fixture (gateway mode, two
// trainers) and on the example fixture's alb cluster with a board added.

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'virtual-clusters');

function synthOf(root: string): { objects: KubeObject[]; files: Map<string, string>; errors: readonly string[] } {
  try {
    const result = synth(root, { write: false });
    const files = new Map(result.files.map((f) => [f.path, f.content]));
    return { objects: objectsOf(files).map((o) => o.object), files, errors: result.errors };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** This repo's courses, clusters and check sets, in a folder of their own. */
function copyOfRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-board-repo-'));
  for (const dir of ['courses', 'clusters', 'checks'])
    fs.cpSync(path.join(REPO_ROOT, dir), path.join(root, dir), { recursive: true });
  return root;
}

function fixtureCopy(edit: (cluster: string) => string = (c) => c, passwords?: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-board-'));
  fs.cpSync(FIXTURE, root, { recursive: true });
  const file = path.join(root, 'clusters', 'example.yaml');
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  if (passwords !== undefined) fs.writeFileSync(path.join(root, 'clusters', 'example.passwords.yaml'), passwords);
  return root;
}

const gateway = synthOf(fixtureCopy());
const find = (objects: KubeObject[], kind: string, name?: string) =>
  objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const boardObjects = gateway.objects.filter(
  (o) => o.metadata.namespace === CLASS_BOARD.namespace || o.metadata.name?.includes('class-board'),
);
const deployment = find(gateway.objects, 'Deployment', CLASS_BOARD.name)[0];
const container = (name: string) => deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === name);

describe('the class board', () => {
  itWithUpstream(VALIDATION, 'is synthesized without problems, every object valid against its schema', async () => {
    expect(gateway.errors).toEqual([]);
    expect(gateway.files.has('dist/example/platform/class-board.yaml')).toBe(true);
    for (const o of boardObjects) expect(await validateObject(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
  });

  it('may list and watch exactly the kinds it watches, and nothing else, with a binding to its own account only', () => {
    const roles = find(gateway.objects, 'ClusterRole').filter((r) => r.metadata.name.includes('class-board'));
    expect(roles).toHaveLength(1);
    const granted = roles[0].rules.flatMap((r: { apiGroups: string[]; resources: string[]; verbs: string[] }) =>
      r.apiGroups.flatMap((g) => r.resources.map((res) => ({ g, res, verbs: [...r.verbs].sort() }))),
    );
    expect(granted.map((x: { g: string; res: string }) => `${x.g}/${x.res}`).sort()).toEqual(
      Object.values(WATCHED_KINDS)
        .map((k) => `${k.apiGroup}/${k.resource}`)
        .sort(),
    );
    for (const x of granted) expect(x.verbs).toEqual(['list', 'watch']);
    expect(
      roles[0].rules.every((r: { resourceNames?: unknown; nonResourceURLs?: unknown }) => !r.resourceNames && !r.nonResourceURLs),
    ).toBe(true);
    const bindings = [...find(gateway.objects, 'ClusterRoleBinding'), ...find(gateway.objects, 'RoleBinding')].filter(
      (b) => b.roleRef.name === roles[0].metadata.name,
    );
    expect(bindings).toHaveLength(1);
    expect(bindings[0].subjects).toEqual([{ kind: 'ServiceAccount', name: CLASS_BOARD.name, namespace: CLASS_BOARD.namespace }]);
    // No other role of the cluster is bound to the board's account.
    const toBoard = [...find(gateway.objects, 'ClusterRoleBinding'), ...find(gateway.objects, 'RoleBinding')].filter((b) =>
      (b.subjects ?? []).some(
        (s: { name: string; namespace?: string }) => s.name === CLASS_BOARD.name && s.namespace === CLASS_BOARD.namespace,
      ),
    );
    expect(toBoard).toEqual(bindings);
  });

  it("watches, besides its own kinds, exactly those the courses' checks read, never Secrets (this repo's dist/)", () => {
    const own = synthOf(copyOfRepo());
    expect(own.errors).toEqual([]);
    const boards = [...own.files].filter(([file]) => file.endsWith('/platform/class-board.yaml'));
    expect(boards.length).toBeGreaterThan(0);
    const configs: BoardConfig[] = [];
    for (const [file, content] of boards) {
      const objects = objectsOf(new Map([[file, content]])).map((o) => o.object);
      const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === CLASS_BOARD.name)!;
      const config = JSON.parse(map.data[CLASS_BOARD.configFile]) as BoardConfig;
      configs.push(config);
      const fromCourses = [...new Set(config.courses.flatMap((c) => c.checks.flatMap((e) => e.kinds)))].sort();
      expect(config.checkKinds).toEqual(fromCourses);
      const role = objects.find((o) => o.kind === 'ClusterRole')!;
      const granted = role.rules.flatMap((r: { apiGroups: string[]; resources: string[] }) =>
        r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`)),
      );
      const expected = [...Object.values(WATCHED_KINDS), ...config.checkKinds.map((k) => CHECK_KINDS[k])].map(
        (k) => `${k.apiGroup}/${k.resource}`,
      );
      expect(granted.sort(), file).toEqual([...new Set(expected)].sort());
      expect(granted.filter((g: string) => g.endsWith('/secrets'))).toEqual([]);
    }
    // The example's kubernetes-katas course names its checks, so the board has some to watch.
    const example = configs.find((c) => c.cluster === 'example');
    expect(example?.courses.find((c) => c.name === 'kubernetes-katas')?.checks.length).toBeGreaterThan(5);
  });

  it("listens on the loopback behind the trainers' login proxy, the one port of the pod and of its Service", () => {
    expect(container('board').ports).toBeUndefined();
    expect(container('board').env).toContainEqual({ name: 'BOARD_PORT', value: String(CLASS_BOARD.port) });
    expect(container('login').args).toContain(`--upstream=http://127.0.0.1:${CLASS_BOARD.port}/`);
    expect(container('login').args).toContain('--cookie-name=__Host-dojo-board');
    expect(container('login').args).toContain(`--redirect-url=https://${boardHost('training.example.com')}/oauth2/callback`);
    const service = find(gateway.objects, 'Service', CLASS_BOARD.name)[0];
    expect(service.spec.ports).toEqual([{ name: 'login', port: 4180, targetPort: 'login' }]);
    const policy = find(gateway.objects, 'NetworkPolicy', CLASS_BOARD.name)[0];
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': GATEWAY.namespace } },
            podSelector: { matchLabels: GATEWAY.proxyLabels },
          },
        ],
        ports: [{ protocol: 'TCP', port: 4180 }],
      },
    ]);
    for (const c of [...deployment.spec.template.spec.containers, ...deployment.spec.template.spec.initContainers]) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
      });
    }
    const ns = find(gateway.objects, 'Namespace', CLASS_BOARD.namespace)[0];
    expect(ns.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it("knows the trainers and no student: the proxy's htpasswd and the board's own list", () => {
    const login = find(gateway.objects, 'ConfigMap', `${CLASS_BOARD.name}-login`)[0];
    expect(login.data.htpasswd).toBe(`trainer:${FIXTURE_HASH}\nsecond-trainer:${FIXTURE_HASH}\n`);
    const config = JSON.parse(find(gateway.objects, 'ConfigMap', CLASS_BOARD.name)[0].data[CLASS_BOARD.configFile]);
    expect(config).toMatchObject({
      cluster: 'example',
      identityHeader: 'x-forwarded-user',
      trainers: ['trainer', 'second-trainer'],
    });
    expect(config.courses.map((c: { name: string }) => c.name)).toEqual(['argocd-katas']);
    expect(config.courses[0]).toMatchObject({
      namespace: 'argocd-katas',
      studentNamespacePrefix: 'argocd-katas-',
      isolation: 'vcluster',
    });
  });

  it("finds what synth generates: the selectors and labels the board's informers and model use", () => {
    const selector = Object.fromEntries(WORKSTATION_SELECTOR.split(',').map((term) => term.split('=')));
    const workstations = find(gateway.objects, 'StatefulSet').filter((o) => o.metadata.name.startsWith('ws-'));
    expect(workstations.length).toBeGreaterThan(0);
    for (const sts of workstations) {
      for (const labels of [sts.metadata.labels!, sts.spec.template.metadata.labels]) {
        expect(labels).toMatchObject(selector);
        expect(labels[COURSE_LABEL]).toBe('argocd-katas');
        expect(sts.metadata.name).toBe(`ws-${labels[STUDENT_LABEL]}`);
      }
    }
    const quotas = find(gateway.objects, 'ResourceQuota');
    expect(quotas.length).toBeGreaterThan(0);
    for (const q of quotas) expect(q.metadata.labels!['app.kubernetes.io/managed-by']).toBe('dojo');
    const config = JSON.parse(find(gateway.objects, 'ConfigMap', CLASS_BOARD.name)[0].data[CLASS_BOARD.configFile]);
    const pools = new Set(find(gateway.objects, 'NodePool').map((p) => p.metadata.name));
    for (const pool of config.courses[0].nodePools) expect(pools.has(pool), pool).toBe(true);
  });

  it('is served on its own listener of the shared gateway, with its own certificate and DNS name', () => {
    const gw = find(gateway.objects, 'Gateway', GATEWAY.name)[0];
    const listener = gw.spec.listeners.find((l: { hostname: string }) => l.hostname === 'board.training.example.com');
    expect(listener.allowedRoutes.namespaces.selector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': CLASS_BOARD.namespace,
    });
    const route = find(gateway.objects, 'HTTPRoute', CLASS_BOARD.name)[0];
    expect(route.spec.parentRefs[0].sectionName).toBe(listener.name);
    expect(route.spec.hostnames).toEqual(['board.training.example.com']);
    const certificate = find(gateway.objects, 'Certificate', CLASS_BOARD.name)[0];
    expect(certificate.spec).toMatchObject({
      dnsNames: ['board.training.example.com'],
      secretName: listener.tls.certificateRefs[0].name,
    });
    const proxy = find(gateway.objects, 'Application', 'gateway-proxy')[0];
    expect(proxy.spec.source.helm.valuesObject.service.annotations['external-dns.alpha.kubernetes.io/hostname']).toContain(
      'board.training.example.com',
    );
  });

  it("lets the board read each IDE's /healthz on the login port, and nothing else of the workstations", () => {
    const access = find(gateway.objects, 'NetworkPolicy', 'allow-load-balancer')[0];
    const fromBoard = access.spec.ingress.find(
      (rule: { from: { namespaceSelector?: { matchLabels: Record<string, string> } }[] }) =>
        rule.from.some((f) => f.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === CLASS_BOARD.namespace),
    );
    expect(fromBoard.ports).toEqual([{ protocol: 'TCP', port: 4180 }]);
  });
});

describe('the class board on an alb cluster', () => {
  const BOARD = 'board:\n  trainers:\n    - id: trainer\n';
  const synthStaging = (board: string, options: { certificate?: boolean; albQuota?: number } = {}) => {
    const root = makeRepo({ 'clusters/staging.passwords.yaml': `trainer: "${FIXTURE_HASH}"\n` });
    const file = path.join(root, 'clusters', 'staging.yaml');
    let text = fs.readFileSync(file, 'utf8');
    if (options.certificate ?? true) {
      text = text.replace(
        /( {2}certificates:\n)/,
        '$1    - arn: arn:aws:acm:eu-west-1:123456789012:certificate/0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a\n      domains: ["*.staging.training.example.com"]\n',
      );
    }
    if (options.albQuota !== undefined) text = text.replace('  mode: alb\n', `  mode: alb\n  albQuota: ${options.albQuota}\n`);
    fs.writeFileSync(file, `${text}${board}`);
    return synthOf(root);
  };

  it('has an ALB of its own with the certificate that covers the board host', async () => {
    const result = synthStaging(BOARD);
    expect(result.errors).toEqual([]);
    const ingress = result.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === CLASS_BOARD.name)!;
    expect(ingress.metadata.namespace).toBe(CLASS_BOARD.namespace);
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/group.name': 'dojo-board',
      'alb.ingress.kubernetes.io/certificate-arn':
        'arn:aws:acm:eu-west-1:123456789012:certificate/0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a',
    });
    expect(ingress.spec.rules[0].host).toBe('board.staging.training.example.com');
    expect(await validateObject(ingress)).toEqual([]);
    const policy = result.objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === CLASS_BOARD.name)!;
    expect(policy.spec.ingress[0].from.length).toBeGreaterThan(0);
    expect(policy.spec.ingress[0].from.every((f: { ipBlock?: unknown }) => f.ipBlock)).toBe(true);
  });

  it('says which certificate is missing, which trainer has no password, and counts its ALB against the quota', () => {
    const errors = synthStaging('board:\n  trainers:\n    - id: trainer\n    - id: other\n', { certificate: false }).errors.join(
      '\n',
    );
    expect(errors).toMatch(/board +needs a TLS certificate for "board\.staging\.training\.example\.com"/);
    expect(errors).toMatch(
      /board\.trainers\[1\] +trainer "other" has no password\s+hint: run: npm run passwords -- --board staging/,
    );
    expect(synthStaging('', { albQuota: 1 }).errors).toEqual([]);
    expect(synthStaging(BOARD, { albQuota: 1 }).errors.join('\n')).toMatch(/need 2 ALBs \(helm-katas 1, class board 1\)/);
  });
});

describe('the class board on an OIDC cluster', () => {
  const oidc =
    'login:\n  oidc:\n    issuerURL: https://login.example.edu/realms/school\n    clientID: dojo\n    clientSecret:\n      name: oidc\n';

  it('names the trainer without an e-mail', () => {
    expect(synthOf(fixtureCopy((c) => `${c}${oidc}`)).errors.join('\n')).toMatch(
      /board\.trainers\[0\] +trainer "trainer" has no email/,
    );
  });

  it('lets in the trainers by the e-mail the identity provider gives, in any case', () => {
    const text = fs
      .readFileSync(path.join(FIXTURE, 'clusters', 'example.yaml'), 'utf8')
      .replace('- id: trainer\n', '- id: trainer\n      email: Trainer@Example.edu\n')
      .replace('- id: second-trainer\n', '- id: second-trainer\n      email: two@example.edu\n');
    const spec = clusterSchema.parse(parse(`${text}${oidc}`));
    const board = planClassBoard(spec, { kind: 'oidc', ...spec.login.oidc! }, [], undefined, () => undefined)!;
    expect(board.config).toMatchObject({
      identityHeader: 'x-forwarded-email',
      trainers: ['trainer@example.edu', 'two@example.edu'],
    });
    expect(board.trainerLogin.email).toBe('trainer@example.edu\ntwo@example.edu');
    expect(loginProxyArgs(board.login, board.trainerLogin)).toContain('--authenticated-emails-file=/etc/dojo-login/emails');
  });
});
