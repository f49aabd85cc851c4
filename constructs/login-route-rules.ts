import {
  type HttpRouteSpecRules,
  type HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersRequestRedirectPathType,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesMatchesMethod,
  HttpRouteSpecRulesMatchesPathType,
} from '../imports/http-route-gateway.networking.k8s.io';
import type { LoginRouteRule } from '../lib/plan/model/routing';

/** The Middleware kind an ExtensionRef names: Traefik resolves it in the route's own namespace. */
const TRAEFIK_MIDDLEWARE = { group: 'traefik.io', kind: 'Middleware' } as const;

/**
 * The rules of an HTTPRoute to a login proxy (a workstation's, the board's), from the plan's:
 * Gateway API's core header filters, then one ExtensionRef per Middleware, in the plan's order.
 */
export function loginHttpRouteRules(
  rules: readonly LoginRouteRule[],
  backend: { readonly name: string; readonly port: number },
): HttpRouteSpecRules[] {
  return rules.map((rule) => {
    const filters: HttpRouteSpecRulesFilters[] = [
      {
        type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER,
        requestHeaderModifier: { remove: [...rule.removeRequestHeaders] },
      },
      {
        type: HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER,
        responseHeaderModifier: { set: rule.setResponseHeaders.map((h) => ({ name: h.name, value: h.value })) },
      },
      ...rule.middlewares.map((name) => ({
        type: HttpRouteSpecRulesFiltersType.EXTENSION_REF,
        extensionRef: { ...TRAEFIK_MIDDLEWARE, name },
      })),
      // Path redirects are an extended feature Traefik v3.6.6 implements (gateway/features.go).
      ...(rule.redirectTo
        ? [
            {
              type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
              requestRedirect: {
                path: {
                  type: HttpRouteSpecRulesFiltersRequestRedirectPathType.REPLACE_FULL_PATH,
                  replaceFullPath: rule.redirectTo,
                },
                statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_302,
              },
            },
          ]
        : []),
    ];
    return {
      ...(rule.match
        ? {
            matches: [
              {
                ...(rule.match.method ? { method: rule.match.method as HttpRouteSpecRulesMatchesMethod } : {}),
                path: { type: HttpRouteSpecRulesMatchesPathType.EXACT, value: rule.match.path },
              },
            ],
          }
        : {}),
      filters,
      ...(rule.redirectTo ? {} : { backendRefs: [{ name: backend.name, port: backend.port }] }),
    };
  });
}
