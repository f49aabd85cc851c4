import { cityZoneProblem, timeZoneSpelling } from '../lib/common/time-zone';
import { describe, expect, it } from 'vitest';
import { classTimes, compileSchedule, nextClassWeek, ranges } from '../lib/plan/schedule/schedule';
import { courseSchema } from '../lib/input/schema/course';

const schedule = (s: Record<string, unknown>) =>
  courseSchema.parse({ name: 'c', cluster: 'x', students: ['a'], schedule: { timeZone: 'Europe/Copenhagen', ...s } }).schedule!;
const compile = (s: Record<string, unknown>) => {
  const result = compileSchedule(schedule(s));
  expect(result.problems).toEqual([]);
  return result.schedule!;
};

describe('schedule compilation', () => {
  it('weekdays only, every week: cron in local time for KEDA, both DST offsets protected in UTC', () => {
    const s = compile({ hours: ['09:00-17:00'] });
    expect(s.workstationTriggers).toEqual([{ start: '0 9 * * 1-5', end: '0 17 * * 1-5' }]);
    // The placeholders leave before class, so that the workstations find empty nodes (Karpenter does not count on preemption).
    expect(s.prewarmTriggers).toEqual([{ start: '30 8 * * 1-5', end: '57 8 * * 1-5' }]);
    expect(s.protectedWindows).toEqual([
      { schedule: '30 7 * * 1-5', duration: '8h30m' }, // winter, UTC+1
      { schedule: '30 6 * * 1-5', duration: '8h30m' }, // summer, UTC+2
    ]);
    expect(s.hoursPerWeek).toBe(40);
    expect(s.prewarmHoursPerWeek).toBe(2.5);
    expect(s.localSummary).toBe('mon-fri 09:00-17:00');
    expect(s.utcSummary).toEqual(['08:00-16:00 UTC (at UTC+01:00)', '07:00-15:00 UTC (at UTC+02:00)']);
  });

  it('refuses a pre-warm lead too short to warm the nodes before the placeholders leave', () => {
    const result = compileSchedule(schedule({ hours: ['09:00-17:00'], prewarm: { lead: '5m' } }));
    expect(result.problems).toEqual([
      expect.objectContaining({ path: ['prewarm', 'lead'], message: expect.stringContaining('"5m" is too short') }),
    ]);
  });

  it('two windows a day', () => {
    const s = compile({ hours: ['13:00-17:00', '09:00-12:00'], prewarm: { lead: '20m' } });
    expect(s.workstationTriggers).toEqual([
      { start: '0 9 * * 1-5', end: '0 12 * * 1-5' },
      { start: '0 13 * * 1-5', end: '0 17 * * 1-5' },
    ]);
    expect(s.hoursPerWeek).toBe(35);
  });

  it('dated, with a day off: only the class days, by day of month', () => {
    const s = compile({ firstDay: '2026-11-23', lastDay: '2026-11-27', daysOff: ['2026-11-25'], hours: ['09:00-17:00'] });
    expect(s.workstationTriggers).toEqual([{ start: '0 9 23-24,26-27 11 *', end: '0 17 23-24,26-27 11 *' }]);
    expect(s.protectedWindows).toEqual([{ schedule: '30 7 23-24,26-27 11 *', duration: '8h30m' }]);
  });

  it('across the end of summer time (Copenhagen, 2026-10-25): 09:00 local protected on both sides', () => {
    const s = compile({ firstDay: '2026-10-19', lastDay: '2026-10-30', hours: ['09:00-17:00'] });
    expect(s.protectedWindows).toEqual([
      { schedule: '30 6 19-23 10 *', duration: '8h30m' }, // 08:30 CEST = 06:30 UTC
      { schedule: '30 7 26-30 10 *', duration: '8h30m' }, // 08:30 CET = 07:30 UTC
    ]);
    // KEDA gets local time and follows the change itself.
    expect(s.workstationTriggers).toEqual([{ start: '0 9 19-23,26-30 10 *', end: '0 17 19-23,26-30 10 *' }]);
    expect(s.utcSummary).toEqual(['08:00-16:00 UTC (at UTC+01:00)', '07:00-15:00 UTC (at UTC+02:00)']);
  });

  it('across the start of summer time (Copenhagen, 2026-03-29), over a month end', () => {
    const s = compile({ firstDay: '2026-03-23', lastDay: '2026-04-03', hours: ['09:00-17:00'] });
    expect(s.protectedWindows).toEqual([
      { schedule: '30 6 30-31 3 *', duration: '8h30m' },
      { schedule: '30 7 23-27 3 *', duration: '8h30m' },
      { schedule: '30 6 1-3 4 *', duration: '8h30m' },
    ]);
  });

  it('east of UTC, a window crossing midnight UTC (Tokyo 08:00 = 23:00 UTC the day before)', () => {
    const dated = compile({ timeZone: 'Asia/Tokyo', firstDay: '2026-11-30', lastDay: '2026-12-04', hours: ['08:00-17:00'] });
    expect(dated.protectedWindows).toEqual([
      { schedule: '30 22 29-30 11 *', duration: '9h30m' },
      { schedule: '30 22 1-3 12 *', duration: '9h30m' },
    ]);
    expect(dated.workstationTriggers).toEqual([
      { start: '0 8 30 11 *', end: '0 17 30 11 *' },
      { start: '0 8 1-4 12 *', end: '0 17 1-4 12 *' },
    ]);
    const weekly = compile({ timeZone: 'Asia/Tokyo', hours: ['08:00-17:00'] });
    expect(weekly.protectedWindows).toEqual([{ schedule: '30 22 * * 0-4', duration: '9h30m' }]);
  });

  it('compacts cron lists', () => {
    expect(ranges([5, 1, 2, 3, 9, 10])).toBe('1-3,5,9-10');
  });

  it("says when class is, for the slips, in the course's own zone", () => {
    expect(classTimes(compile({ hours: ['09:00-12:00', '13:00-16:30'] }))).toBe(
      'mon-fri 09:00-12:00, 13:00-16:30 (Europe/Copenhagen time), every week',
    );
    expect(classTimes(undefined)).toBe('any time: the workstation never sleeps');
  });

  it("gives a new course the next Monday to Friday, across a month's and a year's end", () => {
    expect(nextClassWeek('2026-11-25')).toEqual({ firstDay: '2026-11-30', lastDay: '2026-12-04' }); // Wednesday
    expect(nextClassWeek('2026-11-29')).toEqual({ firstDay: '2026-11-30', lastDay: '2026-12-04' }); // Sunday
    expect(nextClassWeek('2026-11-30')).toEqual({ firstDay: '2026-12-07', lastDay: '2026-12-11' }); // Monday: the next
    expect(nextClassWeek('2026-12-31')).toEqual({ firstDay: '2027-01-04', lastDay: '2027-01-08' });
  });
});

