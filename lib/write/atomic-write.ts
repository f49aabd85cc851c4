import * as fs from 'fs';
import * as path from 'path';
import { FileWriter, type WriteReport } from './file-writer';
import { toYamlStream } from './yaml';

/** A file of synth's output as text. */
export interface TextFile {
  /** Relative to the repo root, with "/", under one of OUTPUT_DIRS. */
  readonly path: string;
  readonly content: string;
}

/** A file of synth's output as the Kubernetes objects in it (serialized with toYamlStream). */
export interface DocumentsFile {
  /** Relative to the repo root, with "/", under one of OUTPUT_DIRS. */
  readonly path: string;
  readonly documents: readonly unknown[];
}

export type OutputFile = TextFile | DocumentsFile;

/** The text of an output file: its documents serialized, or its text. */
export function textOf(file: OutputFile): string {
  return 'documents' in file ? toYamlStream(file.documents) : file.content;
}

/** A file written, with what synth checks of it. */
export interface WrittenFile {
  readonly file: OutputFile;
  /** UTF-8 bytes written. */
  readonly bytes: number;
  /** True when the output had this file before with other content. */
  readonly changed: boolean;
}

/** The folders synth owns entirely: whatever is in them and not generated goes away. */
export const OUTPUT_DIRS = ['dist', 'argocd', 'bootstrap'] as const;

/**
 * The output of one synth, written file by file into a temporary folder next to the output
 * as the files are generated (on the FileWriter's thread, while the next are generated), then
 * swapped in, each output folder with one rename. Until `commit`, the output folders are
 * untouched, and `discard` (or any failure) leaves them so; stale files (a deleted course)
 * vanish because the folders are replaced whole.
 */
export class StagedOutput {
  private readonly staging: string;
  private readonly seen = new Set<string>();
  private readonly writer = new FileWriter();
  /** The files handed to the writer and not reported yet, by where they are written. */
  private readonly inFlight = new Map<string, { file: OutputFile; bytes: number }>();

  constructor(private readonly root: string) {
    this.staging = fs.mkdtempSync(path.join(root, '.dojo-synth-'));
  }

  /** How many files were added. */
  get fileCount(): number {
    return this.seen.size;
  }

  /** Hands a file over to be written; returns the files whose writing was reported meanwhile. */
  add(file: OutputFile): WrittenFile[] {
    const top = file.path.split('/')[0];
    if (!(OUTPUT_DIRS as readonly string[]).includes(top) || file.path.split('/').includes('..')) {
      throw new Error(`refusing to write ${file.path}: outside ${OUTPUT_DIRS.join(', ')}`);
    }
    if (this.seen.has(file.path)) throw new Error(`two outputs want the same file ${file.path}`);
    this.seen.add(file.path);
    const target = path.join(this.staging, file.path);
    const content = textOf(file);
    this.inFlight.set(target, { file, bytes: Buffer.byteLength(content) });
    return this.written(this.writer.write({ target, content, previous: path.join(this.root, file.path) }));
  }

  /** Waits until every file added is written; returns those not returned by `add`. */
  finish(): WrittenFile[] {
    return this.written(this.writer.finish());
  }

  /** Replaces the output folders with what was added, then removes the temporary folder. */
  commit(): void {
    try {
      this.finish();
      for (const dir of OUTPUT_DIRS) fs.mkdirSync(path.join(this.staging, dir), { recursive: true });
      swapIn(this.root, this.staging);
    } finally {
      this.discard();
    }
  }

  /** Drops what was added; the output folders stay as they were. */
  discard(): void {
    this.writer.close();
    fs.rmSync(this.staging, { recursive: true, force: true });
  }

  private written(reports: readonly WriteReport[]): WrittenFile[] {
    return reports.map(({ target, changed }) => {
      const { file, bytes } = this.inFlight.get(target)!;
      this.inFlight.delete(target);
      return { file, bytes, changed };
    });
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
