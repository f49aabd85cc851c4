/**
 * Kubernetes objects as the API server returns them for a dojo class, in every state the
 * class board knows: the fixtures of its tests, its bench and its screenshot. Shapes follow
 * the core/v1 API; the waiting reasons, event reasons and the scheduler's message are written
 * as kubectl shows them, from memory of Kubernetes' kubelet and scheduler, not re-read at a
 * pinned version.
 */
import type { BoardConfig, BoardCourse } from '../lib/contracts/board-config';
import type { KubeObject } from './fake-kube-api';

export const T0 = Date.parse('2026-11-24T08:30:00Z');
const at = (minutesBefore: number) => new Date(T0 - minutesBefore * 60000).toISOString();

export function boardCourse(name: string, overrides: Partial<BoardCourse> = {}): BoardCourse {
  return {
    name,
    title: name,
    namespace: name,
    studentNamespacePrefix: `${name}-`,
    isolation: 'namespace',
    archived: false,
    nodePools: [`course-${name}`, 'students'],
    healthPort: 4180,
    schedule: {
      timeZone: 'Europe/Copenhagen',
      weekdays: [1, 2, 3, 4, 5],
      windows: [{ start: 540, end: 960 }],
      firstDay: undefined,
      lastDay: undefined,
      daysOff: [],
    },
    checks: [],
    ...overrides,
  };
}

export function boardConfig(courses: readonly BoardCourse[]): BoardConfig {
  const checkKinds = [...new Set(courses.flatMap((c) => c.checks.flatMap((e) => e.kinds)))].sort();
  return { cluster: 'example', identityHeader: 'x-forwarded-user', trainers: ['trainer'], courses, checkKinds };
}

const labels = (course: string, student: string) => ({
  'app.kubernetes.io/managed-by': 'dojo',
  'app.kubernetes.io/component': 'workstation',
  'dojo.training/course': course,
  'dojo.training/student': student,
});

export function workstationSet(course: string, student: string, replicas: number, readyReplicas = 0): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: `ws-${student}`, namespace: course, labels: labels(course, student) },
    spec: { replicas, serviceName: `ws-${student}`, selector: { matchLabels: {} }, template: {} },
    status: { replicas, readyReplicas },
  };
}

export type PodState =
  'unscheduled' | 'pulling' | 'starting' | 'ready' | 'crash-looping' | 'image-failing' | 'evicted' | 'oom-killed';

/** A workstation pod (or, with `student` undefined, a student's own pod named `name`). */
export function pod(namespace: string, name: string, state: PodState, podLabels: Record<string, string> = {}): KubeObject {
  const scheduled = state !== 'unscheduled';
  const conditions = [
    scheduled
      ? { type: 'PodScheduled', status: 'True', lastTransitionTime: at(6) }
      : {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          lastTransitionTime: at(4),
          message:
            '0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {CriticalAddonsOnly: true}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
        },
    ...(scheduled
      ? [
          {
            type: 'Ready',
            status: state === 'ready' ? 'True' : 'False',
            reason: state === 'ready' ? undefined : 'ContainersNotReady',
            lastTransitionTime: at(state === 'ready' ? 3 : 5),
          },
        ]
      : []),
  ];
  const container = (() => {
    switch (state) {
      case 'crash-looping':
        return {
          name: 'app',
          ready: false,
          restartCount: 7,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app' } },
          lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: at(2) } },
        };
      case 'oom-killed':
        return {
          name: 'app',
          ready: true,
          restartCount: 2,
          state: { running: { startedAt: at(1) } },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: at(1) } },
        };
      case 'image-failing':
        return {
          name: 'app',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ngnix:latest"' } },
        };
      case 'ready':
        return { name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: at(3) } } };
      default:
        return { name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } };
    }
  })();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: podLabels, creationTimestamp: at(6) },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
    status:
      state === 'evicted'
        ? { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.', startTime: at(20) }
        : {
            phase: scheduled && state !== 'pulling' && state !== 'starting' ? 'Running' : 'Pending',
            conditions,
            containerStatuses: scheduled ? [container] : undefined,
          },
  };
}

export function workstationPod(course: string, student: string, state: PodState): KubeObject {
  return pod(course, `ws-${student}-0`, state, labels(course, student));
}

