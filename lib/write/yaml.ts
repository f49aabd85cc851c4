import { DEFAULT_SCHEMA, dump, Type, type DumpOptions, type Schema } from 'js-yaml';

/**
 * js-yaml's options for dist/. js-yaml quotes every string that YAML 1.1 would read as
 * something else (Kubernetes, kubectl and ArgoCD read YAML 1.1, where an unquoted `yes`, `on`
 * or `n` is a boolean: the label `sysbox-install: "yes"` must stay a string). No line folding,
 * so a long value never reflows and a diff shows only what changed. js-yaml rather than the
 * `yaml` package (used for reading, for its source positions) because it emits about four
 * times faster.
 */
export const OPTIONS: DumpOptions = { lineWidth: -1, noRefs: true, quotingType: '"', schema: yaml11Floats() };

/**
 * js-yaml 4 quotes a string that its own (YAML 1.2) schema would read as another type, but the
 * YAML 1.1 float pattern of the `yaml` package, with which the tests hold dist/ to read the same
 * under 1.1 and 1.2, is wider: it takes `.` (Istio's exportTo `["."]`) for a float. Go's YAML
 * libraries (Kubernetes, ArgoCD) read a plain `.` as a string; quoting keeps every reader
 * agreeing. An implicit type that only resolves those floats and represents nothing makes js-yaml
 * quote such strings too.
 */
function yaml11Floats(): Schema {
  const float11 = new Type('tag:yaml.org,2002:yaml-1.1-float', {
    kind: 'scalar',
    resolve: (text: string) => /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/.test(text),
    construct: (text: string) => text,
    predicate: () => false,
  });
  return DEFAULT_SCHEMA.extend({ implicit: [float11] });
}

/** Multi-document YAML, byte for byte what js-yaml's `dump` makes of each document. */
export function toYamlStream(documents: readonly unknown[]): string {
  return documents.map((doc) => blockYaml(doc) ?? dump(doc, OPTIONS)).join('---\n');
}

// Serializing was most of synth's time, and most of js-yaml's time goes into deciding how to
// write each scalar (which YAML types a string could be mistaken for, which quoting it needs),
// over and over for the same labels, images and ports. So the layout of a document (indents,
// `- `, `key: `, `{}` and `[]`) is written here, as js-yaml 4.3.2 lays out block mappings and
// sequences with these options (read in its lib/dumper.js: writeBlockMapping,
// writeBlockSequence, writeNode), and every scalar still comes from js-yaml: `dump` of the
// scalar alone, remembered. Alone, a single-line scalar is written as it is anywhere in a
// block document (its level only sets the indent of multi-line block scalars, and the line
// width is unlimited). A document with anything else (a string with a line break, a key written
// in over 1024 characters, a sequence in a sequence, undefined, an object that is not plain)
// goes to `dump` whole. A test holds the two equal on every document of the fixtures' output and on
// generated documents full of such cases.

class NotBlockYaml extends Error {}
const NOT_BLOCK_YAML = new NotBlockYaml();

/** Remembered scalars, dropped when this many, so that memory stays flat however large the repo. */
const MAX_REMEMBERED = 100_000;
const scalars = new Map<unknown, string>();

function scalar(value: unknown): string {
  // The map takes -0 for 0, which js-yaml writes differently.
  if (Object.is(value, -0)) return dump(value, OPTIONS).slice(0, -1);
  let text = scalars.get(value);
  if (text !== undefined) return text;
  if (typeof value === 'string') {
    if (value.includes('\n') || value.includes('\r')) throw NOT_BLOCK_YAML;
  } else if (typeof value !== 'number' && typeof value !== 'boolean' && value !== null) {
    throw NOT_BLOCK_YAML;
  }
  text = dump(value, OPTIONS).slice(0, -1);
  if (scalars.size >= MAX_REMEMBERED) scalars.clear();
  scalars.set(value, text);
  return text;
}

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

function writeMapping(object: Record<string, unknown>, indent: string, out: string[]): void {
  let first = true;
  for (const key of Object.keys(object)) {
    const value = object[key];
    // js-yaml writes a key longer than 1024 characters as an explicit `? key`.
    const keyText = scalar(key);
    if (keyText.length > 1024) throw NOT_BLOCK_YAML;
    if (!first) out.push(indent);
    first = false;
    out.push(keyText, ':');
    writeValue(value, indent, out);
  }
}

/** A mapping's value, after its `key:`. */
function writeValue(value: unknown, indent: string, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    out.push(' ', scalar(value), '\n');
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(' []\n');
    } else {
      out.push('\n', indent, '  ');
      writeSequence(value, `${indent}  `, out);
    }
  } else if (!isPlainObject(value)) {
    throw NOT_BLOCK_YAML;
  } else if (Object.keys(value).length === 0) {
    out.push(' {}\n');
  } else {
    out.push('\n', indent, '  ');
    writeMapping(value, `${indent}  `, out);
  }
}

function writeSequence(items: readonly unknown[], indent: string, out: string[]): void {
  let first = true;
  for (const item of items) {
    out.push(first ? '- ' : `${indent}- `);
    first = false;
    if (item === null || typeof item !== 'object') out.push(scalar(item), '\n');
    else if (Array.isArray(item)) {
      if (item.length > 0) throw NOT_BLOCK_YAML;
      out.push('[]\n');
    } else if (!isPlainObject(item)) throw NOT_BLOCK_YAML;
    else if (Object.keys(item).length === 0) out.push('{}\n');
    else writeMapping(item, `${indent}  `, out);
  }
}

/**
 * The document as js-yaml writes it, laid out here with js-yaml's scalars, when it is a
 * non-empty plain mapping of the cases above; undefined when `dump` must write it whole.
 */
export function blockYaml(document: unknown): string | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document) || !isPlainObject(document)) return undefined;
  if (Object.keys(document).length === 0) return undefined;
  const out: string[] = [];
  try {
    writeMapping(document, '', out);
  } catch (error) {
    if (error === NOT_BLOCK_YAML) return undefined;
    throw error;
  }
  return out.join('');
}
