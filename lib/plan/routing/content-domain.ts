/**
 * Students' content (app ports, their own Ingresses) is served under the cluster's
 * `contentDomain`, apart from the logins under `domain` (the IDEs, the class board), the way
 * github.io is apart from github.com. Browsers treat every name under one registrable domain
 * (the label before a public suffix: `example.com`, `example.co.uk`) as one site: a page
 * there gets the IDEs' SameSite=Lax cookies on its requests (CSRF, cross-site websocket
 * hijacking of code-server), may set cookies for the parent domain that reach every IDE, and
 * looks like the platform's sign-in to a trainer.
 *
 * Which suffixes are public is the Public Suffix List, which synth does not carry (it changes
 * over time, and a stale copy would pass a pair that browsers treat as one site). Two names
 * that share no label but the last (`example.com`, `example.net`; `a.com`, `b.com`) are never
 * one site; names that share two or more (`training.example.com`, `apps.example.com`) may be,
 * and are refused, even where the shared part is public (`co.uk`): that refusal is safe.
 */
import type { Problem } from '../../common/problems';

/** The trailing labels two DNS names have in common: `a.example.com` and `b.example.com` share `example.com`. */
export function sharedSuffix(a: string, b: string): string {
  const [left, right] = [a.split('.').reverse(), b.split('.').reverse()];
  let shared = 0;
  while (shared < left.length && shared < right.length && left[shared] === right[shared]) shared++;
  return left.slice(0, shared).reverse().join('.');
}

/** Why `contentDomain` may be the same site as a login `domain`, or undefined when it cannot be. */
export function sameSiteReason(contentDomain: string, domain: string): string | undefined {
  if (contentDomain === domain) return 'is the domain of the logins';
  const shared = sharedSuffix(contentDomain, domain);
  if (shared.split('.').length < 2) return undefined;
  if (shared === domain) return `is under the domain of the logins "${domain}"`;
  if (shared === contentDomain) return `is a parent of the domain of the logins "${domain}"`;
  return `shares "${shared}" with the domain of the logins "${domain}"`;
}

const SAME_SITE =
  "browsers treat names under one registrable domain as one site, so a student's page there would be same-site with the IDEs and the class board (their cookies, their sign-in pages)";

const FIX =
  "use a registrable domain of its own, sharing no label but the top-level one with any cluster's domain (for training.example.com: training.example.net or training-example-apps.com), with a Route 53 hosted zone of its own; synth has no copy of the Public Suffix List, so names that share a public suffix such as co.uk are refused too";

/**
 * Every cluster's `contentDomain` must be apart from the logins of every cluster of the repo,
 * its own and the others' (a fork's clusters share browsers: one cluster's students could
 * otherwise serve pages same-site with another cluster's IDEs).
 */
export function contentDomainProblems(
  clusters: readonly { readonly file: string; readonly spec: { readonly domain: string; readonly contentDomain: string } }[],
): Problem[] {
  return clusters.flatMap((cluster) =>
    clusters.flatMap((other) => {
      const reason = sameSiteReason(cluster.spec.contentDomain, other.spec.domain);
      if (!reason) return [];
      const own = other.file === cluster.file;
      return [
        {
          at: { file: cluster.file, path: ['contentDomain'] },
          ...(own ? {} : { also: { file: other.file, path: ['domain'] } }),
          message: `"${cluster.spec.contentDomain}" ${reason}${own ? '' : ` of cluster file ${other.file}`}: ${SAME_SITE}`,
          hint: FIX,
        },
      ];
    }),
  );
}
