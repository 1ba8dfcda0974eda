import { describe, expect, it } from 'vitest';
import { ResourceRef, Unknown } from '../../../src/model/value.js';
import { rulesOf, scanFixture } from './helpers.js';

// The same template written three ways: YAML short-form tags, YAML long form (Fn::), and JSON.
const cases: Array<[string, { rules: string[]; groups: string[]; lines: Record<string, Record<string, number>> }]> = [
  [
    'basic.yaml',
    {
      rules: [
        'WebSG/ingress/0 WebSG ingress tcp port 443 0.0.0.0/0 @18-22',
        'WebSG/ingress/1 WebSG ingress tcp port 22 10.1.0.0/16 (the default of parameter AdminCidr) @23-26',
        'WebSG/ingress/2 WebSG ingress tcp port 8080 members of AppSG.GroupId @27-30',
        'WebSG/egress/0 WebSG egress all all ports 10.0.0.0/16 @32-33',
        'AppSG/egress/implicit AppSG egress all all ports 0.0.0.0/0 @34-38',
        'SshFromWorld AppSG ingress tcp port 22 0.0.0.0/0 @39-46',
      ],
      groups: ['WebSG @12-33', 'AppSG @34-38'],
      lines: { 'WebSG/ingress/0': { CidrIp: 21, Description: 22, FromPort: 19 }, SshFromWorld: { CidrIp: 46, GroupId: 42, Type: 40 } },
    },
  ],
  [
    'basic-long.yaml',
    {
      rules: [
        'WebSG/ingress/0 WebSG ingress tcp port 443 0.0.0.0/0 @20-24',
        'WebSG/ingress/1 WebSG ingress tcp port 22 10.1.0.0/16 (the default of parameter AdminCidr) @25-29',
        'WebSG/ingress/2 WebSG ingress tcp port 8080 members of AppSG.GroupId @30-34',
        'WebSG/egress/0 WebSG egress all all ports 10.0.0.0/16 @36-40',
        'AppSG/egress/implicit AppSG egress all all ports 0.0.0.0/0 @41-46',
        'SshFromWorld AppSG ingress tcp port 22 0.0.0.0/0 @47-55',
      ],
      groups: ['WebSG @12-40', 'AppSG @41-46'],
      lines: { 'WebSG/ingress/0': { CidrIp: 23, Description: 24, FromPort: 21 }, SshFromWorld: { CidrIp: 55, GroupId: 50, Type: 48 } },
    },
  ],
  [
    'basic.json',
    {
      rules: [
        'WebSG/ingress/0 WebSG ingress tcp port 443 0.0.0.0/0 @18-24',
        'WebSG/ingress/1 WebSG ingress tcp port 22 10.1.0.0/16 (the default of parameter AdminCidr) @25-30',
        'WebSG/ingress/2 WebSG ingress tcp port 8080 members of AppSG.GroupId @31-36',
        'WebSG/egress/0 WebSG egress all all ports 10.0.0.0/16 @39-39',
        'AppSG/egress/implicit AppSG egress all all ports 0.0.0.0/0 @43-46',
        'SshFromWorld AppSG ingress tcp port 22 0.0.0.0/0 @47-56',
      ],
      groups: ['WebSG @12-42', 'AppSG @43-46'],
      lines: { 'WebSG/ingress/0': { CidrIp: 22, Description: 23, FromPort: 20 }, SshFromWorld: { CidrIp: 54, GroupId: 50, Type: 48 } },
    },
  ],
];

describe.each(cases)('%s', (name, expected) => {
  const model = scanFixture(name);

  it('yields exactly the written rules, with their lines', () => {
    expect(rulesOf(model)).toEqual(expected.rules);
    expect(model?.errors).toEqual([]);
  });

  it('locates groups and rule attributes', () => {
    expect(model?.groups.map((g) => `${g.address} @${g.location.line}-${g.location.endLine}`)).toEqual(expected.groups);
    for (const [id, lines] of Object.entries(expected.lines)) {
      const rule = model?.rules.find((r) => r.id === id);
      expect(rule?.attributeLines).toMatchObject(lines);
      expect(rule?.location.file).toBe(`fixtures/cloudformation/${name}`);
    }
  });

  it('evaluates intrinsics into the shared values', () => {
    const web = model?.groups.find((g) => g.address === 'WebSG');
    expect(web?.vpc).toEqual(new ResourceRef('Vpc'));
    expect(web?.description).toBeInstanceOf(Unknown);
    expect(String(web?.description)).toContain('AWS::StackName');
    const fromGroup = model?.rules.find((r) => r.id === 'WebSG/ingress/2');
    expect(fromGroup?.peer).toEqual({ kind: 'securityGroup', ref: new ResourceRef('AppSG', 'GroupId'), self: false });
    expect(model?.rules.find((r) => r.id === 'WebSG/ingress/1')?.fromPort).toBe('22');
    expect(model?.rules.find((r) => r.id === 'SshFromWorld')?.origin).toBe('standalone');
    expect(model?.resources.map((r) => `${r.address} ${r.resourceType} ${String(r.attributes.CidrBlock)}`)).toEqual(['Vpc AWS::EC2::VPC 10.0.0.0/16']);
  });
});

it('reads CRLF line endings and a UTF-8 BOM with the same lines', () => {
  expect(rulesOf(scanFixture('basic-crlf.yaml'))).toEqual(cases[0][1].rules);
});
