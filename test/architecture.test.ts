import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/repo';

/**
 * The direction of the imports (ARCHITECTURE.md): the pipeline reads load -> plan -> build ->
 * write, and each room imports only from the rooms before it. Read from the import lines of
 * every TypeScript file, so a new file is held to the same rules without being listed.
 */

/** The rooms of the product, lowest first: a file imports from its own room or a lower one. */
const ROOMS: readonly { readonly name: string; readonly holds: (file: string) => boolean }[] = [
  { name: 'imports (generated)', holds: (f) => f.startsWith('imports/') },
  { name: 'common', holds: (f) => f.startsWith('lib/common/') },
  { name: 'contracts', holds: (f) => f.startsWith('lib/contracts/') },
  { name: 'facts', holds: (f) => f.startsWith('lib/facts/') },
  { name: 'input', holds: (f) => f.startsWith('lib/input/') },
  { name: 'plan model', holds: (f) => f.startsWith('lib/plan/model/') },
  // A folder per capability; the files at lib/plan/ itself put the capabilities together.
  { name: 'plan', holds: (f) => /^lib\/plan\/[^/]+\//.test(f) },
  { name: 'plan orchestration', holds: (f) => /^lib\/plan\/[^/]+\.ts$/.test(f) },
  { name: 'build', holds: (f) => f.startsWith('constructs/') },
  { name: 'write', holds: (f) => f.startsWith('lib/write/') },
  { name: 'pipeline', holds: (f) => /^lib\/[^/]+\.ts$/.test(f) },
  { name: 'commands', holds: (f) => f.startsWith('lib/commands/') },
  { name: 'programs', holds: (f) => f === 'main.ts' || f.startsWith('scripts/') || f.startsWith('bench/') },
];

/** What the class board, a program of its own in its own image, may import besides itself. */
const BOARD_MAY_IMPORT = ['board/', 'lib/common/', 'lib/contracts/'];

function sourceFiles(dir: string): string[] {
  const full = path.join(REPO_ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(relative);
    return /\.(ts|mts)$/.test(entry.name) ? [relative] : [];
  });
}

/** The repo-relative files a source file imports (relative specifiers only; packages are not rooms). */
export function importsOf(file: string, text: string): string[] {
  const patterns = [
    // import/export ... from '...', on one line or several
    /(?:^|\n)\s*(?:import|export)\b[^;'"`]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    // import '...' for its side effects
    /(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    // import('...'), require('...')
    /\b(?:import|require)\(\s*['"`](\.{1,2}\/[^'"`]+)['"`]\s*\)/g,
  ];
  const specifiers = patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]));
  return specifiers.map((specifier) => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    return /\.(ts|mts|cjs|json)$/.test(target) ? target : `${target}.ts`;
  });
}

const roomOf = (file: string) => ROOMS.findIndex((room) => room.holds(file));

/** Every import that breaks a rule, as `file -> imported: why`. */
export function wrongWayImports(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    for (const imported of importsOf(file, text)) {
      if (imported.startsWith('test/') && !file.startsWith('test/')) {
        problems.push(`${file} -> ${imported}: nothing outside test/ imports test/`);
      } else if (file.startsWith('board/')) {
        if (!BOARD_MAY_IMPORT.some((room) => imported.startsWith(room))) {
          problems.push(`${file} -> ${imported}: the board imports only board/, lib/common/ and lib/contracts/`);
        }
      } else if (file.startsWith('dev/')) {
        if (['scripts/', 'bench/'].some((room) => imported.startsWith(room))) {
          problems.push(`${file} -> ${imported}: dev/ serves scripts and benchmarks, it does not import them`);
        }
      } else if (roomOf(file) >= 0 && roomOf(imported) > roomOf(file)) {
        problems.push(
          `${file} -> ${imported}: ${ROOMS[roomOf(file)].name} imports from ${ROOMS[roomOf(imported)].name}, a later room`,
        );
      } else if (/^(lib|constructs)\//.test(file) && (imported.startsWith('board/') || imported.startsWith('dev/'))) {
        problems.push(`${file} -> ${imported}: the product imports neither the board's program nor dev/`);
      }
    }
  }
  return problems;
}

describe('the rooms of the repo', () => {
  const files = new Map(
    ['main.ts', ...['lib', 'constructs', 'board', 'dev', 'scripts', 'bench', 'test'].flatMap(sourceFiles)].map((file) => [
      file,
      fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'),
    ]),
  );

  it('import only from their own room or an earlier one', () => {
    expect(wrongWayImports(files)).toEqual([]);
  });

  it('resolve every import to a file that exists', () => {
    // This file's own examples of wrong imports are strings, not imports.
    const missing = [...files]
      .filter(([file]) => file !== 'test/architecture.test.ts')
      .flatMap(([file, text]) =>
        importsOf(file, text)
          .filter((imported) => !fs.existsSync(path.join(REPO_ROOT, imported)))
          .map((imported) => `${file} -> ${imported}`),
      );
    expect(missing).toEqual([]);
  });

  it('put every product file in a room', () => {
    const product = [...files.keys()].filter((f) => f.startsWith('lib/') || f.startsWith('constructs/'));
    expect(product.filter((file) => roomOf(file) < 0)).toEqual([]);
  });

  it('keep the plan model a leaf: it names no capability of the plan', () => {
    const model = [...files].filter(([file]) => file.startsWith('lib/plan/model/'));
    expect(model.length).toBeGreaterThan(0);
    const outward = model.flatMap(([file, text]) =>
      importsOf(file, text)
        .filter((imported) => imported.startsWith('lib/plan/') && !imported.startsWith('lib/plan/model/'))
        .map((imported) => `${file} -> ${imported}`),
    );
    expect(outward).toEqual([]);
  });

  it('find a wrong-way import when there is one', () => {
    const broken = new Map([
      ['lib/input/schema/course.ts', "import { planRepo } from '../../plan/plan-repo';\n"],
      ['board/model.ts', "import type { CoursePlan } from '../lib/plan/model/types';\n"],
      ['scripts/x.ts', "import { helmBinary } from '../test/support/repo';\n"],
      ['constructs/student/workstation.ts', "import { StagedOutput } from '../../lib/write/atomic-write';\n"],
      ['lib/plan/nodes/capacity.ts', "export { x } from '../plan-repo';\n"],
      ['lib/common/text.ts', "import '../../test/support/repo';\nconst x = require('../write/yaml');\n"],
    ]);
    expect(wrongWayImports(broken)).toEqual([
      'lib/input/schema/course.ts -> lib/plan/plan-repo.ts: input imports from plan orchestration, a later room',
      'board/model.ts -> lib/plan/model/types.ts: the board imports only board/, lib/common/ and lib/contracts/',
      'scripts/x.ts -> test/support/repo.ts: nothing outside test/ imports test/',
      'constructs/student/workstation.ts -> lib/write/atomic-write.ts: build imports from write, a later room',
      'lib/plan/nodes/capacity.ts -> lib/plan/plan-repo.ts: plan imports from plan orchestration, a later room',
      'lib/common/text.ts -> test/support/repo.ts: nothing outside test/ imports test/',
      'lib/common/text.ts -> lib/write/yaml.ts: common imports from write, a later room',
    ]);
  });
});
