import type { AdmissionRequest } from '../support/admission';
import { asStudent, CONTENT_DOMAIN, deployment, DOMAIN, ingress, pod, roleBinding, service, tokenRequest } from './requests';

/** An attack made by Alice (or Mallory, of the archived course), refused by an admission policy. */
export interface AdmissionAttack {
  readonly name: string;
  /** The finding of the security review it belongs to: `<issue>.<finding>` (issue 11, issue 30). */
  readonly finding: string;
  /** The policy whose rule refuses it. */
  readonly by: string;
  /**
   * RBAC refuses it first, before admission runs (the built-in `admin` role does not grant it,
   * or RBAC's escalation check refuses the binding): proved on the real control plane, where the
   * policy `by` refuses it too once RBAC is out of the way (test/cluster/admission).
   */
  readonly refusedFirstBy?: 'RBAC';
  readonly request: AdmissionRequest;
}

/** A host under the logins' domain (the IDEs, the board). */
const host = (prefix: string, student = 'bob', course = 'k8s') => `${prefix}${student}.${course}.${DOMAIN}`;
/** A host under the content domain (app ports, the students' own Ingresses). */
const contentHost = (prefix: string, student = 'bob', course = 'k8s') => `${prefix}${student}.${course}.${CONTENT_DOMAIN}`;
const ownHost = contentHost('quotes-', 'alice');

