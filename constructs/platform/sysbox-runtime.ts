import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { INSTALLER_TOLERATIONS } from '../../lib/plan/nodes/plan-nodes';
import { platformLabels } from '../../lib/plan/model/labels';
import { SYSBOX } from '../../lib/plan/nodes/sysbox';

export interface SysboxRuntimeProps {
  /** The sysbox-deploy-k8s image matching the cluster's Kubernetes version. */
  readonly installerImage: string;
}

const NAMESPACE = 'kube-system';
const NAME = 'sysbox-deploy-k8s';

// The host paths the upstream installer mounts (sysbox-k8s-manifests/sysbox-install.yaml):
// it installs CRI-O and sysbox on the node and reconfigures the kubelet.
const HOST_MOUNTS: readonly [name: string, hostPath: string, mountPath: string][] = [
  ['host-etc', '/etc', '/mnt/host/etc'],
  ['host-osrelease', '/etc/os-release', '/mnt/host/os-release'],
  ['host-dbus', '/var/run/dbus', '/var/run/dbus'],
  ['host-run-systemd', '/run/systemd', '/run/systemd'],
  ['host-lib-systemd', '/lib/systemd/system', '/mnt/host/lib/systemd/system'],
  ['host-etc-systemd', '/etc/systemd/system', '/mnt/host/etc/systemd/system'],
  ['host-lib-sysctl', '/lib/sysctl.d', '/mnt/host/lib/sysctl.d'],
  ['host-opt-lib-sysctl', '/opt/lib/sysctl.d', '/mnt/host/opt/lib/sysctl.d'],
  ['host-usr-bin', '/usr/bin/', '/mnt/host/usr/bin'],
  ['host-opt-bin', '/opt/bin/', '/mnt/host/opt/bin'],
  ['host-usr-local-bin', '/usr/local/bin/', '/mnt/host/usr/local/bin'],
  ['host-opt-local-bin', '/opt/local/bin/', '/mnt/host/opt/local/bin'],
  ['host-usr-lib-mod-load', '/usr/lib/modules-load.d', '/mnt/host/usr/lib/modules-load.d'],
  ['host-opt-lib-mod-load', '/opt/lib/modules-load.d', '/mnt/host/opt/lib/modules-load.d'],
  ['host-run', '/run', '/mnt/host/run'],
  ['host-var-lib', '/var/lib', '/mnt/host/var/lib'],
];

/**
 * The RuntimeClass `sysbox-runc` and the upstream sysbox installer. The installer is the
 * only privileged pod dojo runs: it lives in kube-system, on course nodes only, and
 * reaches them through their workstation taint as well as sysbox's startup taint.
 */
export class SysboxRuntime extends Construct {
  constructor(scope: Construct, id: string, props: SysboxRuntimeProps) {
    super(scope, id);
    if (!/:v\d+\.\d+\.\d+-\d+$/.test(props.installerImage)) {
      throw new Error(
        `SysboxRuntime: installerImage "${props.installerImage}" must be pinned to a release tag (see lib/facts/versions.ts)`,
      );
    }
    const labels = platformLabels('sysbox');
    new k8s.KubeRuntimeClass(this, 'runtime-class', {
      metadata: { name: SYSBOX.runtimeClass, labels },
      handler: SYSBOX.runtimeClass,
      scheduling: { nodeSelector: { [SYSBOX.runtimeLabel.key]: SYSBOX.runtimeLabel.value } },
    });
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: 'sysbox-label-node', namespace: NAMESPACE, labels },
    });
    new k8s.KubeClusterRole(this, 'role', {
      metadata: { name: 'sysbox-node-labeler', labels },
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'delete', 'watch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      metadata: { name: 'sysbox-label-node-rb', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'sysbox-node-labeler' },
      subjects: [{ kind: 'ServiceAccount', name: 'sysbox-label-node', namespace: NAMESPACE }],
    });
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: 'sysbox-operational-attributes', namespace: NAMESPACE, labels },
      data: { SYSBOX_MGR_CONFIG: '', SYSBOX_FS_CONFIG: '' },
    });
    const configKey = (key: string) => ({
      name: key,
      valueFrom: { configMapKeyRef: { name: 'sysbox-operational-attributes', key } },
    });
    const selector = { [SYSBOX.installLabel.key]: SYSBOX.installLabel.value };
    new k8s.KubeDaemonSet(this, 'installer', {
      metadata: { name: NAME, namespace: NAMESPACE, labels },
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: 'sysbox-label-node',
            nodeSelector: selector,
            tolerations: INSTALLER_TOLERATIONS.map((t) => ({ ...t })),
            containers: [
              {
                name: NAME,
                image: props.installerImage,
                imagePullPolicy: 'IfNotPresent',
                command: ['bash', '-c', '/opt/sysbox/scripts/sysbox-deploy-k8s.sh ce install'],
                env: [
                  { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                  configKey('SYSBOX_MGR_CONFIG'),
                  configKey('SYSBOX_FS_CONFIG'),
                ],
                securityContext: { privileged: true },
                volumeMounts: HOST_MOUNTS.map(([name, , mountPath]) => ({ name, mountPath })),
              },
            ],
            volumes: HOST_MOUNTS.map(([name, path]) => ({ name, hostPath: { path } })),
          },
        },
      },
    });
  }
}
