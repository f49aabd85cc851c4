import { execFileSync } from 'child_process';
import { loadAll } from 'js-yaml';
import { CAPACITY_ANNOTATIONS, type KubeObjectLike } from '../contracts/dist-record';
import { compareText } from '../common/problems';
import { readTree } from '../common/files';
import { refusedChanges } from '../write/immutable-fields';

/** The generated YAML of one side of a comparison: repo path -> content, for files under dist/. */
export type DistTree = ReadonlyMap<string, string>;

/** dist/ as committed at `ref`, read in one batch from git. */
export function distAtRef(root: string, ref: string): DistTree {
  const git = (args: string[], input?: string) =>
    execFileSync('git', args, { cwd: root, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  const paths = git(['ls-tree', '-r', '-z', '--name-only', ref, '--', 'dist']).toString('utf8').split('\0').filter(Boolean);
  if (paths.length === 0) return new Map();
  const batch = git(['cat-file', '--batch'], paths.map((p) => `${ref}:${p}\n`).join(''));
  const tree = new Map<string, string>();
  let offset = 0;
  for (const file of paths) {
    const headerEnd = batch.indexOf(10, offset);
    const size = Number(batch.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
    tree.set(file, batch.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return tree;
}

/** dist/ as it is in the working tree. */
export function distInWorkingTree(root: string): DistTree {
  return readTree(root, ['dist']);
}

interface CourseState {
  readonly students: ReadonlySet<string>;
  readonly instanceType: string;
  readonly nodes: number;
  /** Nodes of the students' pool the course fills at full quota. */
  readonly studentNodes: number;
  /** vcluster mode: of those, the ones the virtual clusters' control planes add, and their weekly cost. */
  readonly virtualClusterNodes: number;
  readonly virtualClusterUsdPerWeek: number;
  readonly usdPerWeek: number;
}

type KubeDoc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
};

/** A Markdown summary of what going from `before` to `after` does to the clusters and the bill. */
export function planMarkdown(before: DistTree, after: DistTree, labels: { before: string; after: string }): string {
  const [coursesBefore, coursesAfter] = [courses(before), courses(after)];
  const names = [...new Set([...coursesBefore.keys(), ...coursesAfter.keys()])].sort(compareText);
  const added = names.filter((c) => !coursesBefore.has(c));
  const removed = names.filter((c) => !coursesAfter.has(c));
  const [objectsBefore, objectsAfter] = [objects(before), objects(after)];
  const changedCourses = names.filter(
    (c) => coursesBefore.has(c) && coursesAfter.has(c) && courseFiles(before, c) !== courseFiles(after, c),
  );

  const lines = [`## dojo plan: ${labels.before} → ${labels.after}`, ''];
  const list = (items: string[]) => (items.length ? items.map((i) => `\`${i}\``).join(', ') : 'none');
  const [clustersBefore, clustersAfter] = [clusters(before), clusters(after)];
  const clustersAdded = [...clustersAfter].filter((c) => !clustersBefore.has(c)).sort(compareText);
  const clustersRemoved = [...clustersBefore].filter((c) => !clustersAfter.has(c)).sort(compareText);
  if (clustersAdded.length + clustersRemoved.length > 0) {
    lines.push(`**Clusters** added: ${list(clustersAdded)}; removed: ${list(clustersRemoved)}`, '');
  }
  lines.push(`**Courses** added: ${list(added)}; removed: ${list(removed)}; changed: ${list(changedCourses)}`, '');

  const touched = [...added, ...removed, ...changedCourses].sort(compareText);
  if (touched.length > 0) {
    lines.push('| course | students | students added | students removed | nodes | USD/week |', '|---|---|---|---|---|---|');
    for (const course of touched) {
      const [b, a] = [coursesBefore.get(course), coursesAfter.get(course)];
      const plus = [...(a?.students ?? [])].filter((s) => !b?.students.has(s));
      const minus = [...(b?.students ?? [])].filter((s) => !a?.students.has(s));
      lines.push(
        `| ${course} | ${b?.students.size ?? 0} → ${a?.students.size ?? 0} | ${names_(plus)} | ${names_(minus)} | ${nodes(b)} → ${nodes(a)} | ${usd(b)} → ${usd(a)} |`,
      );
    }
    lines.push('');
  }

  const kinds = new Map<string, { added: number; changed: number; removed: number }>();
  const count = (kind: string, field: 'added' | 'changed' | 'removed') => {
    const entry = kinds.get(kind) ?? { added: 0, changed: 0, removed: 0 };
    entry[field]++;
    kinds.set(kind, entry);
  };
  for (const [key, content] of objectsAfter) {
    const old = objectsBefore.get(key);
    if (old === undefined) count(kindOf(key), 'added');
    else if (old !== content) count(kindOf(key), 'changed');
  }
  for (const key of objectsBefore.keys()) if (!objectsAfter.has(key)) count(kindOf(key), 'removed');
  if (kinds.size === 0) {
    lines.push('No object changes.', '');
  } else {
    lines.push('| kind | added | changed | removed |', '|---|---|---|---|');
    for (const [kind, c] of [...kinds].sort(([a], [b]) => compareText(a, b)))
      lines.push(`| ${kind} | ${c.added} | ${c.changed} | ${c.removed} |`);
    lines.push('');
  }

  const totalBefore = sum([...coursesBefore.values()].map((c) => c.usdPerWeek));
  const totalAfter = sum([...coursesAfter.values()].map((c) => c.usdPerWeek));
  lines.push(
    `**Course nodes per week**: USD ${totalBefore.toFixed(2)} → USD ${totalAfter.toFixed(2)} (on-demand list prices, schedules included)`,
    '',
  );

  const warnings: string[] = [];
  for (const course of removed) {
    const homes = coursesBefore.get(course)!.students.size;
    warnings.push(
      `course \`${course}\` is removed: ArgoCD deletes its namespaces and **${homes} home volume(s)**. To keep them, restore it with \`archived: true\`.`,
    );
  }
  for (const course of changedCourses) {
    const gone = [...coursesBefore.get(course)!.students].filter((s) => !coursesAfter.get(course)!.students.has(s));
    if (gone.length > 0) {
      warnings.push(
        `${gone.length} student(s) leave \`${course}\`: their home volumes stay (PersistentVolumeClaims \`home-ws-<id>-0\`) until deleted by hand.`,
      );
    }
  }
  const refused = refusedChangesBetween(objectsBefore, objectsAfter);
  const grown = new Map<string, number>();
  for (const [key, content] of objectsAfter) {
    if (kindOf(key) !== 'PersistentVolumeClaim' || objectsBefore.get(key) === content) continue;
    if (refused.some((change) => change.key === key)) continue;
    const [, , cluster, namespace] = key.split('|');
    grown.set(`${cluster}/${namespace}`, (grown.get(`${cluster}/${namespace}`) ?? 0) + 1);
  }
  for (const [namespace, claims] of [...grown].sort(([a], [b]) => compareText(a, b))) {
    warnings.push(
      `${claims} home volume(s) in \`${namespace}\` grow: their claims are expanded in place (EBS allows one change per volume every 6 hours; volumes never shrink).`,
    );
  }
  for (const change of refused) {
    warnings.push(
      `\`${change.kind} ${change.object}\` (${change.cluster}): \`${change.field}\` changes, which the API server refuses on a live object; ArgoCD's sync of it will fail.`,
    );
  }
  if (warnings.length > 0) lines.push('### Warnings', '', ...warnings.map((w) => `- ⚠️ ${w}`), '');
  return lines.join('\n');
}

/** Changes to fields the API server refuses to change, of the objects whose YAML differs. */
function refusedChangesBetween(before: Map<string, string>, after: Map<string, string>) {
  return [...after].flatMap(([key, content]) => {
    const old = before.get(key);
    if (old === undefined || old === content) return [];
    const parse = (doc: string) => (loadAll(doc) as KubeObjectLike[]).filter(Boolean);
    return refusedChanges(parse(old), parse(content)).map((change) => ({ ...change, key, cluster: key.split('|')[2] }));
  });
}

/** `<cluster>/<course>` -> students (by file) and the capacity plan recorded on its NodePool. */
function courses(tree: DistTree): Map<string, CourseState> {
  const result = new Map<
    string,
    {
      students: Set<string>;
      instanceType: string;
      nodes: number;
      studentNodes: number;
      virtualClusterNodes: number;
      virtualClusterUsdPerWeek: number;
      usdPerWeek: number;
    }
  >();
  for (const [file, content] of tree) {
    const match = /^dist\/([^/]+)\/courses\/([^/]+)\/(.+)$/.exec(file);
    if (!match) continue;
    const key = `${match[1]}/${match[2]}`;
    const state = result.get(key) ?? {
      students: new Set<string>(),
      instanceType: '',
      nodes: 0,
      studentNodes: 0,
      virtualClusterNodes: 0,
      virtualClusterUsdPerWeek: 0,
      usdPerWeek: 0,
    };
    const student = /^students\/(.+)\.yaml$/.exec(match[3]);
    if (student) state.students.add(student[1]);
    if (match[3] === 'node-pool.yaml') {
      const annotations = (loadAll(content) as KubeDoc[])[0]?.metadata.annotations ?? {};
      state.instanceType = annotations[CAPACITY_ANNOTATIONS.instanceType] ?? '';
      state.nodes = Number(annotations[CAPACITY_ANNOTATIONS.nodes] ?? 0);
      state.studentNodes = Number(annotations[CAPACITY_ANNOTATIONS.studentNodes] ?? 0);
      state.virtualClusterNodes = Number(annotations[CAPACITY_ANNOTATIONS.virtualClusterNodes] ?? 0);
      state.virtualClusterUsdPerWeek = Number(annotations[CAPACITY_ANNOTATIONS.virtualClusterUsdPerWeek] ?? 0);
      state.usdPerWeek = Number(annotations[CAPACITY_ANNOTATIONS.usdPerWeek] ?? 0);
    }
    result.set(key, state);
  }
  return result;
}

/**
 * Every object, keyed by kind, apiVersion, cluster, namespace and name (`|`-separated), as its
 * serialized YAML. The cluster is part of the key: two clusters hold objects of one name.
 */
function objects(tree: DistTree): Map<string, string> {
  const result = new Map<string, string>();
  for (const [file, content] of tree) {
    const cluster = clusterOf(file);
    for (const doc of content.split(/^---\n/m)) {
      const parsed = (loadAll(doc) as KubeDoc[])[0];
      if (!parsed?.kind) continue;
      result.set(
        `${parsed.kind}|${parsed.apiVersion}|${cluster}|${parsed.metadata.namespace ?? ''}|${parsed.metadata.name}`,
        doc,
      );
    }
  }
  return result;
}

/** The cluster a file of dist/ or argocd/ belongs to. */
function clusterOf(file: string): string {
  return /^(?:dist\/([^/]+)\/|argocd\/([^/]+)\.yaml$)/.exec(file)?.slice(1).find(Boolean) ?? '';
}

function courseFiles(tree: DistTree, course: string): string {
  const [cluster, name] = course.split('/');
  const prefix = `dist/${cluster}/courses/${name}/`;
  return [...tree]
    .filter(([f]) => f.startsWith(prefix) || f === `dist/${cluster}/apps/${name}.yaml`)
    .map(([f, c]) => `${f}\n${c}`)
    .sort()
    .join('\n');
}

const kindOf = (key: string) => key.split('|')[0];
const clusters = (tree: DistTree) => new Set([...tree.keys()].map(clusterOf).filter(Boolean));
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const nodes = (c: CourseState | undefined) =>
  c && c.nodes > 0
    ? `${c.nodes} × ${c.instanceType}${c.studentNodes > 0 ? ` + ${c.studentNodes} for students' pods` : ''}${
        c.virtualClusterUsdPerWeek > 0
          ? ` (virtual clusters: ${c.virtualClusterNodes} of them, USD ${c.virtualClusterUsdPerWeek.toFixed(2)} a week)`
          : ''
      }`
    : '0';
const usd = (c: CourseState | undefined) => (c ? c.usdPerWeek.toFixed(2) : '0.00');
const names_ = (ids: string[]) =>
  ids.length === 0 ? '–' : ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`;
