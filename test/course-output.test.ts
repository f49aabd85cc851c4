import { beforeAll, describe, expect, it } from 'vitest';
import { objectsOf, type FileObject, type KubeObject } from './support/repo';
import { exampleOutput } from './support/example-output';

let objects: FileObject[];
const find = (predicate: (o: KubeObject) => boolean) => objects.filter(({ object }) => predicate(object)).map((o) => o.object);
const named = (kind: string, name: string, namespace?: string) =>
  find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace)[0];

beforeAll(() => {
  const result = exampleOutput();
  expect(result.errors).toEqual([]);
  // The example cluster: the staging cluster has its own tests (platform.test.ts).
  objects = objectsOf(
    new Map(result.files.filter((f) => /^(dist|argocd)\/example[/.]/.test(f.path)).map((f) => [f.path, f.content])),
  );
});

describe('kubernetes-katas: each student', () => {
  const course = 'kubernetes-katas';
  const studentIds = () =>
    find((o) => o.kind === 'StatefulSet' && o.metadata.namespace === course).map(
      (o) => o.metadata.labels!['dojo.training/student'],
    );

  it('has 25 students, each with a workstation and a namespace', () => {
    expect(studentIds()).toHaveLength(25);
    for (const id of studentIds()) expect(named('Namespace', `${course}-${id}`)).toBeDefined();
  });

  it("enforces baseline in the workstations' namespace and audits restricted, without a warning per workstation", () => {
    const labels = named('Namespace', course).metadata.labels;
    expect(labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    // The IDE runs as root under sysbox: restricted can never admit it, so a warning would come with every sync.
    expect(labels?.['pod-security.kubernetes.io/warn']).toBeUndefined();
  });

  it('gets a namespace with Pod Security labels, a quota, default limits and a default-deny NetworkPolicy', () => {
    for (const id of studentIds()) {
      const ns = `${course}-${id}`;
      expect(named('Namespace', ns).metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'baseline' });
      expect(named('ResourceQuota', 'student-quota', ns).spec.hard).toMatchObject({
        'requests.cpu': '2',
        'requests.memory': '4Gi',
        pods: 20,
        services: 10,
        persistentvolumeclaims: 4,
        'services.loadbalancers': 1,
      });
      expect(named('LimitRange', 'student-defaults', ns).spec.limits[0].type).toBe('Container');
      expect(named('NetworkPolicy', 'default-deny', ns).spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    }
  });

  it("lets into a student's namespace only their own pods, their own workstation and the shared proxy", () => {
    const allow = named('NetworkPolicy', 'allow-own-traffic', `${course}-ada-lovelace`);
    expect(allow.spec.ingress).toEqual([
      { from: [{ podSelector: {} }] },
      // The shared proxy serves the student's own kata Ingresses.
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dojo-gateway' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
          },
        ],
      },
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': course } },
            podSelector: { matchLabels: { 'dojo.training/course': course, 'dojo.training/student': 'ada-lovelace' } },
          },
        ],
      },
    ]);
    const workstationPod = named('StatefulSet', 'ws-ada-lovelace', course).spec.template.metadata.labels;
    expect(workstationPod).toMatchObject(allow.spec.ingress[2].from[0].podSelector.matchLabels);
    const other = named('StatefulSet', 'ws-alan-turing', course).spec.template.metadata.labels;
    expect(other['dojo.training/student']).not.toBe('ada-lovelace');
  });

  it("is admin in their own namespace only, through the workstation's ServiceAccount", () => {
    const bindings = find(
      (o) => o.kind === 'RoleBinding' && (o.metadata.namespace ?? '').startsWith(course) && o.metadata.name === 'student-admin',
    );
    expect(bindings).toHaveLength(25);
    // The one other binding: the ServiceAccount kubernetes-appdev-katas' prometheus chart expects, reading its namespace.
    const others = find(
      (o) => o.kind === 'RoleBinding' && (o.metadata.namespace ?? '').startsWith(course) && o.metadata.name !== 'student-admin',
    );
    expect(others).toHaveLength(25);
    for (const binding of others) {
      expect(binding.roleRef.name).toBe('view');
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'prometheus-server', namespace: binding.metadata.namespace },
      ]);
    }
    for (const binding of bindings) {
      const id = binding.metadata.namespace!.slice(course.length + 1);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: `ws-${id}`, namespace: course }]);
    }
    // Nothing grants anyone rights in the workstations' namespace.
    expect(find((o) => /RoleBinding$/.test(o.kind) && o.metadata.namespace === course)).toEqual([]);
  });

  it('reads nodes (and their metrics), storage classes, persistent volumes and priority classes cluster-wide, and nothing else', () => {
    const role = named('ClusterRole', 'dojo-kubernetes-katas-cluster-read');
    const granted = role.rules.flatMap((r: any) =>
      r.resources.map((res: string) => `${r.apiGroups[0]}/${res}:${r.verbs.join(',')}`),
    );
    expect(granted.sort()).toEqual([
      '/nodes:get,list,watch',
      '/persistentvolumes:get,list,watch',
      'metrics.k8s.io/nodes:get,list,watch',
      'scheduling.k8s.io/priorityclasses:get,list,watch',
      'storage.k8s.io/storageclasses:get,list,watch',
    ]);
    const bindings = find((o) => o.kind === 'ClusterRoleBinding' && o.roleRef.name === role.metadata.name);
    expect(bindings).toHaveLength(25);
  });

  it('gets a workstation with a persistent home, health probes, the course resources and no replicas field', () => {
    const sts = named('StatefulSet', 'ws-ada-lovelace', course);
    expect(sts.spec.replicas).toBeUndefined();
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const pod = sts.spec.template.spec;
    const ide = pod.containers[0];
    // Through the login proxy's port, by number: a named port resolves in the probe's own container only.
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(ide[probe].httpGet).toEqual({ path: '/healthz', port: 4180 });
    }
    expect(ide.resources).toEqual({
      requests: { cpu: '1', memory: '2Gi', 'ephemeral-storage': '1Gi' },
      limits: { memory: '2Gi', 'ephemeral-storage': '24Gi' },
    });
    // code-server's own port is on loopback: the Service reaches it only through the login proxy.
    expect(ide.ports.map((p: any) => p.containerPort)).toEqual([5000, 8080]);
    expect(pod.serviceAccountName).toBe('ws-ada-lovelace');
    const service = named('Service', 'ws-ada-lovelace', course);
    expect(service.spec.ports.map((p: any) => p.port)).toEqual([4180, 5000, 8080]);
    expect(service.spec.selector).toEqual(sts.spec.selector.matchLabels);
  });

  it('runs the setup as the workstation user and the IDE as root of its own user namespace only', () => {
    for (const sts of find((o) => o.kind === 'StatefulSet')) {
      const pod = sts.spec.template.spec;
      expect(pod.runtimeClassName).toBe('sysbox-runc');
      expect(pod.initContainers[0].securityContext).toMatchObject({
        runAsUser: 1000,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
      });
      // No runAsUser: the image's entrypoint starts dockerd as (user-namespaced) root, then drops to coder.
      expect(pod.containers[0].securityContext).toBeUndefined();
      expect(pod.securityContext).toEqual({ fsGroup: 1000 });
    }
  });

  it("has a kubeconfig whose namespace is the student's, written once so the student may edit it", () => {
    const sts = named('StatefulSet', 'ws-matz', course);
    const setup = sts.spec.template.spec.initContainers[0];
    expect(setup.env).toEqual([
      { name: 'STUDENT_NS', value: `${course}-matz` },
      { name: 'TRAINING_NAME', value: course },
    ]);
    const script = named('ConfigMap', 'workstation-setup', course).data['setup.sh'];
    expect(script).toContain('namespace: ${STUDENT_NS}');
    expect(script).toContain('[ ! -e "$home/.kube/config" ]');
    expect(script).toContain("clone 'https://github.com/eficode-academy/kubernetes-katas' 'kubernetes-katas'");
    expect(setup.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/home/coder', '/opt/dojo']);
  });
});

