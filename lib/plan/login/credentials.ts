import type { ClusterSpec } from '../../input/schema/cluster';
import type { Problem } from '../../common/problems';
import type { LoginMethod } from '../model/login';
import type { CoursePlan } from '../model/types';

/** The cluster-wide choice of login: the school's identity provider when the cluster file names one. */
export function clusterLoginMethod(cluster: ClusterSpec): LoginMethod {
  const oidc = cluster.login.oidc;
  return oidc ? { kind: 'oidc', ...oidc } : { kind: 'password' };
}

/**
 * Every student needs a credential before the course can be deployed: a password, or on an
 * OIDC cluster an e-mail address. One problem per course, naming the fix.
 */
export function checkPasswords(course: CoursePlan): Problem[] {
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
  return [
    {
      at: { file: course.file, path: ['students'] },
      message: `${missing.length === 1 ? 'has a student' : `have ${missing.length} students`} without a password: ${names.join(', ')}${more}`,
      hint: `run: npm run passwords -- ${course.name}`,
    },
  ];
}
