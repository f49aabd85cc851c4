/** The plan of a course's service mesh (lib/plan/mesh/mesh.ts). */

/** One of a student's gateways: a Deployment the injector turns into an Envoy, and its Service. */
export interface MeshGatewayPlan {
  /** Deployment, ServiceAccount and Service name. */
  readonly name: string;
  /** The pods' labels, which the katas' Gateway selectors name; no `dojo.training/` label (admission). */
  readonly labels: Readonly<Record<string, string>>;
  /** The Service's ports; each targets the same port of the pod. */
  readonly ports: readonly { readonly name: string; readonly port: number }[];
  readonly resources: {
    readonly requests: Readonly<Record<string, string>>;
    readonly limits: Readonly<Record<string, string>>;
  };
}

/** A student's part of the mesh. */
export interface StudentMeshPlan {
  /** Labels of the student's namespace: the injector's selector. */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  /** The ClusterRole bound in the namespace: the Istio kinds the student may write. */
  readonly role: string;
  /** The ClusterRole bound to each gateway's account in the namespace: its Secrets, for `credentialName`. */
  readonly gatewayRole: string;
  readonly gateways: readonly MeshGatewayPlan[];
  /** `mesh-<student>.<course>.<contentDomain>`: the student's ingress gateway over HTTPS. */
  readonly address: string;
  /** The route from the address to the ingress gateway. */
  readonly ingress: {
    readonly service: string;
    readonly port: number;
    /** The Host header the gateway sees instead of the address (`mesh.gatewayHost`). */
    readonly rewriteHost?: string;
  };
}

/** A ClusterRole of the platform that mesh namespaces bind. */
export interface MeshRolePlan {
  readonly name: string;
  readonly rules: readonly {
    readonly apiGroups: readonly string[];
    readonly resources: readonly string[];
    readonly verbs: readonly string[];
  }[];
}

/** The platform's part of the mesh on a cluster with a mesh course. */
export interface ClusterMeshPlan {
  /** The students' rights on the Istio kinds. */
  readonly studentRole: MeshRolePlan;
  /** The gateways' reading of their namespace's Secrets. */
  readonly gatewayRole: MeshRolePlan;
}
