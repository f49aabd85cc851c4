import { checkSetName, type Loaded } from '../input/load/load-repo';
import type { HomeSizes } from '../input/load/previous-output';
import type { ClusterSpec } from '../input/schema/cluster';
import type { CourseSpec } from '../input/schema/course';
import type { CheckSetSpec } from '../input/schema/checks';
import { planCheckSets } from './checks/checks';
import { NameClaims } from '../common/name-claims';
import { compareText, type Problem, type SourceRef } from '../common/problems';
import type { CoursePlan, RepoPlan } from './model/types';
import { courseIdOf } from './model/object-names';
import { clusterProblems, planCluster } from './plan-cluster';
import { planCourse } from './plan-course';
import { contentDomainProblems } from './routing/content-domain';
import { claimNamespace } from './students/student-names';
import { planStudentIds } from './students/plan-students';

export interface PlanOptions {
  /** Clusters whose file has problems of its own: courses on them are skipped silently. */
  readonly brokenClusters?: ReadonlySet<string>;
  /** alb mode: each course's earlier group per student (key `<cluster>/<course>`), so nobody moves. */
  readonly previousAlbGroups?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** The home sizes each course had at the last synth (key `<cluster>/<course>`), from dist/. */
  readonly homeSizes?: ReadonlyMap<string, HomeSizes>;
  /** The committed bcrypt hash of a student's password, by course file and student id. */
  readonly passwordHash: (courseFile: string, studentId: string) => string | undefined;
  /** Course password files beside no course file, which a course renamed by hand leaves behind. */
  readonly strayPasswordFiles?: readonly string[];
  /** checks/<set>.yaml, as loaded. */
  readonly checkSets?: readonly Loaded<CheckSetSpec>[];
  /** Check sets whose file has problems of its own: courses naming them are not reported again. */
  readonly brokenCheckSets?: ReadonlySet<string>;
}

export interface PlanResult {
  readonly plan: RepoPlan;
  readonly problems: readonly Problem[];
}

/**
 * Pure: the same specs give the same plan, on any machine, at any time. Courses on a
 * cluster in `brokenClusters` (its file has problems of its own) are skipped silently.
 * The orchestration alone: each capability plans and checks its part (lib/plan/<capability>),
 * and this claims the names that must be unique across the whole repo.
 */
export function planRepo(
  clusters: readonly Loaded<ClusterSpec>[],
  courses: readonly Loaded<CourseSpec>[],
  options: PlanOptions,
): PlanResult {
  const brokenClusters = options.brokenClusters ?? new Set<string>();
  const problems: Problem[] = [];
  const clusterNames = new NameClaims('cluster name');
  const courseNames = new NameClaims('course name');
  const namespaces = new NameClaims('namespace');
  const hosts = new NameClaims('host name');
  const domains = new NameClaims('domain');

  const clusterByName = new Map<string, Loaded<ClusterSpec>>();
  for (const cluster of clusters) {
    if (!clusterNames.claim(cluster.spec.name, { file: cluster.file, path: ['name'] }, `cluster file ${cluster.file}`)) continue;
    clusterByName.set(cluster.spec.name, cluster);
    domains.claim(cluster.spec.domain, { file: cluster.file, path: ['domain'] }, `cluster file ${cluster.file}`);
    problems.push(...clusterProblems(cluster.file, cluster.spec));
  }
  problems.push(...contentDomainProblems([...clusterByName.values()]));
  const checkSets = planCheckSets(options.checkSets ?? []);
  problems.push(...checkSets.problems);
  // A set left out for a problem of its own is not named again by every course that uses it.
  const brokenCheckSets = new Set([
    ...(options.brokenCheckSets ?? []),
    ...checkSets.problems.map((p) => checkSetName(p.at.file)),
  ]);

  const coursePlans: CoursePlan[] = [];
  for (const course of courses) {
    const { file, spec } = course;
    // A second course of the same name would only repeat the same collisions.
    if (!courseNames.claim(spec.name, { file, path: ['name'] }, `course file ${file}`)) continue;
    const cluster = clusterByName.get(spec.cluster);
    if (!cluster && brokenClusters.has(spec.cluster)) continue;
    if (!cluster) {
      const known = [...clusterByName.keys()];
      problems.push({
        at: { file, path: ['cluster'] },
        message: `"${spec.cluster}" is not a cluster of this repo`,
        hint: known.length ? `known clusters: ${known.join(', ')} (clusters/<name>.yaml)` : 'add clusters/<name>.yaml first',
      });
      continue;
    }
    const ids = planStudentIds(file, spec.students);
    problems.push(...ids.problems);
    const key = `${cluster.spec.name}/${courseIdOf(spec)}`;
    const planned = planCourse(course, {
      cluster,
      identities: ids.students,
      previousAlbGroups: options.previousAlbGroups?.get(key) ?? new Map<string, number>(),
      passwordHash: options.passwordHash,
      strayPasswordFiles: options.strayPasswordFiles ?? [],
      previousHomes: options.homeSizes?.get(key),
      checkSets: checkSets.sets,
      brokenCheckSets,
    });
    problems.push(...planned.problems);

    const plan = planned.plan;
    const courseRef: SourceRef = { file, path: ['name'] };
    claimNamespace(namespaces, problems, plan.namespace, courseRef, `course "${plan.name}"`);
    for (const student of plan.students) {
      const owner = `student ${JSON.stringify(student.name)} of course "${plan.name}"`;
      if (student.kubernetes.access !== 'none') {
        claimNamespace(namespaces, problems, student.kubernetes.namespace, student.source, owner);
      }
      hosts.claim(student.hosts.ide, student.source, owner);
      for (const app of student.hosts.apps) hosts.claim(app.host, student.source, `${owner} (port ${app.port})`);
    }
    coursePlans.push(plan);
  }

  problems.push(
    ...clusterNames.problems,
    ...domains.problems,
    ...courseNames.problems,
    ...namespaces.problems,
    ...hosts.problems,
  );
  const clusterPlans = [...clusterByName.values()]
    .map((cluster) => {
      const courses = coursePlans.filter((c) => c.cluster === cluster.spec.name).sort((a, b) => compareText(a.name, b.name));
      const planned = planCluster(cluster, courses, options.passwordHash);
      problems.push(...planned.problems);
      return planned.plan;
    })
    .sort((a, b) => compareText(a.name, b.name));
  return { plan: { clusters: clusterPlans }, problems };
}