describe('docker-katas: a course without Kubernetes access', () => {
  it('has 12 seats, no student namespaces, no RBAC and no API token in the workstation', () => {
    const statefulSets = find((o) => o.kind === 'StatefulSet' && o.metadata.namespace === 'docker-katas');
    expect(statefulSets.map((s) => s.metadata.name).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `ws-student-${i + 1}`).sort(),
    );
    expect(find((o) => o.kind === 'Namespace' && o.metadata.labels?.['dojo.training/course'] === 'docker-katas')).toHaveLength(1);
    expect(find((o) => /Role/.test(o.kind) && o.metadata.labels?.['dojo.training/course'] === 'docker-katas')).toEqual([]);
    for (const sts of statefulSets) expect(sts.spec.template.spec.automountServiceAccountToken).toBe(false);
  });
});

describe('ArgoCD', () => {
  const applications = () => find((o) => o.kind === 'Application');

  it('has a root Application per cluster pointing at dist/<cluster>/apps, and one child per course', () => {
    const root = objects.filter((o) => o.file === 'argocd/example.yaml').map((o) => o.object);
    expect(root).toHaveLength(1);
    expect(root[0].spec.source.path).toBe('dist/example/apps');
    const children = objects
      .filter((o) => o.file.startsWith('dist/example/apps/') && o.object.kind === 'Application')
      .map((o) => o.object);
    const ownPaths = children.filter((c) => c.spec.source.repoURL === root[0].spec.source.repoURL).map((c) => c.spec.source.path);
    expect(ownPaths.sort()).toEqual([
      'dist/example/courses/docker-katas',
      'dist/example/courses/kubernetes-katas',
      'dist/example/platform',
    ]);
  });

  it('syncs automatically with prune and self-heal, deletes with the finalizer and caches by path', () => {
    for (const app of applications()) {
      expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
      // Only sources in this repo have paths whose changes ArgoCD can watch.
      if (app.spec.source.path?.startsWith('dist/')) {
        expect(app.metadata.annotations!['argocd.argoproj.io/manifest-generate-paths']).toBe(`/${app.spec.source.path}`);
      }
    }
  });

  it('recurses into the folders of child Applications, which have sub-folders', () => {
    for (const app of applications().filter(
      (a) => a.spec.source.path?.startsWith('dist/example/') && a.spec.source.path !== 'dist/example/apps',
    )) {
      expect(app.spec.source.directory).toEqual({ recurse: true });
    }
  });

  it('syncs the platform before the courses', () => {
    const wave = (name: string) =>
      Number(applications().find((a) => a.metadata.name === name)!.metadata.annotations!['argocd.argoproj.io/sync-wave']);
    expect(wave('platform')).toBeLessThan(wave('course-kubernetes-katas'));
  });

  it('creates namespaces in an earlier sync wave than anything that lives in them', () => {
    const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    const courseObjects = objects.filter((o) => o.file.includes('/courses/')).map((o) => o.object);
    const latestNamespace = Math.max(...courseObjects.filter((o) => o.kind === 'Namespace').map(wave));
    const earliestOther = Math.min(...courseObjects.filter((o) => o.kind !== 'Namespace').map(wave));
    expect(latestNamespace).toBeLessThan(earliestOther);
  });
});

