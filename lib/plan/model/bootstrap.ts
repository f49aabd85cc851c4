/** The plan of what a platform engineer runs once to make a cluster. */

export interface BootstrapPlan {
  readonly cluster: string;
  readonly region: string;
  /** One of the template's examples (`example: true`): its placeholders make no cluster, and the script says so. */
  readonly example: boolean;
  /** ArgoCD's namespace. */
  readonly argocdNamespace: string;
  /** The Karpenter version whose CloudFormation template makes the controller's IAM. */
  readonly karpenterVersion: string;
  /** The VPC the cluster file gives aws-load-balancer-controller (`aws.vpcId`), if it gives one. */
  readonly vpcId?: string;
  /**
   * The subnets synth takes the load balancers to live in, which must be the public subnets of
   * the VPC eksctl makes: alb mode, the sources workstations accept; gateway mode, the peers
   * whose proxy protocol header Traefik believes.
   */
  readonly loadBalancerSubnets: { readonly mode: 'gateway' | 'alb'; readonly ranges: readonly string[] };
  /** bootstrap/<cluster>/eksctl.yaml */
  readonly clusterConfig: Record<string, unknown>;
  /** bootstrap/<cluster>/argocd-values.yaml */
  readonly argocdValues: Record<string, unknown>;
}
