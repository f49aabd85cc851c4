import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/** File, in each course folder of dist/, that records the ALB group of every student (alb mode). */
export const ALB_GROUPS_FILE = 'alb-groups.yaml';

/**
 * The ALB group each student had at the last synth, read back from the ConfigMap synth wrote
 * to dist/ (key `<cluster>/<course>`). dist/ is the record of what is deployed: reading it
 * keeps every student on their load balancer when others come and go. A missing or
 * unreadable file means no earlier assignment.
 */
export function readAlbGroups(root: string): Map<string, Map<string, number>> {
  const result = new Map<string, Map<string, number>>();
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(dist)) return result;
  for (const cluster of fs.readdirSync(dist)) {
    const courses = path.join(dist, cluster, 'courses');
    if (!fs.existsSync(courses)) continue;
    for (const course of fs.readdirSync(courses)) {
      const file = path.join(courses, course, ALB_GROUPS_FILE);
      if (!fs.existsSync(file)) continue;
      const data = (parse(fs.readFileSync(file, 'utf8')) as { data?: Record<string, string> } | null)?.data ?? {};
      const groups = new Map<string, number>();
      for (const [student, group] of Object.entries(data)) {
        const number = Number(/-(\d+)$/.exec(group)?.[1]);
        if (Number.isInteger(number) && number > 0) groups.set(student, number);
      }
      result.set(`${cluster}/${course}`, groups);
    }
  }
  return result;
}

/** Courses in dist/ (`<cluster>/<course>`) and the number of students (so of home volumes) each has there. */
export function readPreviousCourses(root: string): Map<string, number> {
  const result = new Map<string, number>();
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(dist)) return result;
  for (const cluster of fs.readdirSync(dist)) {
    const courses = path.join(dist, cluster, 'courses');
    if (!fs.existsSync(courses)) continue;
    for (const course of fs.readdirSync(courses)) {
      const students = path.join(courses, course, 'students');
      result.set(`${cluster}/${course}`, fs.existsSync(students) ? fs.readdirSync(students).length : 0);
    }
  }
  return result;
}
