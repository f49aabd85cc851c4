/**
 * gateway mode: each course's wildcard certificate, issued by cert-manager from dist/ with no
 * manual step. A wildcard covers one DNS level (ARCHITECTURE.md, "Upstream facts"), so each course domain gets its own:
 * `*.<course>.<domain>` holds the IDE, app-port and kata hosts of all its students. The proof
 * is DNS-01 (the only ACME challenge that issues wildcards) in the cluster domain's Route 53
 * zone, which external-dns already manages. TLS ends at the proxy, which reads the Secret
 * named in its course's Gateway listener.
 */
import type { ClusterSpec } from '../../input/schema/cluster';
import { GATEWAY } from './hosts';
import type { AcmeIssuerPlan, CourseCertificatePlan } from '../model/routing';

/** The ClusterIssuer of the course certificates. */
export const COURSE_ISSUER = 'dojo-courses';

export function courseCertificate(course: string, courseDomainName: string): CourseCertificatePlan {
  return {
    name: `course-${course}`,
    namespace: GATEWAY.namespace,
    secretName: `course-${course}-tls`,
    dnsNames: [`*.${courseDomainName}`],
  };
}

export function acmeIssuer(cluster: ClusterSpec): AcmeIssuerPlan {
  return {
    name: COURSE_ISSUER,
    server: cluster.routing.acme.server,
    email: cluster.routing.acme.email,
    accountKeySecret: `${COURSE_ISSUER}-acme-account`,
    region: cluster.region,
    dnsZone: cluster.domain,
  };
}
