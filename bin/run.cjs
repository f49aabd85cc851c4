#!/usr/bin/env node
// Runs one of dojo's TypeScript commands (`node bin/run.cjs main.ts [args]`) from a bundle that
// esbuild builds, with its dependencies, the first time and again only when a source changed.
//
// Why not ts-node: it transpiled every module, the generated imports/ most of all, on every run,
// so a synth that takes half a second spent several seconds starting. Loading one bundled file
// takes a fraction of that; rebuilding after an edit takes well under a second. Types are not
// checked here: `npm test` runs tsc.
//
// The bundle is compiled with V8's code cache, kept beside it: compiling 1.8 MB of JavaScript
// was a third of every command's start-up. Stack traces point into the bundle; for positions in
// the TypeScript sources run with NODE_OPTIONS=--enable-source-maps (then without the cache,
// since Node maps only the modules it compiles itself).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const ROOT = path.resolve(__dirname, '..');
/** Everything a bundle is made of: when any of it changes, the bundles are rebuilt. */
const SOURCES = [
  'main.ts',
  'lib',
  'constructs',
  'imports',
  'board',
  'scripts',
  'bench',
  'dev',
  // The real control plane's runners (test/cluster) bundle the security corpus, the katas' solutions and their support.
  'test/support',
  'test/security',
  'test/katas',
  'test/cluster/admission',
  'test/cluster/checks',
  'test/cluster/api.ts',
  'test/cluster/fixture.ts',
  'test/cluster/mesh',
  'test/cluster/argocd',
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

/** sha256 of the parts, in hex, shortened. */
function digestOf(parts) {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * A digest of the sources' paths and contents: the name of the cache folder of their bundles.
 * Reading every source took longer than the rest of a command's start-up, so the digest is
 * remembered under a stamp of the sources' paths, sizes and modification times, and read again
 * only when the stamp is new (an edit, a checkout, a copy of the repo: a copy with the same
 * contents shares the bundles).
 */
function sourceDigest() {
  const files = SOURCES.flatMap(sourceFiles);
  const stamp = digestOf(
    files.map((file) => {
      const { size, mtimeMs } = fs.statSync(path.join(ROOT, file));
      return `${file}\0${size}\0${mtimeMs}`;
    }),
  );
  const remembered = path.join(CACHE, 'stamps', stamp);
  const known = readIfThere(remembered);
  if (known) return known;
  const digest = digestOf(files.flatMap((file) => [file, fs.readFileSync(path.join(ROOT, file))]));
  writeWhole(remembered, digest);
  return digest;
}

function bundle(entry, digest) {
  const out = path.join(CACHE, digest, entry.replace(/\.ts$/, '.js'));
  if (fs.existsSync(out)) return out;
  const esbuild = require('esbuild');
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [path.join(ROOT, entry)],
    outfile: out,
    write: false,
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
  // The bundle last, so that whoever sees it sees its map too.
  for (const output of [...outputFiles].sort((a, b) => (a.path === out) - (b.path === out)))
    writeWhole(output.path, output.contents);
  // Older bundles go, and the stamps that led to them.
  for (const old of fs.readdirSync(CACHE))
    if (old !== digest && old !== 'stamps') fs.rmSync(path.join(CACHE, old), { recursive: true, force: true });
  const stamps = path.join(CACHE, 'stamps');
  for (const stamp of fs.existsSync(stamps) ? fs.readdirSync(stamps) : []) {
    // Only finished stamps: another command's half-written one (*.tmp) is left to its rename.
    if (/^[0-9a-f]{16}$/.test(stamp) && readIfThere(path.join(stamps, stamp)) !== digest)
      fs.rmSync(path.join(stamps, stamp), { force: true });
  }
  return out;
}

/** The file's text, or undefined when it is not there (another command may have just removed it). */
function readIfThere(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Written beside its final name and renamed, so commands started together never read half a file. */
function writeWhole(file, contents) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

/**
 * Runs the bundle as the main module, with V8's code cache from an earlier run when there is one,
 * and leaves a cache for the next run when there was none (or V8 refused it: another Node).
 */
function runCached(file) {
  const cacheFile = `${file}.v8-cache`;
  const cachedData = fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // Made at exit, when it also holds the functions the command compiled as it ran. A cache
    // that cannot be written is only a slower next start, never the command's failure.
    process.once('exit', () => {
      try {
        writeWhole(cacheFile, script.createCachedData());
      } catch {}
    });
  }
  const main = new Module(file, null);
  main.filename = file;
  main.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext()(main.exports, Module.createRequire(file), main, file, path.dirname(file));
}

/** Bundles the command named on the command line if need be and runs it with its arguments. */
function main() {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry || !fs.existsSync(path.join(ROOT, entry))) {
    console.error(`usage: node bin/run.cjs <entry.ts> [args...]  (${entry ?? 'no entry'} is not a file of ${ROOT})`);
    process.exit(2);
  }
  const file = bundle(path.normalize(entry), sourceDigest());
  // The command sees its own arguments, as if it had been started itself.
  process.argv = [process.argv[0], file, ...args];
  if (process.sourceMapsEnabled) Module.runMain();
  else runCached(file);
}

// Required rather than run (by a test), it only tells what the bundles are made of.
if (require.main === module) main();
else module.exports = { SOURCES };
