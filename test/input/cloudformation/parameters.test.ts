import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanCloudFormationFile } from '../../../src/input/cloudformation/index.js';
import type { Model, Rule } from '../../../src/model/model.js';
import { mayBeWorld } from '../../../src/model/peer.js';
import { Unknown } from '../../../src/model/value.js';
import { sharedPath } from '../../helpers/shared.js';
import { rulesOf, scanFixture, scanText } from './helpers.js';

// A parameter without a value is still constrained by its declaration: AllowedValues,
// AllowedPattern (a Java regex applied to the whole value), MinLength/MaxLength and the AWS-specific
// types. The Unknown that stands for it carries that domain, so that a CIDR parameter that admits
// only a /16 to /28 range is never taken for 0.0.0.0/0.

const PEER_VPC_CIDR = String.raw`^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])(\/(1[6-9]|2[0-8]))$`;

/** A template with one parameter declared by `decl` lines and one ingress rule taking `CidrIp` from it. */
function withParameter(decl: string[], cidr = '!Ref P'): Model {
  const text = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Parameters:',
    '  P:',
    ...decl.map((l) => `    ${l}`),
    'Resources:',
    '  SG:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: test',
    '      SecurityGroupIngress:',
    '        - IpProtocol: tcp',
    '          FromPort: 22',
    '          ToPort: 22',
    `          CidrIp: ${cidr}`,
  ].join('\n');
  const m = scanText(text);
  if (!m) throw new Error('not a template');
  return m;
}

function peerUnknown(r: Rule | undefined): Unknown {
  if (r?.peer.kind !== 'unknown') throw new Error(`peer is ${r?.peer.kind}`);
  return r.peer.unknown;
}

describe('AllowedPattern', () => {
  it('a /16 to /28 pattern: never the world; the domain names the range (the reason stays, for finding keys)', () => {
    const u = peerUnknown(withParameter(['Type: String', `AllowedPattern: '${PEER_VPC_CIDR}'`]).rules[0]);
    expect(u.domain).toMatchObject({ subject: 'parameter P', description: 'a /16 to /28 range', mayBeWorld: false, list: false });
    expect(u.domain?.admits('10.1.0.0/16')).toBe(true);
    expect(u.domain?.admits('0.0.0.0/0')).toBe(false);
    expect(mayBeWorld(u)).toBe(false);
    expect(u.toString()).toBe('parameter P has no value');
  });

  it('a pattern admitting any prefix may be the world', () => {
    const u = peerUnknown(withParameter(['Type: String', String.raw`AllowedPattern: (\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})`]).rules[0]);
    expect(u.domain?.mayBeWorld).toBe(true);
    expect(mayBeWorld(u)).toBe(true);
    expect(u.toString()).toBe('parameter P has no value');
  });

  it('a pattern it cannot read safely admits anything, and one that does not compile too', () => {
    for (const pattern of ['(?=.*/16$).*', '([0-9]+\\.)+[0-9]+/(1[6-9]|2[0-8]', '\\p{Digit}+/24']) {
      const u = peerUnknown(withParameter(['Type: String', `AllowedPattern: '${pattern}'`]).rules[0]);
      expect(mayBeWorld(u), pattern).toBe(true);
      expect(u.domain?.admits('0.0.0.0/0'), pattern).not.toBe(false);
    }
  });

  it('applies to each element of a CommaDelimitedList', () => {
    const u = peerUnknown(withParameter(['Type: CommaDelimitedList', `AllowedPattern: '${PEER_VPC_CIDR}'`], '!Select [0, !Ref P]').rules[0]);
    expect(u.domain).toMatchObject({ list: true, mayBeWorld: false });
    expect(mayBeWorld(u)).toBe(false);
  });
});

