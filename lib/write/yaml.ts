import { stringify } from 'yaml';

/**
 * Multi-document YAML. Written with the YAML 1.1 schema because Kubernetes, kubectl and
 * ArgoCD read YAML 1.1, where an unquoted `yes`, `on` or `no` is a boolean: the label
 * `sysbox-install: "yes"` must stay a string. No line folding, so a long value never
 * reflows and a diff shows only what changed.
 */
export function toYamlStream(documents: readonly unknown[]): string {
  return documents.map((doc) => stringify(doc, { lineWidth: 0, version: '1.1' })).join('---\n');
}
