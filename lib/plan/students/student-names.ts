import type { NameClaims } from '../../common/name-claims';
import type { Problem, SourceRef } from '../../common/problems';
import { dnsLabelProblem, hostProblem, reservedNamespaceReason, STATEFULSET_NAME_MAX } from '../model/object-names';
import type { CoursePlan } from '../model/types';

/** A namespace a course or student needs: not one Kubernetes or the platform keeps, and not another's. */
export function claimNamespace(claims: NameClaims, problems: Problem[], namespace: string, ref: SourceRef, owner: string): void {
  const reserved = reservedNamespaceReason(namespace);
  if (reserved) {
    problems.push({ at: ref, message: `needs the namespace "${namespace}", but ${reserved}`, hint: 'choose another name' });
    return;
  }
  claims.claim(namespace, ref, owner);
}

/** Every name derived from a student id must fit Kubernetes' and DNS's limits: one problem per student. */
export function checkCourseNames(course: CoursePlan): Problem[] {
  return course.students.flatMap((student) => {
    const namespace = student.kubernetes.access === 'none' ? undefined : student.kubernetes.namespace;
    const checks: [string, string, string | undefined][] = [
      ['namespace', namespace ?? '', namespace && dnsLabelProblem(namespace)],
      ['workstation name', student.workstation, dnsLabelProblem(student.workstation, STATEFULSET_NAME_MAX)],
      ...[student.hosts.ide, ...student.hosts.apps.map((a) => a.host)].map((host): [string, string, string | undefined] => [
        'host name',
        host,
        hostProblem(host),
      ]),
    ];
    const failures = checks.filter(([, , problem]) => problem).map(([what, name, problem]) => `${what} "${name}" ${problem}`);
    if (failures.length === 0) return [];
    return [
      {
        at: student.source,
        message: `makes the id "${student.id}", too long for the names made from it: ${failures.join(', ')}`,
        hint: 'give this student a shorter id ({ name: ..., id: ... }) or the course a shorter name',
      },
    ];
  });
}
