/**
 * gateway mode: each course's wildcard certificate, issued by cert-manager from dist/ with no
 * manual step. A wildcard covers one DNS level (FACTS.md), so each course domain gets its own:
 * `*.<course>.<domain>` holds the IDE, app-port and kata hosts of all its students. The proof
 * is DNS-01 (the only ACME challenge that issues wildcards) in the cluster domain's Route 53
 * zone, which external-dns already manages. TLS ends at the proxy, which reads the Secret
 * named in its course's Gateway listener.
 */
import type { ClusterSpec } from '../../input/schema/cluster';
import { GATEWAY } from './hosts';

/** The ClusterIssuer of the course certificates. */
export const COURSE_ISSUER = 'dojo-courses';

export interface CourseCertificatePlan {
  /** The Certificate object, in the proxy's namespace. */
  readonly name: string;
  readonly namespace: string;
  /** The Secret cert-manager writes and the Gateway listener names. */
  readonly secretName: string;
  readonly dnsNames: readonly string[];
}

export interface AcmeIssuerPlan {
  readonly name: string;
  readonly server: string;
  readonly email: string | undefined;
  /** The Secret of the ACME account's key, made by cert-manager in its own namespace. */
  readonly accountKeySecret: string;
  readonly region: string;
  /** The zone the challenges are written in: the cluster's domain. */
  readonly dnsZone: string;
}

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
