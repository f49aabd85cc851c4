import * as fs from 'fs';
import * as path from 'path';
import { loadAndPlan } from '../lib/synth';
import { handoutHtml, passwordsThatDoNotVerify } from '../lib/commands/handout';
import { PRIVATE_DIR, privatePasswordFile, readPrivate } from '../lib/commands/passwords-command';

// npm run handout -- <course> [student]: private/<course>-handout.html, one slip per student
// (or the one student's).
async function main(): Promise<number> {
  const [course, student] = process.argv.slice(2);
  if (!course) {
    console.error('usage: npm run handout -- <course> [student]');
    return 2;
  }
  const root = path.resolve('.');
  const planned = loadAndPlan(root);
  if (!planned.ok) {
    console.error(planned.errors.join('\n'));
    return 1;
  }
  const whole = planned.plan.clusters.flatMap((c) => c.courses).find((c) => c.name === course);
  if (!whole) {
    console.error(`no course named "${course}"`);
    return 1;
  }
  if (student !== undefined && !whole.students.some((s) => s.id === student)) {
    console.error(`"${student}" is not a student id of ${course} (ids: ${whole.students.map((s) => s.id).join(', ')})`);
    return 1;
  }
  const plan = student === undefined ? whole : { ...whole, students: whole.students.filter((s) => s.id === student) };
  const passwords = readPrivate(path.join(root, privatePasswordFile(course)));
  const wrong = await passwordsThatDoNotVerify(plan, passwords);
  if (wrong.length > 0) {
    console.error(
      `the passwords of ${wrong.join(', ')} in ${privatePasswordFile(course)} do not match the hashes in git: their slips would not open the IDE.\n` +
        `Give them new ones: npm run passwords -- ${course} ${wrong.map((id) => `--reset ${id}`).join(' ')} (then synth and merge before class)`,
    );
    return 1;
  }
  const missing = plan.students.filter((s) => !passwords.has(s.id)).length;
  const file = path.join(PRIVATE_DIR, `${course}-handout.html`);
  fs.mkdirSync(path.join(root, PRIVATE_DIR), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(root, file), handoutHtml(plan, passwords), { mode: 0o600 });
  console.log(`wrote ${file}: ${plan.students.length} slips (git ignores it; print it, then delete it)`);
  if (missing > 0)
    console.log(
      `${missing} slip(s) say "ask your trainer": their passwords were made on another machine (reset with npm run passwords -- ${course} --reset <id>)`,
    );
  return 0;
}

void main().then((code) => (process.exitCode = code));
