#!/usr/bin/env node
// Runs one of dojo's TypeScript commands (`node bin/run.cjs main.ts [args]`) from a bundle that
// esbuild builds, with its dependencies, the first time and again only when a source changed.
//
// Why not ts-node: it transpiled every module, the generated imports/ most of all, on every run,
// so a synth that takes half a second spent several seconds starting. Loading one bundled file
// takes a fraction of that; rebuilding after an edit takes well under a second. Types are not
// checked here: `npm test` runs tsc.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
/** Everything a bundle is made of: when any of it changes, the bundles are rebuilt. */
const SOURCES = [
  'main.ts',
  'lib',
  'constructs',
  'imports',
  'scripts',
  'bench',
  'test/support',
  'package-lock.json',
  'bin/run.cjs',
];
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'dojo');

function sourceFiles(relative) {
  const full = path.join(ROOT, relative);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [relative];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) return sourceFiles(child);
      return /\.(ts|json|cjs)$/.test(entry.name) ? [child] : [];
    });
}

/** A digest of the sources' paths and contents: the name of the cache folder of their bundles. */
function sourceDigest() {
  const hash = crypto.createHash('sha256');
  for (const file of SOURCES.flatMap(sourceFiles))
    hash
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(ROOT, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

function bundle(entry, digest) {
  const out = path.join(CACHE, digest, entry.replace(/\.ts$/, '.js'));
  if (fs.existsSync(out)) return out;
  const esbuild = require('esbuild');
  // Built beside its final name and renamed, so commands started together never read half a file.
  const temporary = `${out}.${process.pid}.tmp`;
  esbuild.buildSync({
    entryPoints: [path.join(ROOT, entry)],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Chromium's driver and esbuild's binary are found relative to their own package folders.
    external: ['playwright-core', 'esbuild'],
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'error',
  });
  fs.renameSync(temporary, out);
  for (const old of fs.readdirSync(CACHE)) if (old !== digest) fs.rmSync(path.join(CACHE, old), { recursive: true, force: true });
  return out;
}

const [entry, ...args] = process.argv.slice(2);
if (!entry || !fs.existsSync(path.join(ROOT, entry))) {
  console.error(`usage: node bin/run.cjs <entry.ts> [args...]  (${entry ?? 'no entry'} is not a file of ${ROOT})`);
  process.exit(2);
}
const file = bundle(path.normalize(entry), sourceDigest());
process.setSourceMapsEnabled(true);
// The bundle runs as the main module (require.main === module), with the command's own arguments.
process.argv = [process.argv[0], file, ...args];
Module.runMain();
