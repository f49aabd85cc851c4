import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { platformLabels } from '../../lib/plan/model/labels';
import type { AdmissionPolicyPlan } from '../../lib/plan/model/admission';

export interface AdmissionPolicyProps {
  /** The policy, from the plan. */
  readonly policy: AdmissionPolicyPlan;
}

/**
 * One ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, Kubernetes 1.30+) and its
 * binding. It fails closed: a request the API server cannot evaluate is refused.
 */
export class AdmissionPolicy extends Construct {
  constructor(scope: Construct, id: string, props: AdmissionPolicyProps) {
    super(scope, id);
    const { policy } = props;
    if (policy.validations.length === 0) throw new Error(`AdmissionPolicy ${policy.name}: give it at least one validation`);
    const labels = platformLabels('admission');
    const metadata = { name: policy.name, labels, annotations: { 'dojo.training/purpose': policy.description } };
    new ApiObject(this, 'policy', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata,
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: policy.resourceRules.map((r) => ({ ...r })) },
        ...(policy.matchConditions.length > 0 ? { matchConditions: policy.matchConditions.map((c) => ({ ...c })) } : {}),
        ...(policy.variables.length > 0 ? { variables: policy.variables.map((v) => ({ ...v })) } : {}),
        validations: policy.validations.map((v) => ({ ...v, reason: 'Forbidden' })),
      },
    });
    new ApiObject(this, 'binding', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: policy.name, labels },
      spec: {
        policyName: policy.name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { ...policy.namespaceSelector } } },
      },
    });
  }
}
