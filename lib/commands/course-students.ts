import { loadRepo } from '../input/load/load-repo';
import { planStudentIds, type StudentIdentity } from '../plan/students/plan-students';
import { formatProblems } from '../common/problems';
import type { CourseSpec } from '../input/schema/course';

/** A course of the repo by name, with its students' ids, or the reasons it cannot be read. */
export function findCourse(
  root: string,
  name: string,
): { ok: true; file: string; spec: CourseSpec; students: StudentIdentity[] } | { ok: false; errors: string[] } {
  const loaded = loadRepo(root);
  const course = loaded.courses.find((c) => c.spec.name === name);
  if (!course) {
    const ownProblems = loaded.problems.filter((p) => p.at.file.startsWith('courses/'));
    if (ownProblems.length > 0) return { ok: false, errors: formatProblems(ownProblems, loaded.locate) };
    const known = loaded.courses.map((c) => c.spec.name).join(', ');
    return { ok: false, errors: [`no course named "${name}" in courses/ (known: ${known || 'none'})`] };
  }
  // A name that is not the file's would put the hashes beside another course's file.
  const nameProblems = loaded.problems.filter((p) => p.at.file === course.file && p.at.path[0] === 'name');
  if (nameProblems.length > 0) return { ok: false, errors: formatProblems(nameProblems, loaded.locate) };
  const ids = planStudentIds(course.file, course.spec.students);
  if (ids.problems.length > 0) return { ok: false, errors: formatProblems(ids.problems, loaded.locate) };
  return { ok: true, file: course.file, spec: course.spec, students: ids.students };
}
