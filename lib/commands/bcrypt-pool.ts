import * as os from 'os';
import { Worker } from 'worker_threads';

/** One bcrypt job: hash a password at a cost, or check a password against a hash. */
export type BcryptJob = { readonly hash: string; readonly cost: number } | { readonly compare: string; readonly against: string };

// bcrypt is CPU-bound by design (about 60 ms a hash in bcryptjs at cost 10): 1,000 students
// take a minute on one core. Each worker is an eval'd script (a worker needs a file or code,
// and commands run from a bundle) that loads bcryptjs from node_modules.
const WORKER = `
const { parentPort, workerData } = require('worker_threads');
const bcrypt = require(workerData.bcrypt);
parentPort.on('message', ({ index, job }) => {
  const result = 'hash' in job ? bcrypt.hashSync(job.hash, job.cost) : bcrypt.compareSync(job.compare, job.against);
  parentPort.postMessage({ index, result });
});`;

/**
 * Runs bcrypt jobs on every core (at most one worker per job) and returns their results in
 * order: a hash for a hash job, true or false for a compare job. `progress` is told each time
 * one more job is done.
 */
export async function runBcrypt(
  jobs: readonly BcryptJob[],
  progress: (done: number, total: number) => void = () => {},
): Promise<(string | boolean)[]> {
  const results: (string | boolean)[] = new Array(jobs.length);
  if (jobs.length === 0) return results;
  const workers = Array.from(
    { length: Math.min(jobs.length, Math.max(1, os.availableParallelism())) },
    () => new Worker(WORKER, { eval: true, workerData: { bcrypt: require.resolve('bcryptjs') } }),
  );
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => (next < jobs.length ? worker.postMessage({ index: next, job: jobs[next++] }) : resolve());
            worker.on('message', ({ index, result }: { index: number; result: string | boolean }) => {
              results[index] = result;
              progress(++done, jobs.length);
              send();
            });
            worker.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
