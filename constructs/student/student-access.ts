import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { studentLabels } from '../../lib/plan/model/labels';

export interface StudentAccessProps {
  /** Course name. */
  readonly course: string;
  /** The student's id. */
  readonly studentId: string;
  /** The student's own namespace, where they get the built-in `admin` role. */
  readonly namespace: string;
  /** The workstation's ServiceAccount, whose token the student's kubectl uses. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  /** The ClusterRole with the cluster-wide reads of the course. */
  readonly clusterReadRole: string;
}

/**
 * What the student may do with kubectl: `admin` in their own namespace (no quota or
 * namespace edits: `admin` excludes those), and reading a few cluster-scoped kinds.
 */
export class StudentAccess extends Construct {
  constructor(scope: Construct, id: string, props: StudentAccessProps) {
    super(scope, id);
    const labels = studentLabels(props.course, props.studentId, 'student-access');
    const subjects = [{ kind: 'ServiceAccount', name: props.serviceAccount.name, namespace: props.serviceAccount.namespace }];
    new k8s.KubeRoleBinding(this, 'admin', {
      metadata: { name: 'student-admin', namespace: props.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects,
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-read', {
      metadata: { name: `${props.clusterReadRole}-${props.studentId}`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.clusterReadRole },
      subjects,
    });
  }
}
