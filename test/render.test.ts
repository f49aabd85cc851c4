import { ApiObject } from 'cdk8s';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadAndPlan } from '../lib/synth';
import { buildCharts } from '../constructs/dojo-app';
import { IDENTITY_MAPPED_IMPORTS, renderObject } from '../lib/write/render';
import { parseAllDocuments } from 'yaml';
import { makeRepo, EXAMPLE_REPO } from './support/repo';
import { CRDS_DIR, describeWithUpstream } from './support/upstream';

/** Every object the constructs build for a repo. */
function apiObjects(root: string): ApiObject[] {
  const planned = loadAndPlan(root);
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  return [...buildCharts(planned.plan)].flatMap((chart) =>
    chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject),
  );
}

describe('rendering', () => {
  it.each([
    ['the examples', () => EXAMPLE_REPO],
    [
      'an archived course and a course without a schedule',
      () => {
        const root = makeRepo();
        fs.appendFileSync(path.join(root, 'courses/docker-katas.yaml'), 'archived: true\n');
        const k8s = path.join(root, 'courses/kubernetes-katas.yaml');
        fs.writeFileSync(k8s, fs.readFileSync(k8s, 'utf8').split('\n# Every week')[0] + '\n');
        return root;
      },
    ],
  ])('renders every object of %s exactly as cdk8s toJson() does', (_, root) => {
    const objects = apiObjects(root());
    expect(new Set(objects.map((o) => o.kind)).size).toBeGreaterThan(20);
    for (const object of objects) {
      expect(JSON.stringify(renderObject(object)), `${object.kind} ${object.name}`).toBe(JSON.stringify(object.toJson()));
    }
  });
});

describeWithUpstream(['crds'], 'kinds rendered from their props', () => {
  /** cdk8s import keeps a property name only if it is already lower camelCase without runs of capitals. */
  const keptByImport = (name: string) => /^[a-z][a-zA-Z0-9]*$/.test(name) && !/[A-Z]{2}/.test(name);

  function renamedProperties(schema: any, at: string): string[] {
    if (!schema || typeof schema !== 'object') return [];
    const own = Object.keys(schema.properties ?? {}).flatMap((name) => [
      ...(keptByImport(name) ? [] : [`${at}.${name}`]),
      ...renamedProperties(schema.properties[name], `${at}.${name}`),
    ]);
    return [...own, ...renamedProperties(schema.items, `${at}[]`), ...renamedProperties(schema.additionalProperties, `${at}{}`)];
  }

  it.each(IDENTITY_MAPPED_IMPORTS.map((type) => [type.GVK.kind, type] as const))(
    '%s: its CRD has no field that the import renames',
    (_, type) => {
      const [group, version] = type.GVK.apiVersion.split('/');
      const crd = crdDocuments().find((d) => d.spec.group === group && d.spec.names.kind === type.GVK.kind)!;
      const schema = crd.spec.versions.find((v: any) => v.name === version).schema.openAPIV3Schema;
      // Only spec is generated into props; status is the controller's.
      expect(renamedProperties(schema.properties.spec, `${type.GVK.kind}.spec`)).toEqual([]);
    },
  );

  it('would catch a kind whose import renames fields (EC2NodeClass: associatePublicIPAddress)', () => {
    const crd = crdDocuments().find((d) => d.spec.names.kind === 'EC2NodeClass')!;
    expect(renamedProperties(crd.spec.versions[0].schema.openAPIV3Schema, 'EC2NodeClass')).toContain(
      'EC2NodeClass.spec.associatePublicIPAddress',
    );
  });
});

function crdDocuments(): any[] {
  return fs.readdirSync(CRDS_DIR).flatMap((dir) =>
    fs
      .readdirSync(path.join(CRDS_DIR, dir))
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(CRDS_DIR, dir, f), 'utf8')).map((d) => d.toJS())),
  );
}
