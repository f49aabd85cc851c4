#!/usr/bin/env node
// npm test: the type check (tsc) and the formatting check (prettier) run beside the tests
// (vitest), not before them. One after the other they took 15 s of a run that must stay under
// 90 s on 2 cores, while the tests leave a core idle now and then. The tests show their progress
// as they run; the two checks say their result when they are done, and again at the end if they
// failed. Arguments go to vitest (`npm test -- test/plan.test.ts`). Exits non-zero if any fails.
'use strict';
const { spawn } = require('child_process');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

/** Runs a command; resolves with its exit code and, when `quiet`, what it printed. */
function run(command, args, quiet) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (quiet) for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function main() {
  console.log('npm test: types (tsc) and formatting (prettier) are checked beside the tests');
  const checks = [
    { name: 'types (tsc --noEmit)', done: run(bin('tsc'), ['--noEmit', '-p', '.'], true) },
    { name: 'formatting (prettier --check .)', done: run(bin('prettier'), ['--check', '--log-level', 'warn', '.'], true) },
  ];
  for (const check of checks)
    check.done.then(({ code }) =>
      console.log(`npm test: ${check.name} ${code === 0 ? 'passed' : 'FAILED (details at the end)'}`),
    );
  const tests = await run(bin('vitest'), ['run', ...process.argv.slice(2)], false);
  const failed = [];
  for (const check of checks) {
    const { code, output } = await check.done;
    if (code === 0) continue;
    failed.push(check.name);
    console.log(`\nnpm test: ${check.name} failed:\n${output.trimEnd()}`);
  }
  if (tests.code !== 0) failed.push('tests (vitest)');
  console.log(failed.length === 0 ? '\nnpm test: all passed' : `\nnpm test: FAILED: ${failed.join(', ')}`);
  return failed.length === 0 ? 0 : 1;
}

main().then((code) => (process.exitCode = code));
