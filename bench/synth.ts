import { execFileSync } from 'child_process';
import * as path from 'path';
import { syntheticRepo } from './synthetic-repo';

const RUN = path.resolve('bin/run.cjs');

// npm run bench: synth at scale against its floor (serializing and writing the same objects).
// Every figure comes from this run; goals compare figures of this run with each other.
const SIZES: [courses: number, students: number][] = [
  [1, 100],
  [10, 100],
  [30, 100],
];

interface Measurement {
  readonly courses: number;
  readonly students: number;
  readonly files: number;
  readonly objects: number;
  readonly synthMs: number;
  readonly floorMs: number;
  readonly peakRssMiB: number;
}

function child(mode: 'synth' | 'floor', root: string): Record<string, number> {
  const out = execFileSync(process.execPath, [RUN, 'bench/synth-child.ts', mode, root], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function measure(courses: number, students: number): Measurement {
  const root = syntheticRepo(courses, students);
  const synth = child('synth', root);
  const floor = child('floor', root);
  return {
    courses,
    students: courses * students,
    files: synth.files,
    objects: synth.objects,
    synthMs: synth.ms,
    floorMs: floor.ms,
    peakRssMiB: synth.peakRssMiB,
  };
}

const rows = SIZES.map(([c, s]) => measure(c, s));
const header = ['repo', 'students', 'objects', 'files', 'synth ms', 'floor ms', 'synth/floor', 'ms/student', 'peak MiB'];
const cells = [
  header,
  ...rows.map((r) => [
    `${r.courses} x ${r.students / r.courses}`,
    String(r.students),
    String(r.objects),
    String(r.files),
    r.synthMs.toFixed(0),
    r.floorMs.toFixed(0),
    (r.synthMs / r.floorMs).toFixed(2),
    (r.synthMs / r.students).toFixed(2),
    r.peakRssMiB.toFixed(0),
  ]),
];
const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
console.log(cells.map((c) => c.map((cell, i) => cell.padStart(widths[i])).join('  ')).join('\n'));

const [small, medium, large] = rows;
const perStudent = (r: Measurement) => r.synthMs / r.students;
const goals: [string, boolean, string][] = [
  [
    '10 x 100 synthesizes in at most 2x its floor',
    medium.synthMs <= 2 * medium.floorMs,
    `${(medium.synthMs / medium.floorMs).toFixed(2)}x`,
  ],
  [
    'time per student at 30 x 100 within 25% of 1 x 100',
    perStudent(large) <= 1.25 * perStudent(small),
    `${perStudent(large).toFixed(2)} vs ${perStudent(small).toFixed(2)} ms (${((perStudent(large) / perStudent(small) - 1) * 100).toFixed(0)}%)`,
  ],
  ['peak memory under 1 GiB at 30 x 100', large.peakRssMiB < 1024, `${large.peakRssMiB.toFixed(0)} MiB`],
];
console.log('');
for (const [goal, met, figure] of goals) console.log(`${met ? 'met    ' : 'NOT MET'}  ${goal}: ${figure}`);
