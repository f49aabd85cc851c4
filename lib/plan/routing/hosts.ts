import type { GatewayListener, StudentHosts } from '../model/routing';
/**
 * Routing decisions: the host names of each student, the shared gateway's listeners, and
 * the packing of students into ALB IngressGroups within the AWS quotas (ARCHITECTURE.md, "Upstream facts").
 */

/** AWS quotas per load balancer that routing must stay inside. */
export const AWS_QUOTAS = {
  albTargetGroups: 100,
  albRules: 100,
  albCertificates: 25,
  gatewayListeners: 64,
} as const;

/** Share of each ALB quota dojo plans to use: the rest is headroom. */
export const ALB_HEADROOM = 0.9;

/** The shared proxy (Traefik: Gateway API and Ingress in one) and where it listens. */
export const GATEWAY = {
  namespace: 'dojo-gateway',
  name: 'dojo',
  className: 'dojo',
  controllerName: 'traefik.io/gateway-controller',
  proxyLabels: { 'app.kubernetes.io/name': 'traefik' },
  /** TLS ends at this entryPoint: the NLB forwards TCP. */
  httpsEntryPoint: { name: 'websecure', port: 8443, exposedPort: 443 },
  httpEntryPoint: { name: 'web', port: 8000, exposedPort: 80 },
} as const;

/**
 * HSTS on the IDE hosts: a browser that has seen it never sends the session cookie over
 * plain HTTP. Without includeSubDomains: the app hosts are siblings, not subdomains.
 */
export const HSTS = { header: 'Strict-Transport-Security', value: 'max-age=31536000' } as const;

/**
 * external-dns reads only objects with this label (its --label-filter), and the admission
 * policy denies every `dojo.training/` label in student namespaces: no student object can
 * make a record.
 */
export const PLATFORM_DNS_LABEL = { key: 'dojo.training/dns', value: 'platform' } as const;

/**
 * The IngressClass the katas name, in spec.ingressClassName or by the annotation
 * kubernetes.io/ingress.class, the only one students may use (admission policy). In gateway
 * mode the shared proxy serves it; in alb mode aws-load-balancer-controller does (its
 * --ingress-class, for the annotation), and no student Ingress can name a group, so none joins
 * a platform ALB.
 */
export const KATA_INGRESS_CLASS = 'alb';

/** alb mode: the class of the platform's own Ingresses (the workstations' ALB groups). */
export const PLATFORM_INGRESS_CLASS = 'dojo-alb';

/** The controller name of aws-load-balancer-controller's IngressClasses. */
export const ALB_CONTROLLER = 'ingress.k8s.aws/alb';

export function courseDomain(course: string, domain: string): string {
  return `${course}.${domain}`;
}

/**
 * A student's hosts: the IDE under the cluster's `domain`, with the logins; what the student
 * serves (app ports, their own Ingresses) under `contentDomain`, another site
 * (lib/plan/routing/content-domain.ts).
 */
export function studentHosts(
  studentId: string,
  course: string,
  cluster: { readonly domain: string; readonly contentDomain: string },
  ports: readonly number[],
): StudentHosts {
  const content = courseDomain(course, cluster.contentDomain);
  return {
    ide: `${studentId}.${courseDomain(course, cluster.domain)}`,
    apps: ports.map((port) => ({ port, host: `${port}-${studentId}.${content}` })),
    ingressSuffix: `-${studentId}.${content}`,
  };
}

/** The certificate ARN whose names cover `*.<course domain>`, if any. */
export function certificateFor(
  courseDomainName: string,
  certificates: readonly { readonly arn: string; readonly domains: readonly string[] }[],
): string | undefined {
  return certificates.find((c) => c.domains.includes(`*.${courseDomainName}`))?.arn;
}

/** A route's place on the shared gateway: one of its HTTPS listeners. */
export function gatewayParentRef(listener: string) {
  return {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    name: GATEWAY.name,
    namespace: GATEWAY.namespace,
    sectionName: listener,
  };
}

/**
 * alb mode: the annotations of a platform Ingress in an IngressGroup, on HTTPS only (no
 * plain-HTTP listener ever carries a login cookie). The ALB adds HSTS itself (a listener
 * attribute, aws-load-balancer-controller v2.9+); the same value on every Ingress of a group,
 * as the controller requires. `certificate-arn` is a comma-separated list: the first is the
 * listener's default, the others are served by SNI, and a group's Ingresses merge theirs
 * (aws-load-balancer-controller v2.14 docs/guide/ingress/annotations.md). `wafv2-acl-arn` is
 * the ALB's web ACL (regional WAFv2 only; "Exclusive" in a group: every Ingress of the group
 * gives the same); without it the controller leaves the ALB's web ACL as it is.
 */
