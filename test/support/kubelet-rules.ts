import * as fs from 'fs';
import * as path from 'path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { parse } from 'yaml';
import { chartDir, CHARTS_DIR, helmTemplate } from '../../dev/helm';
import { objectsOf, readTree, yamlDocuments, type KubeObject } from './repo';

// What the kubelet (and the admission plugins in front of it) refuse at run time although the
// API server's validation accepts the pod template. Every rule names where Kubernetes v1.34
// enforces it (read in k8s.io/kubernetes v1.34.4); no kubelet runs in the tests, so these are
// the checks that would otherwise only show up as a pod stuck in ContainerCreating, a probe
// that never succeeds or a ReplicaSet that cannot create its pods.

/** An object where it is applied: `where` names the dist/ file (and the chart, for an add-on). */
export interface PlacedObject {
  readonly where: string;
  readonly object: KubeObject;
  /** The namespace the object lands in: its own, else the owning Application's destination. */
  readonly namespace: string | undefined;
}

export type ReferencedKind =
  'ConfigMap' | 'Secret' | 'ServiceAccount' | 'PersistentVolumeClaim' | 'PriorityClass' | 'RuntimeClass' | 'StorageClass';

/** A reference the checker resolves: what a pod template names, in its namespace. */
export interface Reference {
  readonly kind: ReferencedKind;
  /** Undefined for the cluster-scoped kinds. */
  readonly namespace: string | undefined;
  readonly name: string;
}

/**
 * An object neither dist/ nor a rendered add-on holds, created by something known (a
 * controller, bootstrap, a platform engineer). Its keys are unknown, so key checks skip it.
 */
export interface ExternalObject {
  readonly kind: ReferencedKind;
  /** Which references it answers; `objects` is everything dist/ and the add-ons apply to the cluster. */
  readonly matches: (reference: Reference, objects: readonly PlacedObject[]) => boolean;
  /** One line: who creates it, and why it is not in dist/. */
  readonly reason: string;
}

const CLUSTER_SCOPED_REFERENCES = new Set<ReferencedKind>(['PriorityClass', 'RuntimeClass', 'StorageClass']);
/** plugin/pkg/admission/priority/admission.go: the two classes the API server creates itself. */
const BUILT_IN_PRIORITY_CLASSES = new Set(['system-cluster-critical', 'system-node-critical']);
const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;

interface PodTemplate {
  readonly spec: any;
  /** A StatefulSet's claim templates: the controller adds a pod volume of each name. */
  readonly claimTemplates: any[];
}

/** The pod template of a workload kind (apps/v1, batch/v1, v1), or undefined. */
export function podTemplateOf(object: KubeObject): PodTemplate | undefined {
  const spec = (() => {
    switch (object.kind) {
      case 'Pod':
        return object.spec;
      case 'PodTemplate':
        return object.template?.spec;
      case 'Deployment':
      case 'ReplicaSet':
      case 'ReplicationController':
      case 'StatefulSet':
      case 'DaemonSet':
      case 'Job':
        return object.spec?.template?.spec;
      case 'CronJob':
        return object.spec?.jobTemplate?.spec?.template?.spec;
      default:
        return undefined;
    }
  })();
  if (!spec) return undefined;
  return { spec, claimTemplates: object.kind === 'StatefulSet' ? (object.spec?.volumeClaimTemplates ?? []) : [] };
}

interface Found {
  readonly object?: KubeObject;
  /** The reason of the ExternalObject entry that answered, when no object did. */
  readonly external?: string;
}

/** Everything one cluster applies, indexed by kind, namespace and name. */
class ClusterIndex {
  private readonly byKey = new Map<string, KubeObject>();

  constructor(
    readonly objects: readonly PlacedObject[],
    private readonly external: readonly ExternalObject[],
  ) {
    for (const { object, namespace } of objects) {
      if (!object?.metadata?.name) continue;
      this.byKey.set(ClusterIndex.key(object.kind, namespace, object.metadata.name), object);
    }
  }

  private static key(kind: string, namespace: string | undefined, name: string): string {
    return `${kind}/${CLUSTER_SCOPED_REFERENCES.has(kind as ReferencedKind) ? '' : (namespace ?? 'default')}/${name}`;
  }

  find(reference: Reference): Found | undefined {
    const object = this.byKey.get(ClusterIndex.key(reference.kind, reference.namespace, reference.name));
    if (object) return { object };
    const entry = this.external.find((e) => e.kind === reference.kind && e.matches(reference, this.objects));
    return entry ? { external: entry.reason } : undefined;
  }