describe('schedule problems', () => {
  const problems = (s: Record<string, unknown>) => compileSchedule(schedule(s)).problems;

  it.each([
    [{ hours: ['17:00-09:00'] }, [{ path: ['hours', 0], message: '"17:00-09:00" ends before it starts' }]],
    [
      { hours: ['09:00-12:00', '11:00-13:00'] },
      [{ path: ['hours', 1], also: ['hours', 0], message: '"11:00-13:00" overlaps "09:00-12:00"' }],
    ],
    [
      { hours: ['09:00-12:00', '12:15-17:00'], prewarm: { lead: '30m' } },
      [
        {
          path: ['prewarm', 'lead'],
          message: '"30m" is longer than the 15 minutes between "09:00-12:00" and "12:15-17:00"',
          hint: 'shorten the lead time, or join the two windows',
        },
      ],
    ],
    [
      { firstDay: '2026-11-27', lastDay: '2026-11-23', hours: ['09:00-17:00'] },
      [{ path: ['lastDay'], also: ['firstDay'], message: '"2026-11-23" is before firstDay "2026-11-27"' }],
    ],
    [
      { firstDay: '2026-11-23', hours: ['09:00-17:00'] },
      [{ path: ['firstDay'], message: 'needs its partner: give both firstDay and lastDay, or neither' }],
    ],
    [
      { firstDay: '2026-11-28', lastDay: '2026-11-29', hours: ['09:00-17:00'] },
      [{ path: ['weekdays'], message: 'leave no class day between firstDay and lastDay' }],
    ],
  ])('%j', (input, expected) => {
    expect(problems(input)).toEqual(expected);
  });

  it('rejects an unknown time zone in the schema', () => {
    const result = courseSchema.safeParse({
      name: 'c',
      cluster: 'x',
      students: ['a'],
      schedule: { timeZone: 'Europe/Copenhaven', hours: ['09:00-17:00'] },
    });
    expect(result.success).toBe(false);
  });
});

describe('time zones for class hours', () => {
  it("accept a city's zone and UTC, and refuse abbreviations and fixed offsets, suggesting the city", () => {
    expect(cityZoneProblem('Europe/Copenhagen')).toBeUndefined();
    expect(cityZoneProblem('America/Argentina/Buenos_Aires')).toBeUndefined();
    expect(cityZoneProblem('UTC')).toBeUndefined();
    expect(cityZoneProblem('EST')).toMatch(/did you mean "America\/New_York"\?$/);
    expect(cityZoneProblem('CET')).toMatch(/did you mean "Europe\/Berlin"\?$/);
    expect(cityZoneProblem('Etc/GMT-1')).toMatch(/^is a fixed offset/);
    expect(cityZoneProblem('UTC+1')).toMatch(/such as "Europe\/Copenhagen"$/);
  });

  it('give the spelling KEDA finds for a zone written in the wrong case, and leave right spellings and aliases alone', () => {
    expect(timeZoneSpelling('europe/copenhagen')).toBe('Europe/Copenhagen');
    expect(timeZoneSpelling('EUROPE/COPENHAGEN')).toBe('Europe/Copenhagen');
    expect(timeZoneSpelling('Europe/copenhagen')).toBe('Europe/Copenhagen');
    expect(timeZoneSpelling('utc')).toBe('UTC');
    expect(timeZoneSpelling('us/eastern')).toBe('America/New_York');
    for (const right of ['Europe/Copenhagen', 'UTC', 'Etc/UTC', 'US/Eastern', 'Asia/Calcutta', 'Europe/Copenhaven'])
      expect(timeZoneSpelling(right), right).toBeUndefined();
  });
});
