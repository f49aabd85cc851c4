import { Construct } from 'constructs';
import {
  Ec2NodeClass,
  Ec2NodeClassSpecAmiFamily,
  Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType,
  Ec2NodeClassSpecMetadataOptionsHttpEndpoint,
  Ec2NodeClassSpecMetadataOptionsHttpTokens,
} from '../../imports/karpenter-aws-karpenter.k8s.aws';
import { platformLabels } from '../../lib/plan/model/labels';
import type { NodeClassPlan } from '../../lib/plan/model/nodes';

export interface NodeClassProps {
  /** The node class, from the plan. */
  readonly nodeClass: NodeClassPlan;
}

/**
 * Ubuntu EKS nodes for sysbox. Karpenter v1 has no Ubuntu family: the AMIs are selected by
 * name and owner and bootstrapped the AL2 way, with the root volume on /dev/sda1.
 */
export class NodeClass extends Construct {
  constructor(scope: Construct, id: string, props: NodeClassProps) {
    super(scope, id);
    const plan = props.nodeClass;
    new Ec2NodeClass(this, 'node-class', {
      metadata: { name: plan.name, labels: platformLabels('nodes') },
      spec: {
        amiFamily: Ec2NodeClassSpecAmiFamily.AL2,
        amiSelectorTerms: [{ name: plan.amiName, owner: plan.amiOwner }],
        role: plan.role,
        subnetSelectorTerms: [{ tags: { ...plan.subnetTags } }],
        securityGroupSelectorTerms: [{ tags: { ...plan.securityGroupTags } }],
        associatePublicIpAddress: plan.publicIP,
        kubelet: { systemReserved: { ...plan.kubelet.systemReserved }, evictionHard: { ...plan.kubelet.evictionHard } },
        blockDeviceMappings: [
          {
            deviceName: '/dev/sda1',
            rootVolume: true,
            ebs: {
              volumeSize: plan.rootVolumeSize,
              volumeType: Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.GP3,
              encrypted: true,
              deleteOnTermination: true,
            },
          },
        ],
        // Hop limit 1 keeps the node's instance credentials out of reach of every pod,
        // students' docker containers included.
        metadataOptions: {
          httpEndpoint: Ec2NodeClassSpecMetadataOptionsHttpEndpoint.ENABLED,
          httpTokens: Ec2NodeClassSpecMetadataOptionsHttpTokens.REQUIRED,
          httpPutResponseHopLimit: 1,
        },
      },
    });
  }
}
