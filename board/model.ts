/**
 * The class board's view of a course, from the objects the board watches: pure, so that the
 * tests feed it recorded objects and watch events. Reasons are Kubernetes' own words (the
 * kubelet's waiting reasons, the scheduler's message, the events' reasons), as a trainer
 * would find them with kubectl.
 */
import type { CoreV1Event, V1Node, V1Pod, V1ResourceQuota, V1StatefulSet } from '@kubernetes/client-node';
import type { BoardCourse } from '../lib/contracts/board-config';
import { evaluateExercise, plainObjects, type CheckKind, type CheckObjects } from '../lib/contracts/checks';
import { nextWindow, type ClassWindow } from './schedule';

/** Labels dojo puts on a workstation's StatefulSet and pod (lib/plan/model/labels.ts). */
export const WORKSTATION_SELECTOR = 'app.kubernetes.io/managed-by=dojo,app.kubernetes.io/component=workstation';
export const COURSE_LABEL = 'dojo.training/course';
export const STUDENT_LABEL = 'dojo.training/student';
/** Karpenter's label on the nodes it launches. */
export const NODE_POOL_LABEL = 'karpenter.sh/nodepool';

export type WorkstationState =
  'asleep' | 'waking' | 'pulling' | 'ready' | 'crash-looping' | 'image-failing' | 'evicted' | 'archived';

/** How the course summary counts each state. */
export const STATE_GROUP: Record<WorkstationState, 'ready' | 'starting' | 'asleep' | 'failing'> = {
  ready: 'ready',
  waking: 'starting',
  pulling: 'starting',
  asleep: 'asleep',
  archived: 'asleep',
  'crash-looping': 'failing',
  'image-failing': 'failing',
  evicted: 'failing',
};

/** Everything the board watches, as the informers hold it, and what the workstations' /healthz said. */
export interface ClusterObjects {
  readonly statefulSets: readonly V1StatefulSet[];
  readonly pods: readonly V1Pod[];
  readonly events: readonly CoreV1Event[];
  readonly quotas: readonly V1ResourceQuota[];
  readonly nodes: readonly V1Node[];
  /** The other kinds the courses' checks read (pods are the list above), everywhere; none when no course has checks. */
  readonly checked?: Partial<Record<CheckKind, readonly { readonly metadata?: { readonly namespace?: string } }[]>>;
  /** code-server's last heartbeat (ms since the epoch) by `<namespace>/<workstation>`. */
  readonly activity: ReadonlyMap<string, number>;
}

export interface PodProblem {
  readonly pod: string;
  readonly reason: string;
  readonly message: string | undefined;
  /** ISO time the problem started, when Kubernetes says. */
  readonly since: string | undefined;
}

export interface WarningLine {
  readonly object: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly at: string | undefined;
}

export interface QuotaUse {
  readonly resource: string;
  readonly used: string;
  readonly hard: string;
  /** used / hard, 0..1 and beyond. */
  readonly share: number;
}

export interface StudentRow {
  readonly id: string;
  readonly state: WorkstationState;
  /** ISO time the state began, when Kubernetes says. */
  readonly since: string | undefined;
  /** Why, in Kubernetes' words, for every state but ready and asleep. */
  readonly detail: string | undefined;
  /** ISO time of the IDE's last heartbeat (code-server beats while a browser has it open). */
  readonly lastActivity: string | undefined;
  readonly restarts: number;
  /** Pods in the student's namespace (or synced from their virtual cluster) that are not healthy. */
  readonly problems: readonly PodProblem[];
  /** Newest first, at most WARNINGS_PER_STUDENT. */
  readonly warnings: readonly WarningLine[];
  readonly quota: readonly QuotaUse[];
  /** Each exercise of the course's checks, in order, as the student's namespace stands. */
  readonly exercises: readonly ExerciseLine[];
}

export interface ExerciseLine {
  readonly id: string;
  readonly passed: boolean;
  /** The first condition not met, in the check's words. */
  readonly message: string | undefined;
}

export interface NodeLine {
  readonly name: string;
  readonly pool: string;
  readonly ready: boolean;
  readonly since: string | undefined;
  readonly instanceType: string | undefined;
}

export interface CourseView {
  readonly name: string;
  readonly title: string;
  readonly counts: Readonly<Record<'ready' | 'starting' | 'asleep' | 'failing', number>>;
  readonly nodes: readonly NodeLine[];
  /** The window in progress or the next one; undefined for an always-on course or after its last day. */
  readonly window: ClassWindow | undefined;
  /** Sorted by student id. */
  readonly students: readonly StudentRow[];
  /** The course's checked exercises, in order, with how many students pass each. */
  readonly exercises: readonly { readonly id: string; readonly title: string; readonly passing: number }[];
}

