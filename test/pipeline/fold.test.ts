import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFolded, type Finding } from '../../src/model/check.js';
import { scan } from '../../src/pipeline/scan.js';
import { renderText } from '../../src/report/text.js';
import { ALL_CHECKS } from '../../rules/index.js';

// One finding per problem (issue 14): overlapping checks on one rule or NACL entry, and the internet
// exposures a rule opens, are told once, at the line to fix. Twins: fixtures/fold/main.tf and template.yaml.

async function findings(file: string, extra: Partial<Parameters<typeof scan>[0]> = {}): Promise<Finding[]> {
  const { result } = await scan({ checks: ALL_CHECKS, paths: [`fixtures/fold/${file}`], cwd: process.cwd(), version: 't', ...extra });
  expect(result.errors).toEqual([]);
  return result.findings;
}

const brief = (f: Finding) => `${f.ruleId} ${f.severity} ${f.line} ${f.resource} [${(f.folded ?? []).map((x) => x.ruleId).join(',')}]`;
const security = (list: Finding[]) => list.filter((f) => !['SGS003', 'SGS014', 'SGS031'].includes(f.ruleId));

describe('folding overlapping findings', () => {
  it('Terraform: one finding per world-open rule and per NACL entry, exposures told at the rule', async () => {
    const all = await findings('main.tf');
    expect(security(all).map(brief)).toEqual([
      'SGS024 medium 42 aws_network_acl.public [SGS023]',
      'SGS002 critical 61 aws_security_group.web [SGS001,SGS040]',
      'SGS001 low 74 aws_security_group.worker [SGS005]',
    ]);
    const web = all.find((f) => f.ruleId === 'SGS002')!;
    expect(web.message).toMatch(/^Security group aws_security_group\.web allows all traffic from the whole internet \(0\.0\.0\.0\/0\)\. Reachable from the internet: aws_instance\.web on all traffic/);
    expect(web.reachability).toBe('reachable');
    // The path is the exposure's, ending at the instance it exposes.
    expect(web.path?.map((s) => s.line)).toContain(61);
    expect(web.path?.at(-1)).toMatchObject({ line: 83, message: expect.stringMatching(/^aws_instance\.web on all traffic/) });
    expect(web.target).toBe('aws_instance.web');
    // The private worker's rule: lowered by re-ranking, its SGS005 folded in, no exposure to tell.
    const worker = all.find((f) => f.resource === 'aws_security_group.worker')!;
    expect(worker.message).toContain(', but not reachable: ');
    expect(worker.message).not.toContain('Reachable from the internet');
  });

  it('CloudFormation twin: the same findings at the template lines', async () => {
    const all = await findings('template.yaml');
    expect(security(all).map(brief)).toEqual([
      'SGS024 medium 50 PublicAclIn [SGS023]',
      'SGS002 critical 72 WebSecurityGroup [SGS001,SGS040]',
      'SGS001 low 81 WorkerSecurityGroup [SGS005]',
    ]);
    expect(all.find((f) => f.ruleId === 'SGS002')!.message).toContain('Reachable from the internet: Web on all traffic');
  });

  it('keeps every check finding, with its own fingerprint, among what it folds', async () => {
    const flat = withFolded(await findings('main.tf'));
    expect(flat.filter((f) => f.ruleId === 'SGS040').map((f) => [f.resource, f.severity, f.reachability])).toEqual([['aws_instance.web', 'critical', 'reachable']]);
    expect(new Set(flat.map((f) => f.fingerprint)).size).toBe(flat.length);
    // fold: false gives each check's own findings, as before.
    const raw = await findings('main.tf', { fold: false });
    expect(raw.map((f) => f.ruleId).sort()).toEqual(flat.map((f) => f.ruleId).sort());
  });

  it('a suppressed finding does not fold: accepting SGS001 leaves the rule\'s SGS005 to be seen', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-fold-'));
    writeFileSync(
      path.join(dir, 'main.tf'),
      [
        'resource "aws_security_group" "worker" {',
        '  name        = "worker"',
        '  description = "Worker"',
        '  # sgscan:ignore SGS001 reached only through the VPN',
        '  ingress {',
        '    description = "SSH"',
        '    protocol    = "tcp"',
        '    from_port   = 22',
        '    to_port     = 22',
        '    cidr_blocks = ["0.0.0.0/0"]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const { result } = await scan({ checks: ALL_CHECKS, paths: [dir], cwd: dir, version: 't' });
    expect(result.findings.filter((f) => ['SGS001', 'SGS005'].includes(f.ruleId)).map((f) => [f.ruleId, f.suppression ? 'suppressed' : 'reported', (f.folded ?? []).length])).toEqual([
      ['SGS001', 'suppressed', 0],
      ['SGS005', 'reported', 0],
    ]);
  });

  it('the text report shows the folded finding once, its path ending at the exposed instance', async () => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: ['fixtures/fold/main.tf'], cwd: process.cwd(), version: 't' });
    const text = renderText(result, { color: false } as never);
    expect(text.match(/aws_security_group\.web allows all traffic/g)).toHaveLength(1);
    expect(text).toMatch(/→ aws_instance\.web on all traffic[^\n]*\(main\.tf:83\)/);
    expect(text).not.toMatch(/→ aws_security_group\.web\n/);
  });
});

