/**
 * The class board: one read-only web app per cluster that shows the trainers what every
 * student's environment is doing (board/ is the app). It lives in a platform namespace of
 * its own, watches the cluster with a ServiceAccount that may only list and watch what the
 * board shows, and is reached at `https://board.<domain>` through a login proxy (the same
 * oauth2-proxy as the IDEs, lib/plan/login/login.ts) that knows the trainers and nobody else.
 */
import { BOARD_NAMESPACE, WATCHED_KINDS, type BoardCourse } from '../../contracts/board-config';
import { CHECK_KINDS, type CheckKind } from '../../contracts/checks';
import type { ClusterSpec } from '../../input/schema/cluster';
import { imageRepository } from '../bootstrap/placeholders';
import type { Problem } from '../../common/problems';
import { BOARD_IMAGE_VERSION } from '../../facts/versions';
import { loadBalancerSubnets } from '../bootstrap/vpc';
import { loginRouteRules, signInLimits } from '../routing/sign-in-limits';
import { planLogin } from '../login/login';
import type { LoginMethod, StudentLogin } from '../model/login';
import { studentNamespace } from '../model/object-names';
import type { CoursePlan } from '../model/types';
import type { ClassBoardPlan } from '../model/class-board';

export const CLASS_BOARD = {
  namespace: BOARD_NAMESPACE,
  name: 'class-board',
  /** The board's own port, on the pod's loopback: only the login proxy reaches it. */
  port: 8080,
  configDir: '/etc/dojo-board',
  configFile: 'board.json',
  /** Trainers sign in to this host of the cluster's domain. */
  hostLabel: 'board',
  /** The label that selects the board's pod (its Service, and the workstations' NetworkPolicy). */
  podLabels: { 'app.kubernetes.io/name': 'class-board' },
} as const;

/** The board's sessions: a separate cookie from the IDEs', on its own host. */
export const BOARD_SESSION_COOKIE = '__Host-dojo-board';

/**
 * What the board reads: list and watch, nothing else, of exactly the kinds it watches (its
 * own and those the courses' checks read), by API group. Cluster-wide: Kubernetes RBAC cannot
 * narrow a list to a set of namespaces, and one watch per kind (not one per student
 * namespace) is what holds a class of 1,000.
 */
export function boardRules(
  checkKinds: readonly CheckKind[],
): { readonly apiGroup: string; readonly resources: readonly string[] }[] {
  const kinds = [...Object.values(WATCHED_KINDS), ...checkKinds.map((k) => CHECK_KINDS[k])];
  return [...new Set(kinds.map((k) => k.apiGroup))].sort().map((apiGroup) => ({
    apiGroup,
    resources: [...new Set(kinds.filter((k) => k.apiGroup === apiGroup).map((k) => k.resource))].sort(),
  }));
}
export const BOARD_VERBS = ['list', 'watch'] as const;

export function boardHost(domain: string): string {
  return `${CLASS_BOARD.hostLabel}.${domain}`;
}

/** alb mode: the IngressGroup of the board, one ALB per cluster. */
export const BOARD_ALB_GROUP = 'dojo-board';

/** gateway mode: the proxy's listener for the board host. */
export const BOARD_LISTENER = 'https-board';

/** The ACM certificate of the cluster that covers the board host, exactly or by the domain's wildcard. */
export function boardCertificate(
  domain: string,
  certificates: readonly { readonly arn: string; readonly domains: readonly string[] }[],
): string | undefined {
  const host = boardHost(domain);
  return certificates.find((c) => c.domains.includes(host) || c.domains.includes(`*.${domain}`))?.arn;
}

/**
 * The board of a cluster whose file names trainers. Trainers are identified as the proxy names
 * them: by user name on a password login, by e-mail address with OIDC.
 */
