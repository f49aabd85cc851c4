import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { makeRepo, objectsOf, readTree, type KubeObject } from './support/repo';
import { exampleOutput } from './support/example-output';

const objectsIn = (files: readonly { path: string; content: string }[]) =>
  objectsOf(new Map(files.map((f) => [f.path, f.content]))).map((o) => o.object);
const objects = objectsIn(exampleOutput().files);
const find = (kind: string, namespace: string) => objects.filter((o) => o.kind === kind && o.metadata.namespace === namespace);

describe('class hours', () => {
  it('scale every workstation between 0 and 1 on cron in the course time zone, and leave replicas out', () => {
    for (const course of ['kubernetes-katas', 'docker-katas']) {
      const scaled = new Map(find('ScaledObject', course).map((s) => [s.spec.scaleTargetRef.name, s]));
      for (const sts of find('StatefulSet', course)) {
        expect(sts.spec.replicas).toBeUndefined();
        const so = scaled.get(sts.metadata.name)!;
        expect(so.spec).toMatchObject({
          minReplicaCount: 0,
          maxReplicaCount: 1,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
        });
        for (const t of so.spec.triggers)
          expect(t).toMatchObject({ type: 'cron', metadata: { timezone: 'Europe/Copenhagen', desiredReplicas: '1' } });
      }
    }
    const ada = find('ScaledObject', 'kubernetes-katas').find((s) => s.metadata.name === 'ws-ada-lovelace')!;
    expect(ada.spec.triggers.map((t: any) => [t.metadata.start, t.metadata.end])).toEqual([
      ['0 9 * * 1-5', '0 12 * * 1-5'],
      ['0 13 * * 1-5', '30 16 * * 1-5'],
    ]);
  });

  it('tell ArgoCD that the schedule owns the replicas of workstations and placeholders', () => {
    const app = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'course-kubernetes-katas')!;
    expect(app.spec.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] },
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    ]);
    expect(app.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });

  it('pre-warm with placeholders that run the workstation image and requests on the course nodes, below every priority', () => {
    const [placeholders] = find('Deployment', 'docker-katas');
    const [workstation] = find('StatefulSet', 'docker-katas');
    const pod = placeholders.spec.template.spec;
    const ws = workstation.spec.template.spec;
    expect(placeholders.spec.replicas).toBeUndefined();
    expect(pod.containers[0].image).toBe(ws.containers[0].image);
    expect(pod.containers[0].resources).toEqual(ws.containers[0].resources);
    expect([pod.runtimeClassName, pod.nodeSelector, pod.tolerations]).toEqual([
      ws.runtimeClassName,
      ws.nodeSelector,
      ws.tolerations,
    ]);
    const priority = objects.find((o) => o.kind === 'PriorityClass' && o.metadata.name === pod.priorityClassName)!;
    expect(priority.value).toBeLessThan(0);
    expect(priority.preemptionPolicy).toBe('Never');
    expect(placeholders.spec.template.metadata.annotations['karpenter.sh/do-not-disrupt']).toBeUndefined();
  });

  it('start placeholders the lead time before class and stop them a few minutes before it opens, so that workstations find empty nodes', () => {
    const scaler = find('ScaledObject', 'docker-katas').find((s) => s.metadata.name === 'prewarm')!;
    expect(scaler.spec.maxReplicaCount).toBe(6);
    expect(scaler.spec.triggers.map((t: any) => [t.metadata.start, t.metadata.end, t.metadata.desiredReplicas])).toEqual([
      ['40 8 7-11 12 *', '57 8 7-11 12 *', '6'],
    ]);
  });

  it('block voluntary disruption of course nodes from pre-warm to the end of class, in UTC', () => {
    const pool = objects.find((o) => o.kind === 'NodePool' && o.metadata.name === 'course-docker-katas')!;
    expect(pool.spec.disruption.budgets).toEqual([
      { nodes: '100%', reasons: ['Empty'] },
      { nodes: '10%', reasons: ['Drifted', 'Underutilized'] },
      // 08:40 Copenhagen (UTC+1 in December) = 07:40 UTC, until 16:00 local.
      { nodes: '0', schedule: '40 7 7-11 12 *', duration: '7h20m' },
    ]);
  });
});

