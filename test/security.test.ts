import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { AdmissionChain } from './support/admission';
import { objectsOf, REPO_ROOT, type KubeObject } from './support/repo';
import { ADMISSION_ATTACKS, type AdmissionAttack } from './security/attacks';
import { KATA_REQUESTS } from './security/katas';
import { MESH_ATTACKS, MESH_KATA_REQUESTS } from './security/mesh';
import { MESH_REFUSED_KINDS, MESH_STUDENT_ROLE } from '../lib/plan/mesh/mesh';
import { asStudent, ingress } from './security/requests';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'classroom');
let byCluster: Map<string, KubeObject[]>;
const all = () => [...byCluster.values()].flat();

/** Refused on cluster lab by the policy the attack names, with a message a student can read. */
function expectRefused(attack: AdmissionAttack): void {
  const decision = chainOf('lab').review(attack.request);
  expect(decision.allowed, attack.name).toBe(false);
  expect(
    decision.denials.some((d) => d.startsWith(`${attack.by}: `)),
    decision.denials.join('; '),
  ).toBe(true);
  // A trainer or student reads why: no evaluation error stands in for a rule.
  for (const denial of decision.denials) expect(denial).not.toMatch(/evaluation error/);
}

function chainOf(cluster: string): AdmissionChain {
  const objects = byCluster.get(cluster)!;
  const namespaces = new Map(
    objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}] as const),
  );
  return new AdmissionChain(objects, namespaces);
}

beforeAll(() => {
  const result = synth(FIXTURE, { write: false });
  expect(result.errors).toEqual([]);
  byCluster = new Map();
  for (const { file, object } of objectsOf(new Map(result.files.map((f) => [f.path, f.content])))) {
    const cluster = /^(?:dist\/([^/]+)\/|argocd\/([^/.]+)\.yaml)/.exec(file)!.slice(1).find(Boolean)!;
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), object]);
  }
});

describe('the admission policies, evaluated as the API server does', () => {
  it('have an attack corpus of at least 30 cases covering every finding they answer', () => {
    expect(ADMISSION_ATTACKS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ADMISSION_ATTACKS.map((a) => a.finding))).toEqual(
      new Set(['11.2', '11.3', '11.4', '11.6', '11.8', '30.1', '30.4', '30.5', '30.7']),
    );
  });

  it.each(ADMISSION_ATTACKS.map((a) => [a.name, a] as const))('deny: %s', (_, attack) => expectRefused(attack));

  it.each(KATA_REQUESTS.map((k) => [k.name, k] as const))('admit what the katas do: %s', (_, kata) => {
    expect(chainOf('lab').review(kata.request).denials).toEqual([]);
  });

  it("admit the katas' own Ingress as written (ALB annotations), in both modes; never a platform group", () => {
    const kata = (host: string, course: string, annotations: Record<string, string>) =>
      asStudent('alice', 'CREATE', ingress(host, { annotations }), { course });
    // kubernetes-katas deployments-ingress/done/frontend-ingress.yaml, with the host renamed.
    const asWritten = {
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
    };
    const group = { ...asWritten, 'alb.ingress.kubernetes.io/group.name': 'k8s-1' };
    // The hosts under each cluster's content domain.
    for (const [cluster, course, contentDomain] of [
      ['lab', 'k8s', 'lab.example.net'],
      ['shards', 'sso', 'shards.example.net'],
    ]) {
      const host = `quotes-alice.${course}.${contentDomain}`;
      expect(chainOf(cluster).review(kata(host, course, asWritten)).denials).toEqual([]);
      expect(chainOf(cluster).review(kata(host, course, group)).allowed).toBe(false);
    }
  });

  it("leave the platform's own objects in student namespaces to ArgoCD", () => {
    const binding = byCluster.get('lab')!.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'k8s-alice')!;
    const request = asStudent('alice', 'CREATE', binding, {
      username: 'system:serviceaccount:argocd:argocd-application-controller',
    });
    expect(chainOf('lab').review(request).denials).toEqual([]);
    // The same binding made by the student is refused: it names a subject of another namespace.
    expect(chainOf('lab').review(asStudent('alice', 'CREATE', binding)).allowed).toBe(false);
  });

  it('fail closed, bind to student namespaces only and judge namespaced objects only', () => {
    const objects = all();
    const policies = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      expect(policy.spec.failurePolicy).toBe('Fail');
      for (const rule of policy.spec.matchConstraints.resourceRules) expect(rule.scope).toBe('Namespaced');
    }
    for (const binding of objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding')) {
      expect(binding.spec.validationActions).toEqual(['Deny']);
      expect(binding.spec.matchResources.namespaceSelector.matchLabels).toMatchObject({
        'app.kubernetes.io/component': 'student-namespace',
      });
    }
  });
});

