import type { ClusterSpec } from '../../input/schema/cluster';
import type { Problem } from '../../common/problems';
import {
  albGroupName,
  albUsagePerStudent,
  assignAlbGroups,
  AWS_QUOTAS,
  certificateFor,
  courseDomain,
  GATEWAY,
  gatewayListeners,
  KATA_INGRESS_CLASS,
  PLATFORM_DNS_LABEL,
  studentsPerAlb,
} from './hosts';
import { albSourceRanges } from '../bootstrap/vpc';
import { acmeIssuer, courseCertificates } from './course-certificates';
import { BOARD_LISTENER, boardCertificate, boardHost, CLASS_BOARD } from '../class-board/class-board';
import type { CoursePlan } from '../model/types';
import type { ClusterRoutingPlan, CourseRoutingPlan, GatewayPlan, StudentRoutesPlan } from '../model/routing';

/**
 * A course's routing: its certificate and, in alb mode, its IngressGroups (keeping earlier
 * assignments); and each student's routes, by id (none for an archived course, or where a
 * problem is reported).
 */
export function planCourseRouting(
  course: {
    name: string;
    file: string;
    /** Sorted, each once. */
    appPorts: readonly number[];
    studentIds: readonly string[];
    /** Archived courses are not routed. */
    archived: boolean;
  },
  cluster: ClusterSpec,
  previousGroups: ReadonlyMap<string, number>,
): { routing: CourseRoutingPlan; routesOf: ReadonlyMap<string, StudentRoutesPlan>; problems: Problem[] } {
  const domain = courseDomain(course.name, cluster.domain);
  const contentDomain = courseDomain(course.name, cluster.contentDomain);
  if (cluster.routing.mode !== 'alb') {
    // cert-manager issues the course's certificates (lib/plan/routing/course-certificates.ts).
    const routes: StudentRoutesPlan = { mode: 'gateway' };
    return {
      routing: { mode: 'gateway', domain, contentDomain },
      routesOf: new Map(course.studentIds.map((id) => [id, routes])),
      problems: [],
    };
  }
  // An ALB serves ACM certificates only: the cluster file names them, for both of the course's domains.
  const wildcards = [domain, contentDomain].map((d) => ({
    name: `*.${d}`,
    arn: certificateFor(d, cluster.routing.certificates),
  }));
  const missing = wildcards.filter((w) => !w.arn).map((w) => w.name);
  const problems: Problem[] = [];
  if (missing.length > 0 && !course.archived) {
    problems.push({
      at: { file: course.file, path: ['name'] },
      message: `needs a TLS certificate for ${missing.map((name) => `"${name}"`).join(' and ')}, and no certificate of cluster "${cluster.name}" lists ${missing.length > 1 ? 'them' : 'it'}`,
      hint: `issue an ACM certificate for ${missing.join(' and ')} (one certificate may name several) and add it under routing.certificates of the cluster file (or run the course on a gateway-mode cluster, which issues its own)`,
    });
  }
  const found = wildcards.flatMap((w) => (w.arn ? [w.arn] : []));
  // The IDE's first (the listener's default); one certificate naming both domains is listed once.
  const certificateArns = missing.length > 0 ? undefined : [...new Set(found)];
  const usage = albUsagePerStudent(course.appPorts.length);
  const capacity = Math.max(1, studentsPerAlb(course.appPorts.length));
  const assignment = assignAlbGroups(course.studentIds, capacity, previousGroups);
  const members = new Map<number, string[]>();
  for (const [id, group] of assignment) members.set(group, [...(members.get(group) ?? []), id]);
  const albGroups = [...members.entries()]
    .sort(([a], [b]) => a - b)
    .map(([group, ids]) => ({ name: albGroupName(course.name, group), students: ids }));
  const routesOf = new Map(
    certificateArns
      ? [...assignment].map(([id, group]): [string, StudentRoutesPlan] => [
          id,
          { mode: 'alb', group: albGroupName(course.name, group), certificateArns },
        ])
      : [],
  );
  return {
    routing: { mode: 'alb', domain, contentDomain, albGroups, targetGroupsPerStudent: usage.targetGroups },
    routesOf,
    problems,
  };
}

