import { buildCharts } from '../constructs/dojo-app';
import { renderCharts } from './write/render';
import { loadRepo } from './input/load/load-repo';
import { kubeObjectsIn, previousContent, readAlbGroups, readHomeSizes, readPreviousCourses } from './input/load/previous-output';
import { refusedChangeProblem, refusedChanges } from './write/immutable-fields';
import type { KubeObjectLike } from './contracts/dist-record';
import { planRepo } from './plan/plan-repo';
import { compareText, formatProblems } from './common/problems';
import type { RepoPlan } from './plan/model/types';
import { summaryTable } from './summary';
import { pastScheduleWarning } from './plan/schedule/schedule';
import { costWarnings } from './plan/nodes/cost';
import { signInWarnings } from './plan/routing/plan-routing';
import { ApplicationSizes, oversizedApplications } from './write/application-size';
import { bootstrapFiles } from './write/bootstrap-files';
import { StagedOutput, textOf, type OutputFile, type TextFile, type WrittenFile } from './write/atomic-write';

export interface SynthResult {
  /** False when the input has problems; nothing was written then. */
  readonly ok: boolean;
  /** One formatted line per problem (`file:line:col  path  message`). */
  readonly errors: readonly string[];
  /** The table printed after a successful synth. */
  readonly summary: readonly string[];
  /**
   * What the trainer should know before merging: home volumes a removed course deletes, past
   * class days, and what big or never-ending courses cost.
   */
  readonly warnings: readonly string[];
  /** How many files and objects the output has. */
  readonly fileCount: number;
  readonly objectCount: number;
  /**
   * Every output file, when synth did not write them (`write: false`). A synth that writes
   * holds one file at a time, so that memory does not grow with the number of students.
   */
  readonly files: readonly TextFile[];
}

/** load -> plan for the repo at `root`: the plan, or every problem formatted for the trainer. */
export function loadAndPlan(root: string): { ok: true; plan: RepoPlan } | { ok: false; errors: string[] } {
  const loaded = loadRepo(root);
  const planned = planRepo(loaded.clusters, loaded.courses, {
    brokenClusters: loaded.brokenClusters,
    previousAlbGroups: readAlbGroups(root),
    homeSizes: readHomeSizes(root),
    passwordHash: (file, id) => loaded.passwordHashes.get(file)?.get(id),
    strayPasswordFiles: loaded.strayPasswordFiles,
    checkSets: loaded.checkSets,
    brokenCheckSets: loaded.brokenCheckSets,
  });
  const problems = [...loaded.problems, ...planned.problems];
  return problems.length > 0 ? { ok: false, errors: formatProblems(problems, loaded.locate) } : { ok: true, plan: planned.plan };
}

/**
 * load -> plan -> build -> write, for the repo at `root`. Writes only when the whole input is
 * valid; `write: false` returns the files instead. `today` (YYYY-MM-DD, default: today in UTC)
 * dates the warning about courses whose last day is past; it never reaches dist/.
 */
export function synth(root: string, options: { write?: boolean; today?: string } = {}): SynthResult {
  const failed = (errors: string[]) => ({
    ok: false,
    errors,
    summary: [],
    warnings: [],
    fileCount: 0,
    objectCount: 0,
    files: [],
  });
  const planned = loadAndPlan(root);
  if (!planned.ok) return failed(planned.errors);
  const write = options.write ?? true;
  const staged = write ? new StagedOutput(root) : undefined;
  const kept: TextFile[] = [];
  const sizes = new ApplicationSizes();
  const refused: string[] = [];
  const check = ({ file, bytes, changed }: WrittenFile) => {
    // bootstrap/ holds eksctl's and Helm's files and a script, not Kubernetes objects.
    if (!('documents' in file)) return;
    sizes.add(file.path, bytes, file.documents.length);
    if (!changed) return;
    const before = kubeObjectsIn(previousContent(root, file.path) ?? '');
    const changes = refusedChanges(before, file.documents as KubeObjectLike[]);
    refused.push(...changes.map((change) => refusedChangeProblem(file.path, change)));
  };
  try {
    for (const file of outputFiles(planned.plan)) {
      if (staged) {
        staged.add(file).forEach(check);
      } else {
        const content = textOf(file);
        const previous = previousContent(root, file.path);
        check({ file, bytes: Buffer.byteLength(content), changed: previous !== undefined && previous !== content });
        kept.push({ path: file.path, content });
      }
    }
    staged?.finish().forEach(check);
  } catch (error) {
    staged?.discard();
    throw error;
  }
  const problems = [...refused.sort(compareText), ...oversizedApplications(sizes)];
  if (problems.length > 0) {
    staged?.discard();
    return failed(problems);
  }
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const warnings = [
    ...removedCourseWarnings(readPreviousCourses(root), planned.plan),
    ...planned.plan.clusters.flatMap(signInWarnings),
    ...planned.plan.clusters.flatMap((c) =>
      c.courses
        .filter((course) => !course.archived)
        .flatMap((course) => [pastScheduleWarning(course, today) ?? [], costWarnings(course)].flat()),
    ),
  ];
  const fileCount = staged ? staged.fileCount : kept.length;
  staged?.commit();
  const summary = summaryTable(planned.plan, sizes.objects);
  return { ok: true, errors: [], summary, warnings, fileCount, objectCount: sizes.objectCount, files: kept };
}

/** Every output file, one at a time: the rendered charts, then the bootstrap files of each cluster. */
function* outputFiles(plan: RepoPlan): Generator<OutputFile> {
  yield* renderCharts(buildCharts(plan));
  for (const cluster of plan.clusters) if (cluster.bootstrap) yield* bootstrapFiles(cluster.bootstrap);
}

/** A course gone from courses/ takes its namespaces and every student's home volume with it. */
function removedCourseWarnings(previous: ReadonlyMap<string, number>, plan: RepoPlan): string[] {
  const current = new Set(plan.clusters.flatMap((c) => c.courses.map((course) => `${c.name}/${course.name}`)));
  return [...previous]
    .filter(([course]) => !current.has(course))
    .map(
      ([course, homes]) =>
        `warning: course ${course} is no longer in courses/: ArgoCD will delete its namespaces and ${homes} home volume(s). ` +
        'To keep them, restore the file with archived: true; to rename it, restore the file and run npm run rename-course -- <old> <new>.',
    );
}
