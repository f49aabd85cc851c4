import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'worker_threads';

/** One file for the thread. */
export interface WriteJob {
  /** Where to write it. */
  readonly target: string;
  readonly content: string;
  /** The file it may replace: the report says whether that exists with other content. */
  readonly previous?: string;
}

/** What became of a file handed to the writer. */
export interface WriteReport {
  readonly target: string;
  /** True when the file it replaces exists with other content. */
  readonly changed: boolean;
}

/** Files handed over and not yet written, at most: bounds the memory they hold. */
const MAX_IN_FLIGHT = 64;
/** A writer that finishes nothing for this long has stopped: synth fails rather than hang. */
const STALL_MS = 60_000;

// An eval'd script, since commands run from a bundle and a worker needs a file or code.
const THREAD = `
const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const finished = new Int32Array(workerData.finished);
function differs(previous, content) {
  if (previous === undefined) return false;
  try {
    return fs.readFileSync(previous, 'utf8') !== content;
  } catch (error) {
    if (error.code === 'ENOENT') return false;
    throw error;
  }
}
parentPort.on('message', ({ target, content, previous }) => {
  let report;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    report = { target, changed: differs(previous, content) };
  } catch (error) {
    report = { target, error: String(error && error.message ? error.message : error) };
  }
  workerData.reports.postMessage(report);
  Atomics.add(finished, 0, 1);
  Atomics.notify(finished, 0);
});`;

/**
 * Writes files on a thread of its own while the caller goes on generating the next ones, and
 * compares each with the file it replaces, without giving up the caller's synchronous flow: the
 * caller hands files over, takes the reports when it likes, and blocks only when too many are in
 * flight or at the end. Writing dist/ was a quarter to a third of synth, mostly waiting on the
 * disk, which the second core does meanwhile. (Serializing on threads too was measured no faster
 * on 2 cores: copying the objects over cost the main thread about what it saved.)
 */
export class FileWriter {
  private readonly worker: Worker;
  private readonly reports: MessagePort;
  /** [0]: how many files the thread has finished, written or failed. */
  private readonly finished = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private sent = 0;
  /** Set when the thread was found stalled: closing then does not wait for it again. */
  private stalled = false;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.reports = port1;
    this.worker = new Worker(THREAD, {
      eval: true,
      workerData: { finished: this.finished.buffer, reports: port2 },
      transferList: [port2],
    });
    // Never keeps a process alive: close() ends the thread, and so does the process's exit.
    this.worker.unref();
  }

  /**
   * Hands one file over (its folders are made); returns the reports that came in meanwhile, and
   * throws if a file could not be written.
   */
  write(job: WriteJob): WriteReport[] {
    this.waitFor(this.sent + 1 - MAX_IN_FLIGHT);
    this.worker.postMessage(job);
    this.sent += 1;
    return this.collect();
  }

  /** Waits until every file handed over is finished; returns the reports not returned yet. */
  finish(): WriteReport[] {
    this.waitFor(this.sent);
    return this.collect();
  }

  /** Waits for the files in flight, whatever becomes of them (unless the thread stalled), and ends the thread. */
  close(): void {
    if (!this.stalled) this.waitFor(this.sent);
    this.reports.close();
    void this.worker.terminate();
  }

  private collect(): WriteReport[] {
    const reports: WriteReport[] = [];
    for (let message = receiveMessageOnPort(this.reports); message; message = receiveMessageOnPort(this.reports)) {
      const report = message.message as WriteReport & { error?: string };
      if (report.error !== undefined) throw new Error(`could not write ${report.target}: ${report.error}`);
      reports.push(report);
    }
    return reports;
  }

  private waitFor(count: number): void {
    for (let seen = Atomics.load(this.finished, 0); seen < count; seen = Atomics.load(this.finished, 0)) {
      if (Atomics.wait(this.finished, 0, seen, STALL_MS) === 'timed-out') {
        this.stalled = true;
        throw new Error(`the thread writing dist/ finished nothing for ${STALL_MS / 1000} s (${seen} of ${this.sent} files)`);
      }
    }
  }
}