describe('courses without a schedule, archived and deleted courses', () => {
  const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');
  const withoutSchedule = (text: string) => text.slice(0, text.indexOf('\n# Every week'));

  it('are always on without a schedule: no scalers, no placeholders, only empty nodes may go', () => {
    const root = makeRepo();
    fs.writeFileSync(
      path.join(root, 'courses/kubernetes-katas.yaml'),
      withoutSchedule(read(root, 'courses/kubernetes-katas.yaml')),
    );
    const out = objectsIn(synth(root, { write: false }).files).filter(
      (o) => o.metadata.labels?.['dojo.training/course'] === 'kubernetes-katas' || o.metadata.namespace === 'kubernetes-katas',
    );
    expect(out.filter((o) => o.kind === 'ScaledObject' || o.kind === 'Deployment')).toEqual([]);
    const pool = out.find((o) => o.kind === 'NodePool')!;
    expect(pool.spec.disruption.budgets).toEqual([
      { nodes: '100%', reasons: ['Empty'] },
      { nodes: '0', reasons: ['Drifted', 'Underutilized'] },
    ]);
  });

  it('keep namespaces and home volumes when archived, and drop workstations, nodes, schedules and API access', () => {
    const root = makeRepo();
    fs.appendFileSync(path.join(root, 'courses/kubernetes-katas.yaml'), 'archived: true\n');
    const result = synth(root, { write: false });
    expect(result.errors).toEqual([]);
    const course = (o: KubeObject) => o.metadata.labels?.['dojo.training/course'] === 'kubernetes-katas';
    const kinds = new Set(
      objectsIn(result.files)
        .filter(course)
        .map((o) => o.kind),
    );
    for (const gone of ['StatefulSet', 'ScaledObject', 'Deployment', 'NodePool', 'HTTPRoute', 'Service'])
      expect(kinds.has(gone), gone).toBe(false);
    for (const kept of ['Namespace', 'ResourceQuota', 'Application']) expect(kinds.has(kept), kept).toBe(true);
    // The student's API access ends: no binding, and the workstation's ServiceAccount is gone.
    for (const gone of ['RoleBinding', 'ClusterRoleBinding', 'ServiceAccount']) expect(kinds.has(gone), gone).toBe(false);
    expect(result.summary.join('\n')).toMatch(/kubernetes-katas\s+-\s+archived: no workstations/);
    // Home volumes come from StatefulSets that keep their claims when deleted.
    const before = objectsIn(exampleOutput().files).filter((o) => o.kind === 'StatefulSet');
    for (const sts of before) expect(sts.spec.persistentVolumeClaimRetentionPolicy.whenDeleted).toBe('Retain');
  });

  it('warn how many home volumes a deleted course file deletes', () => {
    const root = makeRepo();
    const today = '2026-11-24'; // before the example's class days, which would warn once past
    // kubernetes-katas runs every week, which test/cost-warnings.test.ts covers.
    const removals = (warnings: readonly string[]) => warnings.filter((w) => !w.includes('kubernetes-katas.yaml'));
    expect(removals(synth(root, { today }).warnings)).toEqual([]);
    fs.rmSync(path.join(root, 'courses/docker-katas.yaml'));
    const result = synth(root, { today });
    expect(removals(result.warnings)).toEqual([
      'warning: course example/docker-katas is no longer in courses/: ArgoCD will delete its namespaces and 12 home volume(s). To keep them, restore the file with archived: true; to rename it, restore the file and run npm run rename-course -- <old> <new>.',
    ]);
    expect([...readTree(root).keys()].some((f) => f.includes('docker-katas'))).toBe(false);
  });
});
