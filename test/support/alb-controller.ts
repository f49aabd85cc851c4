import type { KubeObject } from './repo';

const CONTROLLER = 'ingress.k8s.aws/alb';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const GROUP_ANNOTATION = 'alb.ingress.kubernetes.io/group.name';

/**
 * The IngressGroup aws-load-balancer-controller v2.14.1 puts an Ingress in, or undefined where it
 * leaves the Ingress alone (pkg/ingress/group_loader.go classifyIngress and loadGroupID,
 * class_annotation_matcher.go, class_loader.go). The annotation kubernetes.io/ingress.class
 * outranks spec.ingressClassName and is matched against the controller's --ingress-class alone
 * (empty: "alb"); otherwise the IngressClass must exist and name the controller, and with neither
 * only an empty flag takes the Ingress. The group: the class's IngressClassParams group (never
 * read for an Ingress classified by annotation), else the annotation group.name, else the
 * Ingress alone.
 */
export function albGroupOf(
  ingress: KubeObject,
  flag: string,
  classes: readonly KubeObject[],
  params: readonly KubeObject[],
): string | undefined {
  const annotations: Record<string, string> = ingress.metadata.annotations ?? {};
  const own = annotations[GROUP_ANNOTATION] ?? `${ingress.metadata.namespace}/${ingress.metadata.name}`;
  if (CLASS_ANNOTATION in annotations) {
    return annotations[CLASS_ANNOTATION] === (flag === '' ? 'alb' : flag) ? own : undefined;
  }
  const className: string | undefined = ingress.spec.ingressClassName;
  if (className === undefined) return flag === '' ? own : undefined;
  const ingressClass = classes.find((c) => c.metadata.name === className);
  if (ingressClass?.spec.controller !== CONTROLLER) return undefined;
  const parameters = ingressClass.spec.parameters;
  const group = parameters && params.find((p) => p.metadata.name === parameters.name)?.spec.group?.name;
  return group ?? own;
}
