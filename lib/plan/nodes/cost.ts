import type { CoursePlan } from '../model/types';

/**
 * What a course's nodes cost per week, on its schedule (with pre-warm) and if it were always
 * on: its workstations' nodes, and its share of the students' pool with every student using
 * their whole quota (an upper bound: most kata pods ask far less).
 */
export function weeklyCost(course: CoursePlan): { scheduled: number; alwaysOn: number; awakeHours: number } {
  const perHour = course.archived ? 0 : (course.capacity?.costPerHour ?? 0) + (course.studentCapacity?.costPerHour ?? 0);
  const awakeHours = course.archived
    ? 0
    : course.schedule
      ? course.schedule.hoursPerWeek + course.schedule.prewarmHoursPerWeek
      : 168;
  return { scheduled: round(perHour * awakeHours), alwaysOn: round(perHour * 168), awakeHours };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * A course costing more than this a week, on its schedule, gets a warning: about seven times
 * a 25-student Kubernetes course; a student count with a digit too many (2,000 for 200) passes
 * every check and costs thousands of dollars a week.
 */
export const BIG_COURSE_USD_PER_WEEK = 1000;

/**
 * Warnings about what a course costs, for synth to print: a big course, and one that runs
 * every week without end (no dates, or no schedule at all). Warnings, not errors: each can be
 * meant, and a course running on purpose must synthesize.
 */
export function costWarnings(course: CoursePlan): string[] {
  if (course.archived) return [];
  const cost = weeklyCost(course);
  const warnings: string[] = [];
  if (cost.scheduled > BIG_COURSE_USD_PER_WEEK) {
    warnings.push(
      `warning: ${course.file}: ${thousands(course.students.length)} students cost about ${thousands(cost.scheduled)} USD a week ` +
        `(${cost.awakeHours} hours awake): check the number of students, the workstation size and the class hours.`,
    );
  }
  if (!course.schedule) {
    warnings.push(
      `warning: ${course.file}: has no schedule, so its workstations never sleep: about ${thousands(cost.alwaysOn)} USD a week, ` +
        'every week until the course is archived or removed. Give schedule its class hours and days.',
    );
  } else if (!course.schedule.days) {
    warnings.push(
      `warning: ${course.file}: has no schedule.firstDay and lastDay, so its class hours come back every week: about ` +
        `${thousands(cost.scheduled)} USD a week until the course is archived or removed. Give the days of class.`,
    );
  }
  return warnings;
}

/** 18010.4 -> "18,010": the same on every machine, whatever the locale. */
function thousands(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+$)/g, ',');
}
