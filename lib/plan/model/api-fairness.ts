/** The plan of how the API server shares its capacity between students and everything else. */

/** A ServiceAccount, or with name `*` every ServiceAccount of the namespace. */
export interface ServiceAccountSubject {
  readonly namespace: string;
  readonly name: string;
}

/** A FlowSchema that puts the requests of some ServiceAccounts in a priority level of their own. */
export interface FlowSchemaPlan {
  readonly name: string;
  /** Lower is matched first; the built-in `service-accounts` FlowSchema is 9000. */
  readonly matchingPrecedence: number;
  readonly priorityLevel: string;
  readonly serviceAccounts: readonly ServiceAccountSubject[];
}

/** A priority level whose requests queue fairly, one queue per user, in a share of the API server. */
export interface PriorityLevelPlan {
  readonly name: string;
  /** Its share of the API server's concurrency, against the built-in levels' (workload-low: 100). */
  readonly nominalConcurrencyShares: number;
  readonly queues: number;
  readonly handSize: number;
  readonly queueLengthLimit: number;
}
