/** The plan of the hosts, listeners and certificates that route to the students. */

export interface GatewayListener {
  readonly name: string;
  /** Traefik's container port: Traefik requires the listener port to be that of an entryPoint. */
  readonly port: number;
  /** The port on the NLB. */
  readonly exposedPort: number;
  readonly hostname?: string;
  /** For HTTPS listeners: the only namespace whose routes may attach (a course cannot take another's hosts). */
  readonly namespace?: string;
  /** The Secret, in the proxy's namespace, of the certificate the listener serves. */
  readonly tlsSecret: string;
}

export interface StudentHosts {
  /** `<student>.<course>.<domain>`: the IDE, over HTTPS only. */
  readonly ide: string;
  /** `<port>-<student>.<course>.<contentDomain>`, over HTTPS, per app port. */
  readonly apps: readonly { readonly port: number; readonly host: string }[];
  /** `-<student>.<course>.<contentDomain>`: the student's own Ingresses are `<name>` + this (admission policy). */
  readonly ingressSuffix: string;
}

export interface AcmeIssuerPlan {
  readonly name: string;
  readonly server: string;
  readonly email: string | undefined;
  /** The Secret of the ACME account's key, made by cert-manager in its own namespace. */
  readonly accountKeySecret: string;
  readonly region: string;
  /** The zones the challenges are written in: the cluster's domain and contentDomain. */
  readonly dnsZones: readonly string[];
}

export interface CourseCertificatePlan {
  /** The Certificate object, in the proxy's namespace. */
  readonly name: string;
  readonly namespace: string;
  /** The Secret cert-manager writes and the Gateway listener names. */
  readonly secretName: string;
  readonly dnsNames: readonly string[];
}

export type ClusterRoutingPlan =
  | {
      readonly mode: 'gateway';
      /** The shared proxy every course's hosts reach the workstations through. */
      readonly gateway: GatewayPlan;
    }
  | {
      readonly mode: 'alb';
      /** Where ALB traffic comes from. */
      readonly loadBalancerSourceRanges: readonly string[];
      /** The AWS WAF web ACL of every platform ALB (`routing.webAclArn`), if the cluster file names one. */
      readonly webAclArn?: string;
    };

export interface GatewayPlan {
  readonly listeners: readonly GatewayListener[];
  /** Annotations of the proxy's LoadBalancer Service: the NLB and the wildcard DNS names. */
  readonly serviceAnnotations: Readonly<Record<string, string>>;
  /** Helm values of the proxy's chart. */
  readonly proxyValues: Readonly<Record<string, unknown>>;
  /** Two wildcards per course (IDEs, content) and the board's host: the only DNS records routing needs. */
  readonly dnsNames: readonly string[];
  /** Two wildcard certificates per course, each served by its listener, and the board's. */
  readonly certificates: readonly CourseCertificatePlan[];
  /** The ACME issuer of those certificates. */
  readonly issuer: AcmeIssuerPlan;
}

export type CourseRoutingPlan =
  | {
      readonly mode: 'gateway';
      /** `<course>.<domain>`: the IDEs. */
      readonly domain: string;
      /** `<course>.<contentDomain>`: what the students serve. */
      readonly contentDomain: string;
      /** The Middlewares the IDE routes' sign-in rule names, in the course namespace. */
      readonly signInLimits: SignInLimitsPlan;
    }
  | {
      readonly mode: 'alb';
      /** `<course>.<domain>`: the IDEs. */
      readonly domain: string;
      /** `<course>.<contentDomain>`: what the students serve. */
      readonly contentDomain: string;
      /** The IngressGroups and their members. */
      readonly albGroups: readonly { readonly name: string; readonly students: readonly string[] }[];
      /** Target groups one student adds to their ALB. */
      readonly targetGroupsPerStudent: number;
    };

/** How a student's hosts reach their workstation. */
export type StudentRoutesPlan =
  | {
      readonly mode: 'gateway';
      /** The rules of the IDE's HTTPRoute, to the login proxy. */
      readonly ideRules: readonly LoginRouteRule[];
    }
  | {
      readonly mode: 'alb';
      /** The IngressGroup (one ALB) of the student's Ingresses. */
      readonly group: string;
      /** The ACM certificates covering `*.<course>.<domain>` (first: the listener's default) and `*.<course>.<contentDomain>`, each once. */
      readonly certificateArns: readonly string[];
      /** The AWS WAF web ACL of the ALB (`routing.webAclArn`), if the cluster file names one. */
      readonly webAclArn?: string;
    };

/** Traefik Middlewares (traefik.io/v1alpha1) of one namespace that bound sign-in attempts. */
export interface SignInLimitsPlan {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Each Middleware's name and its spec, one middleware type each (Traefik refuses a Middleware of two). */
  readonly middlewares: readonly { readonly name: string; readonly spec: Readonly<Record<string, unknown>> }[];
}

/** One rule of an HTTPRoute to a login proxy. */
export interface LoginRouteRule {
  /** The requests of this rule; none: every request (Gateway API's default, path prefix `/`). */
  readonly match?: { readonly method?: string; readonly path: string };
  /** Answered by the proxy with a redirect to this path: nothing of the rule reaches the backend. */
  readonly redirectTo?: string;
  /** Request headers removed before the proxy sees them. */
  readonly removeRequestHeaders: readonly string[];
  /** Response headers set. */
  readonly setResponseHeaders: readonly { readonly name: string; readonly value: string }[];
  /** Middlewares of the route's namespace, by name, applied in this order (an ExtensionRef each). */
  readonly middlewares: readonly string[];
}
