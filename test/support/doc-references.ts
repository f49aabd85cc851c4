import * as fs from 'fs';
import * as path from 'path';

// What the docs name that must exist: the npm scripts their commands run, and the files (and
// headings) their relative links point at.

/** The npm scripts a Markdown text runs: `npm run <script>` (with or without `-- args`) and `npm test`. */
export function npmScriptsNamed(markdown: string): string[] {
  const scripts = new Set<string>();
  for (const m of markdown.matchAll(/\bnpm\s+run\s+([A-Za-z0-9][\w:.-]*)/g)) scripts.add(m[1].replace(/[.:]+$/, ''));
  for (const m of markdown.matchAll(/\bnpm\s+(test|start|stop|restart)\b/g)) scripts.add(m[1]);
  return [...scripts].sort();
}

export interface Link {
  /** The file the link names, relative to the Markdown file; '' for a link within the same file. */
  readonly file: string;
  /** The heading anchor after `#`, if any. */
  readonly anchor?: string;
}

/** The relative links of a Markdown text (inline `[text](target)`), outside code; URLs with a scheme are left out. */
export function relativeLinks(markdown: string): Link[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const links: Link[] = [];
  for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [file, anchor] = target.split('#', 2);
    links.push(anchor === undefined ? { file } : { file, anchor });
  }
  return links;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown text's headings (outside code blocks). */
export function headingAnchors(markdown: string): Set<string> {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => headingAnchor(m[1])));
}

/**
 * What a Markdown file names that does not exist: npm scripts missing from `scripts`, and links
 * to files or headings that are not there. Each problem names the file and what it names.
 */
export function brokenReferences(file: string, scripts: Record<string, string>): string[] {
  const markdown = fs.readFileSync(file, 'utf8');
  const problems: string[] = [];
  for (const script of npmScriptsNamed(markdown)) {
    if (!(script in scripts)) problems.push(`${file}: npm script "${script}" is not in package.json`);
  }
  for (const link of relativeLinks(markdown)) {
    const target = link.file === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(link.file));
    if (!fs.existsSync(target)) {
      problems.push(`${file}: link to ${link.file}, which does not exist`);
    } else if (
      link.anchor !== undefined &&
      target.endsWith('.md') &&
      !headingAnchors(fs.readFileSync(target, 'utf8')).has(link.anchor)
    ) {
      problems.push(`${file}: link to ${link.file}#${link.anchor}, a heading that does not exist`);
    }
  }
  return problems;
}
