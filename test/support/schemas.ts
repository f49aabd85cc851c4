import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as clientModels from '@kubernetes/client-node/dist/gen/models/all.js';
import type { KubeObject } from './repo';
import { yamlDocuments } from './repo';
import { chartDir, CHARTS_DIR, gitSourceDir, gitSourceFiles, helmTemplate } from '../../dev/helm';
import { CRDS_DIR } from './upstream';
import { CHARTS, TRAEFIK_CRDS } from '../../lib/facts/versions';
import { istioCrdsFile } from '../../dev/istio-crds';

/**
 * Validation of generated objects against upstream schemas:
 * - core kinds: the OpenAPI-derived validators of `kubernetes-models` (types, required
 *   fields, enums), plus a walk over the OpenAPI-generated models of
 *   `@kubernetes/client-node` that rejects any field Kubernetes does not define
 *   (`kubernetes-models` lets unknown fields through);
 * - custom resources: the upstream CRDs (CRDS_DIR and cert-manager's chart), made strict the same way.
 */
export async function validateObject(object: KubeObject): Promise<string[]> {
  const Model = await coreModel(object);
  if (!Model) {
    const crd = crdValidators().get(`${object.apiVersion}/${object.kind}`)?.();
    if (crd) return crd(object) ? [] : (crd.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
    return [`no schema known for ${object.apiVersion} ${object.kind}`];
  }
  const errors: string[] = [];
  try {
    new Model(object).validate();
  } catch (error) {
    const details = (error as { errors?: { instancePath: string; message: string }[] }).errors;
    errors.push(
      ...(details ?? [{ instancePath: '', message: String(error) }]).map((e) => `${e.instancePath || '/'} ${e.message}`),
    );
  }
  errors.push(...unknownFields(object, `V1${object.kind}`, ''));
  return errors;
}

type CoreModel = new (data: unknown) => { validate(): void };
const coreModels = new Map<string, CoreModel | undefined>();

/**
 * The `kubernetes-models` class of a Kubernetes kind, or undefined for a custom resource: core
 * kinds are validated without the upstream CRDs, so tests of core objects need none.
 */
async function coreModel(object: KubeObject): Promise<CoreModel | undefined> {
  const key = `${object.apiVersion}/${object.kind}`;
  if (!coreModels.has(key)) {
    const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
    const modulePath = `kubernetes-models/${group ? `${group}/` : ''}${version}/${object.kind}`;
    coreModels.set(
      key,
      await import(modulePath).then(
        (m) => m[object.kind] as CoreModel,
        () => undefined,
      ),
    );
  }
  return coreModels.get(key);
}

type Attribute = { name: string; baseName: string; type: string };
const models = clientModels as unknown as Record<string, { attributeTypeMap?: Attribute[] }>;
const LEAF_TYPES = new Set(['string', 'number', 'boolean', 'Date', 'any', 'IntOrString', 'object']);

function unknownFields(value: unknown, type: string, at: string): string[] {
  if (value === null || value === undefined || LEAF_TYPES.has(type)) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, array[1], `${at}/${i}`)) : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return Object.entries(value as object).flatMap(([k, v]) => unknownFields(v, map[1], `${at}/${k}`));
  const attributes = models[type]?.attributeTypeMap;
  if (!attributes) return [`${at || '/'} has no known model ${type}`];
  const known = new Map(attributes.map((a) => [a.baseName, a.type]));
  return Object.entries(value as object).flatMap(([key, child]) => {
    const childType = known.get(key);
    return childType === undefined ? [`${at}/${key} is not a field of ${type}`] : unknownFields(child, childType, `${at}/${key}`);
  });
}

let validators: Map<string, () => ValidateFunction> | undefined;

/**
 * A validator per CRD kind and version, compiled when first asked for: compiling all 19 took
 * 1.4 s per test worker, a third of it for versions and kinds dojo does not make (v1beta1,
 * cert-manager's Issuer and Challenge).
 */
