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
