import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { synth } from '../lib/synth';
import { toYamlStream } from '../lib/write/yaml';

// One measurement in a fresh process, so that neither side profits from the other's warm-up:
//   synth <repo>  synth of the repo, writing dist/ (the parent times the whole process too)
//   floor <repo>  the same objects (read back from that dist/, untimed), serialized with the
//                 same YAML library and written as the same files
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
  for (const file of files) {
    const target = path.join(out, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, toYamlStream(file.objects));
  }
  console.log(JSON.stringify({ ms: clock() - started }));
}
