/**
 * The admission policy every object in a student namespace passes: plain data (CEL text and
 * match rules) for ValidatingAdmissionPolicies, built into Kubernetes since 1.30 (v1), so no
 * admission controller of our own runs. The tests evaluate exactly these expressions with a
 * CEL library against an attack corpus and the katas' objects.
 *
 * What a student may do is the katas' needs (docs/security-model.md); what reaches beyond
 * their own space is denied: hosts outside `<name>-<student>.<course>.<contentDomain>`, steering of
 * the shared proxy, load balancers or DNS, scheduling onto platform nodes or above the
 * workstations, long-lived tokens, and bindings to anyone outside the namespace.
 */
import { AWS_SERVICE_ACCOUNTS, SYSTEM_NODES } from '../addons/addons';
import { LABELS } from '../model/object-names';
import { WORKSTATION_TAINT_KEY } from '../nodes/plan-nodes';
import { SYSBOX } from '../nodes/sysbox';
import { KATA_PRIORITY_CLASSES } from '../model/platform-classes';
import { KATA_INGRESS_CLASS } from '../routing/hosts';
import type { ResourceRule, AdmissionPolicyPlan } from '../model/admission';
import { EXPORTED_KINDS, MESH_REFUSED_KINDS, SERVICE_EXPORT_ANNOTATION } from '../mesh/mesh';

/** Namespace label that marks a student namespace; students cannot change namespace labels. */
export const STUDENT_NAMESPACE_SELECTOR = { [LABELS.component]: 'student-namespace' } as const;
/** Labels with this prefix are the platform's: no student object may carry one. */
export const PLATFORM_LABEL_PREFIX = 'dojo.training/';
/** Set on the student namespaces of an archived course: nothing of the student's may change there. */
export const ARCHIVED_LABEL = 'dojo.training/archived';

/**
 * Taints of nodes that belong to the platform, from where each is set: a student pod may
 * tolerate none of them.
 */
export const PLATFORM_TAINT_KEYS = [WORKSTATION_TAINT_KEY, SYSBOX.startupTaint.key, SYSTEM_NODES.taint.key] as const;
/** Taint key prefixes of the platform and of Karpenter's node lifecycle. */
export const PLATFORM_TAINT_PREFIXES = ['dojo.training/', 'karpenter.sh/', 'karpenter.k8s.aws/'] as const;

/**
 * Annotation prefixes that steer the shared proxy, a load balancer or DNS. A student's
 * object may carry none of them; `kubernetes.io/ingress.class: alb`, which the katas use,
 * stays allowed.
 */
export const STEERING_ANNOTATION_PREFIXES = [
  'external-dns.alpha.kubernetes.io/',
  'traefik.ingress.kubernetes.io/',
  'traefik.io/',
  'alb.ingress.kubernetes.io/',
  'ingress.kubernetes.io/',
  'nginx.ingress.kubernetes.io/',
] as const;

/**
 * Annotations of a LoadBalancer Service that aws-load-balancer-controller (v2.14) and the
 * in-tree AWS provider read: certificates, security groups, EIPs, subnets, access logs, target
 * types, the scheme. A student's load balancer takes dojo's defaults; none of these.
 */
export const SERVICE_LOAD_BALANCER_ANNOTATION_PREFIX = 'service.beta.kubernetes.io/';

/**
 * The class aws-load-balancer-controller's Service webhook gives a LoadBalancer Service (v2.14,
 * `loadBalancerClass` default `service.k8s.aws/nlb`): a student's Service may carry it, not another
 * one that hands the Service to a controller of the platform's.
 */
export const STUDENT_LOAD_BALANCER_CLASS = 'service.k8s.aws/nlb';

/**
 * Karpenter (v1.8) never drains a node that holds a pod with this annotation, nor one whose
 * pods' PodDisruptionBudgets allow no eviction: on shared nodes, a student's pod would keep a
 * node of the class up all night.
 */
export const DO_NOT_DISRUPT_ANNOTATION = 'karpenter.sh/do-not-disrupt';

