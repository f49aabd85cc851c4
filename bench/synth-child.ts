import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { synth } from '../lib/synth';
import { FileWriter } from '../lib/write/file-writer';
import { toYamlStream } from '../lib/write/yaml';

// One measurement in a fresh process, so that neither side profits from the other's warm-up:
//   synth <repo>  synth of the repo, writing dist/ (the parent times the whole process too)
//   floor <repo>  the same objects (read back from that dist/, untimed), serialized with the
//                 same YAML library and written as the same files the way synth writes them
//                 (on a FileWriter's thread), so that the floor is the output's own cost
const [mode, root] = process.argv.slice(2);
const clock = () => Number(process.hrtime.bigint()) / 1e6;
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

if (mode === 'synth') {
  const started = clock();
  const result = synth(root, { write: true });
  const ms = clock() - started;
  if (!result.ok) throw new Error(result.errors.join('\n'));
  console.log(JSON.stringify({ ms, files: result.fileCount, objects: result.objectCount, peakRssMiB: peakRssMiB() }));
} else {
  const files: { path: string; objects: unknown[] }[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else files.push({ path: child, objects: loadAll(fs.readFileSync(path.join(root, child), 'utf8')) });
    }
  };
  walk('dist');
  walk('argocd');
  const out = fs.mkdtempSync(path.join(root, 'floor-'));
  const started = clock();
  const writer = new FileWriter();
  for (const file of files) {
    writer.write({
      target: path.join(out, file.path),
      content: toYamlStream(file.objects),
      previous: path.join(root, file.path),
    });
  }
  writer.finish();
  console.log(JSON.stringify({ ms: clock() - started }));
  writer.close();
}
