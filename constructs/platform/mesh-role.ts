import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { platformLabels } from '../../lib/plan/model/labels';
import type { MeshRolePlan } from '../../lib/plan/model/mesh';

export interface MeshRoleProps {
  /** The role's name and rules, from the plan. */
  readonly role: MeshRolePlan;
}

/**
 * A ClusterRole of the mesh that RoleBindings grant in a student's namespace only: the Istio
 * kinds the students write (Istio's charts aggregate none of them to `admin`), or a gateway's
 * reading of that namespace's Secrets.
 */
export class MeshRole extends Construct {
  constructor(scope: Construct, id: string, props: MeshRoleProps) {
    super(scope, id);
    if (props.role.rules.length === 0) throw new Error(`MeshRole ${props.role.name}: no rules; plan what the role grants`);
    new k8s.KubeClusterRole(this, 'role', {
      metadata: { name: props.role.name, labels: platformLabels('mesh') },
      rules: props.role.rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
  }
}