describe('RBAC: what a student ServiceAccount is granted', () => {
  const subjectOf = (o: KubeObject, sa: string, ns: string) =>
    (o.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === sa && s.namespace === ns);

  it('is admin in its own namespace and reads a few cluster kinds: no cluster-wide write, nothing in other namespaces', () => {
    const objects = byCluster.get('lab')!;
    const bindings = objects.filter(
      (o) => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && subjectOf(o, 'ws-alice', 'k8s'),
    );
    expect(bindings.map((b) => [b.kind, b.metadata.namespace ?? null, b.roleRef.kind, b.roleRef.name])).toEqual([
      ['RoleBinding', 'k8s-alice', 'ClusterRole', 'admin'],
      ['ClusterRoleBinding', null, 'ClusterRole', 'dojo-k8s-cluster-read'],
    ]);
    const clusterRead = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'dojo-k8s-cluster-read')!;
    // So creating ClusterRoleBindings, Namespaces, PriorityClasses or patching Nodes is refused by RBAC.
    for (const rule of clusterRead.rules)
      expect(rule.verbs.every((v: string) => ['get', 'list', 'watch'].includes(v))).toBe(true);
    expect(clusterRead.rules.flatMap((r: any) => r.resources.map((res: string) => `${r.apiGroups[0]}/${res}`)).sort()).toEqual(
      [
        '/nodes',
        'metrics.k8s.io/nodes',
        '/persistentvolumes',
        'scheduling.k8s.io/priorityclasses',
        'storage.k8s.io/storageclasses',
      ].sort(),
    );
  });

  it('gives no student any right in the course namespace, where the workstations and their login data live', () => {
    const grants = byCluster
      .get('lab')!
      .filter((o) => (o.kind === 'RoleBinding' || o.kind === 'Role') && o.metadata.namespace === 'k8s');
    expect(grants).toEqual([]);
  });

  it('archived: no binding left for the student', () => {
    const objects = byCluster.get('lab')!;
    const mallory = objects.filter((o) => o.metadata.labels?.['dojo.training/student'] === 'mallory');
    expect(mallory.filter((o) => /Binding$/.test(o.kind) || o.kind === 'ServiceAccount')).toEqual([]);
    const namespace = mallory.find((o) => o.kind === 'Namespace')!;
    expect(namespace.metadata.labels!['dojo.training/archived']).toBe('true');
    const quota = mallory.find((o) => o.kind === 'ResourceQuota')!;
    expect(quota.spec.hard).toMatchObject({ pods: 0, 'services.loadbalancers': 0, 'services.nodeports': 0 });
  });
});

