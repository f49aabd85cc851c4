import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { courseLabels } from '../../lib/plan/model/labels';

export interface WorkstationSetupProps {
  /** Course name. */
  readonly course: string;
  /** Namespace of the workstations. */
  readonly namespace: string;
  /** Name of the ConfigMap the workstations mount. */
  readonly name: string;
  /** The scripts, by file name, from the plan: the setup, and the katas' sleep and wake. */
  readonly scripts: Readonly<Record<string, string>>;
}

/** The workstations' scripts, one ConfigMap per course: adding a repo changes one file, not one per student. */
export class WorkstationSetup extends Construct {
  constructor(scope: Construct, id: string, props: WorkstationSetupProps) {
    super(scope, id);
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: props.name, namespace: props.namespace, labels: courseLabels(props.course, 'workstations') },
      data: { ...props.scripts },
    });
  }
}
