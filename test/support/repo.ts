import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { readTree as readFilesUnder } from '../../lib/common/files';
import { REPO_ROOT } from '../../dev/repo-root';

export { REPO_ROOT };
/** The example repo the tool's tests run on (test/fixtures/example): never the repo's own courses. */
export const EXAMPLE_REPO = path.join(REPO_ROOT, 'test', 'fixtures', 'example');

/**
 * A scratch repo in a temp folder: the example repo's clusters (and courses, unless told not
 * to) plus `files`, given as repo-relative path -> content.
 */
export function makeRepo(files: Record<string, string> = {}, options: { exampleCourses?: boolean } = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-test-'));
  fs.cpSync(path.join(EXAMPLE_REPO, 'clusters'), path.join(root, 'clusters'), { recursive: true });
  if (options.exampleCourses ?? true) {
    fs.cpSync(path.join(EXAMPLE_REPO, 'courses'), path.join(root, 'courses'), { recursive: true });
  } else {
    fs.mkdirSync(path.join(root, 'courses'));
  }
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

/** Every file under `dirs` of `root` (by default the generated output), as relative path -> content. */
export function readTree(root: string, dirs: readonly string[] = ['dist', 'argocd']): Map<string, string> {
  return readFilesUnder(root, dirs);
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  [key: string]: any;
}

export interface FileObject {
  readonly file: string;
  readonly object: KubeObject;
}

/**
 * The documents of a YAML stream, read with js-yaml's YAML 1.2 core schema: the objects the
 * `yaml` package reads (strictly equal on the fixtures' output, an alb repo and the upstream
 * CRDs; equal on the add-ons' default renders) in an eighth of the time. A repo check holds
 * them equal to what YAML 1.1 and 1.2 read on the repo's dist/ and argocd/.
 */
export const yamlDocuments = (text: string): unknown[] => loadAll(text, null, { schema: CORE_SCHEMA });

/** Every Kubernetes object of the given files: those under dist/ and argocd/ (bootstrap/ holds eksctl's and Helm's files). */
export function objectsOf(tree: Map<string, string>): FileObject[] {
  return [...tree.entries()]
    .filter(([file]) => /^(dist|argocd)\//.test(file))
    .flatMap(([file, content]) => yamlDocuments(content).map((object) => ({ file, object: object as KubeObject })));
}
