import type { Problem } from '../../common/problems';
import type { StudentHosts } from '../model/routing';

/**
 * A course's own lines on every slip (the course file's `handout`), with what differs per
 * student filled in: a kata's install step or address, the dojo way. A placeholder is one word
 * in single braces; double braces are left alone, so that templates a kata itself uses (an
 * ApplicationSet's `{{branch}}`) print as written.
 */
const PLACEHOLDER = /(?<!\{)\{([A-Za-z]+)(?::([0-9]+))?\}(?!\})/g;

/** What a placeholder stands for, per student. */
export interface HandoutValues {
  /** `{student}`: the student id. */
  readonly student: string;
  /** `{namespace}`: the student's namespace, or undefined in a course without Kubernetes. */
  readonly namespace: string | undefined;
  /** `{course}`: the course as its hosts name it (its id). */
  readonly course: string;
  /** `{contentDomain}`: the cluster's content domain, under which the student's hosts are. */
  readonly contentDomain: string;
  /** `{url:<port>}`: `https://` and the app host of that port. */
  readonly hosts: StudentHosts;
}

/** The course's lines for one student. Placeholders were checked by `checkHandoutLines`. */
export function handoutLines(lines: readonly string[], values: HandoutValues): string[] {
  return lines.map((line) =>
    line.replace(PLACEHOLDER, (_, name: string, port: string | undefined) => {
      if (name === 'url') return `https://${values.hosts.apps.find((a) => a.port === Number(port))!.host}`;
      return { student: values.student, namespace: values.namespace, course: values.course, contentDomain: values.contentDomain }[
        name as 'student'
      ]!;
    }),
  );
}

/** Placeholders a slip could not fill in: an unknown name, a `{url:<port>}` of a port the course does not open, `{namespace}` without one. */
export function checkHandoutLines(
  file: string,
  lines: readonly string[],
  ports: readonly number[],
  hasNamespace: boolean,
): Problem[] {
  return lines.flatMap((line, i) =>
    [...line.matchAll(PLACEHOLDER)].flatMap(([whole, name, port]): Problem[] => {
      const at = { file, path: ['handout', i] };
      if (name === 'url') {
        if (port !== undefined && ports.includes(Number(port))) return [];
        return [
          {
            at,
            message: `${whole} is not an app port of the course (workstation.ports: ${ports.join(', ') || 'none'})`,
            hint: 'write {url:<port>} with a port of workstation.ports, or add the port there',
          },
        ];
      }
      if (port === undefined && ['student', 'course', 'contentDomain'].includes(name)) return [];
      if (port === undefined && name === 'namespace') {
        return hasNamespace
          ? []
          : [{ at, message: '{namespace}: the course gives students no namespace (kubernetes.namespace: false)' }];
      }
      return [
        {
          at,
          message: `${whole} is not a placeholder of the handout`,
          hint: 'use {student}, {namespace}, {course}, {contentDomain} or {url:<port>}; double braces {{...}} print as written',
        },
      ];
    }),
  );
}