export const WARNINGS_PER_STUDENT = 3;

/** Objects of a cluster, indexed once per refresh so that a course of 1,000 costs one pass. */
export interface ObjectIndex {
  readonly podsByNamespace: ReadonlyMap<string, readonly V1Pod[]>;
  readonly warningsByNamespace: ReadonlyMap<string, readonly CoreV1Event[]>;
  /** Newest "Pulling" or "Pulled" event per `<namespace>/<pod>`. */
  readonly pullByPod: ReadonlyMap<string, CoreV1Event>;
  readonly quotasByNamespace: ReadonlyMap<string, readonly V1ResourceQuota[]>;
  /** The objects checks read, by namespace and kind: a student's checks see their own namespace only. */
  readonly checkedByNamespace: ReadonlyMap<string, CheckObjects>;
}

export function indexObjects(objects: ClusterObjects): ObjectIndex {
  const group = <T>(items: readonly T[], key: (item: T) => string | undefined) => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const k = key(item);
      if (k === undefined) continue;
      const list = map.get(k);
      if (list) list.push(item);
      else map.set(k, [item]);
    }
    return map;
  };
  const pullByPod = new Map<string, CoreV1Event>();
  for (const event of objects.events) {
    if (event.reason !== 'Pulling' && event.reason !== 'Pulled') continue;
    if (event.involvedObject.kind !== 'Pod') continue;
    const key = `${event.involvedObject.namespace}/${event.involvedObject.name}`;
    const current = pullByPod.get(key);
    if (!current || eventTime(event) >= eventTime(current)) pullByPod.set(key, event);
  }
  const warnings = group(
    objects.events.filter((e) => e.type === 'Warning'),
    (e) => e.involvedObject.namespace ?? e.metadata.namespace,
  );
  for (const list of warnings.values()) list.sort((a, b) => compare(eventTime(b), eventTime(a)));
  const podsByNamespace = group(objects.pods, (p) => p.metadata?.namespace);
  const checkedByNamespace = new Map<string, Partial<Record<CheckKind, readonly unknown[]>>>();
  const checkedKinds = Object.entries(objects.checked ?? {}) as [CheckKind, readonly { metadata?: { namespace?: string } }[]][];
  for (const [kind, items] of [...checkedKinds, ['pods', objects.pods] as const]) {
    for (const [namespace, list] of group(items, (o) => o.metadata?.namespace)) {
      const entry = checkedByNamespace.get(namespace) ?? {};
      entry[kind] = list;
      checkedByNamespace.set(namespace, entry);
    }
  }
  return {
    podsByNamespace,
    warningsByNamespace: warnings,
    pullByPod,
    quotasByNamespace: group(objects.quotas, (q) => q.metadata?.namespace),
    checkedByNamespace,
  };
}

/** The page of one course: a row per workstation the cluster has, the summary above them. */
export function courseView(course: BoardCourse, objects: ClusterObjects, index: ObjectIndex, now: number): CourseView {
  const workstations = objects.statefulSets.filter(
    (s) => s.metadata?.namespace === course.namespace && s.metadata?.labels?.[COURSE_LABEL] === course.name,
  );
  const podOf = new Map<string, V1Pod>();
  for (const pod of index.podsByNamespace.get(course.namespace) ?? []) {
    const student = pod.metadata?.labels?.[STUDENT_LABEL];
    if (student && pod.metadata?.labels?.[COURSE_LABEL] === course.name) podOf.set(student, pod);
  }
  const students = workstations
    .map((sts) => {
      const id = sts.metadata?.labels?.[STUDENT_LABEL] ?? sts.metadata?.name ?? '';
      return studentRow(course, id, sts, podOf.get(id), objects.activity, index);
    })
    .sort((a, b) => compare(a.id, b.id));
  const counts = { ready: 0, starting: 0, asleep: 0, failing: 0 };
  for (const s of students) counts[STATE_GROUP[s.state]]++;
  const nodes = objects.nodes
    .filter((n) => course.nodePools.includes(n.metadata?.labels?.[NODE_POOL_LABEL] ?? ''))
    .map(nodeLine)
    .sort((a, b) => compare(a.pool, b.pool) || compare(a.name, b.name));
  return {
    name: course.name,
    title: course.title,
    counts,
    nodes,
    window: course.schedule && !course.archived ? nextWindow(course.schedule, now) : undefined,
    students,
    exercises: course.checks.map((e, i) => ({
      id: e.id,
      title: e.title,
      passing: students.filter((s) => s.exercises[i]?.passed).length,
    })),
  };
}

