import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { StagedOutput } from '../lib/write/atomic-write';
import { makeRepo, readTree } from './support/repo';

describe('writing dist/', () => {
  it('removes every file of a course whose file was deleted', () => {
    const root = makeRepo();
    synth(root);
    expect(fs.existsSync(path.join(root, 'dist/example/courses/docker-katas'))).toBe(true);
    fs.rmSync(path.join(root, 'courses/docker-katas.yaml'));
    synth(root);
    const files = [...readTree(root).keys()];
    expect(files.filter((f) => f.includes('docker-katas'))).toEqual([]);
    expect(files.filter((f) => f.includes('kubernetes-katas/students/'))).toHaveLength(25);
  });

  it('leaves dist/ and argocd/ untouched when writing fails part-way', () => {
    const root = makeRepo();
    synth(root);
    const before = readTree(root);
    const good = { path: 'dist/example/new.yaml', content: 'a: 1\n' };
    for (const [bad, message] of [
      [{ path: 'dist/../escape.yaml', content: '' }, /outside/],
      [good, /same file/],
    ] as const) {
      const output = new StagedOutput(root);
      output.add(good);
      expect(() => output.add(bad)).toThrow(message);
      output.discard(); // what synth does when anything fails before commit
    }
    expect(readTree(root)).toEqual(before);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.dojo-synth-'))).toEqual([]);
  });

  it('writes, on its writer thread, exactly the files a synth that does not write returns', () => {
    const root = makeRepo();
    const returned = synth(root, { write: false });
    const written = synth(root);
    expect(written.fileCount).toBe(returned.files.length);
    expect(readTree(root, ['dist', 'argocd', 'bootstrap'])).toEqual(new Map(returned.files.map((f) => [f.path, f.content])));
  });

  it('names a file the writer thread could not write, and leaves dist/ as it was', () => {
    const root = makeRepo();
    synth(root);
    const before = readTree(root);
    const output = new StagedOutput(root);
    output.add({ path: 'dist/example/blocker', content: 'a file where a folder is needed\n' });
    output.add({ path: 'dist/example/blocker/inside.yaml', documents: [{ a: 1 }] });
    expect(() => output.finish()).toThrow(/^could not write .*dist\/example\/blocker\/inside\.yaml: E[A-Z]+/);
    output.discard();
    expect(readTree(root)).toEqual(before);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.dojo-synth-'))).toEqual([]);
  });

  it('keeps files outside dist/ and argocd/ as they are', () => {
    const root = makeRepo({ 'notes.md': 'mine' });
    synth(root);
    expect(fs.readFileSync(path.join(root, 'notes.md'), 'utf8')).toBe('mine');
  });
});
