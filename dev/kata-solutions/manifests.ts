/**
 * Building blocks of the reference solutions: manifests as a student writes them, and
 * `settled`, the status the cluster gives them once every pod runs (what kubectl get -o json
 * then lists: the Deployment controller's counts, a Running pod, a Bound claim).
 */
export type Manifest = Record<string, any>;

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly port?: number;
  readonly env?: Record<string, string>;
  readonly extra?: Manifest;
}

const containerSpec = (c: Container): Manifest => ({
  name: c.name,
  image: c.image,
  ...(c.port ? { ports: [{ containerPort: c.port }] } : {}),
  ...(c.env ? { env: Object.entries(c.env).map(([name, value]) => ({ name, value })) } : {}),
  ...c.extra,
});

export function pod(name: string, labels: Record<string, string>, containers: Container[]): Manifest {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: containers.map(containerSpec) } };
}

export function deployment(
  name: string,
  replicas: number,
  containers: Container[],
  options: { labels?: Record<string, string>; podSpec?: Manifest; spec?: Manifest; metadata?: Manifest } = {},
): Manifest {
  const labels = options.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels, ...options.metadata },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: containers.map(containerSpec), ...options.podSpec } },
      ...options.spec,
    },
  };
}

export function service(name: string, port: number, selector: Record<string, string>, type?: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { ...(type ? { type } : {}), selector, ports: [{ port, targetPort: port, protocol: 'TCP' }] },
  };
}

export function configMap(name: string, data: Record<string, string>): Manifest {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

/** What Helm adds to every object of a release (Helm 3: pkg/action/validate.go, setMetadataVisitor). */
export function ofRelease(release: string, chart: string | undefined, object: Manifest): Manifest {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      labels: { ...object.metadata.labels, 'app.kubernetes.io/managed-by': 'Helm', ...(chart ? { 'helm.sh/chart': chart } : {}) },
      annotations: {
        ...object.metadata.annotations,
        'meta.helm.sh/release-name': release,
        'meta.helm.sh/release-namespace': 'student',
      },
    },
  };
}

/** The objects as the cluster lists them once settled: every pod Running and ready, every claim Bound. */
export function settled<T = Manifest>(objects: readonly Manifest[]): T[] {
  return objects.map((o): Manifest => {
    switch (o.kind) {
      case 'Deployment': {
        const n = o.spec.replicas ?? 1;
        return {
          ...o,
          status: n > 0 ? { replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n } : { replicas: 0 },
        };
      }
      case 'Pod':
        return { ...o, status: { phase: 'Running' } };
      case 'PersistentVolumeClaim':
        return { ...o, status: { phase: 'Bound' } };
      case 'Service':
        return { ...o, spec: { type: 'ClusterIP', ...o.spec } };
      default:
        return o;
    }
  }) as T[];
}
