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
