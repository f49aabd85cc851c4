import type { Problem } from '../../common/problems';
import type { YamlSource } from './yaml-source';

/**
 * Student names that run on into the next line. One space too many before a "-" makes YAML
 * read that item as the rest of the name above ("Ada Lovelace - Alan Turing"): one student
 * where the trainer meant two, whose passwords `npm run passwords` would replace. Pointed at
 * the line that was meant to be a student of its own.
 */
export function runOnStudentNames(source: YamlSource): Problem[] {
  const students = (source.data as { students?: unknown } | null | undefined)?.students;
  if (!Array.isArray(students)) return [];
  return students.flatMap((entry: unknown, index): Problem[] => {
    const inMap = typeof entry === 'object' && entry !== null;
    const name = inMap ? (entry as { name?: unknown }).name : entry;
    if (typeof name !== 'string') return [];
    const runOn = source.runOnLine(inMap ? ['students', index, 'name'] : ['students', index]);
    if (!runOn) return [];
    const first = source.locate(['students', index]).line;
    const dash = /^-\s/.test(runOn.text);
    return [
      {
        at: { file: source.file, path: ['students', index], position: runOn.at },
        message: dash
          ? `is read as the rest of the name on line ${first}, ${JSON.stringify(name)}: this "-" is indented deeper than the one above it, so YAML starts no new student here`
          : `is read as the rest of the name on line ${first}, ${JSON.stringify(name)}: YAML joins the lines of a name`,
        hint: dash
          ? `line this "-" up with the "-" on line ${first}`
          : `write the name on one line, or start this line with "- " lined up with the "-" on line ${first}`,
      },
    ];
  });
}
