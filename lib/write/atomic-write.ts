import * as fs from 'fs';
import * as path from 'path';

export interface OutputFile {
  /** Relative to the repo root, with "/", under one of OUTPUT_DIRS. */
  readonly path: string;
  readonly content: string;
}

/** The folders synth owns entirely: whatever is in them and not generated goes away. */
export const OUTPUT_DIRS = ['dist', 'argocd', 'bootstrap'] as const;

/**
 * The output of one synth, written file by file into a temporary folder next to the output
 * as the files are generated, then swapped in, each output folder with one rename. Until
 * `commit`, the output folders are untouched, and `discard` (or any failure) leaves them so;
 * stale files (a deleted course) vanish because the folders are replaced whole.
 */
export class StagedOutput {
  private readonly staging: string;
  private readonly seen = new Set<string>();

  constructor(private readonly root: string) {
    this.staging = fs.mkdtempSync(path.join(root, '.dojo-synth-'));
  }

  /** How many files were added. */
  get fileCount(): number {
    return this.seen.size;
  }

  add(file: OutputFile): void {
    const top = file.path.split('/')[0];
    if (!(OUTPUT_DIRS as readonly string[]).includes(top) || file.path.split('/').includes('..')) {
      throw new Error(`refusing to write ${file.path}: outside ${OUTPUT_DIRS.join(', ')}`);
    }
    if (this.seen.has(file.path)) throw new Error(`two outputs want the same file ${file.path}`);
    this.seen.add(file.path);
    const target = path.join(this.staging, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }

  /** Replaces the output folders with what was added, then removes the temporary folder. */
  commit(): void {
    try {
      for (const dir of OUTPUT_DIRS) fs.mkdirSync(path.join(this.staging, dir), { recursive: true });
      swapIn(this.root, this.staging);
    } finally {
      this.discard();
    }
  }

  /** Drops what was added; the output folders stay as they were. */
  discard(): void {
    fs.rmSync(this.staging, { recursive: true, force: true });
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