describe('quotas: a student cannot run up the bill or fill a node', () => {
  const quota = () => byCluster.get('lab')!.find((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === 'k8s-alice')!;
  const gib = (q: string) => Number(/^(\d+)Gi$/.exec(q)![1]);

  it('caps storage: four 16 TiB claims do not fit', () => {
    expect(gib(quota().spec.hard['requests.storage'])).toBeLessThan(4 * 16 * 1024);
    expect(gib(quota().spec.hard['requests.storage'])).toBeLessThan(16 * 1024);
  });

  it('caps NodePorts, load balancers, ephemeral storage and object counts', () => {
    const hard = quota().spec.hard;
    expect(hard['services.nodeports']).toBe(3);
    // The classroom grants one, for the katas' LoadBalancer exercise; the default is none.
    expect(hard['services.loadbalancers']).toBe(1);
    expect(hard['limits.ephemeral-storage']).toBe('10Gi');
    for (const key of ['configmaps', 'secrets', 'count/jobs.batch', 'count/ingresses.networking.k8s.io'])
      expect(typeof hard[key], key).toBe('number');
  });

  it('counts every kind a student can create, so no loop of creates fills etcd (issue 30, finding 1)', () => {
    // What the built-in `admin` role lets a student create in their namespace, with a storage of
    // its own: Kubernetes 1.34 bootstrappolicy editRules, as `kubectl auth can-i --list` printed
    // it for a student on the real control plane (test/cluster) with every add-on installed.
    const creatable = [
      'pods',
      'replicationcontrollers',
      'serviceaccounts',
      'services',
      'persistentvolumeclaims',
      'configmaps',
      'secrets',
      'statefulsets.apps',
      'daemonsets.apps',
      'deployments.apps',
      'replicasets.apps',
      'horizontalpodautoscalers.autoscaling',
      'jobs.batch',
      'cronjobs.batch',
      'ingresses.networking.k8s.io',
      'networkpolicies.networking.k8s.io',
      'leases.coordination.k8s.io',
      'roles.rbac.authorization.k8s.io',
      'rolebindings.rbac.authorization.k8s.io',
      'resourceclaims.resource.k8s.io',
      'resourceclaimtemplates.resource.k8s.io',
      // made by controllers from the student's objects
      'controllerrevisions.apps',
    ];
    const hard = quota().spec.hard;
    const counted = (resource: string) => hard[resource] !== undefined || hard[`count/${resource}`] !== undefined;
    expect(creatable.filter((r) => !counted(r))).toEqual([]);
    // Events are creatable too, but the quota system ignores them (Kubernetes 1.34
    // pkg/quota/v1/install/registry.go): a count would be inert. The size policy bounds them.
    expect(hard['count/events']).toBeUndefined();
    const sizes = byCluster
      .get('lab')!
      .find((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === 'dojo-student-object-sizes')!;
    expect(JSON.stringify(sizes.spec.validations)).toContain('object.kind != \\"Event\\"');
    // PodDisruptionBudgets are refused by admission (finding 7), not counted.
    const policies = byCluster.get('lab')!.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    expect(policies.map((p) => p.metadata.name)).toContain('dojo-student-disruption-budgets');
  });

  it('gives every container a default ephemeral-storage limit, so a pod without one still counts (and dd stops at it)', () => {
    const limits = byCluster.get('lab')!.find((o) => o.kind === 'LimitRange' && o.metadata.namespace === 'k8s-alice')!.spec
      .limits[0];
    expect(limits.default['ephemeral-storage']).toBe('1Gi');
    // A memory limit at most 8 times the request: no pod overcommits a shared node by asking little.
    expect(limits.maxLimitRequestRatio).toEqual({ memory: '8' });
    expect(limits.defaultRequest['ephemeral-storage']).toBeDefined();
    // A default CPU limit below a container's own request would make its pods invalid; the quota counts no CPU limit.
    expect(limits.default.cpu).toBeUndefined();
  });

  it("keeps docker's data on a size-limited volume of the workstation, counted against its own limit", () => {
    const sts = byCluster.get('lab')!.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'ws-alice')!;
    const pod = sts.spec.template.spec;
    const docker = pod.volumes.find((v: any) => v.name === 'docker');
    expect(docker.emptyDir.sizeLimit).toBe('20Gi');
    const ide = pod.containers.find((c: any) => c.name === 'ide');
    expect(ide.volumeMounts).toContainEqual({ name: 'docker', mountPath: '/var/lib/docker' });
    expect(ide.resources.limits['ephemeral-storage']).toBe('24Gi');
  });
});

describe('scheduling: no student pushes another out (issue 30, findings 3 and 7)', () => {
  it('lets no priority class a student may name preempt anything', () => {
    const classes = byCluster.get('lab')!.filter((o) => o.kind === 'PriorityClass');
    for (const name of ['default', 'medium-priority', 'high-priority']) {
      const pc = classes.find((c) => c.metadata.name === name)!;
      expect(pc.preemptionPolicy, name).toBe('Never');
      // preemptionPolicy is immutable: ArgoCD recreates the class when it changes.
      expect(pc.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Force=true,Replace=true');
    }
  });

  it("lets Karpenter evict an archived course's pods, so that their node drains", () => {
    const eviction = (username: string) =>
      asStudent(
        'mallory',
        'CREATE',
        { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-0' } },
        {
          course: 'old',
          subResource: 'eviction',
          resource: { group: '', version: 'v1', resource: 'pods' },
          username,
        },
      );
    expect(chainOf('lab').review(eviction('system:serviceaccount:karpenter:karpenter')).denials).toEqual([]);
    expect(chainOf('lab').review(eviction('system:serviceaccount:old-mallory:default')).allowed).toBe(false);
  });
});

describe('network: what reaches a workstation', () => {
  it("only the shared proxy, on the login port and the app ports; nothing out but what each student's policy names", () => {
    const objects = byCluster.get('lab')!;
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'k8s');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(
      ['allow-load-balancer', 'default-deny', 'egress-alice', 'egress-bob', 'egress-eve'].sort(),
    );
    const deny = policies.find((p) => p.metadata.name === 'default-deny')!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const allow = policies.find((p) => p.metadata.name === 'allow-load-balancer')!;
    expect(allow.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dojo-gateway' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
          },
        ],
        ports: [4180, 8080].map((port) => ({ protocol: 'TCP', port })),
      },
    ]);
  });

  it("lets nothing of Alice's namespace into Bob's, and nothing of Alice's out to private addresses", () => {
    const allow = byCluster
      .get('lab')!
      .find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'k8s-bob' && o.metadata.name === 'allow-own-traffic')!;
    const peers = allow.spec.ingress.flatMap((rule: any) => rule.from);
    const namespacesLetIn = peers
      .map((p: any) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? 'k8s-bob (own)')
      .sort();
    expect(namespacesLetIn).toEqual(['dojo-gateway', 'k8s', 'k8s-bob (own)'].sort());
    const fromCourse = peers.find((p: any) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'k8s');
    expect(fromCourse.podSelector.matchLabels).toEqual({ 'dojo.training/course': 'k8s', 'dojo.training/student': 'bob' });
    const internet = allow.spec.egress.find((r: any) => r.to?.[0]?.ipBlock?.cidr === '0.0.0.0/0');
    expect(internet.to[0].ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']));
    // Private addresses only on 443, for the API server (no pod of another student listens there
    // that its own namespace's policy would let in; the instance metadata is not in these ranges).
    const toPrivate = allow.spec.egress.filter((r: any) => r.to?.some((p: any) => p.ipBlock && p.ipBlock.cidr !== '0.0.0.0/0'));
    expect(toPrivate).toHaveLength(1);
    expect(toPrivate[0].ports).toEqual([{ protocol: 'TCP', port: 443 }]);
    expect(toPrivate[0].to.map((p: any) => p.ipBlock.cidr)).not.toContain('169.254.0.0/16');
  });
});

