import * as fs from 'fs';
import * as path from 'path';
import { dump, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { parse } from 'yaml';
import { blockYaml, OPTIONS, toYamlStream } from '../lib/write/yaml';
import { syntheticRepo } from '../bench/synthetic-repo';
import { REPO_ROOT } from './support/repo';

/** Each document of a synth's output, as loaded back from the YAML it wrote. */
function documentsOf(root: string): unknown[] {
  const result = synth(root, { write: false });
  expect(result.errors).toEqual([]);
  return result.files.filter((f) => !f.path.startsWith('bootstrap/')).flatMap((f) => loadAll(f.content));
}

/** A small deterministic generator (mulberry32), so that a failure comes back on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Strings YAML could read as something else, strings that need quotes or escapes, and ones that do not.
const STRINGS = [
  ...['', ' ', ' lead', 'trail ', 'two  spaces', 'plain', 'kebab-case', 'a.b/c_d', 'app.kubernetes.io/name'],
  ...['yes', 'No', 'ON', 'off', 'y', 'n', 'true', 'False', 'null', 'Null', '~', '<<', '='],
  ...['1', '-1', '0x1F', '0o17', '1e3', '.5', '1_000', '+12', '12:30', '190:20:30', '2024-01-01', '1.33', '.inf', '.NaN'],
  ...['10Gi', '500m', 'a: b', 'a:b', 'a #b', 'a#b', '#c', '- x', '-x', '? q', '*star', '&amp', '!bang', '%pct', '@at', '`tick'],
  ...['"dq"', "'sq'", 'back\\slash', 'tab\there', 'multi\nline', 'ends\n', '\nstarts', 'cr\rhere', 'ünïcödé', '😀', '\u0007bell'],
  ...[
    '{flow}',
    '[flow]',
    'a, b',
    'https://example.com/x?y=1#z',
    '*.course.training.example.com',
    'x'.repeat(1100),
    `"${'x'.repeat(1020)}`,
  ],
];
const NUMBERS = [0, -0, 1, -1, 42, 1.5, -2.25, 1e21, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

function generated(next: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const roll = next();
  if (depth <= 0 || roll < 0.35) {
    return pick<unknown>([...STRINGS, ...STRINGS, ...NUMBERS, true, false, null, undefined, {}, [], new Date(0)]);
  }
  if (roll < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => generated(next, depth - 1));
  return Object.fromEntries(
    Array.from({ length: 1 + Math.floor(next() * 4) }, () => [pick(STRINGS), generated(next, depth - 1)]),
  );
}

describe('YAML of dist/', () => {
  it("is js-yaml's, byte for byte, on every document of the fixtures' output, most of them laid out by dojo", () => {
    const fixtures = fs
      .readdirSync(path.join(REPO_ROOT, 'test/fixtures'))
      .map((name) => path.join(REPO_ROOT, 'test/fixtures', name))
      .filter((dir) => fs.existsSync(path.join(dir, 'clusters')));
    const documents = [...fixtures, syntheticRepo(2, 3, 'alb')].flatMap(documentsOf);
    expect(documents.length).toBeGreaterThan(1000);
    for (const document of documents) expect(toYamlStream([document])).toBe(dump(document, OPTIONS));
    const laidOut = documents.filter((d) => blockYaml(d) !== undefined).length;
    expect(laidOut / documents.length).toBeGreaterThan(0.8);
  });

  it('quotes what YAML 1.1 reads as a float though YAML 1.2 does not: Istio\'s exportTo "."', () => {
    const document = { exportTo: ['.', '-.', '1_0.5', '1.30.3', 'x.y'] };
    const text = toYamlStream([document]);
    expect(text).toContain('- "."');
    expect(parse(text, { version: '1.1' })).toEqual(document);
    expect(parse(text, { version: '1.2' })).toEqual(document);
  });

  it("is js-yaml's, byte for byte, on generated documents full of what YAML makes hard", () => {
    const next = random(20261124);
    let laidOut = 0;
    for (let i = 0; i < 3000; i++) {
      const document = generated(next, 4);
      const expected = (() => {
        try {
          return dump(document, OPTIONS);
        } catch (error) {
          return `throws ${String(error)}`;
        }
      })();
      const actual = (() => {
        try {
          return toYamlStream([document]);
        } catch (error) {
          return `throws ${String(error)}`;
        }
      })();
      expect(actual, JSON.stringify(document)).toBe(expected);
      if (blockYaml(document) !== undefined) laidOut += 1;
    }
    // The generator must reach the layout path, not only js-yaml's.
    expect(laidOut).toBeGreaterThan(300);
  });
});
