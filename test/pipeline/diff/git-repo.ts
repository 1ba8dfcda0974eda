import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A throwaway git repository with a fixed identity and dates, so commits are reproducible. */
export class TempRepo {
  readonly dir: string;
  constructor(prefix = 'sgscan-repo-') {
    this.dir = mkdtempSync(path.join(tmpdir(), prefix));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.name', 'Test');
    this.git('config', 'user.email', 'test@example.com');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z' },
    }).trim();
  }

  write(file: string, text: string): void {
    const target = path.join(this.dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }

  /** Writes the files, commits everything, returns the commit SHA. */
  commit(files: Record<string, string>, message = 'change'): string {
    for (const [f, t] of Object.entries(files)) this.write(f, t);
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Terraform with one group; `rules` are inline ingress blocks. */
export function sgFile(name: string, rules: { port: number; cidr: string; description?: string }[]): string {
  const blocks = rules.map(
    (r) => `  ingress {
    description = "${r.description ?? `port ${r.port}`}"
    protocol    = "tcp"
    from_port   = ${r.port}
    to_port     = ${r.port}
    cidr_blocks = ["${r.cidr}"]
  }
`,
  );
  return `resource "aws_security_group" "${name}" {
  name   = "${name}"
  vpc_id = "vpc-123"

${blocks.join('\n')}}
`;
}
