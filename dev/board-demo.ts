/**
 * The class board as it runs in the cluster (its real informers and server), against the
 * stand-in API server holding a morning class: what the page test, the bench and the
 * trainer guide's screenshot open.
 */
import type { AddressInfo } from 'net';
import type { Browser } from 'playwright-core';
import type { BoardCourse } from '../lib/contracts/board-config';
import { kindPath, objectsByKind, type CheckExercise, type CheckKind } from '../lib/contracts/checks';
import { loadRepo } from '../lib/input/load/load-repo';
import { planCheckSets } from '../lib/plan/checks/checks';
import { settled, type Manifest } from './kata-solutions/manifests';
import { SOLUTIONS } from './kata-solutions/solutions';
import { REPO_ROOT } from './repo-root';
import { BoardServer } from '../board/server';
import { ClusterWatch } from '../board/watch';
import { boardConfig, boardCourse, morningClass, T0, type ClassObjects } from './board-objects';
import { FakeKubeApi, type BoardPath, type KubeObject } from './fake-kube-api';

export interface DemoBoard {
  /** The board's address, as the login proxy reaches it. */
  readonly url: string;
  readonly api: FakeKubeApi;
  readonly server: BoardServer;
  readonly objects: ClassObjects;
  close(): Promise<void>;
}

/** The stand-in API server holding a class's objects. */
export function classApi(objects: ClassObjects, katas: readonly KubeObject[] = []): FakeKubeApi {
  const byPath = new Map<string, KubeObject[]>();
  for (const [kind, list] of Object.entries(objectsByKind(katas as readonly { kind?: string }[])) as [CheckKind, KubeObject[]][])
    byPath.set(kindPath(kind), list);
  return new FakeKubeApi({
    ...(Object.fromEntries(byPath) as Partial<Record<BoardPath, KubeObject[]>>),
    '/apis/apps/v1/statefulsets': [...objects.statefulSets, ...(byPath.get(kindPath('statefulsets')) ?? [])],
    '/api/v1/pods': [...objects.pods, ...(byPath.get(kindPath('pods')) ?? [])],
    '/api/v1/events': objects.events,
    '/api/v1/resourcequotas': objects.quotas,
    '/api/v1/nodes': objects.nodes,
  });
}

/** The exercises of the repo's check set `set` (checks/<set>.yaml). */
export function repoExercises(set: string): readonly CheckExercise[] {
  return planCheckSets(loadRepo(REPO_ROOT).checkSets).sets.get(set) ?? [];
}

/**
 * A class mid-way through the katas: the i-th student has applied the reference solutions of
 * the first few exercises (a different number each), settled, in their namespace. A later
 * exercise's objects replace an earlier one's of the same name, as they would in class.
 */
export function kataProgress(course: BoardCourse, students: number): KubeObject[] {
  const solutions = course.checks.map((e) => SOLUTIONS[e.set]?.[e.id]?.objects ?? []);
  const objects: KubeObject[] = [];
  for (let i = 0; i < students; i++) {
    const namespace = `${course.studentNamespacePrefix}s${String(i + 1).padStart(4, '0')}`;
    const done = (i * 7) % (solutions.length + 1);
    const mine = new Map<string, Manifest>();
    for (const o of settled(solutions.slice(0, done).flat())) mine.set(`${o.kind}/${o.metadata.name}`, o);
    for (const o of mine.values()) objects.push({ ...o, metadata: { ...o.metadata, namespace } } as KubeObject);
  }
  return objects;
}

export async function startDemoBoard(
  course: BoardCourse,
  students: number,
  options: { clock?: () => number; flushMs?: number; podsPerStudent?: number } = {},
): Promise<DemoBoard> {
  const objects = morningClass(course.name, students, options.podsPerStudent);
  const api = classApi(objects, kataProgress(course, students));
  const apiURL = await api.listen();
  const config = boardConfig([course]);
  const holder: { server?: BoardServer } = {};
  // Nothing answers /healthz here: the workstations' activity stays unknown.
  const watch = new ClusterWatch(api.kubeConfig(apiURL), config, () => holder.server?.changed(), {
    healthURL: () => `${apiURL}/healthz`,
  });
  const server = new BoardServer(config, {
    objects: () => watch.objects(),
    synced: () => watch.synced(),
    clock: options.clock,
    flushMs: options.flushMs,
  });
  holder.server = server;
  await server.listen(0);
  await watch.start();
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    api,
    server,
    objects,
    async close() {
      await server.close();
      await watch.stop();
      await api.close();
    },
  };
}

/** The picture of the class board in docs/trainer-guide.md. */
export const BOARD_SCREENSHOT = 'docs/class-board.png';

/**
 * The board of the example course on a morning with one student in each state, as Chromium
 * shows it to a trainer, at a fixed clock so that the picture changes only with the page.
 */
export async function writeBoardScreenshot(file: string, browser: Browser): Promise<void> {
  const course = boardCourse('kubernetes-katas', { title: 'Kubernetes katas', checks: repoExercises('kubernetes-katas') });
  const board = await startDemoBoard(course, 25, { clock: () => T0 });
  try {
    const context = await browser.newContext({
      extraHTTPHeaders: { 'x-forwarded-user': 'trainer' },
      viewport: { width: 1400, height: 900 },
      locale: 'en-GB',
      timezoneId: 'Europe/Copenhagen',
    });
    await context.addInitScript(`Date.now = () => ${T0};`);
    const page = await context.newPage();
    await page.goto(`${board.url}/kubernetes-katas`);
    await page.waitForSelector('#status:text("live")');
    await page.screenshot({ path: file, fullPage: false });
    await context.close();
  } finally {
    await board.close();
  }
}
