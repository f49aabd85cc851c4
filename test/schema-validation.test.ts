import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CHECKED_REPO, objectsOf, readTree } from './support/repo';
import { validateObject } from './support/schemas';

describe('every object in dist/ and argocd/', () => {
  const objects = objectsOf(readTree(CHECKED_REPO));

  it('exists', () => {
    expect(objects.length).toBeGreaterThan(0);
  });

  it('validates against its upstream schema with no unknown field', async () => {
    const failures: string[] = [];
    for (const { file, object } of objects) {
      for (const error of await validateObject(object))
        failures.push(`${file} ${object.kind}/${object.metadata?.name}: ${error}`);
    }
    expect(failures).toEqual([]);
  });

  it('is caught when it has an unknown field, a wrong type or a missing required field', async () => {
    const statefulSet = objects.find((o) => o.object.kind === 'StatefulSet')!.object;
    const typo = structuredClone(statefulSet);
    typo.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect((await validateObject(typo)).join()).toMatch(/imagePullPolicyy is not a field/);
    const wrongType = structuredClone(statefulSet);
    wrongType.spec.template.spec.containers[0].ports[0].containerPort = 'ide';
    expect(await validateObject(wrongType)).not.toEqual([]);
    const application = structuredClone(objects.find((o) => o.object.kind === 'Application')!.object);
    delete application.spec.destination;
    application.spec.sourcee = {};
    const errors = (await validateObject(application)).join();
    expect(errors).toMatch(/destination/);
    expect(errors).toMatch(/additional properties/);
    // cert-manager's kinds, from the CRDs of its pinned chart.
    const certificate = structuredClone(objects.find((o) => o.object.kind === 'Certificate')!.object);
    certificate.spec.dnsName = certificate.spec.dnsNames;
    expect((await validateObject(certificate)).join()).toMatch(/additional properties/);
  });
});

describe('YAML in dist/ and argocd/', () => {
  it('reads the same under YAML 1.1 (what Kubernetes and ArgoCD use) as under YAML 1.2', () => {
    for (const [file, content] of readTree(CHECKED_REPO)) {
      const as11 = parseAllDocuments(content, { version: '1.1' }).map((d) => d.toJS());
      const as12 = parseAllDocuments(content, { version: '1.2' }).map((d) => d.toJS());
      expect(as11, file).toEqual(as12);
    }
  });
});
