import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { studentLabels } from '../../lib/plan/model/labels';
import type { FlowSchemaPlan } from '../../lib/plan/model/api-fairness';

export interface StudentFlowSchemaProps {
  /** Course name. */
  readonly course: string;
  /** The student's id. */
  readonly studentId: string;
  /** The FlowSchema, from the plan. */
  readonly flowSchema: FlowSchemaPlan;
}

/**
 * A student's queue at the API server (flowcontrol.apiserver.k8s.io/v1): every request of their
 * accounts, resource or not, in the students' priority level, one flow per user.
 */
export class StudentFlowSchema extends Construct {
  constructor(scope: Construct, id: string, props: StudentFlowSchemaProps) {
    super(scope, id);
    const { flowSchema } = props;
    if (flowSchema.serviceAccounts.length === 0) {
      throw new Error(`StudentFlowSchema ${flowSchema.name}: name at least the student's workstation account`);
    }
    new ApiObject(this, 'flow-schema', {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'FlowSchema',
      metadata: { name: flowSchema.name, labels: studentLabels(props.course, props.studentId, 'api-fairness') },
      spec: {
        priorityLevelConfiguration: { name: flowSchema.priorityLevel },
        matchingPrecedence: flowSchema.matchingPrecedence,
        distinguisherMethod: { type: 'ByUser' },
        rules: [
          {
            subjects: flowSchema.serviceAccounts.map((account) => ({
              kind: 'ServiceAccount',
              serviceAccount: { namespace: account.namespace, name: account.name },
            })),
            resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], clusterScope: true }],
            nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          },
        ],
      },
    });
  }
}
