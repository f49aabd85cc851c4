import * as fs from 'fs';
import * as path from 'path';
import type * as z from 'zod';
import { clusterSchema, type ClusterSpec } from '../schema/cluster';
import { courseSchema, type CourseSpec } from '../schema/course';
import { checkSetSchema, type CheckSetSpec } from '../schema/checks';
import { compareText, type Locate, type Problem } from '../../common/problems';
import { schemaProblems } from './schema-problems';
import { parseYamlSource, type YamlSource } from './yaml-source';
import { courseFileOf, isPasswordFile, readPasswordHashes } from './password-hashes';
import { runOnStudentNames } from './run-on-names';

/** A validated spec and the file it came from (relative to the repo root, with "/"). */
export interface Loaded<T> {
  readonly file: string;
  readonly spec: T;
  /**
   * Paths of values the schema refused and that were left out (their defaults taken) so that
   * the rest of the file is still planned and its problems found in the same run. A file with
   * any is never synthesized: its schema problems stop synth.
   */
  readonly refused?: readonly (readonly PropertyKey[])[];
}

export interface LoadResult {
  readonly courses: readonly Loaded<CourseSpec>[];
  readonly clusters: readonly Loaded<ClusterSpec>[];
  /** checks/<set>.yaml: each set is known by its file's name. */
  readonly checkSets: readonly Loaded<CheckSetSpec>[];
  readonly problems: readonly Problem[];
  /** The committed password hashes of each course file, by student id. */
  readonly passwordHashes: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Course password files beside no course file: left behind by a course renamed by hand. */
  readonly strayPasswordFiles: readonly string[];
  /** Names of check sets whose file has problems: courses naming them are not reported again. */
  readonly brokenCheckSets: ReadonlySet<string>;
  /** Names of clusters whose file has problems: courses on them are not reported again. */
  readonly brokenClusters: ReadonlySet<string>;
  /** Resolves any reference into the loaded files to a line and column. */
  readonly locate: Locate;
}

export const COURSES_DIR = 'courses';
export const CLUSTERS_DIR = 'clusters';
export const CHECKS_DIR = 'checks';

/** Reads and validates every course and cluster file under `root`; never throws on bad input. */
export function loadRepo(root: string): LoadResult {
  const sources = new Map<string, YamlSource>();
  const problems: Problem[] = [];
  const broken = new Map<string, Set<string>>([
    ['cluster', new Set()],
    ['course', new Set()],
    ['check set', new Set()],
  ]);
  const load = <S extends z.ZodType>(dir: string, schema: S, what: string): Loaded<z.output<S>>[] => {
    const loaded: Loaded<z.output<S>>[] = [];
    for (const file of yamlFiles(root, dir)) {
      const source = parseYamlSource(file, fs.readFileSync(path.join(root, file), 'utf8'));
      sources.set(file, source);
      problems.push(...source.problems);
      if (source.problems.length > 0) continue;
      if (source.data === null || source.data === undefined) {
        problems.push({ at: { file, path: [] }, message: `is empty: a ${what} file needs at least ${requiredKeys(what)}` });
        continue;
      }
      // A course whose students YAML reads otherwise than they are laid out is checked, never planned.
      const runOn = what === 'course' ? runOnStudentNames(source) : [];
      problems.push(...runOn);
      const result = schema.safeParse(source.data);
      if (result.success) {
        if (runOn.length === 0) loaded.push({ file, spec: result.data });
        continue;
      }
      problems.push(...schemaProblems(file, schema, source.data, result.error.issues));
      const name = what === 'check set' ? checkSetName(file) : (source.data as { name?: unknown }).name;
      if (typeof name === 'string') broken.get(what)!.add(name);
      const refused = result.error.issues.map((issue) => issue.path);
      const rest = what === 'course' ? withoutValues(source.data, refused) : undefined;
      const partial = rest === undefined ? undefined : schema.safeParse(rest);
      if (partial?.success && runOn.length === 0) loaded.push({ file, spec: partial.data, refused });
    }
    return loaded;
  };
  const clusters = load(CLUSTERS_DIR, clusterSchema, 'cluster');
  const courses = load(COURSES_DIR, courseSchema, 'course');
  const checkSets = load(CHECKS_DIR, checkSetSchema, 'check set');
  for (const course of courses) {
    const problem = fileNameProblem(course.file, course.spec.name);
    if (problem) problems.push(problem);
  }
  const passwordHashes = new Map<string, ReadonlyMap<string, string>>();
  // Courses' students and, next to a cluster file, the class board's trainers.
  for (const { file } of [...courses, ...clusters.filter((c) => c.spec.board)]) {
    const read = readPasswordHashes(root, file);
    if (read.source) sources.set(read.source.file, read.source);
    problems.push(...read.problems);
    passwordHashes.set(file, read.hashes);
  }
  const courseFiles = new Set(yamlFiles(root, COURSES_DIR));
  return {
    courses,
    clusters,
    checkSets,
    problems,
    passwordHashes,
    strayPasswordFiles: passwordFiles(root, COURSES_DIR).filter((file) => !courseFiles.has(courseFileOf(file))),
    brokenClusters: broken.get('cluster')!,
    brokenCheckSets: broken.get('check set')!,
    locate: (ref) => sources.get(ref.file)?.locate(ref.path) ?? { line: 1, col: 1 },
  };
}

/**
 * A copy of `data` without the values at `paths`, when each is a setting in a map outside any
 * list (left out, its default applies, or the schema refuses the copy again if it is required);
 * undefined when a path runs through a list or is the whole file, where leaving a value out
 * would change what the rest means (a student without their id is another student).
 */
export function withoutValues(data: unknown, paths: readonly (readonly PropertyKey[])[]): unknown {
  if (paths.some((p) => p.length === 0 || p.some((key) => typeof key !== 'string'))) return undefined;
  const copy = structuredClone(data) as Record<string, unknown>;
  for (const p of paths as readonly (readonly string[])[]) {
    let parent: unknown = copy;
    for (const key of p.slice(0, -1))
      parent = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
    if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[p[p.length - 1]];
  }
  return copy;
}

/**
 * A course is known by its name (dist/, the plan, `handout`) and by its file (its password
 * file, `passwords`): they must agree, or commands given one name act on another course's
 * students. Which one to change is the trainer's choice.
 */
function fileNameProblem(file: string, name: string): Problem | undefined {
  const base = path.basename(file).replace(/\.ya?ml$/, '');
  if (base === name) return undefined;
  return {
    at: { file, path: ['name'] },
    message: `"${name}" differs from the file name "${path.basename(file)}": a course goes by one name everywhere (dist/, passwords, handout)`,
    hint: `rename the file to ${path.dirname(file)}/${name}.yaml${/^[a-z][a-z0-9-]*$/.test(base) ? `, or set name: ${base}` : ''}`,
  };
}

/** A check set is named by its file: checks/kubernetes-katas.yaml is `kubernetes-katas`. */
export function checkSetName(file: string): string {
  return path.basename(file).replace(/\.ya?ml$/, '');
}

function requiredKeys(what: string): string {
  if (what === 'check set') return '"title" and "exercises"';
  return what === 'course'
    ? '"name", "cluster" and "students"'
    : '"name", "domain", "contentDomain", "kubernetesVersion" and "argocd"';
}

function passwordFiles(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter(isPasswordFile)
    .sort(compareText)
    .map((name) => `${dir}/${name}`);
}

function yamlFiles(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((name) => /\.ya?ml$/.test(name) && !isPasswordFile(name))
    .sort(compareText)
    .map((name) => `${dir}/${name}`);
}