/**
 * The ALB annotations the katas' Ingresses carry (kubernetes-katas deployments-ingress:
 * scheme and listen-ports), and a few more that shape only the Ingress's own ALB. In alb
 * mode they make the kata's ALB internet-facing on HTTPS; in gateway mode nothing reads them.
 * Never `group.*` (joining another ALB), subnets, security groups or inbound CIDRs.
 */
export const KATA_ALB_ANNOTATIONS = [
  'alb.ingress.kubernetes.io/scheme',
  'alb.ingress.kubernetes.io/listen-ports',
  'alb.ingress.kubernetes.io/target-type',
  'alb.ingress.kubernetes.io/healthcheck-path',
  'alb.ingress.kubernetes.io/success-codes',
  'alb.ingress.kubernetes.io/ssl-redirect',
  'alb.ingress.kubernetes.io/backend-protocol',
] as const;

/**
 * Bounds on what a student's object may carry, beside the counts of the quota: together they
 * bound what one student can keep in etcd, and make a rewrite loop cheap for it (each revision
 * is kept until the API server compacts, every 5 minutes). The katas' objects are far below:
 * their largest ConfigMap is a few KiB. Secrets stay at the API's own limit: Helm keeps each
 * release in one (a chart of a few hundred KiB).
 */
export const OBJECT_SIZE_LIMITS = {
  labels: 64,
  annotationBytes: 64 * 1024,
  configMapBytes: 256 * 1024,
  binaryDataKeys: 8,
  binaryDataBytesPerKey: 64 * 1024,
  eventMessageBytes: 1024,
} as const;

export interface AdmissionInputs {
  /**
   * The cluster's content domain: student hosts are `<name>-<student>.<course>.<contentDomain>`,
   * never under the logins' domain (lib/plan/routing/content-domain.ts).
   */
  readonly contentDomain: string;
  /** ArgoCD's namespace: its application controller applies dist/, which passes no student rule. */
  readonly argocdNamespace: string;
  readonly routingMode: 'gateway' | 'alb';
  /**
   * A course of the cluster has a service mesh: its students write Istio objects.
   * @default false
   */
  readonly mesh?: boolean;
}

/** CEL string literal. */
function str(value: string): string {
  return JSON.stringify(value);
}

function list(values: readonly string[]): string {
  return `[${values.map(str).join(', ')}]`;
}

const CREATE_UPDATE: ResourceRule['operations'] = ['CREATE', 'UPDATE'];

