/** The plan of the trainers' class board. */
import type { BoardConfig } from '../../contracts/board-config';
import type { LoginPlan, StudentLogin } from './login';
import type { LoginRouteRule, SignInLimitsPlan } from './routing';

export type BoardRouting =
  | {
      readonly mode: 'gateway';
      readonly listener: string;
      /** The Middlewares the route's sign-in rule names, in the board's namespace. */
      readonly signInLimits: SignInLimitsPlan;
      /** The rules of the board's route to its login proxy. */
      readonly rules: readonly LoginRouteRule[];
    }
  | {
      readonly mode: 'alb';
      /** An IngressGroup (and ALB) of its own: the courses' groups are planned full. */
      readonly group: string;
      readonly certificateArn: string;
      readonly sourceRanges: readonly string[];
      /** The AWS WAF web ACL of its ALB (`routing.webAclArn`), if the cluster file names one. */
      readonly webAclArn?: string;
    };

export interface ClassBoardPlan {
  readonly namespace: string;
  readonly name: string;
  readonly host: string;
  readonly image: string;
  /** The Secret its pod pulls the image with (`images.pullSecret`), for a private registry. */
  readonly imagePullSecret?: string;
  readonly login: LoginPlan;
  /** What the board's login proxy checks: the trainers' htpasswd lines, or their e-mail addresses. */
  readonly trainerLogin: StudentLogin;
  /** The JSON the board reads. */
  readonly config: BoardConfig;
  /** List and watch of these, by API group: the kinds the board watches (lib/plan/class-board/class-board.ts). */
  readonly rules: readonly { readonly apiGroup: string; readonly resources: readonly string[] }[];
  readonly routing: BoardRouting;
}
