import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { coverageOf } from '../../src/cli/peers-doc.js';
import type { SgscanConfig } from '../../src/config/types.js';
import { withFolded } from '../../src/model/check.js';
import { scanText } from './scan-text.js';

// The mapping of docs/peers.md, held against the scan: for a sample of peer checks, the peer's own
// positive case (written small) is reported by the sgscan check that docs/peers.md says covers it,
// in the preset it names, and a strict-only coverage stays quiet in recommended.

const STRICT: SgscanConfig = { preset: 'strict', rules: {}, suppressions: [], inlineSuppressions: true };
const coverage = coverageOf(ALL_CHECKS);

const sg = (rules: string) => `resource "aws_security_group" "web" {
  name        = "web"
  description = "web"
  vpc_id      = "vpc-1"
${rules}
}
`;
const ingress = (proto: string, from: number, to: number, cidr: string) =>
  `  ingress {\n    description = "x"\n    protocol    = "${proto}"\n    from_port   = ${from}\n    to_port     = ${to}\n    cidr_blocks = ["${cidr}"]\n  }`;
const nacl = (proto: string, from: number, to: number, cidr: string) => `resource "aws_network_acl" "main" {
  vpc_id     = "vpc-1"
  subnet_ids = ["subnet-1"]
  ingress {
    protocol   = "${proto}"
    rule_no    = 100
    action     = "allow"
    cidr_block = "${cidr}"
    from_port  = ${from}
    to_port    = ${to}
  }
}
`;
const cfnSg = (ingressYaml: string, extra = '') => `Resources:
  WebSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: vpc-1
${ingressYaml}${extra}`;

interface Sample {
  peers: string[];
  rule: string;
  preset: 'recommended' | 'strict';
  file: string;
  text: string;
}

