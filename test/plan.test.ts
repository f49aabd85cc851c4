import { describe, expect, it } from 'vitest';
import { courseSchema } from '../lib/input/schema/course';
import { parseBytes, parseCpu } from '../lib/input/schema/quantity';
import { countedStudentIds, studentIdFromName } from '../lib/plan/students/student-id';
import { planStudentIds } from '../lib/plan/students/plan-students';
import { dnsLabelProblem, hostProblem, reservedNamespaceReason } from '../lib/plan/model/object-names';
import { planRepo } from '../lib/plan/plan-repo';
import { repoDirectory } from '../lib/plan/workstation/plan-workstation';
import { workstationSetupScript } from '../lib/plan/workstation/workstation-setup';
import { FIXTURE_HASH } from '../dev/fixture-passwords';
import { clusterSpec } from './support/specs';

const cluster = { file: 'clusters/c.yaml', spec: clusterSpec() };
const planWithPasswords = (clusters: Parameters<typeof planRepo>[0], courses: Parameters<typeof planRepo>[1]) =>
  planRepo(clusters, courses, { passwordHash: () => FIXTURE_HASH });
const course = (file: string, spec: Record<string, unknown>) => ({ file, spec: courseSchema.parse({ cluster: 'c', ...spec }) });

describe('student ids', () => {
  it.each([
    ['Bob Smith', 'bob-smith'],
    ['Søren Ærø-Bøgh', 'soren-aero-bogh'],
    ['José María Núñez', 'jose-maria-nunez'],
    ['Łukasz Straße', 'lukasz-strasse'],
    ["  O'Neil, Mary  ", 'o-neil-mary'],
    ['Zoë_42', 'zoe-42'],
    ['李雷', ''],
  ])('%s -> %s', (name, id) => {
    expect(studentIdFromName(name)).toBe(id);
  });

  it('numbers counted seats without padding, so growing the count renames nobody', () => {
    expect(countedStudentIds('seat', 3)).toEqual(['seat-1', 'seat-2', 'seat-3']);
    expect(countedStudentIds('seat', 10).slice(0, 3)).toEqual(countedStudentIds('seat', 3));
  });

  it('reports a name given twice and names that fold to one id, pointing at both', () => {
    const { students, problems } = planStudentIds('courses/x.yaml', [
      'Bob',
      'Anna',
      'bob',
      'Ánna',
      { name: 'Ann A', id: 'anna' },
    ]);
    expect(students.map((s) => s.id)).toEqual(['bob', 'anna']);
    expect(problems.map((p) => [p.at.path, p.also?.path, p.message])).toEqual([
      [['students', 2], ['students', 0], '"bob" is used twice'],
      [['students', 3], ['students', 1], '"Ánna" gets the id "anna", as does "Anna"'],
      [['students', 4, 'id'], ['students', 1], '"Ann A" gets the id "anna", as does "Anna"'],
    ]);
  });

  it('asks for an explicit id when a name has nothing to fold', () => {
    const { problems } = planStudentIds('courses/x.yaml', ['李雷']);
    expect(problems[0].message).toMatch(/no letters or digits/);
    expect(problems[0].hint).toMatch(/id:/);
  });
});

describe('names and limits', () => {
  it('knows the reserved namespaces', () => {
    expect(reservedNamespaceReason('default')).toBeDefined();
    expect(reservedNamespaceReason('kube-system')).toBeDefined();
    expect(reservedNamespaceReason('kube-anything')).toBeDefined();
    expect(reservedNamespaceReason('argocd')).toBeDefined();
    expect(reservedNamespaceReason('dojo-system')).toBeDefined();
    expect(reservedNamespaceReason('k8s-101')).toBeUndefined();
  });

  it('checks DNS labels and host names', () => {
    expect(dnsLabelProblem('a'.repeat(63))).toBeUndefined();
    expect(dnsLabelProblem('a'.repeat(64))).toBe('is 64 characters long (at most 63)');
    expect(dnsLabelProblem('ws-' + 'a'.repeat(50), 52)).toBe('is 53 characters long (at most 52)');
    expect(dnsLabelProblem('Bob')).toBe('is not a valid DNS label');
    expect(hostProblem(`${'a'.repeat(64)}.example.com`)).toBe('has a part of 64 characters (at most 63)');
    expect(hostProblem('bob.k8s.example.com')).toBeUndefined();
  });

  it('parses quantities', () => {
    expect(parseCpu('500m')).toBe(0.5);
    expect(parseCpu('2')).toBe(2);
    expect(parseBytes('2Gi')).toBe(2 * 2 ** 30);
    expect(parseBytes('512M')).toBe(512e6);
  });

  it('names a repo folder after the repo', () => {
    expect(repoDirectory('https://github.com/eficode-academy/kubernetes-katas')).toBe('kubernetes-katas');
    expect(repoDirectory('https://github.com/eficode-academy/docker-katas.git')).toBe('docker-katas');
  });
});

