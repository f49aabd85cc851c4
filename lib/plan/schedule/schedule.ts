import { WEEKDAYS, type ScheduleSpec } from '../../input/schema/course';
import { VIRTUAL_CLUSTER_SLEEP_DELAY_MINUTES } from '../virtual-clusters/virtual-cluster';
import { datesBetween, offsetsInYear, utcOffsetMinutes, weekdayOf, zonedToUtc } from '../../common/time-zone';
import type { UtcWindow, CompiledSchedule } from '../model/schedule';

/**
 * Placeholders leave this long before a window opens, so that the workstations find their nodes
 * warm and empty. Karpenter does not count on preemption: with placeholders still there it made
 * nodes for the workstations waiting on them, and for the placeholders they preempted, which then
 * stayed empty until the window closed (seen on a real 1.34 control plane with Karpenter's kwok
 * provider, test/cluster/scheduling). KEDA's cron scaler reaches zero a cooldown (60 s) after its
 * range ends; the window's disruption budget keeps the empty nodes until the class comes.
 */
export const PREWARM_HANDOVER_MINUTES = 3;
/** The shortest pre-warm lead that still warms the nodes before the handover. */
const MIN_PREWARM_LEAD_MINUTES = 10;
/** A recurring (undated) schedule protects class hours under every UTC offset its zone has in this year. */
const REFERENCE_YEAR = 2026;

type Path = (string | number)[];

export interface ScheduleProblem {
  readonly path: Path;
  readonly message: string;
  readonly also?: Path;
  readonly hint?: string;
}

