import * as path from 'path';
import { fileURLToPath } from 'url';

// Bundled by bin/run.cjs (scripts, benchmarks), a module has no import.meta.url; npm runs them from the repo root.
export const REPO_ROOT = import.meta.url ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..') : process.cwd();