  hasDefaultStorageClass(): boolean {
    return this.objects.some(
      ({ object }) =>
        object.kind === 'StorageClass' && object.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
    );
  }
}

/** The keys a found ConfigMap or Secret holds; undefined when it is external (unknown keys). */
function keysOf(found: Found, field: 'data' | 'all'): Set<string> | undefined {
  const object = found.object;
  if (!object) return undefined;
  if (object.kind === 'ConfigMap') {
    return new Set([...Object.keys(object.data ?? {}), ...(field === 'all' ? Object.keys(object.binaryData ?? {}) : [])]);
  }
  return new Set([...Object.keys(object.data ?? {}), ...Object.keys(object.stringData ?? {})]);
}

const firstSegment = (p: string) => p.replace(/^\.\//, '').split('/')[0];

/** The `$(VAR)` names a subPathExpr expands (`$$` escapes a `$`): third_party/forked/golang/expansion. */
function expansionNames(expression: string): string[] {
  return [...expression.replace(/\$\$/g, '').matchAll(/\$\(([^)]*)\)/g)].map((m) => m[1]);
}

/**
 * Every problem the kubelet or an admission plugin would meet in the pod templates of
 * `objects`, resolving names against `objects` and `external`; one line each:
 * `<where>: <Kind>/<namespace>/<name>[ container <c>]: <problem>`.
 */
export function kubeletProblems(
  objects: readonly PlacedObject[],
  external: readonly ExternalObject[] = [],
  only: (placed: PlacedObject) => boolean = () => true,
): string[] {
  const index = new ClusterIndex(objects, external);
  const problems: string[] = [];
  for (const placed of objects.filter(only)) {
    const template = placed.object && podTemplateOf(placed.object);
    if (!template) continue;
    const namespace = placed.namespace ?? 'default';
    const prefix = `${placed.where}: ${placed.object.kind}/${namespace}/${placed.object.metadata.name}`;
    for (const problem of podProblems(template, namespace, index)) {
      problems.push(
        problem.container === undefined
          ? `${prefix}: ${problem.text}`
          : `${prefix} container ${problem.container}: ${problem.text}`,
      );
    }
  }
  return problems;
}

interface Problem {
  readonly container?: string;
  readonly text: string;
}

