/** Where in a trainer's file something is: the file (relative to the repo) and a path into its YAML. */
export interface SourceRef {
  readonly file: string;
  readonly path: readonly (string | number)[];
  /** Set when the place is known only by position, as with a YAML syntax error. */
  readonly position?: Position;
}

/** One thing wrong with the input, for a trainer to fix. */
export interface Problem {
  readonly at: SourceRef;
  /** Reads after the path, e.g. `"Bob Smith" is used twice`. */
  readonly message: string;
  /** A second place involved (the other half of a collision). */
  readonly also?: SourceRef;
  /** What to do about it, when that is not obvious from the message. */
  readonly hint?: string;
}

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** Resolves a reference to a line and column; implemented by the loader, which has the parsed files. */
export type Locate = (ref: SourceRef) => Position;

/** `students[3].name`, or `(file)` for the document itself. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(file)';
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

/** One line per problem: `courses/k8s-101.yaml:14:5  students[3].name  "Bob Smith" is used twice (also line 9)`. */
export function formatProblem(problem: Problem, locate: Locate): string {
  const here = positionOf(problem.at, locate);
  let message = problem.message;
  if (problem.also) {
    const there = positionOf(problem.also, locate);
    message +=
      problem.also.file === problem.at.file
        ? ` (also line ${there.line})`
        : ` (also ${problem.also.file}:${there.line}:${there.col})`;
  }
  const line = `${problem.at.file}:${here.line}:${here.col}  ${formatPath(problem.at.path)}  ${message}`;
  return problem.hint ? `${line}\n    hint: ${problem.hint}` : line;
}

/** Sorted by file, then position, so that output is stable and reads top to bottom. */
export function formatProblems(problems: readonly Problem[], locate: Locate): string[] {
  return problems
    .map((problem) => ({ problem, pos: positionOf(problem.at, locate) }))
    .sort(
      (a, b) =>
        compareText(a.problem.at.file, b.problem.at.file) ||
        a.pos.line - b.pos.line ||
        a.pos.col - b.pos.col ||
        compareText(a.problem.message, b.problem.message),
    )
    .map(({ problem }) => formatProblem(problem, locate));
}

/** Code-unit order: the same on every machine, whatever the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function positionOf(ref: SourceRef, locate: Locate): Position {
  return ref.position ?? locate(ref);
}
