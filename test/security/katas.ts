import type { AdmissionRequest } from '../support/admission';
import { asStudent, CONTENT_DOMAIN, deployment, ingress, pod, roleBinding, service, tokenRequest } from './requests';

/** What the katas create, as Alice would create it: every one must be admitted. */
export const KATA_REQUESTS: readonly { readonly name: string; readonly request: AdmissionRequest }[] = [
  { name: 'Deployment', request: asStudent('alice', 'CREATE', deployment()) },
  { name: 'Deployment scaled (update)', request: { ...asStudent('alice', 'UPDATE', deployment()), oldObject: deployment() } },
  { name: 'bare Pod', request: asStudent('alice', 'CREATE', pod()) },
  {
    name: 'Pod with the default priority class and a toleration of its own',
    request: asStudent(
      'alice',
      'CREATE',
      pod({
        priorityClassName: 'high-priority',
        tolerations: [{ key: 'app', operator: 'Equal', value: 'x', effect: 'NoSchedule' }],
      }),
    ),
  },
  {
    name: 'bound Pod relabelled (update keeps nodeName)',
    request: {
      ...asStudent('alice', 'UPDATE', pod({ nodeName: 'ip-10-0-1-23.ec2.internal' })),
      oldObject: pod({ nodeName: 'ip-10-0-1-23.ec2.internal' }),
    },
  },
  {
    name: 'Pod with the tolerations Kubernetes adds',
    request: asStudent(
      'alice',
      'CREATE',
      pod({
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      }),
    ),
  },
  { name: 'NodePort Service', request: asStudent('alice', 'CREATE', service({ type: 'NodePort' })) },
  {
    name: 'NodePort Service on a fixed port',
    request: asStudent('alice', 'CREATE', service({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })),
  },
  { name: 'LoadBalancer Service', request: asStudent('alice', 'CREATE', service({ type: 'LoadBalancer' })) },
  {
    name: 'ClusterIP Service applied with kubectl',
    request: asStudent('alice', 'CREATE', service({}, { 'kubectl.kubernetes.io/last-applied-configuration': '{}' })),
  },
  {
    name: 'Ingress with ingressClassName alb',
    request: asStudent('alice', 'CREATE', ingress(`quotes-alice.k8s.${CONTENT_DOMAIN}`)),
  },
  {
    name: 'Ingress with only the annotation kubernetes.io/ingress.class: alb',
    request: asStudent('alice', 'CREATE', {
      ...ingress(`frontend-alice.k8s.${CONTENT_DOMAIN}`, { annotations: { 'kubernetes.io/ingress.class': 'alb' } }),
      spec: { rules: ingress(`frontend-alice.k8s.${CONTENT_DOMAIN}`).spec.rules },
    }),
  },
  {
    // The name of the attack refused under the logins' domain (attacks.ts, issue 30 finding 5):
    // any name is Bob's under the content domain, another site than the IDEs and the board.
    name: "Ingress named like the sign-in page, in Bob's own space under the content domain",
    request: asStudent('bob', 'CREATE', ingress(`board-signin-bob.k8s.${CONTENT_DOMAIN}`)),
  },
  {
    name: 'PersistentVolumeClaim with storageClassName gp2',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { storageClassName: 'gp2', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    }),
  },
  {
    name: 'Job',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'j', image: 'busybox:1.36' }] } } },
    }),
  },
  {
    name: 'HorizontalPodAutoscaler',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5 },
    }),
  },
  {
    name: 'Role that lets a pod list pods',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'pod-reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    }),
  },
  {
    name: 'RoleBinding of that Role to a ServiceAccount of the namespace',
    request: asStudent(
      'alice',
      'CREATE',
      roleBinding({ kind: 'Role', name: 'pod-reader' }, [{ kind: 'ServiceAccount', name: 'default', namespace: 'k8s-alice' }]),
    ),
  },
  {
    name: 'RoleBinding of view',
    request: asStudent(
      'alice',
      'CREATE',
      roleBinding({ kind: 'ClusterRole', name: 'view' }, [{ kind: 'ServiceAccount', name: 'reader', namespace: 'k8s-alice' }]),
    ),
  },
  {
    name: 'Opaque Secret',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      type: 'Opaque',
      stringData: { password: 'kata' },
    }),
  },
  {
    name: 'ConfigMap',
    request: asStudent('alice', 'CREATE', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b' } }),
  },
  {
    name: 'kubectl create token (1h)',
    request: tokenRequest('alice', 3600),
  },
  {
    name: 'StatefulSet whose claim names no class (helm-katas subchart)',
    request: asStudent('alice', 'CREATE', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
        ],
      },
    }),
  },
  {
    name: 'exec into a pod',
    request: asStudent('alice', 'CONNECT', null, {
      subResource: 'exec',
      resource: { group: '', version: 'v1', resource: 'pods' },
    }),
  },
  {
    name: 'pod created from a Deployment by the ReplicaSet controller',
    request: asStudent('alice', 'CREATE', pod({}, { labels: { app: 'web' } }), {
      username: 'system:serviceaccount:kube-system:replicaset-controller',
    }),
  },
];
