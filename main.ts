import * as path from 'path';
import { buildApp } from './constructs/dojo-app';
import { renderCharts } from './constructs/render';
import { loadRepo } from './lib/load/load-repo';
import { readAlbGroups, readHomeClaimTemplates, readPreviousCourses } from './lib/load/previous-output';
import { planRepo } from './lib/plan/plan-repo';
import { formatProblems } from './lib/problems';
import type { RepoPlan } from './lib/plan/types';
import { summaryTable } from './lib/summary';
import { oversizedApplications } from './lib/plan/application-size';
import { writeOutputs, type OutputFile } from './lib/write/atomic-write';

export interface SynthResult {
  /** False when the input has problems; nothing was written then. */
  readonly ok: boolean;
  /** One formatted line per problem (`file:line:col  path  message`). */
  readonly errors: readonly string[];
  /** The table printed after a successful synth. */
  readonly summary: readonly string[];
  /** What this synth deletes that cannot come back: home volumes of removed courses. */
  readonly warnings: readonly string[];
  readonly files: readonly OutputFile[];
}

/** load -> plan -> build -> write, for the repo at `root`. Writes only when the whole input is valid. */
/** load -> plan for the repo at `root`: the plan, or every problem formatted for the trainer. */
export function loadAndPlan(root: string): { ok: true; plan: RepoPlan } | { ok: false; errors: string[] } {
  const loaded = loadRepo(root);
  const planned = planRepo(loaded.clusters, loaded.courses, {
    brokenClusters: loaded.brokenClusters,
    previousAlbGroups: readAlbGroups(root),
    homeClaimTemplates: readHomeClaimTemplates(root),
    passwordHash: (file, id) => loaded.passwordHashes.get(file)?.get(id),
  });
  const problems = [...loaded.problems, ...planned.problems];
  return problems.length > 0 ? { ok: false, errors: formatProblems(problems, loaded.locate) } : { ok: true, plan: planned.plan };
}

/** load -> plan -> build -> write, for the repo at `root`. Writes only when the whole input is valid. */
export function synth(root: string, options: { write?: boolean } = {}): SynthResult {
  const planned = loadAndPlan(root);
  if (!planned.ok) return { ok: false, errors: planned.errors, summary: [], warnings: [], files: [] };
  const files = renderCharts(buildApp(planned.plan));
  const oversized = oversizedApplications(files);
  if (oversized.length > 0) return { ok: false, errors: oversized, summary: [], warnings: [], files: [] };
  const warnings = removedCourseWarnings(readPreviousCourses(root), planned.plan);
  if (options.write ?? true) writeOutputs(root, files);
  return { ok: true, errors: [], summary: summaryTable(planned.plan, countObjects(files)), warnings, files };
}

/** A course gone from courses/ takes its namespaces and every student's home volume with it. */
function removedCourseWarnings(previous: ReadonlyMap<string, number>, plan: RepoPlan): string[] {
  const current = new Set(plan.clusters.flatMap((c) => c.courses.map((course) => `${c.name}/${course.name}`)));
  return [...previous]
    .filter(([course]) => !current.has(course))
    .map(
      ([course, homes]) =>
        `warning: course ${course} is no longer in courses/: ArgoCD will delete its namespaces and ${homes} home volume(s). ` +
        'To keep them, restore the file with archived: true.',
    );
}

/** Objects per course folder, for the summary. */
function countObjects(files: readonly OutputFile[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of files) {
    const course = /^(dist\/[^/]+\/courses\/[^/]+)\//.exec(file.path)?.[1];
    if (!course) continue;
    const objects = file.content.split(/^---$/m).length;
    counts.set(course, (counts.get(course) ?? 0) + objects);
  }
  return counts;
}

function main(): number {
  const root = path.resolve(process.argv[2] ?? '.');
  try {
    const result = synth(root);
    if (!result.ok) {
      console.error(result.errors.join('\n'));
      console.error(`\n${result.errors.length} problem(s) found; nothing was written to dist/ or argocd/.`);
      return 1;
    }
    console.log(result.summary.join('\n'));
    if (result.warnings.length > 0) console.log(`\n${result.warnings.join('\n')}`);
    console.log(`\nwrote ${result.files.length} files to dist/ and argocd/`);
    return 0;
  } catch (error) {
    // A bug of dojo, not of the input: say so plainly; dist/ is untouched (see writeOutputs).
    console.error(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    console.error('nothing was written to dist/ or argocd/; please report this with the course file that caused it.');
    return 2;
  }
}

if (typeof require !== 'undefined' && require.main === module) process.exitCode = main();
