import * as fs from 'fs';
import * as path from 'path';
import { isScalar, parseDocument } from 'yaml';
import { DNS_LABEL } from '../input/schema/dns-names';
import { passwordFileOf } from '../input/load/password-hashes';
import { courseIdOf } from '../plan/model/object-names';
import { findCourse } from './course-students';
import { privatePasswordFile, removedPasswordFile, UserError } from './passwords-command';

export interface RenameResult {
  /** The course file under its new name. */
  readonly file: string;
  /** What the cluster still knows the course by. */
  readonly id: string;
  /** The password files that moved with it, as [from, to]. */
  readonly moved: readonly (readonly [string, string])[];
}

/**
 * Renames a course in the repo, keeping everything the old name stands for: the course file
 * moves to courses/<to>.yaml with `name: <to>` and `id: <from>`, so that the cluster keeps its
 * namespaces (Kubernetes cannot rename one, and the home volumes live in them), host names and
 * Application; its committed hashes and the trainer's private passwords move with it. Writes the
 * new files before it removes the old ones, and refuses, touching nothing, when any target exists.
 */
export function renameCourse(root: string, from: string, to: string): RenameResult {
  const found = findCourse(root, from);
  if (!found.ok) throw new UserError(found.errors);
  if (!DNS_LABEL.test(to) || to.length > 40) {
    throw new UserError([`"${to}" is not a course name: lower-case letters, digits and "-", at most 40 characters`]);
  }
  const file = `courses/${to}.yaml`;
  const moves: [string, string][] = [
    [found.file, file],
    [passwordFileOf(found.file), passwordFileOf(file)],
    [privatePasswordFile(from), privatePasswordFile(to)],
    [removedPasswordFile(privatePasswordFile(from)), removedPasswordFile(privatePasswordFile(to))],
  ];
  const taken = moves.map(([, target]) => target).filter((target) => fs.existsSync(path.join(root, target)));
  if (taken.length > 0) throw new UserError([`${taken.join(', ')} exists already: choose another name, or move it away first`]);

  const id = courseIdOf(found.spec);
  const text = fs.readFileSync(path.join(root, found.file), 'utf8');
  const present = moves.slice(1).filter(([source]) => fs.existsSync(path.join(root, source)));
  fs.writeFileSync(path.join(root, file), renamedCourseText(text, to, found.spec.id === undefined ? id : undefined));
  for (const [source, target] of present) {
    const full = path.join(root, source);
    fs.writeFileSync(path.join(root, target), renamedHeader(fs.readFileSync(full, 'utf8'), from, to), {
      mode: fs.statSync(full).mode & 0o777,
    });
  }
  for (const [source] of [moves[0], ...present]) fs.rmSync(path.join(root, source));
  return { file, id, moved: present };
}

/**
 * The course file's text with `name: <to>` and, when `id` is given, an `id` line after it that
 * says why; every other line, comments included, as the trainer wrote it.
 */
export function renamedCourseText(text: string, to: string, id: string | undefined): string {
  const value = parseDocument(text).get('name', true);
  if (!isScalar(value) || !value.range) throw new Error('a loaded course file has a name');
  const [start, end] = value.range;
  const lineEnd = text.indexOf('\n', end);
  const rest = lineEnd < 0 ? '' : text.slice(lineEnd);
  const idLines =
    id === undefined
      ? ''
      : `\n# Renamed from ${id} by npm run rename-course: the cluster keeps knowing the course as ${id},\n` +
        `# so that its namespaces, the home volumes in them, and its host names stay.\nid: ${id}`;
  return `${text.slice(0, start)}${to}${text.slice(end, lineEnd < 0 ? text.length : lineEnd)}${idLines}${rest}`;
}

/** A password file's comment lines name the course and its commands: they follow the new name. */
function renamedHeader(text: string, from: string, to: string): string {
  const word = new RegExp(`(?<![\\w-])${from.replace(/-/g, '\\-')}(?![\\w-])`, 'g');
  return text
    .split('\n')
    .map((line) => (line.startsWith('#') ? line.replace(word, to) : line))
    .join('\n');
}