const SAMPLES: Sample[] = [
  { peers: ['checkov:CKV_AWS_24', 'kics:65905cec-d691-4320-b320-2000436cb696', 'trivy:AVD-AWS-0107', 'cfnNag:W2'], rule: 'SGS001', preset: 'recommended', file: 'main.tf', text: sg(ingress('tcp', 22, 22, '0.0.0.0/0')) },
  { peers: ['checkov:CKV_AWS_25', 'kics:151187cb-0efc-481c-babd-ad24e3c9bc22'], rule: 'SGS001', preset: 'recommended', file: 'main.tf', text: sg(ingress('tcp', 3389, 3389, '0.0.0.0/0')) },
  { peers: ['checkov:CKV_AWS_260', 'kics:ffac8a12-322e-42c1-b9b9-81ff85c39ef7'], rule: 'SGS005', preset: 'strict', file: 'main.tf', text: sg(ingress('tcp', 80, 80, '0.0.0.0/0')) },
  { peers: ['kics:4728cd65-a20c-49da-8b31-9c08b423e4db', 'kics:590d878b-abdc-428f-895a-e2b68a0e1998', 'checkov:CKV2_AWS_7'], rule: 'SGS005', preset: 'recommended', file: 'main.tf', text: sg(ingress('tcp', 8080, 8080, '0.0.0.0/0')) },
  { peers: ['checkov:CKV_AWS_277', 'kics:e415f8d3-fc2b-4f52-88ab-1129e8c8d3f5'], rule: 'SGS002', preset: 'recommended', file: 'main.tf', text: sg(ingress('-1', 0, 0, '0.0.0.0/0')) },
  { peers: ['kics:adcd0082-e90b-4b63-862b-21899f6e6a48'], rule: 'SGS002', preset: 'recommended', file: 'template.yaml', text: cfnSg('      SecurityGroupIngress:\n        - IpProtocol: "-1"\n          CidrIp: 0.0.0.0/0\n          Description: all\n') },
  { peers: ['kics:cdbb0467-2957-4a77-9992-7b55b29df7b7', 'kics:4a1e6b34-1008-4e61-a5f2-1f7c276f8d14'], rule: 'SGS005', preset: 'recommended', file: 'template.yaml', text: cfnSg('      SecurityGroupIngress:\n        - IpProtocol: udp\n          FromPort: 137\n          ToPort: 138\n          CidrIp: 0.0.0.0/0\n          Description: netbios\n') },
  { peers: ['checkov:CKV_AWS_382', 'trivy:AVD-AWS-0104', 'kics:66f2d8f9-a911-4ced-ae27-34f09690bb2c', 'cfnNag:W5'], rule: 'SGS009', preset: 'recommended', file: 'main.tf', text: sg('  egress {\n    description = "all"\n    protocol    = "-1"\n    from_port   = 0\n    to_port     = 0\n    cidr_blocks = ["0.0.0.0/0"]\n  }') },
  { peers: ['checkov:CKV_AWS_23', 'kics:68eb4bf3-f9bf-463d-b5cf-e029bb446d2e', 'trivy:AVD-AWS-0124'], rule: 'SGS003', preset: 'recommended', file: 'main.tf', text: sg('  ingress {\n    protocol    = "tcp"\n    from_port   = 443\n    to_port     = 443\n    cidr_blocks = ["10.0.0.0/16"]\n  }') },
  { peers: ['kics:cb3f5ed6-0d18-40de-a93d-b3538db31e8c', 'trivy:AVD-AWS-0099'], rule: 'SGS003', preset: 'recommended', file: 'main.tf', text: 'resource "aws_security_group" "web" {\n  name   = "web"\n  vpc_id = "vpc-1"\n}\n' },
  { peers: ['kics:1a427b25-2e9e-4298-9530-0499a55e736b', 'cfnNag:W41'], rule: 'SGS013', preset: 'recommended', file: 'template.yaml', text: cfnSg('      SecurityGroupIngress:\n        - IpProtocol: "-1"\n          CidrIp: 10.0.0.0/16\n          Description: vpc\n') },
  { peers: ['cfnNag:F1000'], rule: 'SGS014', preset: 'recommended', file: 'template.yaml', text: cfnSg('') },
  { peers: ['kics:e35c16a2-d54e-419d-8546-a804d8e024d0'], rule: 'SGS010', preset: 'recommended', file: 'main.tf', text: sg(ingress('tcp', 3306, 3306, '52.1.2.0/24')) },
  { peers: ['kics:92fe237e-074c-4262-81a4-2077acb928c1'], rule: 'SGS011', preset: 'recommended', file: 'main.tf', text: sg(ingress('tcp', 3306, 3306, '10.0.0.0/8')) },
  { peers: ['checkov:CKV2_AWS_12', 'trivy:AVD-AWS-0173', 'kics:9a4ef195-74b9-4c58-b8ed-2b2fe4353a75', 'kics:46883ce1-dc3e-4b17-9195-c6a601624c73'], rule: 'SGS006', preset: 'recommended', file: 'main.tf', text: 'resource "aws_default_security_group" "default" {\n  vpc_id = "vpc-1"\n' + ingress('tcp', 443, 443, '0.0.0.0/0') + '\n}\n' },
  { peers: ['checkov:CKV_AWS_232', 'kics:3af7f2fd-06e6-4dab-b996-2912bea19ba4'], rule: 'SGS023', preset: 'recommended', file: 'main.tf', text: nacl('tcp', 22, 22, '0.0.0.0/0') },
  { peers: ['checkov:CKV_AWS_229'], rule: 'SGS023', preset: 'strict', file: 'main.tf', text: nacl('tcp', 21, 21, '0.0.0.0/0') },
  { peers: ['checkov:CKV_AWS_230'], rule: 'SGS023', preset: 'strict', file: 'main.tf', text: nacl('tcp', 20, 20, '0.0.0.0/0') },
  { peers: ['trivy:AVD-AWS-0105'], rule: 'SGS025', preset: 'recommended', file: 'main.tf', text: nacl('tcp', 0, 65535, '0.0.0.0/0') },
  { peers: ['trivy:AVD-AWS-0105'], rule: 'SGS024', preset: 'recommended', file: 'main.tf', text: nacl('-1', 0, 0, '0.0.0.0/0') },
  { peers: ['checkov:CKV2_AWS_1'], rule: 'SGS028', preset: 'recommended', file: 'main.tf', text: 'resource "aws_network_acl" "spare" {\n  vpc_id = "vpc-1"\n}\n' },
  { peers: ['checkov:CKV2_AWS_5', 'kics:4849211b-ac39-479e-ae78-5694d506cb24'], rule: 'SGS022', preset: 'recommended', file: 'main.tf', text: sg('') + 'resource "aws_instance" "app" {\n  ami                    = "ami-1"\n  instance_type          = "t3.micro"\n  vpc_security_group_ids = ["sg-other"]\n}\n' },
  { peers: ['checkov:CKV_AWS_130', 'trivy:AVD-AWS-0164', 'kics:52f04a44-6bfa-4c41-b1d3-4ae99a2de05c'], rule: 'SGS030', preset: 'recommended', file: 'main.tf', text: 'resource "aws_subnet" "pub" {\n  vpc_id                  = "vpc-1"\n  cidr_block              = "10.0.1.0/24"\n  map_public_ip_on_launch = true\n}\n' },
  { peers: ['cfnNag:W33', 'kics:b3de4e4c-14be-4159-b99d-9ad194365e4c'], rule: 'SGS030', preset: 'recommended', file: 'template.yaml', text: 'Resources:\n  Pub:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n      MapPublicIpOnLaunch: true\n' },
  { peers: ['checkov:CKV_AWS_88', 'kics:5a2486aa-facf-477d-a5c1-b010789459ce'], rule: 'SGS031', preset: 'recommended', file: 'main.tf', text: 'resource "aws_instance" "web" {\n  ami                         = "ami-1"\n  instance_type               = "t3.micro"\n  subnet_id                   = "subnet-1"\n  vpc_security_group_ids      = ["sg-1"]\n  associate_public_ip_address = true\n}\n' },
  { peers: ['checkov:CKV_AWS_17', 'trivy:AVD-AWS-0180', 'kics:35113e6f-2c6b-414d-beec-7a9482d3b2d1'], rule: 'SGS029', preset: 'recommended', file: 'main.tf', text: 'resource "aws_db_instance" "db" {\n  engine                 = "mysql"\n  instance_class         = "db.t3.micro"\n  vpc_security_group_ids = ["sg-1"]\n  publicly_accessible    = true\n}\n' },
  { peers: ['kics:045ddb54-cfc5-4abb-9e05-e427b2bc96fe', 'cfnNag:F79'], rule: 'SGS026', preset: 'recommended', file: 'template.yaml', text: `Resources:
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: vpc-1
  A:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 10.0.0.0/16
      PortRange: { From: 443, To: 443 }
  B:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 10.1.0.0/16
      PortRange: { From: 443, To: 443 }
` },
];

