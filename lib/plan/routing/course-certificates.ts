/**
 * gateway mode: each course's wildcard certificates, issued by cert-manager from dist/ with no
 * manual step. A wildcard covers one DNS level (ARCHITECTURE.md, "Upstream facts"), so each
 * course domain gets its own: `*.<course>.<domain>` holds its students' IDE hosts, and
 * `*.<course>.<contentDomain>` their app-port and kata hosts, another site
 * (content-domain.ts): two certificates, so that the one served for students' pages never
 * names a login host. The proof is DNS-01 (the only ACME challenge that issues wildcards) in
 * the Route 53 zones of the two domains, which external-dns already manages. TLS ends at the
 * proxy, which reads the Secret named in the course's Gateway listener.
 */
import type { ClusterSpec } from '../../input/schema/cluster';
import { GATEWAY } from './hosts';
import type { AcmeIssuerPlan, CourseCertificatePlan } from '../model/routing';

/** The ClusterIssuer of the course certificates. */
export const COURSE_ISSUER = 'dojo-courses';

/** The certificates of a course: its IDE hosts', then its content hosts'. */
export function courseCertificates(
  course: string,
  routing: { readonly domain: string; readonly contentDomain: string },
): { ide: CourseCertificatePlan; content: CourseCertificatePlan } {
  const certificate = (name: string, courseDomainName: string): CourseCertificatePlan => ({
    name,
    namespace: GATEWAY.namespace,
    secretName: `${name}-tls`,
    dnsNames: [`*.${courseDomainName}`],
  });
  return {
    ide: certificate(`course-${course}`, routing.domain),
    content: certificate(`course-${course}-content`, routing.contentDomain),
  };
}

export function acmeIssuer(cluster: ClusterSpec): AcmeIssuerPlan {
  return {
    name: COURSE_ISSUER,
    server: cluster.routing.acme.server,
    email: cluster.routing.acme.email,
    accountKeySecret: `${COURSE_ISSUER}-acme-account`,
    region: cluster.region,
    dnsZones: [cluster.domain, cluster.contentDomain],
  };
}
