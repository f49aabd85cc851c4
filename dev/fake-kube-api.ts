/**
 * A stand-in for the Kubernetes API server's list and watch, enough for the informers of
 * @kubernetes/client-node: the class board's tests and bench run its real watch code against
 * it, with no cluster. A list answers the objects and a resourceVersion; a watch stays open
 * and gets a line of JSON per change, as the API server sends them.
 */
import * as http from 'http';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeObject {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** The collections the board reads: its own, and those of the kinds checks may read (lib/contracts/checks.ts). */
export const BOARD_PATHS = [
  '/apis/apps/v1/statefulsets',
  '/api/v1/pods',
  '/api/v1/events',
  '/api/v1/resourcequotas',
  '/api/v1/nodes',
  '/apis/apps/v1/deployments',
  '/api/v1/services',
  '/api/v1/configmaps',
  '/api/v1/persistentvolumeclaims',
  '/apis/networking.k8s.io/v1/ingresses',
  '/apis/autoscaling/v2/horizontalpodautoscalers',
] as const;
export type BoardPath = (typeof BOARD_PATHS)[number];

export class FakeKubeApi {
  private readonly server: http.Server;
  private readonly collections = new Map<string, Map<string, KubeObject>>();
  private readonly watchers = new Map<
    string,
    Set<{ res: http.ServerResponse; selector: string | null; fields: string | null }>
  >();
  private version = 1;
  /** Requests served, by path and kind ("list" or "watch"). */
  readonly requests: string[] = [];
  /** Collections this API refuses to list and watch, as RBAC does without a grant. */
  readonly forbidden = new Set<BoardPath>();

  constructor(objects: Partial<Record<BoardPath, readonly KubeObject[]>> = {}) {
    for (const path of BOARD_PATHS) {
      this.collections.set(path, new Map((objects[path] ?? []).map((o) => [key(o), o])));
      this.watchers.set(path, new Set());
    }
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  kubeConfig(server: string): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server, skipTLSVerify: true }],
      users: [{ name: 'board' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'board' }],
      currentContext: 'fake',
    });
    return kc;
  }

  /** Adds or replaces an object and tells the watchers. */
  apply(path: BoardPath, object: KubeObject): void {
    const collection = this.collections.get(path)!;
    const type = collection.has(key(object)) ? 'MODIFIED' : 'ADDED';
    collection.set(key(object), object);
    this.notify(path, type, object);
  }

  remove(path: BoardPath, object: KubeObject): void {
    if (this.collections.get(path)!.delete(key(object))) this.notify(path, 'DELETED', object);
  }

  close(): Promise<void> {
    for (const set of this.watchers.values()) for (const w of set) w.res.end();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private notify(path: string, type: string, object: KubeObject): void {
    this.version++;
    const withVersion = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.version) } };
    for (const w of this.watchers.get(path)!) {
      if (matches(object, w.selector) && matchesFields(object, w.fields))
        w.res.write(`${JSON.stringify({ type, object: withVersion })}\n`);
    }
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const collection = this.collections.get(url.pathname);
    if (!collection) {
      res.writeHead(404).end();
      return;
    }
    if (this.forbidden.has(url.pathname as BoardPath)) {
      res
        .writeHead(403, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden' }));
      return;
    }
    const selector = url.searchParams.get('labelSelector');
    const fields = url.searchParams.get('fieldSelector');
    if (url.searchParams.get('watch') === 'true') {
      this.requests.push(`watch ${url.pathname}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      const watcher = { res, selector, fields };
      this.watchers.get(url.pathname)!.add(watcher);
      req.on('close', () => this.watchers.get(url.pathname)!.delete(watcher));
      return;
    }
    this.requests.push(`list ${url.pathname}`);
    const items = [...collection.values()].filter((o) => matches(o, selector) && matchesFields(o, fields));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: String(this.version) }, items }));
  }
}

function key(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** Equality (`a=b`) and existence (`a`) terms, joined by commas: what the board asks for. */
function matches(o: KubeObject, selector: string | null): boolean {
  if (!selector) return true;
  const labels = o.metadata.labels ?? {};
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return v === undefined ? k in labels : labels[k] === v;
  });
}

/** `metadata.namespace!=x` terms, joined by commas: the field selector the board asks for. */
function matchesFields(o: KubeObject, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [field, value] = term.split('!=');
    if (field !== 'metadata.namespace' || value === undefined) throw new Error(`field selector ${term}: not served here`);
    return o.metadata.namespace !== value;
  });
}