let eventCounter = 0;
export function event(
  namespace: string,
  involved: { kind: string; name: string },
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  minutesBefore = 1,
): KubeObject {
  eventCounter++;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${involved.name}.${eventCounter.toString(16).padStart(8, '0')}`, namespace },
    involvedObject: { kind: involved.kind, name: involved.name, namespace },
    type,
    reason,
    message,
    count: 1,
    lastTimestamp: at(minutesBefore),
  };
}

export function quota(namespace: string, used: Record<string, string>, hard: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'student-quota', namespace, labels: { 'app.kubernetes.io/managed-by': 'dojo' } },
    spec: { hard },
    status: { hard, used },
  };
}

export function node(name: string, pool: string, ready: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'karpenter.sh/nodepool': pool, 'node.kubernetes.io/instance-type': 'c6a.8xlarge' },
      creationTimestamp: at(40),
    },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at(ready ? 35 : 1) }] },
  };
}

export interface ClassObjects {
  readonly statefulSets: KubeObject[];
  readonly pods: KubeObject[];
  readonly events: KubeObject[];
  readonly quotas: KubeObject[];
  readonly nodes: KubeObject[];
}

/**
 * A class of `count` students (`s0001`...) in the morning: most ready, and one of every
 * other state, with kata pods, warnings and quota use in the student namespaces.
 */
export function morningClass(course: string, count: number, podsPerStudent = 2): ClassObjects {
  const objects: ClassObjects = { statefulSets: [], pods: [], events: [], quotas: [], nodes: [] };
  const special: PodState[] = ['unscheduled', 'pulling', 'starting', 'crash-looping', 'image-failing', 'evicted'];
  for (let i = 0; i < count; i++) {
    const id = `s${String(i + 1).padStart(4, '0')}`;
    const state: PodState | 'asleep' = i < special.length ? special[i] : i === special.length ? 'asleep' : 'ready';
    objects.statefulSets.push(workstationSet(course, id, state === 'asleep' ? 0 : 1, state === 'ready' ? 1 : 0));
    if (state !== 'asleep') objects.pods.push(workstationPod(course, id, state));
    if (state === 'pulling') {
      objects.events.push(
        event(
          course,
          { kind: 'Pod', name: `ws-${id}-0` },
          'Normal',
          'Pulling',
          'Pulling image "ghcr.io/example-org/dojo-workstation:4.102.2-2-k8s1.34"',
        ),
      );
    }
    const ns = `${course}-${id}`;
    for (let k = 0; k < podsPerStudent; k++) {
      const kata: PodState =
        i % 10 === 7 && k === 0
          ? 'crash-looping'
          : i % 10 === 8 && k === 0
            ? 'oom-killed'
            : i % 10 === 9 && k === 0
              ? 'image-failing'
              : 'ready';
      objects.pods.push(pod(ns, `kata-${k}`, kata));
      if (kata === 'image-failing') {
        objects.events.push(
          event(ns, { kind: 'Pod', name: `kata-${k}` }, 'Warning', 'Failed', 'Failed to pull image "ngnix:latest": not found'),
        );
      }
    }
    if (i % 10 === 3) {
      objects.events.push(
        event(
          ns,
          { kind: 'ReplicaSet', name: 'web-7d9f' },
          'Warning',
          'FailedCreate',
          'Error creating: pods "web-7d9f-x2" is forbidden: exceeded quota: student-quota, requested: pods=1, used: pods=20, limited: pods=20',
        ),
      );
    }
    objects.quotas.push(
      quota(
        ns,
        { pods: String(i % 10 === 3 ? 20 : podsPerStudent), 'requests.cpu': '500m', 'requests.memory': '1Gi' },
        { pods: '20', 'requests.cpu': '2', 'requests.memory': '4Gi' },
      ),
    );
  }
  const nodes = Math.max(1, Math.ceil(count / 27));
  for (let n = 0; n < nodes; n++) objects.nodes.push(node(`ip-10-0-${n}-1.ec2.internal`, `course-${course}`, true));
  objects.nodes.push(node('ip-10-0-9-9.ec2.internal', 'students', count > 1));
  return objects;
}
