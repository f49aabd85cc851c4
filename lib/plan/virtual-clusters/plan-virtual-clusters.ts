import type { Problem } from '../../common/problems';
import { kubeconfigReaderRoleName, virtualClustersApplicationName } from '../model/object-names';
import type { VirtualClusterPlan } from '../model/virtual-clusters';
import { VIRTUAL_CLUSTERS_PROJECT } from '../argocd/projects';
import { virtualKubernetesImage } from './virtual-cluster';

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

/** vcluster mode needs an image of the virtual Kubernetes for the cluster's version. */
export function checkVirtualKubernetesImage(
  file: string,
  chart: VirtualClusterPlan['chart'],
  kubernetesVersion: string,
): Problem[] {
  if (virtualKubernetesImage(kubernetesVersion)) return [];
  return [
    {
      at: { file, path: ['kubernetes', 'isolation'] },
      message: `vcluster ${chart.version} has no Kubernetes image for the cluster's ${kubernetesVersion} in lib/facts/versions.ts`,
      hint: 'add the image vcluster maps for that version to VIRTUAL_KUBERNETES_IMAGES, or use isolation: namespace',
    },
  ];
}
