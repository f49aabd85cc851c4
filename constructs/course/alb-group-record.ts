import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { courseLabels } from '../../lib/plan/model/labels';

export interface AlbGroupRecordProps {
  /** Course name. */
  readonly course: string;
  /** Namespace of the workstations. */
  readonly namespace: string;
  /** The IngressGroups and their students. */
  readonly groups: readonly { readonly name: string; readonly students: readonly string[] }[];
}

/**
 * Which ALB each student is on, as a ConfigMap: readable in the cluster, and read back by
 * the next synth so that nobody moves to another load balancer when others come and go.
 */
export class AlbGroupRecord extends Construct {
  constructor(scope: Construct, id: string, props: AlbGroupRecordProps) {
    super(scope, id);
    const data: Record<string, string> = {};
    for (const group of props.groups) for (const student of group.students) data[student] = group.name;
    new k8s.KubeConfigMap(this, 'record', {
      metadata: { name: 'alb-groups', namespace: props.namespace, labels: courseLabels(props.course, 'routing') },
      data,
    });
  }
}
