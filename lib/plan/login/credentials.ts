import type { ClusterSpec } from '../../input/schema/cluster';
import type { Problem } from '../../common/problems';
import type { LoginMethod } from '../model/login';
import type { CoursePlan } from '../model/types';

/** The name a course file gives its course, which the commands take: `courses/k8s.yaml` -> `k8s`. */
function courseNameOf(file: string): string {
  return file.replace(/^.*\//, '').replace(/(\.passwords)?\.ya?ml$/, '');
}

/** The cluster-wide choice of login: the school's identity provider when the cluster file names one. */
export function clusterLoginMethod(cluster: ClusterSpec): LoginMethod {
  const oidc = cluster.login.oidc;
  return oidc ? { kind: 'oidc', ...oidc } : { kind: 'password' };
}

/**
 * Every student needs a credential before the course can be deployed: a password, or on an
 * OIDC cluster an e-mail address. One problem per course, naming the fix. A course without
 * any password beside a password file without a course (`strayPasswordFiles`) was most likely
 * renamed by hand: new passwords for all would be the wrong fix, and the cluster would delete
 * its homes, so the hint is to undo the rename and use the command that keeps both.
 */
export function checkPasswords(course: CoursePlan, strayPasswordFiles: readonly string[] = []): Problem[] {
  if (course.login.method.kind === 'oidc') {
    const withoutEmail = course.students.filter((s) => !s.login.email);
    if (withoutEmail.length === 0) return [];
    return [
      {
        at: { file: course.file, path: ['students'] },
        message: `${withoutEmail.length === 1 ? 'has a student' : `have ${withoutEmail.length} students`} without an email: ${withoutEmail
          .slice(0, 3)
          .map((s) => JSON.stringify(s.name))
          .join(', ')}${withoutEmail.length > 3 ? ` and ${withoutEmail.length - 3} more` : ''}`,
        hint: `cluster "${course.cluster}" signs students in with OIDC: list them as - { name: ..., email: ... }`,
      },
    ];
  }
  const missing = course.students.filter((s) => !s.passwordHash);
  if (missing.length === 0) return [];
  const names = missing.slice(0, 3).map((s) => JSON.stringify(s.name));
  const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
  const name = courseNameOf(course.file);
  const renamedFrom = missing.length === course.students.length ? strayPasswordFiles.map(courseNameOf) : [];
  return [
    {
      at: { file: course.file, path: ['students'] },
      message: `${missing.length === 1 ? 'has a student' : `have ${missing.length} students`} without a password: ${names.join(', ')}${more}`,
      hint:
        renamedFrom.length > 0
          ? `${renamedFrom.map((old) => `courses/${old}.passwords.yaml`).join(', ')} has no course file: if this course was ` +
            `renamed from ${renamedFrom.join(' or ')}, put its file back and run npm run rename-course -- ${renamedFrom[0]} ${name}, ` +
            'which keeps every password, and on the cluster every home; for a new course, run: npm run passwords -- ' +
            name
          : `run: npm run passwords -- ${name}`,
    },
  ];
}
