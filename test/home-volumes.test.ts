import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { makeRepo, objectsOf, readTree } from './support/repo';
import { FIXTURE_HASH } from './support/fixture-passwords';

const course = 'courses/docker-katas.yaml';
const setHomeSize = (root: string, size: string) =>
  fs.writeFileSync(
    path.join(root, course),
    fs.readFileSync(path.join(root, course), 'utf8').replace('workstation:\n', `workstation:\n  homeSize: ${size}\n`),
  );
const objects = (root: string) => objectsOf(readTree(root)).map((o) => o.object);

describe('home volumes of a running course', () => {
  it('grow by expanding the claims; the StatefulSets keep the template the API server would refuse to change', () => {
    const root = makeRepo();
    expect(synth(root).errors).toEqual([]);
    const before = objects(root);
    const stsBefore = before.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'ws-student-1')!;
    expect(stsBefore.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');

    setHomeSize(root, '20Gi');
    expect(synth(root).errors).toEqual([]);
    const after = objects(root);
    const stsAfter = after.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'ws-student-1')!;
    expect(stsAfter.spec.volumeClaimTemplates).toEqual(stsBefore.spec.volumeClaimTemplates);
    const claim = after.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'home-ws-student-1-0')!;
    expect(claim.metadata.namespace).toBe('docker-katas');
    expect(claim.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '20Gi' } },
      storageClassName: 'gp3',
    });
    // A student who leaves keeps their home: ArgoCD never prunes the claim.
    expect(claim.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
    const gp3 = after.find((o) => o.kind === 'StorageClass' && o.metadata.name === 'gp3')!;
    expect(gp3.allowVolumeExpansion).toBe(true);

    // A student who joins later gets the same template, and the grown claim.
    fs.writeFileSync(path.join(root, course), fs.readFileSync(path.join(root, course), 'utf8').replace('count: 12', 'count: 13'));
    fs.appendFileSync(path.join(root, 'courses/docker-katas.passwords.yaml'), `student-13: "${FIXTURE_HASH}"\n`);
    const withNewcomer = synth(root, { write: false });
    expect(withNewcomer.errors).toEqual([]);
    const newcomer = objectsOf(new Map(withNewcomer.files.map((f) => [f.path, f.content]))).map((o) => o.object);
    const newcomerSts = newcomer.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'ws-student-13')!;
    expect(newcomerSts.spec.volumeClaimTemplates[0].spec).toEqual(stsBefore.spec.volumeClaimTemplates[0].spec);
    expect(newcomer.some((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'home-ws-student-13-0')).toBe(true);
  });

  it('never shrink: synth stops and says what to do', () => {
    const root = makeRepo();
    expect(synth(root).errors).toEqual([]);
    setHomeSize(root, '5Gi');
    const result = synth(root);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^courses\/docker-katas\.yaml:\d+:\d+  workstation\.homeSize  is 5Gi, smaller than the 10Gi the home volumes already have: volumes cannot shrink\n    hint: keep homeSize at 10Gi or more/,
    );
  });

  it('a new course starts with its own size in the template and no separate claims', () => {
    const root = makeRepo();
    setHomeSize(root, '30Gi');
    const result = synth(root, { write: false });
    expect(result.errors).toEqual([]);
    const all = objectsOf(new Map(result.files.map((f) => [f.path, f.content]))).map((o) => o.object);
    const sts = all.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'ws-student-1')!;
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('30Gi');
    expect(all.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
  });
});
