import { synth, type SynthResult } from '../../lib/synth';
import { EXAMPLE_REPO } from './repo';

let exampleSynth: SynthResult | undefined;

/**
 * `synth(EXAMPLE_REPO, { write: false })`, made once per test worker: a dozen test files read it,
 * none changes it (its files are strings), and synthesizing it for each was seconds of every run.
 */
export function exampleOutput(): SynthResult {
  exampleSynth ??= synth(EXAMPLE_REPO, { write: false });
  return exampleSynth;
}