/** The policies of a cluster, in a stable order. */
export function planAdmissionPolicies(inputs: AdmissionInputs): AdmissionPolicyPlan[] {
  const notPlatform = {
    name: 'not-the-platform',
    // ArgoCD applies what is in dist/: the student's quota, policies and their admin binding.
    expression: `request.userInfo.username != ${str(`system:serviceaccount:${inputs.argocdNamespace}:argocd-application-controller`)}`,
  };
  const studentVariables = [
    { name: 'student', expression: `namespaceObject.metadata.labels[${str(LABELS.student)}]` },
    { name: 'course', expression: `namespaceObject.metadata.labels[${str(LABELS.course)}]` },
  ];
  const annotations = 'object.metadata.annotations';
  const noSteering = (allowed: readonly string[]) =>
    `!has(${annotations}) || ${annotations}.all(k, ${list(allowed)}.exists(a, k == a) || !${list(STEERING_ANNOTATION_PREFIXES)}.exists(p, k.startsWith(p)))`;
  const hostSuffix = `"-" + variables.student + "." + variables.course + "." + variables.contentDomain`;
  // A host of the student's own space: one DNS label `<name>-<student>` under the course's
  // content domain, where <name> is not all digits (`<port>-<student>` are the workstation's
  // app hosts). Nothing under the logins' domain: a page there is same-site with the IDEs.
  const ownHost = (h: string) =>
    `(${h}.endsWith(variables.hostSuffix) && ${h}.size() > variables.hostSuffix.size() && ` +
    `${h}.substring(0, ${h}.size() - variables.hostSuffix.size()).matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") && ` +
    `!${h}.substring(0, ${h}.size() - variables.hostSuffix.size()).matches("^[0-9]+$"))`;
  const hostMessage = `"hosts must be <name>-" + variables.student + "." + variables.course + "." + variables.contentDomain + " (one DNS label, <name> not only digits)"`;

  const podSpec =
    'object.kind == "Pod" ? object.spec : (object.kind == "CronJob" ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec)';
  // The pod's own annotations (a pod template's for a workload), {} where it has none.
  const podAnnotations =
    'object.kind == "Pod" ? (has(object.metadata.annotations) ? object.metadata.annotations : {}) : ' +
    '(object.kind == "CronJob" ? (has(object.spec.jobTemplate.spec.template.metadata) && has(object.spec.jobTemplate.spec.template.metadata.annotations) ? object.spec.jobTemplate.spec.template.metadata.annotations : {}) : ' +
    '(has(object.spec.template.metadata) && has(object.spec.template.metadata.annotations) ? object.spec.template.metadata.annotations : {}))';
  const common = { namespaceSelector: STUDENT_NAMESPACE_SELECTOR, matchConditions: [notPlatform] };

  const policies: AdmissionPolicyPlan[] = [
    {
      name: 'dojo-student-ingresses',
      description: "Students' Ingresses serve only hosts of their own space, through the katas' class, steering nothing.",
      resourceRules: [
        {
          scope: 'Namespaced',
          apiGroups: ['networking.k8s.io'],
          apiVersions: ['v1'],
          resources: ['ingresses'],
          operations: CREATE_UPDATE,
        },
      ],
      ...common,
      variables: [
        ...studentVariables,
        // A variable of its own: scripts/check-isolation.sh reads the content domain from it.
        { name: 'contentDomain', expression: str(inputs.contentDomain) },
        { name: 'hostSuffix', expression: hostSuffix },
      ],
      validations: [
        {
          expression: '!has(object.spec.defaultBackend)',
          messageExpression: '"an Ingress may not have a defaultBackend: give each rule a host of your own"',
        },
        {
          expression: 'has(object.spec.rules) && object.spec.rules.size() > 0 && object.spec.rules.all(r, has(r.host))',
          messageExpression: `"every rule needs a host: " + ${hostMessage}`,
        },
        {
          expression: `!has(object.spec.rules) || object.spec.rules.all(r, !has(r.host) || ${ownHost('r.host')})`,
          messageExpression: hostMessage,
        },
        {
          expression: `!has(object.spec.tls) || object.spec.tls.all(t, !has(t.hosts) || t.hosts.all(h, ${ownHost('h')}))`,
          messageExpression: `"tls " + ${hostMessage}`,
        },
        {
          // Traefik v3.6.6 adds the certificate of a referenced Secret to the store it serves every
          // host from by SNI: a student's certificate naming another student's IDE host would be
          // served there. The proxy serves the course certificate for the student's own hosts.
          expression: '!has(object.spec.tls) || object.spec.tls.all(t, !has(t.secretName))',
          messageExpression:
            '"spec.tls[].secretName is not available to students: the proxy serves the course certificate for your hosts"',
        },
        {
          expression: `!has(object.spec.ingressClassName) || object.spec.ingressClassName == ${str(KATA_INGRESS_CLASS)}`,
          messageExpression: `"the only IngressClass for students is ${KATA_INGRESS_CLASS}"`,
        },
        {
          expression: `!has(${annotations}) || !("kubernetes.io/ingress.class" in ${annotations}) || ${annotations}["kubernetes.io/ingress.class"] == ${str(KATA_INGRESS_CLASS)}`,
          messageExpression: `"the only ingress class for students is ${KATA_INGRESS_CLASS}"`,
        },
        {
          expression: noSteering(KATA_ALB_ANNOTATIONS),
          messageExpression: `"annotations that steer the proxy, load balancers or DNS are the platform's: " + ${list(STEERING_ANNOTATION_PREFIXES)}.filter(p, ${annotations}.exists(k, k.startsWith(p))).join(", ")`,
        },
      ],
    },
    {
      name: 'dojo-student-services',
      description: "Students' Services reach only their own pods and steer no DNS or proxy.",
      resourceRules: [
        { scope: 'Namespaced', apiGroups: [''], apiVersions: ['v1'], resources: ['services'], operations: CREATE_UPDATE },
      ],
      ...common,
      variables: [],
      validations: [
        {
          // CVE-2020-8554: an external IP intercepts that address's traffic for the whole cluster.
          expression: '!has(object.spec.externalIPs) || object.spec.externalIPs.size() == 0',
          messageExpression: '"externalIPs would capture other traffic of the cluster: use type NodePort or LoadBalancer"',
        },
        {
          // The shared proxy may reach workstations: a name it resolved for a student could point it at one.
          expression: '!has(object.spec.type) || object.spec.type != "ExternalName"',
          messageExpression: '"ExternalName Services are not available to students"',
        },
        {
          expression: noSteering([]),
          messageExpression: `"annotations that steer the proxy, load balancers or DNS are the platform's"`,
        },
        {
          expression: `!has(${annotations}) || !${annotations}.exists(k, k.startsWith(${str(SERVICE_LOAD_BALANCER_ANNOTATION_PREFIX)}))`,
          messageExpression: `"${SERVICE_LOAD_BALANCER_ANNOTATION_PREFIX}* annotations shape the cluster's load balancers (certificates, security groups, addresses): a student's load balancer takes the platform's defaults"`,
        },
        {
          expression: `!has(object.spec.loadBalancerClass) || object.spec.loadBalancerClass == ${str(STUDENT_LOAD_BALANCER_CLASS)}`,
          messageExpression: `"loadBalancerClass hands the Service to another controller: leave it out"`,
        },
        {
          expression: '!has(object.spec.loadBalancerIP) || object.spec.loadBalancerIP == ""',
          messageExpression: '"loadBalancerIP is not available to students: the load balancer gets its own address"',
        },
      ],
    },
    {
      name: 'dojo-student-endpoints',
      description: 'Only Kubernetes fills Endpoints: a hand-made one could point the shared proxy at any address.',
      resourceRules: [
        { scope: 'Namespaced', apiGroups: [''], apiVersions: ['v1'], resources: ['endpoints'], operations: CREATE_UPDATE },
        {
          scope: 'Namespaced',
          apiGroups: ['discovery.k8s.io'],
          apiVersions: ['v1'],
          resources: ['endpointslices'],
          operations: CREATE_UPDATE,
        },
      ],
      namespaceSelector: STUDENT_NAMESPACE_SELECTOR,
      matchConditions: [
        notPlatform,
        { name: 'not-kubernetes', expression: '!request.userInfo.username.startsWith("system:serviceaccount:kube-system:")' },
      ],
      variables: [],
      validations: [{ expression: 'false', messageExpression: '"Endpoints are made by Kubernetes from a Service\'s selector"' }],
    },
    {
      name: 'dojo-student-pods',
      description: "Students' pods run on the students' nodes, below the workstations, with the cluster's runtime.",
      resourceRules: [
        {
          scope: 'Namespaced',
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['pods', 'replicationcontrollers'],
          operations: CREATE_UPDATE,
        },
        {
          scope: 'Namespaced',
          apiGroups: ['apps'],
          apiVersions: ['v1'],
          resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
          operations: CREATE_UPDATE,
        },
        {
          scope: 'Namespaced',
          apiGroups: ['batch'],
          apiVersions: ['v1'],
          resources: ['jobs', 'cronjobs'],
          operations: CREATE_UPDATE,
        },
      ],
      ...common,
      variables: [
        { name: 'podSpec', expression: podSpec },
        { name: 'podAnnotations', expression: podAnnotations },
      ],
      validations: [
        {
          // The scheduler sets nodeName through the binding subresource; updates of a bound pod keep it.
          expression: '!has(variables.podSpec.nodeName) || (object.kind == "Pod" && request.operation == "UPDATE")',
          messageExpression: '"nodeName skips the scheduler: let it choose a node"',
        },
        {
          expression: `!has(variables.podSpec.tolerations) || variables.podSpec.tolerations.all(t, has(t.key) && t.key != "" && !(t.key in ${list(PLATFORM_TAINT_KEYS)}) && !${list(PLATFORM_TAINT_PREFIXES)}.exists(p, t.key.startsWith(p)))`,
          messageExpression: '"tolerations of the platform\'s taints (or of every taint) are not available to students"',
        },
        {
          expression: `!has(variables.podSpec.priorityClassName) || variables.podSpec.priorityClassName in ${list(KATA_PRIORITY_CLASSES.map((p) => p.name))}`,
          messageExpression: `"priorityClassName must be one of ${KATA_PRIORITY_CLASSES.map((p) => p.name).join(', ')}"`,
        },
        {
          expression: `!(${str(DO_NOT_DISRUPT_ANNOTATION)} in variables.podAnnotations)`,
          messageExpression: `"${DO_NOT_DISRUPT_ANNOTATION} would keep a shared node up all night: students' pods may be moved"`,
        },
        {
          expression: '!has(variables.podSpec.runtimeClassName)',
          messageExpression: "\"runtime classes are the workstations'; students' pods use the node's default runtime\"",
        },
      ],
    },
    {
      name: 'dojo-student-tokens',
      description: 'No long-lived ServiceAccount tokens: access ends with the course.',
      resourceRules: [
        { scope: 'Namespaced', apiGroups: [''], apiVersions: ['v1'], resources: ['secrets'], operations: CREATE_UPDATE },
        {
          scope: 'Namespaced',
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['serviceaccounts/token'],
          operations: ['CREATE'],
        },
      ],
      ...common,
      variables: [],
      validations: [
        {
          expression: 'object.kind != "Secret" || !has(object.type) || object.type != "kubernetes.io/service-account-token"',
          messageExpression: '"ServiceAccount token Secrets never expire: use kubectl create token"',
        },
        {
          expression:
            'object.kind != "TokenRequest" || !has(object.spec.expirationSeconds) || object.spec.expirationSeconds <= 86400',
          messageExpression: '"tokens may last at most 24h"',
        },
      ],
    },
    {
      name: 'dojo-student-bindings',
      description: 'RoleBindings grant view, edit, admin or a Role of the namespace, to its own ServiceAccounts only.',
      resourceRules: [
        {
          scope: 'Namespaced',
          apiGroups: ['rbac.authorization.k8s.io'],
          apiVersions: ['v1'],
          resources: ['rolebindings'],
          operations: CREATE_UPDATE,
        },
      ],
      ...common,
      variables: [],
      validations: [
        {
          expression:
            '!has(object.subjects) || object.subjects.all(s, s.kind == "ServiceAccount" && has(s.namespace) && s.namespace == request.namespace)',
          messageExpression: '"a RoleBinding may name only ServiceAccounts of this namespace"',
        },
        {
          expression: 'object.roleRef.kind == "Role" || object.roleRef.name in ["view", "edit", "admin"]',
          messageExpression: '"a RoleBinding may grant a Role of this namespace or the ClusterRoles view, edit or admin"',
        },
      ],
    },
    {
      name: 'dojo-student-labels',
      description: "dojo's labels mark the platform's objects: selectors, DNS and the class board rely on them.",
      resourceRules: [{ scope: 'Namespaced', apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: CREATE_UPDATE }],
      ...common,
      variables: [],
      validations: [
        {
          expression: `!has(object.metadata.labels) || !object.metadata.labels.exists(k, k.startsWith(${str(PLATFORM_LABEL_PREFIX)}))`,
          messageExpression: `"labels ${PLATFORM_LABEL_PREFIX}* belong to the platform"`,
        },
        {
          expression: `!has(${annotations}) || !${annotations}.exists(k, k.startsWith("external-dns.alpha.kubernetes.io/"))`,
          messageExpression: '"external-dns annotations belong to the platform"',
        },
      ],
    },
    {
      name: 'dojo-student-disruption-budgets',
      description: 'No PodDisruptionBudgets: on shared nodes they would keep a node up all night.',
      resourceRules: [
        {
          scope: 'Namespaced',
          apiGroups: ['policy'],
          apiVersions: ['v1'],
          resources: ['poddisruptionbudgets'],
          operations: CREATE_UPDATE,
        },
      ],
      ...common,
      variables: [],
      validations: [
        {
          // Karpenter (v1.8) drains a node only through the eviction API, which honours every budget.
          expression: 'false',
          messageExpression:
            '"PodDisruptionBudgets are not available to students: the nodes are shared and must drain at night (no kata needs one)"',
        },
      ],
    },
    {
      name: 'dojo-student-object-sizes',
      description: "Students' objects stay small: the cluster's etcd (8 GiB on EKS) is shared by every course.",
      resourceRules: [{ scope: 'Namespaced', apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: CREATE_UPDATE }],
      ...common,
      variables: [],
      validations: [
        {
          expression: `!has(object.metadata.labels) || object.metadata.labels.size() <= ${OBJECT_SIZE_LIMITS.labels}`,
          messageExpression: `"at most ${OBJECT_SIZE_LIMITS.labels} labels per object"`,
        },
        {
          // kubectl apply copies a whole ConfigMap or Secret into an annotation: the API server's own
          // 256 KiB bound on annotations holds those.
          expression: `!has(${annotations}) || object.kind in ["ConfigMap", "Secret"] || ${annotations}.map(k, k + ${annotations}[k]).join("").size() <= ${OBJECT_SIZE_LIMITS.annotationBytes}`,
          messageExpression: `"annotations may hold at most ${OBJECT_SIZE_LIMITS.annotationBytes / 1024} KiB"`,
        },
        {
          expression: `object.kind != "ConfigMap" || !has(object.data) || object.data.map(k, k + object.data[k]).join("").size() <= ${OBJECT_SIZE_LIMITS.configMapBytes}`,
          messageExpression: `"a ConfigMap may hold at most ${OBJECT_SIZE_LIMITS.configMapBytes / 1024} KiB of data"`,
        },
        {
          expression: `object.kind != "ConfigMap" || !has(object.binaryData) || (object.binaryData.size() <= ${OBJECT_SIZE_LIMITS.binaryDataKeys} && object.binaryData.all(k, object.binaryData[k].size() <= ${OBJECT_SIZE_LIMITS.binaryDataBytesPerKey}))`,
          messageExpression: `"a ConfigMap may hold at most ${OBJECT_SIZE_LIMITS.binaryDataKeys} binaryData entries of ${OBJECT_SIZE_LIMITS.binaryDataBytesPerKey / 1024} KiB"`,
        },
        {
          expression: `object.kind != "Event" || ((!has(object.message) || object.message.size() <= ${OBJECT_SIZE_LIMITS.eventMessageBytes}) && (!has(object.note) || object.note.size() <= ${OBJECT_SIZE_LIMITS.eventMessageBytes}))`,
          messageExpression: `"an Event's message may hold at most ${OBJECT_SIZE_LIMITS.eventMessageBytes} bytes"`,
        },
      ],
    },
    {
      name: 'dojo-archived-courses',
      description: 'An archived course keeps its namespaces and homes; its students change nothing there.',
      resourceRules: [
        {
          scope: 'Namespaced',
          apiGroups: ['*'],
          apiVersions: ['*'],
          // '*/*' is every resource and subresource; the API server refuses it beside another
          // entry (Kubernetes 1.34, ValidatingAdmissionPolicy validation: "if '*/*' is present,
          // must not specify other resources"), as the real control plane test showed.
          resources: ['*/*'],
          operations: ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'],
        },
      ],
      namespaceSelector: { ...STUDENT_NAMESPACE_SELECTOR, [ARCHIVED_LABEL]: 'true' },
      matchConditions: [
        notPlatform,
        { name: 'not-kubernetes', expression: '!request.userInfo.username.startsWith("system:serviceaccount:kube-system:")' },
        { name: 'not-a-node', expression: '!request.userInfo.username.startsWith("system:node:")' },
        {
          // Karpenter evicts pods to drain a node it consolidates; refused, it would keep the node.
          name: 'not-karpenter',
          expression: `request.userInfo.username != ${str(`system:serviceaccount:${AWS_SERVICE_ACCOUNTS.karpenter.namespace}:${AWS_SERVICE_ACCOUNTS.karpenter.name}`)}`,
        },
      ],
      variables: [],
      validations: [{ expression: 'false', messageExpression: '"this course is archived: its namespaces are read-only"' }],
    },
  ];
  if (inputs.mesh) policies.push(meshPolicy(common));
  return policies;
}

