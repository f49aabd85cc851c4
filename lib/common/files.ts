import * as fs from 'fs';
import * as path from 'path';

/** Every file under the given folders of `root`, as repo-relative path (with "/") -> content. */
export function readTree(root: string, dirs: readonly string[]): Map<string, string> {
  const tree = new Map<string, string>();
  const walk = (rel: string) => {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else tree.set(child, fs.readFileSync(path.join(root, child), 'utf8'));
    }
  };
  dirs.forEach(walk);
  return tree;
}
