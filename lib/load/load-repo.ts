import * as fs from 'fs';
import * as path from 'path';
import type { z } from 'zod';
import { clusterSchema, type ClusterSpec } from '../spec/cluster';
import { courseSchema, type CourseSpec } from '../spec/course';
import { compareText, type Locate, type Problem } from '../problems';
import { schemaProblems } from './schema-problems';
import { parseYamlSource, type YamlSource } from './yaml-source';
import { isPasswordFile, readPasswordHashes } from './password-hashes';

/** A validated spec and the file it came from (relative to the repo root, with "/"). */
export interface Loaded<T> {
  readonly file: string;
  readonly spec: T;
}

export interface LoadResult {
  readonly courses: readonly Loaded<CourseSpec>[];
  readonly clusters: readonly Loaded<ClusterSpec>[];
  readonly problems: readonly Problem[];
  /** The committed password hashes of each course file, by student id. */
  readonly passwordHashes: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Names of clusters whose file has problems: courses on them are not reported again. */
  readonly brokenClusters: ReadonlySet<string>;
  /** Resolves any reference into the loaded files to a line and column. */
  readonly locate: Locate;
}

export const COURSES_DIR = 'courses';
export const CLUSTERS_DIR = 'clusters';

/** Reads and validates every course and cluster file under `root`; never throws on bad input. */
export function loadRepo(root: string): LoadResult {
  const sources = new Map<string, YamlSource>();
  const problems: Problem[] = [];
  const broken = new Map<string, Set<string>>([
    ['cluster', new Set()],
    ['course', new Set()],
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
      const result = schema.safeParse(source.data);
      if (result.success) {
        loaded.push({ file, spec: result.data });
      } else {
        problems.push(...schemaProblems(file, schema, source.data, result.error.issues));
        const name = (source.data as { name?: unknown }).name;
        if (typeof name === 'string') broken.get(what)!.add(name);
      }
    }
    return loaded;
  };
  const clusters = load(CLUSTERS_DIR, clusterSchema, 'cluster');
  const courses = load(COURSES_DIR, courseSchema, 'course');
  const passwordHashes = new Map<string, ReadonlyMap<string, string>>();
  for (const course of courses) {
    const read = readPasswordHashes(root, course.file);
    if (read.source) sources.set(read.source.file, read.source);
    problems.push(...read.problems);
    passwordHashes.set(course.file, read.hashes);
  }
  return {
    courses,
    clusters,
    problems,
    passwordHashes,
    brokenClusters: broken.get('cluster')!,
    locate: (ref) => sources.get(ref.file)?.locate(ref.path) ?? { line: 1, col: 1 },
  };
}

function requiredKeys(what: string): string {
  return what === 'course' ? '"name", "cluster" and "students"' : '"name", "domain", "kubernetesVersion" and "argocd"';
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
