/** The plan of a course's class hours, compiled to the triggers and windows the cluster uses. */

/** A KEDA cron trigger: active from `start` until `end`, both cron in the schedule's own time zone. */
export interface CronRange {
  readonly start: string;
  readonly end: string;
}

/** A Karpenter disruption budget window: cron in UTC (Karpenter knows no other zone) and a duration. */
export interface UtcWindow {
  readonly schedule: string;
  readonly duration: string;
}

export interface CompiledSchedule {
  readonly timeZone: string;
  /** Daily windows in local time, as [start, end) minutes of the day. */
  readonly windows: readonly { readonly start: number; readonly end: number }[];
  /** Days of the week with class, 0 = Sunday, sorted. */
  readonly weekdays: readonly number[];
  /** Dates without class. */
  readonly daysOff: readonly string[];
  readonly workstationTriggers: readonly CronRange[];
  readonly prewarmTriggers: readonly CronRange[];
  /** vcluster mode: the students' control planes, up with the pre-warm and until their workloads sleep. */
  readonly virtualClusterTriggers: readonly CronRange[];
  /** When the NodePool must not be disrupted: pre-warm start to window end, in UTC. */
  readonly protectedWindows: readonly UtcWindow[];
  /** Awake hours in a week of the pattern (weekdays x windows). */
  readonly hoursPerWeek: number;
  /** Pre-warm hours per week, on top of the awake ones. */
  readonly prewarmHoursPerWeek: number;
  /** First and last day of class; undefined for a schedule that repeats every week. */
  readonly days?: { readonly first: string; readonly last: string };
  /** Human summary of the days and windows in local time (zone not named), and in UTC per offset the class days see. */
  readonly localSummary: string;
  readonly utcSummary: readonly string[];
}