describe('east-west findings grow with the rules, not with the square of the instances', () => {
  it('500 instances admitted by one wide SSH rule: one SGS041 finding at that rule', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-wide-'));
    const instances = Array.from({ length: 500 }, (_, i) => `resource "aws_instance" "i${i}" {\n  ami = "ami-12345678"\n  instance_type = "t3.micro"\n  subnet_id = aws_subnet.a.id\n  vpc_security_group_ids = [aws_security_group.ssh.id]\n}\n`);
    writeFileSync(
      path.join(dir, 'main.tf'),
      [
        'resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }',
        'resource "aws_subnet" "a" {',
        '  vpc_id     = aws_vpc.main.id',
        '  cidr_block = "10.0.1.0/24"',
        '}',
        'resource "aws_security_group" "ssh" {',
        '  name        = "ssh"',
        '  description = "SSH inside the VPC"',
        '  vpc_id      = aws_vpc.main.id',
        '  ingress {',
        '    description = "SSH from the VPC"',
        '    from_port   = 22',
        '    to_port     = 22',
        '    protocol    = "tcp"',
        '    cidr_blocks = ["10.0.0.0/16"]',
        '  }',
        '  egress {',
        '    description = "all out"',
        '    from_port   = 0',
        '    to_port     = 0',
        '    protocol    = "-1"',
        '    cidr_blocks = ["0.0.0.0/0"]',
        '  }',
        '}',
        ...instances,
      ].join('\n'),
    );
    const { result } = await scan({ checks: ALL_CHECKS, paths: [dir], cwd: dir, version: 't' });
    const ew = result.findings.filter((f) => f.ruleId === 'SGS041');
    expect(ew.map((f) => [f.line, f.resource])).toEqual([[10, 'aws_security_group.ssh']]);
    expect(ew[0].message).toMatch(/^aws_instance\.i0, aws_instance\.i1 and 498 more can reach each other on tcp\/22 \(SSH\), admitted by security group aws_security_group\.ssh\.$/);
  }, 60_000);
});

describe('a rule open to a wide address range', () => {
  it.each([
    ['fixtures/fold-range/main.tf', 11, 'aws_security_group.wide'],
    ['fixtures/fold-range/template.yaml', 15, 'WideGroup'],
  ])('%s: all protocols from 10.0.0.0/8 is one finding (SGS013), SGS011 folded into it', async (file, line, group) => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: process.cwd(), version: 't' });
    const onRule = result.findings.filter((f) => f.line === line);
    expect(onRule.map(brief)).toEqual([`SGS013 low ${line} ${group} [SGS011]`]);
    expect(onRule[0].message).toBe(`Security group ${group} allows every protocol and port (-1) from 10.0.0.0/8.`);
  });
});

describe('a conditional group open to a wide range', () => {
  it.each([
    ['fixtures/fold-range/conditional/main.tf', 11, /^Possibly: security group aws_security_group\.conditional\[0\] allows every protocol and port \(-1\) from 10\.0\.0\.0\/8 \(the group exists only if .*var\.create_wide.*\)\.$/],
    ['fixtures/fold-range/conditional/template.yaml', 18, /^Possibly: security group ConditionalGroup allows every protocol and port \(-1\) from 10\.0\.0\.0\/8 \(the group exists only if CreateWide = Yes\)\.$/],
  ])('%s: says possibly, and on what, once', async (file, line, message) => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: process.cwd(), version: 't' });
    const f = result.findings.filter((x) => x.ruleId === 'SGS013');
    expect(f.map((x) => [x.line, x.certainty])).toEqual([[line, 'possible']]);
    expect(f[0].message).toMatch(message);
    expect(f[0].message.split('CreateWide').length).toBeLessThanOrEqual(2);
  });
});

describe('a possible exposure told at its rule', () => {
  it.each([
    ['fixtures/fold/possible/main.tf', 'var.subnet_id'],
    ['fixtures/fold/possible/template.yaml', 'parameter SubnetId'],
  ])('%s: says what it depends on as SGS040 does, not the internal reason', async (file, dependency) => {
    const { result } = await scan({ checks: ALL_CHECKS, paths: [file], cwd: process.cwd(), version: 't' });
    const ssh = result.findings.filter((f) => f.ruleId === 'SGS001');
    expect(ssh).toHaveLength(1);
    expect(ssh[0].message).toMatch(new RegExp(`Possibly reachable from the internet: \\S+ on tcp/22 \\(SSH\\), if ${dependency.replace('.', '\\.')} names a public subnet`));
    expect(ssh[0].message).not.toMatch(/has no value|is not known \(/);
  });
});
