import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { synth } from '../main';
import { toYamlStream } from '../lib/write/yaml';

// One measurement, in a process of its own: synth of the repo at argv[2], then the floor.
const root = process.argv[2];
const started = process.hrtime.bigint();
const result = synth(root, { write: true });
const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
if (!result.ok) throw new Error(result.errors.join('\n'));
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

// The floor: the same objects, serialized with the same YAML library, written as the same files.
const documents = result.files.map((f) => ({ path: f.path, objects: loadAll(f.content) }));
const floorRoot = fs.mkdtempSync(path.join(root, 'floor-'));
const floorStarted = process.hrtime.bigint();
for (const file of documents) {
  const target = path.join(floorRoot, file.path);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, toYamlStream(file.objects));
}
const floorMs = Number(process.hrtime.bigint() - floorStarted) / 1e6;

const objects = documents.reduce((n, f) => n + f.objects.length, 0);
console.log(JSON.stringify({ files: result.files.length, objects, synthMs, floorMs, peakRssMiB }));