function studentRow(
  course: BoardCourse,
  id: string,
  sts: V1StatefulSet,
  pod: V1Pod | undefined,
  activity: ReadonlyMap<string, number>,
  index: ObjectIndex,
): StudentRow {
  const state = workstationState(course, sts, pod, index.pullByPod);
  const heartbeat = activity.get(`${course.namespace}/${sts.metadata?.name}`);
  const namespace = course.studentNamespacePrefix === undefined ? undefined : `${course.studentNamespacePrefix}${id}`;
  const restarts = (pod?.status?.containerStatuses ?? []).reduce((sum, c) => sum + c.restartCount, 0);
  return {
    id,
    ...state,
    lastActivity: heartbeat ? new Date(heartbeat).toISOString() : undefined,
    restarts,
    problems: namespace ? (index.podsByNamespace.get(namespace) ?? []).flatMap((p) => podProblems(p)) : [],
    warnings: namespace ? (index.warningsByNamespace.get(namespace) ?? []).slice(0, WARNINGS_PER_STUDENT).map(warningLine) : [],
    quota: namespace ? (index.quotasByNamespace.get(namespace) ?? []).flatMap(quotaUse) : [],
    // Evaluated here, from what the board watches with its own rights: nothing the student
    // runs in their IDE is asked, so nothing there can change what the trainer sees.
    exercises: exerciseLines(course, namespace, index),
  };
}

function exerciseLines(course: BoardCourse, namespace: string | undefined, index: ObjectIndex): ExerciseLine[] {
  if (course.checks.length === 0) return [];
  const objects = plainObjects((namespace && index.checkedByNamespace.get(namespace)) || {});
  return course.checks.map((exercise) => {
    const result = evaluateExercise(exercise, objects);
    return { id: exercise.id, passed: result.passed, message: result.passed ? undefined : result.failed.message };
  });
}

/**
 * A workstation's state. KEDA scales the StatefulSet to 0 outside class hours (asleep) and to
 * 1 for class; from then on the pod says where it is: waiting for a node (Karpenter is
 * launching one), pulling the image, ready, or failing as the kubelet reports it.
 */