function podProblems({ spec, claimTemplates }: PodTemplate, namespace: string, index: ClusterIndex): Problem[] {
  const problems: Problem[] = [];
  const pod = (text: string) => problems.push({ text });
  const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const containerNames = new Set(containers.map((c) => c.name));
  const volumes = new Map<string, any>((spec.volumes ?? []).map((v: any) => [v.name, v]));
  const claims = new Map<string, any>(claimTemplates.map((t: any) => [t.metadata?.name, t]));
  const ref = (kind: ReferencedKind, name: string) =>
    index.find({ kind, namespace: CLUSTER_SCOPED_REFERENCES.has(kind) ? undefined : namespace, name });

  // Rule 5. plugin/pkg/admission/priority/admission.go: "no PriorityClass with name %v was found"
  // (Forbidden: the ReplicaSet/StatefulSet controller never gets its pods created).
  const priorityClass: string | undefined = spec.priorityClassName;
  if (priorityClass && !BUILT_IN_PRIORITY_CLASSES.has(priorityClass) && !ref('PriorityClass', priorityClass)) {
    pod(`priorityClassName: no PriorityClass with name ${priorityClass} was found`);
  }
  // Rule 5, and 7 for the selector. plugin/pkg/admission/runtimeclass/admission.go: the class must exist, and its
  // scheduling.nodeSelector may not contradict the pod's nodeSelector.
  const runtimeClassName: string | undefined = spec.runtimeClassName;
  if (runtimeClassName) {
    const runtimeClass = ref('RuntimeClass', runtimeClassName);
    if (!runtimeClass) pod(`runtimeClassName: pod rejected: RuntimeClass "${runtimeClassName}" not found`);
    const classSelector: Record<string, string> = runtimeClass?.object?.scheduling?.nodeSelector ?? {};
    for (const [key, value] of Object.entries(classSelector)) {
      const podValue = spec.nodeSelector?.[key];
      if (podValue !== undefined && podValue !== value) {
        pod(
          `runtimeClassName: conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${podValue}`,
        );
      }
    }
  }

  // Rule 4. plugin/pkg/admission/serviceaccount/admission.go: "error looking up service account".
  // Every namespace has `default` (the service account controller makes it).
  const serviceAccount: string = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  if (serviceAccount !== 'default' && !ref('ServiceAccount', serviceAccount)) {
    pod(`serviceAccountName: error looking up service account ${namespace}/${serviceAccount}: not found`);
  }

  // Rule 7. pkg/kubelet/kubelet_pods.go getPullSecretsForPod: a missing pull secret is only an event
  // ("Unable to retrieve some image pull secrets"), then the pull of a private image fails.
  for (const { name } of spec.imagePullSecrets ?? []) {
    if (name && !ref('Secret', name)) pod(`imagePullSecrets: Secret ${namespace}/${name} not found`);
  }

  // Rule 6. A claim whose StorageClass does not exist stays Pending (the PV controller,
  // pkg/controller/volume/persistentvolume, finds no provisioner), and so does the pod.
  const storageClassProblem = (what: string, claimSpec: any) => {
    const storageClass: string | undefined = claimSpec?.storageClassName;
    if (storageClass === '') return; // binds a pre-provisioned volume of no class
    if (storageClass === undefined) {
      if (!index.hasDefaultStorageClass()) pod(`${what}: no storageClassName and no default StorageClass`);
    } else if (!ref('StorageClass', storageClass)) {
      pod(`${what}: StorageClass "${storageClass}" not found`);
    }
  };
  for (const [name, claim] of claims) storageClassProblem(`volumeClaimTemplate "${name}"`, claim.spec);

  /** The files a volume shows at its root, or undefined when unknown (an external object, a directory volume). */
  const projectedFiles = new Map<string, Set<string> | undefined>();
  /** The volume mode of a volume's claim, where known. */
  const volumeModes = new Map<string, string>();
  for (const [name, claim] of claims) volumeModes.set(name, claim.spec?.volumeMode ?? 'Filesystem');

  // Rule 3. pkg/volume/configmap/configmap.go, pkg/volume/secret/secret.go and
  // pkg/volume/projected/projected.go (SetUpAt, MakePayload): the object must exist unless the
  // source is optional, and each items[].key must be in it ("configmap references non-existent
  // config key", "references non-existent secret key") unless optional.
  const objectSource = (
    what: string,
    kind: 'ConfigMap' | 'Secret',
    name: string,
    optional: boolean,
    items: any[] | undefined,
  ) => {
    const found = ref(kind, name);
    if (!found) {
      if (!optional) pod(`${what}: ${kind} ${namespace}/${name} not found`);
      return new Set<string>();
    }
    const keys = keysOf(found, 'all');
    if (keys) {
      for (const item of items ?? []) {
        if (keys.has(item.key) || optional) continue;
        pod(
          kind === 'ConfigMap'
            ? `${what}: configmap references non-existent config key: ${item.key}`
            : `${what}: references non-existent secret key: ${item.key}`,
        );
      }
    }
    if (items?.length) return new Set<string>(items.map((i: any) => firstSegment(i.path)));
    return keys;
  };
  // Rule 7. pkg/api/v1/resource/helpers.go findContainerInPod, used by the kubelet for
  // resourceFieldRef (kubelet_pods.go containerResourceRuntimeValue, pkg/volume/downwardapi):
  // the API server checks the resource name, not that containerName is a container of the pod.
  const resourceContainerProblem = (what: string, fieldRef: any) => {
    const name: string | undefined = fieldRef?.containerName;
    if (name && !containerNames.has(name)) pod(`${what}: resourceFieldRef container ${name} not found`);
  };
  for (const [name, volume] of volumes) {
    const what = `volume "${name}"`;
    if (volume.configMap) {
      const cm = volume.configMap;
      projectedFiles.set(name, objectSource(what, 'ConfigMap', cm.name, cm.optional === true, cm.items));
    } else if (volume.secret) {
      const s = volume.secret;
      projectedFiles.set(name, objectSource(what, 'Secret', s.secretName, s.optional === true, s.items));
    } else if (volume.downwardAPI) {
      for (const item of volume.downwardAPI.items ?? []) resourceContainerProblem(what, item.resourceFieldRef);
      projectedFiles.set(name, new Set((volume.downwardAPI.items ?? []).map((i: any) => firstSegment(i.path))));
    } else if (volume.projected) {
      let files: Set<string> | undefined = new Set<string>();
      for (const source of volume.projected.sources ?? []) {
        let sourceFiles: Set<string> | undefined;
        if (source.configMap) {
          const cm = source.configMap;
          sourceFiles = objectSource(`${what} projected`, 'ConfigMap', cm.name, cm.optional === true, cm.items);
        } else if (source.secret) {
          const s = source.secret;
          sourceFiles = objectSource(`${what} projected`, 'Secret', s.name, s.optional === true, s.items);
        } else if (source.downwardAPI) {
          for (const item of source.downwardAPI.items ?? []) resourceContainerProblem(`${what} projected`, item.resourceFieldRef);
          sourceFiles = new Set((source.downwardAPI.items ?? []).map((i: any) => firstSegment(i.path)));
        } else if (source.serviceAccountToken) {
          sourceFiles = new Set([firstSegment(source.serviceAccountToken.path)]);
        } else if (source.clusterTrustBundle) {
          sourceFiles = new Set([firstSegment(source.clusterTrustBundle.path)]);
        }
        files = files && sourceFiles ? new Set([...files, ...sourceFiles]) : undefined;
      }
      projectedFiles.set(name, files);
    } else if (volume.persistentVolumeClaim) {
      const claimName: string = volume.persistentVolumeClaim.claimName;
      const found = ref('PersistentVolumeClaim', claimName);
      if (!found) pod(`${what}: PersistentVolumeClaim ${namespace}/${claimName} not found`);
      else if (found.object) {
        storageClassProblem(`${what} (PersistentVolumeClaim ${claimName})`, found.object.spec);
        volumeModes.set(name, found.object.spec?.volumeMode ?? 'Filesystem');
      }
    } else if (volume.ephemeral) {
      const claimSpec = volume.ephemeral.volumeClaimTemplate?.spec;
      storageClassProblem(`${what} (ephemeral)`, claimSpec);
      volumeModes.set(name, claimSpec?.volumeMode ?? 'Filesystem');
    }
  }

  for (const container of containers) {
    const inContainer = (text: string) => problems.push({ container: container.name, text });
    const ports = new Set<string>((container.ports ?? []).map((p: any) => p.name).filter(Boolean));
    const declaredBy = (port: string) =>
      containers.filter((c) => c !== container && (c.ports ?? []).some((p: any) => p.name === port)).map((c) => c.name);
    const siblingNote = (port: string) => {
      const siblings = declaredBy(port);
      return siblings.length ? ` (declared by ${siblings.join(', ')}: a named port resolves in its own container only)` : '';
    };

    // Rule 1. pkg/probe/util.go ResolveContainerPort -> findPortByName (httpGet through
    // pkg/probe/http/request.go, tcpSocket through pkg/kubelet/prober/prober.go): a named port
    // is looked up in the probe's own container's ports, "port %q not found" otherwise.
    for (const probe of PROBES) {
      for (const action of ['httpGet', 'tcpSocket'] as const) {
        const port = container[probe]?.[action]?.port;
        if (typeof port === 'string' && !ports.has(port)) {
          inContainer(`${probe}.${action}.port: port "${port}" not found${siblingNote(port)}`);
        }
      }
    }
    // Rule 1, and 7 for tcpSocket. pkg/kubelet/lifecycle/handlers.go: resolvePort reads an all-digit string as a number and
    // a name from the container's own ports ("couldn't find port"); Run has no tcpSocket case,
    // so a tcpSocket hook (which validation still accepts) fails as "invalid handler".
    for (const hook of HOOKS) {
      const handler = container.lifecycle?.[hook];
      const port = handler?.httpGet?.port;
      if (typeof port === 'string' && port !== '' && !/^\d+$/.test(port) && !ports.has(port)) {
        inContainer(`lifecycle.${hook}.httpGet.port: couldn't find port "${port}"${siblingNote(port)}`);
      }
      if (handler?.tcpSocket) inContainer(`lifecycle.${hook}.tcpSocket: the kubelet runs no tcpSocket hook (invalid handler)`);
    }

    // Rule 3 (env). pkg/kubelet/kubelet_pods.go makeEnvironmentVariables: envFrom and
    // valueFrom objects must exist unless optional; a configMapKeyRef key must be in the
    // ConfigMap's data (binaryData does not count), a secretKeyRef key in the Secret.
    let envFromKnown = true;
    const envFromKeys = new Set<string>();
    for (const source of container.envFrom ?? []) {
      const reference = source.configMapRef ?? source.secretRef;
      if (!reference) continue;
      const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
      const found = ref(kind, reference.name);
      if (!found) {
        if (reference.optional !== true) inContainer(`envFrom: ${kind} ${namespace}/${reference.name} not found`);
        continue;
      }
      const keys = keysOf(found, 'data');
      if (!keys) envFromKnown = false;
      for (const key of keys ?? []) envFromKeys.add(`${source.prefix ?? ''}${key}`);
    }
    const envNames = new Set<string>(envFromKeys);
    for (const env of container.env ?? []) {
      const from = env.valueFrom;
      if (env.value || from) envNames.add(env.name);
      const keyRef = from?.configMapKeyRef ?? from?.secretKeyRef;
      if (keyRef) {
        const kind = from.configMapKeyRef ? 'ConfigMap' : 'Secret';
        const found = ref(kind, keyRef.name);
        if (!found) {
          if (keyRef.optional !== true) inContainer(`env ${env.name}: ${kind} ${namespace}/${keyRef.name} not found`);
          continue;
        }
        const keys = keysOf(found, 'data');
        if (keys && !keys.has(keyRef.key) && keyRef.optional !== true) {
          inContainer(`env ${env.name}: couldn't find key ${keyRef.key} in ${kind} ${namespace}/${keyRef.name}`);
        }
      }
      resourceContainerProblem(`env ${env.name}`, from?.resourceFieldRef);
    }

    // Rule 2. pkg/kubelet/kubelet_pods.go makeMounts: "cannot find volume %q to mount into
    // container %q" (a StatefulSet's claim templates count as volumes). Rule 7: a volume whose claim is
    // volumeMode Block has no mounter, and makeBlockVolumes needs a Block one for volumeDevices.
    for (const mount of container.volumeMounts ?? []) {
      const what = `volumeMount "${mount.name}"`;
      if (!volumes.has(mount.name) && !claims.has(mount.name)) {
        inContainer(`${what}: cannot find volume "${mount.name}" to mount`);
        continue;
      }
      if (volumeModes.get(mount.name) === 'Block') inContainer(`${what}: the claim is volumeMode Block; use volumeDevices`);
      // Rule 7. makeMounts expands subPathExpr with the container's environment
      // (pkg/kubelet/container/helpers.go ExpandContainerVolumeMounts): an undefined or empty
      // variable is "missing value for %s"; validation only checks the unexpanded text.
      if (mount.subPathExpr) {
        const missing = expansionNames(mount.subPathExpr).filter((name) => !envNames.has(name));
        if (missing.length && envFromKnown)
          inContainer(`${what} subPathExpr: missing value for ${[...new Set(missing)].sort().join(', ')}`);
      }
      // Subpath sanity: makeMounts creates a subPath that does not exist as a directory
      // (SafeMakeDir), so a subPath into a configMap/secret/projected/downwardAPI volume that
      // projects no such file mounts an empty directory where a file was meant.
      if (mount.subPath) {
        const files = projectedFiles.get(mount.name);
        const first = firstSegment(mount.subPath);
        if (files && !files.has(first)) {
          const listed = files.size ? [...files].sort().join(', ') : 'nothing';
          inContainer(
            `${what} subPath "${mount.subPath}": the volume holds no ${first} (it holds ${listed}); the kubelet would mount an empty directory`,
          );
        }
      }
    }
    for (const device of container.volumeDevices ?? []) {
      const what = `volumeDevice "${device.name}"`;
      if (!volumes.has(device.name) && !claims.has(device.name))
        inContainer(`${what}: cannot find volume "${device.name}" to pass into the container`);
      else if (volumeModes.has(device.name) && volumeModes.get(device.name) !== 'Block') {
        inContainer(`${what}: the claim is volumeMode ${volumeModes.get(device.name)}; use volumeMounts`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// What a cluster of a repo applies: its dist/<cluster>/ folder and the add-ons its Applications
// render (helm template of the pinned chart in ../shared/charts, as test/addons.test.ts does).

export interface ClusterSpec {
  readonly name: string;
  readonly kubernetesVersion: string;
  readonly argocd: { readonly repoURL: string };
  readonly login?: { readonly oidc?: { readonly clientSecret?: { readonly name: string; readonly key: string } } };
  readonly [key: string]: unknown;
}

/** The cluster files of a repo (clusters/*.yaml with a name and a Kubernetes version), by cluster name. */
export function clusterSpecs(root: string): Map<string, ClusterSpec> {
  const dir = path.join(root, 'clusters');
  return new Map(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ClusterSpec | null)
      .filter((spec): spec is ClusterSpec => typeof spec?.name === 'string' && spec.kubernetesVersion !== undefined)
      .map((spec) => [spec.name, spec]),
  );
}

/** The cluster folders of dist/: every folder under it, whatever a fork names them. */
export function distClusters(root: string): string[] {
  return fs
    .readdirSync(path.join(root, 'dist'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

const kubeObjects = (documents: unknown[]): KubeObject[] =>
  documents.filter((o): o is KubeObject => !!o && typeof o === 'object' && 'kind' in o && 'metadata' in o);

/** The objects of dist/<cluster>/, each with the namespace its Application puts it in. */
export function distObjects(root: string, cluster: string): PlacedObject[] {
  const files = objectsOf(readTree(root, [`dist/${cluster}`]));
  // A folder of dist/ is applied by dojo's own Application whose source.path it is.
  const destinations = files
    .map((f) => f.object)
    .filter((o) => o?.kind === 'Application' && o.spec?.source?.path)
    .map((o) => ({
      folder: `${o.spec.source.path.replace(/\/$/, '')}/`,
      namespace: o.spec.destination?.namespace as string | undefined,
    }));
  return files
    .filter((f) => f.object && typeof f.object === 'object' && f.object.kind)
    .map(({ file, object }) => ({
      where: file,
      object,
      namespace: object.metadata?.namespace ?? destinations.find((d) => file.startsWith(d.folder))?.namespace,
    }));
}

export interface AddonRender {
  readonly objects: PlacedObject[];
  /** Charts the Applications name that are not in ../shared/charts. */
  readonly missing: string[];
}

/**
 * A chart's render read as ArgoCD reads it: sigs.k8s.io/yaml (non-strict) keeps the last of a
 * duplicated key, where the tests' yamlDocuments refuses the stream (the vcluster chart 0.36.1
 * writes priorityClassName twice when statefulSet.scheduling.priorityClassName is set).
 */
const helmDocuments = (text: string): unknown[] => loadAll(text, null, { schema: CORE_SCHEMA, json: true });

const renderCache = new Map<string, KubeObject[] | { missing: string }>();

/**
 * The objects of every add-on the Applications of dist/<cluster>/ render (their chart sources;
 * dojo's own folders are dist/ already), each where-labelled `<Application file>#<chart>-<version>`.
 * The manifests a vcluster's values deploy inside the virtual cluster are returned apart: they
 * land in another API server.
 */
export function addonObjects(
  cluster: readonly PlacedObject[],
  spec: ClusterSpec,
): AddonRender & { inVirtualClusters: PlacedObject[] } {
  const objects: PlacedObject[] = [];
  const inVirtualClusters: PlacedObject[] = [];
  const missing: string[] = [];
  for (const { where, object: application } of cluster) {
    if (application.kind !== 'Application') continue;
    const source = application.spec?.source;
    if (!source?.chart) continue; // dojo's own folders, and plain-manifest git folders (CRDs only)
    const namespace: string = application.spec.destination.namespace;
    const label = `${where}#${source.chart}-${source.targetRevision}`;
    const key = JSON.stringify([source, namespace, spec.kubernetesVersion]);
    let rendered = renderCache.get(key);
    if (!rendered) {
      const dir = chartDir(source.chart, source.targetRevision);
      rendered = dir
        ? kubeObjects(
            helmDocuments(
              helmTemplate({
                chart: dir,
                release: source.helm?.releaseName ?? application.metadata.name,
                namespace,
                values: source.helm?.valuesObject ?? {},
                kubeVersion: `${spec.kubernetesVersion}.0`,
                skipCrds: true,
              }),
            ),
          )
        : { missing: `${source.chart}-${source.targetRevision} (in ${CHARTS_DIR})` };
      renderCache.set(key, rendered);
    }
    if (!Array.isArray(rendered)) {
      missing.push(rendered.missing);
      continue;
    }
    for (const object of rendered) objects.push({ where: label, object, namespace: object.metadata?.namespace ?? namespace });
    const manifests = source.helm?.valuesObject?.experimental?.deploy?.vcluster?.manifests;
    if (typeof manifests === 'string') {
      for (const object of kubeObjects(yamlDocuments(manifests))) {
        inVirtualClusters.push({
          where: `${where}#experimental.deploy.vcluster.manifests`,
          object,
          namespace: object.metadata?.namespace,
        });
      }
    }
  }
  return { objects, missing, inVirtualClusters };
}
