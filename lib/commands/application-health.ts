/**
 * Whether a cluster's ArgoCD Applications are all where dojo wants them (Synced and Healthy),
 * and, for those that are not, why, in ArgoCD's own words: the health message, the last sync's
 * result, the Application's conditions and its resources that are not Healthy. Pure: the
 * Applications come from `scripts/check-cluster.ts`, or from recorded objects in tests.
 */

/** The part of an ArgoCD Application (argoproj.io/v1alpha1) that says how it is doing. */
export interface ApplicationStatus {
  readonly metadata: { readonly name: string };
  readonly status?: {
    readonly sync?: { readonly status?: string };
    readonly health?: { readonly status?: string; readonly message?: string };
    readonly operationState?: { readonly phase?: string; readonly message?: string };
    readonly conditions?: readonly { readonly type?: string; readonly message?: string }[];
    readonly resources?: readonly {
      readonly kind?: string;
      readonly namespace?: string;
      readonly name?: string;
      readonly health?: { readonly status?: string; readonly message?: string };
    }[];
  };
}

export interface ApplicationReport {
  /** Every expected Application is there, Synced and Healthy. */
  readonly ready: boolean;
  /** One line per expected Application, followed by indented reasons for those not ready. */
  readonly lines: readonly string[];
}

/** How many unhealthy resources to name per Application: the first few say where to look. */
const RESOURCES_SHOWN = 5;

export function applicationReport(expected: readonly string[], applications: readonly ApplicationStatus[]): ApplicationReport {
  const byName = new Map(applications.map((a) => [a.metadata.name, a]));
  const width = Math.max(...expected.map((name) => name.length));
  let ready = true;
  const lines = expected.flatMap((name) => {
    const app = byName.get(name);
    const label = name.padEnd(width);
    if (!app) {
      ready = false;
      return [`${label}  missing: the root Application has not made it yet (or its sync failed; see dojo-<cluster>)`];
    }
    const sync = app.status?.sync?.status ?? 'Unknown';
    const health = app.status?.health?.status ?? 'Unknown';
    if (sync === 'Synced' && health === 'Healthy') return [`${label}  Synced  Healthy`];
    ready = false;
    return [`${label}  ${sync}  ${health}`, ...reasons(app).map((reason) => `${' '.repeat(width)}    ${reason}`)];
  });
  return { ready, lines };
}

function reasons(app: ApplicationStatus): string[] {
  const status = app.status ?? {};
  const result: string[] = [];
  if (status.health?.message) result.push(`health: ${status.health.message}`);
  const operation = status.operationState;
  if (operation?.phase && operation.phase !== 'Succeeded') {
    result.push(`last sync ${operation.phase}${operation.message ? `: ${operation.message}` : ''}`);
  }
  for (const condition of status.conditions ?? []) result.push(`${condition.type ?? 'condition'}: ${condition.message ?? ''}`);
  const unhealthy = (status.resources ?? []).filter((r) => r.health?.status && r.health.status !== 'Healthy');
  for (const r of unhealthy.slice(0, RESOURCES_SHOWN)) {
    const where = r.namespace ? `${r.namespace}/${r.name}` : r.name;
    result.push(`${r.kind} ${where}: ${r.health!.status}${r.health!.message ? ` (${r.health!.message})` : ''}`);
  }
  if (unhealthy.length > RESOURCES_SHOWN) result.push(`and ${unhealthy.length - RESOURCES_SHOWN} more resources not Healthy`);
  return result;
}
