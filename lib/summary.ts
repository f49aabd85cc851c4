import { PRICE_REGION } from './facts/instance-types';
import { weeklyCost } from './plan/nodes/cost';
import type { RepoPlan } from './plan/model/types';

/** A table row, or a line of text set under one column of the row above (it does not widen the column). */
type Row = readonly string[] | { readonly under: number; readonly text: string };

/**
 * Per course and cluster, what synth produced, as tables a trainer reads in a terminal or a
 * CI log: they fit 120 columns for course names of up to 20 characters.
 */
export function summaryTable(plan: RepoPlan, objectsPerCourse: ReadonlyMap<string, number>): string[] {
  return [
    ...table(capacityRows(plan, objectsPerCourse)),
    '',
    `Costs are on-demand list prices of ${PRICE_REGION} for the workstation nodes with every student awake, plus the nodes`,
    "of the students' own pods (kata nodes) with every student using their whole quota; other regions differ.",
    ...plan.clusters.flatMap((c) => [
      `IDE addresses on ${c.name}: https://<student>.<course>.${c.domain}`,
      `Students' apps on ${c.name}: https://<port>-<student>.<course>.${c.contentDomain}`,
    ]),
    ...plan.clusters.flatMap((c) =>
      c.board ? [`Class board on ${c.name}: https://${c.board.host}/<course> for ${c.board.config.trainers.join(', ')}`] : [],
    ),
    '',
    ...table(routingRows(plan)),
    '',
    ...table(classHourRows(plan)),
  ];
}

/** Per course: students, objects, nodes and what an awake hour costs; an archived course has none. */
function capacityRows(plan: RepoPlan, objectsPerCourse: ReadonlyMap<string, number>): Row[] {
  const rows: Row[] = [
    ['cluster', 'course', 'students', 'namespaces', 'objects', 'workstation nodes', 'kata nodes', 'USD/h awake'],
  ];
  for (const cluster of plan.clusters) {
    for (const course of cluster.courses) {
      const capacity = course.archived ? undefined : course.capacity;
      const kata = course.archived ? undefined : course.studentCapacity;
      rows.push([
        cluster.name,
        course.name,
        String(course.students.length),
        String(1 + course.students.filter((s) => s.kubernetes.access !== 'none').length),
        String(objectsPerCourse.get(course.path) ?? 0),
        course.archived
          ? '0 (archived)'
          : capacity
            ? `${capacity.nodes} x ${capacity.instanceType.name} (${capacity.seatsPerNode}/node)`
            : '-',
        String(kata?.nodes ?? 0),
        ((capacity?.costPerHour ?? 0) + (kata?.costPerHour ?? 0)).toFixed(2),
      ]);
      const virtual = course.kubernetes.access === 'vcluster' ? course.kubernetes.virtualClusters : undefined;
      if (virtual) {
        rows.push({
          under: 3,
          text: `${course.students.length} vclusters: control planes +${virtual.extraStudentNodes} kata nodes, +${virtual.extraUsdPerWeek.toFixed(2)} USD/week`,
        });
      }
    }
    if (cluster.courses.length === 0) rows.push([cluster.name, '(no courses)', '0', '0', '0', '0', '0', '0.00']);
  }
  return rows;
}

/** Per course: class days and hours, in local time and, under them, its zone and the hours in UTC; and what that saves. */
function classHourRows(plan: RepoPlan): Row[] {
  const rows: Row[] = [['cluster', 'course', 'days', 'class hours', 'h/week', 'USD/week', 'always on']];
  for (const cluster of plan.clusters) {
    for (const course of cluster.courses) {
      const cost = weeklyCost(course);
      const s = course.schedule;
      if (course.archived) {
        rows.push([cluster.name, course.name, '-', 'archived: no workstations', '0', '0.00', '0.00']);
      } else if (!s) {
        rows.push([
          cluster.name,
          course.name,
          'every day',
          'always on',
          '168',
          cost.scheduled.toFixed(2),
          cost.alwaysOn.toFixed(2),
        ]);
      } else {
        const days = s.days ? `${s.days.first}..${s.days.last}` : 'every week';
        rows.push([
          cluster.name,
          course.name,
          days,
          s.localSummary,
          String(s.hoursPerWeek),
          cost.scheduled.toFixed(2),
          cost.alwaysOn.toFixed(2),
        ]);
        rows.push({ under: 3, text: s.timeZone }, ...s.utcSummary.map((utc) => ({ under: 3, text: `= ${utc}` })));
      }
    }
  }
  return rows;
}

/**
 * Per course: host names, load balancers and target groups, so quota use is visible in every
 * PR, and where the course's certificate comes from (issued by cert-manager, or the cluster
 * file's ACM certificate).
 */
function routingRows(plan: RepoPlan): Row[] {
  const rows: Row[] = [
    ['cluster', 'course', 'routing', 'hosts', 'load balancers', 'target groups per LB', 'DNS records', 'certificate'],
  ];
  for (const cluster of plan.clusters) {
    for (const course of cluster.courses) {
      const hosts = course.students.length * (1 + course.workstation.appPorts.length);
      if (course.routing.mode === 'gateway') {
        const listeners = cluster.routing.mode === 'gateway' ? cluster.routing.gateway.listeners : [];
        const nlbPorts = listeners.filter((l) => !l.hostname).length + 2;
        rows.push([
          cluster.name,
          course.name,
          'gateway',
          String(hosts),
          '1 NLB, shared',
          `${nlbPorts}, shared`,
          '2 wildcards',
          'cert-manager',
        ]);
      } else {
        const { albGroups, targetGroupsPerStudent } = course.routing;
        const perGroup = albGroups.map((g) => String(g.students.length * targetGroupsPerStudent));
        rows.push([
          cluster.name,
          course.name,
          'alb',
          String(hosts),
          `${albGroups.length} ALB`,
          perGroup.join(' '),
          String(hosts),
          'ACM',
        ]);
      }
    }
  }
  return rows;
}

function table(rows: readonly Row[]): string[] {
  const cells = rows.filter((r): r is readonly string[] => Array.isArray(r));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const indent = (column: number) => widths.slice(0, column).reduce((n, w) => n + w + 2, 0);
  return rows.map((row) =>
    Array.isArray(row)
      ? row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd()
      : ' '.repeat(indent((row as { under: number }).under)) + (row as { text: string }).text,
  );
}
