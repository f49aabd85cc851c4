import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { AcmeIssuerPlan, CourseCertificatePlan } from '../../lib/plan/model/routing';
import { platformLabels } from '../../lib/plan/model/labels';

export interface CourseCertificatesProps {
  /** The ACME issuer, from the plan. */
  readonly issuer: AcmeIssuerPlan;
  /** One wildcard certificate per routed course, from the plan. */
  readonly certificates: readonly CourseCertificatePlan[];
}

/**
 * The ClusterIssuer (cert-manager.io/v1, ACME with DNS-01 in Route 53) and the Certificates of
 * the courses, checked against the CRDs of cert-manager v1.21.1. The issuer reaches Route 53 with
 * cert-manager's own credentials (IRSA or Pod Identity): no key is in git.
 */
export class CourseCertificates extends Construct {
  constructor(scope: Construct, id: string, props: CourseCertificatesProps) {
    super(scope, id);
    const { issuer } = props;
    const labels = platformLabels('certificates');
    new ApiObject(this, 'issuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: issuer.name, labels },
      spec: {
        acme: {
          server: issuer.server,
          ...(issuer.email ? { email: issuer.email } : {}),
          privateKeySecretRef: { name: issuer.accountKeySecret },
          solvers: [
            {
              // One solver for both zones: without hostedZoneID, cert-manager v1.21.1 looks each name's zone up (ListHostedZonesByName, ClusterIssuer CRD).
              selector: { dnsZones: [...issuer.dnsZones] },
              dns01: { route53: { region: issuer.region } },
            },
          ],
        },
      },
    });
    for (const certificate of props.certificates) {
      new ApiObject(this, certificate.name, {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: certificate.name, namespace: certificate.namespace, labels },
        spec: {
          secretName: certificate.secretName,
          dnsNames: [...certificate.dnsNames],
          issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: issuer.name },
          // A new key at every renewal: a key that leaked stops working within one period.
          privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        },
      });
    }
  }
}
