import { PLATFORM_LABEL_PREFIX } from '../../lib/plan/admission/admission';

/**
 * A student-namespace Service's labels without dojo's: the EndpointSlice controller copies a
 * Service's labels to its slices, and admission refuses `dojo.training/` labels in a student
 * namespace from anyone but ArgoCD, so with them the Service would have no endpoints (found on
 * the real control plane, test/cluster/mesh).
 */
export function withoutPlatformLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !key.startsWith(PLATFORM_LABEL_PREFIX)));
}
