import { ApiObject } from 'cdk8s';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadAndPlan } from '../main';
import { buildApp } from '../constructs/dojo-app';
import { renderObject } from '../constructs/render';
import { makeRepo, REPO_ROOT } from './support/repo';

/** Every object the constructs build for a repo. */
function apiObjects(root: string): ApiObject[] {
  const planned = loadAndPlan(root);
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  return buildApp(planned.plan).flatMap((chart) => chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject));
}

describe('rendering', () => {
  it.each([
    ['the examples', () => REPO_ROOT],
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
