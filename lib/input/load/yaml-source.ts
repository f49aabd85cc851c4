import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Position, Problem } from '../../common/problems';

/** A parsed YAML file that can tell where any path of it sits. */
export interface YamlSource {
  readonly file: string;
  /** The plain data, or undefined when the file does not parse. */
  readonly data: unknown;
  readonly problems: readonly Problem[];
  /**
   * Line and column of the node at `path`: of its key when it is a map entry, so that an
   * error points at the setting's name. A path that does not exist (a missing setting)
   * resolves to the deepest part of it that does.
   */
  locate(path: readonly (string | number)[]): Position;
  /**
   * Where a plain or quoted scalar at `path` runs on into a next line (YAML folds the lines
   * into one value with a space): the first character of that line and the text from there
   * to the line's end; undefined when it stays on one line or is not such a scalar.
   */
  runOnLine(path: readonly (string | number)[]): { at: Position; text: string } | undefined;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const problems: Problem[] = doc.errors.map((error) => ({
    at: { file, path: [], position: position(error.pos[0]) },
    message: yamlErrorMessage(error.code, error.message, text.slice(error.pos[0])),
  }));
  let data: unknown;
  if (problems.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // The yaml package refuses aliases that would expand past the limit (or that name no
      // anchor) with a ReferenceError, before building anything big: a bad file, not a bug.
      if (!(error instanceof ReferenceError)) throw error;
      problems.push({ at: { file, path: [], position: position(firstAliasOffset(doc)) }, message: aliasMessage(error.message) });
    }
  }
  return {
    file,
    data,
    problems,
    locate: (path) => position(nodeOffset(doc, path)),
    runOnLine: (path) => {
      const node = doc.getIn(path, true);
      if (!isScalar(node) || !node.range || !RUN_ON_TYPES.includes(String(node.type))) return undefined;
      const [start, end] = node.range;
      // The range ends at the value's last character, so a line break inside it has more after it.
      const lineBreak = /\r?\n\s*/.exec(text.slice(start, end));
      if (!lineBreak) return undefined;
      const next = start + lineBreak.index + lineBreak[0].length;
      return { at: position(next), text: text.slice(next).split(/\r?\n/)[0] };
    },
  };
}

/** Scalars whose line breaks YAML folds away; block scalars (| and >) keep theirs on purpose. */
const RUN_ON_TYPES = ['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'];

/**
 * How many nodes aliases may stand for in one file. A course file needs none; a few shared
 * settings fit easily, and a "billion laughs" (aliases of aliases, each level nine times the
 * last) is refused long before it would fill memory.
 */
const MAX_ALIAS_COUNT = 1000;

function aliasMessage(message: string): string {
  if (/excessive alias count/i.test(message)) {
    return `has aliases (*name) that expand to more than ${MAX_ALIAS_COUNT} values, as in a "billion laughs": write the values out`;
  }
  return `is not valid YAML: ${message.replace(/\s+/g, ' ').trim()}`;
}

/** Where the file's first alias is, or its start when it has none. */
function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function yamlErrorMessage(code: string, message: string, rest: string): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^\s*["']?([^"':\n]+)/.exec(rest)?.[1]?.trim();
    return `has the key ${key ? `"${key}" ` : ''}twice in the same map: keep one`;
  }
  if (code === 'MULTIPLE_DOCS') return 'holds more than one YAML document: keep one per file';
  return `is not valid YAML: ${message.replace(/\s+/g, ' ').trim()}`;
}

function nodeOffset(doc: Document, path: readonly (string | number)[]): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return offset;
      if (last) return rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      return offset;
    }
    offset = rangeStart(node) ?? offset;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
