import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { countedStudentIds } from '../lib/plan/students/student-id';
import { fixturePasswordFile } from '../dev/fixture-passwords';

// npm run bench and vitest both run in the repo's root (the bench runs bundled, where __dirname is the cache).
const REPO_ROOT = process.cwd();

/**
 * A repo in a temp folder with the example cluster (in the given routing mode; in alb mode with
 * an ACM certificate for both domains of every course and room for enough ALBs) and `courses` courses of
 * `students` counted seats each, two app ports, as the example course has.
 */
export function syntheticRepo(courses: number, students: number, mode: 'gateway' | 'alb' = 'gateway'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-bench-'));
  fs.mkdirSync(path.join(root, 'clusters'));
  fs.mkdirSync(path.join(root, 'courses'));
  const names = Array.from({ length: courses }, (_, i) => `course-${i + 1}`);
  const example = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/example/clusters/example.yaml'), 'utf8');
  const albRouting = [
    '  mode: alb',
    '  albQuota: 10000',
    '  loadBalancerSourceRanges: ["10.0.0.0/24"]',
    '  certificates:',
    '    - arn: arn:aws:acm:us-east-1:123456789012:certificate/2f0e1c9a-5b7d-4e3f-9a1b-6c8d7e5f4a3b',
    '      domains:',
    ...names.flatMap((name) => [`        - "*.${name}.training.example.com"`, `        - "*.${name}.training.example.net"`]),
  ].join('\n');
  const cluster = mode === 'alb' ? example.replace('  mode: gateway', albRouting) : example;
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
