import { stringify } from 'yaml';

/**
 * Multi-document YAML. No line folding, so a long value never reflows and a diff shows
 * only what changed.
 */
export function toYamlStream(documents: readonly unknown[]): string {
  return documents.map((doc) => stringify(doc, { lineWidth: 0 })).join('---\n');
}
