/**
 * Kata checks: what synth writes from `checks/<set>.yaml` and three programs evaluate alike,
 * the class board (from what it watches), `dojo check` in the workstation (from what the
 * student's kubeconfig lists) and the tests. A condition is a CEL expression over lists of the
 * student's objects, one variable per kind: CEL cannot loop forever, call out or read anything
 * it is not given, which is why a check in a PR diff can be trusted by reading it, and it is
 * what Kubernetes itself uses for validation rules and admission policies.
 */
import { Environment } from '@marcbachmann/cel-js';

/**
 * The kinds a condition may name, by the variable that holds them. Secrets are missing on
 * purpose: the board never reads them (a Helm release is a Secret; checks look at the objects
 * its chart made instead).
 */
export const CHECK_KINDS = {
  pods: { kind: 'Pod', apiGroup: '', version: 'v1', resource: 'pods' },
  deployments: { kind: 'Deployment', apiGroup: 'apps', version: 'v1', resource: 'deployments' },
  statefulsets: { kind: 'StatefulSet', apiGroup: 'apps', version: 'v1', resource: 'statefulsets' },
  services: { kind: 'Service', apiGroup: '', version: 'v1', resource: 'services' },
  configmaps: { kind: 'ConfigMap', apiGroup: '', version: 'v1', resource: 'configmaps' },
  persistentvolumeclaims: { kind: 'PersistentVolumeClaim', apiGroup: '', version: 'v1', resource: 'persistentvolumeclaims' },
  ingresses: { kind: 'Ingress', apiGroup: 'networking.k8s.io', version: 'v1', resource: 'ingresses' },
  horizontalpodautoscalers: {
    kind: 'HorizontalPodAutoscaler',
    apiGroup: 'autoscaling',
    version: 'v2',
    resource: 'horizontalpodautoscalers',
  },
} as const;

export type CheckKind = keyof typeof CHECK_KINDS;

/** The API path that lists a kind in every namespace (the board's informers). */
export function kindPath(kind: CheckKind): string {
  const k = CHECK_KINDS[kind];
  return k.apiGroup === '' ? `/api/${k.version}/${k.resource}` : `/apis/${k.apiGroup}/${k.version}/${k.resource}`;
}

/** `kubectl get` of a kind: resource.version.group, so that no other group's kind of that name is meant. */
export function kubectlResource(kind: CheckKind): string {
  const k = CHECK_KINDS[kind];
  return k.apiGroup === '' ? k.resource : `${k.resource}.${k.version}.${k.apiGroup}`;
}

export interface CheckCondition {
  readonly expression: string;
  /** What is not so, in plain words, when the expression is false. */
  readonly message: string;
  readonly hint: string | undefined;
}

export interface CheckExercise {
  readonly id: string;
  readonly title: string;
  /** The check set (file) it comes from. */
  readonly set: string;
  /** The kinds its conditions read, sorted. */
  readonly kinds: readonly CheckKind[];
  /** In order: the first that does not hold is the one the student is told about. */
  readonly conditions: readonly CheckCondition[];
}

/** The student's objects, by kind; a kind missing is an empty list. */
export type CheckObjects = Partial<Record<CheckKind, readonly unknown[]>>;

export type ExerciseResult =
  | { readonly id: string; readonly passed: true }
  | { readonly id: string; readonly passed: false; readonly failed: CheckCondition };

const environment = Object.keys(CHECK_KINDS)
  .reduce(
    (env, kind) => env.registerVariable(kind, 'list<dyn>'),
    new Environment({ unlistedVariablesAreDyn: false, enableOptionalTypes: true }),
  )
  .clone();

/** Why an expression is not a condition (it does not parse, names no known kind, is not true or false); undefined when it is one. */
export function conditionProblem(expression: string): string | undefined {
  const checked = environment.check(expression);
  if (!checked.valid) {
    const error = checked.error?.message.split('\n')[0] ?? 'does not compile';
    const unknown = /^Unknown variable: (\w+)/.exec(error)?.[1];
    if (unknown === 'secrets')
      return "reads Secrets, which no check may: the board never reads them; check what uses the Secret (a Deployment's env, the objects a Helm release made)";
    if (unknown)
      return `names "${unknown}", which is not a kind checks can read: use one of ${Object.keys(CHECK_KINDS).join(', ')}`;
    return `is not CEL: ${error}`;
  }
  if (checked.type !== 'bool') return `gives ${checked.type}, not true or false`;
  return undefined;
}

/** The kinds an expression that compiles reads, sorted. */
export function kindsOf(expression: string): CheckKind[] {
  const found = new Set<CheckKind>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as { op?: string; args?: unknown };
    if (n.op === 'id' && typeof n.args === 'string' && n.args in CHECK_KINDS) found.add(n.args as CheckKind);
    else walk(n.args);
  };
  walk(environment.parse(expression).ast);
  return [...found].sort();
}

const compiled = new Map<string, (context: Record<string, unknown>) => unknown>();

/**
 * Whether the student's objects pass the exercise: each condition in turn, the first that is
 * false (or reads a field the objects do not have) fails it.
 */
export function evaluateExercise(exercise: CheckExercise, objects: CheckObjects): ExerciseResult {
  const context: Record<string, unknown> = {};
  for (const kind of Object.keys(CHECK_KINDS)) context[kind] = objects[kind as CheckKind] ?? [];
  for (const condition of exercise.conditions) {
    let run = compiled.get(condition.expression);
    if (!run) {
      run = environment.parse(condition.expression);
      compiled.set(condition.expression, run);
    }
    let value: unknown;
    try {
      value = run(context);
    } catch {
      // A field the objects lack ("no such key") is the condition not met, as kubectl would show it missing.
      value = false;
    }
    if (value !== true) return { id: exercise.id, passed: false, failed: condition };
  }
  return { id: exercise.id, passed: true };
}

/**
 * The objects as plain data, as the API server sends them: CEL reads maps, lists and scalars,
 * not the classes a typed client makes of a list (@kubernetes/client-node's V1Deployment, its
 * Dates), which it refuses as unknown types.
 */
export function plainObjects(objects: CheckObjects): CheckObjects {
  return JSON.parse(JSON.stringify(objects)) as CheckObjects;
}

/** The objects of one namespace, by kind, from listed objects that carry their kind. */
export function objectsByKind(items: readonly { readonly kind?: string }[]): CheckObjects {
  const byKind = new Map<string, CheckKind>(Object.entries(CHECK_KINDS).map(([v, k]) => [k.kind, v as CheckKind]));
  const result: Partial<Record<CheckKind, unknown[]>> = {};
  for (const item of items) {
    const kind = item.kind === undefined ? undefined : byKind.get(item.kind);
    if (kind) (result[kind] ??= []).push(item);
  }
  return result;
}
