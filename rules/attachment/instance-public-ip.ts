import type { Check, Report } from '../../src/model/check.js';
import { Unknown } from '../../src/model/value.js';
import { certainty, conditionAssumptions, lineOr, networkOf } from '../kit/network.js';

const KINDS = new Set(['instance', 'launch-template', 'launch-configuration']);

export const check: Check = {
  meta: {
    id: 'SGS031',
    name: 'instance-public-ip',
    severity: 'medium',
    shortDescription: 'EC2 instance or launch template requests a public IP address',
    fullDescription:
      'An EC2 instance, launch template or launch configuration sets associate_public_ip_address = true / ' +
      'AssociatePublicIpAddress: true (on the instance or its network interface), so the instance gets a ' +
      'public IPv4 address and is one security-group rule away from the internet. Addresses that come only ' +
      'from the subnet default are SGS030\'s; an unresolved setting is reported as "possible". Severity medium: ' +
      'Security Hub EC2.9 asks for no public IPv4 address on instances; bastions and other intended public ' +
      'hosts should say so with a suppression.',
    remediation:
      'Set associate_public_ip_address = false and reach the instance through a load balancer, a NAT gateway ' +
      'for outbound traffic, and Session Manager or EC2 Instance Connect Endpoint for administration.',
    remediationTerraform: [
      'resource "aws_instance" "app" {',
      '  ami                         = var.ami',
      '  instance_type               = "t3.small"',
      '  subnet_id                   = aws_subnet.private.id',
      '  associate_public_ip_address = false',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppServer:',
      '  Type: AWS::EC2::Instance',
      '  Properties:',
      '    ImageId: !Ref Ami',
      '    NetworkInterfaces:',
      '      - DeviceIndex: "0"',
      '        SubnetId: !Ref PrivateSubnet',
      '        AssociatePublicIpAddress: false',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'public-ip', 'ec2'],
    references: [
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-9',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-5',
    ],
    equivalents: {
      checkov: ['CKV_AWS_88'],
      trivy: ['AVD-AWS-0009'],
      kics: ['5a2486aa-facf-477d-a5c1-b010789459ce', 'c44c95fc-ae92-4bb8-bdf8-bb9bc412004a'],
    },
  },
  run(model) {
    const reports: Report[] = [];
    for (const e of networkOf(model).endpoints) {
      if (!KINDS.has(e.kind) || e.publicIp.line === undefined) continue;
      const v = e.publicIp.value;
      if (v === false) continue;
      const assumptions = v instanceof Unknown ? v.reasons.map((r) => `the setting is unknown: ${r}`) : [];
      const what = e.kind === 'instance' ? 'EC2 instance' : e.kind === 'launch-template' ? 'Launch template' : 'Launch configuration';
      reports.push({
        message: `${what} ${e.id} requests a public IP address (${e.publicIp.reason})`,
        location: lineOr(e.location, e.publicIp.line),
        via: e.via,
        resource: e.id,
        key: 'public-ip',
        ...certainty([...assumptions, ...conditionAssumptions(e)]),
      });
    }
    return reports;
  },
};
