import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { studentLabels } from '../../lib/plan/model/labels';

export interface VirtualClusterAccessProps {
  /** Course name. */
  readonly course: string;
  /** The student's id. */
  readonly studentId: string;
  /** The student's namespace, where the virtual cluster's control plane writes its kubeconfig. */
  readonly namespace: string;
  /** The workstation's ServiceAccount, which reads it at every start. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  /** The course's ClusterRole that reads that one Secret (KubeconfigReaderRole). */
  readonly kubeconfigReaderRole: string;
}

/**
 * vcluster mode: the student's only right on the host, through their workstation: reading the
 * Secret with their virtual cluster's kubeconfig, in their own namespace. Nothing lists, nothing writes.
 */
export class VirtualClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: VirtualClusterAccessProps) {
    super(scope, id);
    new k8s.KubeRoleBinding(this, 'binding', {
      metadata: {
        name: 'workstation-kubeconfig',
        namespace: props.namespace,
        labels: studentLabels(props.course, props.studentId, 'student-access'),
      },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.kubeconfigReaderRole },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccount.name, namespace: props.serviceAccount.namespace }],
    });
  }
}
