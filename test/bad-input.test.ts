import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { synth } from '../lib/synth';
import { badInputCases, BAD_INPUT_DIR } from './support/bad-input';
import { makeRepo, readTree, REPO_ROOT } from './support/repo';

const expected: Record<string, string[]> = parse(fs.readFileSync(path.join(BAD_INPUT_DIR, 'expected.yaml'), 'utf8'));
const cases = badInputCases();

/** A repo with the bad files and a dist/ and argocd/ from an earlier, good synth. */
function repoWithOutput(files: Record<string, string>): string {
  const root = makeRepo(files, { exampleCourses: false });
  for (const dir of ['dist', 'argocd']) fs.cpSync(path.join(REPO_ROOT, dir), path.join(root, dir), { recursive: true });
  return root;
}

describe('bad input', () => {
  it('has a corpus of at least 25 cases, each with its expected errors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(expected).sort()).toEqual(cases.map((c) => c.name));
  });

  it.each(cases)('$name: fails with file:line:col, path and message, and leaves dist/ untouched', ({ name, files }) => {
    const root = repoWithOutput(files);
    const before = readTree(root);
    const result = synth(root);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual(expected[name]);
    for (const error of result.errors) expect(error).toMatch(/^(courses|clusters)\/[\w.-]+\.yaml:\d+:\d+  \S+  \S/);
    expect(readTree(root)).toEqual(before);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.dojo-synth-'))).toEqual([]);
  });

  it('reports every problem of every file at once', () => {
    const all = Object.assign({}, ...cases.filter((c) => !c.files['clusters/example-copy.yaml']).map((c) => c.files));
    const result = synth(repoWithOutput(all), { write: false });
    const files = new Set(result.errors.map((e) => e.split(':')[0]));
    expect(files.size).toBeGreaterThanOrEqual(30);
  });
});
