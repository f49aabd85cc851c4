import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { platformLabels } from '../../lib/plan/model/labels';
import type { PriorityLevelPlan } from '../../lib/plan/model/api-fairness';

export interface StudentPriorityLevelProps {
  /** The level, from the plan. */
  readonly level: PriorityLevelPlan;
}

/**
 * The students' share of the API server (flowcontrol.apiserver.k8s.io/v1): limited, queued
 * fairly, lending none of it and borrowing none, so students never take the platform's seats.
 */
export class StudentPriorityLevel extends Construct {
  constructor(scope: Construct, id: string, props: StudentPriorityLevelProps) {
    super(scope, id);
    const { level } = props;
    if (level.handSize > level.queues) {
      throw new Error(`StudentPriorityLevel ${level.name}: handSize must not exceed queues`);
    }
    new ApiObject(this, 'level', {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'PriorityLevelConfiguration',
      metadata: { name: level.name, labels: platformLabels('api-fairness') },
      spec: {
        type: 'Limited',
        limited: {
          nominalConcurrencyShares: level.nominalConcurrencyShares,
          lendablePercent: 0,
          borrowingLimitPercent: 0,
          limitResponse: {
            type: 'Queue',
            queuing: { queues: level.queues, handSize: level.handSize, queueLengthLimit: level.queueLengthLimit },
          },
        },
      },
    });
  }
}
