import { evaluate } from '@marcbachmann/cel-js';
import type { KubeObject } from './repo';

/**
 * The API server's admission step for ValidatingAdmissionPolicies, run on the generated
 * policy objects: match rules and the binding's namespace selector select the policies, and
 * the policies' own CEL (matchConditions, variables, validations) is evaluated with a CEL
 * library. Nothing of the rules is written again here. An expression that fails to evaluate
 * denies, as `failurePolicy: Fail` does.
 */
export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly subResource?: string;
  readonly namespace: string;
  readonly username: string;
  readonly object: Record<string, unknown> | null;
  readonly oldObject?: Record<string, unknown> | null;
}

export interface Decision {
  readonly allowed: boolean;
  readonly denials: readonly string[];
}

interface Rule {
  scope?: string;
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: string[];
}

/** JSON numbers that are whole are CEL ints, as the API server reads them. */
function celValue(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(celValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, celValue(v)]));
  }
  return value;
}

function ruleMatches(rule: Rule, request: AdmissionRequest): boolean {
  const resource = request.subResource ? `${request.resource.resource}/${request.subResource}` : request.resource.resource;
  const resourceMatches = rule.resources.some(
    (r) =>
      r === resource ||
      (r === '*' && !request.subResource) ||
      r === '*/*' ||
      (r.endsWith('/*') && request.subResource !== undefined && r.slice(0, -2) === request.resource.resource),
  );
  return (
    (rule.scope !== 'Namespaced' || request.namespace !== '') &&
    (rule.apiGroups.includes('*') || rule.apiGroups.includes(request.resource.group)) &&
    (rule.apiVersions.includes('*') || rule.apiVersions.includes(request.resource.version)) &&
    (rule.operations.includes('*') || rule.operations.includes(request.operation)) &&
    resourceMatches
  );
}

export class AdmissionChain {
  private readonly policies: Map<string, KubeObject>;
  private readonly bindings: KubeObject[];

  /** `objects`: everything generated for one cluster; `namespaces`: labels of each namespace. */
  constructor(
    objects: readonly KubeObject[],
    private readonly namespaces: ReadonlyMap<string, Record<string, string>>,
  ) {
    this.policies = new Map(
      objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy').map((o) => [o.metadata.name, o] as const),
    );
    this.bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
    if (this.policies.size === 0) throw new Error('no ValidatingAdmissionPolicy among the objects');
  }

  review(request: AdmissionRequest): Decision {
    const labels = this.namespaces.get(request.namespace) ?? {};
    const context: Record<string, unknown> = {
      object: celValue(request.object),
      oldObject: celValue(request.oldObject ?? null),
      request: celValue({
        operation: request.operation,
        namespace: request.namespace,
        userInfo: { username: request.username, groups: ['system:serviceaccounts', 'system:authenticated'] },
        resource: request.resource,
        subResource: request.subResource ?? '',
      }),
      namespaceObject: celValue({ metadata: { name: request.namespace, labels } }),
    };
    const denials: string[] = [];
    for (const binding of this.bindings) {
      const policy = this.policies.get(binding.spec.policyName);
      if (!policy) throw new Error(`binding ${binding.metadata.name} names no policy`);
      const selector: Record<string, string> = binding.spec.matchResources?.namespaceSelector?.matchLabels ?? {};
      if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) continue;
      if (!(policy.spec.matchConstraints.resourceRules as Rule[]).some((r) => ruleMatches(r, request))) continue;
      denials.push(...this.evaluatePolicy(policy, context));
    }
    return { allowed: denials.length === 0, denials };
  }

  private evaluatePolicy(policy: KubeObject, context: Record<string, unknown>): string[] {
    const name = policy.metadata.name;
    try {
      for (const condition of policy.spec.matchConditions ?? []) {
        if (evaluate(condition.expression, context) !== true) return [];
      }
      const variables: Record<string, unknown> = {};
      const scope = { ...context, variables };
      for (const variable of policy.spec.variables ?? []) variables[variable.name] = evaluate(variable.expression, scope);
      const denials: string[] = [];
      for (const validation of policy.spec.validations) {
        if (evaluate(validation.expression, scope) === true) continue;
        const message = validation.messageExpression ? evaluate(validation.messageExpression, scope) : validation.message;
        denials.push(`${name}: ${String(message)}`);
      }
      return denials;
    } catch (error) {
      return [`${name}: evaluation error (fails closed): ${(error as Error).message.split('\n')[0]}`];
    }
  }
}