/** Routing settings of a cluster file that contradict its mode. */
export function checkRoutingSpec(file: string, spec: ClusterSpec): Problem[] {
  if (spec.routing.mode !== 'gateway' || spec.routing.certificates.length === 0) return [];
  return [
    {
      at: { file, path: ['routing', 'certificates'] },
      message: "is for alb mode: in gateway mode cert-manager issues each course's certificate, and TLS ends at the proxy",
      hint: 'remove routing.certificates (the ACM certificates are no longer used by this cluster)',
    },
  ];
}

/** The cluster's side of routing: the shared gateway and its quotas, or the ALB count against the region's quota. */
export function planClusterRouting(
  cluster: { file: string; spec: ClusterSpec },
  courses: readonly CoursePlan[],
): { routing: ClusterRoutingPlan; problems: Problem[] } {
  const { spec, file } = cluster;
  const at = { file, path: ['routing'] };
  const problems: Problem[] = [];
  const board = spec.board !== undefined;
  if (spec.routing.mode === 'alb') {
    // The class board has an ALB of its own (lib/plan/class-board/class-board.ts).
    const albGroups = (c: CoursePlan) => (c.routing.mode === 'alb' ? c.routing.albGroups.length : 0);
    const groups = courses.reduce((sum, c) => sum + albGroups(c), 0) + (board ? 1 : 0);
    if (groups > spec.routing.albQuota) {
      const detail = [...courses.map((c) => `${c.name} ${albGroups(c)}`), ...(board ? ['class board 1'] : [])].join(', ');
      problems.push({
        at: { file, path: ['routing', 'albQuota'] },
        message: `the courses need ${groups} ALBs (${detail}), more than the region's quota of ${spec.routing.albQuota}`,
        hint: 'raise the quota with AWS and then routing.albQuota, move courses to another cluster, or use gateway mode',
      });
    }
    problems.push(...checkAlbSourceRanges(file, spec.routing.loadBalancerSourceRanges));
    if (board && !boardCertificate(spec.domain, spec.routing.certificates)) {
      problems.push({
        at: { file, path: ['board'] },
        message: `needs a TLS certificate for "${boardHost(spec.domain)}", and no certificate of the cluster lists it`,
        hint: `issue an ACM certificate for ${boardHost(spec.domain)} (or *.${spec.domain}) and add it under routing.certificates`,
      });
    }
    return {
      routing: { mode: 'alb', loadBalancerSourceRanges: albSourceRanges(spec) },
      problems,
    };
  }
  const routed = courses.filter((c) => !c.archived);
  const courseCerts = routed.map((c) => courseCertificates(c.name, c.routing));
  const certificates = courseCerts.flatMap((c) => [c.ide, c.content]);
  const listeners = gatewayListeners(
    routed.map((c, i) => ({
      name: c.name,
      namespace: c.namespace,
      ide: { domain: c.routing.domain, tlsSecret: courseCerts[i].ide.secretName },
      content: { domain: c.routing.contentDomain, tlsSecret: courseCerts[i].content.secretName },
    })),
  );
  const dnsNames = routed.flatMap((c) => [`*.${c.routing.domain}`, `*.${c.routing.contentDomain}`]);
  if (board) {
    // The board's host is one name of the cluster's domain, with a certificate of its own.
    const host = boardHost(spec.domain);
    const certificate = {
      name: CLASS_BOARD.name,
      namespace: GATEWAY.namespace,
      secretName: `${CLASS_BOARD.name}-tls`,
      dnsNames: [host],
    };
    certificates.push(certificate);
    listeners.push({
      name: BOARD_LISTENER,
      port: GATEWAY.httpsEntryPoint.port,
      exposedPort: GATEWAY.httpsEntryPoint.exposedPort,
      hostname: host,
      namespace: CLASS_BOARD.namespace,
      tlsSecret: certificate.secretName,
    });
    dnsNames.push(host);
  }
  if (listeners.length > AWS_QUOTAS.gatewayListeners) {
    problems.push({
      at,
      message: `the courses need ${listeners.length} Gateway listeners (two per course, for its IDEs and its students' content${board ? ', one for the class board' : ''}); the limit is ${AWS_QUOTAS.gatewayListeners}`,
      hint: 'move courses to another cluster',
    });
  }
  // The NLB forwards TCP: TLS ends at the proxy, with the certificates cert-manager issues.
  const serviceAnnotations: Record<string, string> = {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    'external-dns.alpha.kubernetes.io/hostname': dnsNames.join(','),
  };
  const gateway: GatewayPlan = {
    listeners,
    serviceAnnotations,
    proxyValues: traefikValues(serviceAnnotations),
    dnsNames,
    certificates,
    issuer: acmeIssuer(spec),
  };
  return { routing: { mode: 'gateway', gateway }, problems };
}

