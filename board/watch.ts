/**
 * The board's eyes: one informer per kind for the whole cluster (list, then watch), never one
 * per student, so that 1,000 students cost five watches (and one more per kind the courses'
 * checks read). Label selectors narrow what dojo
 * labels (workstations, quotas, Karpenter's nodes); students' own pods and the events carry
 * no label of dojo's, so those two are read cluster-wide and the model keeps what lies in a
 * course's namespaces. Checked against @kubernetes/client-node 1.4.0 (dist/cache.js: ListWatch
 * passes both selectors to list and watch, and lists again when a watch ends).
 */
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  NetworkingV1Api,
  KubeConfig,
  ListWatch,
  Watch,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { BOARD_NAMESPACE, WATCHED_KINDS, type BoardConfig } from '../lib/contracts/board-config';
import { kindPath, type CheckKind } from '../lib/contracts/checks';
import { NODE_POOL_LABEL, WORKSTATION_SELECTOR, type ClusterObjects } from './model';

const DOJO_SELECTOR = 'app.kubernetes.io/managed-by=dojo';
/** After a watch fails (API server restart, lost connection), list again after this pause. */
const RETRY_MS = 5000;
/** How often the workstations' /healthz is read: code-server beats once a minute at most. */
export const ACTIVITY_INTERVAL_MS = 30_000;
const ACTIVITY_TIMEOUT_MS = 3000;
const ACTIVITY_CONCURRENCY = 16;

export interface ClusterWatchOptions {
  /** Where a workstation's /healthz is: its Service, through the login proxy that lets /healthz alone through. */
  readonly healthURL?: (namespace: string, service: string, port: number) => string;
  readonly activityIntervalMs?: number;
}

export class ClusterWatch {
  private readonly informers: { [K in keyof Omit<ClusterObjects, 'activity' | 'checked'>]: ListWatch<KubernetesObject> };
  /** The kinds the courses' checks read, students' objects everywhere (pods are the informer above's). */
  private readonly checked = new Map<CheckKind, ListWatch<KubernetesObject>>();
  private readonly activity = new Map<string, number>();
  private activityTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    kubeConfig: KubeConfig,
    private readonly config: BoardConfig,
    private readonly onChange: () => void,
    private readonly options: ClusterWatchOptions = {},
  ) {
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const watch = new Watch(kubeConfig);
    const informer = (
      path: string,
      list: () => Promise<KubernetesListObject<KubernetesObject>>,
      labelSelector?: string,
      fieldSelector?: string,
    ) => {
      const lw = new ListWatch<KubernetesObject>(path, watch, list, false, labelSelector, fieldSelector);
      for (const verb of ['add', 'update', 'delete'] as const) lw.on(verb, () => this.onChange());
      // A list or watch that fails (RBAC, a restarting API server) is said in the log, where the
      // platform engineer looks, and tried again; the board is not ready until every kind has listed.
      lw.on('error', (error?: unknown) => {
        if (this.stopped) return;
        console.error(`class board: ${path}: ${describeError(error)}; again in ${RETRY_MS / 1000} s`);
        setTimeout(() => void lw.start().catch(() => undefined), RETRY_MS);
      });
      return lw;
    };
    this.informers = {
      statefulSets: informer(
        WATCHED_KINDS.statefulSets.path,
        () => apps.listStatefulSetForAllNamespaces({ labelSelector: WORKSTATION_SELECTOR }),
        WORKSTATION_SELECTOR,
      ),
      pods: informer(WATCHED_KINDS.pods.path, () => core.listPodForAllNamespaces()),
      events: informer(WATCHED_KINDS.events.path, () => core.listEventForAllNamespaces()),
      quotas: informer(
        WATCHED_KINDS.quotas.path,
        () => core.listResourceQuotaForAllNamespaces({ labelSelector: DOJO_SELECTOR }),
        DOJO_SELECTOR,
      ),
      nodes: informer(WATCHED_KINDS.nodes.path, () => core.listNode({ labelSelector: NODE_POOL_LABEL }), NODE_POOL_LABEL),
    };
    const networking = kubeConfig.makeApiClient(NetworkingV1Api);
    const autoscaling = kubeConfig.makeApiClient(AutoscalingV2Api);
    // The board's RBAC cannot leave them out, but it need not hold dojo's own objects of these
    // kinds (the workstations' login ConfigMaps hold the students' password hashes): the
    // courses' and the board's namespaces are not listed.
    const fieldSelector = [...config.courses.map((c) => c.namespace), BOARD_NAMESPACE]
      .map((ns) => `metadata.namespace!=${ns}`)
      .join(',');
    const notDojo = { fieldSelector };
    const lists: Record<Exclude<CheckKind, 'pods'>, () => Promise<KubernetesListObject<KubernetesObject>>> = {
      deployments: () => apps.listDeploymentForAllNamespaces(notDojo),
      statefulsets: () => apps.listStatefulSetForAllNamespaces(notDojo),
      services: () => core.listServiceForAllNamespaces(notDojo),
      configmaps: () => core.listConfigMapForAllNamespaces(notDojo),
      persistentvolumeclaims: () => core.listPersistentVolumeClaimForAllNamespaces(notDojo),
      ingresses: () => networking.listIngressForAllNamespaces(notDojo),
      horizontalpodautoscalers: () => autoscaling.listHorizontalPodAutoscalerForAllNamespaces(notDojo),
    };
    for (const kind of config.checkKinds) {
      if (kind !== 'pods') this.checked.set(kind, informer(kindPath(kind), lists[kind], undefined, fieldSelector));
    }
  }

  private all(): ListWatch<KubernetesObject>[] {
    return [...Object.values(this.informers), ...this.checked.values()];
  }

  /** Every kind has been listed (a watch is under way or being resumed). */
  synced(): boolean {
    return this.all().every((i) => i.latestResourceVersion() !== '');
  }

  /** Lists every kind, then watches; resolves when each has listed or failed (see synced). */
  async start(): Promise<void> {
    await Promise.all(this.all().map((i) => i.start()));
    this.onChange();
    const poll = () => {
      void this.readActivity().finally(() => {
        if (!this.stopped) this.activityTimer = setTimeout(poll, this.options.activityIntervalMs ?? ACTIVITY_INTERVAL_MS);
      });
    };
    poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.activityTimer);
    await Promise.all(this.all().map((i) => i.stop()));
  }

  objects(): ClusterObjects {
    const list = <T>(key: keyof typeof this.informers) => this.informers[key].list() as unknown as T[];
    return {
      statefulSets: list('statefulSets'),
      pods: list('pods'),
      events: list('events'),
      quotas: list('quotas'),
      nodes: list('nodes'),
      checked: Object.fromEntries(
        [...this.checked].map(([kind, informer]) => [kind, informer.list() as unknown as KubernetesObject[]]),
      ),
      activity: this.activity,
    };
  }

  /** Reads each awake workstation's last heartbeat; a workstation that does not answer keeps its last value. */
  private async readActivity(): Promise<void> {
    const ports = new Map(this.config.courses.map((c) => [c.namespace, c.healthPort]));
    const targets = this.objects().statefulSets.filter(
      (s) => (s.spec?.replicas ?? 1) > 0 && (s.status?.readyReplicas ?? 0) > 0 && ports.has(s.metadata?.namespace ?? ''),
    );
    const url = this.options.healthURL ?? ((ns, svc, port) => `http://${svc}.${ns}.svc:${port}/healthz`);
    let changed = false;
    const queue = [...targets];
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        const namespace = s.metadata!.namespace!;
        const name = s.metadata!.name!;
        const beat = await lastHeartbeat(url(namespace, name, ports.get(namespace)!));
        const key = `${namespace}/${name}`;
        if (beat !== undefined && beat !== this.activity.get(key)) {
          this.activity.set(key, beat);
          changed = true;
        }
      }
    };
    await Promise.all(Array.from({ length: ACTIVITY_CONCURRENCY }, worker));
    if (changed) this.onChange();
  }
}

