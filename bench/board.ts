import * as http from 'http';
import * as v8 from 'v8';
import * as vm from 'vm';
import { boardCourse, workstationPod } from '../dev/board-objects';
import { startDemoBoard } from '../dev/board-demo';
import { figureTable } from './table';

// npm run bench:board: the class board with a simulated class, its real informers and server
// against the stand-in API server, in this process. For each class size: the watches it opens,
// the memory its informers and page hold, the time to compute a course page, and the latency
// from a watch event to the patch a subscribed page receives (the server gathers changes for
// 500 ms, its default, so that a burst of events is one patch). "held" is the heap the class
// adds, with the stand-in API server's own copy of the objects: an upper bound of the board's.

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapMiB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const clock = () => Number(process.hrtime.bigint()) / 1e6;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

const UPDATES = 40;
const PODS_PER_STUDENT = 3;

async function measure(students: number): Promise<string[]> {
  const course = boardCourse('bench');
  const before = heapMiB();
  const board = await startDemoBoard(course, students, { podsPerStudent: PODS_PER_STUDENT });
  const received = new Map<string, number>();
  const stream = await new Promise<http.IncomingMessage>((resolve) =>
    http.get(`${board.url}/bench/events`, { headers: { 'x-forwarded-user': 'trainer' } }, resolve),
  );
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const messages = buffer.split('\n\n');
    buffer = messages.pop() ?? '';
    for (const message of messages) {
      if (!message.startsWith('event: patch')) continue;
      const patch = JSON.parse(message.slice(message.indexOf('data: ') + 6)) as { students: { id: string }[] };
      for (const s of patch.students) if (!received.has(s.id)) received.set(s.id, clock());
    }
  });
  const held = heapMiB() - before;

  const latencies: number[] = [];
  for (let i = 0; i < UPDATES; i++) {
    const id = `s${String(i + 20).padStart(4, '0')}`;
    const sent = clock();
    board.api.apply('/api/v1/pods', workstationPod('bench', id, 'crash-looping'));
    while (!received.has(id)) await new Promise((resolve) => setTimeout(resolve, 2));
    latencies.push(received.get(id)! - sent);
  }
  const pageMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = clock();
    board.server.view('bench');
    pageMs.push(clock() - started);
  }
  const watches = board.api.requests.filter((r) => r.startsWith('watch')).length;
  stream.destroy();
  await board.close();
  const pods = students * (PODS_PER_STUDENT + 1);
  return [
    String(students),
    String(pods),
    String(watches),
    held.toFixed(1),
    ((held * 1024) / students).toFixed(1),
    percentile(pageMs, 0.5).toFixed(1),
    percentile(latencies, 0.5).toFixed(0),
    percentile(latencies, 0.95).toFixed(0),
  ];
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  for (const students of [100, 1000]) rows.push(await measure(students));
  console.log(
    figureTable(['students', 'pods', 'watches', 'held MiB', 'KiB/student', 'page ms', 'update p50 ms', 'update p95 ms'], rows),
  );
  console.log(`update: a watch event to the patch on an open page; the server gathers changes for 500 ms.`);
  // Held memory per student should not grow with the class: compare the two sizes of this run.
  const [small, large] = rows.map((r) => Number(r[4]));
  console.log(`KiB per student at 1,000 / at 100: ${(large / small).toFixed(2)}`);
}

void main().then(() => process.exit(0));
