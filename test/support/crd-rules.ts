import { celEnv, celMethod, CelScalar, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { KubeObject } from './repo';
import { upstreamCrds } from './schemas';

/**
 * The CEL rules (`x-kubernetes-validations`) of the upstream CRDs, evaluated on objects the way
 * the API server does on create: after structural defaulting, at each node of the schema that
 * carries rules, with `self` that node's value and integers as CEL ints. Transition rules
 * (`oldSelf`) are left out: they compare with a live object (test/immutable-fields.test.ts).
 * Evaluated with @bufbuild/cel (a conformance-tested CEL; cel-js refuses `has()` on an
 * indexed field such as `has(self.matches[0].path)`, which Gateway API's rules use). Of
 * Kubernetes' CEL libraries these rules use `split` (the strings extension) and `find`.
 */
export interface RuleFailure {
  readonly object: string;
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  default?: unknown;
  'x-kubernetes-validations'?: { rule: string; message?: string; messageExpression?: string }[];
  'x-kubernetes-int-or-string'?: boolean;
};

/** Kubernetes' `find`: the first match of a regex, or "" (the strings extension has `split`). */
const find = celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
  return new RegExp(pattern).exec(this)?.[0] ?? '';
});
const environment = celEnv({ funcs: [...strings, find] });
const compiled = new Map<string, ReturnType<typeof plan>>();

/** A rule's result with `self` (and, for transition rules, `oldSelf`) bound: true, false, or the evaluation error (which the API server counts as invalid). */
export function evaluateRule(rule: string, bindings: { self: unknown; oldSelf?: unknown }): unknown {
  let program = compiled.get(rule);
  if (!program) compiled.set(rule, (program = plan(environment, parse(rule))));
  const variables = Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, asCel(v)]));
  const result = program(variables as never);
  return isCelError(result) ? `error: ${result.message}` : result;
}

/** Maps as CEL maps (a plain object is not one to this library). */
function asCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asCel);
  if (value && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, asCel(v)]));
  return value;
}

let schemas: Map<string, Schema> | undefined;

/** The schema of each served CRD version by `group/version/Kind`. */
function crdSchemas(): Map<string, Schema> {
  if (schemas) return schemas;
  schemas = new Map();
  for (const crd of upstreamCrds()) {
    for (const version of crd.spec.versions) {
      if (version.served) schemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
    }
  }
  return schemas;
}

/** Whether a CRD dojo knows defines the object's kind (so its rules were evaluated). */
export function hasCrdSchema(object: KubeObject): boolean {
  return crdSchemas().has(`${object.apiVersion}/${object.kind}`);
}

/** Every CEL rule of the object's CRD that does not hold, or [] (also when no CRD is known). */
export function crdRuleFailures(object: KubeObject): RuleFailure[] {
  const schema = crdSchemas().get(`${object.apiVersion}/${object.kind}`);
  if (!schema) return [];
  const name = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
  const failures: RuleFailure[] = [];
  const visit = (value: unknown, node: Schema, at: string) => {
    if (value === undefined || value === null) return;
    for (const { rule, message } of node['x-kubernetes-validations'] ?? []) {
      if (/\boldSelf\b/.test(rule)) continue;
      let holds: unknown;
      try {
        holds = evaluateRule(rule, { self: value });
      } catch (error) {
        holds = `error: ${(error as Error).message}`;
      }
      if (holds !== true) failures.push({ object: name, path: at || '/', rule, message: message ?? String(holds) });
    }
    if (Array.isArray(value) && node.items) value.forEach((v, i) => visit(v, node.items!, `${at}[${i}]`));
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childSchema = fieldSchema(node, key);
        if (childSchema) visit(child, childSchema, `${at}.${key}`);
      }
    }
  };
  visit(asApiServerSees(structuredClone(object), schema), schema, '');
  return failures;
}

/** Defaults filled in and integers made CEL ints, as the API server holds the object when it validates. */
function asApiServerSees(value: unknown, node: Schema): unknown {
  if (value === undefined || value === null) return value;
  if (Array.isArray(value)) return node.items ? value.map((v) => asApiServerSees(v, node.items!)) : value;
  if (typeof value === 'number' && Number.isInteger(value) && (node.type === 'integer' || node['x-kubernetes-int-or-string']))
    return BigInt(value);
  if (typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (record[key] === undefined && child.default !== undefined) record[key] = structuredClone(child.default);
  }
  for (const [key, child] of Object.entries(record)) {
    const childSchema = fieldSchema(node, key);
    if (childSchema) record[key] = asApiServerSees(child, childSchema);
  }
  return record;
}

/** The schema of an object's field: a named property, or the schema of a map's values. */
function fieldSchema(node: Schema, key: string): Schema | undefined {
  return node.properties?.[key] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
}
