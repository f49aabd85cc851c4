/** The plan of the admission rules every object in a student namespace must pass. */

export interface ResourceRule {
  /**
   * Always Namespaced: a namespaceSelector never skips cluster-scoped objects, so a rule of
   * any scope would judge every Node and Namespace too.
   */
  readonly scope: 'Namespaced';
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly ('CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT')[];
}

export interface AdmissionPolicyPlan {
  readonly name: string;
  /** What the policy is for, in one line (an annotation on the object). */
  readonly description: string;
  readonly resourceRules: readonly ResourceRule[];
  /** Namespaces the binding applies the policy in. */
  readonly namespaceSelector: Readonly<Record<string, string>>;
  /** Requests the policy leaves alone (the platform's own), as CEL that is true for the rest. */
  readonly matchConditions: readonly { readonly name: string; readonly expression: string }[];
  readonly variables: readonly { readonly name: string; readonly expression: string }[];
  readonly validations: readonly { readonly expression: string; readonly messageExpression: string }[];
}
