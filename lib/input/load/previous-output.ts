import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { parse } from 'yaml';
import {
  ALB_GROUPS_FILE,
  HOME_CLAIM_TEMPLATE_ANNOTATION,
  HOME_SIZE_ANNOTATION,
  type KubeObjectLike,
} from '../../contracts/dist-record';

/**
 * The ALB group each student had at the last synth, read back from the ConfigMap synth wrote
 * to dist/ (key `<cluster>/<course>`). dist/ is the record of what is deployed: reading it
 * keeps every student on their load balancer when others come and go. A missing or
 * unreadable file means no earlier assignment.
 */
export function readAlbGroups(root: string): Map<string, Map<string, number>> {
  const result = new Map<string, Map<string, number>>();
  for (const { key, folder } of courseFolders(root)) {
    const file = path.join(folder, ALB_GROUPS_FILE);
    if (!fs.existsSync(file)) continue;
    const data = (parse(fs.readFileSync(file, 'utf8')) as { data?: Record<string, string> } | null)?.data ?? {};
    const groups = new Map<string, number>();
    for (const [student, group] of Object.entries(data)) {
      const number = Number(/-(\d+)$/.exec(group)?.[1]);
      if (Number.isInteger(number) && number > 0) groups.set(student, number);
    }
    result.set(key, groups);
  }
  return result;
}

/** The sizes recorded for a course's home volumes at the last synth. */
export interface HomeSizes {
  /** What the StatefulSets were created with; their volumeClaimTemplates cannot change. */
  readonly claimTemplate: string;
  /** What the volumes have now, after any growth. */
  readonly volumes: string;
}

/**
 * The home sizes of each course (key `<cluster>/<course>`), from its namespace in
 * dist/course.yaml. A course keeps its claim template for good and grows homes by expanding
 * the claims; a dist/ from before the volumes' size was recorded gives the template for both.
 */
export function readHomeSizes(root: string): Map<string, HomeSizes> {
  const result = new Map<string, HomeSizes>();
  for (const { key, folder } of courseFolders(root)) {
    const file = path.join(folder, 'course.yaml');
    if (!fs.existsSync(file)) continue;
    const namespace = loadAll(fs.readFileSync(file, 'utf8')).find(
      (doc): doc is { kind: string; metadata?: { annotations?: Record<string, string> } } =>
        typeof doc === 'object' && doc !== null && (doc as { kind?: string }).kind === 'Namespace',
    );
    const annotations = namespace?.metadata?.annotations ?? {};
    const claimTemplate = annotations[HOME_CLAIM_TEMPLATE_ANNOTATION];
    if (claimTemplate) result.set(key, { claimTemplate, volumes: annotations[HOME_SIZE_ANNOTATION] ?? claimTemplate });
  }
  return result;
}

/** The content of `file` (a path of dist/ or argocd/) as synth wrote it last time, if it was there. */
export function previousContent(root: string, file: string): string | undefined {
  try {
    return fs.readFileSync(path.join(root, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** The Kubernetes objects of a file of the output (other YAML documents left out). */
export function kubeObjectsIn(content: string): KubeObjectLike[] {
  return (loadAll(content) as (KubeObjectLike | null)[]).filter((o): o is KubeObjectLike => !!o?.kind && !!o.metadata);
}

/** Courses in dist/ (`<cluster>/<course>`) and the number of students (so of home volumes) each has there. */
export function readPreviousCourses(root: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const { key, folder } of courseFolders(root)) {
    const students = path.join(folder, 'students');
    result.set(key, fs.existsSync(students) ? fs.readdirSync(students).length : 0);
  }
  return result;
}

/** The course folders of dist/: `dist/<cluster>/courses/<course>`, keyed `<cluster>/<course>`. */
function courseFolders(root: string): { key: string; folder: string }[] {
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(dist)) return [];
  return fs.readdirSync(dist).flatMap((cluster) => {
    const courses = path.join(dist, cluster, 'courses');
    return fs.existsSync(courses)
      ? fs.readdirSync(courses).map((course) => ({ key: `${cluster}/${course}`, folder: path.join(courses, course) }))
      : [];
  });
}
