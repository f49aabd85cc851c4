/** The plan of where pods may open connections: NetworkPolicy egress rules as plain data. */

/** A destination: an address range, or pods of a namespace (all of them, or those with these labels). */
export type EgressPeer =
  | { readonly ipBlock: { readonly cidr: string; readonly except?: readonly string[] } }
  | { readonly namespace: string; readonly podLabels?: Readonly<Record<string, string>> }
  | { readonly sameNamespace: true };

export interface EgressPort {
  readonly protocol: 'TCP' | 'UDP';
  readonly port: number;
}

/** Connections to any of `to`, on any of `ports` (every port when there are none). */
export interface EgressRule {
  /** Why the rule is there, for the reader of the plan and of its tests. */
  readonly purpose: string;
  readonly to: readonly EgressPeer[];
  readonly ports?: readonly EgressPort[];
}
