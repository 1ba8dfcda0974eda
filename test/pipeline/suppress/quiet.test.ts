import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lineReader } from '../../../src/input/lines.js';
import { scan } from '../../../src/pipeline/scan.js';
import { applySuppressions } from '../../../src/pipeline/suppress.js';
import { ALL_CHECKS } from '../../../rules/index.js';
import { brief, CHECKS } from './helpers.js';

// Suppression reads a file again only when its text says "sgscan": the front ends note, as they
// parse, which files cannot hold a directive (Model.quiet), and those are not read a second time.
// A directive is still found and applied in both formats, and a file the model does not know is read.
// Worker threads send the quiet files with the rest (test/pipeline/parallel.test.ts scans
// fixtures/suppress on one thread and on two: the same reports).

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sgscan-quiet-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  writeFileSync(path.join(tmp, rel), text);
};
const sshRule = (extra: string) => `resource "aws_security_group" "web" {
  name = "web"
${extra}  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
write('tf/plain/main.tf', sshRule(''));
write('tf/marked/main.tf', sshRule('  # sgscan:ignore SGS001 reached only through the VPN\n'));
const template = (metadata: string) => `Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
${metadata}    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`;
write('cfn/plain.yaml', template(''));
write('cfn/marked.yaml', template('    Metadata:\n      sgscan:\n        ignore:\n          - id: SGS001\n            reason: reached only through the VPN\n'));

describe('files that hold no directive are not read again', () => {
  it('the model lists the files whose text never says "sgscan", in both formats', async () => {
    const { model } = await scan({ paths: [tmp], cwd: tmp, version: 'test', checks: CHECKS, inlineSuppressions: false, fold: false });
    expect([...(model.quiet ?? [])].sort()).toEqual(['cfn/plain.yaml', 'tf/plain/main.tf']);
    expect(model.files).toEqual(['cfn/marked.yaml', 'cfn/plain.yaml', 'tf/marked/main.tf', 'tf/plain/main.tf']);
  });

  it('suppression reads only the marked files, and still applies their directives', async () => {
    const { model, result } = await scan({ paths: [tmp], cwd: tmp, version: 'test', checks: CHECKS, inlineSuppressions: false, fold: false });
    const read: string[] = [];
    const lines = lineReader(tmp);
    const { findings } = applySuppressions(result.findings, model, undefined, {
      inline: true,
      readLines: (f) => (read.push(f), lines(f)),
      today: '2025-06-01',
      checks: CHECKS,
      catalog: ALL_CHECKS,
    });
    expect([...new Set(read)].sort()).toEqual(['cfn/marked.yaml', 'tf/marked/main.tf']);
    expect(findings.filter((f) => f.ruleId === 'SGS001').map(brief)).toEqual([
      'SGS001 cfn/marked.yaml:12 Web [inline@7: reached only through the VPN]',
      'SGS001 cfn/plain.yaml:7 Web',
      'SGS001 marked/main.tf:4 aws_security_group.web [inline@3: reached only through the VPN]',
      'SGS001 plain/main.tf:3 aws_security_group.web',
    ]);
  });

  it('a file the model does not say is quiet is read, as before', () => {
    const finding = { ruleId: 'SGS001', severity: 'high', message: 'm', file: 'tf/marked/main.tf', line: 4, resource: 'aws_security_group.web' } as const;
    const read: string[] = [];
    const lines = lineReader(tmp);
    const sources = { files: ['tf/marked/main.tf', 'tf/plain/main.tf'], itemFiles: [], cloudFormationFiles: [] };
    const { findings } = applySuppressions([finding as never], sources, undefined, { inline: true, readLines: (f) => (read.push(f), lines(f)), today: '2025-06-01', checks: CHECKS, catalog: ALL_CHECKS });
    expect([...new Set(read)].sort()).toEqual(['tf/marked/main.tf', 'tf/plain/main.tf']);
    expect(findings[0].suppression?.line).toBe(3);
  });

});
