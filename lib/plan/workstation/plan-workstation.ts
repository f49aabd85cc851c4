import type { HomeSizes } from '../../input/load/previous-output';
import type { ClusterSpec } from '../../input/schema/cluster';
import { imageRepository } from '../bootstrap/placeholders';
import { IDE_PORT, type CourseSpec } from '../../input/schema/course';
import { parseBytes } from '../../input/schema/quantity';
import type { Problem } from '../../common/problems';
import { CODE_SERVER_VERSION, WORKSTATION_IMAGE_REVISION } from '../../facts/versions';
import type { WorkstationPlan } from '../model/types';
import { courseIdOf } from '../model/object-names';
import { planWorkstationScheduling } from '../nodes/plan-nodes';

/** A course's workstation: image, size, home, ports and repos, and where it runs. */
export function planWorkstation(
  spec: CourseSpec,
  cluster: ClusterSpec,
  options: {
    /** Sorted, each once. */
    readonly appPorts: readonly number[];
    /** The home sizes the course had at the last synth. */
    readonly previousHomes: HomeSizes | undefined;
    /** The students' own workloads sleep and wake with the workstation. */
    readonly kataSleep: boolean;
  },
): WorkstationPlan {
  const { previousHomes } = options;
  return {
    image:
      spec.workstation.image ??
      `${imageRepository(cluster, 'workstation')}:${CODE_SERVER_VERSION}-${WORKSTATION_IMAGE_REVISION}-k8s${cluster.kubernetesVersion}`,
    // A course's own image is its trainer's, from wherever the trainer publishes it.
    ...(spec.workstation.image === undefined && cluster.images.pullSecret ? { imagePullSecret: cluster.images.pullSecret } : {}),
    cpu: spec.workstation.cpu,
    memory: spec.workstation.memory,
    homeSize: spec.workstation.homeSize,
    homeClaimTemplate: previousHomes?.claimTemplate ?? spec.workstation.homeSize,
    homeVolumes: previousHomes?.volumes ?? spec.workstation.homeSize,
    dockerStorage: spec.workstation.dockerStorage,
    resources: workstationResources(spec.workstation),
    idePort: IDE_PORT,
    appPorts: options.appPorts,
    repos: spec.workstation.repos.map((repo) =>
      typeof repo === 'string'
        ? { url: repo, directory: repoDirectory(repo) }
        : { url: repo.url, directory: repo.directory ?? repoDirectory(repo.url) },
    ),
    scheduling: planWorkstationScheduling(courseIdOf(spec)),
    kataSleep: options.kataSleep,
  };
}

/**
 * The IDE container's resources. Memory is requested and capped alike. Local disk: docker's
 * volume plus 4 GiB of its own (logs, /tmp); past that the kubelet evicts this one
 * workstation, never its neighbours. It requests 1 GiB: docker's volume is filled by use,
 * not reserved.
 */
function workstationResources(ws: { cpu: string; memory: string; dockerStorage: string }): WorkstationPlan['resources'] {
  const diskGiB = Math.ceil(parseBytes(ws.dockerStorage) / 2 ** 30) + 4;
  return {
    requests: { cpu: ws.cpu, memory: ws.memory, 'ephemeral-storage': '1Gi' },
    limits: { memory: ws.memory, 'ephemeral-storage': `${diskGiB}Gi` },
  };
}

/** Homes can grow (their claims are expanded), never shrink: EBS volumes do not. */
export function checkHomeSize(file: string, workstation: WorkstationPlan): Problem[] {
  if (parseBytes(workstation.homeSize) >= parseBytes(workstation.homeVolumes)) return [];
  return [
    {
      at: { file, path: ['workstation', 'homeSize'] },
      message: `is ${workstation.homeSize}, smaller than the ${workstation.homeVolumes} the home volumes already have: volumes cannot shrink`,
      hint: `keep homeSize at ${workstation.homeVolumes} or more (to start afresh with smaller homes, delete and re-create the course, which deletes every home)`,
    },
  ];
}

/** "https://github.com/org/kubernetes-katas.git" -> "kubernetes-katas". */
export function repoDirectory(url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'repo';
  return last.replace(/\.git$/, '') || 'repo';
}

export function checkWorkstation(file: string, spec: CourseSpec): Problem[] {
  const problems: Problem[] = [];
  const ports = spec.workstation.ports;
  ports.forEach((port, i) => {
    const first = ports.indexOf(port);
    if (first !== i) {
      problems.push({
        at: { file, path: ['workstation', 'ports', i] },
        also: { file, path: ['workstation', 'ports', first] },
        message: `${port} is listed twice`,
      });
    }
  });
  const directories = new Map<string, number>();
  spec.workstation.repos.forEach((repo, i) => {
    const directory = typeof repo === 'string' ? repoDirectory(repo) : (repo.directory ?? repoDirectory(repo.url));
    const first = directories.get(directory);
    if (first !== undefined) {
      problems.push({
        at: { file, path: ['workstation', 'repos', i] },
        also: { file, path: ['workstation', 'repos', first] },
        message: `clones into the folder "${directory}", as another repo does`,
        hint: 'give one of them a directory: { url: ..., directory: ... }',
      });
    } else {
      directories.set(directory, i);
    }
  });
  return problems;
}
