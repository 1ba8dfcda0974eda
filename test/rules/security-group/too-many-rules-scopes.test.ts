import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check as sgs018 } from '../../../rules/security-group/too-many-rules.js';
import { scan } from '../../../src/pipeline/scan.js';

// Two root modules (two templates) may both declare a prefix list at one address: each group counts
// its own scope's list, never the other scope's (as with every address, lookups are per scope).

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-pl-scope-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const cidrs = Array.from({ length: 15 }, (_, i) => `10.0.${i}.0/24`);

function terraform(maxEntries: number): string {
  return [
    'resource "aws_ec2_managed_prefix_list" "offices" {',
    '  name           = "offices"',
    '  address_family = "IPv4"',
    `  max_entries    = ${maxEntries}`,
    '}',
    '',
    'resource "aws_security_group" "app" {',
    '  name        = "app"',
    '  description = "app"',
    '  ingress {',
    '    description     = "offices"',
    '    protocol        = "tcp"',
    '    from_port       = 443',
    '    to_port         = 443',
    '    prefix_list_ids = [aws_ec2_managed_prefix_list.offices.id]',
    '  }',
    '  ingress {',
    '    description = "internal"',
    '    protocol    = "tcp"',
    '    from_port   = 443',
    '    to_port     = 443',
    `    cidr_blocks = [${cidrs.map((c) => `"${c}"`).join(', ')}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

function cloudFormation(maxEntries: number): string {
  return [
    'Resources:',
    '  Offices:',
    '    Type: AWS::EC2::PrefixList',
    '    Properties:',
    '      PrefixListName: offices',
    '      AddressFamily: IPv4',
    `      MaxEntries: ${maxEntries}`,
    '  App:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: app',
    '      SecurityGroupIngress:',
    '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, SourcePrefixListId: !GetAtt Offices.PrefixListId, Description: offices }',
    ...cidrs.map((c) => `        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: ${c}, Description: internal }`),
    '',
  ].join('\n');
}

async function sgs018Places(cwd: string): Promise<string[]> {
  const { result } = await scan({ paths: ['.'], cwd, checks: [sgs018], version: 't', fold: false });
  return result.findings.filter((f) => f.ruleId === 'SGS018').map((f) => `${f.file}:${f.line}`);
}

describe('SGS018 counts the prefix list of the group\'s own scope', () => {
  it('Terraform: a/ declares 50 entries (over the quota with 15 CIDRs), b/ declares 5 at the same address', async () => {
    const cwd = tree({ 'a/main.tf': terraform(50), 'b/main.tf': terraform(5) });
    expect(await sgs018Places(cwd)).toEqual(['a/main.tf:7']);
  });

  it('CloudFormation: a.yaml declares 50 entries, b.yaml declares 5 under the same logical ID', async () => {
    const cwd = tree({ 'a.yaml': cloudFormation(50), 'b.yaml': cloudFormation(5) });
    expect(await sgs018Places(cwd)).toEqual(['a.yaml:8']);
  });
});
