import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadAndPlan } from '../lib/synth';
import { handoutHtml, passwordsThatDoNotVerify, writeHandout } from '../lib/commands/handout';
import { UserError } from '../lib/commands/passwords-command';
import { withFixturePasswords } from '../dev/fixture-passwords';
import { makeRepo, REPO_ROOT } from './support/repo';

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

describe('npm run handout', () => {
  const course = [
    'name: slips',
    'cluster: example',
    'students: [Ada, Alan]',
    'schedule:',
    '  timeZone: Europe/Copenhagen',
    '  firstDay: "2026-12-07"',
    '  lastDay: "2026-12-11"',
    '  hours: ["09:00-12:00", "13:00-16:30"]',
    '  daysOff: ["2026-12-09"]',
    '',
  ].join('\n');
  const repo = (privatePasswords: string) =>
    makeRepo(
      { ...withFixturePasswords({ 'courses/slips.yaml': course }), 'private/slips.passwords.yaml': privatePasswords },
      {
        exampleCourses: false,
      },
    );

  it("writes the class's handout and one student's slip to files of their own, each with the class days and hours", async () => {
    const root = repo('ada: fixture-password\nalan: fixture-password\n');
    expect(await writeHandout(root, 'slips')).toEqual({ file: 'private/slips-handout.html', slips: 2 });
    const handout = fs.readFileSync(path.join(root, 'private/slips-handout.html'), 'utf8');
    expect(await writeHandout(root, 'slips', 'ada')).toEqual({ file: 'private/slips-ada-slip.html', slips: 1 });
    expect(fs.readFileSync(path.join(root, 'private/slips-handout.html'), 'utf8')).toBe(handout);
    const slip = fs.readFileSync(path.join(root, 'private/slips-ada-slip.html'), 'utf8');
    expect(slip.match(/class="slip"/g)).toHaveLength(1);
    expect(slip).toContain(
      '<dd class="class-times">mon-fri 09:00-12:00, 13:00-16:30 (Europe/Copenhagen time), 2026-12-07 to 2026-12-11 except 2026-12-09</dd>',
    );
  });

  it('writes nothing and fails, naming the students and the fix, when a slip would have no password', async () => {
    const root = repo('ada: fixture-password\n');
    await expect(writeHandout(root, 'slips')).rejects.toThrow(
      'private/slips.passwords.yaml has no password for alan: they were made on another machine, and a slip without one would not open the IDE.\n' +
        'Copy private/slips.passwords.yaml from that machine, or give them new ones: npm run passwords -- slips --reset alan (then synth and merge before class)',
    );
    await expect(writeHandout(root, 'slips', 'alan')).rejects.toThrow(UserError);
    expect(fs.readdirSync(path.join(root, 'private'))).toEqual(['slips.passwords.yaml']);
    // The one student who has a password still gets their slip.
    expect((await writeHandout(root, 'slips', 'ada')).slips).toBe(1);
  });
});

describe('slips that would lead nowhere', () => {
  it('refuses an archived course: it has no workstations', async () => {
    await expect(writeHandout(path.join(REPO_ROOT, 'test', 'fixtures', 'classroom'), 'old')).rejects.toThrow(
      'old is archived (archived: true): it has no workstations, so there are no slips to print',
    );
  });

  it("gives no Ingress host in alb mode, where a kata's Ingress gets no address, but the port-forward that stands in", () => {
    const sso = plan().find((c) => c.name === 'sso')!;
    expect(sso.routing.mode).toBe('alb');
    const page = handoutHtml(sso, new Map());
    expect(page).not.toContain('ingress-host');
    expect(page).toContain(
      'An Ingress of yours gets no address on this cluster: open its Service with <code>kubectl port-forward',
    );
    const k8s = handoutHtml(
      plan().find((c) => c.name === 'k8s')!,
      new Map(),
    );
    expect(k8s).toContain('<code class="ingress-host">&lt;name&gt;-alice.k8s.lab.example.net</code>');
  });
});
