import { ALL_CHECKS } from '../../../rules/index.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scan, type ScanOptions } from '../../../src/pipeline/scan.js';

export const REPO = path.resolve(__dirname, '../../..');
/** The shared corpus beside the checkout (never an absolute /work path). */
export const CORPUS = path.resolve(REPO, '../shared/corpus');

/**
 * A Terraform file with one known finding: SSH open to the world (SGS001) on line 2 of the
 * `ingress` block. Every hostile test scans it next to the hostile file to prove the rest of the
 * scan goes on.
 */
export const GOOD_TF = `resource "aws_security_group" "good" {
  description = "known finding"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
/** Line of the offending `ingress {` in GOOD_TF. */
export const GOOD_TF_LINE = 3;

/** The same finding as a CloudFormation template (the ingress entry starts on line 7). */
export const GOOD_CFN = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  GoodSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: known finding
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
          Description: ssh
`;

export function tmpTree(files: Record<string, string | Buffer>, prefix = 'sgscan-hostile-'): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) {
    const abs = path.join(root, name);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

/** Scan `root` as the working directory, as the CLI does with `sgscan scan .`. */
export async function scanTree(root: string, extra: Partial<ScanOptions> = {}) {
  return scan({ paths: ['.'], cwd: root, version: '0.0.0-test', today: '2025-01-01', checks: ALL_CHECKS, ...extra });
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
