import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadAndPlan } from '../lib/synth';
import { passwordsThatDoNotVerify } from '../lib/commands/handout';
import { REPO_ROOT } from './support/repo';

// The classroom fixture's hashes are bcrypt of "fixture-password".
const plan = () => {
  const planned = loadAndPlan(path.join(REPO_ROOT, 'test', 'fixtures', 'classroom'));
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  return planned.plan.clusters.flatMap((c) => c.courses);
};

describe('handout passwords', () => {
  it('prints nothing that would not open the IDE: names the students whose private password does not verify', async () => {
    const course = plan().find((c) => c.name === 'k8s')!;
    const passwords = new Map([
      ['alice', 'fixture-password'],
      ['bob', 'made-on-another-machine'],
    ]);
    expect(await passwordsThatDoNotVerify(course, passwords)).toEqual(['bob']);
  });

  it('has nothing to check on an OIDC cluster, where students have no password', async () => {
    const course = plan().find((c) => c.name === 'sso')!;
    expect(await passwordsThatDoNotVerify(course, new Map([['alice', 'anything']]))).toEqual([]);
  });
});
