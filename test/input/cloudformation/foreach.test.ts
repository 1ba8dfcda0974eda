import { describe, expect, it } from 'vitest';
import { rulesOf, scanFixture, scanText } from './helpers.js';

describe('Fn::ForEach (AWS::LanguageExtensions)', () => {
  const model = scanFixture('foreach.yaml');

  it('expands a loop into one resource per item, located at the loop body', () => {
    expect(rulesOf(model)).toEqual([
      'WebSG/ingress/0 WebSG ingress tcp port 22 10.0.0.0/8 @15-18',
      'WebSG/egress/implicit WebSG egress all all ports 0.0.0.0/0 @10-18',
      'WebIngress80 WebSG ingress tcp port 80 0.0.0.0/0 @22-30',
      'WebIngress443 WebSG ingress tcp port 443 0.0.0.0/0 @22-30',
      'Admin1010016 WebSG ingress tcp port 3389 10.1.0.0/16 @34-41',
      'Admin1921680024 WebSG ingress tcp port 3389 192.168.0.0/24 @34-41',
    ]);
  });

  it('substitutes ${Identifier}, &{Identifier} and Ref Identifier', () => {
    const rule = model?.rules.find((r) => r.id === 'WebIngress443');
    expect(rule?.fromPort).toBe('443');
    expect(rule?.description).toBe('public 443');
    expect(rule?.attributeLines).toMatchObject({ FromPort: 27, CidrIp: 29 });
  });

  it('says when the collection is not static, at the loop', () => {
    expect(model?.notices).toEqual([
      { file: 'fixtures/cloudformation/foreach.yaml', line: 42, message: 'Fn::ForEach::Nothing loops over unknown (parameter Unset has no value), which is not a static list; what it generates is not scanned' },
    ]);
    expect(model?.groups.map((g) => g.address)).toEqual(['WebSG']);
  });

  it('follows a --parameter list and expands loops nested in loops', () => {
    const given = scanFixture('foreach.yaml', { parameters: [['Ports', '8080'], ['Unset', 'a,b']] });
    expect(given?.groups.map((g) => g.address)).toEqual(['WebSG', 'Nevera', 'Neverb']);
    expect(given?.rules.filter((r) => r.resource.startsWith('WebIngress')).map((r) => r.id)).toEqual(['WebIngress8080']);
    const nested = scanText(
      [
        'Transform: AWS::LanguageExtensions', // 1
        'Resources:', // 2
        '  Fn::ForEach::Tiers:', // 3
        '    - Tier', // 4
        '    - [web, app]', // 5
        '    - Fn::ForEach::Ports:', // 6
        '        - Port', // 7
        '        - ["22", "443"]', // 8
        '        - ${Tier}In${Port}:', // 9
        '            Type: AWS::EC2::SecurityGroupIngress', // 10
        '            Properties: { GroupId: !Ref "${Tier}SG", IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 10.0.0.0/8 }', // 11
        '  Fn::ForEach::Groups:', // 12
        '    - Tier', // 13
        '    - [web, app]', // 14
        '    - ${Tier}SG:', // 15
        '        Type: AWS::EC2::SecurityGroup', // 16
        '        Properties: { GroupDescription: "${Tier} tier" }', // 17
      ].join('\n'),
      'loops.yaml',
    );
    expect(rulesOf(nested)).toEqual([
      'webIn22 webSG ingress tcp port 22 10.0.0.0/8 @9-11',
      'webIn443 webSG ingress tcp port 443 10.0.0.0/8 @9-11',
      'appIn22 appSG ingress tcp port 22 10.0.0.0/8 @9-11',
      'appIn443 appSG ingress tcp port 443 10.0.0.0/8 @9-11',
      'webSG/egress/implicit webSG egress all all ports 0.0.0.0/0 @15-17',
      'appSG/egress/implicit appSG egress all all ports 0.0.0.0/0 @15-17',
    ]);
    expect(nested?.groups.map((g) => [g.address, g.description])).toEqual([['webSG', 'web tier'], ['appSG', 'app tier']]);
  });
});
