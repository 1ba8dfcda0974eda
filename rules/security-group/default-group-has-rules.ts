import { conditionOf, describeRuleTraffic, groupsByAddress, ruleKey } from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import { describePeer } from '../../src/model/peer.js';

export const check: Check = {
  meta: {
    id: 'SGS006',
    name: 'default-group-has-rules',
    severity: 'medium',
    shortDescription: "The VPC's default security group has rules",
    fullDescription:
      "Every VPC has a default security group that anything launched without an explicit group lands in. " +
      'By default it lets its members talk to each other and everything go out, so a resource attached to ' +
      'it by mistake gets network access nobody designed. CIS AWS Foundations and Security Hub EC2.2 ' +
      'expect the default group to have no rules at all, so that forgetting to choose a group fails ' +
      'closed. Each rule declared on a default group (aws_default_security_group) is reported at its line. ' +
      "The platform's implicit rules are not reported: only what the code declares.",
    remediation:
      'Adopt the default group in code with no ingress and no egress blocks (Terraform then removes its ' +
      'rules), and give every resource a purpose-built security group.',
    remediationTerraform: [
      '# No ingress/egress blocks: Terraform removes all rules from the default group.',
      'resource "aws_default_security_group" "default" {',
      '  vpc_id = aws_vpc.main.id',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      '# CloudFormation cannot manage the default group; attach explicit groups to every resource:',
      'AppServer:',
      '  Type: AWS::EC2::Instance',
      '  Properties:',
      '    SecurityGroupIds:',
      '      - !GetAtt AppSecurityGroup.GroupId',
    ].join('\n'),
    tags: ['security', 'default-group', 'cis'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2',
      'CIS AWS Foundations Benchmark v1.5.0, 5.4: ensure the default security group of every VPC restricts all traffic',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group',
    ],
    equivalents: {
      checkov: ['CKV2_AWS_12'],
      trivy: ['AVD-AWS-0173'],
      kics: ['46883ce1-dc3e-4b17-9195-c6a601624c73', '9a4ef195-74b9-4c58-b8ed-2b2fe4353a75'],
    },
  },
  run(model) {
    const groups = groupsByAddress(model);
    const reports: Report[] = [];
    for (const rule of model.rules) {
      const group = groups.of(rule);
      if (!group?.isDefault || rule.origin === 'implicit') continue;
      const cond = conditionOf(rule, group);
      const toFrom = rule.direction === 'ingress' ? 'from' : 'to';
      reports.push({
        message:
          `The default security group ${group.address} has an ${rule.direction} rule (${describeRuleTraffic(rule)} ` +
          `${toFrom} ${describePeer(rule.peer)}); the default group should have no rules.`,
        location: rule.location,
        via: rule.via,
        resource: rule.resource,
        key: ruleKey(rule),
        certainty: cond.assumptions.length ? 'possible' : 'definite',
        assumptions: cond.assumptions,
      });
    }
    return reports;
  },
};
