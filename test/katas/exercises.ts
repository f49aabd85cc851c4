/**
 * Exercises modelled on what the Eficode katas create in a student's namespace (read from
 * their repos; written for dojo, not copied). Each lists the objects as a student applies
 * them, with hosts renamed to the student's space as docs/trainer-guide.md, "Katas", says.
 */
export interface KataExercise {
  readonly repo: string;
  readonly name: string;
  readonly objects: readonly Record<string, any>[];
}

const container = (name: string, image: string, port: number, resources?: Record<string, any>) => ({
  name,
  image,
  ports: [{ containerPort: port }],
  ...(resources ? { resources } : {}),
});

const deployment = (name: string, replicas: number, containers: Record<string, any>[], volumes?: Record<string, any>[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers, ...(volumes ? { volumes } : {}) } },
  },
});

const service = (name: string, port: number, type?: string, nodePort?: number) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: {
    ...(type ? { type } : {}),
    selector: { app: name },
    ports: [{ port, targetPort: port, ...(nodePort ? { nodePort } : {}) }],
  },
});

/** The pod template runs as `account`, which must exist in the namespace. */
const withServiceAccount = (account: string, object: ReturnType<typeof deployment>) => ({
  ...object,
  spec: {
    ...object.spec,
    template: { ...object.spec.template, spec: { ...object.spec.template.spec, serviceAccountName: account } },
  },
});

/** `contentDomain`: the cluster's, under which a student's own Ingress hosts are. */
export const EXERCISES = (student: string, course: string, contentDomain: string): KataExercise[] => [
  {
    repo: 'kubernetes-katas',
    name: 'deployments-ingress and configmap-secrets: the quotes app, its database and an Ingress as written',
    objects: [
      deployment('frontend', 3, [container('frontend', 'ghcr.io/eficode-academy/quotes-flask-frontend:release', 5000)]),
      deployment('backend', 1, [container('backend', 'ghcr.io/eficode-academy/quotes-flask-backend:release', 5000)]),
      deployment(
        'postgres',
        1,
        [container('postgres', 'docker.io/library/postgres:14.3', 5432)],
        [{ name: 'data', persistentVolumeClaim: { claimName: 'postgres-pvc' } }],
      ),
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'postgres-pvc' },
        spec: { storageClassName: 'gp2', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'postgres-config' }, data: { DB_HOST: 'postgres' } },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'postgres-secret' },
        type: 'Opaque',
        data: { DB_PASSWORD: 'cXVvdGVz' },
      },
      service('frontend', 5000, 'NodePort'),
      service('backend', 5000),
      service('postgres', 5432),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name: 'frontend-ingress',
          annotations: {
            'alb.ingress.kubernetes.io/scheme': 'internet-facing',
            'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
          },
        },
        spec: {
          ingressClassName: 'alb',
          rules: [
            {
              host: `quotes-${student}.${course}.${contentDomain}`,
              http: {
                paths: [{ pathType: 'Prefix', path: '/', backend: { service: { name: 'frontend', port: { number: 5000 } } } }],
              },
            },
          ],
        },
      },
    ],
  },
  {
    repo: 'kubernetes-katas',
    name: 'trainer/quotes-flask-rbac: a pod that lists pods through a Role',
    objects: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'pod-reader' } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'pod-reader' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'pod-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'pod-reader', namespace: `${course}-${student}` }],
      },
    ],
  },
  {
    repo: 'helm-katas',
    name: 'the heaviest exercise: 4 CPU of requests and 4.3Gi of limits, and a NodePort fixed in 30000-32767',
    objects: [
      deployment('sentences', 4, [
        container('sentences', 'docker.io/releasepraqma/sentence:latest-ok', 8080, {
          requests: { cpu: '1', memory: '256Mi' },
          limits: { memory: '1100Mi' },
        }),
      ]),
      service('sentences', 8080, 'NodePort', 31234),
    ],
  },
  {
    repo: 'helm-katas',
    name: 'chart dependencies: a vendored subchart StatefulSet whose claim names no class',
    objects: [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'redis' },
        spec: {
          serviceName: 'redis',
          replicas: 1,
          selector: { matchLabels: { app: 'redis' } },
          template: {
            metadata: { labels: { app: 'redis' } },
            spec: { containers: [container('redis', 'docker.io/library/redis:7', 6379)] },
          },
          volumeClaimTemplates: [
            { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '8Gi' } } } },
          ],
        },
      },
      service('redis', 6379),
    ],
  },
  {
    repo: 'kubernetes-appdev-katas',
    name: 'introducing-prometheus-and-grafana: the charts with the katas values (an existing ServiceAccount, NodePorts)',
    objects: [
      withServiceAccount(
        'prometheus-server',
        deployment('prometheus-server', 1, [
          container('prometheus-server', 'quay.io/prometheus/prometheus:v2.48.1', 9090, {
            requests: { cpu: '250m', memory: '512Mi' },
            limits: { cpu: '250m', memory: '1024Mi' },
          }),
        ]),
      ),
      service('prometheus-server', 80, 'NodePort'),
      deployment('grafana', 1, [container('grafana', 'docker.io/grafana/grafana:10.2.3', 3000)]),
      service('grafana', 80, 'NodePort'),
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'sentences' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'grafana' }, minReplicas: 1, maxReplicas: 3 },
      },
    ],
  },
];
