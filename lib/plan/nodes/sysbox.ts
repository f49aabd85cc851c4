import { SYSBOX_INSTALLERS } from '../../facts/versions';

/** The label, taint and runtime class that make sysbox scheduling work with Karpenter (sysbox #888; ARCHITECTURE.md, "Upstream facts"). */
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
