import { describe, expect, it } from 'vitest';
import { makeContext, parameterValues } from '../../../src/input/cloudformation/branches.js';
import { NO_VALUE, cidr, evaluate } from '../../../src/input/cloudformation/intrinsics.js';
import { parseYaml } from '../../../src/input/cloudformation/parse-yaml.js';
import { toTemplate } from '../../../src/input/cloudformation/template.js';
import { child } from '../../../src/input/cloudformation/node.js';
import { ResourceRef, Unknown } from '../../../src/model/value.js';

const TEMPLATE = `
Parameters:
  Cidr: { Type: String, Default: 10.0.0.0/16 }
  Ports: { Type: CommaDelimitedList, Default: "80, 443" }
  Missing: { Type: String }
  FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /net/cidr }
Mappings:
  Env:
    prod: { Cidr: 10.1.0.0/16, Same: x }
    dev: { Cidr: 10.2.0.0/16, Same: x }
Conditions:
  Yes: !Equals [a, a]
  Undecided: !Equals [!Ref 'AWS::Region', eu-west-1]
Resources:
  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: !Ref Cidr } }
  SG: { Type: AWS::EC2::SecurityGroup }
`;

function evalExpr(yaml: string, params: Array<[string, string]> = []) {
  const template = toTemplate(parseYaml(TEMPLATE));
  const ctx = makeContext(template, parameterValues(template, new Map(params)));
  const node = child(parseYaml(`X: ${yaml}`), 'X');
  if (!node) throw new Error('no node');
  return evaluate(node, ctx);
}

describe('intrinsic functions', () => {
  it('Fn::Length and Fn::ToJsonString (AWS::LanguageExtensions)', () => {
    expect(evalExpr('{ "Fn::Length": [a, b, c] }')).toBe(3);
    expect(evalExpr('{ "Fn::Length": !Ref Ports }')).toBe(2);
    expect(evalExpr('{ "Fn::Length": !Ref Missing }')).toEqual(new Unknown('parameter Missing has no value'));
    expect(String(evalExpr('{ "Fn::Length": abc }'))).toBe('Fn::Length of a non-list (abc)');
    expect(evalExpr('{ "Fn::ToJsonString": { a: !Ref Cidr, b: [1, true] } }')).toBe('{"a":"10.0.0.0/16","b":[1,true]}');
    expect(String(evalExpr('{ "Fn::ToJsonString": { sg: !GetAtt SG.GroupId } }'))).toBe('SG.GroupId is known only after deployment');
    expect(String(evalExpr('{ "Fn::ToJsonString": abc }'))).toBe('Fn::ToJsonString of a non-object (abc)');
  });

  it('Ref: parameters, resources, pseudo parameters, NoValue', () => {
    expect(evalExpr('!Ref Cidr')).toBe('10.0.0.0/16');
    expect(evalExpr('!Ref Cidr', [['Cidr', '0.0.0.0/0']])).toBe('0.0.0.0/0');
    expect(evalExpr('!Ref Ports')).toEqual(['80', '443']);
    expect(evalExpr('!Ref Missing')).toEqual(new Unknown('parameter Missing has no value'));
    expect(String(evalExpr('!Ref FromSsm'))).toBe('parameter FromSsm is read from SSM parameter /net/cidr at deploy time');
    expect(evalExpr('!Ref SG')).toEqual(new ResourceRef('SG'));
    expect(evalExpr('!Ref AWS::Region')).toEqual(new Unknown('AWS::Region is known only at deploy time'));
    expect(evalExpr('!Ref AWS::NoValue')).toBe(NO_VALUE);
  });

  it('Fn::GetAtt: group ids, VPC CIDR, other attributes', () => {
    expect(evalExpr('!GetAtt SG.GroupId')).toEqual(new ResourceRef('SG', 'GroupId'));
    expect(evalExpr('!GetAtt Vpc.CidrBlock')).toBe('10.0.0.0/16');
    expect(evalExpr('!GetAtt Vpc.Ipv6CidrBlocks')).toBeInstanceOf(Unknown);
  });

  it('Fn::Sub, Join, Select, Split, Base64, FindInMap', () => {
    expect(evalExpr('!Sub "${Cidr} and ${!Literal}"')).toBe('10.0.0.0/16 and ${Literal}');
    expect(evalExpr('!Sub ["${A}/24", { A: 10.0.0.0 }]')).toBe('10.0.0.0/24');
    expect(String(evalExpr('!Sub "${AWS::AccountId}-x"'))).toBe('AWS::AccountId is known only at deploy time');
    expect(evalExpr('!Join ["/", [10.0.0.0, "8"]]')).toBe('10.0.0.0/8');
    expect(evalExpr('!Select [1, !Split [",", "a,b,c"]]')).toBe('b');
    expect(evalExpr('!Base64 abc')).toBe('YWJj');
    expect(evalExpr('!FindInMap [Env, dev, Cidr]')).toBe('10.2.0.0/16');
    expect(evalExpr('!FindInMap [Env, !Ref Missing, Same]')).toBe('x');
    expect(evalExpr('!FindInMap [Env, !Ref Missing, Cidr]')).toBeInstanceOf(Unknown);
  });

  it('Fn::If, Fn::GetAZs, Fn::ImportValue', () => {
    expect(evalExpr('!If [Yes, a, b]')).toBe('a');
    expect(evalExpr('!If [Undecided, a, a]')).toBe('a');
    expect(String(evalExpr('!If [Undecided, a, b]'))).toMatch(/^depends on condition Undecided; condition Undecided is undecided; AWS::Region/);
    expect(evalExpr('!Select [0, !GetAZs ""]')).toBeInstanceOf(Unknown);
    expect(evalExpr('!ImportValue shared-sg')).toEqual(new Unknown('imported from another stack: shared-sg'));
  });

  it('Fn::Cidr computes the subnets', () => {
    expect(evalExpr('!Cidr [!GetAtt Vpc.CidrBlock, 3, 8]')).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    expect(cidr('10.0.5.7/16', 2, 12)).toEqual(['10.0.0.0/20', '10.0.16.0/20']);
    expect(cidr('2001:db8::/56', 2, 64)).toEqual(['2001:db8::/64', '2001:db8:0:1::/64']);
    expect(cidr('10.0.0.0/24', 4, 8)).toBeInstanceOf(Unknown);
  });
});
