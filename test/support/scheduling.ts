import type { KubeObject } from './repo';

export type Toleration = { key?: string; operator?: string; value?: string; effect?: string };
export type Taint = { key: string; value?: string; effect: string };

/** Whether a pod with `tolerations` tolerates `taint`, as the scheduler decides it. */
export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === taint.effect) &&
      (t.operator === 'Exists' ? t.key === undefined || t.key === taint.key : t.key === taint.key && t.value === taint.value),
  );
}

/**
 * NodePools among `objects` whose nodes would accept the pod: labels satisfy its selectors (its
 * own and its RuntimeClass's), taints are tolerated.
 */
export function nodePoolsFor(objects: readonly KubeObject[], pod: { spec: any }): KubeObject[] {
  const runtimeClass = objects.find((o) => o.kind === 'RuntimeClass' && o.metadata.name === pod.spec.runtimeClassName);
  const selector = { ...pod.spec.nodeSelector, ...runtimeClass?.scheduling?.nodeSelector };
  const tolerations = [...(pod.spec.tolerations ?? []), ...(runtimeClass?.scheduling?.tolerations ?? [])];
  return objects
    .filter((o) => o.kind === 'NodePool')
    .filter((pool) => {
      const labels = pool.spec.template.metadata.labels;
      const taints: Taint[] = pool.spec.template.spec.taints ?? [];
      return Object.entries(selector).every(([k, v]) => labels[k] === v) && taints.every((t) => tolerates(tolerations, t));
    });
}
