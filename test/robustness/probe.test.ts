import { it } from 'vitest';
import { GOOD_TF, GOOD_CFN, tmpTree, scanTree } from './helpers.js';

const deepYaml = (n: number) => 'Resources:\n  X:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      Tags: ' + '['.repeat(n) + ']'.repeat(n) + '\n';
const deepYamlBlock = (n: number) => { let s = 'Resources:\n  X:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      Tags:\n'; for (let i=0;i<n;i++) s += ' '.repeat(8 + i) + '- \n'; return s; };
const deepJson = (n: number) => '{"Resources":{"X":{"Type":"AWS::EC2::SecurityGroup","Properties":{"Tags":' + '['.repeat(n) + ']'.repeat(n) + '}}}}';
const deepHcl = (n: number) => 'locals {\n  x = ' + '['.repeat(n) + ']'.repeat(n) + '\n}\n';
const deepHclBlocks = (n: number) => 'a {\n'.repeat(n) + '}\n'.repeat(n);

const cases: Record<string, Record<string, string | Buffer>> = {
  deepYaml: { 'bad.yaml': deepYaml(10000) },
  deepYamlBlock: { 'bad.yaml': deepYamlBlock(2000) },
  deepJson: { 'bad.json': deepJson(10000) },
  deepHcl: { 'bad.tf': deepHcl(10000) },
  deepHclBlocks: { 'bad.tf': deepHclBlocks(10000) },
  deepParens: { 'bad.tf': 'locals {\n  x = ' + '('.repeat(10000) + '1' + ')'.repeat(10000) + '\n}\n' },
  circLocals: { 'bad.tf': 'locals {\n  a = local.b\n  b = local.a\n}\nresource "aws_security_group" "c" {\n  ingress {\n from_port = 22\n to_port = 22\n protocol = "tcp"\n cidr_blocks = [local.a]\n }\n}\n' },
  range: { 'bad.tf': 'locals {\n  a = range(1e9)\n  b = [for i in range(100000) : [for j in range(100000) : [i, j]]]\n  c = length(local.b)\n}\nresource "aws_security_group" "c" {\n  ingress {\n from_port = 22\n to_port = 22\n protocol = "tcp"\n cidr_blocks = [for x in local.a : "0.0.0.0/0"]\n }\n}\n' },
  cfnCond: { 'bad.yaml': 'Conditions:\n  A: !Condition A\n  B: !And [!Condition C, !Condition B]\n  C: !Not [!Condition B]\nResources:\n  X:\n    Type: AWS::EC2::SecurityGroup\n    Condition: A\n    Properties:\n      GroupDescription: x\n  Y:\n    Type: AWS::EC2::SecurityGroup\n    Condition: B\n    Properties:\n      GroupDescription: x\n' },
  binary: { 'bad.tf': Buffer.from('resource "a" "b" {\n\u0000\u0001\u0002}\n') },
  modcycle: { 'bad.tf': 'module "self" {\n  source = "./"\n}\nmodule "x" {\n  source = "./m"\n}\n', 'm/main.tf': 'module "back" {\n  source = "../"\n}\n' },
};

for (const [name, files] of Object.entries(cases)) {
  it(name, async () => {
    const root = tmpTree({ 'good.tf': GOOD_TF, 'good.yaml': GOOD_CFN, ...files });
    const t = Date.now();
    const { result } = await scanTree(root);
    console.log(name, Date.now() - t, 'ms', JSON.stringify({ errors: result.errors, notices: result.notices.slice(0, 5), findings: result.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.resource}`) }, null, 1).slice(0, 3000));
  });
}
