import type { RepoPlan } from './plan/types';

/** Per course and cluster, what synth produced, as a table a trainer reads in the terminal or in CI. */
export function summaryTable(plan: RepoPlan, objectsPerCourse: ReadonlyMap<string, number>): string[] {
  const rows: string[][] = [['cluster', 'course', 'students', 'namespaces', 'objects', 'IDE URL']];
  for (const cluster of plan.clusters) {
    for (const course of cluster.courses) {
      const namespaces = 1 + course.students.filter((s) => s.namespace).length;
      rows.push([
        cluster.name,
        course.name,
        String(course.students.length),
        String(namespaces),
        String(objectsPerCourse.get(course.path) ?? 0),
        `https://<student>.${course.name}.${cluster.domain}`,
      ]);
    }
    if (cluster.courses.length === 0) rows.push([cluster.name, '(no courses)', '0', '0', '0', '']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}