export function workstationState(
  course: Pick<BoardCourse, 'archived'>,
  sts: V1StatefulSet,
  pod: V1Pod | undefined,
  pullByPod: ReadonlyMap<string, CoreV1Event> = new Map(),
): Pick<StudentRow, 'state' | 'since' | 'detail'> {
  if (course.archived) return { state: 'archived', since: undefined, detail: undefined };
  const replicas = sts.spec?.replicas ?? 1;
  if (!pod) {
    return replicas === 0
      ? { state: 'asleep', since: undefined, detail: undefined }
      : { state: 'waking', since: undefined, detail: 'no pod yet' };
  }
  const status = pod.status ?? {};
  const condition = (type: string) => status.conditions?.find((c) => c.type === type);
  if (status.reason === 'Evicted') return { state: 'evicted', since: iso(status.startTime), detail: status.message };
  if (pod.metadata?.deletionTimestamp) {
    return { state: replicas === 0 ? 'asleep' : 'waking', since: iso(pod.metadata.deletionTimestamp), detail: 'stopping' };
  }
  const containers = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const waiting = containers.find((c) => c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing');
  const waitingReason = waiting?.state?.waiting?.reason;
  if (waitingReason === 'CrashLoopBackOff') {
    const last = waiting?.lastState?.terminated;
    const why = last ? `${last.reason ?? 'exited'}${last.exitCode !== undefined ? ` (exit ${last.exitCode})` : ''}` : undefined;
    return {
      state: 'crash-looping',
      since: iso(last?.finishedAt),
      detail: `${waiting?.name}: ${[why, waiting?.state?.waiting?.message].filter(Boolean).join(': ')}`,
    };
  }
  if (waitingReason && IMAGE_FAILURES.has(waitingReason)) {
    return {
      state: 'image-failing',
      since: undefined,
      detail: `${waiting?.name}: ${waitingReason}: ${waiting?.state?.waiting?.message ?? ''}`.trim(),
    };
  }
  const ready = condition('Ready');
  if (ready?.status === 'True') return { state: 'ready', since: iso(ready.lastTransitionTime), detail: undefined };
  const scheduled = condition('PodScheduled');
  if (scheduled?.status !== 'True') {
    return {
      state: 'waking',
      since: iso(scheduled?.lastTransitionTime ?? pod.metadata?.creationTimestamp),
      detail: scheduled?.message ?? 'waiting for a node',
    };
  }
  const pull = pullByPod.get(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
  if (pull?.reason === 'Pulling') return { state: 'pulling', since: iso(eventTimeValue(pull)), detail: pull.message };
  return {
    state: 'waking',
    since: iso(scheduled.lastTransitionTime),
    detail: waitingReason ?? (ready?.reason === 'ContainersNotReady' ? 'starting the IDE' : ready?.reason),
  };
}

const IMAGE_FAILURES = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);
/** Waiting reasons that are a problem rather than a step of starting. */
const WAITING_PROBLEMS = new Set([
  ...IMAGE_FAILURES,
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/** What is wrong with a student's pod, if anything: the reasons a trainer would read in `kubectl get pods`. */
export function podProblems(pod: V1Pod): PodProblem[] {
  const status = pod.status ?? {};
  const name = displayName(pod);
  if (status.phase === 'Succeeded') return [];
  if (status.phase === 'Failed') {
    return [{ pod: name, reason: status.reason ?? 'Failed', message: status.message, since: iso(status.startTime) }];
  }
  const containers = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const problems: PodProblem[] = [];
  for (const c of containers) {
    const reason = c.state?.waiting?.reason;
    const lastExit = c.lastState?.terminated;
    if (reason && WAITING_PROBLEMS.has(reason)) {
      const oom = lastExit?.reason === 'OOMKilled' ? ' (last exit: OOMKilled)' : '';
      problems.push({
        pod: name,
        reason,
        message: `${c.name}${oom}: ${c.state?.waiting?.message ?? ''}`.replace(/: $/, ''),
        since: iso(lastExit?.finishedAt),
      });
    } else if (lastExit?.reason === 'OOMKilled' && c.restartCount > 0) {
      problems.push({
        pod: name,
        reason: 'OOMKilled',
        message: `${c.name}: restarted ${c.restartCount} times`,
        since: iso(lastExit.finishedAt),
      });
    }
  }
  if (problems.length > 0) return problems;
  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
  if (status.phase === 'Pending' && scheduled?.status === 'False') {
    return [
      {
        pod: name,
        reason: `Pending: ${scheduled.reason ?? 'not scheduled'}`,
        message: scheduled.message,
        since: iso(scheduled.lastTransitionTime),
      },
    ];
  }
  return [];
}

/**
 * vcluster names the pods it syncs `<name>-x-<namespace>-x-<vcluster>` and records the
 * student's own name in annotations (vcluster v0.36.1, pkg/util/translate): show that one.
 */
function displayName(pod: V1Pod): string {
  const annotations = pod.metadata?.annotations ?? {};
  const name = annotations['vcluster.loft.sh/object-name'];
  const namespace = annotations['vcluster.loft.sh/object-namespace'];
  return name ? `${namespace ? `${namespace}/` : ''}${name}` : (pod.metadata?.name ?? '');
}

function warningLine(event: CoreV1Event): WarningLine {
  const o = event.involvedObject;
  return {
    object: `${o.kind ?? ''}/${o.name ?? ''}`,
    reason: event.reason ?? '',
    message: (event.message ?? '').trim(),
    count: event.count ?? event.series?.count ?? 1,
    at: iso(eventTimeValue(event)),
  };
}

function quotaUse(quota: V1ResourceQuota): QuotaUse[] {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  return Object.keys(hard)
    .sort(compare)
    .map((resource) => {
      const limit = parseQuantity(hard[resource]);
      return {
        resource,
        used: used[resource] ?? '0',
        hard: hard[resource],
        share: limit > 0 ? parseQuantity(used[resource] ?? '0') / limit : 0,
      };
    });
}

function nodeLine(node: V1Node): NodeLine {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    name: node.metadata?.name ?? '',
    pool: node.metadata?.labels?.[NODE_POOL_LABEL] ?? '',
    ready: ready?.status === 'True',
    since: iso(ready?.lastTransitionTime ?? node.metadata?.creationTimestamp),
    instanceType: node.metadata?.labels?.['node.kubernetes.io/instance-type'],
  };
}

const SUFFIXES: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity as a number ("1500m" -> 1.5, "4Gi" -> 4294967296); only to compare used with hard. */
export function parseQuantity(quantity: string): number {
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(quantity.trim());
  if (!match) return 0;
  return Number(match[1]) * (SUFFIXES[match[2]] ?? 1);
}

/** Events carry their time in one of three fields, by API version and reporter. */
function eventTimeValue(event: CoreV1Event): Date | string | undefined {
  return (
    event.lastTimestamp ??
    event.series?.lastObservedTime ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata?.creationTimestamp
  );
}

function eventTime(event: CoreV1Event): string {
  return iso(eventTimeValue(event)) ?? '';
}

/** Objects from the API carry Dates; recorded fixtures, strings. */
function iso(value: Date | string | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
