/**
 * The board's HTTP side: a page per course and a server-sent event stream that carries the
 * rows that changed. It listens on the pod's loopback only: the login proxy beside it is the
 * one way in, and it names the signed-in user in a header the proxy always overwrites
 * (oauth2-proxy v7.15.3, pkg/apis/options/legacy_options.go: PreserveRequestValue false).
 * The board still checks that user against the trainers: a student who signs in somehow
 * gets nothing.
 */
import * as http from 'http';
import type { BoardConfig } from '../lib/contracts/board-config';
import { courseView, indexObjects, type ClusterObjects, type CourseView, type StudentRow } from './model';
import { coursePage, forbiddenPage, indexPage, pageScript } from './page';

/** A patch carries only what changed since the last one the page got. */
export interface BoardPatch {
  readonly counts: CourseView['counts'];
  readonly nodes: CourseView['nodes'];
  readonly window: CourseView['window'];
  readonly exercises: CourseView['exercises'];
  readonly students: readonly StudentRow[];
  readonly removed: readonly string[];
}

export interface BoardServerOptions {
  /** The cluster's objects now. */
  readonly objects: () => ClusterObjects;
  /** Whether every informer has listed: until then /healthz says not ready. */
  readonly synced: () => boolean;
  readonly clock?: () => number;
  /** Changes are gathered for this long before a patch goes out: one patch per burst, not per event. */
  readonly flushMs?: number;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

interface CourseStream {
  readonly clients: Set<http.ServerResponse>;
  /** The view as its pages have it. */
  view: CourseView;
  /** Its rows as JSON, by student id, and its summary as JSON: what a patch is compared with. */
  rows: Map<string, string>;
  summary: string;
}

export class BoardServer {
  readonly server: http.Server;
  private readonly streams = new Map<string, CourseStream>();
  private dirty = false;
  private readonly timer: NodeJS.Timeout;
  private readonly clock: () => number;

  constructor(
    private readonly config: BoardConfig,
    private readonly options: BoardServerOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.timer = setInterval(() => this.flush(), options.flushMs ?? 500);
    this.timer.unref();
  }

  /** Something the board watches changed. */
  changed(): void {
    this.dirty = true;
  }

  listen(port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve) => this.server.listen(port, host, resolve));
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    for (const stream of this.streams.values()) for (const client of stream.clients) client.end();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The view of one course now. */
  view(course: string): CourseView | undefined {
    const spec = this.config.courses.find((c) => c.name === course);
    if (!spec) return undefined;
    const objects = this.options.objects();
    return courseView(spec, objects, indexObjects(objects), this.clock());
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://board');
    if (req.method !== 'GET') return this.send(res, 405, 'text/plain', 'read-only\n');
    // The kubelet's probe, let through by the proxy: ready once every informer has listed.
    if (url.pathname === '/healthz') {
      return this.options.synced() ? this.send(res, 200, 'text/plain', 'ok\n') : this.send(res, 503, 'text/plain', 'syncing\n');
    }
    const user = req.headers[this.config.identityHeader];
    if (typeof user !== 'string' || !this.config.trainers.includes(user.toLowerCase())) {
      return this.send(res, 403, 'text/html; charset=utf-8', forbiddenPage());
    }
    if (url.pathname === '/') return this.send(res, 200, 'text/html; charset=utf-8', indexPage(this.config));
    if (url.pathname === '/board.js') return this.send(res, 200, 'text/javascript; charset=utf-8', pageScript());
    const [, course, rest] = /^\/([a-z0-9-]+)(\/events|\/view)?$/.exec(url.pathname) ?? [];
    const view = course ? this.view(course) : undefined;
    if (!view) return this.send(res, 404, 'text/plain', 'no such course\n');
    if (rest === '/view') return this.send(res, 200, 'application/json', JSON.stringify(view));
    if (rest === '/events') return this.subscribe(course, view, res);
    return this.send(res, 200, 'text/html; charset=utf-8', coursePage(this.config, course));
  }

  private subscribe(course: string, view: CourseView, res: http.ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    let stream = this.streams.get(course);
    if (!stream) {
      stream = { clients: new Set(), view, rows: rowsOf(view), summary: summaryOf(view) };
      this.streams.set(course, stream);
    } else {
      // The newcomer starts from the view the others have, so that the next patch fits all;
      // whatever changed since comes with it.
      this.dirty = true;
    }
    res.write(`event: view\ndata: ${JSON.stringify(stream.view)}\n\n`);
    stream.clients.add(res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    res.on('close', () => {
      clearInterval(keepAlive);
      stream.clients.delete(res);
      if (stream.clients.size === 0) this.streams.delete(course);
    });
  }

  /** Sends each watched course's changed rows to its pages. */
  flush(): void {
    if (!this.dirty || this.streams.size === 0) return;
    this.dirty = false;
    const objects = this.options.objects();
    const index = indexObjects(objects);
    const now = this.clock();
    for (const [name, stream] of this.streams) {
      const spec = this.config.courses.find((c) => c.name === name);
      if (!spec) continue;
      const view = courseView(spec, objects, index, now);
      const rows = rowsOf(view);
      const students = view.students.filter((s) => stream.rows.get(s.id) !== rows.get(s.id));
      const removed = [...stream.rows.keys()].filter((id) => !rows.has(id));
      const summary = summaryOf(view);
      if (students.length === 0 && removed.length === 0 && summary === stream.summary) continue;
      Object.assign(stream, { view, rows, summary });
      const patch: BoardPatch = {
        counts: view.counts,
        nodes: view.nodes,
        window: view.window,
        exercises: view.exercises,
        students,
        removed,
      };
      const message = `event: patch\ndata: ${JSON.stringify(patch)}\n\n`;
      for (const client of stream.clients) client.write(message);
    }
  }

  private send(res: http.ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type });
    res.end(body);
  }
}

function rowsOf(view: CourseView): Map<string, string> {
  return new Map(view.students.map((s) => [s.id, JSON.stringify(s)]));
}

function summaryOf(view: CourseView): string {
  return JSON.stringify([view.counts, view.nodes, view.window, view.exercises]);
}