describe('output layout', () => {
  it('puts each student in a file of their own and course-wide objects in course.yaml', () => {
    const files = [...new Set(objects.map((o) => o.file))].filter((f) => f.includes('/kubernetes-katas/'));
    expect(files).toContain('dist/example/courses/kubernetes-katas/course.yaml');
    expect(files.filter((f) => f.includes('/students/'))).toHaveLength(25);
    for (const { file, object } of objects.filter((o) => o.file.includes('/students/'))) {
      expect(file).toBe(
        `dist/example/courses/${object.metadata.labels!['dojo.training/course']}/students/${object.metadata.labels!['dojo.training/student']}.yaml`,
      );
    }
  });

  it('gives no cluster-scoped object a namespace', () => {
    const clusterScoped = new Set([
      'Namespace',
      'ClusterRole',
      'ClusterRoleBinding',
      'RuntimeClass',
      'StorageClass',
      'PriorityClass',
      'NodePool',
      'EC2NodeClass',
      'GatewayClass',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
      'IngressClass',
      'ClusterIssuer',
      'FlowSchema',
      'PriorityLevelConfiguration',
    ]);
    for (const { object } of objects) {
      if (clusterScoped.has(object.kind)) expect(object.metadata.namespace).toBeUndefined();
      else expect(object.metadata.namespace).toBeDefined();
    }
  });
});
