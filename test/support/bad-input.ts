import * as fs from 'fs';
import * as path from 'path';
import { withFixturePasswords } from '../../dev/fixture-passwords';
import { REPO_ROOT } from './repo';

export const BAD_INPUT_DIR = path.join(REPO_ROOT, 'test', 'bad-input');

/**
 * The cases of the bad-input corpus: a `<case>.yaml` is one course file (written as
 * `courses/<its name>.yaml`); a `<case>/`
 * folder holds `courses/` and `clusters/` files added to (or, by the same name, replacing)
 * the example clusters' (makeRepo copies those).
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
      // Passwords as the passwords command leaves them, so that a case shows its own problem.
      return { name: name.replace(/\.yaml$/, ''), files: withFixturePasswords(files) };
    });
}
