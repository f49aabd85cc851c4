/**
 * Which Kubernetes minor versions a cluster may run: what every pinned part really serves,
 * each limit named by the part that sets it, so that synth can say which part refuses a
 * version. A bump of a part (lib/facts/versions.ts) re-checks its line here.
 */
import { SYSBOX_INSTALLERS } from './versions';

/** ValidatingAdmissionPolicy v1 is served from Kubernetes 1.30 on. */
export const ADMISSION_POLICY_MIN_MINOR = 30;

export interface KubernetesLimit {
  /** The part and why, in a trainer's words. */
  readonly part: string;
  readonly fromMinor?: number;
  readonly toMinor?: number;
  /** Only clusters in this routing mode depend on the part. */
  readonly routingMode?: 'gateway' | 'alb';
}

export const KUBERNETES_LIMITS: readonly KubernetesLimit[] = [
  {
    part: 'sysbox (docker in the workstations)',
    fromMinor: SYSBOX_INSTALLERS[0].fromMinor,
    toMinor: SYSBOX_INSTALLERS[SYSBOX_INSTALLERS.length - 1].toMinor,
  },
  { part: "ValidatingAdmissionPolicy v1 (dojo's policies for student namespaces)", fromMinor: ADMISSION_POLICY_MIN_MINOR },
  // The TLSRoute CRD of v1.6.1 validates with CEL's isIP(), which the API server has from 1.31.
  { part: 'Gateway API v1.6.1 CRDs (TLSRoute uses isIP() in CEL)', fromMinor: 31, routingMode: 'gateway' },
  { part: 'KEDA 2.18 (the class schedules)', fromMinor: 31 },
  // cert-manager.io/docs/releases: 1.21 supports and is tested on 1.33 to 1.36.
  { part: "cert-manager 1.21 (the courses' certificates)", fromMinor: 33, toMinor: 36, routingMode: 'gateway' },
  { part: 'Karpenter 1.8 (the nodes)', toMinor: 34 },
];

/** Why a cluster of `minor` in `routingMode` is not supported, or undefined when it is. */
export function kubernetesVersionProblem(minor: number, routingMode: 'gateway' | 'alb'): string | undefined {
  const applicable = KUBERNETES_LIMITS.filter((l) => !l.routingMode || l.routingMode === routingMode);
  const refusing = applicable.filter(
    (l) => (l.fromMinor !== undefined && minor < l.fromMinor) || (l.toMinor !== undefined && minor > l.toMinor),
  );
  if (refusing.length === 0) return undefined;
  return `${refusing.map((l) => describe(l)).join('; ')}. Supported here: ${supportedRange(routingMode)}`;
}

/** The versions every applicable part serves, as "1.31 to 1.34". */
export function supportedRange(routingMode: 'gateway' | 'alb'): string {
  const applicable = KUBERNETES_LIMITS.filter((l) => !l.routingMode || l.routingMode === routingMode);
  const from = Math.max(...applicable.map((l) => l.fromMinor ?? 0));
  const to = Math.min(...applicable.map((l) => l.toMinor ?? Number.MAX_SAFE_INTEGER));
  return `1.${from} to 1.${to}`;
}

function describe(limit: KubernetesLimit): string {
  if (limit.fromMinor !== undefined && limit.toMinor !== undefined) {
    return `${limit.part} serves 1.${limit.fromMinor} to 1.${limit.toMinor}`;
  }
  return limit.fromMinor !== undefined
    ? `${limit.part} needs 1.${limit.fromMinor} or later`
    : `${limit.part} serves up to 1.${limit.toMinor}`;
}
