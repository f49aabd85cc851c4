import type { Problem } from '../../common/problems';
import type { CoursePlan } from '../model/types';

/**
 * A student's own Ingress hosts are `<name>-<student>.<course>.<domain>` (admission policy).
 * If one id ends in "-" + another (`bob`, `alice-bob`), Bob could take `x-alice-bob`, and
 * Bob's `alice-bob` space would hold Alice-Bob's IDE host: the ids must not overlap.
 */
export function checkHostSpaces(course: CoursePlan): Problem[] {
  const byId = new Map(course.students.map((s) => [s.id, s]));
  const problems: Problem[] = [];
  for (const student of course.students) {
    for (let i = student.id.indexOf('-'); i >= 0; i = student.id.indexOf('-', i + 1)) {
      const other = byId.get(student.id.slice(i + 1));
      if (!other) continue;
      problems.push({
        at: student.source,
        also: other.source,
        message: `has the id "${student.id}", which ends in "-${other.id}": ${JSON.stringify(other.name)} could claim its host names`,
        hint: `give one of them another id: - { name: ${JSON.stringify(student.name)}, id: ... }`,
      });
      break;
    }
  }
  return problems;
}