/**
 * A mesh course's rules for the Istio kinds (read at istio/istio 1.30.3):
 * - Istio applies a VirtualService, DestinationRule or ServiceEntry (and shows a Service, by
 *   its annotation) to the proxies of every namespace it is exported to (pilot/pkg/model/push_context.go, initVirtualServices and the
 *   like): exported further than its own namespace, a student's route would steer another
 *   student's traffic, or bind to their gateway. istiod's mesh defaults keep each at its
 *   namespace; this keeps a student from widening it.
 * - istiod itself fetches a RequestAuthentication's `jwksUri` (PILOT_JWT_ENABLE_REMOTE_JWKS,
 *   pilot/pkg/model/jwks_resolver.go): from the system nodes, to any address a student names.
 *   The key set goes inline (`jwks`).
 * - The kinds students get no role for (raw Envoy configuration, code the agent fetches, workloads
 *   and proxy settings by hand) are refused here too, should a role ever grant them.
 */
function meshPolicy(common: Pick<AdmissionPolicyPlan, 'namespaceSelector' | 'matchConditions'>): AdmissionPolicyPlan {
  const rule = (apiGroups: string[], resources: readonly string[]): ResourceRule => ({
    scope: 'Namespaced',
    apiGroups,
    apiVersions: ['*'],
    resources: [...resources],
    operations: CREATE_UPDATE,
  });
  const refused = Object.entries(MESH_REFUSED_KINDS);
  return {
    name: 'dojo-student-mesh',
    description: "Students' Istio objects act on their own namespace only, and make istiod fetch nothing.",
    resourceRules: [
      rule([''], ['services']),
      rule(['networking.istio.io'], EXPORTED_KINDS),
      rule(['security.istio.io'], ['requestauthentications']),
      ...refused.map(([group, kinds]) => rule([group], kinds)),
    ],
    ...common,
    variables: [],
    validations: [
      {
        expression: `!(${list(EXPORTED_KINDS)}.exists(r, r == request.resource.resource)) || !has(object.spec) || !has(object.spec.exportTo) || object.spec.exportTo.all(e, e == "." || e == request.namespace)`,
        messageExpression:
          '"exportTo may name only your own namespace (\\".\\"): exported further, your routing would apply to other students\' proxies"',
      },
      {
        // A Service's own exportTo (pilot/pkg/serviceregistry/kube/conversion.go reads the annotation).
        expression: `request.resource.resource != "services" || !has(object.metadata.annotations) || !(${str(SERVICE_EXPORT_ANNOTATION)} in object.metadata.annotations) || object.metadata.annotations[${str(SERVICE_EXPORT_ANNOTATION)}].split(",").all(e, e.trim() == "." || e.trim() == request.namespace)`,
        messageExpression: `"${SERVICE_EXPORT_ANNOTATION} may name only your own namespace (\\".\\")"`,
      },
      {
        expression:
          'request.resource.resource != "requestauthentications" || !has(object.spec) || !has(object.spec.jwtRules) || object.spec.jwtRules.all(r, !has(r.jwksUri))',
        messageExpression: '"jwksUri would have istiod fetch that address for you: give the key set inline in jwks"',
      },
      {
        expression: `!(${list(refused.flatMap(([, kinds]) => kinds))}.exists(r, r == request.resource.resource))`,
        messageExpression:
          '"EnvoyFilters, WasmPlugins, TrafficExtensions, WorkloadEntries, WorkloadGroups and ProxyConfigs are not available to students (no kata uses them)"',
      },
    ],
  };
}
