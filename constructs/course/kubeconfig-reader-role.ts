import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { courseLabels } from '../../lib/plan/model/labels';
import { VIRTUAL_CLUSTER_KUBECONFIG } from '../../lib/plan/virtual-clusters/virtual-cluster';

export interface KubeconfigReaderRoleProps {
  /** Course name. */
  readonly course: string;
  /** Name of the ClusterRole. */
  readonly name: string;
}

/**
 * vcluster mode: reading the one Secret in which a virtual cluster's control plane writes its
 * kubeconfig, and nothing else. A ClusterRole, bound in each student namespace, so that the
 * courses' AppProject lets no course Application create Roles.
 */
export class KubeconfigReaderRole extends Construct {
  constructor(scope: Construct, id: string, props: KubeconfigReaderRoleProps) {
    super(scope, id);
    new k8s.KubeClusterRole(this, 'role', {
      metadata: { name: props.name, labels: courseLabels(props.course, 'student-access') },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [VIRTUAL_CLUSTER_KUBECONFIG.secret], verbs: ['get'] }],
    });
  }
}
