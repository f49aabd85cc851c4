import { compareText } from '../common/problems';
import { ARGOCD_MANIFEST_LIMIT_MB } from '../facts/argocd';

const HEADROOM = 0.5;

/** Bytes and objects per course Application folder (`dist/<cluster>/courses/<course>`), added up file by file as synth writes them. */
export class ApplicationSizes {
  readonly bytes = new Map<string, number>();
  readonly objects = new Map<string, number>();
  /** Objects in every file added, in course folders or not. */
  objectCount = 0;

  /** Counts a file of `objects` objects in `bytes` UTF-8 bytes at `path`. */
  add(path: string, bytes: number, objects: number): void {
    this.objectCount += objects;
    const folder = /^(dist\/[^/]+\/courses\/[^/]+)\//.exec(path)?.[1];
    if (!folder) return;
    this.bytes.set(folder, (this.bytes.get(folder) ?? 0) + bytes);
    this.objects.set(folder, (this.objects.get(folder) ?? 0) + objects);
  }
}

/** One problem line per Application folder that is too large, naming the fix. */
export function oversizedApplications(sizes: ApplicationSizes): string[] {
  const allowed = ARGOCD_MANIFEST_LIMIT_MB * 2 ** 20 * HEADROOM;
  return [...sizes.bytes]
    .sort(([a], [b]) => compareText(a, b))
    .filter(([, size]) => size > allowed)
    .map(
      ([folder, size]) =>
        `${folder}  is ${(size / 2 ** 20).toFixed(1)} MB of manifests; ArgoCD renders at most ${ARGOCD_MANIFEST_LIMIT_MB} MB per ` +
        `Application and dojo keeps half of that as headroom (${(allowed / 2 ** 20).toFixed(0)} MB)\n` +
        '    hint: split the course into two course files (fewer students each), or raise the limit in ArgoCD and in lib/facts/argocd.ts',
    );
}
