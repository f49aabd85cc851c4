import { PRICE_REGION } from './plan/instance-types';
import { weeklyCost } from './plan/cost';
import type { RepoPlan } from './plan/types';

/** Per course and cluster, what synth produced, as a table a trainer reads in the terminal or in CI. */
export function summaryTable(plan: RepoPlan, objectsPerCourse: ReadonlyMap<string, number>): string[] {
  const rows: string[][] = [
    [
      'cluster',
      'course',
      'students',
      'namespaces',
      'objects',
      'instance type',
      'per node',
      'nodes',
      'kata nodes',
      'USD/h awake',
      'IDE URL',
    ],
  ];
  for (const cluster of plan.clusters) {
    for (const course of cluster.courses) {
      const capacity = course.capacity;
      rows.push([
        cluster.name,
        course.name,
        String(course.students.length),
        String(1 + course.students.filter((s) => s.namespace).length),
        String(objectsPerCourse.get(course.path) ?? 0),
        capacity?.instanceType.name ?? '-',
        String(capacity?.seatsPerNode ?? '-'),
        String(capacity?.nodes ?? '-'),
        String(course.studentCapacity?.nodes ?? 0),
        capacity ? (capacity.costPerHour + (course.studentCapacity?.costPerHour ?? 0)).toFixed(2) : '-',
        `https://<student>.${course.name}.${cluster.domain}`,
      ]);
    }
    if (cluster.courses.length === 0) rows.push([cluster.name, '(no courses)', '0', '0', '0', '-', '-', '0', '0', '0.00', '']);
  }
  return [
    ...table(rows),
    '',
    `Costs are on-demand list prices of ${PRICE_REGION} for the workstation nodes with every student awake, plus the nodes`,
    "of the students' own pods (kata nodes) with every student using their whole quota; other regions differ.",
    '',
    ...table(routingRows(plan)),
    '',
    ...table(classHourRows(plan)),
  ];
}

/** Per course: when it is awake, in local time and UTC, and what that saves. */
function classHourRows(plan: RepoPlan): string[][] {
  const rows = [['cluster', 'course', 'class hours', 'in UTC', 'awake h/week', 'USD/week', 'USD/week always on']];
  for (const cluster of plan.clusters) {
    for (const course of cluster.courses) {
      const cost = weeklyCost(course);
      if (course.archived) {
        rows.push([cluster.name, course.name, 'archived: no workstations', '-', '0', '0.00', '0.00']);
      } else if (!course.schedule) {
        rows.push([cluster.name, course.name, 'always on', '-', '168', cost.scheduled.toFixed(2), cost.alwaysOn.toFixed(2)]);
      } else {
        const s = course.schedule;
        rows.push([
          cluster.name,
          course.name,
          s.localSummary,
          s.utcSummary.join('; '),
          String(s.hoursPerWeek),
          cost.scheduled.toFixed(2),
          cost.alwaysOn.toFixed(2),
        ]);
      }
    }
  }
  return rows;
}

/** Per course: host names, load balancers and target groups, so quota use is visible in every PR. */
function routingRows(plan: RepoPlan): string[][] {
  const rows = [['cluster', 'course', 'routing', 'hosts', 'load balancers', 'target groups per load balancer', 'DNS records']];
  for (const cluster of plan.clusters) {
    for (const course of cluster.courses) {
      const hosts = course.students.length * (1 + course.workstation.appPorts.length);
      if (course.routing.mode === 'gateway') {
        const nlbPorts = (cluster.routing.gateway?.listeners.filter((l) => !l.hostname).length ?? 0) + 2;
        rows.push([cluster.name, course.name, 'gateway', String(hosts), '1 NLB, shared', `${nlbPorts}, shared`, '1 wildcard']);
      } else {
        const perGroup = course.routing.albGroups.map((g) => String(g.students.length * course.routing.targetGroupsPerStudent));
        rows.push([
          cluster.name,
          course.name,
          'alb',
          String(hosts),
          `${course.routing.albGroups.length} ALB`,
          perGroup.join(' '),
          String(hosts),
        ]);
      }
    }
  }
  return rows;
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}
