import { describe, expect, it } from 'vitest';
import { check as sgs023 } from '../../rules/nacl/nacl-admin-port-open-to-world.js';
import { messages, of, scanText } from './scan-text.js';

// Issue 18's list of wrong answers, each as a Terraform + CloudFormation twin where both formats can
// express it. Lines are 1-based, as reported.

describe('SGS020: OpenSearch / Elasticsearch in a VPC without groups land in the default group', () => {
  const tf = (type: string) => `resource "${type}" "search" {
  domain_name = "search"
  vpc_options {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }
}

resource "${type}" "public" {
  domain_name = "public"
}

resource "${type}" "grouped" {
  domain_name = "grouped"
  vpc_options {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}
`;
  const cfn = (type: string) => `Resources:
  Search:
    Type: ${type}
    Properties:
      VPCOptions:
        SubnetIds: [subnet-0123456789abcdef0]
  Public:
    Type: ${type}
    Properties:
      DomainName: public
  Grouped:
    Type: ${type}
    Properties:
      VPCOptions:
        SubnetIds: [subnet-0123456789abcdef0]
        SecurityGroupIds: [sg-0123456789abcdef0]
`;
  it('Terraform aws_opensearch_domain and aws_elasticsearch_domain', async () => {
    for (const type of ['aws_opensearch_domain', 'aws_elasticsearch_domain']) {
      const r = await scanText('main.tf', tf(type));
      expect(of(r, 'SGS020'), type).toEqual([`1 ${type}.search`]);
      expect(messages(r, 'SGS020')[0]).toContain("default security group");
    }
  });
  it('CloudFormation AWS::OpenSearchService::Domain and AWS::Elasticsearch::Domain', async () => {
    for (const type of ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain']) {
      const r = await scanText('template.yaml', cfn(type));
      expect(of(r, 'SGS020'), type).toEqual(['2 Search']);
    }
  });
});

describe('SGS022: groups used only by EMR (and other schema-listed resources) are attached', () => {
  const tf = `resource "aws_security_group" "app" {
  name        = "app"
  description = "app"
}

resource "aws_security_group" "master" {
  name        = "master"
  description = "EMR master"
}

resource "aws_security_group" "workspace" {
  name        = "workspace"
  description = "EMR Studio workspaces"
}

resource "aws_security_group" "orphan" {
  name        = "orphan"
  description = "nothing uses it"
}

resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_emr_cluster" "etl" {
  name          = "etl"
  release_label = "emr-7.0.0"
  service_role  = "EMR_DefaultRole"
  ec2_attributes {
    instance_profile                  = "EMR_EC2_DefaultRole"
    emr_managed_master_security_group = aws_security_group.master.id
  }
}

resource "aws_emr_studio" "studio" {
  name                        = "studio"
  auth_mode                   = "IAM"
  default_s3_location         = "s3://bucket/studio"
  service_role                = "arn:aws:iam::123456789012:role/studio"
  vpc_id                      = "vpc-0123456789abcdef0"
  subnet_ids                  = ["subnet-0123456789abcdef0"]
  engine_security_group_id    = aws_security_group.master.id
  workspace_security_group_id = aws_security_group.workspace.id
}
`;
  const cfn = `Resources:
  App:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
  Master:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: EMR master
  Workspace:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: EMR Studio workspaces
  Orphan:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: nothing uses it
  AppServer:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      SecurityGroupIds: [!GetAtt App.GroupId]
  Etl:
    Type: AWS::EMR::Cluster
    Properties:
      Name: etl
      JobFlowRole: EMR_EC2_DefaultRole
      ServiceRole: EMR_DefaultRole
      Instances:
        EmrManagedMasterSecurityGroup: !Ref Master
  Studio:
    Type: AWS::EMR::Studio
    Properties:
      Name: studio
      AuthMode: IAM
      DefaultS3Location: s3://bucket/studio
      ServiceRole: arn:aws:iam::123456789012:role/studio
      VpcId: vpc-0123456789abcdef0
      SubnetIds: [subnet-0123456789abcdef0]
      EngineSecurityGroupId: !Ref Workspace
      WorkspaceSecurityGroupId: !Ref Workspace
`;
  it('Terraform', async () => {
    expect(of(await scanText('main.tf', tf), 'SGS022')).toEqual(['16 aws_security_group.orphan']);
  });
  it('CloudFormation', async () => {
    expect(of(await scanText('template.yaml', cfn), 'SGS022')).toEqual(['14 Orphan']);
  });
});

