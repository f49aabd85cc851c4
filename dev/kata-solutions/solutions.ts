/**
 * Reference solutions of every checked exercise, written for dojo from each kata's text (not
 * copied from the katas' own done/ folders), as the student applies them, and near misses: the
 * same with one thing wrong, and the message the student must then get. The exercises' checks
 * are in checks/<set>.yaml.
 */
import { configMap, deployment, ofRelease, pod, service, type Container, type Manifest } from './manifests';

export interface Solution {
  /** Objects as the student applies them (kubectl apply, helm install, kubectl scale). */
  readonly objects: readonly Manifest[];
  readonly nearMisses: readonly { readonly what: string; readonly objects: readonly Manifest[]; readonly message: string }[];
}

const FRONTEND = 'ghcr.io/eficode-academy/quotes-flask-frontend:release';
const BACKEND = 'ghcr.io/eficode-academy/quotes-flask-backend:release';
const POSTGRES = 'docker.io/library/postgres:14.3';

/** Replaces the object of that kind and name. */
const replace = (objects: readonly Manifest[], changed: Manifest) =>
  objects.map((o) => (o.kind === changed.kind && o.metadata.name === changed.metadata.name ? changed : o));
const without = (objects: readonly Manifest[], kind: string, name: string) =>
  objects.filter((o) => !(o.kind === kind && o.metadata.name === name));

const postgresEnv = (extra: Manifest = {}): Container => ({
  name: 'postgres',
  image: POSTGRES,
  port: 5432,
  extra: {
    env: [
      { name: 'POSTGRES_USER', valueFrom: { configMapKeyRef: { name: 'postgres-config', key: 'DB_USER' } } },
      { name: 'POSTGRES_DB', valueFrom: { configMapKeyRef: { name: 'postgres-config', key: 'DB_NAME' } } },
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgres-secret', key: 'DB_PASSWORD' } } },
    ],
    ...extra,
  },
});
const backendFromConfig: Container = {
  name: 'quotes-flask-backend',
  image: BACKEND,
  port: 5000,
  extra: { envFrom: [{ configMapRef: { name: 'postgres-config' } }, { secretRef: { name: 'postgres-secret' } }] },
};
const postgresConfig = configMap('postgres-config', {
  DB_HOST: 'postgres',
  DB_PORT: '5432',
  DB_USER: 'superuser',
  DB_NAME: 'quotes',
});

const quotesApp = [
  deployment('frontend', 1, [
    { name: 'frontend', image: FRONTEND, port: 5000, env: { BACKEND_HOST: 'backend', BACKEND_PORT: '5000' } },
  ]),
  deployment('backend', 1, [backendFromConfig]),
  deployment('postgres', 1, [postgresEnv()]),
  service('frontend', 5000, { app: 'frontend' }, 'NodePort'),
  service('backend', 5000, { app: 'backend' }),
  service('postgres', 5432, { app: 'postgres' }),
  postgresConfig,
];

const frontendPod = (env?: Record<string, string>) =>
  pod('frontend', { run: 'frontend' }, [{ name: 'frontend', image: FRONTEND, port: 5000, env }]);
const backendPod = pod('backend', { run: 'backend' }, [{ name: 'quotes-flask-backend', image: BACKEND }]);
const servicesSolution = [
  backendPod,
  frontendPod({ BACKEND_HOST: 'backend', BACKEND_PORT: '5000' }),
  service('backend', 5000, { run: 'backend' }),
  service('frontend', 5000, { run: 'frontend' }, 'NodePort'),
];

const backendDeployment = (image: string, strategy?: Manifest) =>
  deployment('backend', 3, [{ name: 'quotes-flask-backend', image, port: 5000 }], {
    ...(strategy ? { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: strategy } } } : {}),
  });
const ingress = (service: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'frontend-ingress' },
  spec: {
    ingressClassName: 'alb',
    rules: [
      {
        host: 'quotes-ada.kubernetes-katas.training.example.com',
        http: { paths: [{ pathType: 'Prefix', path: '/', backend: { service: { name: service, port: { number: 5000 } } } }] },
      },
    ],
  },
});
const deploymentsIngress = (frontendReplicas: number, ingressTo = 'frontend') => [
  deployment('backend', 1, [{ name: 'quotes-flask-backend', image: BACKEND }], { labels: { run: 'backend' } }),
  deployment(
    'frontend',
    frontendReplicas,
    [{ name: 'quotes-flask-frontend', image: FRONTEND, env: { BACKEND_HOST: 'backend' } }],
    {
      labels: { run: 'frontend' },
    },
  ),
  service('backend', 5000, { run: 'backend' }),
  service('frontend', 5000, { run: 'frontend' }, 'NodePort'),
  ingress(ingressTo),
];

