import * as fs from 'fs';
import * as path from 'path';
import { withFixturePasswords } from './fixture-passwords';
import { EXAMPLE_REPO, REPO_ROOT } from './repo';

/**
 * The example cluster with a certificate for each course a case adds, so that a case shows
 * its own problem rather than the missing certificate every new course would have.
 */
function clusterCovering(files: Record<string, string>): string {
  return coveringCluster(
    Object.entries(files)
      .filter(([file]) => file.startsWith('courses/'))
      .flatMap(([, text]) => [...text.matchAll(/^name: ([a-z0-9-]+)$/gm)].map((m) => m[1])),
  );
}

/** The example cluster with a certificate for each of the courses `names`. */
export function coveringCluster(names: readonly string[]): string {
  const cluster = fs.readFileSync(path.join(EXAMPLE_REPO, 'clusters/example.yaml'), 'utf8');
  const domains = [...new Set(names)].map((name) => `\n        - "*.${name}.training.example.com"`).join('');
  return cluster.replace(
    '        - "*.docker-katas.training.example.com"',
    `        - "*.docker-katas.training.example.com"${domains}`,
  );
}

export const BAD_INPUT_DIR = path.join(REPO_ROOT, 'test', 'bad-input');

/**
 * The cases of the bad-input corpus: a `<case>.yaml` is one course file (written as
 * `courses/<its name>.yaml`); a `<case>/`
 * folder holds `courses/` and `clusters/` files added to (or, by the same name, replacing)
 * the example cluster's.
 */
export function badInputCases(): { name: string; files: Record<string, string> }[] {
  return fs
    .readdirSync(BAD_INPUT_DIR)
    .filter((name) => name !== 'expected.yaml')
    .sort()
    .map((name) => {
      const full = path.join(BAD_INPUT_DIR, name);
      const files: Record<string, string> = {};
      if (fs.statSync(full).isDirectory()) {
        for (const sub of ['courses', 'clusters']) {
          if (!fs.existsSync(path.join(full, sub))) continue;
          for (const file of fs.readdirSync(path.join(full, sub))) {
            files[`${sub}/${file}`] = fs.readFileSync(path.join(full, sub, file), 'utf8');
          }
        }
      } else {
        // Under the course's own name, as a course file must be, where it has one.
        const text = fs.readFileSync(full, 'utf8');
        const courseName = /^name: ([a-z][a-z0-9-]*)$/m.exec(text)?.[1];
        files[`courses/${courseName ? `${courseName}.yaml` : name}`] = text;
      }
      if (!files['clusters/example.yaml']) files['clusters/example.yaml'] = clusterCovering(files);
      // Passwords as the passwords command leaves them, so that a case shows its own problem.
      return { name: name.replace(/\.yaml$/, ''), files: withFixturePasswords(files) };
    });
}
