import { Construct } from 'constructs';
import { k8s } from '../k8s';
import {
  studentNamespacePodSecurity,
  studentLabels,
  studentSelector,
  SYNC_WAVE,
  SYNC_WAVE_ANNOTATION,
} from '../../lib/plan/model/labels';
import { GATEWAY } from '../../lib/plan/routing/hosts';
import { LIMIT_RANGE_DEFAULTS } from '../../lib/plan/admission/student-quota';
import { quantities } from '../quantities';
import { ARCHIVED_LABEL } from '../../lib/plan/admission/admission';
import type { EgressRule } from '../../lib/plan/model/network';
import { egressRules } from '../egress-rules';

export interface StudentNamespaceProps {
  /** Course name. */
  readonly course: string;
  /** Namespace of the course's workstations. */
  readonly courseNamespace: string;
  /** The student's id. */
  readonly studentId: string;
  /** The student's own namespace. */
  readonly namespace: string;
  /** The `hard` amounts of the namespace's ResourceQuota, from the plan. */
  readonly quota: Readonly<Record<string, string | number>>;
  /** Where the namespace's pods may connect, from the plan. */
  readonly egress: readonly EgressRule[];
  /**
   * gateway mode: namespace of the shared proxy, which serves the student's own Ingresses.
   * @default - the proxy may not reach the namespace
   */
  readonly proxyNamespace?: string;
  /**
   * The course is archived: the namespace is read-only for the student (admission policy)
   * and nothing new may run in it.
   * @default false
   */
  readonly archived?: boolean;
  /**
   * vcluster mode: the namespace holds the student's virtual cluster, whose own accounts the
   * katas' charts use; the host namespace gets none of theirs.
   * @default false
   */
  readonly hostsVirtualCluster?: boolean;
  /**
   * More labels of the namespace, from the plan: the mesh's injection label.
   * @default - none
   */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

/**
 * kubernetes-appdev-katas install the prometheus chart with `serviceAccounts.server.create:
 * false` and `name: prometheus-server` (resources/values-prometheus.yaml): the account must be
 * there, and may read (the built-in `view`) what Prometheus discovers in the namespace.
 */
const KATA_SERVICE_ACCOUNT = 'prometheus-server';

/**
 * A student's playground: admin rights there (see StudentAccess), a quota, default
 * limits so that pods without resources still fit the quota, and NetworkPolicies that
 * deny everything but traffic inside the namespace, from the student's own workstation
 * and the shared proxy (their kata Ingresses), and out to what the plan names.
 */
export class StudentNamespace extends Construct {
  constructor(scope: Construct, id: string, props: StudentNamespaceProps) {
    super(scope, id);
    const labels = studentLabels(props.course, props.studentId, 'student-namespace');
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels });

    const archived = props.archived ?? false;
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: props.namespace,
        labels: {
          ...labels,
          ...studentNamespacePodSecurity(props.hostsVirtualCluster ?? false),
          ...props.extraLabels,
          ...(archived ? { [ARCHIVED_LABEL]: 'true' } : {}),
        },
        annotations: { [SYNC_WAVE_ANNOTATION]: SYNC_WAVE.namespaces },
      },
    });
    new k8s.KubeResourceQuota(this, 'quota', {
      metadata: metadata('student-quota'),
      spec: {
        hard: Object.fromEntries(
          Object.entries(props.quota).map(([key, amount]) => [
            key,
            typeof amount === 'number' ? k8s.Quantity.fromNumber(amount) : k8s.Quantity.fromString(amount),
          ]),
        ),
      },
    });
    new k8s.KubeLimitRange(this, 'limits', {
      metadata: metadata('student-defaults'),
      spec: {
        limits: [
          {
            type: 'Container',
            default: quantities(LIMIT_RANGE_DEFAULTS.default),
            defaultRequest: quantities(LIMIT_RANGE_DEFAULTS.defaultRequest),
            maxLimitRequestRatio: quantities(LIMIT_RANGE_DEFAULTS.maxLimitRequestRatio),
          },
        ],
      },
    });
    if (!archived && !props.hostsVirtualCluster) {
      new k8s.KubeServiceAccount(this, 'prometheus', { metadata: metadata(KATA_SERVICE_ACCOUNT) });
      new k8s.KubeRoleBinding(this, 'prometheus-binding', {
        metadata: metadata(KATA_SERVICE_ACCOUNT),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: KATA_SERVICE_ACCOUNT, namespace: props.namespace }],
      });
    }
    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: metadata('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    const sameNamespace = { podSelector: {} };
    new k8s.KubeNetworkPolicy(this, 'allow', {
      metadata: metadata('allow-own-traffic'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [sameNamespace] },
          ...(props.proxyNamespace
            ? [
                {
                  from: [
                    {
                      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.proxyNamespace } },
                      podSelector: { matchLabels: { ...GATEWAY.proxyLabels } },
                    },
                  ],
                },
              ]
            : []),
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.courseNamespace } },
                podSelector: { matchLabels: studentSelector(props.course, props.studentId) },
              },
            ],
          },
        ],
        egress: egressRules(props.egress),
      },
    });
  }
}