export const ADMISSION_ATTACKS: readonly AdmissionAttack[] = [
  // 2. Host hijack through students' own Ingresses.
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: "Ingress for Bob's IDE host",
    request: asStudent('alice', 'CREATE', ingress(host(''))),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: "Ingress for a host in Bob's space",
    request: asStudent('alice', 'CREATE', ingress(contentHost('quotes-'))),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: "Ingress for Bob's app port host",
    request: asStudent('alice', 'CREATE', ingress(contentHost('8080-'))),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: "Ingress for Alice's own app port host",
    request: asStudent('alice', 'CREATE', ingress(contentHost('8080-', 'alice'))),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    // A fake sign-in page there would collect the trainers' board passwords.
    name: "Ingress for the class board's host",
    request: asStudent('alice', 'CREATE', ingress(`board.${DOMAIN}`)),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: 'wildcard Ingress host',
    request: asStudent('alice', 'CREATE', ingress(`*.k8s.${CONTENT_DOMAIN}`)),
  },
  {
    // Issue 30, finding 5: a page under the logins' domain is same-site with every IDE and the
    // board: a copy of the sign-in page there collects classmates' and trainers' passwords, and
    // gets their SameSite=Lax cookies on its requests. Bob's own name does not make it his.
    finding: '30.5',
    by: 'dojo-student-ingresses',
    name: "Ingress for a sign-in look-alike in Bob's own name under the logins' domain",
    request: asStudent('bob', 'CREATE', ingress(host('board-signin-'))),
  },
  {
    finding: '30.5',
    by: 'dojo-student-ingresses',
    name: "Ingress in Alice's own space, but under the logins' domain",
    request: asStudent('alice', 'CREATE', ingress(host('quotes-', 'alice'))),
  },
  {
    finding: '30.5',
    by: 'dojo-student-ingresses',
    name: "Ingress TLS section naming a host of Alice's under the logins' domain",
    request: asStudent('alice', 'CREATE', ingress(ownHost, { spec: { tls: [{ hosts: [host('quotes-', 'alice')] }] } })),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: 'Ingress rule without a host',
    request: asStudent('alice', 'CREATE', ingress(undefined)),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: 'Ingress with a defaultBackend',
    request: asStudent(
      'alice',
      'CREATE',
      ingress(ownHost, { spec: { defaultBackend: { service: { name: 'quotes', port: { number: 80 } } } } }),
    ),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: 'Ingress with a router priority annotation',
    request: asStudent(
      'alice',
      'CREATE',
      ingress(ownHost, { annotations: { 'traefik.ingress.kubernetes.io/router.priority': '100000' } }),
    ),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: 'Ingress with a Traefik middleware annotation',
    request: asStudent(
      'alice',
      'CREATE',
      ingress(ownHost, { annotations: { 'traefik.ingress.kubernetes.io/router.middlewares': 'dojo-gateway-x@kubernetescrd' } }),
    ),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: "Ingress for another course's host",
    request: asStudent('alice', 'CREATE', ingress(`quotes-alice.old.${CONTENT_DOMAIN}`)),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: 'Ingress for a host outside the domain',
    request: asStudent('alice', 'CREATE', ingress('login.example.com')),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: 'Ingress for a two-level host in its own space',
    request: asStudent('alice', 'CREATE', ingress(`evil.quotes-alice.k8s.${CONTENT_DOMAIN}`)),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: "Ingress TLS section naming Bob's host",
    request: asStudent('alice', 'CREATE', ingress(ownHost, { spec: { tls: [{ hosts: [host('')], secretName: 'x' }] } })),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    // Traefik puts a referenced Secret's certificate in the store it picks from by SNI for every
    // host: one made for Bob's IDE host would be served there instead of the course's.
    name: 'Ingress TLS section with a certificate Secret, even for its own hosts',
    request: asStudent('alice', 'CREATE', ingress(ownHost, { spec: { tls: [{ hosts: [ownHost], secretName: 'bobs-ide' }] } })),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: 'Ingress of another IngressClass',
    request: asStudent('alice', 'CREATE', ingress(ownHost, { spec: { ingressClassName: 'dojo-alb' } })),
  },
  {
    finding: '11.2',
    by: 'dojo-student-ingresses',
    name: "update of a good Ingress to Bob's host",
    request: { ...asStudent('alice', 'UPDATE', ingress(host(''))), oldObject: ingress(ownHost) },
  },
  // 3. DNS takeover.
  {
    finding: '11.3',
    by: 'dojo-student-services',
    name: 'Service with an external-dns hostname',
    request: asStudent(
      'alice',
      'CREATE',
      service({ type: 'LoadBalancer' }, { 'external-dns.alpha.kubernetes.io/hostname': `bob.k8s.${DOMAIN}` }),
    ),
  },
  {
    finding: '11.3',
    by: 'dojo-student-services',
    name: 'Service with an external-dns target',
    request: asStudent('alice', 'CREATE', service({}, { 'external-dns.alpha.kubernetes.io/target': '203.0.113.9' })),
  },
  {
    finding: '11.3',
    by: 'dojo-student-labels',
    name: "Service carrying the platform's DNS label",
    request: asStudent('alice', 'CREATE', {
      ...service({}),
      metadata: { name: 'svc', labels: { 'dojo.training/dns': 'platform' } },
    }),
  },
  {
    finding: '11.3',
    by: 'dojo-student-ingresses',
    name: 'Ingress with an external-dns annotation',
    request: asStudent(
      'alice',
      'CREATE',
      ingress(ownHost, { annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'x.example.org' } }),
    ),
  },
  // 4. alb mode: joining a platform IngressGroup.
  {
    finding: '11.4',
    by: 'dojo-student-ingresses',
    name: 'Ingress joining a workstation IngressGroup',
    request: asStudent(
      'alice',
      'CREATE',
      ingress(ownHost, {
        annotations: { 'alb.ingress.kubernetes.io/group.name': 'k8s-1', 'alb.ingress.kubernetes.io/group.order': '-1000' },
      }),
    ),
  },
  // 6. Starving others.
  {
    finding: '11.6',
    by: 'dojo-student-pods',
    name: 'pod tolerating the workstation taint',
    request: asStudent('alice', 'CREATE', pod({ tolerations: [{ key: 'dojo.training/workstations', operator: 'Exists' }] })),
  },
  {
    finding: '11.6',
    by: 'dojo-student-pods',
    name: 'pod tolerating every taint',
    request: asStudent('alice', 'CREATE', pod({ tolerations: [{ operator: 'Exists' }] })),
  },
  {
    finding: '11.6',
    by: 'dojo-student-pods',
    name: 'pod tolerating the system nodes',
    request: asStudent('alice', 'CREATE', pod({ tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] })),
  },
  {
    finding: '11.6',
    by: 'dojo-student-pods',
    name: 'pod with a nodeName',
    request: asStudent('alice', 'CREATE', pod({ nodeName: 'ip-10-0-1-23.ec2.internal' })),
  },
  {
    finding: '11.6',
    by: 'dojo-student-pods',
    name: 'Deployment whose pods name a node',
    request: asStudent('alice', 'CREATE', deployment({ nodeName: 'ip-10-0-1-23.ec2.internal' })),
  },
  {
    finding: '11.6',
    by: 'dojo-student-pods',
    name: "pod at the workstations' priority",
    request: asStudent('alice', 'CREATE', pod({ priorityClassName: 'dojo-workstation' })),
  },
  {
    finding: '11.6',
    by: 'dojo-student-pods',
    name: 'pod at system-cluster-critical',
    request: asStudent('alice', 'CREATE', pod({ priorityClassName: 'system-cluster-critical' })),
  },
  {
    finding: '11.6',
    by: 'dojo-student-pods',
    name: 'CronJob tolerating the sysbox startup taint',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [{ name: 'c', image: 'busybox:1.36' }],
                tolerations: [{ key: 'sysbox-runtime', operator: 'Exists' }],
              },
            },
          },
        },
      },
    }),
  },
  {
    finding: '11.6',
    by: 'dojo-student-pods',
    name: 'pod with the sysbox runtime',
    request: asStudent('alice', 'CREATE', pod({ runtimeClassName: 'sysbox-runc' })),
  },
  // 8. Access that outlives the course.
  {
    finding: '11.8',
    by: 'dojo-student-tokens',
    name: 'ServiceAccount token Secret',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 't', annotations: { 'kubernetes.io/service-account.name': 'default' } },
      type: 'kubernetes.io/service-account-token',
    }),
  },
  {
    finding: '11.8',
    by: 'dojo-student-tokens',
    name: 'token for a year',
    request: tokenRequest('alice', 365 * 24 * 3600),
  },
  {
    finding: '11.8',
    by: 'dojo-student-bindings',
    name: 'RoleBinding to system:authenticated',
    request: asStudent(
      'alice',
      'CREATE',
      roleBinding({ kind: 'ClusterRole', name: 'admin' }, [
        { kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' },
      ]),
    ),
  },
  {
    finding: '11.8',
    by: 'dojo-student-bindings',
    name: "RoleBinding to Bob's workstation",
    request: asStudent(
      'alice',
      'CREATE',
      roleBinding({ kind: 'ClusterRole', name: 'admin' }, [{ kind: 'ServiceAccount', name: 'ws-bob', namespace: 'k8s' }]),
    ),
  },
  {
    finding: '11.8',
    by: 'dojo-student-bindings',
    refusedFirstBy: 'RBAC',
    name: 'RoleBinding to cluster-admin',
    request: asStudent(
      'alice',
      'CREATE',
      roleBinding({ kind: 'ClusterRole', name: 'cluster-admin' }, [
        { kind: 'ServiceAccount', name: 'default', namespace: 'k8s-alice' },
      ]),
    ),
  },
  {
    finding: '11.8',
    by: 'dojo-archived-courses',
    refusedFirstBy: 'RBAC',
    name: 'a pod in an archived course',
    request: asStudent('mallory', 'CREATE', pod(), { course: 'old', username: 'system:serviceaccount:old-mallory:default' }),
  },
  {
    finding: '11.8',
    by: 'dojo-archived-courses',
    refusedFirstBy: 'RBAC',
    name: 'exec in an archived course',
    request: asStudent('mallory', 'CONNECT', null, {
      course: 'old',
      subResource: 'exec',
      resource: { group: '', version: 'v1', resource: 'pods' },
      username: 'system:serviceaccount:old-mallory:kata',
    }),
  },
  // Of the same kind: ways around the proxy and the selectors.
  {
    finding: '11.2',
    by: 'dojo-student-endpoints',
    refusedFirstBy: 'RBAC',
    name: 'hand-made Endpoints pointing the proxy at a workstation',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'svc' },
      subsets: [{ addresses: [{ ip: '10.0.7.12' }], ports: [{ port: 4180 }] }],
    }),
  },
  {
    finding: '11.2',
    by: 'dojo-student-services',
    name: 'ExternalName Service',
    request: asStudent('alice', 'CREATE', service({ type: 'ExternalName', externalName: 'ws-bob.k8s.svc.cluster.local' })),
  },
  {
    finding: '11.2',
    by: 'dojo-student-services',
    name: 'Service with externalIPs',
    request: asStudent('alice', 'CREATE', service({ externalIPs: ['10.0.0.10'] })),
  },
  {
    finding: '11.6',
    by: 'dojo-student-labels',
    name: "pod labelled as Bob's workstation",
    request: asStudent('alice', 'CREATE', pod({}, { labels: { 'dojo.training/student': 'bob', 'dojo.training/course': 'k8s' } })),
  },
  // Issue 30, finding 1: filling etcd for everyone.
  {
    finding: '30.1',
    by: 'dojo-student-object-sizes',
    name: 'a ConfigMap of 300 KiB',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ballast' },
      data: { blob: 'x'.repeat(300 * 1024) },
    }),
  },
  {
    finding: '30.1',
    by: 'dojo-student-object-sizes',
    name: 'a Deployment carrying 70 KiB of annotations',
    request: asStudent('alice', 'CREATE', {
      ...deployment(),
      metadata: { name: 'web', annotations: { ballast: 'x'.repeat(70 * 1024) } },
    }),
  },
  {
    finding: '30.1',
    by: 'dojo-student-object-sizes',
    name: 'a pod with 100 labels',
    request: asStudent(
      'alice',
      'CREATE',
      pod({}, { labels: Object.fromEntries([...Array(100).keys()].map((i) => [`l${i}`, 'x'])) }),
    ),
  },
  {
    finding: '30.1',
    by: 'dojo-student-object-sizes',
    name: 'an Event with a 2 KiB message',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'ballast.1' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'k8s-alice' },
      reason: 'Ballast',
      message: 'x'.repeat(2048),
    }),
  },
  // Issue 30, finding 4: a load balancer steered by annotations.
  {
    finding: '30.4',
    by: 'dojo-student-services',
    name: "LoadBalancer Service with another listener's certificate",
    request: asStudent(
      'alice',
      'CREATE',
      service(
        { type: 'LoadBalancer' },
        { 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': 'arn:aws:acm:eu-west-1:123456789012:certificate/x' },
      ),
    ),
  },
  {
    finding: '30.4',
    by: 'dojo-student-services',
    name: 'LoadBalancer Service with its own security groups and an internet-facing scheme',
    request: asStudent(
      'alice',
      'CREATE',
      service(
        { type: 'LoadBalancer' },
        {
          'service.beta.kubernetes.io/aws-load-balancer-security-groups': 'sg-0123',
          'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
        },
      ),
    ),
  },
  {
    finding: '30.4',
    by: 'dojo-student-services',
    name: 'LoadBalancer Service handed to another controller',
    request: asStudent('alice', 'CREATE', service({ type: 'LoadBalancer', loadBalancerClass: 'example.com/internal' })),
  },
  // Issue 30, finding 7: pinning shared nodes.
  {
    finding: '30.7',
    by: 'dojo-student-disruption-budgets',
    name: 'PodDisruptionBudget that allows no eviction',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'pin' },
      spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'web' } } },
    }),
  },
  {
    finding: '30.7',
    by: 'dojo-student-pods',
    name: 'pod that Karpenter may never move',
    request: asStudent('alice', 'CREATE', pod({}, { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } })),
  },
  {
    finding: '30.7',
    by: 'dojo-student-pods',
    name: 'Deployment whose pods Karpenter may never move',
    request: asStudent('alice', 'CREATE', {
      ...deployment(),
      spec: {
        ...deployment().spec,
        template: {
          ...deployment().spec.template,
          metadata: { ...deployment().spec.template.metadata, annotations: { 'karpenter.sh/do-not-disrupt': 'true' } },
        },
      },
    }),
  },
];