/** Compiles a course schedule, or says every way it is wrong. Pure: no clock, no environment. */
export function compileSchedule(spec: ScheduleSpec): { schedule?: CompiledSchedule; problems: ScheduleProblem[] } {
  const problems: ScheduleProblem[] = [];
  const windows = spec.hours.map(parseWindow);
  windows.forEach((w, i) => {
    if (w.end <= w.start) problems.push({ path: ['hours', i], message: `"${spec.hours[i]}" ends before it starts` });
  });
  const order = windows.map((w, i) => ({ ...w, i })).sort((a, b) => a.start - b.start);
  for (let k = 1; k < order.length; k++) {
    const [before, after] = [order[k - 1], order[k]];
    if (after.start < before.end && before.end > before.start) {
      problems.push({
        path: ['hours', after.i],
        also: ['hours', before.i],
        message: `"${spec.hours[after.i]}" overlaps "${spec.hours[before.i]}"`,
      });
    }
  }
  const lead = parseDuration(spec.prewarm.lead);
  if (lead < MIN_PREWARM_LEAD_MINUTES) {
    problems.push({
      path: ['prewarm', 'lead'],
      message: `"${spec.prewarm.lead}" is too short: the placeholders leave ${PREWARM_HANDOVER_MINUTES} minutes before class, and the nodes need time to start before that`,
      hint: `give ${MIN_PREWARM_LEAD_MINUTES}m or more`,
    });
  }
  if (order[0] && order[0].start - lead < 0) {
    problems.push({
      path: ['prewarm', 'lead'],
      message: `"${spec.prewarm.lead}" before ${clock(order[0].start)} starts on the day before`,
      hint: 'shorten the lead time',
    });
  }
  for (let k = 1; k < order.length; k++) {
    const gap = order[k].start - order[k - 1].end;
    if (gap >= 0 && lead > gap) {
      problems.push({
        path: ['prewarm', 'lead'],
        message: `"${spec.prewarm.lead}" is longer than the ${gap} minutes between "${spec.hours[order[k - 1].i]}" and "${spec.hours[order[k].i]}"`,
        hint: 'shorten the lead time, or join the two windows',
      });
    }
  }
  const classDays = planClassDays(spec, problems);
  if (problems.length > 0) return { problems };

  const sorted = order.map(({ start, end }) => ({ start, end }));
  const weekdays = [...new Set(spec.weekdays.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
  const days = classDays ? byMonth(classDays) : undefined;
  const cron = (minute: number, daySpec: string) => `${minute % 60} ${Math.floor(minute / 60)} ${daySpec}`;
  const daySpecs = days ? [...days].map(([month, doms]) => `${ranges(doms)} ${month} *`) : [`* * ${ranges(weekdays)}`];
  const triggers = (from: (w: { start: number; end: number }) => number, to: (w: { start: number; end: number }) => number) =>
    sorted.flatMap((w) => daySpecs.map((d) => ({ start: cron(from(w), d), end: cron(to(w), d) })));
  const minutesPerDay = sorted.reduce((sum, w) => sum + (w.end - w.start), 0);
  const offsets = classDays
    ? [...new Set(classDays.map((d) => utcOffsetMinutes(spec.timeZone, zonedToUtc(d, 12 * 60, spec.timeZone))))].sort(
        (a, b) => a - b,
      )
    : offsetsInYear(spec.timeZone, REFERENCE_YEAR);
  return {
    problems,
    schedule: {
      timeZone: spec.timeZone,
      windows: sorted,
      weekdays,
      daysOff: spec.daysOff,
      workstationTriggers: triggers(
        (w) => w.start,
        (w) => w.end,
      ),
      prewarmTriggers: triggers(
        (w) => w.start - lead,
        (w) => w.start - PREWARM_HANDOVER_MINUTES,
      ),
      virtualClusterTriggers: triggers(
        (w) => w.start - lead,
        (w) => Math.min(w.end + VIRTUAL_CLUSTER_SLEEP_DELAY_MINUTES, 24 * 60 - 1),
      ),
      protectedWindows: classDays
        ? datedProtection(classDays, sorted, lead, spec.timeZone)
        : recurringProtection(weekdays, sorted, lead, offsets),
      hoursPerWeek: (weekdays.length * minutesPerDay) / 60,
      days: classDays ? { first: spec.firstDay!, last: spec.lastDay! } : undefined,
      prewarmHoursPerWeek: (weekdays.length * sorted.length * lead) / 60,
      localSummary: `${dayNames(weekdays)} ${sorted.map((w) => `${clock(w.start)}-${clock(w.end)}`).join(', ')}`,
      utcSummary: offsets.map(
        (offset) =>
          `${sorted.map((w) => `${clock(w.start - offset)}-${clock(w.end - offset)}`).join(', ')} UTC (at UTC${offset >= 0 ? '+' : '-'}${clock(Math.abs(offset))})`,
      ),
    },
  };
}

/** The dates with class, or undefined for a schedule that repeats every week. */
function planClassDays(spec: ScheduleSpec, problems: ScheduleProblem[]): string[] | undefined {
  const { firstDay, lastDay } = spec;
  if (firstDay === undefined && lastDay === undefined) {
    spec.daysOff.forEach((_, i) =>
      problems.push({ path: ['daysOff', i], message: 'needs firstDay and lastDay: a weekly schedule has no dates' }),
    );
    return undefined;
  }
  if (firstDay === undefined || lastDay === undefined) {
    problems.push({
      path: [firstDay === undefined ? 'lastDay' : 'firstDay'],
      message: 'needs its partner: give both firstDay and lastDay, or neither',
    });
    return undefined;
  }
  if (lastDay < firstDay) {
    problems.push({ path: ['lastDay'], also: ['firstDay'], message: `"${lastDay}" is before firstDay "${firstDay}"` });
    return undefined;
  }
  const all = datesBetween(firstDay, lastDay);
  if (all.length > 366) {
    // Cron has no year: a schedule longer than a year would repeat itself.
    problems.push({
      path: ['lastDay'],
      message: `makes the course ${all.length} days long; a schedule covers at most a year`,
      hint: 'split it into two courses',
    });
    return undefined;
  }
  spec.daysOff.forEach((day, i) => {
    if (day < firstDay || day > lastDay)
      problems.push({ path: ['daysOff', i], message: `"${day}" is outside firstDay to lastDay` });
  });
  const weekdays = new Set(spec.weekdays.map((d) => WEEKDAYS.indexOf(d)));
  const days = all.filter((d) => weekdays.has(weekdayOf(d)) && !spec.daysOff.includes(d));
  if (days.length === 0) problems.push({ path: ['weekdays'], message: 'leave no class day between firstDay and lastDay' });
  return days;
}

function datedProtection(
  classDays: readonly string[],
  windows: readonly { start: number; end: number }[],
  lead: number,
  timeZone: string,
): UtcWindow[] {
  const groups = new Map<string, { minute: number; month: number; duration: number; days: number[] }>();
  for (const day of classDays) {
    for (const w of windows) {
      const start = new Date(zonedToUtc(day, w.start - lead, timeZone));
      const duration = (zonedToUtc(day, w.end, timeZone) - start.getTime()) / 60000;
      const minute = start.getUTCHours() * 60 + start.getUTCMinutes();
      const month = start.getUTCMonth() + 1;
      const key = `${minute}/${month}/${duration}`;
      const group = groups.get(key) ?? { minute, month, duration, days: [] };
      group.days.push(start.getUTCDate());
      groups.set(key, group);
    }
  }
  return [...groups.values()]
    .sort((a, b) => a.month - b.month || a.minute - b.minute || a.duration - b.duration)
    .map((g) => ({
      schedule: `${g.minute % 60} ${Math.floor(g.minute / 60)} ${ranges(g.days)} ${g.month} *`,
      duration: formatDuration(g.duration),
    }));
}

/** Without dates, the UTC time of a local window moves with DST: protect it under every offset. */
function recurringProtection(
  weekdays: readonly number[],
  windows: readonly { start: number; end: number }[],
  lead: number,
  offsets: readonly number[],
): UtcWindow[] {
  const result = new Map<string, UtcWindow>();
  for (const offset of offsets) {
    for (const w of windows) {
      const utcStart = w.start - lead - offset;
      const shift = Math.floor(utcStart / 1440);
      const minute = utcStart - shift * 1440;
      const days = weekdays.map((d) => (((d + shift) % 7) + 7) % 7).sort((a, b) => a - b);
      const window = {
        schedule: `${minute % 60} ${Math.floor(minute / 60)} * * ${ranges(days)}`,
        duration: formatDuration(w.end - w.start + lead),
      };
      result.set(`${window.schedule}/${window.duration}`, window);
    }
  }
  return [...result.values()];
}

function byMonth(days: readonly string[]): Map<number, number[]> {
  const months = new Map<number, number[]>();
  for (const day of days) {
    const [, month, dom] = day.split('-').map(Number);
    months.set(month, [...(months.get(month) ?? []), dom]);
  }
  return months;
}

/** [1, 2, 3, 5] -> "1-3,5": the compact cron list. */
export function ranges(values: readonly number[]): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return parts.join(',');
}

function parseWindow(window: string): { start: number; end: number } {
  const [start, end] = window.split('-').map((t) => {
    const [h, m] = t.split(':').map(Number);
    return h * 60 + m;
  });
  return { start, end };
}

/** "1h30m" -> 90. */
export function parseDuration(duration: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(duration)!;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}` || '0m';
}

function clock(minuteOfDay: number): string {
  const m = ((minuteOfDay % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function dayNames(days: readonly number[]): string {
  return ranges(days).replace(/\d/g, (d) => WEEKDAYS[Number(d)]);
}

/**
 * When class is, for the students' slips, in the course's own time zone:
 * "mon-fri 09:00-12:00, 13:00-16:30 (Europe/Copenhagen time), 2026-12-07 to 2026-12-11 except 2026-12-09".
 */
export function classTimes(schedule: CompiledSchedule | undefined): string {
  if (!schedule) return 'any time: the workstation never sleeps';
  const days = schedule.days ? `${schedule.days.first} to ${schedule.days.last}` : 'every week';
  const off = schedule.daysOff.length > 0 ? ` except ${schedule.daysOff.join(', ')}` : '';
  return `${schedule.localSummary} (${schedule.timeZone} time), ${days}${off}`;
}

/**
 * The Monday to Friday after `today` (YYYY-MM-DD; a Monday gives the next one): the class week
 * a new course starts with, so that it never runs every week by default.
 */
export function nextClassWeek(today: string): { firstDay: string; lastDay: string } {
  const daysToMonday = (8 - weekdayOf(today)) % 7 || 7;
  const [y, m, d] = today.split('-').map(Number);
  const day = (offset: number) => new Date(Date.UTC(y, m - 1, d + offset)).toISOString().slice(0, 10);
  return { firstDay: day(daysToMonday), lastDay: day(daysToMonday + 4) };
}

/**
 * A dated course whose last day is before `today` (YYYY-MM-DD): cron has no year, so its
 * schedule would wake every workstation again on the same dates next year. A warning, not an
 * error: the trainer may be about to archive it, and a PR must not turn red overnight.
 */
export function pastScheduleWarning(
  course: { readonly file: string; readonly schedule?: CompiledSchedule },
  today: string,
): string | undefined {
  const days = course.schedule?.days;
  if (!days || days.last >= today) return undefined;
  return (
    `warning: ${course.file}: the last day of class, ${days.last}, is past: its schedule wakes every workstation again on ` +
    `the same dates next year. Set archived: true (students keep their homes) or give the new dates.`
  );
}
