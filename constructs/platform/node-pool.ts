import { Construct } from 'constructs';
import {
  NodePool,
  NodePoolSpecDisruptionBudgetsReasons,
  NodePoolSpecDisruptionConsolidationPolicy,
  NodePoolSpecLimits,
  NodePoolSpecTemplateSpecRequirementsOperator as Operator,
  NodePoolSpecTemplateSpecStartupTaintsEffect,
  NodePoolSpecTemplateSpecTaintsEffect,
} from '../../imports/karpenter-karpenter.sh';
import type { NodePoolPlan } from '../../lib/plan/model/nodes';

export interface PlannedNodePoolProps {
  /** Labels of the NodePool object itself. */
  readonly labels: Readonly<Record<string, string>>;
  /** The NodePool, from the plan. */
  readonly nodePool: NodePoolPlan;
}

/**
 * A Karpenter NodePool as the plan sizes it: a course's workstation nodes or the students'
 * pool. On-demand (a reclaimed spot node would end a student's session or exercise), limited
 * by the capacity plan, removed once empty.
 */
export class PlannedNodePool extends Construct {
  constructor(scope: Construct, id: string, props: PlannedNodePoolProps) {
    super(scope, id);
    const pool = props.nodePool;
    if (pool.limits.cpu === '0') {
      throw new Error(`NodePool ${pool.name}: limits are zero; plan capacity before building the NodePool`);
    }
    new NodePool(this, 'node-pool', {
      metadata: { name: pool.name, labels: { ...props.labels }, annotations: { ...pool.annotations } },
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
            startupTaints: pool.startupTaint && [
              {
                key: pool.startupTaint.key,
                value: pool.startupTaint.value,
                effect: NodePoolSpecTemplateSpecStartupTaintsEffect.NO_SCHEDULE,
              },
            ],
            taints: pool.taint && [
              { key: pool.taint.key, value: pool.taint.value, effect: NodePoolSpecTemplateSpecTaintsEffect.NO_SCHEDULE },
            ],
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
