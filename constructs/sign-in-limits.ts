import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { SignInLimitsPlan } from '../lib/plan/model/routing';

export interface SignInLimitsProps {
  /** The Middlewares of one namespace, from the plan. */
  readonly limits: SignInLimitsPlan;
}

/**
 * The Traefik Middlewares (traefik.io/v1alpha1, CRD of chart 38.0.2, Traefik v3.6.6) that the
 * sign-in rule of the login routes in the same namespace names: Traefik resolves an HTTPRoute's
 * ExtensionRef in the route's namespace only.
 */
export class SignInLimits extends Construct {
  constructor(scope: Construct, id: string, props: SignInLimitsProps) {
    super(scope, id);
    const { limits } = props;
    for (const middleware of limits.middlewares) {
      if (Object.keys(middleware.spec).length !== 1) {
        throw new Error(
          `SignInLimits: Middleware "${middleware.name}" has ${Object.keys(middleware.spec).length} middleware types; Traefik takes one per Middleware: make one Middleware each`,
        );
      }
      new ApiObject(this, middleware.name, {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: middleware.name, namespace: limits.namespace, labels: { ...limits.labels } },
        spec: middleware.spec,
      });
    }
  }
}
