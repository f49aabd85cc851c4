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
import { loadBalancerSubnets } from '../bootstrap/vpc';
import { loginRouteRules, PROXY_CONFIG_LABEL, signInLimits } from './sign-in-limits';
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
    /** The course namespace, where the workstations and their routes live. */
    namespace: string;
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
    const limits = signInLimits(course.namespace);
    const routes: StudentRoutesPlan = { mode: 'gateway', ideRules: loginRouteRules(limits) };
    return {
      routing: { mode: 'gateway', domain, contentDomain, signInLimits: limits },
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
          {
            mode: 'alb',
            group: albGroupName(course.name, group),
            certificateArns,
            ...(cluster.routing.webAclArn ? { webAclArn: cluster.routing.webAclArn } : {}),
          },
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
  if (spec.routing.mode !== 'gateway') return [];
  const problems: Problem[] = [];
  if (spec.routing.certificates.length > 0) {
    problems.push({
      at: { file, path: ['routing', 'certificates'] },
      message: "is for alb mode: in gateway mode cert-manager issues each course's certificate, and TLS ends at the proxy",
      hint: 'remove routing.certificates (the ACM certificates are no longer used by this cluster)',
    });
  }
  if (spec.routing.webAclArn) {
    problems.push({
      at: { file, path: ['routing', 'webAclArn'] },
      message:
        'is for alb mode: a web ACL attaches to ALBs, and gateway mode has one NLB, which takes none; its proxy limits sign-ins itself',
      hint: 'remove routing.webAclArn',
    });
  }
  return problems;
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
    problems.push(...checkLoadBalancerSubnets(file, spec.routing.mode, spec.routing.loadBalancerSourceRanges));
    if (board && !boardCertificate(spec.domain, spec.routing.certificates)) {
      problems.push({
        at: { file, path: ['board'] },
        message: `needs a TLS certificate for "${boardHost(spec.domain)}", and no certificate of the cluster lists it`,
        hint: `issue an ACM certificate for ${boardHost(spec.domain)} (or *.${spec.domain}) and add it under routing.certificates`,
      });
    }
    return {
      routing: {
        mode: 'alb',
        loadBalancerSourceRanges: loadBalancerSubnets(spec),
        ...(spec.routing.webAclArn ? { webAclArn: spec.routing.webAclArn } : {}),
      },
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
  problems.push(...checkLoadBalancerSubnets(file, spec.routing.mode, spec.routing.loadBalancerSourceRanges));
  if (listeners.length > AWS_QUOTAS.gatewayListeners) {
    problems.push({
      at,
      message: `the courses need ${listeners.length} Gateway listeners (two per course, for its IDEs and its students' content${board ? ', one for the class board' : ''}); the limit is ${AWS_QUOTAS.gatewayListeners}`,
      hint: 'move courses to another cluster',
    });
  }
  // The NLB forwards TCP: TLS ends at the proxy, with the certificates cert-manager issues.
  // With IP targets the NLB does not keep the client's address (aws-load-balancer-controller
  // v2.14.0 buildPreserveClientIPFlag: false for `ip`; docs/guide/service/nlb.md), so Traefik
  // would see only the NLB's own: proxy protocol v2 (the only value is "*", on every target
  // group, docs/guide/service/annotations.md) hands it the client's, for the sign-in limits.
  const serviceAnnotations: Record<string, string> = {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': '*',
    'external-dns.alpha.kubernetes.io/hostname': dnsNames.join(','),
  };
  const gateway: GatewayPlan = {
    listeners,
    serviceAnnotations,
    proxyValues: traefikValues(serviceAnnotations, loadBalancerSubnets(spec)),
    dnsNames,
    certificates,
    issuer: acmeIssuer(spec),
  };
  return { routing: { mode: 'gateway', gateway }, problems };
}

/**
 * Values of the Traefik chart: Gateway API and Ingress providers, the IngressClass the
 * katas use, the two web entryPoints, and the Service that becomes the one NLB.
 * `nlbSubnets`: the public subnets the NLB lives in (it has no `subnets` annotation, so
 * aws-load-balancer-controller takes those tagged `kubernetes.io/role/elb`).
 */
function traefikValues(serviceAnnotations: Record<string, string>, nlbSubnets: readonly string[]): Record<string, unknown> {
  // Every listener of the NLB sends a proxy protocol v2 header. Traefik believes it from these
  // peers only and ignores it from any other (v3.6.6 pkg/server/server_entrypoint_tcp.go
  // buildProxyProtocolListener): never the VPC's range, where a pod could claim any address.
  const proxyProtocol = { trustedIPs: [...nlbSubnets] };
  const ports: Record<string, unknown> = {
    web: {
      port: GATEWAY.httpEntryPoint.port,
      exposedPort: GATEWAY.httpEntryPoint.exposedPort,
      expose: { default: true },
      proxyProtocol,
    },
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
      proxyProtocol,
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
      // An HTTPRoute's ExtensionRef to a traefik.io Middleware (the sign-in limits) resolves only
      // with this provider on (v3.6.6 pkg/config/static/static_config.go registers the kind), in
      // the route's namespace. Course namespaces come and go, so it watches every namespace but
      // reads only objects with the platform's label (its informers' label selector,
      // pkg/provider/kubernetes/crd/client.go). Chart 38.0.2 aggregates none of its rights to
      // `admin` (rbac.aggregateTo: []): students make no traefik.io object.
      kubernetesCRD: { enabled: true, labelSelector: `${PROXY_CONFIG_LABEL.key}=${PROXY_CONFIG_LABEL.value}` },
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

/** Wider than this is a VPC, not the public subnets a load balancer lives in. */
const WIDEST_LOAD_BALANCER_SUBNET_PREFIX = 18;

/**
 * The load balancers' subnets are what workstations accept (alb mode) and whose proxy
 * protocol headers Traefik believes (gateway mode). A range as wide as the VPC would let every
 * student's pod reach every workstation's ports, or tell Traefik any client address.
 */
function checkLoadBalancerSubnets(file: string, mode: 'gateway' | 'alb', ranges: readonly string[]): Problem[] {
  const [harm, balancers] =
    mode === 'alb'
      ? ['would reach the workstations', 'the ALBs use']
      : ['could give the proxy any client address', 'the NLB uses'];
  return ranges.flatMap((range, i) =>
    Number(range.split('/')[1]) < WIDEST_LOAD_BALANCER_SUBNET_PREFIX
      ? [
          {
            at: { file, path: ['routing', 'loadBalancerSourceRanges', i] },
            message: `"${range}" is wider than /${WIDEST_LOAD_BALANCER_SUBNET_PREFIX}, as wide as a VPC: students' pods in it ${harm}`,
            hint: `list only the public subnets ${balancers}; students' pods must run in other subnets`,
          },
        ]
      : [],
  );
}

/**
 * alb mode has no proxy of dojo's to bound sign-ins (an ALB cannot remove a request header or
 * count per client): without a web ACL, anyone may make a named student's login proxy check
 * passwords as fast as it can. A warning, once per cluster: the ACL is made in AWS, and a
 * cluster without one still works.
 */
export function signInWarnings(cluster: { readonly file: string; readonly routing: ClusterRoutingPlan }): string[] {
  if (cluster.routing.mode !== 'alb' || cluster.routing.webAclArn) return [];
  return [
    `warning: ${cluster.file}: alb mode without routing.webAclArn: nothing limits password guesses at the IDE and board logins, ` +
      'and each costs that login proxy a bcrypt check. Make an AWS WAF web ACL with a rate-based rule per client IP on /oauth2/sign_in ' +
      '(docs/platform-guide.md, "Routing") and set routing.webAclArn to its ARN.',
  ];
}