export function planClassBoard(
  cluster: ClusterSpec,
  loginMethod: LoginMethod,
  courses: readonly CoursePlan[],
  studentNodePool: string | undefined,
  trainerHash: (trainerId: string) => string | undefined,
): ClassBoardPlan | undefined {
  const trainers = cluster.board?.trainers;
  if (!trainers) return undefined;
  const host = boardHost(cluster.domain);
  const redirectURL = `https://${host}/oauth2/callback`;
  const oidc = loginMethod.kind === 'oidc';
  const identities = trainers.map((t) => (oidc ? (t.email ?? '').toLowerCase() : t.id));
  const trainerLogin: StudentLogin = oidc
    ? { username: CLASS_BOARD.name, email: identities.join('\n'), redirectURL }
    : {
        username: CLASS_BOARD.name,
        htpasswd: trainers.map((t) => `${t.id}:${trainerHash(t.id) ?? ''}\n`).join(''),
        redirectURL,
      };
  const certificateArn = boardCertificate(cluster.domain, cluster.routing.certificates);
  const limits = signInLimits(CLASS_BOARD.namespace);
  const boardCourses = courses.map((c) => boardCourse(c, studentNodePool));
  const checkKinds = [...new Set(boardCourses.flatMap((c) => c.checks.flatMap((e) => e.kinds)))].sort();
  return {
    namespace: CLASS_BOARD.namespace,
    name: CLASS_BOARD.name,
    host,
    image: `${imageRepository(cluster, 'board')}:${BOARD_IMAGE_VERSION}`,
    ...(cluster.images.pullSecret ? { imagePullSecret: cluster.images.pullSecret } : {}),
    login: planLogin(loginMethod, CLASS_BOARD.port, BOARD_SESSION_COOKIE),
    trainerLogin,
    config: {
      cluster: cluster.name,
      identityHeader: oidc ? 'x-forwarded-email' : 'x-forwarded-user',
      trainers: identities,
      courses: boardCourses,
      checkKinds,
    },
    rules: boardRules(checkKinds),
    routing:
      cluster.routing.mode === 'alb'
        ? {
            mode: 'alb',
            group: BOARD_ALB_GROUP,
            certificateArn: certificateArn ?? '',
            sourceRanges: loadBalancerSubnets(cluster),
            ...(cluster.routing.webAclArn ? { webAclArn: cluster.routing.webAclArn } : {}),
          }
        : { mode: 'gateway', listener: BOARD_LISTENER, signInLimits: limits, rules: loginRouteRules(limits) },
  };
}

function boardCourse(course: CoursePlan, studentNodePool: string | undefined): BoardCourse {
  const schedule = course.schedule;
  return {
    name: course.name,
    title: course.title,
    namespace: course.namespace,
    studentNamespacePrefix: course.kubernetes.access !== 'none' ? studentNamespace(course.name, '') : undefined,
    // The board tells a virtual cluster's pods apart; a course without namespaces has none to show.
    isolation: course.kubernetes.access === 'vcluster' ? 'vcluster' : 'namespace',
    archived: course.archived,
    // The students' pool is the cluster's: a course page counts its nodes too, as its
    // students' pods land there.
    nodePools: [course.nodePool.name, ...(course.studentCapacity && studentNodePool ? [studentNodePool] : [])],
    healthPort: course.login.port,
    schedule: schedule && {
      timeZone: schedule.timeZone,
      weekdays: schedule.weekdays,
      windows: schedule.windows,
      firstDay: schedule.days?.first,
      lastDay: schedule.days?.last,
      daysOff: schedule.daysOff,
    },
    checks: course.kubernetes.access === 'namespace' ? course.checks : [],
  };
}

/** Every trainer needs a credential for the board, as students do for their IDE. */
export function checkTrainerLogins(
  file: string,
  cluster: ClusterSpec,
  hashOf: (trainerId: string) => string | undefined,
): Problem[] {
  const trainers = cluster.board?.trainers ?? [];
  if (cluster.login.oidc) {
    return trainers.flatMap((t, i) =>
      t.email
        ? []
        : [
            {
              at: { file, path: ['board', 'trainers', i] },
              message: `trainer "${t.id}" has no email`,
              hint: `cluster "${cluster.name}" signs in with OIDC: give each trainer the address the identity provider knows`,
            },
          ],
    );
  }
  return trainers.flatMap((t, i) =>
    !hashOf(t.id)
      ? [
          {
            at: { file, path: ['board', 'trainers', i] },
            message: `trainer "${t.id}" has no password`,
            hint: `run: npm run passwords -- --board ${cluster.name}`,
          },
        ]
      : [],
  );
}
