import type { AdmissionRequest } from '../support/admission';

/** The fixture classroom (test/fixtures/classroom): course k8s on cluster lab, domain lab.example.org. */
export const DOMAIN = 'lab.example.org';
/** Where lab's students serve their apps and Ingresses: another site than the logins' DOMAIN. */
export const CONTENT_DOMAIN = 'lab.example.net';
export const COURSE = 'k8s';

/** A request made with a student's kubectl: the workstation's ServiceAccount, in their own namespace. */
export function asStudent(
  student: string,
  operation: AdmissionRequest['operation'],
  object: Record<string, any> | null,
  options: { subResource?: string; resource?: AdmissionRequest['resource']; course?: string; username?: string } = {},
): AdmissionRequest {
  const course = options.course ?? COURSE;
  const kind = String(object?.kind ?? '');
  return {
    operation,
    resource: options.resource ?? resourceOf(kind, String(object?.apiVersion ?? 'v1')),
    subResource: options.subResource,
    namespace: `${course}-${student}`,
    username: options.username ?? `system:serviceaccount:${course}:ws-${student}`,
    object: object && {
      ...object,
      metadata: { namespace: `${course}-${student}`, ...(object.metadata ?? {}) },
    },
  };
}

/** The resource (plural) of each kind the corpora send. */
export const PLURALS: Record<string, string> = {
  Ingress: 'ingresses',
  Service: 'services',
  Pod: 'pods',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  ReplicaSet: 'replicasets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  Secret: 'secrets',
  ConfigMap: 'configmaps',
  RoleBinding: 'rolebindings',
  Role: 'roles',
  Endpoints: 'endpoints',
  EndpointSlice: 'endpointslices',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  ServiceAccount: 'serviceaccounts',
  TokenRequest: 'serviceaccounts',
  PodDisruptionBudget: 'poddisruptionbudgets',
  Event: 'events',
  // Istio (test/security/mesh.ts).
  Gateway: 'gateways',
  VirtualService: 'virtualservices',
  DestinationRule: 'destinationrules',
  ServiceEntry: 'serviceentries',
  Sidecar: 'sidecars',
  Telemetry: 'telemetries',
  PeerAuthentication: 'peerauthentications',
  AuthorizationPolicy: 'authorizationpolicies',
  RequestAuthentication: 'requestauthentications',
  EnvoyFilter: 'envoyfilters',
  WasmPlugin: 'wasmplugins',
};

function resourceOf(kind: string, apiVersion: string): AdmissionRequest['resource'] {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const resource = PLURALS[kind];
  if (!resource) throw new Error(`no resource known for kind ${kind}`);
  return { group, version, resource };
}

export function ingress(
  host: string | undefined,
  extra: { annotations?: Record<string, string>; spec?: Record<string, any> } = {},
) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'quotes', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      ingressClassName: 'alb',
      rules: [
        {
          ...(host === undefined ? {} : { host }),
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'quotes', port: { number: 80 } } } }] },
        },
      ],
      ...(extra.spec ?? {}),
    },
  };
}

export function pod(spec: Record<string, any> = {}, metadata: Record<string, any> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...metadata },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...spec },
  };
}

export function deployment(podSpec: Record<string, any> = {}, labels: Record<string, string> = { app: 'web' }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...podSpec } },
    },
  };
}

export function service(spec: Record<string, any>, annotations?: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', ...(annotations ? { annotations } : {}) },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
  };
}

export function roleBinding(roleRef: { kind: string; name: string }, subjects: Record<string, any>[]) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'rb' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  };
}

/** `kubectl create token default --duration=<seconds>s`: a TokenRequest on the serviceaccounts/token subresource. */
export function tokenRequest(student: string, expirationSeconds: number): AdmissionRequest {
  return asStudent(
    student,
    'CREATE',
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { name: 'default' },
      spec: { audiences: [], expirationSeconds },
    },
    { subResource: 'token', resource: { group: '', version: 'v1', resource: 'serviceaccounts' } },
  );
}
