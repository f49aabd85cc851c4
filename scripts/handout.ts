import * as fs from 'fs';
import * as path from 'path';
import { loadAndPlan } from '../main';
import { handoutHtml } from '../lib/trainer/handout';
import { PRIVATE_DIR, privatePasswordFile, readPrivate } from '../lib/trainer/passwords-command';

// npm run handout -- <course>: private/<course>-handout.html, one slip per student.
function main(): number {
  const course = process.argv[2];
  if (!course) {
    console.error('usage: npm run handout -- <course>');
    return 2;
  }
  const root = path.resolve('.');
  const planned = loadAndPlan(root);
  if (!planned.ok) {
    console.error(planned.errors.join('\n'));
    return 1;
  }
  const plan = planned.plan.clusters.flatMap((c) => c.courses).find((c) => c.name === course);
  if (!plan) {
    console.error(`no course named "${course}"`);
    return 1;
  }
  const passwords = readPrivate(path.join(root, privatePasswordFile(course)));
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

process.exitCode = main();
