/**
 * Fields the API server refuses to change on a live object. ArgoCD applies dist/ with
 * `kubectl apply`; a changed immutable field fails that sync and leaves the Application
 * OutOfSync until someone deletes the object by hand. Synth compares what it is about to write
 * with dist/ as it was, so such a change never reaches a cluster silently.
 *
 * Core kinds: ValidateStatefulSetUpdate (pkg/apis/apps/validation, read in kubernetes' source:
 * only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and
 * minReadySeconds may change), ValidateStorageClassUpdate (pkg/apis/storage/validation:
 * parameters, provisioner, reclaimPolicy, volumeBindingMode), ValidatePersistentVolumeClaimUpdate
 * ("spec is immutable after creation except resources.requests and volumeAttributesClassName for
 * bound claims"; requests may only grow). The selectors of apps/v1 Deployments and DaemonSets,
 * PriorityClass value, RuntimeClass handler and roleRef are immutable by their API docs. Custom resources: the transition rules
 * (`oldSelf`) of their CRDs, which a test holds this table to.
 */
import { isDeepStrictEqual } from 'util';
import { parseBytes } from '../input/schema/quantity';
import type { KubeObjectLike } from '../contracts/dist-record';
import { RECREATE_SYNC_OPTIONS, SYNC_OPTIONS_ANNOTATION } from '../plan/model/labels';

export interface ImmutableField {
  /** API group ('' for the core group) and kind. */
  readonly group: string;
  readonly kind: string;
  /** Dotted path from the object's root. */
  readonly field: string;
  /** Dotted paths under `field` that may change all the same. */
  readonly except?: readonly string[];
  /** A change the API server accepts after all (a claim may grow), when there is one. */
  readonly accepts?: (before: unknown, after: unknown) => boolean;
}

const grows = (before: unknown, after: unknown) =>
  typeof before === 'string' && typeof after === 'string' && parseBytes(after) >= parseBytes(before);

export const IMMUTABLE_FIELDS: readonly ImmutableField[] = [
  {
    group: 'apps',
    kind: 'StatefulSet',
    field: 'spec',
    except: ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'],
  },
  { group: 'apps', kind: 'Deployment', field: 'spec.selector' },
  { group: 'apps', kind: 'DaemonSet', field: 'spec.selector' },
  // A bound claim's spec may change only in resources.requests (up) and its attributes class.
  { group: '', kind: 'PersistentVolumeClaim', field: 'spec.resources.requests.storage', accepts: grows },
  { group: '', kind: 'PersistentVolumeClaim', field: 'spec', except: ['resources.requests', 'volumeAttributesClassName'] },
  ...['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'].map((f) => ({
    group: 'storage.k8s.io',
    kind: 'StorageClass',
    field: f,
  })),
  { group: 'scheduling.k8s.io', kind: 'PriorityClass', field: 'value' },
  { group: 'scheduling.k8s.io', kind: 'PriorityClass', field: 'preemptionPolicy' },
  { group: 'node.k8s.io', kind: 'RuntimeClass', field: 'handler' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', field: 'roleRef' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', field: 'roleRef' },
  // CRD transition rules: karpenter.sh_nodepools.yaml (v1.8) and the GatewayClass of Gateway API v1.6.1.
  { group: 'karpenter.sh', kind: 'NodePool', field: 'spec.template.spec.nodeClassRef.group' },
  { group: 'karpenter.sh', kind: 'NodePool', field: 'spec.template.spec.nodeClassRef.kind' },
  {
    group: 'karpenter.sh',
    kind: 'NodePool',
    field: 'spec.replicas',
    accepts: (before, after) => (before === undefined) === (after === undefined),
  },
  { group: 'gateway.networking.k8s.io', kind: 'GatewayClass', field: 'spec.controllerName' },
];

