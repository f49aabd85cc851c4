import { compareText } from '../problems';
/**
 * ArgoCD's repo-server refuses to render a directory Application whose manifests together
 * pass `--max-combined-directory-manifests-size` (10M by default; bootstrap step 6 raises it to
 * ARGOCD_MANIFEST_LIMIT_MB). A course folder grows by about 18 KB a student, so a large course
 * would never sync, and nothing in ArgoCD says why until the class starts. 200M also stays within
 * the repo-server's gRPC message limit (ARGOCD_GRPC_MAX_SIZE_MB, 200 by default). Synth checks every
 * Application's folder against half the limit: the other half is headroom for growth between
 * checks (a new field, a longer host name) and for ArgoCD's own overhead.
 */
export const ARGOCD_MANIFEST_LIMIT_MB = 200;
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
        '    hint: split the course into two course files (fewer students each), or raise the limit in ArgoCD and in lib/plan/application-size.ts',
    );
}
