import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { countedStudentIds } from '../lib/plan/student-id';
import { fixturePasswordFile } from '../test/support/fixture-passwords';

// npm run bench and vitest both run in the repo's root (the bench runs bundled, where __dirname is the cache).
const REPO_ROOT = process.cwd();

/**
 * A repo in a temp folder with the example cluster (in the given routing mode, with a
 * certificate for every course and room for enough ALBs) and `courses` courses of
 * `students` counted seats each, two app ports, as the example course has.
 */
export function syntheticRepo(courses: number, students: number, mode: 'gateway' | 'alb' = 'gateway'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-bench-'));
  fs.mkdirSync(path.join(root, 'clusters'));
  fs.mkdirSync(path.join(root, 'courses'));
  const names = Array.from({ length: courses }, (_, i) => `course-${i + 1}`);
  const domains = names.map((name) => `\n        - "*.${name}.training.example.com"`).join('');
  const cluster = fs
    .readFileSync(path.join(REPO_ROOT, 'test/fixtures/example/clusters/example.yaml'), 'utf8')
    .replace('  mode: gateway', `  mode: ${mode}\n  albQuota: 10000\n  loadBalancerSourceRanges: ["10.0.0.0/24"]`)
    .replace('      domains:', `      domains:${domains}`);
  fs.writeFileSync(path.join(root, 'clusters/example.yaml'), cluster);
  for (const name of names) {
    fs.writeFileSync(
      path.join(root, 'courses', `${name}.yaml`),
      `name: ${name}\ncluster: example\nstudents: { count: ${students} }\nworkstation: { ports: [8080, 5000] }\n`,
    );
    fs.writeFileSync(
      path.join(root, 'courses', `${name}.passwords.yaml`),
      fixturePasswordFile(countedStudentIds('student', students)),
    );
  }
  return root;
}
