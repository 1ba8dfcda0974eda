// A small, realistic Terraform estate for exposure tests: a VPC with a public subnet (routed to an
// internet gateway, default NACL) holding aws_instance.web with a public IP, and a private subnet (main
// route table, no route out) holding aws_instance.worker. Files: network.tf, security.tf, nacl.tf.

export const NETWORK = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_instance" "web" {
  ami                         = "ami-0abcdef1234567890"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public.id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.web.id]
}

resource "aws_instance" "worker" {
  ami                    = "ami-0abcdef1234567890"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.worker.id]
}
`;

export interface Ingress {
  port: number;
  cidr: string;
  description: string;
}
export const HTTPS: Ingress = { port: 443, cidr: '0.0.0.0/0', description: 'https' };
export const SSH: Ingress = { port: 22, cidr: '0.0.0.0/0', description: 'ssh' };
export const APP: Ingress = { port: 8080, cidr: '10.0.0.0/16', description: 'app from the vpc' };

export function group(name: string, rules: Ingress[]): string {
  const blocks = rules.map(
    (r) => `
  ingress {
    description = "${r.description}"
    protocol    = "tcp"
    from_port   = ${r.port}
    to_port     = ${r.port}
    cidr_blocks = ["${r.cidr}"]
  }
`,
  );
  return `resource "aws_security_group" "${name}" {
  name        = "${name}"
  description = "${name} servers"
  vpc_id      = aws_vpc.main.id
${blocks.join('')}}
`;
}

/** security.tf: the web and worker groups. */
export function groups(web: Ingress[], worker: Ingress[]): string {
  return `${group('web', web)}\n${group('worker', worker)}`;
}

/** nacl.tf: a custom NACL on the public subnet allowing everything, optionally after denying SSH. */
export function nacl(denySsh: boolean): string {
  const deny = `resource "aws_network_acl_rule" "deny_ssh" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 90
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

`;
  return `resource "aws_network_acl" "public" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.public.id]
}

${denySsh ? deny : ''}resource "aws_network_acl_rule" "allow_in" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = false
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "allow_out" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}
`;
}