describe('the IDE login', () => {
  const workstation = (cluster: string, name: string) =>
    byCluster.get(cluster)!.find((o) => o.kind === 'StatefulSet' && o.metadata.name === name)!.spec.template.spec;
  const container = (spec: any, name: string) => spec.containers.find((c: any) => c.name === name);

  it('gives no workstation a credential that is in git or dist/: the session key is drawn in the pod', () => {
    for (const object of all()) {
      const text = JSON.stringify(object);
      expect(text).not.toMatch(/HASHED_PASSWORD|--cookie-secret=|"PASSWORD"/);
    }
    const spec = workstation('lab', 'ws-alice');
    const key = spec.volumes.find((v: any) => v.name === 'login-key');
    expect(key.emptyDir.medium).toBe('Memory');
    const mounting = [...spec.initContainers, ...spec.containers]
      .filter((c: any) => (c.volumeMounts ?? []).some((m: any) => m.name === 'login-key'))
      .map((c: any) => c.name);
    // The student's terminal runs in the ide container: it never sees the key.
    expect(mounting.sort()).toEqual(['login', 'login-key']);
    expect(spec.initContainers.find((c: any) => c.name === 'login-key').command.join(' ')).toMatch(/\/dev\/urandom/);
  });

  it('puts the IDE behind the proxy only: code-server on loopback, without a password of its own', () => {
    const spec = workstation('lab', 'ws-alice');
    expect(container(spec, 'ide').args).toEqual(expect.arrayContaining(['--bind-addr=127.0.0.1:4711', '--auth=none']));
    const service = byCluster.get('lab')!.find((o) => o.kind === 'Service' && o.metadata.name === 'ws-alice')!;
    expect(service.spec.ports.map((p: any) => p.port)).not.toContain(4711);
    expect(container(spec, 'login').args).toContain('--upstream=http://127.0.0.1:4711/');
  });

  it('issues a host-only, Secure, HttpOnly, SameSite cookie that expires', () => {
    const args: string[] = container(workstation('lab', 'ws-alice'), 'login').args;
    expect(args).toEqual(
      expect.arrayContaining([
        '--cookie-name=__Host-dojo-ide',
        '--cookie-secure=true',
        '--cookie-httponly=true',
        '--cookie-samesite=lax',
        '--cookie-expire=12h',
      ]),
    );
    // __Host- forbids a Domain attribute: none is set.
    expect(args.some((a) => a.startsWith('--cookie-domain'))).toBe(false);
  });

  it("checks Alice's password against Alice's hash only: Alice's password never opens Bob's IDE", () => {
    const config = (name: string) =>
      byCluster.get('lab')!.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${name}-login`)!.data.htpasswd;
    expect(config('ws-alice')).toMatch(/^alice:\$2b\$10\$[^\n]+\n$/);
    expect(config('ws-bob')).toMatch(/^bob:\$2b\$10\$[^\n]+\n$/);
    const projected = workstation('lab', 'ws-bob').volumes.find((v: any) => v.name === 'login-config').projected.sources;
    expect(projected.map((s: any) => s.configMap?.name ?? s.secret?.name)).toEqual(['ws-bob-login', 'workstation-login']);
  });

  it('answers only over HTTPS: one listener, no app-port or plain-HTTP route of the IDE host, HSTS', () => {
    const objects = byCluster.get('lab')!;
    const gateway = objects.find((o) => o.kind === 'Gateway')!;
    expect(gateway.spec.listeners.every((l: any) => l.port === 8443)).toBe(true);
    const ideRoutes = objects.filter((o) => o.kind === 'HTTPRoute' && o.spec.hostnames.includes('alice.k8s.lab.example.org'));
    expect(ideRoutes).toHaveLength(1);
    expect(JSON.stringify(ideRoutes[0].spec.rules[0].filters)).toMatch(/Strict-Transport-Security/);
    const proxy = byCluster.get('lab')!.find((o) => o.kind === 'Application' && o.metadata.name === 'gateway-proxy')!;
    expect(Object.keys(proxy.spec.source.helm.valuesObject.ports).sort()).toEqual(['web', 'websecure']);
  });

  it('signs students in with the school identity provider on an OIDC cluster, one e-mail per workstation', () => {
    const spec = workstation('shards', 'ws-alice');
    const args: string[] = container(spec, 'login').args;
    expect(args).toEqual(
      expect.arrayContaining([
        '--provider=oidc',
        '--oidc-issuer-url=https://login.example.edu/realms/school',
        '--client-id=dojo-ide',
        '--redirect-url=https://alice.sso.shards.example.org/oauth2/callback',
      ]),
    );
    expect(args.some((a) => a.startsWith('--client-secret='))).toBe(false);
    const emails = byCluster.get('shards')!.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ws-alice-login')!;
    expect(emails.data).toEqual({ emails: 'alice@example.edu\n' });
    const projected = spec.volumes.find((v: any) => v.name === 'login-config').projected.sources;
    expect(projected.find((s: any) => s.secret)?.secret.name).toBe('dojo-oidc');
  });

  it('lets external-dns make records only from platform objects', () => {
    for (const cluster of ['lab', 'shards']) {
      const dns = byCluster.get(cluster)!.find((o) => o.kind === 'Application' && o.metadata.name === 'external-dns')!;
      expect(dns.spec.source.helm.valuesObject.labelFilter).toBe('dojo.training/dns=platform');
    }
  });
});

describe('login settings a trainer can get wrong', () => {
  it('an OIDC cluster needs an e-mail for every student, and says so once for the course', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-oidc-'));
    try {
      fs.cpSync(FIXTURE, root, { recursive: true });
      fs.writeFileSync(
        path.join(root, 'courses/sso.yaml'),
        'name: sso\ncluster: shards\nstudents:\n  - { name: Alice, email: alice@example.edu }\n  - Carol\n  - Dan\n',
      );
      expect(synth(root, { write: false }).errors).toEqual([
        'courses/sso.yaml:3:1  students  have 2 students without an email: "Carol", "Dan"\n' +
          '    hint: cluster "shards" signs students in with OIDC: list them as - { name: ..., email: ... }',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a mesh course: Istio objects stay in the student namespace (issue 32, item 7)', () => {
  const objects = () => byCluster.get('lab')!;

  it.each(MESH_ATTACKS.map((a) => [a.name, a] as const))('deny: %s', (_, attack) => expectRefused(attack));

  it.each(MESH_KATA_REQUESTS.map((k) => [k.name, k] as const))('admit what the istio-katas write: %s', (_, kata) => {
    expect(chainOf('lab').review(kata.request).denials).toEqual([]);
  });

  it("grants the Istio kinds in the mesh course's namespaces only, and writes none that the policy refuses", () => {
    const meshBindings = objects().filter((o) => o.kind === 'RoleBinding' && o.roleRef.name === MESH_STUDENT_ROLE);
    expect(meshBindings.map((b) => [b.metadata.namespace, b.subjects.map((s: any) => `${s.namespace}/${s.name}`)])).toEqual([
      ['mesh-alice', ['mesh/ws-alice']],
      ['mesh-bob', ['mesh/ws-bob']],
    ]);
    const role = objects().find((o) => o.kind === 'ClusterRole' && o.metadata.name === MESH_STUDENT_ROLE)!;
    const reads = (r: any) => r.verbs.every((v: string) => ['get', 'list', 'watch'].includes(v));
    const written = role.rules
      .filter((r: any) => !reads(r))
      .flatMap((r: any) => r.apiGroups.flatMap((g: string) => r.resources.map((res: string) => `${g}/${res}`)));
    const refused = Object.entries(MESH_REFUSED_KINDS).flatMap(([group, kinds]) => kinds.map((k) => `${group}/${k}`));
    expect(written.length).toBeGreaterThan(0);
    expect(written.filter((g: string) => refused.includes(g) || g.endsWith('/*'))).toEqual([]);
    // Every kind of a group, only to read (what the student's Kiali reads), and never a group's worth of groups.
    expect(role.rules.every((r: any) => !r.apiGroups.includes('*') && (!r.resources.includes('*') || reads(r)))).toBe(true);
  });

  it("labels no Service of a student namespace as dojo's: the EndpointSlice controller copies its labels, which admission would refuse", () => {
    const studentNamespaces = new Set(
      objects()
        .filter((o) => o.kind === 'Namespace' && o.metadata.labels?.['app.kubernetes.io/component'] === 'student-namespace')
        .map((o) => o.metadata.name),
    );
    const services = objects().filter((o) => o.kind === 'Service' && studentNamespaces.has(o.metadata.namespace ?? ''));
    expect(services.length).toBeGreaterThan(0);
    for (const service of services) {
      const slice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${service.metadata.name}-x`, namespace: service.metadata.namespace, labels: service.metadata.labels },
        addressType: 'IPv4',
        endpoints: [],
      };
      const namespace = objects().find((o) => o.kind === 'Namespace' && o.metadata.name === service.metadata.namespace)!;
      const course = namespace.metadata.labels!['dojo.training/course'];
      const student = namespace.metadata.labels!['dojo.training/student'];
      const decision = chainOf('lab').review(
        asStudent(student, 'CREATE', slice, {
          course,
          username: 'system:serviceaccount:kube-system:endpointslice-controller',
          resource: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
        }),
      );
      expect(decision.denials, `${service.metadata.namespace}/${service.metadata.name}`).toEqual([]);
    }
  });

  it("puts only the mesh course's namespaces in the mesh, and gives their gateways and tools pods the ReplicaSet controller may make", () => {
    const namespaces = objects().filter((o) => o.kind === 'Namespace' && o.metadata.labels?.['istio-injection'] === 'enabled');
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(['mesh-alice', 'mesh-bob']);
    const gateways = objects().filter((o) => o.kind === 'Deployment' && o.metadata.namespace === 'mesh-alice');
    expect(gateways.map((g) => g.metadata.name).sort()).toEqual([
      'istio-egressgateway',
      'istio-ingressgateway',
      'jaeger',
      'kiali',
      'prometheus',
    ]);
    for (const gateway of gateways) {
      // The controller, not ArgoCD, makes the pods: dojo's labels would be refused (dojo-student-labels).
      expect(Object.keys(gateway.spec.template.metadata.labels).filter((k) => k.startsWith('dojo.training/'))).toEqual([]);
      expect(gateway.spec.replicas).toBeUndefined();
      // The class schedule scales it (the kata sleep may not: it would mark an object with dojo's labels).
      const scaler = objects().find(
        (o) =>
          o.kind === 'ScaledObject' &&
          o.metadata.namespace === 'mesh-alice' &&
          o.spec.scaleTargetRef.name === gateway.metadata.name,
      )!;
      expect(scaler.spec.scaleTargetRef.kind).toBe('Deployment');
      expect(scaler.metadata.annotations?.['scaledobject.keda.sh/hpa-excluded-labels']).toContain('dojo.training/student');
      const markAsleep = asStudent(
        'alice',
        'UPDATE',
        { ...gateway, metadata: { ...gateway.metadata, annotations: { 'dojo.training/asleep': '1' } } },
        { course: 'mesh' },
      );
      expect(chainOf('lab').review(markAsleep).denials.join('; ')).toContain('dojo-student-labels');
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'gw', ...gateway.spec.template.metadata },
        spec: gateway.spec.template.spec,
      };
      const decision = chainOf('lab').review(
        asStudent('alice', 'CREATE', pod, {
          course: 'mesh',
          username: 'system:serviceaccount:kube-system:replicaset-controller',
        }),
      );
      expect(decision.denials, gateway.metadata.name).toEqual([]);
    }
  });
});
