/**
 * What the class board knows from dist/: the courses of its cluster and who may open it.
 * synth writes this as JSON into the board's ConfigMap (lib/plan/class-board/class-board.ts); the
 * students themselves the board learns from the cluster, by the labels of their workstations.
 */
import type { CheckExercise, CheckKind } from './checks';

export interface BoardConfig {
  readonly cluster: string;
  /** The login proxy in front of the board names the signed-in user in this header (oauth2-proxy's own). */
  readonly identityHeader: 'x-forwarded-user' | 'x-forwarded-email';
  /** The user names (password login) or e-mail addresses (OIDC) of the trainers: nobody else gets a page. */
  readonly trainers: readonly string[];
  /** Sorted by name. */
  readonly courses: readonly BoardCourse[];
  /**
   * The kinds the courses' checks read, sorted: the board watches each besides WATCHED_KINDS
   * (and may list and watch it), and no other. Never Secrets (lib/contracts/checks.ts).
   */
  readonly checkKinds: readonly CheckKind[];
}

export interface BoardCourse {
  readonly name: string;
  readonly title: string;
  /** Where the workstations live. */
  readonly namespace: string;
  /** Each student's own namespace is this prefix and their id; undefined when the course gives none. */
  readonly studentNamespacePrefix: string | undefined;
  readonly isolation: 'namespace' | 'vcluster';
  readonly archived: boolean;
  /** The Karpenter NodePools whose nodes the summary counts. */
  readonly nodePools: readonly string[];
  /** Port of each workstation's Service where `/healthz` tells the IDE's last activity. */
  readonly healthPort: number;
  /** Undefined: always on. */
  readonly schedule: BoardSchedule | undefined;
  /**
   * The exercises the board checks in each student's namespace, in order. Empty in vcluster
   * mode: the students' objects live in their virtual clusters, which the board does not read.
   */
  readonly checks: readonly CheckExercise[];
}

export interface BoardSchedule {
  readonly timeZone: string;
  /** 0 = Sunday. */
  readonly weekdays: readonly number[];
  /** Daily windows in local time, [start, end) minutes of the day. */
  readonly windows: readonly { readonly start: number; readonly end: number }[];
  readonly firstDay: string | undefined;
  readonly lastDay: string | undefined;
  readonly daysOff: readonly string[];
}

/** The board's own namespace: synth puts it there, and the board need not watch its own objects. */
export const BOARD_NAMESPACE = 'dojo-board';

/**
 * Every kind the board watches, each with one watch for the whole cluster: the board's RBAC
 * grants list and watch on exactly these (lib/plan/class-board/class-board.ts), and its informers read
 * exactly these paths (board/watch.ts).
 */
export const WATCHED_KINDS = {
  statefulSets: { apiGroup: 'apps', resource: 'statefulsets', path: '/apis/apps/v1/statefulsets' },
  pods: { apiGroup: '', resource: 'pods', path: '/api/v1/pods' },
  events: { apiGroup: '', resource: 'events', path: '/api/v1/events' },
  quotas: { apiGroup: '', resource: 'resourcequotas', path: '/api/v1/resourcequotas' },
  nodes: { apiGroup: '', resource: 'nodes', path: '/api/v1/nodes' },
} as const;