/**
 * Values of the Traefik chart: Gateway API and Ingress providers, the IngressClass the
 * katas use, the two web entryPoints, and the Service that becomes the one NLB.
 */
function traefikValues(serviceAnnotations: Record<string, string>): Record<string, unknown> {
  const ports: Record<string, unknown> = {
    web: { port: GATEWAY.httpEntryPoint.port, exposedPort: GATEWAY.httpEntryPoint.exposedPort, expose: { default: true } },
    // TLS ends here. The Gateway's HTTPS listeners bind to this entryPoint by port and serve
    // their course's certificate (Traefik v3.6.6 pkg/provider/kubernetes/gateway). The
    // entryPoint's own TLS makes the katas' Ingress routers on it TLS too; Traefik picks their
    // certificate by SNI from the same store, the course's content wildcard. Chart 38.0.2 reads
    // `ports.websecure.tls.enabled` (templates/_podtemplate.tpl); `http.tls` is a later layout.
    websecure: {
      port: GATEWAY.httpsEntryPoint.port,
      exposedPort: GATEWAY.httpsEntryPoint.exposedPort,
      expose: { default: true },
      tls: { enabled: true },
    },
  };
  return {
    deployment: { replicas: 2 },
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    providers: {
      kubernetesGateway: { enabled: true },
      // Ingresses that name the class by annotation (`kubernetes.io/ingress.class: alb`, as some katas
      // do) are served only when the provider's ingressClass says so; without it Traefik would serve
      // the ones that name no class at all and skip these (providers/kubernetes/ingress
      // shouldProcessIngress, Traefik v3).
      kubernetesIngress: { enabled: true, ingressClass: KATA_INGRESS_CLASS, publishedService: { enabled: true } },
      kubernetesCRD: { enabled: false },
    },
    gateway: { enabled: false },
    gatewayClass: { enabled: false },
    ingressClass: { enabled: true, isDefaultClass: false, name: KATA_INGRESS_CLASS },
    ports,
    service: {
      type: 'LoadBalancer',
      annotations: serviceAnnotations,
      labels: { [PLATFORM_DNS_LABEL.key]: PLATFORM_DNS_LABEL.value },
    },
  };
}

/** Wider than this is a VPC, not the public subnets an ALB lives in. */
const WIDEST_ALB_SOURCE_PREFIX = 18;

/**
 * alb mode: workstations accept traffic from the ALBs' subnets alone. A range as wide as the
 * VPC would let every student's pod reach every workstation's ports.
 */
function checkAlbSourceRanges(file: string, ranges: readonly string[]): Problem[] {
  return ranges.flatMap((range, i) =>
    Number(range.split('/')[1]) < WIDEST_ALB_SOURCE_PREFIX
      ? [
          {
            at: { file, path: ['routing', 'loadBalancerSourceRanges', i] },
            message: `"${range}" is wider than /${WIDEST_ALB_SOURCE_PREFIX}, as wide as a VPC: students' pods in it would reach the workstations`,
            hint: "list only the public subnets the ALBs use; students' pods must run in other subnets",
          },
        ]
      : [],
  );
}
