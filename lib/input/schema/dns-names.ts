import * as z from 'zod';

/** RFC 1123 label: what Kubernetes accepts for namespaces and most object names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_MAX = 63;

export function dnsLabel(what: string, max = DNS_LABEL_MAX) {
  return z
    .string()
    .max(max, { message: `is too long: a ${what} has at most ${max} characters` })
    .regex(DNS_LABEL, {
      message: `is not a valid ${what}: use lower-case letters, digits and "-", starting and ending with a letter or digit`,
    });
}

/**
 * A DNS name such as "training.example.com". `whenMissing` says why a required one is needed
 * and how to choose it: the problem of a file without it shows it as the hint.
 */
export function dnsName(whenMissing?: string) {
  return z
    .string(whenMissing ? { error: (issue) => (issue.input === undefined ? whenMissing : undefined) } : undefined)
    .max(253)
    .regex(/^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, {
      message: 'is not a DNS name: use lower-case labels separated by dots, e.g. "training.example.com"',
    });
}

/** An https URL without credentials: anything in a course file ends up in git and in dist/. */
export const publicHttpsUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && url.username === '' && url.password === '' && url.hostname !== '';
    } catch {
      return false;
    }
  },
  { message: 'must be an https:// URL without a user name or password in it' },
);
