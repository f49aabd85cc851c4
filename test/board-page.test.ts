import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardCourse, event, workstationPod } from '../dev/board-objects';
import { BOARD_SCREENSHOT, repoExercises, startDemoBoard, writeBoardScreenshot, type DemoBoard } from '../dev/board-demo';
import { settled } from '../dev/kata-solutions/manifests';
import type { KubeObject } from '../dev/fake-kube-api';
import { launchChromium } from '../dev/chromium';

import { REPO_ROOT } from './support/repo';

// The board's page in headless Chromium, fed by the real informers and server from the
// stand-in API server. The login proxy in front of it names the user in X-Forwarded-User
// (oauth2-proxy overwrites that header, so a browser cannot send its own); here the browser
// context sends it as the proxy would.

const COURSE = boardCourse('kubernetes-katas', { title: 'Kubernetes katas', checks: repoExercises('kubernetes-katas') });
let board: DemoBoard;
let browser: Browser;

beforeAll(async () => {
  board = await startDemoBoard(COURSE, 12, { flushMs: 50 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await board?.close();
});

const pageAs = async (user: string | undefined) => {
  const context = await browser.newContext({ extraHTTPHeaders: user ? { 'x-forwarded-user': user } : {} });
  return context.newPage();
};

describe('the class board page', () => {
  it('shows every student with the state of their workstation, and the course summary', async () => {
    const page = await pageAs('trainer');
    await page.goto(`${board.url}/kubernetes-katas`);
    await page.waitForSelector('#status:text("live")');
    const states = await page.$$eval('#students tr', (rows) => rows.map((r) => [r.id, r.getAttribute('data-state')]));
    expect(states.slice(0, 8)).toEqual([
      ['student-s0001', 'waking'],
      ['student-s0002', 'pulling'],
      ['student-s0003', 'waking'],
      ['student-s0004', 'crash-looping'],
      ['student-s0005', 'image-failing'],
      ['student-s0006', 'evicted'],
      ['student-s0007', 'asleep'],
      ['student-s0008', 'ready'],
    ]);
    expect(await page.textContent('#count-ready')).toBe('5ready');
    expect(await page.textContent('#count-failing')).toBe('3failing');
    expect(await page.textContent('#student-s0001')).toContain('Insufficient memory');
    expect(await page.textContent('#student-s0008')).toContain('CrashLoopBackOff');
    expect(await page.textContent('#student-s0004')).toContain('exceeded quota');
    expect(await page.textContent('h1')).toBe('Kubernetes katas');
  });

  it('updates a row when the cluster changes, without a reload', async () => {
    const page = await pageAs('trainer');
    await page.goto(`${board.url}/kubernetes-katas`);
    await page.waitForSelector('#status:text("live")');
    await page.evaluate('window.loadedOnce = true');
    board.api.apply('/api/v1/pods', workstationPod('kubernetes-katas', 's0001', 'ready'));
    await page.waitForSelector('#student-s0001[data-state="ready"]', { timeout: 10_000 });
    expect(await page.textContent('#count-ready')).toBe('6ready');
    expect(await page.evaluate('window.loadedOnce')).toBe(true);
  });

  it("shows which exercises each student passes, and updates when a student's object changes", async () => {
    const page = await pageAs('trainer');
    await page.goto(`${board.url}/kubernetes-katas`);
    await page.waitForSelector('#status:text("live")');
    // Student 2 had applied the solutions of the first 7 exercises when the board listed them
    // (the typed client's objects, which CEL reads only as plain data).
    expect(await page.textContent('#student-s0002 .checks')).toContain('7/9');
    const box = '#student-s0001 [data-exercise="desired-state"]';
    // Student 1 has applied nothing yet (dev/board-demo.ts, kataProgress).
    expect(await page.getAttribute(box, 'data-passed')).toBe('false');
    expect(await page.getAttribute(box, 'title')).toContain('there is no Deployment "nginx"');
    const before = await page.textContent('#exercise-desired-state');
    const [nginx] = settled<KubeObject>([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'nginx', namespace: 'kubernetes-katas-s0001' },
        spec: { replicas: 1, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
      },
    ]);
    // Another student's namespace does not count for s0001.
    board.api.apply('/apis/apps/v1/deployments', {
      ...nginx,
      metadata: { ...nginx.metadata, namespace: 'kubernetes-katas-s0002' },
    });
    board.api.apply('/apis/apps/v1/deployments', nginx);
    await page.waitForSelector(`${box}[data-passed="true"]`, { timeout: 10_000 });
    expect(await page.textContent('#exercise-desired-state')).not.toBe(before);
    // Scaled to 0 by the student: no ready pod, and the board says so without a reload.
    board.api.apply('/apis/apps/v1/deployments', {
      ...nginx,
      spec: { ...(nginx.spec as object), replicas: 0 },
      status: { replicas: 0 },
    });
    await page.waitForSelector(`${box}[data-passed="false"]`, { timeout: 10_000 });
    expect(await page.getAttribute(box, 'title')).toContain('the Deployment nginx has no ready pod');
  });

  it("shows what students write as text: an event message cannot run in the trainer's browser", async () => {
    const page = await pageAs('trainer');
    await page.goto(`${board.url}/kubernetes-katas`);
    await page.waitForSelector('#status:text("live")');
    board.api.apply(
      '/api/v1/events',
      event(
        'kubernetes-katas-s0009',
        { kind: 'Pod', name: 'evil' },
        'Warning',
        'Injected',
        '<img src=x onerror="document.title=\'owned\'">',
        0,
      ),
    );
    await expect.poll(() => page.textContent('#student-s0009'), { timeout: 10_000 }).toContain('<img src=x');
    expect(await page.$$('#student-s0009 img')).toHaveLength(0);
    expect(await page.title()).not.toBe('owned');
  });

  it('refuses a student, and anyone the login proxy did not name', async () => {
    for (const user of ['ada-lovelace', undefined]) {
      const page = await pageAs(user);
      const response = await page.goto(`${board.url}/kubernetes-katas`);
      expect(response!.status()).toBe(403);
      expect(await page.textContent('h1')).toBe('This board is for the trainers');
      for (const path of ['/kubernetes-katas/events', '/kubernetes-katas/view', '/board.js', '/']) {
        expect((await page.request.get(`${board.url}${path}`)).status()).toBe(403);
      }
    }
  });

  it("is the trainer guide's screenshot, regenerated by npm run board:screenshot", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-board-shot-'));
    try {
      const file = path.join(dir, 'board.png');
      await writeBoardScreenshot(file, browser);
      const png = fs.readFileSync(file);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);
      const guide = path.join(REPO_ROOT, 'docs', 'trainer-guide.md');
      const link = path.relative(path.dirname(guide), path.join(REPO_ROOT, BOARD_SCREENSHOT)).split(path.sep).join('/');
      expect(fs.readFileSync(guide, 'utf8')).toContain(`](${link})`);
      expect(fs.existsSync(path.join(REPO_ROOT, BOARD_SCREENSHOT))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
