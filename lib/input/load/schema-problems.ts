import type * as z from 'zod';
import type { Problem } from '../../common/problems';
import { closest } from '../../common/text';

type Issue = z.core.$ZodIssue;
type Path = readonly (string | number)[];

/**
 * Turns schema violations into problems a trainer can act on: the offending value quoted,
 * the rule in plain words, and for an unknown key the known ones (and the likely intended one).
 */
export function schemaProblems(file: string, schema: z.ZodType, data: unknown, issues: readonly Issue[]): Problem[] {
  return issues.flatMap((issue) => issueProblems(file, schema, data, issue));
}

function issueProblems(file: string, schema: z.ZodType, data: unknown, issue: Issue): Problem[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const value = valueAt(data, path);
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    // A setting's schema may say why it is needed and how to choose it (dnsName's whenMissing).
    const why = ZOD_DEFAULT_MESSAGE.test(issue.message) ? undefined : issue.message;
    return [{ at: { file, path }, message: 'is required', ...(why ? { hint: why } : {}) }];
  }
  if (issue.code === 'invalid_union') {
    const branch = closestBranch(issue.errors);
    if (branch) return branch.flatMap((inner) => issueProblems(file, schema, data, { ...inner, path: [...path, ...inner.path] }));
    return [{ at: { file, path }, message: withValue(valueAt(data, path), `has the wrong form: ${unionForms(issue.errors)}`) }];
  }
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(schema, path);
    return issue.keys.map((key) => {
      const guess = closest(key, known);
      return {
        at: { file, path: [...path, key] },
        message: `is not a known setting${guess ? `: did you mean "${guess}"?` : ''}`,
        hint: known.length ? `known here: ${known.join(', ')}` : undefined,
      };
    });
  }
  return [{ at: { file, path }, message: withValue(value, plainMessage(issue, value)) }];
}

// zod's own wording, which we replace; any other message is one we wrote for trainers.
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too small|Too big|Expected)/;

function plainMessage(issue: Issue, value: unknown): string {
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)}, not ${describe(value)}`;
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${issue.minimum} ${issue.minimum === 1 ? 'entry' : 'entries'}`;
      if (issue.origin === 'string') return `must have at least ${issue.minimum} characters`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${issue.maximum} entries`;
      if (issue.origin === 'string') return `is too long: at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** The union branch that got furthest into the value: its issues are the ones that explain the mistake. */
function closestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  const depth = (issues: readonly Issue[]) => Math.max(...issues.map((i) => i.path.length + (i.code === 'invalid_type' ? 0 : 1)));
  const ranked = branches
    .map((issues) => ({ issues, depth: depth(issues) }))
    .sort((a, b) => b.depth - a.depth || a.issues.length - b.issues.length);
  const best = ranked[0];
  // When every branch failed on the type of the value itself, no branch explains it better.
  return best && best.depth > 0 ? best.issues : undefined;
}

function unionForms(branches: readonly (readonly Issue[])[]): string {
  const forms = branches.flatMap((issues) =>
    issues
      .filter((i) => i.code === 'invalid_type' && i.path.length === 0)
      .map((i) => article((i as { expected: string }).expected)),
  );
  return forms.length ? `use ${[...new Set(forms)].join(' or ')}` : 'see the schema';
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a map of settings',
  };
  return words[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  return typeof value;
}

function withValue(value: unknown, message: string): string {
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  return scalar ? `${JSON.stringify(value)} ${message}` : message;
}

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** The keys the schema allows at `path`, read from the schema itself so they never drift. */
export function knownKeys(schema: z.ZodType, path: Path): string[] {
  const keys = new Set<string>();
  const visit = (node: z.core.$ZodType, rest: Path) => {
    const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
    switch (def.type) {
      case 'default':
      case 'prefault':
      case 'optional':
      case 'nullable':
        return visit(def.innerType as z.core.$ZodType, rest);
      case 'pipe':
        return visit(def.in as z.core.$ZodType, rest);
      case 'union':
        return (def.options as z.core.$ZodType[]).forEach((option) => visit(option, rest));
      case 'array':
        if (rest.length && typeof rest[0] === 'number') visit(def.element as z.core.$ZodType, rest.slice(1));
        return;
      case 'object': {
        const shape = def.shape as Record<string, z.core.$ZodType>;
        if (rest.length === 0) Object.keys(shape).forEach((k) => keys.add(k));
        else if (typeof rest[0] === 'string' && shape[rest[0]]) visit(shape[rest[0]], rest.slice(1));
        return;
      }
    }
  };
  visit(schema, path);
  return [...keys];
}
