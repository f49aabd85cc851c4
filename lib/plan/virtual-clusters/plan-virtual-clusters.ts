import { kubeconfigReaderRoleName, virtualClustersApplicationName } from '../model/object-names';
import type { VirtualClusterPlan } from '../model/virtual-clusters';
import { VIRTUAL_CLUSTERS_PROJECT } from '../argocd/projects';

/** A course's virtual clusters: the Application of their folder, and what they add to the students' pool. */
export function planVirtualClusters(
  clusterName: string,
  course: string,
  chart: VirtualClusterPlan['chart'],
  studentPods: { readonly extraNodes: number; readonly extraPerHour: number },
  awakeHours: number,
): VirtualClusterPlan {
  return {
    chart,
    application: virtualClustersApplicationName(course),
    path: `dist/${clusterName}/vclusters/${course}`,
    kubeconfigReaderRole: kubeconfigReaderRoleName(course),
    project: VIRTUAL_CLUSTERS_PROJECT,
    extraStudentNodes: studentPods.extraNodes,
    extraUsdPerWeek: Math.round(studentPods.extraPerHour * awakeHours * 100) / 100,
  };
}
