/**
 * The class window in progress or next, for the course summary: the same calendar the
 * schedule compiles into KEDA triggers (lib/plan/schedule/schedule.ts), read at the board's clock.
 */
import { utcOffsetMinutes, weekdayOf, zonedToUtc } from '../lib/common/time-zone';
import type { BoardSchedule } from '../lib/contracts/board-config';

export interface ClassWindow {
  /** ISO instants. */
  readonly start: string;
  readonly end: string;
  /** The window has begun. */
  readonly now: boolean;
}

/** Looks this many days ahead: a weekly schedule always has a window within a week. */
const HORIZON_DAYS = 8;

export function nextWindow(schedule: BoardSchedule, now: number): ClassWindow | undefined {
  const today = localDate(schedule.timeZone, now);
  let first = today;
  if (schedule.firstDay && schedule.firstDay > today) first = schedule.firstDay;
  for (let i = 0; i < HORIZON_DAYS; i++) {
    const date = addDays(first, i);
    if (schedule.lastDay && date > schedule.lastDay) return undefined;
    if (!schedule.weekdays.includes(weekdayOf(date)) || schedule.daysOff.includes(date)) continue;
    for (const w of [...schedule.windows].sort((a, b) => a.start - b.start)) {
      const start = zonedToUtc(date, w.start, schedule.timeZone);
      const end = zonedToUtc(date, w.end, schedule.timeZone);
      if (end > now) return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), now: start <= now };
    }
  }
  return undefined;
}

function localDate(timeZone: string, utcMillis: number): string {
  return new Date(utcMillis + utcOffsetMinutes(timeZone, utcMillis) * 60000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);
}