describe('planRepo', () => {
  it('derives namespaces, workstation names and hosts from course and student', () => {
    const { plan, problems } = planWithPasswords(
      [cluster],
      [course('courses/k.yaml', { name: 'k8s', students: ['Bob', 'Alice'] })],
    );
    expect(problems).toEqual([]);
    const [k8s] = plan.clusters[0].courses;
    expect(k8s.namespace).toBe('k8s');
    expect(k8s.students.map((s) => [s.id, s.kubernetes, s.workstation, s.hosts.ide])).toMatchObject([
      [
        'alice',
        { access: 'namespace', namespace: 'k8s-alice', clusterReadRole: 'dojo-k8s-cluster-read' },
        'ws-alice',
        'alice.k8s.dojo.example.com',
      ],
      [
        'bob',
        { access: 'namespace', namespace: 'k8s-bob', clusterReadRole: 'dojo-k8s-cluster-read' },
        'ws-bob',
        'bob.k8s.dojo.example.com',
      ],
    ]);
    expect(k8s.path).toBe('dist/c/courses/k8s');
  });

  it('gives no namespace when the course has no Kubernetes access', () => {
    const { plan } = planWithPasswords(
      [cluster],
      [course('courses/d.yaml', { name: 'docker', students: { count: 2 }, kubernetes: { namespace: false } })],
    );
    expect(plan.clusters[0].courses[0].students.map((s) => s.kubernetes)).toEqual([{ access: 'none' }, { access: 'none' }]);
  });

  it('reports namespace collisions across courses, naming both', () => {
    const { problems } = planWithPasswords(
      [cluster],
      [course('courses/a.yaml', { name: 'a', students: ['b c'] }), course('courses/ab.yaml', { name: 'a-b', students: ['c'] })],
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      at: { file: 'courses/ab.yaml', path: ['students', 0] },
      also: { file: 'courses/a.yaml', path: ['students', 0] },
    });
    expect(problems[0].message).toBe('needs the namespace "a-b-c", which student "b c" of course "a" already has');
  });

  it('reports a course namespace that is reserved or taken by a student of another course', () => {
    const { problems } = planWithPasswords(
      [cluster],
      [
        course('courses/k.yaml', { name: 'kube-lab', students: ['x'] }),
        course('courses/l.yaml', { name: 'lab', students: ['one'] }),
        course('courses/m.yaml', { name: 'lab-one', students: ['y'] }),
      ],
    );
    expect(problems.map((p) => p.message)).toEqual([
      'needs the namespace "kube-lab", but namespaces starting with "kube-" belong to the cluster or the platform',
      'needs the namespace "kube-lab-x", but namespaces starting with "kube-" belong to the cluster or the platform',
      'needs the namespace "lab-one", which student "one" of course "lab" already has',
    ]);
  });

  it('reports names that outgrow Kubernetes limits', () => {
    const { problems } = planWithPasswords(
      [cluster],
      [course('courses/k.yaml', { name: 'a'.repeat(20), students: [{ name: 'x', id: 'b'.repeat(50) }] })],
    );
    expect(problems.map((p) => p.message)).toEqual([
      `makes the id "${'b'.repeat(50)}", too long for the names made from it: ` +
        `namespace "${'a'.repeat(20)}-${'b'.repeat(50)}" is 71 characters long (at most 63), ` +
        `workstation name "ws-${'b'.repeat(50)}" is 53 characters long (at most 52)`,
    ]);
  });

  it('reports an unknown cluster with the known ones', () => {
    const { problems } = planWithPasswords(
      [cluster],
      [course('courses/k.yaml', { name: 'k', cluster: 'prod', students: ['x'] })],
    );
    expect(problems[0]).toMatchObject({
      message: '"prod" is not a cluster of this repo',
      hint: expect.stringContaining('known clusters: c'),
    });
  });
});

describe('workstation setup script', () => {
  it('writes the kubeconfig once and clones each repo only while its folder is missing', () => {
    const script = workstationSetupScript([{ url: "https://example.com/it's.git", directory: 'its' }], false);
    expect(script).toContain('[ ! -e "$home/.kube/config" ]');
    expect(script).toContain('namespace: ${STUDENT_NS}');
    expect(script).toContain(`clone 'https://example.com/it'\\''s.git' 'its'`);
  });
});

describe('passwords', () => {
  it('are required for every student, with the command to run', () => {
    const { problems } = planRepo(
      [cluster],
      [course('courses/k8s.yaml', { name: 'k8s', students: ['Bob', 'Alice', 'Carl', 'Dana', 'Eve'] })],
      {
        passwordHash: (_, id) => (id === 'bob' ? FIXTURE_HASH : undefined),
      },
    );
    expect(problems).toEqual([
      {
        at: { file: 'courses/k8s.yaml', path: ['students'] },
        message: 'have 4 students without a password: "Alice", "Carl", "Dana" and 1 more',
        hint: 'run: npm run passwords -- k8s',
      },
    ]);
  });
});
