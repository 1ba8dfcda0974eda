import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The pre-commit hook definitions (.pre-commit-hooks.yaml, docs/pre-commit.md). pre-commit matches
// `files`/`exclude` with Python's re.search; the patterns use only syntax JavaScript reads the same way.

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
  exclude?: string;
  pass_filenames: boolean;
  require_serial?: boolean;
}

const hooks = parse(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as Hook[];
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
const hook = (id: string) => hooks.find((h) => h.id === id)!;
const selects = (h: Hook, file: string) => new RegExp(h.files).test(file) && !(h.exclude && new RegExp(h.exclude).test(file));

const IAC = ['main.tf', 'envs/prod/terraform.tfvars', 'stack.yaml', 'cfn/app.yml', 'sam/template.template', 'plan.json', 'x.tf.json', 'a.tfvars.json'];
const NOT_IAC = [
  'package.json',
  'web/package-lock.json',
  'tsconfig.build.json',
  '.github/workflows/ci.yml',
  '.gitlab-ci.yml',
  '.pre-commit-config.yaml',
  '.vscode/settings.json',
  'modules/x/.terraform/modules/modules.json',
  'README.md',
  'main.go',
];

describe('.pre-commit-hooks.yaml', () => {
  it('defines sgscan (files being committed) and sgscan-repo (whole repository)', () => {
    expect(hooks.map((h) => h.id)).toEqual(['sgscan', 'sgscan-repo']);
    expect(hook('sgscan')).toMatchObject({ entry: 'sgscan scan', language: 'node', pass_filenames: true, require_serial: true });
    expect(hook('sgscan-repo')).toMatchObject({ entry: 'sgscan scan .', language: 'node', pass_filenames: false, require_serial: true });
    for (const h of hooks) {
      expect(Object.keys(pkg.bin)).toContain(h.entry.split(' ')[0]);
      expect(h.name).toMatch(/^sgscan/);
    }
  });

  it('selects Terraform, tfvars, CloudFormation and plan files', () => {
    for (const h of hooks) for (const f of IAC) expect(selects(h, f), `${h.id}: ${f}`).toBe(true);
  });

  it('leaves out YAML and JSON that is never IaC, and everything else', () => {
    for (const h of hooks) for (const f of NOT_IAC) expect(selects(h, f), `${h.id}: ${f}`).toBe(false);
  });

  it('only the whole-repository hook reruns when .sgscan.yml changes', () => {
    expect(selects(hook('sgscan'), '.sgscan.yml')).toBe(false);
    expect(selects(hook('sgscan-repo'), '.sgscan.yml')).toBe(true);
  });
});
