import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/value.js';
import { rulesOf, scanFixture, scanText } from './helpers.js';

describe('parameters, AllowedValues and conditions (params.yaml)', () => {
  const model = scanFixture('params.yaml');

  it('evaluates every allowed choice and says which choice gives which rule', () => {
    expect(rulesOf(model)).toEqual([
      'DbSG/ingress/0 DbSG ingress tcp invalid ports ?-? (missing port) 10.0.0.0/8 @23-26',
      'DbSG/ingress/0~1 DbSG ingress tcp invalid ports ?-? (missing port) 0.0.0.0/0 @23-26',
      'DbSG/ingress/1 DbSG ingress tcp port 22 the addresses in parameter AdminCidr @27-30',
      'DbSG/egress/0 DbSG egress tcp port 443 0.0.0.0/0 @34-37',
      'DbSG/egress/0~1 DbSG egress all all ports 10.0.0.0/8 @38-39',
      'DebugSG/egress/implicit DebugSG egress all all ports 0.0.0.0/0 @40-45',
    ]);
    expect(model?.rules.map((r) => r.assumptions)).toEqual([
      ['AccessCidr = 10.0.0.0/8'],
      ['AccessCidr = 0.0.0.0/0'],
      undefined,
      ['Env = prod'],
      ['Env = dev'],
      ['Env = prod'],
    ]);
    expect(String(model?.rules[1].condition)).toBe('only when AccessCidr = 0.0.0.0/0');
    expect(model?.rules[2].condition).toBeUndefined();
  });

  it("keeps a port from Default: '' as an invalid rule instead of skipping it", () => {
    const rule = model?.rules[0];
    expect(rule?.fromPort).toBe('');
    expect(rule?.ports).toEqual({ kind: 'invalid', from: null, to: null, reason: 'missing port' });
    expect(rule?.attributeLines).toMatchObject({ FromPort: 24, ToPort: 25, CidrIp: 26 });
  });

  it('marks a group that exists only under an undecided condition', () => {
    const debug = model?.groups.find((g) => g.address === 'DebugSG');
    expect(debug?.condition).toBeInstanceOf(Unknown);
    expect(String(debug?.condition)).toBe('only when Env = prod');
    expect(model?.groups.find((g) => g.address === 'DbSG')?.condition).toBeUndefined();
  });

  it('uses --parameter values over defaults and choices', () => {
    const fixed = scanFixture('params.yaml', { parameters: [['Env', 'dev'], ['AccessCidr', '0.0.0.0/0'], ['DbPort', '5432'], ['AdminCidr', '192.0.2.0/24']] });
    expect(rulesOf(fixed)).toEqual([
      'DbSG/ingress/0 DbSG ingress tcp port 5432 0.0.0.0/0 @23-26',
      'DbSG/ingress/1 DbSG ingress tcp port 22 192.0.2.0/24 @27-30',
      'DbSG/egress/0 DbSG egress all all ports 10.0.0.0/8 @38-39',
    ]);
    expect(fixed?.rules.every((r) => r.assumptions === undefined)).toBe(true);
    expect(fixed?.groups.map((g) => g.address)).toEqual(['DbSG']);
  });
});

describe('conditions that depend on deploy-time values', () => {
  const text = [
    'AWSTemplateFormatVersion: "2010-09-09"', // 1
    'Conditions:', // 2
    '  InUsEast1:', // 3
    '    Fn::Equals: [{ Ref: "AWS::Region" }, us-east-1]', // 4
    'Resources:', // 5
    '  SG:', // 6
    '    Type: AWS::EC2::SecurityGroup', // 7
    '    Properties:', // 8
    '      GroupDescription: regional', // 9
    '      SecurityGroupEgress:', // 10
    '        - Fn::If:', // 11
    '            - InUsEast1', // 12
    '            - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }', // 13
    '            - { IpProtocol: udp, FromPort: 53, ToPort: 53, CidrIp: 10.0.0.2/32 }', // 14
    '  Extra:', // 15
    '    Type: AWS::EC2::SecurityGroupIngress', // 16
    '    Condition: InUsEast1', // 17
    '    Properties: { GroupId: { Ref: SG }, IpProtocol: "-1", CidrIpv6: "::/0" }', // 18
  ].join('\n');

  it('emits both branches of Fn::If, each with its assumption', () => {
    const model = scanText(text);
    expect(rulesOf(model)).toEqual([
      'SG/egress/0 SG egress tcp port 443 0.0.0.0/0 @13-13',
      'SG/egress/0~1 SG egress udp port 53 10.0.0.2/32 @14-14',
      'Extra SG ingress all all ports ::/0 @15-18',
    ]);
    expect(model?.rules.map((r) => r.assumptions)).toEqual([['condition InUsEast1 is true'], ['condition InUsEast1 is false'], ['condition InUsEast1 is true']]);
  });
});
