import { k8s } from './k8s';
import { LOGIN_CONFIG_DIR, LOGIN_SECRET_DIR, loginProxyArgs } from '../lib/plan/login/login';
import type { LoginPlan, StudentLogin } from '../lib/plan/model/login';

/**
 * The pieces of a pod guarded by the login proxy (lib/plan/login/login.ts), shared by the
 * workstations and the class board: the init container that draws the session key, the proxy
 * container, and the key's memory volume. The pod adds a `login-config` volume of its own.
 */

/** The login proxy's uid in its distroless image (nonroot). */
export const LOGIN_UID = 65532;

const LOGIN_KEY_VOLUME = 'login-key';

/**
 * A new random key for the login sessions at every start: nothing outside the pod knows it,
 * and yesterday's cookies stop working. URL-safe base64 of 32 bytes, which oauth2-proxy
 * decodes to an AES-256 key (v7.15.3, pkg/encryption/utils.go SecretBytes).
 */
const LOGIN_KEY_SCRIPT = `umask 077 && head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=' > ${LOGIN_SECRET_DIR}/cookie-secret`;

/** The init container that writes the session key, run from an image of the pod that has a shell. */
export function loginKeyContainer(image: string, securityContext: k8s.SecurityContext): k8s.Container {
  return {
    name: 'login-key',
    image,
    command: ['sh', '-c', LOGIN_KEY_SCRIPT],
    resources: {
      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') },
      limits: { memory: k8s.Quantity.fromString('64Mi') },
    },
    securityContext: { ...securityContext, runAsUser: LOGIN_UID, runAsGroup: LOGIN_UID },
    volumeMounts: [{ name: LOGIN_KEY_VOLUME, mountPath: LOGIN_SECRET_DIR }],
  };
}

/** The proxy: the one way into the pod, on the named port. */
export function loginProxyContainer(
  login: LoginPlan,
  who: StudentLogin,
  options: {
    /** Name of the proxy's container port. */
    readonly portName: string;
    /** What the kubelet asks for readiness; `/healthz` passes through to what the proxy guards. */
    readonly readinessPath: string;
    /** The pod's own restrictions; the proxy adds its uid and a read-only root. */
    readonly securityContext: k8s.SecurityContext;
  },
): k8s.Container {
  const port = k8s.IntOrString.fromString(options.portName);
  return {
    name: 'login',
    image: login.image,
    args: loginProxyArgs(login, who),
    ports: [{ name: options.portName, containerPort: login.port }],
    resources: {
      requests: { cpu: k8s.Quantity.fromString('20m'), memory: k8s.Quantity.fromString('32Mi') },
      // Each guess costs a bcrypt check: this limit is the login rate of the one account behind it.
      limits: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('128Mi') },
    },
    readinessProbe: { httpGet: { path: options.readinessPath, port }, periodSeconds: 10 },
    livenessProbe: { httpGet: { path: '/ping', port }, periodSeconds: 20 },
    securityContext: { ...options.securityContext, runAsUser: LOGIN_UID, runAsGroup: LOGIN_UID, readOnlyRootFilesystem: true },
    volumeMounts: [
      { name: LOGIN_KEY_VOLUME, mountPath: LOGIN_SECRET_DIR, readOnly: true },
      { name: 'login-config', mountPath: LOGIN_CONFIG_DIR, readOnly: true },
    ],
  };
}

/** The session key's volume: memory, never on a disk. */
export function loginKeyVolume(): k8s.Volume {
  return { name: LOGIN_KEY_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } };
}
