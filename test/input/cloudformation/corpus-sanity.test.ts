import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCloudFormationFile, type CloudFormationOptions } from '../../../src/input/cloudformation/index.js';
import { ResourceRef } from '../../../src/model/value.js';
import { sharedPath } from '../../helpers/shared.js';
import { rulesOf } from './helpers.js';

// Five real templates, rule by rule: what CloudFormation would create (direction, protocol, ports,
// peer, lines), checked by hand against each template.

const CORPUS = sharedPath('corpus', 'cloudformation');

function scanCorpus(path: string, options: CloudFormationOptions = {}) {
  return scanCloudFormationFile({ abs: join(CORPUS, path), path }, readFileSync(join(CORPUS, path), 'utf8'), options);
}

describe('corpus templates, rule by rule', () => {
  it('Quick Start Linux bastion (existing VPC): SSH and ICMP only from RemoteAccessCIDR, when given', () => {
    const path = 'aws-quickstart__quickstart-linux-bastion/templates/linux-bastion-entrypoint-existing-vpc.template.yaml';
    // Default "disabled-onlyssmaccess": no ingress at all, SSM only.
    expect(rulesOf(scanCorpus(path))).toEqual(['BastionSecurityGroup/egress/implicit BastionSecurityGroup egress all all ports 0.0.0.0/0 @931-935']);
    expect(rulesOf(scanCorpus(path, { parameters: [['RemoteAccessCIDR', '203.0.113.0/24']] }))).toEqual([
      'BastionSecurityGroup/egress/implicit BastionSecurityGroup egress all all ports 0.0.0.0/0 @931-935',
      'BastionSecurityGroupCidrSshIngress BastionSecurityGroup ingress tcp port 22 203.0.113.0/24 @936-944',
      'BastionSecurityGroupCidrIcmpIngress BastionSecurityGroup ingress icmp type any code any 203.0.113.0/24 @945-953',
    ]);
    expect(rulesOf(scanCorpus(path, { parameters: [['RemoteAccessCIDR', 'pl-0123456789abcdef0']] }))).toEqual([
      'BastionSecurityGroup/egress/implicit BastionSecurityGroup egress all all ports 0.0.0.0/0 @931-935',
      'BastionSecurityGroupPrefixListSshIngress BastionSecurityGroup ingress tcp port 22 prefix list pl-0123456789abcdef0 @954-962',
      'BastionSecurityGroupPrefixListIcmpIngress BastionSecurityGroup ingress icmp type any code any prefix list pl-0123456789abcdef0 @963-971',
    ]);
  });

  it('ECS reference architecture security groups: the load balancer open to the world, hosts only from it', () => {
    const model = scanCorpus('aws-samples__ecs-refarch-cloudformation/infrastructure/security-groups.yaml');
    expect(rulesOf(model)).toEqual([
      'ECSHostSecurityGroup/ingress/0 ECSHostSecurityGroup ingress all all ports members of LoadBalancerSecurityGroup @26-27',
      'ECSHostSecurityGroup/egress/implicit ECSHostSecurityGroup egress all all ports 0.0.0.0/0 @19-30',
      'LoadBalancerSecurityGroup/ingress/0 LoadBalancerSecurityGroup ingress all all ports 0.0.0.0/0 @42-43',
      'LoadBalancerSecurityGroup/egress/implicit LoadBalancerSecurityGroup egress all all ports 0.0.0.0/0 @35-46',
    ]);
    expect(model?.rules[0].peer).toEqual({ kind: 'securityGroup', ref: new ResourceRef('LoadBalancerSecurityGroup'), self: false });
  });

  it('RDS MySQL with read replica: the group exists only in EC2-VPC regions; replica only when enabled', () => {
    const model = scanCorpus('aws-cloudformation__aws-cloudformation-templates/RDS/RDS_MySQL_With_Read_Replica.yaml');
    expect(rulesOf(model)).toEqual([
      'DBEC2SecurityGroup/ingress/0 DBEC2SecurityGroup ingress tcp port 3306 members of default @85-88',
      'DBEC2SecurityGroup/egress/implicit DBEC2SecurityGroup egress all all ports 0.0.0.0/0 @80-89',
    ]);
    expect(model?.rules.map((r) => r.assumptions)).toEqual([['condition IsEC2VPC is true'], ['condition IsEC2VPC is true']]);
    const main = model?.resources.find((r) => r.address === 'MainDB');
    expect(main?.location).toMatchObject({ line: 99, endLine: 121 });
    expect(main?.attributes.PubliclyAccessible).toBe(false);
    expect(String(main?.attributes.VPCSecurityGroups)).toBe(
      'VPCSecurityGroups depends on condition IsEC2VPC (["DBEC2SecurityGroup.GroupId"] when condition IsEC2VPC is true; not set when condition IsEC2VPC is false)',
    );
    expect(String(main?.attributes.MultiAZ)).toBe('MultiAZ depends on parameter MultiAZ (true when MultiAZ = true; false when MultiAZ = false)');
    expect(String(model?.resources.find((r) => r.address === 'ReplicaDB')?.condition)).toBe('only when EnableReadReplica = true');
  });

  it('SAM DocumentDB + Lambda: DocumentDB port open to 0.0.0.0/0, egress limited to 443 and 27017', () => {
    const model = scanCorpus('aws-samples__serverless-patterns/docdb-lambda/template.yaml');
    expect(rulesOf(model)).toEqual([
      'DocDBSecurityGroup/ingress/0 DocDBSecurityGroup ingress tcp port 27017 0.0.0.0/0 @71-74',
      'DocDBSecurityGroup/egress/0 DocDBSecurityGroup egress tcp port 443 0.0.0.0/0 @76-79',
      'DocDBSecurityGroup/egress/1 DocDBSecurityGroup egress tcp port 27017 0.0.0.0/0 @80-83',
      'LambdaSecurityGroup/ingress/0 LambdaSecurityGroup ingress tcp port 27017 0.0.0.0/0 @92-95',
      'LambdaSecurityGroup/egress/0 LambdaSecurityGroup egress tcp port 443 0.0.0.0/0 @97-100',
    ]);
    const fn = model?.resources.find((r) => r.resourceType === 'AWS::Serverless::Function');
    expect((fn?.attributes.VpcConfig as { SecurityGroupIds: unknown }).SecurityGroupIds).toEqual([new ResourceRef('LambdaSecurityGroup')]);
    expect(fn?.attributeLines.VpcConfig).toBe(138);
  });

  it('CDK snapshot (solutions constructs, Lambda + SSM in a VPC): HTTPS from the VPC CIDR to the endpoint', () => {
    const model = scanCorpus(
      'awslabs__aws-solutions-constructs/source/patterns/@aws-solutions-constructs/aws-lambda-ssmstringparameter/test/integ.lamssm-deployFunctionWithVpc.js.snapshot/lamssm-deployFunctionWithVpc.template.json',
    );
    expect(rulesOf(model)).toEqual([
      'testlambdassmstringparameterReplaceDefaultSecurityGroupsecuritygroupBB1CB03C/egress/0 testlambdassmstringparameterReplaceDefaultSecurityGroupsecuritygroupBB1CB03C egress all all ports 0.0.0.0/0 @140-144',
      'lamssmdeployFunctionWithVpcSSMsecuritygroup40CF2829/ingress/0 lamssmdeployFunctionWithVpcSSMsecuritygroup40CF2829 ingress tcp port 443 10.0.0.0/16 @696-721',
      'lamssmdeployFunctionWithVpcSSMsecuritygroup40CF2829/egress/0 lamssmdeployFunctionWithVpcSSMsecuritygroup40CF2829 egress all all ports 0.0.0.0/0 @689-693',
    ]);
    expect(model?.rules[1].description).toBe('from 10.0.0.0/16:443');
    // This snapshot carries no aws:cdk:path metadata on the group (the construct turns it off).
    expect(model?.rules[1].metadata).toBeUndefined();
    expect(model?.resources.find((r) => r.address === 'Vpc8378EB38')?.attributes.CidrBlock).toBe('10.0.0.0/16');
  });
});
