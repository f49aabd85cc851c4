import type { ApplicationSpecSyncPolicy } from '../../imports/argocd-argoproj.io';

/** Deleting an Application deletes what it deployed: removing a course from git removes it. */
export const FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Without it, every commit invalidates the manifest cache of every Application of the repo. */
export const MANIFEST_GENERATE_PATHS = 'argocd.argoproj.io/manifest-generate-paths';

/** Git is the truth: prune what left git, undo changes made behind ArgoCD's back, retry with backoff. */
export function argoSyncPolicy(): ApplicationSpecSyncPolicy {
  return {
    automated: { prune: true, selfHeal: true },
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
  };
}
