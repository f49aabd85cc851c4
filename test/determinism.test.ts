import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { OUTPUT_DIRS } from '../lib/write/atomic-write';
import { CHECKED_REPO, readTree } from './support/repo';

// A check of the trainer's repo (template.test.ts runs it on a fork): the committed output is what synth makes.
describe('determinism', () => {
  it('dist/, argocd/ and bootstrap/ in git equal a fresh synth (run `npm run synth` and commit if this fails)', () => {
    const fresh = new Map(synth(CHECKED_REPO, { write: false }).files.map((f) => [f.path, f.content]));
    const committed = readTree(CHECKED_REPO, OUTPUT_DIRS);
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [file, content] of fresh) expect(committed.get(file), file).toBe(content);
  });
});
