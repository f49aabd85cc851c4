import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { makeRepo, objectsOf, readTree } from './support/repo';
import { FIXTURE_HASH } from '../dev/fixture-passwords';

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

  it('never shrink below the size they grew to, even when homeSize went back to the claim template first', () => {
    const root = makeRepo();
    expect(synth(root).errors).toEqual([]);
    setHomeSize(root, '20Gi');
    expect(synth(root).errors).toEqual([]);
    // Back to the template size: the claims keep 20Gi on the cluster (ArgoCD never prunes them).
    fs.writeFileSync(
      path.join(root, course),
      fs.readFileSync(path.join(root, course), 'utf8').replace('homeSize: 20Gi', 'homeSize: 15Gi'),
    );
    const result = synth(root);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('workstation.homeSize  is 15Gi, smaller than the 20Gi the home volumes already have');
  });

  it('a changed storage class of the homes stops synth, naming the object and what to do, and leaves dist/ as it was', () => {
    const root = makeRepo();
    expect(synth(root).errors).toEqual([]);
    // dist/ as an earlier dojo made it: homes on gp2, and a gp3 class of other parameters.
    const student = path.join(root, 'dist/example/courses/docker-katas/students/student-1.yaml');
    fs.writeFileSync(student, fs.readFileSync(student, 'utf8').replaceAll('storageClassName: gp3', 'storageClassName: gp2'));
    const storage = path.join(root, 'dist/example/platform/storage-and-priorities.yaml');
    const storageBefore = fs.readFileSync(storage, 'utf8');
    expect(storageBefore).toMatch(/type: gp3/);
    fs.writeFileSync(storage, storageBefore.replace('type: gp3', 'type: io2'));
    const before = readTree(root);

    const result = synth(root);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      'dist/example/courses/docker-katas/students/student-1.yaml  StatefulSet docker-katas/ws-student-1  ' +
        'spec.volumeClaimTemplates[0].spec.storageClassName would change from "gp2" to "gp3", which the API server refuses on a live object\n' +
        '    hint: keep spec.volumeClaimTemplates[0].spec.storageClassName as dist/ has it, or give the StatefulSet a new name, so that ArgoCD creates the new one and prunes the old',
      'dist/example/platform/storage-and-priorities.yaml  StorageClass gp3  ' +
        'parameters.type would change from "io2" to "gp3", which the API server refuses on a live object\n' +
        '    hint: keep parameters.type as dist/ has it, or give the StorageClass a new name, so that ArgoCD creates the new one and prunes the old',
    ]);
    expect(readTree(root)).toEqual(before);
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