describe('SGS022: a group attached by name (security_groups = ["web"]) is attached', () => {
  const tf = `resource "aws_security_group" "web" {
  name        = "web"
  description = "web servers"
}

resource "aws_security_group" "unused" {
  name        = "unused"
  description = "nothing uses it"
}

resource "aws_instance" "web" {
  ami             = "ami-0123456789abcdef0"
  instance_type   = "t3.micro"
  security_groups = ["web"]
}
`;
  const cfn = `Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: web servers
  Unused:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: unused
      GroupDescription: nothing uses it
  WebServer:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      SecurityGroups: [web]
`;
  it('Terraform', async () => {
    expect(of(await scanText('main.tf', tf), 'SGS022')).toEqual(['6 aws_security_group.unused']);
  });
  it('CloudFormation', async () => {
    expect(of(await scanText('template.yaml', cfn), 'SGS022')).toEqual(['7 Unused']);
  });
});

describe('CloudFormation SecurityGroupIngress written as one mapping', () => {
  const tf = `resource "aws_security_group" "web" {
  name        = "web"
  description = "web"
  ingress = {
    description = "SSH"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
  const cfn = `Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        Description: SSH
        IpProtocol: tcp
        FromPort: 22
        ToPort: 22
        CidrIp: 0.0.0.0/0
`;
  it('Terraform (the attribute form with one object) is scanned', async () => {
    expect(of(await scanText('main.tf', tf), 'SGS001')).toEqual(['4 aws_security_group.web']);
  });
  it('CloudFormation is scanned as a list of one rule, with no notice', async () => {
    const r = await scanText('template.yaml', cfn);
    expect(of(r, 'SGS001')).toEqual(['7 Web']);
    expect(r.notices).toEqual([]);
  });
});

describe('CloudFormation: an inline item that is a !Ref to an AWS::EC2::SecurityGroupIngress resource', () => {
  // Terraform has no counterpart: an inline ingress list cannot hold a reference to a rule resource.
  const cfn = `Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - !Ref HttpIngress
  HttpIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      Description: HTTP
      GroupId: !GetAtt Web.GroupId
      IpProtocol: tcp
      FromPort: 80
      ToPort: 80
      CidrIp: 10.0.0.0/16
`;
  it('is a notice naming the file, line and resource; no invalid rule, no SGS003 for it', async () => {
    const r = await scanText('template.yaml', cfn);
    expect(messages(r, 'SGS007')).toEqual([]);
    expect(messages(r, 'SGS003')).toEqual([]);
    expect(r.notices.map((n) => `${n.file}:${n.line}`)).toEqual(['template.yaml:7']);
    expect(r.notices[0].message).toMatch(/HttpIngress.*AWS::EC2::SecurityGroupIngress/);
    expect(r.notices[0].message).not.toContain('undefined');
  });
});

describe('SGS007: a rule with two sources (CidrIp and CidrIpv6) is rejected by AWS', () => {
  const tf = `resource "aws_security_group" "web" {
  name        = "web"
  description = "web"
}

resource "aws_vpc_security_group_ingress_rule" "http" {
  security_group_id = aws_security_group.web.id
  description       = "HTTP"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
  cidr_ipv6         = "::/0"
}
`;
  const cfn = `Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
  HttpIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      Description: HTTP
      GroupId: !GetAtt Web.GroupId
      IpProtocol: tcp
      FromPort: 80
      ToPort: 80
      CidrIp: 0.0.0.0/0
      CidrIpv6: ::/0
`;
  it('Terraform aws_vpc_security_group_ingress_rule with cidr_ipv4 and cidr_ipv6', async () => {
    const r = await scanText('main.tf', tf);
    expect(of(r, 'SGS007')).toEqual(['6 aws_vpc_security_group_ingress_rule.http']);
    expect(messages(r, 'SGS007')[0]).toMatch(/cidr_ipv4.*cidr_ipv6.*only one/);
  });
  it('CloudFormation AWS::EC2::SecurityGroupIngress with CidrIp and CidrIpv6', async () => {
    const r = await scanText('template.yaml', cfn);
    expect(of(r, 'SGS007')).toEqual(['6 HttpIngress']);
    expect(messages(r, 'SGS007')[0]).toMatch(/CidrIp.*CidrIpv6.*only one/);
  });
});

describe('SGS011: reserved 0.0.0.0/8 is not a wide private range; a /N of 0.0.0.0 is a likely typo for /0', () => {
  const tf = (cidr: string) => `resource "aws_security_group" "admin" {
  name        = "admin"
  description = "admin"
  ingress {
    description = "SSH"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["${cidr}"]
  }
}
`;
  const cfn = (cidr: string) => `Resources:
  Admin:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - Description: SSH
          IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: ${cidr}
`;
  for (const cidr of ['0.0.0.0/12', '0.0.0.0/24']) {
    it(`Terraform ${cidr}`, async () => {
      const r = await scanText('main.tf', tf(cidr));
      expect(of(r, 'SGS011')).toEqual([]);
      expect(of(r, 'SGS043')).toEqual(['4 aws_security_group.admin']);
      expect(messages(r, 'SGS043')[0]).toMatch(/typo for 0\.0\.0\.0\/0/);
    });
    it(`CloudFormation ${cidr}`, async () => {
      const r = await scanText('template.yaml', cfn(cidr));
      expect(of(r, 'SGS011')).toEqual([]);
      expect(of(r, 'SGS043')).toEqual(['7 Admin']);
      expect(messages(r, 'SGS043')[0]).toMatch(/typo for 0\.0\.0\.0\/0/);
    });
  }
  // 0.0.0.0/4 is 0.0.0.0-15.255.255.255: public addresses past the reserved /8, so it matches traffic. It is
  // a wide public range (SGS010's), not a rule that matches nothing: one finding, by the check that is true.
  for (const cidr of ['0.0.0.0/4']) {
    it(`Terraform ${cidr} is a public range, not reserved space`, async () => {
      const r = await scanText('main.tf', tf(cidr));
      expect(of(r, 'SGS043')).toEqual([]);
      expect(of(r, 'SGS010')).toEqual(['4 aws_security_group.admin']);
    });
    it(`CloudFormation ${cidr} is a public range, not reserved space`, async () => {
      const r = await scanText('template.yaml', cfn(cidr));
      expect(of(r, 'SGS043')).toEqual([]);
      expect(of(r, 'SGS010')).toEqual(['7 Admin']);
    });
  }
  it('10.0.0.0/8 is still a wide private range', async () => {
    expect(of(await scanText('main.tf', tf('10.0.0.0/8')), 'SGS011')).toEqual(['4 aws_security_group.admin']);
  });
});

describe('SGS017: inline rules of one direction and standalone rules of the other do not fight', () => {
  // CloudFormation has no such conflict (SGS017 is Terraform's), so there is no CloudFormation twin.
  const tf = (inline: 'egress' | 'ingress') => `resource "aws_security_group" "app" {
  name        = "app"
  description = "app"
  ${inline} {
    description = "HTTPS"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "10.0.0.0/16"
}
`;
  it('egress inline + ingress standalone: no finding', async () => {
    expect(of(await scanText('main.tf', tf('egress')), 'SGS017')).toEqual([]);
  });
  it('ingress inline + ingress standalone: reported', async () => {
    const r = await scanText('main.tf', tf('ingress'));
    expect(of(r, 'SGS017')).toEqual(['1 aws_security_group.app']);
    expect(messages(r, 'SGS017')[0]).toContain('ingress');
  });
});

describe("SGS023's equivalents are only checks of the same ports", () => {
  it('lists Checkov CKV_AWS_231 (3389) and CKV_AWS_232 (22), not the FTP checks or a port-agnostic one', () => {
    expect(sgs023.meta.equivalents?.checkov).toEqual(['CKV_AWS_231', 'CKV_AWS_232']);
    expect(sgs023.meta.equivalents?.trivy).toBeUndefined(); // AVD-AWS-0105 is any port: SGS024/SGS025
  });
  it("lists the FTP checks CKV_AWS_229 (21) and CKV_AWS_230 (20) as covered with strict's port list only", () => {
    expect(sgs023.meta.strictEquivalents).toEqual({ checkov: ['CKV_AWS_229', 'CKV_AWS_230'] });
  });
});