const claim = (accessMode: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'postgres-pvc' },
  spec: { storageClassName: 'gp3', accessModes: [accessMode], resources: { requests: { storage: '5Gi' } } },
});
const postgresOnClaim = (mountPath: string) =>
  deployment('postgres', 1, [postgresEnv({ volumeMounts: [{ name: 'postgres-pvc', mountPath, subPath: 'postgres' }] })], {
    podSpec: { volumes: [{ name: 'postgres-pvc', persistentVolumeClaim: { claimName: 'postgres-pvc' } }] },
  });

const sentences = (replicas = 1, image = 'releasepraqma/sentence:latest', podSpec: Manifest = {}, cpu = true) => [
  deployment(
    'sentences',
    replicas,
    [{ name: 'sentences', image, port: 8080, extra: cpu ? { resources: { requests: { cpu: '250m' } } } : {} }],
    {
      labels: { app: 'sentences', component: 'main' },
      podSpec,
    },
  ),
  deployment('sentence-age', 1, [{ name: 'sentences', image: 'releasepraqma/age:latest', port: 8080 }], {
    labels: { app: 'sentences', component: 'age' },
  }),
  deployment('sentence-name', 1, [{ name: 'sentences', image: 'releasepraqma/name:latest', port: 8080 }], {
    labels: { app: 'sentences', component: 'name' },
  }),
  service('sentence', 8080, { app: 'sentences', component: 'main' }, 'NodePort'),
  service('age', 8080, { app: 'sentences', component: 'age' }),
  service('name', 8080, { app: 'sentences', component: 'name' }),
];
const release = (name: string, objects: readonly Manifest[], chart?: string) => objects.map((o) => ofRelease(name, chart, o));

const nginxRelease = (chart: string, type: string) =>
  release(
    'my-release',
    [
      deployment('my-release-nginx', 1, [{ name: 'nginx', image: 'docker.io/bitnami/nginx:1.25.1-debian-11-r0', port: 8080 }], {
        labels: { 'app.kubernetes.io/name': 'nginx', 'app.kubernetes.io/instance': 'my-release' },
      }),
      service('my-release-nginx', 80, { 'app.kubernetes.io/name': 'nginx', 'app.kubernetes.io/instance': 'my-release' }, type),
    ],
    chart,
  );

const hpa = (target: string) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'sentences' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
    minReplicas: 1,
    maxReplicas: 5,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  },
});
const loadGenerator = deployment('load-generator', 1, [{ name: 'load-generator', image: 'docker.io/library/busybox:1.36' }]);
const probes = {
  livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
  readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
};
const monitoring = (ready: string[]) => [
  ...release('prometheus', [
    deployment('prometheus-server', 1, [{ name: 'prometheus-server', image: 'quay.io/prometheus/prometheus:v2.48.0' }]),
  ]),
  ...release('grafana', [
    deployment('grafana', ready.includes('grafana') ? 1 : 0, [{ name: 'grafana', image: 'docker.io/grafana/grafana:10.2.2' }]),
  ]),
  ...sentences(),
];

