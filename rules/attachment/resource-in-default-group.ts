import type { Check, Report } from '../../src/model/check.js';
import { defaultGroupPlacement, groupValues, valuesAt } from '../../src/model/attachments.js';
import { certainty, conditionAssumptions, defaultGroupSubject, networkOf } from '../kit/network.js';

const KIND_NAMES: Record<string, string> = {
  instance: 'EC2 instance',
  asg: 'Auto Scaling group',
  'launch-configuration': 'launch configuration',
  eni: 'network interface',
  lb: 'load balancer',
  db: 'RDS DB instance',
  'db-cluster': 'RDS DB cluster',
  cache: 'ElastiCache cluster',
  lambda: 'Lambda function',
  'ecs-service': 'ECS service',
  'vpc-endpoint': 'interface VPC endpoint',
};

export const check: Check = {
  meta: {
    id: 'SGS020',
    name: 'resource-in-default-group',
    severity: 'medium',
    // SGS061 tells the same fix with its consequence (a load balancer cannot reach the endpoint): it speaks for both.
    overlaps: { family: 'default-group', rank: 1 },
    shortDescription: 'Resource takes security groups but names none, so it lands in the default group',
    fullDescription:
      'An EC2 instance, launch configuration, network interface, application or classic load balancer, RDS ' +
      'instance or cluster, ElastiCache cluster, Lambda function in a VPC, ECS service with awsvpc networking ' +
      'interface VPC endpoint, or OpenSearch / Elasticsearch domain in a VPC names no security group. AWS then puts it in the VPC\'s default security group, ' +
      'which by default admits all traffic from every other member: everything that was forgotten the same way ' +
      'can reach it on every port, and rules added to the default group later apply to it silently. Resources ' +
      'whose groups come from elsewhere are not reported: an Aurora instance (its cluster\'s groups), a cache ' +
      'node in a replication group, an instance with a launch template or attached network interfaces, an Auto ' +
      'Scaling group whose launch template names groups. NLBs and gateway endpoints without groups have none at ' +
      'all and are not reported. A Classic Load Balancer that names no subnets is in the default VPC, where ELB ' +
      'gives it its own default_elb group instead, and is not reported either. A group list that cannot be ' +
      'resolved statically is not reported. Severity ' +
      'medium: not an exposure by itself, but CIS 5.4 and Security Hub EC2.2 expect the default group to be ' +
      'unused and closed.',
    remediation:
      'Create a dedicated security group for the resource with only the rules it needs and name it explicitly ' +
      '(vpc_security_group_ids / SecurityGroupIds / security_groups). Keep the default group without rules.',
    remediationTerraform: [
      'resource "aws_instance" "app" {',
      '  ami                    = var.ami',
      '  instance_type          = "t3.small"',
      '  subnet_id              = aws_subnet.private.id',
      '  vpc_security_group_ids = [aws_security_group.app.id] # not the default group',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppServer:',
      '  Type: AWS::EC2::Instance',
      '  Properties:',
      '    ImageId: !Ref Ami',
      '    InstanceType: t3.small',
      '    SubnetId: !Ref PrivateSubnet',
      '    SecurityGroupIds:',
      '      - !GetAtt AppSecurityGroup.GroupId # not the default group',
    ].join('\n'),
    tags: ['security', 'default-group', 'network', 'cis'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html',
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-vpc-security-groups.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2',
      'CIS AWS Foundations Benchmark v1.5.0, 5.4: ensure the default security group of every VPC restricts all traffic',
    ],
  },
  run(model) {
    const reports: Report[] = [];
    const endpoints = networkOf(model).endpoints;
    for (const e of endpoints) {
      if (!e.usesDefaultGroup) continue;
      const what = KIND_NAMES[e.kind] ?? e.resourceType;
      const via = e.groupsFrom ? ` (nor does its launch template ${e.groupsFrom})` : '';
      reports.push({
        message: `${what} ${e.id} names no security group${via}, so AWS places it in the VPC's default security group`,
        location: e.location,
        via: e.via,
        resource: e.id,
        key: 'default-group',
        subject: defaultGroupSubject(e),
        ...certainty(conditionAssumptions(e)),
      });
    }
    // Services placed in a VPC by a block that names no group (OpenSearch's vpc_options): the
    // endpoint model may not know them, the schema tables and AWS's documented default do.
    const reported = new Set(reports.map((r) => `${r.location.file}\u0000${r.resource}`));
    for (const r of model.resources) {
      const placement = defaultGroupPlacement(r.resourceType);
      if (!placement || reported.has(`${r.location.file}\u0000${r.address}`)) continue;
      if (valuesAt(r.attributes, placement.placedBy).length === 0) continue;
      const named = groupValues(r).some((f) => !(Array.isArray(f.value) && f.value.length === 0));
      if (named) continue;
      reports.push({
        message: `${placement.what} ${r.address} is placed in a VPC (${placement.placedBy}) but names no security group, so AWS places it in the VPC's default security group`,
        location: r.location,
        via: r.via,
        resource: r.address,
        key: 'default-group',
        ...certainty(r.condition ? r.condition.reasons.map((x) => `${r.address} exists only if ${x}`) : []),
      });
    }
    return reports;
  },
};
