import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { parseBytes, parseCpu } from '../lib/input/schema/quantity';
import { AdmissionChain } from './support/admission';
import { objectsOf, REPO_ROOT, type KubeObject } from './support/repo';
import { nodePoolsFor } from './support/scheduling';
import { EXERCISES } from './katas/exercises';
import { asStudent } from './security/requests';

/**
 * The katas' exercises, as Alice applies them in the fixture classroom: admitted, within
 * the default quota once the LimitRange has filled in defaults, at Pod Security baseline,
 * schedulable on the students' pool, and reachable at the addresses docs/trainer-guide.md gives.
 */
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'classroom');
/** lab's content domain: the students' own Ingress hosts are under it. */
const CONTENT_DOMAIN = 'lab.example.net';
let objects: KubeObject[];

beforeAll(() => {
  const result = synth(FIXTURE, { write: false });
  expect(result.errors).toEqual([]);
  objects = objectsOf(new Map(result.files.filter((f) => /^dist\/lab\//.test(f.path)).map((f) => [f.path, f.content]))).map(
    (o) => o.object,
  );
});

const inAlice = (kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.namespace === 'k8s-alice' && o.metadata.name === name)!;

/** Pod specs of an object, with how many pods it makes. */
function podsOf(object: Record<string, any>): { spec: any; count: number }[] {
  if (object.kind === 'Pod') return [{ spec: object.spec, count: 1 }];
  if (['Deployment', 'StatefulSet', 'ReplicaSet'].includes(object.kind))
    return [{ spec: object.spec.template.spec, count: object.spec.replicas ?? 1 }];
  return [];
}

/** Containers as the LimitRange admission leaves them: defaults filled in where a container names none. */
function withDefaults(spec: any, limitRange: KubeObject): any[] {
  const { default: limits, defaultRequest: requests } = limitRange.spec.limits[0];
  return spec.containers.map((c: any) => ({
    ...c,
    resources: {
      limits: { ...limits, ...c.resources?.limits },
      requests: { ...requests, ...(c.resources?.requests ?? c.resources?.limits) },
    },
  }));
}

/** The Pod Security "baseline" fields the katas could touch. */
function baselineViolations(spec: any): string[] {
  const found: string[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[field]) found.push(field);
  for (const volume of spec.volumes ?? []) if (volume.hostPath) found.push(`hostPath ${volume.name}`);
  for (const c of spec.containers) {
    if (c.securityContext?.privileged) found.push(`privileged ${c.name}`);
    for (const p of c.ports ?? []) if (p.hostPort) found.push(`hostPort ${c.name}`);
  }
  return found;
}

describe('the katas in a student namespace', () => {
  const exercises = EXERCISES('alice', 'k8s', CONTENT_DOMAIN);

  it.each(exercises.map((e) => [`${e.repo}: ${e.name}`, e] as const))('%s', (_, exercise) => {
    const chain = new AdmissionChain(
      objects,
      new Map(objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}] as const)),
    );
    const quota = inAlice('ResourceQuota', 'student-quota').spec.hard;
    const limitRange = inAlice('LimitRange', 'student-defaults');
    const used = { cpu: 0, memory: 0, limitsMemory: 0, pods: 0, services: 0, nodePorts: 0, storage: 0, claims: 0 };
    for (const object of exercise.objects) {
      expect(chain.review(asStudent('alice', 'CREATE', object)).denials, object.metadata.name).toEqual([]);
      for (const { spec, count } of podsOf(object)) {
        expect(baselineViolations(spec), object.metadata.name).toEqual([]);
        if (spec.serviceAccountName)
          expect(inAlice('ServiceAccount', spec.serviceAccountName), spec.serviceAccountName).toBeDefined();
        const pools = nodePoolsFor(objects, { spec }).map((p) => p.metadata.name);
        expect(pools, `${object.metadata.name} schedules on`).toEqual(['students']);
        for (const c of withDefaults(spec, limitRange)) {
          // The API server refuses a pod whose request passes its limit, a defaulted one too
          // (ValidateResourceRequirements: "must be less than or equal to cpu limit").
          for (const [resource, limit] of Object.entries(c.resources.limits)) {
            const parse = resource === 'cpu' ? parseCpu : parseBytes;
            const request = c.resources.requests[resource];
            if (request !== undefined)
              expect(parse(request), `${object.metadata.name} ${c.name} ${resource}`).toBeLessThanOrEqual(parse(String(limit)));
          }
          used.cpu += count * parseCpu(c.resources.requests.cpu);
          used.memory += count * parseBytes(c.resources.requests.memory);
          used.limitsMemory += count * parseBytes(c.resources.limits.memory);
        }
        used.pods += count;
      }
      if (object.kind === 'Service') {
        used.services += 1;
        if (object.spec.type === 'NodePort') used.nodePorts += 1;
      }
      if (object.kind === 'PersistentVolumeClaim') {
        used.claims += 1;
        used.storage += parseBytes(object.spec.resources.requests.storage);
      }
      for (const template of object.spec?.volumeClaimTemplates ?? []) {
        used.claims += object.spec.replicas ?? 1;
        used.storage += (object.spec.replicas ?? 1) * parseBytes(template.spec.resources.requests.storage);
      }
    }
    expect(used.cpu).toBeLessThanOrEqual(parseCpu(quota['requests.cpu']));
    expect(used.memory).toBeLessThanOrEqual(parseBytes(quota['requests.memory']));
    expect(used.limitsMemory).toBeLessThanOrEqual(parseBytes(quota['limits.memory']));
    expect(used.pods).toBeLessThanOrEqual(quota.pods);
    expect(used.services).toBeLessThanOrEqual(quota.services);
    expect(used.nodePorts).toBeLessThanOrEqual(quota['services.nodeports']);
    expect(used.claims).toBeLessThanOrEqual(quota.persistentvolumeclaims);
    expect(used.storage).toBeLessThanOrEqual(parseBytes(quota['requests.storage']));
  });

  it('binds the claims the katas make: a default class for claims that name none, and gp2 and gp3 by name', () => {
    const classes = objects.filter((o) => o.kind === 'StorageClass');
    expect(classes.map((c) => c.metadata.name).sort()).toEqual(['gp2', 'gp3']);
    const defaults = classes.filter((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
    expect(defaults.map((c) => c.metadata.name)).toEqual(['gp3']);
  });

  it("serves a kata Ingress at its host: the course's content wildcard record and certificate, and the proxy owns class alb", () => {
    const proxy = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'gateway-proxy')!;
    const values = proxy.spec.source.helm.valuesObject;
    expect(values.ingressClass).toMatchObject({ enabled: true, name: 'alb' });
    // By field (the IngressClass alb is Traefik's) and by annotation (the provider's ingressClass).
    expect(values.providers.kubernetesIngress).toMatchObject({ enabled: true, ingressClass: 'alb' });
    const host = `quotes-alice.k8s.${CONTENT_DOMAIN}`;
    const wildcards: string[] = values.service.annotations['external-dns.alpha.kubernetes.io/hostname'].split(',');
    expect(wildcards.some((w) => host.endsWith(w.slice(1)) && host.split('.').length === w.split('.').length)).toBe(true);
    // The proxy may reach Alice's pods for it.
    const allow = inAlice('NetworkPolicy', 'allow-own-traffic');
    expect(JSON.stringify(allow.spec.ingress)).toContain('dojo-gateway');
  });

  it('gives the shell what the katas expect: STUDENT_NS and TRAINING_NAME', () => {
    const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'ws-alice')!;
    const ide = sts.spec.template.spec.containers.find((c: any) => c.name === 'ide');
    expect(ide.env).toEqual([
      { name: 'STUDENT_NS', value: 'k8s-alice' },
      { name: 'TRAINING_NAME', value: 'k8s' },
    ]);
  });
});