function crdValidators(): Map<string, () => ValidateFunction> {
  if (validators) return validators;
  // strict: false because CRDs carry x-kubernetes-* keywords ajv does not know.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  validators = new Map();
  for (const crd of upstreamCrds()) {
    for (const version of crd.spec.versions) {
      let compiled: ValidateFunction | undefined;
      validators.set(
        `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`,
        () => (compiled ??= ajv.compile(strict(withObjectFields(structuredClone(version.schema.openAPIV3Schema))))),
      );
    }
  }
  return validators;
}

let crds: KubeObject[] | undefined;

/**
 * The CRDs of the kinds dojo generates: those of ../shared/crds, cert-manager's, which
 * ship only in its chart (rendered at the pinned version with its CRDs on, as the
 * cert-manager Application installs them), and Traefik's, from its chart's crds/ as the
 * gateway-proxy-crds Application reads them, and Istio's (dev/istio-crds.ts). Read once per test
 * worker, and shared: not to be changed.
 */
export function upstreamCrds(): KubeObject[] {
  return (crds ??= readUpstreamCrds());
}

function readUpstreamCrds(): KubeObject[] {
  const root = CRDS_DIR;
  if (!fs.existsSync(root)) throw new Error(`no CRDs at ${root}: put ../shared beside the repo or set DOJO_CRDS_DIR`);
  const texts = fs.readdirSync(root).flatMap((dir) =>
    fs
      .readdirSync(path.join(root, dir))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => fs.readFileSync(path.join(root, dir, f), 'utf8')),
  );
  const certManager = chartDir(CHARTS.certManager.chart, CHARTS.certManager.version);
  if (!certManager) {
    throw new Error(
      `no chart ${CHARTS.certManager.chart}-${CHARTS.certManager.version} under ${CHARTS_DIR}: put ../shared beside the repo or run npm run fetch-charts`,
    );
  }
  texts.push(
    helmTemplate({
      chart: certManager,
      release: 'cert-manager',
      namespace: 'cert-manager',
      values: { crds: { enabled: true } },
      kubeVersion: '1.33.0',
    }),
  );
  const traefik = gitSourceDir({
    repoURL: TRAEFIK_CRDS.repoURL,
    path: TRAEFIK_CRDS.path,
    revision: TRAEFIK_CRDS.revision(CHARTS.traefik.version),
  });
  if (!fs.existsSync(traefik.dir)) {
    throw new Error(`no folder ${traefik.folder} under ${CHARTS_DIR}: put ../shared beside the repo or run npm run fetch-charts`);
  }
  texts.push(...gitSourceFiles(traefik.dir, TRAEFIK_CRDS.include).map((f) => fs.readFileSync(f, 'utf8')));
  // A mesh course's Telemetry objects: Istio's CRDs at the pinned version, from the Go module proxy.
  texts.push(fs.readFileSync(istioCrdsFile(CHARTS.istioBase.version), 'utf8'));
  return texts.flatMap((text) =>
    (yamlDocuments(text) as (KubeObject | null)[]).filter((o): o is KubeObject => o?.kind === 'CustomResourceDefinition'),
  );
}

/**
 * The API server accepts apiVersion, kind and metadata on every custom resource, whether its
 * schema names them or not (Istio's CRDs name only spec and status).
 */
function withObjectFields(schema: any): any {
  if (schema?.properties) {
    schema.properties.apiVersion ??= { type: 'string' };
    schema.properties.kind ??= { type: 'string' };
    schema.properties.metadata ??= { type: 'object' };
  }
  return schema;
}

/** Structural schemas allow unknown fields only where they say so; ajv needs that spelled out. */
function strict(schema: any): any {
  if (schema && typeof schema === 'object') {
    if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
      schema.additionalProperties = false;
    }
    for (const value of Object.values(schema)) strict(value);
  }
  return schema;
}

/** The kinds this validator knows from a CRD, e.g. `argoproj.io/v1alpha1/Application`. */
export function crdKinds(): string[] {
  return [...crdValidators().keys()];
}
