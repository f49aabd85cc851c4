import { ApiObject } from 'cdk8s';
import { k8s } from '../../constructs/k8s';
import { GatewayClass } from '../../imports/gateway-class-gateway.networking.k8s.io';
import { Gateway } from '../../imports/gateway-gateway.networking.k8s.io';
import { HttpRoute } from '../../imports/http-route-gateway.networking.k8s.io';
import { ScaledObject } from '../../imports/keda-keda.sh';
import { NodePool } from '../../imports/karpenter-karpenter.sh';
import type { DocumentsFile } from './atomic-write';
import type { OutputChart } from '../../constructs/output-chart';

/**
 * Imported CRD kinds whose generated props keep every field name of the CRD (no `repoURL` ->
 * `repoUrl` renaming), so that their props are their manifest. A test checks each against
 * its CRD's whole schema; kinds not listed here go through their generated `manifest()`.
 */
export const IDENTITY_MAPPED_IMPORTS = [HttpRoute, ScaledObject, Gateway, GatewayClass, NodePool] as const;

/**
 * Classes whose props use the API's field names: Kubernetes' own kinds (generated from its
 * OpenAPI with its names) and the imported kinds above.
 */
const PROPS_ARE_MANIFEST: ReadonlySet<unknown> = new Set([
  ...Object.values(k8s).filter((v) => typeof v === 'function'),
  ...IDENTITY_MAPPED_IMPORTS,
]);

/**
 * Renders each chart's objects as the charts come, and removes each chart from its app once
 * rendered, so that memory holds the chart being rendered, not every chart before it.
 * Objects are rendered one by one rather than through `App.synth`, which re-resolves the
 * whole app for every chart (quadratic in charts).
 */
export function* renderCharts(charts: Iterable<OutputChart>): Generator<DocumentsFile> {
  for (const chart of charts) {
    const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const file = { path: chart.outputPath, documents: objects.map(renderObject) };
    chart.node.scope?.node.tryRemoveChild(chart.node.id);
    yield file;
  }
}

/**
 * The manifest of one object, equal to `ApiObject.toJson()` (a test holds this for every
 * object of the examples) at a fraction of its cost: `toJson()` walks every value through
 * cdk8s's resolvers and then the generated field mapping, and was most of synth's time.
 * Kinds whose props use the API's field names need no field mapping: their props are
 * rendered directly, union values (Quantity, IntOrString) unwrapped, undefined dropped, keys
 * sorted as cdk8s sorts them. Other imported kinds, whose generated mapping renames fields
 * (`repoUrl` -> `repoURL`), go through their public `manifest()`.
 */
export function renderObject(object: ApiObject): Record<string, unknown> {
  // dojo never uses Lazy values, JSON patches or chart-wide labels, which only toJson() would apply.
  const props = (object as unknown as { props: Record<string, unknown> }).props;
  const type = object.constructor as unknown as { manifest?: (p: unknown) => Record<string, unknown> };
  const manifest =
    PROPS_ARE_MANIFEST.has(type) || !type.manifest
      ? { apiVersion: object.apiVersion, kind: object.kind, ...props }
      : type.manifest(props);
  const { apiVersion, kind, metadata, ...rest } = plain(manifest) as Record<string, unknown>;
  // apiVersion, kind and metadata first, as cdk8s orders them; then the rest, sorted.
  return { apiVersion, kind, metadata, ...rest };
}

/** Plain JSON: union values unwrapped, undefined and empty metadata dropped, object keys sorted. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  if (value.constructor !== Object) return (value as { value: unknown }).value;
  const result: Record<string, unknown> = {};
  for (const key of sortedKeys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) result[key] = plain(item);
  }
  return result;
}

/**
 * The object's keys in the order of `Object.keys(value).sort()` (UTF-16 code units), by
 * insertion: objects here have few keys, often already in order, and with the generic sort
 * `plain` was a sixth of an in-process synth's profile (by insertion the synth takes 7% less).
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
  return keys;
}
