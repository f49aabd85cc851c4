import * as fs from 'fs';
import * as path from 'path';

export interface OutputFile {
  /** Relative to the repo root, with "/", under one of OUTPUT_DIRS. */
  readonly path: string;
  readonly content: string;
}

/** The folders synth owns entirely: whatever is in them and not generated goes away. */
export const OUTPUT_DIRS = ['dist', 'argocd'] as const;

/**
 * Writes `files` into a temporary folder next to the output, then swaps each output
 * folder in with a rename. If anything fails before the swap, the output folders are
 * untouched; stale files (a deleted course) vanish because the folders are replaced whole.
 */
export function writeOutputs(root: string, files: readonly OutputFile[]): void {
  const staging = fs.mkdtempSync(path.join(root, '.dojo-synth-'));
  try {
    const seen = new Set<string>();
    for (const file of files) {
      const top = file.path.split('/')[0];
      if (!(OUTPUT_DIRS as readonly string[]).includes(top) || file.path.split('/').includes('..')) {
        throw new Error(`refusing to write ${file.path}: outside ${OUTPUT_DIRS.join(', ')}`);
      }
      if (seen.has(file.path)) throw new Error(`two outputs want the same file ${file.path}`);
      seen.add(file.path);
      const target = path.join(staging, file.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content);
    }
    for (const dir of OUTPUT_DIRS) fs.mkdirSync(path.join(staging, dir), { recursive: true });
    swapIn(root, staging);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function swapIn(root: string, staging: string): void {
  const swapped: string[] = [];
  try {
    for (const dir of OUTPUT_DIRS) {
      const live = path.join(root, dir);
      const old = path.join(staging, `old-${dir}`);
      if (fs.existsSync(live)) fs.renameSync(live, old);
      fs.renameSync(path.join(staging, dir), live);
      swapped.push(dir);
    }
  } catch (error) {
    // Put back what was already swapped, so that a failure leaves the old output whole.
    for (const dir of OUTPUT_DIRS) {
      const live = path.join(root, dir);
      const old = path.join(staging, `old-${dir}`);
      if (fs.existsSync(old)) {
        fs.rmSync(live, { recursive: true, force: true });
        fs.renameSync(old, live);
      } else if (swapped.includes(dir)) {
        fs.rmSync(live, { recursive: true, force: true });
      }
    }
    throw error;
  }
}
