import { describe, expect, it } from 'vitest';
import { ResourceRef, Unknown } from '../../../src/model/value.js';
import { scanText } from './helpers.js';

const text = [
  'AWSTemplateFormatVersion: "2010-09-09"', // 1
  'Parameters:', // 2
  '  Public:', // 3
  '    Type: String', // 4
  '    AllowedValues: ["yes", "no"]', // 5
  '    Default: "no"', // 6
  '  VpcCidr:', // 7
  '    Type: String', // 8
  '    AllowedValues: [10.0.0.0/16, 10.1.0.0/16]', // 9
  '    Default: 10.0.0.0/16', // 10
  'Conditions:', // 11
  '  IsPublic: !Equals [!Ref Public, "yes"]', // 12
  'Resources:', // 13
  '  Vpc:', // 14
  '    Type: AWS::EC2::VPC', // 15
  '    Properties:', // 16
  '      CidrBlock: !Ref VpcCidr', // 17
  '  Subnet:', // 18
  '    Type: AWS::EC2::Subnet', // 19
  '    Properties:', // 20
  '      VpcId: !Ref Vpc', // 21
  '      MapPublicIpOnLaunch: !If [IsPublic, true, false]', // 22
  '  Db:', // 23
  '    Type: AWS::RDS::DBInstance', // 24
  '    Properties:', // 25
  '      PubliclyAccessible: !If [IsPublic, "true", "false"]', // 26
  '      Engine: mysql', // 27
  '  Template:', // 28
  '    Type: AWS::EC2::LaunchTemplate', // 29
  '    Properties:', // 30
  '      LaunchTemplateData:', // 31
  '        NetworkInterfaces:', // 32
  '          - DeviceIndex: 0', // 33
  '            AssociatePublicIpAddress: !If [IsPublic, true, !Ref AWS::NoValue]', // 34
  '  Igw:', // 35
  '    Type: AWS::EC2::InternetGateway', // 36
  '    Condition: IsPublic', // 37
].join('\n');

describe('network resources evaluated per branch', () => {
  const model = scanText(text, 'net.yaml');
  const res = (address: string) => model?.resources.find((r) => r.address === address);

  it('carries a property that differs between choices as Unknown naming them (in AllowedValues order)', () => {
    expect(String(res('Db')?.attributes.PubliclyAccessible)).toBe('PubliclyAccessible depends on parameter Public (true when Public = yes; false when Public = no)');
    expect(res('Db')?.attributes.PubliclyAccessible).toBeInstanceOf(Unknown);
    expect(res('Db')?.attributes.Engine).toBe('mysql');
    expect(res('Db')?.attributeLines.PubliclyAccessible).toBe(26);
    expect(String(res('Subnet')?.attributes.MapPublicIpOnLaunch)).toBe('MapPublicIpOnLaunch depends on parameter Public (true when Public = yes; false when Public = no)');
    expect(res('Subnet')?.attributes.VpcId).toEqual(new ResourceRef('Vpc'));
    expect(String(res('Vpc')?.attributes.CidrBlock)).toBe('CidrBlock depends on parameter VpcCidr (10.0.0.0/16 when VpcCidr = 10.0.0.0/16; 10.1.0.0/16 when VpcCidr = 10.1.0.0/16)');
  });

  it('makes only the differing part of a nested property unknown', () => {
    const data = res('Template')?.attributes.LaunchTemplateData as { NetworkInterfaces: Array<Record<string, unknown>> };
    expect(data.NetworkInterfaces[0].DeviceIndex).toBe(0);
    expect(String(data.NetworkInterfaces[0].AssociatePublicIpAddress)).toBe(
      'LaunchTemplateData.NetworkInterfaces[0].AssociatePublicIpAddress depends on parameter Public (true when Public = yes; not set when Public = no)',
    );
  });

  it('marks a resource that exists only under some choices, at its line', () => {
    expect(res('Igw')?.location).toEqual({ file: 'net.yaml', line: 35, endLine: 37 });
    expect(String(res('Igw')?.condition)).toBe('only when Public = yes');
    expect(res('Db')?.condition).toBeUndefined();
  });

  it('uses the fixed value when the parameter is given', () => {
    const fixed = scanText(text, 'net.yaml', { parameters: [['Public', 'yes']] });
    const db = fixed?.resources.find((r) => r.address === 'Db');
    expect(db?.attributes.PubliclyAccessible).toBe('true');
    expect(fixed?.resources.find((r) => r.address === 'Igw')?.condition).toBeUndefined();
  });
});
