import { dump } from 'js-yaml';

/**
 * Multi-document YAML. js-yaml quotes every string that YAML 1.1 would read as something
 * else (Kubernetes, kubectl and ArgoCD read YAML 1.1, where an unquoted `yes`, `on` or `n`
 * is a boolean: the label `sysbox-install: "yes"` must stay a string). No line folding, so
 * a long value never reflows and a diff shows only what changed. js-yaml rather than the
 * `yaml` package (used for reading, for its source positions) because emission is most of
 * synth's time and js-yaml emits about four times faster.
 */
export function toYamlStream(documents: readonly unknown[]): string {
  return documents.map((doc) => dump(doc, { lineWidth: -1, noRefs: true, quotingType: '"' })).join('---\n');
}
