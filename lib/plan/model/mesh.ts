/** The plan of a course's service mesh (lib/plan/mesh/mesh.ts). */

/** A container's requests and limits, as quantities ("20m", "64Mi"). */
export interface ContainerResources {
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
}

/** One of a student's gateways: a Deployment the injector turns into an Envoy, and its Service. */
export interface MeshGatewayPlan {
  /** Deployment, ServiceAccount and Service name. */
  readonly name: string;
  /** The pods' labels, which the katas' Gateway selectors name; no `dojo.training/` label (admission). */
  readonly labels: Readonly<Record<string, string>>;
  /** The Service's ports; each targets the same port of the pod. */
  readonly ports: readonly { readonly name: string; readonly port: number }[];
  readonly resources: ContainerResources;
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
  /** The student's Kiali, Prometheus and Jaeger; undefined when the course turns them off. */
  readonly observability?: StudentObservabilityPlan;
}

/** One observability tool in a student's namespace: a Deployment, its configuration and its Service. */
export interface MeshToolPlan {
  /** Deployment, ServiceAccount, ConfigMap and Service name. */
  readonly name: string;
  /** What the slip calls it. */
  readonly title: string;
  readonly image: string;
  /** The container's command, where the image's entrypoint is not the tool. */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** The ConfigMap's files and where the container reads them. */
  readonly config: { readonly mountPath: string; readonly files: Readonly<Record<string, string>> };
  /** An emptyDir the tool writes its data to (the root filesystem is read-only). */
  readonly data?: { readonly mountPath: string };
  /** The Service's ports, each the same port of the pod; the first is the UI. */
  readonly ports: readonly { readonly name: string; readonly port: number }[];
  /** The container's readiness and liveness: HTTP paths on one of its ports. */
  readonly health: { readonly ready: string; readonly live: string; readonly port: number };
  /** A URL that must answer before the tool starts, asked by an init container of `image` (which has wget). */
  readonly waitsFor?: {
    readonly url: string;
    readonly image: string;
    readonly runAsUser: number;
    readonly resources: ContainerResources;
  };
  /** The container's user, where the image names it by name only. */
  readonly runAsUser?: number;
  /** A ClusterRole bound to the tool's account in its namespace; without one the pod gets no token. */
  readonly role?: string;
  readonly resources: ContainerResources;
  /** The app address of the UI's port, which the student's port-forward serves. */
  readonly address: string;
}

/** A student's observability tools and where their sidecars send spans. */
export interface StudentObservabilityPlan {
  readonly tools: readonly MeshToolPlan[];
  /** The namespace's Telemetry object: every request traced to the student's own Jaeger. */
  readonly tracing: {
    readonly telemetry: string;
    readonly provider: string;
    readonly samplingPercentage: number;
    /** Its sync wave inside the course's Application: after the namespace's quota. */
    readonly syncWave: string;
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
  /** The students' Prometheus: the pods of its namespace. */
  readonly prometheusRole: MeshRolePlan;
  /** The students' Kiali: what it shows of its namespace. */
  readonly kialiRole: MeshRolePlan;
}
