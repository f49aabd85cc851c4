import { Construct } from 'constructs';
import {
  NodePool,
  NodePoolSpecDisruptionBudgetsReasons,
  NodePoolSpecDisruptionConsolidationPolicy,
  NodePoolSpecLimits,
  NodePoolSpecTemplateSpecRequirementsOperator as Operator,
  NodePoolSpecTemplateSpecStartupTaintsEffect,
  NodePoolSpecTemplateSpecTaintsEffect,
} from '../imports/karpenter-karpenter.sh';
import { courseLabels } from '../lib/plan/labels';
import type { NodePoolPlan } from '../lib/plan/types';

export interface CourseNodePoolProps {
  /** Course name. */
  readonly course: string;
  /** The NodePool, from the plan. */
  readonly nodePool: NodePoolPlan;
}

/**
 * The nodes of one course: on-demand (a reclaimed spot node would end a student's session),
 * sized and limited by the capacity plan, removed once empty.
 */
export class CourseNodePool extends Construct {
  constructor(scope: Construct, id: string, props: CourseNodePoolProps) {
    super(scope, id);
    const pool = props.nodePool;
    if (pool.limits.cpu === '0') {
      throw new Error(`CourseNodePool ${props.course}: limits are zero; plan capacity before building the NodePool`);
    }
    new NodePool(this, 'node-pool', {
      metadata: { name: pool.name, labels: courseLabels(props.course, 'nodes'), annotations: { ...pool.annotations } },
      spec: {
        template: {
          metadata: { labels: { ...pool.labels } },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: pool.nodeClass },
            requirements: [
              { key: 'kubernetes.io/os', operator: Operator.IN, values: ['linux'] },
              { key: 'kubernetes.io/arch', operator: Operator.IN, values: [pool.architecture] },
              { key: 'karpenter.sh/capacity-type', operator: Operator.IN, values: ['on-demand'] },
              { key: 'karpenter.k8s.aws/instance-family', operator: Operator.IN, values: [...pool.instanceFamilies] },
              { key: 'karpenter.k8s.aws/instance-cpu', operator: Operator.GT, values: [String(pool.minVcpu - 1)] },
            ],
            startupTaints: [
              {
                key: pool.startupTaint.key,
                value: pool.startupTaint.value,
                effect: NodePoolSpecTemplateSpecStartupTaintsEffect.NO_SCHEDULE,
              },
            ],
            taints: [{ key: pool.taint.key, value: pool.taint.value, effect: NodePoolSpecTemplateSpecTaintsEffect.NO_SCHEDULE }],
            expireAfter: pool.expireAfter,
          },
        },
        limits: {
          cpu: NodePoolSpecLimits.fromString(pool.limits.cpu),
          memory: NodePoolSpecLimits.fromString(pool.limits.memory),
        },
        disruption: {
          consolidationPolicy: NodePoolSpecDisruptionConsolidationPolicy.WHEN_EMPTY,
          consolidateAfter: pool.consolidateAfter,
          budgets: pool.budgets.map((b) => ({
            nodes: b.nodes,
            reasons: b.reasons?.map((r) => r as NodePoolSpecDisruptionBudgetsReasons),
            schedule: b.schedule,
            duration: b.duration,
          })),
        },
      },
    });
  }
}
