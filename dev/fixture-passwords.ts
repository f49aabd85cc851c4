import { parse } from 'yaml';
import { countedStudentIds, studentIdFromName } from '../lib/plan/students/student-id';

/** bcrypt of "fixture-password": test courses need a hash per student, and hashing thousands is slow by design. */
export const FIXTURE_HASH = '$2b$10$MCJ9OYYj.P4FTsUWPV3wBOIO9SZW.SPPlswF2OEVIvTzT722BHhdi';

/** A password hash file giving every id the fixture hash. */
export function fixturePasswordFile(ids: readonly string[]): string {
  return ids.map((id) => `${id}: "${FIXTURE_HASH}"`).join('\n') + '\n';
}

/** The ids of a course file's students, as synth derives them; none when the file does not parse. */
export function studentIdsOf(courseYaml: string): string[] {
  try {
    const students = (parse(courseYaml) as { students?: unknown } | null)?.students;
    if (Array.isArray(students)) {
      return students.flatMap((s) =>
        typeof s === 'string'
          ? [studentIdFromName(s)]
          : s && typeof s === 'object'
            ? [(s as { id?: string; name?: string }).id ?? studentIdFromName(String((s as { name?: string }).name ?? ''))]
            : [],
      );
    }
    if (students && typeof students === 'object') {
      const { count, prefix } = students as { count?: number; prefix?: string };
      if (typeof count === 'number' && count > 0) return countedStudentIds(prefix ?? 'student', count);
    }
  } catch {
    // A case whose YAML does not parse needs no passwords: it fails before.
  }
  return [];
}

/** Course files plus a password file for each, as the passwords command would leave them. */
export function withFixturePasswords(files: Record<string, string>): Record<string, string> {
  const result = { ...files };
  for (const [file, text] of Object.entries(files)) {
    if (!/^courses\/[^/]+\.yaml$/.test(file) || file.endsWith('.passwords.yaml')) continue;
    const ids = [...new Set(studentIdsOf(text).filter((id) => id !== ''))];
    if (ids.length > 0) result[file.replace(/\.yaml$/, '.passwords.yaml')] = fixturePasswordFile(ids);
  }
  return result;
}
