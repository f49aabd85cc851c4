/**
 * API Priority and Fairness (flowcontrol.apiserver.k8s.io/v1, Kubernetes 1.29+) for students.
 * Without it every ServiceAccount request, a student's or a pod's of theirs as much as
 * ArgoCD's, Karpenter's and KEDA's, lands in the built-in `service-accounts` FlowSchema and
 * shares `workload-low`: one student's request loop delays the controllers that wake and put
 * a class to sleep. In a level of their own, students queue behind each other, one queue per
 * user (the flow of `ByUser`), so one student's loop delays mostly that student.
 */
import type { FlowSchemaPlan, PriorityLevelPlan } from '../model/api-fairness';

/**
 * The students' level. 20 shares beside the built-in levels' 245 (Kubernetes 1.34,
 * apiserver/pkg/apis/flowcontrol/bootstrap: workload-low 100, global-default 20): about 7% of
 * the API server's seats, lending none, so students can never take the platform's.
 */
export const STUDENT_PRIORITY_LEVEL: PriorityLevelPlan = {
  name: 'dojo-students',
  nominalConcurrencyShares: 20,
  queues: 128,
  handSize: 6,
  queueLengthLimit: 50,
};

/**
 * After the built-in schemas of the system and of kube-system's accounts (900), before
 * `service-accounts` (9000), which would otherwise match the students' accounts.
 */
export const STUDENT_FLOW_SCHEMA_PRECEDENCE = 1000;

/**
 * A student's FlowSchema, in the student's own file (adding a student touches no course-wide
 * file): their workstation's account (the student's identity) and every account of their
 * namespace (pods they run, their virtual cluster's syncer).
 */
export function studentFlowSchema(
  name: string,
  workstationAccount: { readonly namespace: string; readonly name: string },
  studentNamespace: string | undefined,
): FlowSchemaPlan {
  return {
    name,
    matchingPrecedence: STUDENT_FLOW_SCHEMA_PRECEDENCE,
    priorityLevel: STUDENT_PRIORITY_LEVEL.name,
    serviceAccounts: [workstationAccount, ...(studentNamespace ? [{ namespace: studentNamespace, name: '*' }] : [])],
  };
}
