import { describe, expect, it } from 'vitest';
import { ResourceRef } from '../../../src/model/value.js';
import { rulesOf, scanFixture, scanText } from './helpers.js';

describe('CDK output (cdk.json)', () => {
  const model = scanFixture('cdk.json');

  it('reads "disallow all" (255.255.255.255/32 icmp 252/86) and 127.0.0.1/32 egress as no egress at all', () => {
    expect(rulesOf(model)).toEqual(['WebSGfrom0000IndirectPort443 NoEgressSG1A2B3C4D ingress tcp port 443 0.0.0.0/0 @28-39']);
    expect(model?.rules.some((r) => r.direction === 'egress')).toBe(false);
  });

  it('keeps aws:cdk:path on groups, rules and resources', () => {
    expect(model?.groups.map((g) => [g.address, g.metadata['aws:cdk:path'], g.location.line])).toEqual([
      ['NoEgressSG1A2B3C4D', 'Stack/NoEgress/Resource', 3],
      ['LegacyNoEgressSG', 'Stack/Legacy/Resource', 20],
    ]);
    expect(model?.rules[0].metadata).toEqual({ 'aws:cdk:path': 'Stack/NoEgress/from 0.0.0.0_0:443' });
    expect(model?.resources.map((r) => [r.address, r.metadata['aws:cdk:path'], r.attributeLines.VpcConfig])).toEqual([['Fn', 'Stack/Fn/Resource', 43]]);
    expect(model?.resources[0].attributes.VpcConfig).toEqual({
      SecurityGroupIds: [new ResourceRef('NoEgressSG1A2B3C4D', 'GroupId')],
      SubnetIds: ['subnet-1', 'subnet-2'],
    });
  });
});

describe('implicit default egress', () => {
  const template = (egress: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  SG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
${egress}`;

  it('is added when SecurityGroupEgress is absent, located at the group', () => {
    const model = scanText(template(''));
    expect(rulesOf(model)).toEqual(['SG/egress/implicit SG egress all all ports 0.0.0.0/0 @3-6']);
    expect(model?.rules[0].origin).toBe('implicit');
  });

  it('is dropped when SecurityGroupEgress is given inline', () => {
    const model = scanText(template('      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }'));
    expect(rulesOf(model)).toEqual(['SG/egress/0 SG egress tcp port 443 0.0.0.0/0 @8-8']);
  });
});

describe('SAM (sam.yaml)', () => {
  const model = scanFixture('sam.yaml');

  it('gives functions the VpcConfig of Globals.Function unless they set their own', () => {
    const byName = new Map(model?.resources.map((r) => [r.address, r]));
    expect(byName.get('Inherits')?.attributes.VpcConfig).toEqual({ SecurityGroupIds: [new ResourceRef('LambdaSG')], SubnetIds: ['subnet-a', 'subnet-b'] });
    expect(byName.get('Inherits')?.attributeLines.VpcConfig).toBe(6);
    expect(byName.get('Inherits')?.location).toEqual({ file: 'fixtures/cloudformation/sam.yaml', line: 16, endLine: 19 });
    expect(byName.get('Own')?.attributes.VpcConfig).toEqual({ SecurityGroupIds: ['sg-0123456789abcdef0'], SubnetIds: ['subnet-c'] });
    expect(byName.get('Own')?.attributeLines.VpcConfig).toBe(24);
  });

  it('reports a nested stack from a URL as not scanned', () => {
    expect(model?.notices).toEqual([
      { file: 'fixtures/cloudformation/sam.yaml', line: 27, message: 'nested stack Child (TemplateURL https://s3.amazonaws.com/bucket/child.yaml) is not scanned: remote templates are not fetched' },
    ]);
  });
});