/** The rules that reported something, the folded findings included (one finding per problem hides the others). */
async function rulesReported(sample: Sample, preset: 'recommended' | 'strict'): Promise<Set<string>> {
  const result = await scanText(sample.file, sample.text, preset === 'strict' ? STRICT : undefined);
  return new Set(withFolded(result.findings).map((f) => f.ruleId));
}

describe("docs/peers.md's mapping holds on each peer's own positive case", () => {
  for (const s of SAMPLES) {
    it(`${s.peers.join(', ')}: ${s.rule} (${s.preset})`, async () => {
      for (const key of s.peers) {
        expect(coverage.get(key)?.map((c) => `${c.check.meta.id} ${c.preset}`), key).toContain(`${s.rule} ${s.preset}`);
      }
      expect(await rulesReported(s, s.preset)).toContain(s.rule);
      if (s.preset === 'strict') expect(await rulesReported(s, 'recommended')).not.toContain(s.rule);
    });
  }
});

describe('and where docs/peers.md says sgscan differs, it does', () => {
  it('443 open to the world (W2, KICS 4728cd65/4a1e6b34) is not reported, even in strict', async () => {
    const s: Sample = { peers: [], rule: '', preset: 'strict', file: 'main.tf', text: sg(ingress('tcp', 443, 443, '0.0.0.0/0')) };
    const got = await rulesReported(s, 'strict');
    for (const r of ['SGS001', 'SGS002', 'SGS004', 'SGS005']) expect(got).not.toContain(r);
  });
  it('tcp 0-0 from the world (KICS e415f8d3 reads it as every port) is not all traffic to AWS', async () => {
    const s: Sample = { peers: [], rule: '', preset: 'recommended', file: 'main.tf', text: sg(ingress('tcp', 0, 0, '0.0.0.0/0')) };
    expect(await rulesReported(s, 'recommended')).not.toContain('SGS002');
  });
  it('egress to 0.0.0.0/0 on one port (W5, AVD-AWS-0104, KICS 1cc2fbd7) is narrower than AWS default egress: no SGS009', async () => {
    const s: Sample = { peers: [], rule: '', preset: 'strict', file: 'main.tf', text: sg('  egress {\n    description = "https"\n    protocol    = "tcp"\n    from_port   = 443\n    to_port     = 443\n    cidr_blocks = ["0.0.0.0/0"]\n  }') };
    expect(await rulesReported(s, 'strict')).not.toContain('SGS009');
  });
});
