import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { synth } from '../lib/synth';
import { badInputCases, BAD_INPUT_DIR } from './support/bad-input';
import { fixturePasswordFile, withFixturePasswords } from '../dev/fixture-passwords';
import { makeRepo, readTree } from './support/repo';
import { exampleOutput } from './support/example-output';

const expected: Record<string, string[]> = parse(fs.readFileSync(path.join(BAD_INPUT_DIR, 'expected.yaml'), 'utf8'));
const cases = badInputCases();

const earlierOutput = exampleOutput().files;

/** A repo with the bad files and a dist/ and argocd/ from an earlier, good synth (of the example repo). */
function repoWithOutput(files: Record<string, string>): string {
  const root = makeRepo(files, { exampleCourses: false });
  for (const file of earlierOutput) {
    fs.mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
    fs.writeFileSync(path.join(root, file.path), file.content);
  }
  return root;
}

describe('bad input', () => {
  it('has a corpus of at least 25 cases, each with its expected errors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(expected).sort()).toEqual(cases.map((c) => c.name));
  });

  it.each(cases)('$name: fails with file:line:col, path and message, and leaves dist/ untouched', ({ name, files }) => {
    const root = repoWithOutput(files);
    const before = readTree(root);
    const result = synth(root);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual(expected[name]);
    for (const error of result.errors) expect(error).toMatch(/^(courses|clusters)\/[\w.-]+\.yaml:\d+:\d+  \S+  \S/);
    expect(readTree(root)).toEqual(before);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.dojo-synth-'))).toEqual([]);
  });

  it("finds five mistakes in one course file in one run: the schema's, the schedule's and the missing password", () => {
    const course = [
      'name: five',
      'cluster: example',
      'students: [Ada, Ada, Bob]',
      'workstation:',
      '  cpu: lots',
      '  memory: 1 GB',
      'schedule:',
      '  timeZone: Europe/Copenhagen',
      '  hours: ["09:00-12:30", "12:00-16:00"]',
      '',
    ].join('\n');
    const files = withFixturePasswords({ 'courses/five.yaml': course });
    files['courses/five.passwords.yaml'] = fixturePasswordFile(['ada']); // Bob has none yet
    const result = synth(makeRepo(files, { exampleCourses: false }), { write: false });
    expect(result.errors.map((e) => e.split('\n')[0].split('  ').slice(0, 2).join('  '))).toEqual([
      'courses/five.yaml:3:1  students',
      'courses/five.yaml:3:17  students[1]',
      'courses/five.yaml:5:3  workstation.cpu',
      'courses/five.yaml:6:3  workstation.memory',
      'courses/five.yaml:9:26  schedule.hours[1]',
    ]);
    expect(result.errors[0]).toMatch(/without a password: "Bob"/);
  });

  it('refuses a course whose name is not its file name, naming both fixes', () => {
    const files = withFixturePasswords({
      'courses/cb.yaml': 'name: cloud-basics\ncluster: example\nstudents: [Ada]\n',
    });
    expect(synth(makeRepo(files, { exampleCourses: false }), { write: false }).errors).toEqual([
      'courses/cb.yaml:1:1  name  "cloud-basics" differs from the file name "cb.yaml": a course goes by one name everywhere (dist/, passwords, handout)\n' +
        '    hint: rename the file to courses/cloud-basics.yaml, or set name: cb',
    ]);
  });

  it('refuses a "billion laughs" of aliases in a course or password file at once, naming the file, without expanding it', () => {
    const bomb = fs.readFileSync(path.join(BAD_INPUT_DIR, 'yaml-alias-bomb.yaml'), 'utf8').replace('alias-bomb', 'k8s');
    const files = withFixturePasswords({ 'courses/k8s.yaml': 'name: k8s\ncluster: example\nstudents: [Ada]\n' });
    files['courses/k8s.passwords.yaml'] = bomb.replace(/^(name|cluster|students):.*\n/gm, '');
    files['courses/bomb.yaml'] = bomb.replace('name: k8s', 'name: bomb');
    const started = Date.now();
    const result = synth(makeRepo(files, { exampleCourses: false }), { write: false });
    expect(Date.now() - started).toBeLessThan(5000);
    const bombs = result.errors.filter((e) => e.includes('(file)'));
    expect(bombs.map((e) => e.split('  (file)  ')[0])).toEqual(['courses/bomb.yaml:5:8', 'courses/k8s.passwords.yaml:2:8']);
    for (const error of bombs) expect(error).toMatch(/"billion laughs": write the values out$/);
  });

  it('reports every problem of every file at once', () => {
    const all = Object.assign({}, ...cases.filter((c) => !c.files['clusters/example-copy.yaml']).map((c) => c.files));
    const result = synth(repoWithOutput(all), { write: false });
    const files = new Set(result.errors.map((e) => e.split(':')[0]));
    expect(files.size).toBeGreaterThanOrEqual(30);
  });
});