describe('AllowedValues, MinLength and MaxLength', () => {
  it('values without the world: never the world (too many to branch on, or not branched)', () => {
    const values = Array.from({ length: 40 }, (_, i) => `10.${i}.0.0/16`);
    const u = peerUnknown(withParameter(['Type: String', `AllowedValues: [${values.join(', ')}]`]).rules[0]);
    expect(u.domain?.mayBeWorld).toBe(false);
    expect(u.domain?.admits('10.3.0.0/16')).toBe(true);
    expect(u.domain?.admits('0.0.0.0/0')).toBe(false);
  });

  it('values with the world in any spelling may be the world', () => {
    const values = [...Array.from({ length: 40 }, (_, i) => `10.${i}.0.0/16`), '0:0:0:0:0:0:0:0/0'];
    const u = peerUnknown(withParameter(['Type: String', `AllowedValues: [${values.map((v) => `'${v}'`).join(', ')}]`]).rules[0]);
    expect(u.domain?.mayBeWorld).toBe(true);
  });

  it('a few values and no default are still branched on, one rule per value', () => {
    const m = withParameter(['Type: String', 'AllowedValues: [10.0.0.0/8, 0.0.0.0/0]']);
    expect(rulesOf(m).filter((r) => r.includes('ingress'))).toEqual([
      'SG/ingress/0 SG ingress tcp port 22 10.0.0.0/8 @12-15',
      'SG/ingress/0~1 SG ingress tcp port 22 0.0.0.0/0 @12-15',
    ]);
    expect(rulesOf(scanFixture('params.yaml'))).toContain('DbSG/ingress/0~1 DbSG ingress tcp invalid ports ?-? (missing port) 0.0.0.0/0 @23-26');
  });

  it('a single allowed value is the value', () => {
    expect(rulesOf(withParameter(['Type: String', 'AllowedValues: [192.0.2.0/24]']))[0]).toBe('SG/ingress/0 SG ingress tcp port 22 192.0.2.0/24 @12-15');
  });

  it('a MaxLength below the shortest world CIDR (0/0) excludes it', () => {
    expect(peerUnknown(withParameter(['Type: String', 'MaxLength: 2']).rules[0]).domain?.mayBeWorld).toBe(false);
    expect(peerUnknown(withParameter(['Type: String', 'MinLength: 9', 'MaxLength: 18']).rules[0]).domain?.mayBeWorld).toBe(true);
    const u = peerUnknown(withParameter(['Type: String', 'MinLength: 9', 'MaxLength: 18']).rules[0]);
    expect(u.domain?.admits('10.0.0.0/8')).toBe(true);
    expect(u.domain?.admits('10.0.0.0/800000000000')).toBe(false);
  });
});

describe('AWS-specific parameter types', () => {
  it('ids of groups, VPCs, subnets are never a CIDR', () => {
    for (const [type, description, sample] of [
      ['AWS::EC2::SecurityGroup::Id', 'a security group id', 'sg-0123456789abcdef0'],
      ['AWS::EC2::VPC::Id', 'a VPC id', 'vpc-0123abcd'],
      ['AWS::EC2::Subnet::Id', 'a subnet id', 'subnet-0123abcd'],
      ['List<AWS::EC2::SecurityGroup::Id>', 'a list of security group ids', 'sg-0123abcd'],
      ['AWS::SSM::Parameter::Value<AWS::EC2::VPC::Id>', 'a VPC id', 'vpc-0123abcd'],
      ['Number', 'a number', '42'],
    ]) {
      const m = withParameter([`Type: '${type}'`], type.includes('List<') ? '!Select [0, !Ref P]' : '!Ref P');
      const u = peerUnknown(m.rules[0]);
      expect(u.domain, type).toMatchObject({ description, mayBeWorld: false });
      expect(u.domain?.admits(sample), type).toBe(true);
      expect(u.domain?.admits('0.0.0.0/0'), type).toBe(false);
    }
  });

  it('an SSM parameter of type String may hold anything, as before', () => {
    const u = peerUnknown(withParameter(["Type: 'AWS::SSM::Parameter::Value<String>'", 'Default: /net/peer-cidr']).rules[0]);
    expect(mayBeWorld(u)).toBe(true);
    expect(u.toString()).toBe('parameter P is read from SSM parameter /net/peer-cidr at deploy time');
  });
});

describe('corpus: the VPC peering templates (aws-cloudformation-templates, Solutions/VPCPeering)', () => {
  it('PeerVPCCIDR admits only a /16 to /28 range: every PeerIngressRule is never the world', () => {
    const rel = 'cloudformation/awslabs__aws-cloudformation-templates/aws/solutions/VPCPeering/templates/VPCPeering-Updates.cfn.yaml';
    const abs = sharedPath('corpus', ...rel.split('/'));
    const m = scanCloudFormationFile({ abs, path: rel }, readFileSync(abs, 'utf8'));
    const peers = (m?.rules ?? []).filter((r) => r.resource.startsWith('PeerIngressRule')).map((r) => r.peer);
    expect(new Set(m?.rules.filter((r) => r.resource.startsWith('PeerIngressRule')).map((r) => r.resource))).toEqual(
      new Set(['PeerIngressRule1', 'PeerIngressRule2', 'PeerIngressRule3', 'PeerIngressRule4', 'PeerIngressRule5', 'PeerIngressRule6']),
    );
    for (const p of peers) {
      expect(p.kind).toBe('unknown');
      if (p.kind !== 'unknown') continue;
      expect(mayBeWorld(p.unknown)).toBe(false);
      expect(p.unknown.domain?.description).toBe('a /16 to /28 range');
    }
  });
});