/**
 * code-server's /healthz: `{"status":"alive"|"expired","lastHeartbeat":<ms>}` (src/node/routes/health.ts, v4.102),
 * about 50 bytes. The workstation is the student's: the board follows no redirect it gives and
 * reads no more than HEALTH_BODY_LIMIT bytes of what it answers.
 */
async function lastHeartbeat(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(ACTIVITY_TIMEOUT_MS), redirect: 'manual' });
    if (response.status !== 200 || !response.body) return undefined;
    const text = await readAtMost(response.body, HEALTH_BODY_LIMIT);
    if (text === undefined) return undefined;
    const body = JSON.parse(text) as { lastHeartbeat?: unknown };
    return typeof body.lastHeartbeat === 'number' && body.lastHeartbeat > 0 ? body.lastHeartbeat : undefined;
  } catch {
    return undefined;
  }
}

/** The largest /healthz answer the board reads. */
export const HEALTH_BODY_LIMIT = 4096;

/** The stream as text, or undefined (and the stream cancelled) once it passes `limit` bytes. */
export async function readAtMost(stream: ReadableStream<Uint8Array>, limit: number): Promise<string | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The API server's status and reason ("403 Forbidden: ..."), from the list's or the watch's error. */
function describeError(error: unknown): string {
  const e = (error ?? {}) as { code?: number; statusCode?: number; body?: unknown; message?: string };
  const status = e.code ?? e.statusCode;
  let reason: string | undefined;
  try {
    const body = (typeof e.body === 'string' ? JSON.parse(e.body) : e.body) as { reason?: string; message?: string } | undefined;
    reason = [body?.reason, body?.message].filter(Boolean).join(': ') || undefined;
  } catch {
    reason = undefined;
  }
  return [status, reason ?? String(e.message ?? error).split('\n')[0]].filter(Boolean).join(' ');
}
