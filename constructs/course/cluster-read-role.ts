import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { courseLabels } from '../../lib/plan/model/labels';

export interface ClusterReadRoleProps {
  /** Course name. */
  readonly course: string;
  /** Name of the ClusterRole. */
  readonly name: string;
}

/** What the katas read cluster-wide: nodes, storage classes, persistent volumes, priority classes. */
export class ClusterReadRole extends Construct {
  constructor(scope: Construct, id: string, props: ClusterReadRoleProps) {
    super(scope, id);
    const read = ['get', 'list', 'watch'];
    new k8s.KubeClusterRole(this, 'role', {
      metadata: { name: props.name, labels: courseLabels(props.course, 'student-access') },
      rules: [
        { apiGroups: [''], resources: ['nodes', 'persistentvolumes'], verbs: read },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: read },
        { apiGroups: ['scheduling.k8s.io'], resources: ['priorityclasses'], verbs: read },
        // `kubectl top nodes` (metrics-server); `kubectl top pods` comes with admin in the namespace.
        { apiGroups: ['metrics.k8s.io'], resources: ['nodes'], verbs: read },
      ],
    });
  }
}
