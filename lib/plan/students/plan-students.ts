import type { CourseSpec } from '../../input/schema/course';
import type { Problem, SourceRef } from '../../common/problems';
import { countedStudentIds, studentIdFromName } from './student-id';

/** A student as the course file names them, with the id they will carry everywhere. */
export interface StudentIdentity {
  readonly id: string;
  readonly name: string;
  readonly source: SourceRef;
  /** The address the student signs in with on an OIDC cluster. */
  readonly email?: string;
}

/**
 * Ids for every student of a course: explicit where given, derived from the name
 * otherwise. Reports names given twice and distinct names that end up with one id.
 */
export function planStudentIds(
  file: string,
  students: CourseSpec['students'],
): {
  students: StudentIdentity[];
  problems: Problem[];
} {
  if (!Array.isArray(students)) {
    const ids = countedStudentIds(students.prefix, students.count);
    return { students: ids.map((id) => ({ id, name: id, source: { file, path: ['students', 'count'] } })), problems: [] };
  }
  const problems: Problem[] = [];
  const identities: StudentIdentity[] = [];
  const byName = new Map<string, StudentIdentity>();
  const byId = new Map<string, StudentIdentity>();
  students.forEach((entry, index) => {
    const name = typeof entry === 'string' ? entry : entry.name;
    const explicitId = typeof entry === 'string' ? undefined : entry.id;
    const email = typeof entry === 'string' ? undefined : entry.email;
    const source: SourceRef = { file, path: typeof entry === 'string' ? ['students', index] : ['students', index, 'name'] };
    const id = explicitId ?? studentIdFromName(name);
    if (id === '') {
      problems.push({
        at: source,
        message: `${JSON.stringify(name)} has no letters or digits to make an id from`,
        hint: `give an id: - { name: ${JSON.stringify(name)}, id: some-id }`,
      });
      return;
    }
    const nameKey = name.trim().toLowerCase();
    const sameName = byName.get(nameKey);
    if (sameName) {
      problems.push({ at: source, also: sameName.source, message: `${JSON.stringify(name)} is used twice` });
      return;
    }
    const sameId = byId.get(id);
    if (sameId) {
      const idSource: SourceRef = explicitId ? { file, path: ['students', index, 'id'] } : source;
      problems.push({
        at: idSource,
        also: sameId.source,
        message: `${JSON.stringify(name)} gets the id "${id}", as does ${JSON.stringify(sameId.name)}`,
        hint: `give one of them an explicit id: - { name: ${JSON.stringify(name)}, id: ${id}-2 }`,
      });
      return;
    }
    const identity = { id, name, source, ...(email ? { email } : {}) };
    byName.set(nameKey, identity);
    byId.set(id, identity);
    identities.push(identity);
  });
  return { students: identities, problems };
}
