import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { platformLabels, RECREATE_SYNC_OPTIONS, SYNC_OPTIONS_ANNOTATION } from '../../lib/plan/model/labels';
import {
  KATA_PRIORITY_CLASSES,
  KATA_STORAGE_CLASSES,
  PLACEHOLDER_PRIORITY,
  WORKSTATION_PRIORITY,
} from '../../lib/plan/model/platform-classes';

/**
 * What the katas expect to find in a cluster: the StorageClasses `gp3` (the default, also
 * the class of the workstation homes) and `gp2`, and the PriorityClasses `default`, `medium-priority` and `high-priority`;
 * the workstations' priority above them all, and the negative priority of the pre-warm
 * placeholders.
 */
export class StorageAndPriorities extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const storage of KATA_STORAGE_CLASSES) {
      new k8s.KubeStorageClass(this, storage.name, {
        metadata: {
          name: storage.name,
          labels: platformLabels('storage'),
          annotations: storage.isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : undefined,
        },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: storage.volumeType, encrypted: 'true' },
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy: 'Delete',
      });
    }
    for (const priority of KATA_PRIORITY_CLASSES) {
      new k8s.KubePriorityClass(this, priority.name, {
        metadata: {
          name: priority.name,
          labels: platformLabels('scheduling'),
          // preemptionPolicy is immutable and the katas name these classes: ArgoCD recreates them.
          annotations: { [SYNC_OPTIONS_ANNOTATION]: RECREATE_SYNC_OPTIONS },
        },
        value: priority.value,
        globalDefault: false,
        preemptionPolicy: 'Never',
        description: priority.description,
      });
    }
    new k8s.KubePriorityClass(this, WORKSTATION_PRIORITY.name, {
      metadata: { name: WORKSTATION_PRIORITY.name, labels: platformLabels('scheduling') },
      value: WORKSTATION_PRIORITY.value,
      globalDefault: false,
      description: WORKSTATION_PRIORITY.description,
    });
    new k8s.KubePriorityClass(this, PLACEHOLDER_PRIORITY.name, {
      metadata: { name: PLACEHOLDER_PRIORITY.name, labels: platformLabels('scheduling') },
      value: PLACEHOLDER_PRIORITY.value,
      globalDefault: false,
      // A placeholder never pushes anything out; it only waits for room.
      preemptionPolicy: 'Never',
      description: PLACEHOLDER_PRIORITY.description,
    });
  }
}
