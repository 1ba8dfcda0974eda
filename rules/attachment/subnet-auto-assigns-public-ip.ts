import type { Check, Report } from '../../src/model/check.js';
import { named } from '../../src/model/naming.js';
import { Unknown } from '../../src/model/value.js';
import { certainty, conditionAssumptions, lineOr, networkOf } from '../kit/network.js';

export const check: Check = {
  meta: {
    id: 'SGS030',
    name: 'subnet-auto-assigns-public-ip',
    severity: 'low',
    shortDescription: 'Subnet gives every instance launched in it a public IP address',
    fullDescription:
      'A subnet sets map_public_ip_on_launch = true / MapPublicIpOnLaunch: true, so every instance and ' +
      'network interface launched in it gets a public IPv4 address unless it opts out, including ones that ' +
      'never needed one. Whether they are then reachable depends on their security groups and the route ' +
      'table. An unresolved value is reported as "possible". Severity low: public subnets for load balancers ' +
      'and NAT gateways are normal; the automatic address is the part to avoid (Security Hub EC2.15).',
    remediation:
      'Leave map_public_ip_on_launch / MapPublicIpOnLaunch false and give public addresses explicitly to the ' +
      'few instances that need them (associate_public_ip_address, an Elastic IP), or put them behind a load balancer.',
    remediationTerraform: [
      'resource "aws_subnet" "public_a" {',
      '  vpc_id                  = aws_vpc.main.id',
      '  cidr_block              = "10.0.0.0/24"',
      '  map_public_ip_on_launch = false',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'PublicSubnetA:',
      '  Type: AWS::EC2::Subnet',
      '  Properties:',
      '    VpcId: !Ref Vpc',
      '    CidrBlock: 10.0.0.0/24',
      '    MapPublicIpOnLaunch: false',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'public-ip', 'subnet'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/modify-subnets.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-15',
    ],
    equivalents: {
      checkov: ['CKV_AWS_130'],
      trivy: ['AVD-AWS-0164'],
      kics: ['52f04a44-6bfa-4c41-b1d3-4ae99a2de05c', 'b3de4e4c-14be-4159-b99d-9ad194365e4c'],
      cfnNag: ['W33'],
    },
  },
  run(model) {
    const reports: Report[] = [];
    for (const s of networkOf(model).subnets) {
      const v = s.mapPublicIpOnLaunch.value;
      if (v === false || s.mapPublicIpOnLaunch.line === undefined) continue;
      const assumptions = v instanceof Unknown ? v.reasons.map((r) => `the setting is unknown: ${r}`) : [];
      reports.push({
        message: `${named('Subnet', s.id)} assigns a public IP address to every instance launched in it (${s.mapPublicIpOnLaunch.reason})`,
        location: lineOr(s.location, s.mapPublicIpOnLaunch.line),
        via: s.via,
        resource: s.id,
        key: 'map-public-ip',
        ...certainty([...assumptions, ...conditionAssumptions(s)]),
      });
    }
    return reports;
  },
};
