import { describe, expect, it } from 'vitest';
import type { V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { courseView, indexObjects, podProblems, workstationState, type ClusterObjects } from '../board/model';
import { nextWindow } from '../board/schedule';
import { ClusterWatch } from '../board/watch';
import { WATCHED_KINDS } from '../lib/contracts/board-config';
import { FakeKubeApi } from '../dev/fake-kube-api';
import { classApi, repoExercises } from '../dev/board-demo';
import { kindPath } from '../lib/contracts/checks';
import {
  boardConfig,
  boardCourse,
  event,
  morningClass,
  node,
  pod,
  T0,
  workstationPod,
  workstationSet,
  type ClassObjects,
} from '../dev/board-objects';

// The class board's model on recorded objects (the API server's JSON, as the informers hold
// it) and on watch events through the real informers against a stand-in API server.

const COURSE = boardCourse('k8s');
const asObjects = (o: ClassObjects, activity = new Map<string, number>()): ClusterObjects =>
  ({ ...o, activity }) as unknown as ClusterObjects;
const view = (o: ClassObjects, activity?: Map<string, number>) => {
  const objects = asObjects(o, activity);
  return courseView(COURSE, objects, indexObjects(objects), T0);
};
const sts = (replicas: number) => workstationSet('k8s', 'ada', replicas) as unknown as V1StatefulSet;
const wsPod = (state: Parameters<typeof workstationPod>[2]) => workstationPod('k8s', 'ada', state) as unknown as V1Pod;

describe('a workstation state', () => {
  it('is asleep when the schedule scaled it to zero, waking when scaled up and no pod has a node', () => {
    expect(workstationState(COURSE, sts(0), undefined).state).toBe('asleep');
    expect(workstationState(COURSE, sts(1), undefined)).toMatchObject({ state: 'waking', detail: 'no pod yet' });
    const waking = workstationState(COURSE, sts(1), wsPod('unscheduled'));
    expect(waking.state).toBe('waking');
    expect(waking.detail).toContain('0/3 nodes are available: 1 Insufficient memory');
    expect(waking.since).toBe(new Date(T0 - 4 * 60000).toISOString());
  });

  it('is pulling the image while the kubelet says Pulling, starting after, ready with the Ready condition', () => {
    const pulling = new Map([
      ['k8s/ws-ada-0', event('k8s', { kind: 'Pod', name: 'ws-ada-0' }, 'Normal', 'Pulling', 'Pulling image "x"') as never],
    ]);
    expect(workstationState(COURSE, sts(1), wsPod('pulling'), pulling)).toMatchObject({
      state: 'pulling',
      detail: 'Pulling image "x"',
    });
    const pulled = new Map([
      ['k8s/ws-ada-0', event('k8s', { kind: 'Pod', name: 'ws-ada-0' }, 'Normal', 'Pulled', 'done') as never],
    ]);
    expect(workstationState(COURSE, sts(1), wsPod('starting'), pulled)).toMatchObject({
      state: 'waking',
      detail: 'ContainerCreating',
    });
    expect(workstationState(COURSE, sts(1), wsPod('ready'))).toMatchObject({ state: 'ready', detail: undefined });
  });

  it('names crash loops with the last exit, image failures with the kubelet message, and evictions', () => {
    expect(workstationState(COURSE, sts(1), wsPod('crash-looping'))).toMatchObject({
      state: 'crash-looping',
      detail: 'app: Error (exit 1): back-off 5m0s restarting failed container=app',
    });
    expect(workstationState(COURSE, sts(1), wsPod('image-failing')).detail).toBe(
      'app: ImagePullBackOff: Back-off pulling image "ngnix:latest"',
    );
    expect(workstationState(COURSE, sts(1), wsPod('evicted'))).toMatchObject({
      state: 'evicted',
      detail: 'The node was low on resource: memory.',
    });
  });

  it('is archived for an archived course, whatever the cluster still has', () => {
    expect(workstationState({ archived: true }, sts(1), wsPod('ready')).state).toBe('archived');
  });
});

describe("a student's pods", () => {
  it('report Pending with the scheduler message, ImagePullBackOff, CrashLoopBackOff and OOMKilled; healthy and finished pods nothing', () => {
    const problem = (state: Parameters<typeof pod>[2]) => podProblems(pod('k8s-ada', 'web', state) as unknown as V1Pod);
    expect(problem('unscheduled')).toEqual([
      expect.objectContaining({
        pod: 'web',
        reason: 'Pending: Unschedulable',
        message: expect.stringContaining('Insufficient memory'),
      }),
    ]);
    expect(problem('image-failing')[0]).toMatchObject({ reason: 'ImagePullBackOff' });
    expect(problem('crash-looping')[0]).toMatchObject({ reason: 'CrashLoopBackOff' });
    expect(problem('oom-killed')[0]).toMatchObject({ reason: 'OOMKilled', message: 'app: restarted 2 times' });
    expect(problem('evicted')[0]).toMatchObject({ reason: 'Evicted' });
    expect(problem('ready')).toEqual([]);
    const done = pod('k8s-ada', 'job', 'ready') as unknown as V1Pod;
    expect(podProblems({ ...done, status: { phase: 'Succeeded' } })).toEqual([]);
  });

  it("show a virtual cluster's pods by the student's own names, not vcluster's host names", () => {
    const synced = pod('k8s-ada', 'web-x-default-x-vcluster', 'crash-looping') as unknown as V1Pod;
    synced.metadata!.annotations = { 'vcluster.loft.sh/object-name': 'web', 'vcluster.loft.sh/object-namespace': 'default' };
    expect(podProblems(synced)[0].pod).toBe('default/web');
  });
});

describe('a course page', () => {
  it('has a row per workstation with its state, the problems, warnings and quota of the student namespace, and the summary', () => {
    const objects = morningClass('k8s', 10);
    const activity = new Map([['k8s/ws-s0008', T0 - 90_000]]);
    const v = view(objects, activity);
    expect(v.students.map((s) => [s.id, s.state])).toEqual([
      ['s0001', 'waking'],
      ['s0002', 'pulling'],
      ['s0003', 'waking'],
      ['s0004', 'crash-looping'],
      ['s0005', 'image-failing'],
      ['s0006', 'evicted'],
      ['s0007', 'asleep'],
      ['s0008', 'ready'],
      ['s0009', 'ready'],
      ['s0010', 'ready'],
    ]);
    expect(v.counts).toEqual({ ready: 3, starting: 3, asleep: 1, failing: 3 });
    const row = (id: string) => v.students.find((s) => s.id === id)!;
    expect(row('s0008').lastActivity).toBe(new Date(T0 - 90_000).toISOString());
    expect(row('s0008').problems).toEqual([expect.objectContaining({ pod: 'kata-0', reason: 'CrashLoopBackOff' })]);
    expect(row('s0009').problems).toEqual([expect.objectContaining({ reason: 'OOMKilled' })]);
    expect(row('s0010').problems[0].reason).toBe('ImagePullBackOff');
    expect(row('s0010').warnings[0]).toMatchObject({ reason: 'Failed', object: 'Pod/kata-0' });
    expect(row('s0004').warnings[0]).toMatchObject({
      reason: 'FailedCreate',
      message: expect.stringContaining('exceeded quota'),
    });
    expect(row('s0004').quota.find((q) => q.resource === 'pods')).toMatchObject({ used: '20', hard: '20', share: 1 });
    expect(row('s0001').quota.find((q) => q.resource === 'requests.cpu')!.share).toBeCloseTo(0.25);
    expect(v.nodes.map((n) => [n.pool, n.ready])).toEqual([
      ['course-k8s', true],
      ['students', true],
    ]);
  });

  it("keeps other courses' and the platform's objects out", () => {
    const objects = morningClass('k8s', 2);
    objects.statefulSets.push(workstationSet('other', 'ada', 1, 1));
    objects.pods.push(pod('kube-system', 'coredns', 'crash-looping'), pod('other-ada', 'web', 'crash-looping'));
    objects.events.push(event('kube-system', { kind: 'Pod', name: 'coredns' }, 'Warning', 'BackOff', 'x'));
    objects.nodes.push(node('ip-system', 'system', true));
    const v = view(objects);
    expect(v.students.map((s) => s.id)).toEqual(['s0001', 's0002']);
    expect(v.students.flatMap((s) => s.problems.map((p) => p.pod))).not.toContain('coredns');
    expect(v.nodes.map((n) => n.name)).not.toContain('ip-system');
  });

  it('shows the most recent warnings first, three at most', () => {
    const objects = morningClass('k8s', 1);
    for (let m = 1; m <= 5; m++) {
      objects.events.push(event('k8s-s0001', { kind: 'Pod', name: `p${m}` }, 'Warning', `R${m}`, 'x', m));
    }
    expect(view(objects).students[0].warnings.map((w) => w.reason)).toEqual(['R1', 'R2', 'R3']);
  });

  it('holds a class of 1,000 students: every row, the counts adding up', () => {
    const v = view(morningClass('k8s', 1000));
    expect(v.students).toHaveLength(1000);
    expect(Object.values(v.counts).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(v.counts.asleep).toBe(1);
  });
});

describe('the next class window', () => {
  const schedule = COURSE.schedule!;
  it('is the window in progress, else the next on a class day, in the course time zone', () => {
    // 2026-11-24 is a Tuesday; Copenhagen is UTC+1 in November.
    expect(nextWindow(schedule, Date.parse('2026-11-24T09:00:00Z'))).toEqual({
      start: '2026-11-24T08:00:00.000Z',
      end: '2026-11-24T15:00:00.000Z',
      now: true,
    });
    expect(nextWindow(schedule, Date.parse('2026-11-27T16:00:00Z'))).toMatchObject({
      start: '2026-11-30T08:00:00.000Z',
      now: false,
    });
  });

  it('skips days off, starts on the first day, and ends after the last', () => {
    const dated = { ...schedule, firstDay: '2026-12-07', lastDay: '2026-12-09', daysOff: ['2026-12-08'] };
    expect(nextWindow(dated, Date.parse('2026-11-24T09:00:00Z'))).toMatchObject({ start: '2026-12-07T08:00:00.000Z' });
    expect(nextWindow(dated, Date.parse('2026-12-07T16:00:00Z'))).toMatchObject({ start: '2026-12-09T08:00:00.000Z' });
    expect(nextWindow(dated, Date.parse('2026-12-09T16:00:00Z'))).toBeUndefined();
  });
});

describe('the informers', () => {
  it('list and watch each kind once for the whole class, and a watch event changes the view', async () => {
    const objects = morningClass('k8s', 50);
    const api = classApi(objects);
    const server = await api.listen();
    let changes = 0;
    const watch = new ClusterWatch(api.kubeConfig(server), boardConfig([COURSE]), () => changes++, {
      healthURL: () => `${server}/no-such-workstation`,
    });
    try {
      await watch.start();
      const before = watch.objects();
      expect(before.statefulSets).toHaveLength(50);
      expect(courseView(COURSE, before, indexObjects(before), T0).students.find((s) => s.id === 's0001')!.state).toBe('waking');

      const changed = new Promise<void>((resolve) => {
        const start = changes;
        const poll = setInterval(() => {
          if (changes > start) {
            clearInterval(poll);
            resolve();
          }
        }, 5);
      });
      api.apply('/api/v1/pods', workstationPod('k8s', 's0001', 'ready'));
      await changed;
      const after = watch.objects();
      expect(courseView(COURSE, after, indexObjects(after), T0).students.find((s) => s.id === 's0001')!.state).toBe('ready');

      const paths = Object.values(WATCHED_KINDS).map((k) => k.path);
      expect([...new Set(api.requests)].sort()).toEqual(paths.flatMap((p) => [`list ${p}`, `watch ${p}`]).sort());
      expect(api.requests.filter((r) => r.startsWith('watch'))).toHaveLength(paths.length);
    } finally {
      await watch.stop();
      await api.close();
    }
  });

  it("watch the kinds the courses' checks read, besides dojo's own namespaces, and evaluate each student's on their own", async () => {
    const checked = boardCourse('k8s', { checks: repoExercises('kubernetes-katas') });
    const configMap = (namespace: string, name: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace },
      data: {},
    });
    const api = new FakeKubeApi({
      '/api/v1/configmaps': [
        configMap('k8s', 'ws-s0001-login'),
        configMap('dojo-board', 'class-board'),
        configMap('k8s-s0001', 'mine'),
      ],
    });
    const server = await api.listen();
    let changes = 0;
    const watch = new ClusterWatch(api.kubeConfig(server), boardConfig([checked]), () => changes++, {
      healthURL: () => `${server}/healthz`,
    });
    try {
      await watch.start();
      const held = () => (watch.objects().checked?.configmaps ?? []).map((c) => `${c.metadata?.namespace}`);
      expect(held()).toEqual(['k8s-s0001']);
      const start = changes;
      api.apply('/api/v1/configmaps', configMap('k8s', 'ws-s0002-login'));
      api.apply('/api/v1/configmaps', configMap('k8s-s0002', 'theirs'));
      await expect.poll(() => changes > start && held().length === 2).toBe(true);
      expect(held().sort()).toEqual(['k8s-s0001', 'k8s-s0002']);
      const checkPaths = boardConfig([checked])
        .checkKinds.filter((k) => k !== 'pods')
        .map(kindPath);
      expect(checkPaths.length).toBeGreaterThan(0);
      for (const p of checkPaths) expect(api.requests).toContain(`watch ${p}`);
      expect(api.requests.some((r) => r.endsWith('/secrets'))).toBe(false);
    } finally {
      await watch.stop();
      await api.close();
    }
  });

  it('are not ready while a kind cannot be listed, and say why in the log', async () => {
    const api = new FakeKubeApi();
    api.forbidden.add('/api/v1/events');
    const server = await api.listen();
    const logged: string[] = [];
    const error = console.error;
    console.error = (line: string) => logged.push(line);
    const watch = new ClusterWatch(api.kubeConfig(server), boardConfig([COURSE]), () => undefined, {
      healthURL: () => `${server}/none`,
    });
    try {
      await watch.start();
      expect(watch.synced()).toBe(false);
      expect(logged).toEqual(['class board: /api/v1/events: 403 Forbidden; again in 5 s']);
    } finally {
      console.error = error;
      await watch.stop();
      await api.close();
    }
  });

  /**
   * A class of ten on the fake API, whose workstations answer /healthz with `answer` (given each
   * request's path, which names the workstation), and a watch that reads them.
   */
  async function classWithHealth(answer: (url: string, res: import('http').ServerResponse) => void) {
    const objects = morningClass('k8s', 10);
    const api = new FakeKubeApi({ '/apis/apps/v1/statefulsets': objects.statefulSets });
    const server = await api.listen();
    const asked: string[] = [];
    const http = await import('http');
    const health = http.createServer((req, res) => {
      asked.push(req.url!);
      answer(req.url!, res);
    });
    await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
    const port = (health.address() as { port: number }).port;
    const watch = new ClusterWatch(api.kubeConfig(server), boardConfig([COURSE]), () => {}, {
      healthURL: (ns, svc, p) => `http://127.0.0.1:${port}/${ns}/${svc}/${p}/healthz`,
    });
    const close = async () => {
      await watch.stop();
      await api.close();
      health.close();
    };
    return { asked, watch, close };
  }
  const beat = (extra: Record<string, string> = {}) => JSON.stringify({ status: 'alive', lastHeartbeat: T0 - 60_000, ...extra });

  it("read each awake workstation's last IDE activity from its /healthz", async () => {
    const { asked, watch, close } = await classWithHealth((_url, res) => res.end(beat()));
    try {
      await watch.start();
      await expect.poll(() => watch.objects().activity.size).toBe(3);
      // Only the ready ones: s0008..s0010 (asleep and starting workstations are not asked).
      expect(asked.sort()).toEqual(['/k8s/ws-s0008/4180/healthz', '/k8s/ws-s0009/4180/healthz', '/k8s/ws-s0010/4180/healthz']);
      expect(watch.objects().activity.get('k8s/ws-s0008')).toBe(T0 - 60_000);
    } finally {
      await close();
    }
  });

  it("follows no redirect of a student's workstation and reads no more than a small answer", async () => {
    const { asked, watch, close } = await classWithHealth((url, res) => {
      if (url.includes('ws-s0008')) res.writeHead(302, { Location: '/elsewhere' }).end();
      else if (url.includes('ws-s0009')) res.end(beat({ padding: 'x'.repeat(1024 * 1024) }));
      else res.end(beat());
    });
    try {
      await watch.start();
      // One whole round: the three ready workstations asked, and their answers taken in.
      await expect.poll(() => asked.filter((u) => u.endsWith('/healthz')).length).toBeGreaterThanOrEqual(3);
      await expect.poll(() => watch.objects().activity.size).toBe(1);
      await new Promise((r) => setTimeout(r, 200));
      expect([...watch.objects().activity.keys()]).toEqual(['k8s/ws-s0010']);
      expect(asked).not.toContain('/elsewhere');
    } finally {
      await close();
    }
  });
});
