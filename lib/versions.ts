/**
 * Every version dojo pins, in one place, so that a bump is one reviewed line and a re-synth.
 */

/** code-server release the workstation image is built on (images/workstation/Dockerfile). */
export const CODE_SERVER_VERSION = '4.102.2';

/** Revision of dojo's own image on top of that release; bump when the Dockerfile changes. */
export const WORKSTATION_IMAGE_REVISION = '1';

/**
 * The sysbox installer image per range of Kubernetes minor versions (FACTS.md: v0.6.6-0
 * accepts 1.28-1.31, v0.7.0-0 1.32-1.35). The manifest at an upstream tag does not always
 * name that tag's image, so the image is pinned here, not taken from the manifest.
 */
export const SYSBOX_INSTALLERS = [
  { image: 'registry.nestybox.com/nestybox/sysbox-deploy-k8s:v0.6.6-0', fromMinor: 28, toMinor: 31 },
  { image: 'registry.nestybox.com/nestybox/sysbox-deploy-k8s:v0.7.0-0', fromMinor: 32, toMinor: 35 },
] as const;

/** Traefik's Helm chart: the shared proxy of gateway mode (Gateway API and the katas' Ingresses). */
export const TRAEFIK_CHART = { repoURL: 'https://traefik.github.io/charts', chart: 'traefik', version: '38.0.2' } as const;

/** Gateway API CRDs (standard channel), installed from the upstream repo; Traefik no longer ships them. */
export const GATEWAY_API = { repoURL: 'https://github.com/kubernetes-sigs/gateway-api.git', version: 'v1.6.1' } as const;
