import { ADMISSION_POLICY_MIN_MINOR } from './admission';
import { SYSBOX_INSTALLERS } from '../versions';

/** The label, taint and runtime class that make sysbox scheduling work with Karpenter (FACTS.md, sysbox #888). */
export const SYSBOX = {
  runtimeClass: 'sysbox-runc',
  installLabel: { key: 'sysbox-install', value: 'yes' },
  runtimeLabel: { key: 'sysbox-runtime', value: 'running' },
  startupTaint: { key: 'sysbox-runtime', value: 'not-running', effect: 'NoSchedule' },
  /** CRI-O gives each sysbox pod its own user namespace of this size. */
  userNamespaceAnnotation: { key: 'io.kubernetes.cri-o.userns-mode', value: 'auto:size=65536' },
} as const;

/** The installer image for a Kubernetes minor version such as "1.31", or undefined when none supports it. */
export function sysboxInstallerImage(kubernetesVersion: string): string | undefined {
  const minor = Number(kubernetesVersion.split('.')[1]);
  return SYSBOX_INSTALLERS.find((i) => minor >= i.fromMinor && minor <= i.toMinor)?.image;
}

export function supportedKubernetesRange(): string {
  const first = Math.max(SYSBOX_INSTALLERS[0].fromMinor, ADMISSION_POLICY_MIN_MINOR);
  const last = SYSBOX_INSTALLERS[SYSBOX_INSTALLERS.length - 1];
  return `1.${first} to 1.${last.toMinor}`;
}