/** One change to a live object that the API server would refuse. */
export interface RefusedChange {
  readonly kind: string;
  /** `namespace/name`, or the name of a cluster-wide object. */
  readonly object: string;
  /** The innermost path that differs, under an immutable field: `spec.volumeClaimTemplates[0].spec.storageClassName`. */
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** The refused changes of going from `before` to `after` (objects matched by group, kind, namespace and name). */
export function refusedChanges(before: readonly KubeObjectLike[], after: readonly KubeObjectLike[]): RefusedChange[] {
  const old = new Map(before.map((o) => [objectKey(o), o]));
  const changes: RefusedChange[] = [];
  for (const object of after) {
    const previous = old.get(objectKey(object));
    if (!previous || isRecreated(object)) continue;
    const group = groupOf(object.apiVersion);
    for (const rule of IMMUTABLE_FIELDS) {
      if (rule.kind !== object.kind || rule.group !== group) continue;
      const [was, is] = [previous, object].map((o) => without(valueAt(o, rule.field), rule.except ?? []));
      if (isDeepStrictEqual(was, is) || rule.accepts?.(was, is)) continue;
      const { namespace, name } = object.metadata;
      for (const leaf of leafDifferences(was, is, rule.field)) {
        changes.push({ kind: object.kind, object: namespace ? `${namespace}/${name}` : name, ...leaf });
      }
    }
  }
  return changes;
}

/** ArgoCD deletes and creates the object rather than patching it: no field of it is refused. */
function isRecreated(object: KubeObjectLike): boolean {
  const options = (object.metadata.annotations?.[SYNC_OPTIONS_ANNOTATION] ?? '').split(',').map((o) => o.trim());
  return RECREATE_SYNC_OPTIONS.split(',').every((o) => options.includes(o));
}

/** `value` with the paths of `except` taken out (a copy), so that a change there is not compared. */
function without(value: unknown, except: readonly string[]): unknown {
  if (except.length === 0 || !isMap(value)) return value;
  const copy = structuredClone(value);
  for (const dotted of except) {
    const keys = dotted.split('.');
    const parent = valueAt(copy, keys.slice(0, -1).join('.') || undefined);
    if (isMap(parent)) delete parent[keys[keys.length - 1]];
  }
  return copy;
}

function objectKey(o: KubeObjectLike): string {
  return `${groupOf(o.apiVersion)}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function valueAt(object: unknown, field: string | undefined): unknown {
  if (field === undefined) return object;
  return field
    .split('.')
    .reduce<unknown>(
      (value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
      object,
    );
}

/** The innermost paths at which `a` and `b` differ, with both values; maps by key, lists by index. */
function leafDifferences(a: unknown, b: unknown, at: string): { field: string; before: unknown; after: unknown }[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((v, i) => leafDifferences(v, b[i], `${at}[${i}]`));
  }
  if (isMap(a) && isMap(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => leafDifferences(a[k], b[k], `${at}.${k}`));
  }
  return [{ field: at, before: a, after: b }];
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * What synth prints for a refused change in `file`: the object, the field and both values, and
 * what to do. A home claim's size is the trainer's `homeSize`; anything else comes from dojo.
 */
export function refusedChangeProblem(file: string, change: RefusedChange): string {
  const show = (value: unknown) => (value === undefined ? '(not set)' : JSON.stringify(value));
  const line =
    `${file}  ${change.kind} ${change.object}  ${change.field} would change from ${show(change.before)} to ${show(change.after)}, ` +
    'which the API server refuses on a live object';
  const course = /^dist\/[^/]+\/courses\/([^/]+)\//.exec(file)?.[1];
  const hint =
    change.kind === 'PersistentVolumeClaim' && change.field === 'spec.resources.requests.storage' && course
      ? `volumes cannot shrink: keep workstation.homeSize in courses/${course}.yaml at ${String(change.before)} or more`
      : `keep ${change.field} as dist/ has it, or give the ${change.kind} a new name, so that ArgoCD creates the new one and prunes the old`;
  return `${line}\n    hint: ${hint}`;
}
