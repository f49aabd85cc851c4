import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { IMMUTABLE_FIELDS, refusedChanges } from '../lib/write/immutable-fields';
import type { KubeObjectLike } from '../lib/contracts/dist-record';
import { planMarkdown } from '../lib/commands/plan-diff';
import { CRDS_DIR, describeWithUpstream } from './support/upstream';
import { evaluateRule } from './support/crd-rules';

interface Schema {
  properties?: Record<string, Schema>;
  'x-kubernetes-validations'?: { rule: string }[];
}
interface Crd {
  kind: string;
  spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
}

/** Every CRD transition rule (one that reads `oldSelf`), with the schema path it sits at. */
function transitionRules(): { group: string; kind: string; version: string; at: string[]; rule: string }[] {
  const files = fs.readdirSync(CRDS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
  return files.flatMap((file) =>
    (loadAll(fs.readFileSync(path.join(CRDS_DIR, file), 'utf8')) as Crd[])
      .filter((doc) => doc?.kind === 'CustomResourceDefinition')
      .flatMap((crd) =>
        crd.spec.versions.flatMap((v) => {
          const found: { group: string; kind: string; version: string; at: string[]; rule: string }[] = [];
          const walk = (schema: Schema, at: string[]) => {
            for (const { rule } of schema['x-kubernetes-validations'] ?? []) {
              if (rule.includes('oldSelf'))
                found.push({ group: crd.spec.group, kind: crd.spec.names.kind, version: v.name, at, rule });
            }
            for (const [name, child] of Object.entries(schema.properties ?? {})) walk(child, [...at, name]);
          };
          walk(v.schema.openAPIV3Schema, []);
          return found;
        }),
      ),
  );
}

/** The field a transition rule keeps: `self == oldSelf`, `self.x == oldSelf.x`, `has(self.x) == has(oldSelf.x)`. */
function ruleField(rule: string): string[] | undefined {
  if (rule === 'self == oldSelf') return [];
  const field = /^(?:self\.(\w+) == oldSelf\.\1|has\(self\.(\w+)\) == has\(oldSelf\.\2\))$/.exec(rule);
  return field ? [field[1] ?? field[2]] : undefined;
}

const setAt = (at: string[], value: unknown): Record<string, unknown> =>
  at.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;

describeWithUpstream(['crds'], "the fields synth keeps (lib/write/immutable-fields.ts) and the CRDs' transition rules", () => {
  const rules = transitionRules();

  it('finds the transition rules of the pinned CRDs', () => {
    expect(rules.map((r) => `${r.kind} ${r.at.join('.')}: ${r.rule}`)).toContain(
      'NodePool spec.template.spec.nodeClassRef: self.kind == oldSelf.kind',
    );
  });

  it.each(rules.map((r) => [`${r.kind} ${r.at.join('.')}: ${r.rule}`, r] as const))(
    'covers %s, and refuses exactly what CEL refuses',
    (_, r) => {
      const relative = ruleField(r.rule);
      expect(relative, `a rule of a form this test does not know: add it to ruleField and to IMMUTABLE_FIELDS`).toBeDefined();
      const field = [...r.at, ...relative!];
      expect(IMMUTABLE_FIELDS).toContainEqual(expect.objectContaining({ group: r.group, kind: r.kind, field: field.join('.') }));

      // The CRD's own rule, evaluated with a CEL library, on a value and a changed one.
      const old = relative!.length ? setAt(relative!, 'before') : 'before';
      const changed = relative!.length ? (r.rule.startsWith('has(') ? {} : setAt(relative!, 'after')) : 'after';
      const celAllows = (self: unknown, oldSelf: unknown) => evaluateRule(r.rule, { self, oldSelf });
      expect(celAllows(old, old)).toBe(true);
      expect(celAllows(changed, old)).toBe(false);

      const object = (value: unknown): KubeObjectLike => ({
        apiVersion: `${r.group}/${r.version}`,
        kind: r.kind,
        metadata: { name: 'x' },
        ...setAt(r.at, value),
      });
      expect(refusedChanges([object(old)], [object(old)])).toEqual([]);
      expect(refusedChanges([object(old)], [object(changed)])).toHaveLength(1);
    },
  );
});

describe('refused changes', () => {
  const claim = (storage: string, storageClassName = 'gp3'): KubeObjectLike => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'home-ws-ada-0', namespace: 'k8s' },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage } } },
  });

  it('let a claim grow but not shrink or change class, naming the innermost field', () => {
    expect(refusedChanges([claim('10Gi')], [claim('20Gi')])).toEqual([]);
    expect(refusedChanges([claim('20Gi')], [claim('10Gi', 'gp2')])).toEqual([
      {
        kind: 'PersistentVolumeClaim',
        object: 'k8s/home-ws-ada-0',
        field: 'spec.resources.requests.storage',
        before: '20Gi',
        after: '10Gi',
      },
      { kind: 'PersistentVolumeClaim', object: 'k8s/home-ws-ada-0', field: 'spec.storageClassName', before: 'gp3', after: 'gp2' },
    ]);
  });

  it("refuse a StatefulSet spec change outside replicas, ordinals, template, updateStrategy, the claims' retention policy and minReadySeconds", () => {
    const sts = (spec: Record<string, unknown>): KubeObjectLike => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'ws-ada', namespace: 'k8s' },
      spec: { serviceName: 'ws-ada', selector: { matchLabels: { a: 'b' } }, template: { spec: {} }, ...spec },
    });
    expect(
      refusedChanges(
        [sts({ replicas: 1 })],
        [sts({ replicas: 0, template: { spec: { x: 1 } }, updateStrategy: { type: 'OnDelete' }, minReadySeconds: 5 })],
      ),
    ).toEqual([]);
    expect(refusedChanges([sts({})], [sts({ revisionHistoryLimit: 3 })])).toEqual([
      { kind: 'StatefulSet', object: 'k8s/ws-ada', field: 'spec.revisionHistoryLimit', before: undefined, after: 3 },
    ]);
  });

  it("let a claim's attributes class change, and refuse a change of its limits", () => {
    const withSpec = (extra: Record<string, unknown>) => ({
      ...claim('10Gi'),
      spec: { ...(claim('10Gi').spec as object), ...extra },
    });
    expect(refusedChanges([claim('10Gi')], [withSpec({ volumeAttributesClassName: 'fast' })])).toEqual([]);
    expect(
      refusedChanges([claim('10Gi')], [withSpec({ resources: { requests: { storage: '10Gi' }, limits: { storage: '20Gi' } } })]),
    ).toEqual([
      {
        kind: 'PersistentVolumeClaim',
        object: 'k8s/home-ws-ada-0',
        field: 'spec.resources.limits',
        before: undefined,
        after: { storage: '20Gi' },
      },
    ]);
  });

  it('compare only the same object: a new name is a new object', () => {
    const renamed = { ...claim('5Gi'), metadata: { name: 'home-ws-bob-0', namespace: 'k8s' } };
    expect(refusedChanges([claim('20Gi')], [renamed])).toEqual([]);
  });

  it('leave alone an object ArgoCD deletes and creates (Force=true,Replace=true), and only that', () => {
    const priorityClass = (preemptionPolicy: string | undefined, syncOptions?: string): KubeObjectLike => ({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: {
        name: 'high-priority',
        ...(syncOptions ? { annotations: { 'argocd.argoproj.io/sync-options': syncOptions } } : {}),
      },
      value: 10000,
      ...(preemptionPolicy ? { preemptionPolicy } : {}),
    });
    expect(refusedChanges([priorityClass(undefined)], [priorityClass('Never', 'Force=true,Replace=true')])).toEqual([]);
    expect(refusedChanges([priorityClass(undefined)], [priorityClass('Never', 'Replace=true')])).toHaveLength(1);
    expect(refusedChanges([priorityClass(undefined)], [priorityClass('Never')])).toHaveLength(1);
  });

  it('show up as a warning in the PR plan', () => {
    const file = 'dist/example/courses/k8s/students/ada.yaml';
    const yaml = (size: string) =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: home-ws-ada-0\n  namespace: k8s\nspec:\n  resources:\n    requests:\n      storage: ${size}\n`;
    const plan = planMarkdown(new Map([[file, yaml('20Gi')]]), new Map([[file, yaml('10Gi')]]), { before: 'main', after: 'pr' });
    expect(plan).not.toContain('grow');
    expect(plan).toContain(
      "`PersistentVolumeClaim k8s/home-ws-ada-0` (example): `spec.resources.requests.storage` changes, which the API server refuses on a live object; ArgoCD's sync of it will fail.",
    );
  });
});
