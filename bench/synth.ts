import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { syntheticRepo } from './synthetic-repo';
import { figureTable } from './table';

// npm run bench: what a trainer waits for. Every figure comes from this run, and goals compare
// figures of this run with each other (these machines are shared and noisy).
//  - start-up: each command's whole process doing next to nothing (a usage message, an empty
//    repo), i.e. the time before its own work;
//  - synth at scale, whole process with its start-up, against its floor: the same objects
//    serialized with the same YAML library and written as the same files the way synth writes
//    them (on a writer thread), in a fresh process;
//  - peak memory up to 10,000 students.
const RUN = path.resolve('bin/run.cjs');
const clock = () => Number(process.hrtime.bigint()) / 1e6;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall time of `node bin/run.cjs <entry, relative to the repo> ...` (exit code ignored: usage errors are the point). */
function wallMs(args: string[], cwd: string, runs = 5): number {
  spawnSync(process.execPath, [RUN, ...args], { cwd }); // builds the bundle if a source changed
  return median(
    Array.from({ length: runs }, () => {
      const started = clock();
      spawnSync(process.execPath, [RUN, ...args], { cwd, stdio: 'ignore' });
      return clock() - started;
    }),
  );
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-bench-startup-'));
fs.mkdirSync(path.join(scratch, 'courses'));
fs.mkdirSync(path.join(scratch, 'clusters'));
const startup: [string, string[]][] = [
  ['synth (empty repo)', ['main.ts', scratch]],
  ['plan (no base)', ['scripts/plan.ts', 'no-such-base']],
  ['passwords (usage)', ['scripts/passwords.ts']],
  ['handout (usage)', ['scripts/handout.ts']],
  ['new-course (usage)', ['scripts/new-course.ts']],
];
const nodeAlone = median(
  Array.from({ length: 5 }, () => {
    const started = clock();
    spawnSync(process.execPath, ['-e', '0']);
    return clock() - started;
  }),
);
const startupRows = startup.map(([name, args]) => ({ name, ms: wallMs(args, scratch) }));
fs.rmSync(scratch, { recursive: true, force: true });
console.log(
  figureTable(
    ['command', 'whole process ms'],
    [['node -e 0', nodeAlone.toFixed(0)], ...startupRows.map((r) => [r.name, r.ms.toFixed(0)])],
  ),
);

interface Measurement {
  readonly label: string;
  readonly students: number;
  readonly objects: number;
  readonly files: number;
  readonly processMs: number;
  readonly synthMs: number;
  readonly floorMs?: number;
  readonly peakRssMiB: number;
}

function child(mode: 'synth' | 'floor', root: string): Record<string, number> {
  const out = execFileSync(process.execPath, [RUN, 'bench/synth-child.ts', mode, root], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/**
 * Synth of a fresh repo of `courses` x `students`, then its floor, `runs` times in turn (the
 * output removed before each synth, so that every synth writes a new dist/); medians.
 */
function measure(courses: number, students: number, options: { floor: boolean; runs?: number }): Measurement {
  const root = syntheticRepo(courses, students);
  try {
    const runs = Array.from({ length: options.runs ?? 1 }, () => {
      for (const dir of ['dist', 'argocd', 'bootstrap']) fs.rmSync(path.join(root, dir), { recursive: true, force: true });
      const started = clock();
      const synth = child('synth', root);
      const processMs = clock() - started;
      return { synth, processMs, floorMs: options.floor ? child('floor', root).ms : undefined };
    });
    const { synth } = runs[0];
    return {
      label: `${courses} x ${students}`,
      students: courses * students,
      objects: synth.objects,
      files: synth.files,
      processMs: median(runs.map((r) => r.processMs)),
      synthMs: median(runs.map((r) => r.synth.ms)),
      floorMs: options.floor ? median(runs.map((r) => r.floorMs!)) : undefined,
      peakRssMiB: median(runs.map((r) => r.synth.peakRssMiB)),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

spawnSync(process.execPath, [RUN, 'bench/synth-child.ts']); // builds its bundle before anything is timed
// The floor of 10,000 students is left out: reading 200 MB of YAML back takes longer than the rest.
// 10 x 100, which a goal compares with its floor, is measured 3 times.
const rows = [
  measure(1, 100, { floor: true }),
  measure(10, 100, { floor: true, runs: 3 }),
  measure(30, 100, { floor: true }),
  measure(2, 5000, { floor: false }),
];
console.log('');
console.log(
  figureTable(
    ['repo', 'students', 'objects', 'files', 'process ms', 'synth ms', 'floor ms', 'process/floor', 'ms/student', 'peak MiB'],
    rows.map((r) => [
      r.label,
      String(r.students),
      String(r.objects),
      String(r.files),
      r.processMs.toFixed(0),
      r.synthMs.toFixed(0),
      r.floorMs?.toFixed(0) ?? '-',
      r.floorMs ? (r.processMs / r.floorMs).toFixed(2) : '-',
      (r.synthMs / r.students).toFixed(2),
      r.peakRssMiB.toFixed(0),
    ]),
  ),
);

const [small, medium, large, huge] = rows;
const perStudent = (r: Measurement) => r.synthMs / r.students;
const slowest = startupRows.reduce((a, b) => (b.ms > a.ms ? b : a));
const heldPerStudentKiB = ((huge.peakRssMiB - medium.peakRssMiB) * 1024) / (huge.students - medium.students);
const goals: [string, boolean, string][] = [
  ['every command starts in under 0.5 s', slowest.ms < 500, `slowest ${slowest.name}: ${slowest.ms.toFixed(0)} ms`],
  [
    '10 x 100, whole process, within 1.5x its floor',
    medium.processMs <= 1.5 * medium.floorMs!,
    `${(medium.processMs / medium.floorMs!).toFixed(2)}x`,
  ],
  [
    'time per student at 30 x 100 within 25% of 1 x 100',
    perStudent(large) <= 1.25 * perStudent(small),
    `${perStudent(large).toFixed(2)} vs ${perStudent(small).toFixed(2)} ms`,
  ],
  [
    'peak memory under 400 MiB at 10,000 students',
    huge.peakRssMiB < 400,
    `${huge.peakRssMiB.toFixed(0)} MiB (${heldPerStudentKiB.toFixed(1)} KiB more per student than at 1,000)`,
  ],
];
console.log('');
for (const [goal, met, figure] of goals) console.log(`${met ? 'met    ' : 'NOT MET'}  ${goal}: ${figure}`);
