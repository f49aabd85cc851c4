import { k8s } from './k8s';

/** A plan's resource amounts ("1", "2Gi") as Kubernetes quantities. */
export function quantities(amounts: Readonly<Record<string, string>>): Record<string, k8s.Quantity> {
  return Object.fromEntries(Object.entries(amounts).map(([name, amount]) => [name, k8s.Quantity.fromString(amount)]));
}
