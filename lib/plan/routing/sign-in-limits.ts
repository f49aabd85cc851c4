/**
 * What bounds the work a stranger can make a login proxy (a workstation's or the board's) do.
 * oauth2-proxy v7.15.3 has no rate limit or lockout of its own, and it runs one bcrypt
 * comparison (pkg/authentication/basic/htpasswd.go Validate) for each of:
 * - `POST /oauth2/sign_in` naming a known user (`ManualSignIn`, oauthproxy.go; GET runs none);
 * - any request, on any other path, carrying `Authorization: Basic` for a known user (the
 *   basic session loader comes first in the session chain, oauthproxy.go buildSessionChain,
 *   pkg/middleware/basic_session.go), even with a valid cookie.
 * The user names are the student ids, which the host names show.
 *
 * Gateway mode closes the second path and bounds the first at the shared proxy (Traefik
 * v3.6.6, chart 38.0.2); alb mode has neither and relies on an AWS WAF web ACL.
 */
import { HSTS } from './hosts';
import { LABELS, MANAGED_BY } from '../model/object-names';
import type { LoginRouteRule, SignInLimitsPlan } from '../model/routing';

/** oauth2-proxy's sign-in form posts here (`--proxy-prefix` default `/oauth2` + `/sign_in`, an exact gorilla route). */
export const SIGN_IN = { method: 'POST', path: '/oauth2/sign_in' } as const;

/**
 * The label Traefik's kubernetesCRD provider selects by (its `labelSelector`): it reads only
 * the platform's Middlewares. Students cannot make traefik.io objects at all (the chart
 * aggregates no role to `admin`), and could not set this label if they could: the admission
 * policy refuses every `dojo.training/` label in their namespaces.
 */
export const PROXY_CONFIG_LABEL = { key: 'dojo.training/proxy-config', value: 'platform' } as const;

/**
 * The two Middlewares of a namespace whose HTTPRoutes lead to login proxies. Both key on the
 * client's address (`ipStrategy: {}` is the connection's remote address, which the NLB's proxy
 * protocol makes the client's; inFlightReq would otherwise default to the request's host, one
 * bucket for everyone, v3.6.6 pkg/middlewares/inflightreq). Traefik builds a middleware anew for
 * every router that uses it (pkg/server/middleware/middlewares.go BuildChain, traefik#13706), so
 * the state is per route, that is per student and client address, in each Traefik pod.
 *
 * - inFlightReq, 2 at a time: a sign-in in progress is one bcrypt; more from one address wait
 *   for nothing and get 429. It keeps no bucket that refills, so it holds when the rate
 *   limit's state is lost. Two, not one: a double-clicked button or a second tab.
 * - rateLimit, 6 a minute with a burst of 3: what bounds one address's share of the proxy's
 *   CPU (a bcrypt at the hashes' cost 10 takes about 70 ms of CPU: 6 a minute is under 3% of the
 *   proxy's 250m limit), while a
 *   student who mistypes a few times is never refused. In memory its buckets are per pod (two
 *   pods: up to twice the rate), an idle bucket comes back full after 1 + 1/rate = 11 s
 *   (ratelimiter/rate_limiter.go: so at worst 3 every 11 s), and every dynamic-configuration
 *   reload starts them full again (routerfactory.go builds every middleware anew), which any
 *   change of an Ingress, an HTTPRoute or endpoints causes, as often as every 2 s. A Redis
 *   store would keep them, at the price of a Redis the platform does not otherwise need; the
 *   in-flight limit is what holds meanwhile.
 */
export function signInLimits(namespace: string): SignInLimitsPlan {
  const byClientAddress = { ipStrategy: {} };
  return {
    namespace,
    labels: {
      [LABELS.managedBy]: MANAGED_BY,
      [LABELS.component]: 'sign-in-limits',
      [PROXY_CONFIG_LABEL.key]: PROXY_CONFIG_LABEL.value,
    },
    middlewares: [
      { name: 'dojo-sign-in-in-flight', spec: { inFlightReq: { amount: 2, sourceCriterion: byClientAddress } } },
      {
        name: 'dojo-sign-in-rate',
        spec: { rateLimit: { average: 6, period: '1m', burst: 3, sourceCriterion: byClientAddress } },
      },
    ],
  };
}

/**
 * The rules of an HTTPRoute to a login proxy (gateway mode). Every rule removes the request's
 * `Authorization` header, which no dojo client sends (the login is a cookie; code-server runs
 * with `--auth none`), so no request reaches the proxy's basic session loader; and sets HSTS.
 * The sign-in POST has a rule of its own with the limits: an exact path with a method ranks
 * above the catch-all (Traefik v3.6.6 pkg/provider/kubernetes/gateway/httproute.go), and
 * filters are per rule, so it repeats the others. Were the Middlewares missing, Traefik would
 * skip that rule and sign-ins would fall to the catch-all, unlimited: the Middlewares are made
 * in the same Application as the routes, and a test holds the names together.
 */
export function loginRouteRules(limits: SignInLimitsPlan): LoginRouteRule[] {
  const common = {
    removeRequestHeaders: ['Authorization'],
    setResponseHeaders: [{ name: HSTS.header, value: HSTS.value }],
  };
  return [
    { ...common, match: SIGN_IN, middlewares: limits.middlewares.map((m) => m.name) },
    { ...common, match: { path: HIDDEN_HEALTH_PATH }, redirectTo: '/', middlewares: [] },
    { ...common, middlewares: [] },
  ];
}

/**
 * code-server's health page, which the login proxy lets through without a login for the
 * kubelet's probes and the class board. Both reach the pod, never the route: from outside it
 * would tell anyone when a named student last worked, so the route sends it to the sign-in.
 */
export const HIDDEN_HEALTH_PATH = '/healthz';