export function albHttpsAnnotations(
  group: string,
  certificateArns: readonly string[],
  webAclArn?: string,
): Record<string, string> {
  return {
    'alb.ingress.kubernetes.io/group.name': group,
    'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
    'alb.ingress.kubernetes.io/listener-attributes.HTTPS-443': `routing.http.response.strict_transport_security.header_value=${HSTS.value}`,
    'alb.ingress.kubernetes.io/certificate-arn': certificateArns.join(','),
    ...(webAclArn ? { 'alb.ingress.kubernetes.io/wafv2-acl-arn': webAclArn } : {}),
  };
}

/** The listener of a course's IDE hosts, `*.<course>.<domain>`. */
export function httpsListenerName(course: string): string {
  return `https-${course}`;
}

/** The listener of a course's content hosts (app ports, the students' Ingresses), `*.<course>.<contentDomain>`. */
export function contentListenerName(course: string): string {
  return `content-${course}`;
}

/**
 * Two listeners per course on the TLS entryPoint, the IDEs' `*.<course>.<domain>` and the
 * students' content `*.<course>.<contentDomain>`, each serving its own certificate and taking
 * routes only from the course's namespace. Nothing listens for workstations on plain HTTP or
 * on app ports: app ports are served as `https://<port>-<student>.<course>.<contentDomain>`.
 */
export function gatewayListeners(
  courses: readonly {
    readonly name: string;
    readonly namespace: string;
    /** `<course>.<domain>` and the Secret of its certificate. */
    readonly ide: { readonly domain: string; readonly tlsSecret: string };
    /** `<course>.<contentDomain>` and the Secret of its certificate. */
    readonly content: { readonly domain: string; readonly tlsSecret: string };
  }[],
): GatewayListener[] {
  const listener = (name: string, namespace: string, zone: { domain: string; tlsSecret: string }): GatewayListener => ({
    name,
    port: GATEWAY.httpsEntryPoint.port,
    exposedPort: GATEWAY.httpsEntryPoint.exposedPort,
    hostname: `*.${zone.domain}`,
    namespace,
    tlsSecret: zone.tlsSecret,
  });
  return courses.flatMap((c) => [
    listener(httpsListenerName(c.name), c.namespace, c.ide),
    listener(contentListenerName(c.name), c.namespace, c.content),
  ]);
}

/** What one student costs an ALB: a target group per Service port and a rule per host, all on HTTPS. */
export function albUsagePerStudent(appPorts: number): { targetGroups: number; rules: number } {
  return { targetGroups: 1 + appPorts, rules: 1 + appPorts };
}

/** How many students one ALB holds within the quotas less the headroom. */
export function studentsPerAlb(appPorts: number): number {
  const usage = albUsagePerStudent(appPorts);
  return Math.floor(
    Math.min(
      (AWS_QUOTAS.albTargetGroups * ALB_HEADROOM) / usage.targetGroups,
      (AWS_QUOTAS.albRules * ALB_HEADROOM) / usage.rules,
    ),
  );
}

/**
 * Assigns each student an ALB group number (1, 2, ...). A student keeps the group they had
 * (`previous`), so adding or removing someone never moves anyone else to another load
 * balancer; newcomers fill the lowest group with room. Only when the capacity per group
 * shrinks (a new app port) do students beyond it move.
 */
export function assignAlbGroups(
  studentIds: readonly string[],
  capacity: number,
  previous: ReadonlyMap<string, number>,
): Map<string, number> {
  const assignment = new Map<string, number>();
  const load = new Map<number, number>();
  const place = (id: string, group: number) => {
    assignment.set(id, group);
    load.set(group, (load.get(group) ?? 0) + 1);
  };
  for (const id of studentIds) {
    const group = previous.get(id);
    if (group !== undefined && (load.get(group) ?? 0) < capacity) place(id, group);
  }
  for (const id of studentIds) {
    if (assignment.has(id)) continue;
    let group = 1;
    while ((load.get(group) ?? 0) >= capacity) group++;
    place(id, group);
  }
  return assignment;
}

export function albGroupName(course: string, group: number): string {
  return `${course}-${group}`;
}