export const SOLUTIONS: Record<string, Record<string, Solution>> = {
  'kubernetes-katas': {
    intro: {
      objects: quotesApp,
      nearMisses: [
        {
          what: 'postgres scaled to 0',
          objects: replace(quotesApp, deployment('postgres', 0, [postgresEnv()])),
          message: 'the Deployments frontend, backend and postgres do not all have a ready pod',
        },
        {
          what: 'no frontend Service',
          objects: without(quotesApp, 'Service', 'frontend'),
          message: 'there is no Service "frontend"',
        },
      ],
    },
    'desired-state': {
      objects: [deployment('nginx', 1, [{ name: 'nginx', image: 'docker.io/library/nginx:1.27', port: 80 }])],
      nearMisses: [
        {
          what: 'named web',
          objects: [deployment('web', 1, [{ name: 'nginx', image: 'docker.io/library/nginx:1.27', port: 80 }])],
          message: 'there is no Deployment "nginx"',
        },
        {
          what: 'scaled to 0',
          objects: [deployment('nginx', 0, [{ name: 'nginx', image: 'docker.io/library/nginx:1.27', port: 80 }])],
          message: 'the Deployment nginx has no ready pod',
        },
      ],
    },
    manifests: {
      objects: [frontendPod()],
      nearMisses: [
        {
          what: 'containerPort 8080',
          objects: [pod('frontend', { run: 'frontend' }, [{ name: 'frontend', image: FRONTEND, port: 8080 }])],
          message: 'the pod frontend does not run the quotes-flask-frontend image with containerPort 5000',
        },
      ],
    },
    'accessing-your-application': {
      objects: [backendPod, frontendPod({ BACKEND_HOST: '10.0.40.196', BACKEND_PORT: '5000' })],
      nearMisses: [
        {
          what: 'BACKEND_HOST not set',
          objects: [backendPod, frontendPod({ BACKEND_PORT: '5000' })],
          message: 'there is no Running pod "frontend" with BACKEND_HOST set',
        },
        {
          what: 'no backend',
          objects: [frontendPod({ BACKEND_HOST: '10.0.40.196' })],
          message: 'there is no Running pod "backend"',
        },
      ],
    },
    services: {
      objects: servicesSolution,
      nearMisses: [
        {
          what: 'backend Service selecting app=backend, a label the pod lacks',
          objects: replace(servicesSolution, service('backend', 5000, { app: 'backend' })),
          message: 'the Service backend does not select the pod backend',
        },
        {
          what: 'frontend Service of type ClusterIP',
          objects: replace(servicesSolution, service('frontend', 5000, { run: 'frontend' })),
          message: 'there is no NodePort Service "frontend" on port 5000',
        },
        {
          what: 'frontend still on the backend IP',
          objects: replace(servicesSolution, frontendPod({ BACKEND_HOST: '10.0.40.196' })),
          message: "the pod frontend does not find the backend by its Service's name",
        },
      ],
    },
    'deployments-ingress': {
      objects: deploymentsIngress(3),
      nearMisses: [
        {
          what: 'frontend at 1 replica',
          objects: deploymentsIngress(1),
          message: 'the Deployment frontend does not have 3 (or more) ready replicas',
        },
        {
          what: 'Ingress to the backend',
          objects: deploymentsIngress(3, 'backend'),
          message: 'there is no Ingress "frontend-ingress" to the Service frontend on port 5000',
        },
      ],
    },
    'rolling-updates': {
      objects: [backendDeployment('ghcr.io/eficode-academy/quotes-flask-backend:2.0.0', { maxSurge: 1, maxUnavailable: 0 })],
      nearMisses: [
        {
          what: 'still at release',
          objects: [backendDeployment(BACKEND, { maxSurge: 1, maxUnavailable: 0 })],
          message: 'the Deployment backend does not run ghcr.io/eficode-academy/quotes-flask-backend:2.0.0',
        },
        {
          what: 'the default strategy',
          objects: [backendDeployment('ghcr.io/eficode-academy/quotes-flask-backend:2.0.0')],
          message: 'the Deployment backend does not roll out with maxSurge 1 and maxUnavailable 0',
        },
      ],
    },
    'configmaps-secrets': {
      objects: quotesApp,
      nearMisses: [
        {
          what: 'the password left in the ConfigMap',
          objects: replace(quotesApp, configMap('postgres-config', { ...postgresConfig.data, DB_PASSWORD: 'quotes' })),
          message: 'the ConfigMap postgres-config still holds the password',
        },
        {
          what: 'the backend without the Secret',
          objects: replace(
            quotesApp,
            deployment('backend', 1, [
              { ...backendFromConfig, extra: { envFrom: [{ configMapRef: { name: 'postgres-config' } }] } },
            ]),
          ),
          message: 'the Deployment backend does not take its environment from postgres-config and postgres-secret',
        },
      ],
    },
    'persistent-storage': {
      objects: [claim('ReadWriteOnce'), postgresOnClaim('/var/lib/postgresql/data'), postgresConfig],
      nearMisses: [
        {
          what: 'mounted at /data',
          objects: [claim('ReadWriteOnce'), postgresOnClaim('/data'), postgresConfig],
          message: 'the Deployment postgres does not mount postgres-pvc at /var/lib/postgresql/data',
        },
        {
          what: 'a ReadWriteMany claim',
          objects: [claim('ReadWriteMany'), postgresOnClaim('/var/lib/postgresql/data'), postgresConfig],
          message: 'there is no ReadWriteOnce PersistentVolumeClaim "postgres-pvc"',
        },
      ],
    },
  },
  'helm-katas': {
    'intro-to-kubernetes-package-manager': {
      objects: nginxRelease('nginx-15.0.0', 'NodePort'),
      nearMisses: [
        {
          what: "the chart's latest version",
          objects: nginxRelease('nginx-18.1.0', 'NodePort'),
          message: 'the release my-release is not of the chart nginx 15.0.0',
        },
        {
          what: 'a LoadBalancer Service',
          objects: nginxRelease('nginx-15.0.0', 'LoadBalancer'),
          message: 'the release my-release has no NodePort Service',
        },
      ],
    },
    'hello-sentences-app': {
      objects: sentences(),
      nearMisses: [
        {
          what: 'sentence-name missing',
          objects: without(sentences(), 'Deployment', 'sentence-name'),
          message: 'the Deployments sentences, sentence-age and sentence-name are not all there',
        },
      ],
    },
    'create-a-helm-chart': {
      objects: release('sentences', sentences()),
      nearMisses: [
        {
          what: 'applied with kubectl, not installed',
          objects: sentences(),
          message: 'the Deployments sentences, sentence-age and sentence-name are not all of the release "sentences"',
        },
        {
          what: 'a release of another name',
          objects: release('my-sentences', sentences()),
          message: 'the Deployments sentences, sentence-age and sentence-name are not all of the release "sentences"',
        },
      ],
    },
    'release-rollback': {
      objects: release('myapp', sentences()),
      nearMisses: [
        {
          what: 'released as sentences',
          objects: release('sentences', sentences()),
          message: 'there is no release "myapp" of sentence-app',
        },
      ],
    },
    'helm-chart-with-parameters': {
      objects: release('sentences', sentences(2)),
      nearMisses: [
        {
          what: 'replicas left at 1',
          objects: release('sentences', sentences(1)),
          message: 'the Deployment sentences does not have 2 replicas of releasepraqma/sentence:latest',
        },
        {
          what: 'the tag not set',
          objects: release('sentences', sentences(2, 'releasepraqma/sentence:')),
          message: 'the Deployment sentences does not have 2 replicas of releasepraqma/sentence:latest',
        },
      ],
    },
  },
  'kubernetes-appdev-katas': {
    healthchecks: {
      objects: [
        deployment('probes', 1, [
          { name: 'probes', image: 'ghcr.io/eficode-academy/sentences:release', port: 8080, extra: probes },
        ]),
      ],
      nearMisses: [
        {
          what: 'a liveness probe only',
          objects: [
            deployment('probes', 1, [
              {
                name: 'probes',
                image: 'ghcr.io/eficode-academy/sentences:release',
                port: 8080,
                extra: { livenessProbe: probes.livenessProbe },
              },
            ]),
          ],
          message: 'no Deployment has a container with both a liveness and a readiness probe',
        },
      ],
    },
    'introducing-prometheus-and-grafana': {
      objects: monitoring(['grafana']),
      nearMisses: [
        { what: 'grafana scaled to 0', objects: monitoring([]), message: 'Prometheus and Grafana do not both have a ready pod' },
        {
          what: 'no grafana',
          objects: without(monitoring(['grafana']), 'Deployment', 'grafana'),
          message: 'the releases prometheus and grafana are not both installed',
        },
      ],
    },
    'horizontal-pod-autoscaling': {
      objects: [...sentences(), hpa('sentences'), loadGenerator],
      nearMisses: [
        {
          what: 'the HPA on sentence-age',
          objects: [...sentences(), hpa('sentence-age'), loadGenerator],
          message: 'there is no HorizontalPodAutoscaler of the Deployment sentences',
        },
        {
          what: 'no CPU request',
          objects: [...sentences(1, undefined, {}, false), hpa('sentences'), loadGenerator],
          message: 'the Deployment sentences requests no CPU, so the autoscaler cannot measure it',
        },
      ],
    },
    'autoscaling-with-preemption': {
      objects: [...sentences(1, undefined, { priorityClassName: 'medium-priority' }), hpa('sentences')],
      nearMisses: [
        {
          what: 'high-priority',
          objects: [...sentences(1, undefined, { priorityClassName: 'high-priority' }), hpa('sentences')],
          message: 'the Deployment sentences does not run with the PriorityClass medium-priority',
        },
      ],
    },
  },
};
