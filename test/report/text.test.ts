import { describe, expect, it } from 'vitest';
import { renderText, wrapText } from '../../src/report/text.js';
import { finding, readLines, scanResult } from './fixture.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('text report', () => {
  const plain = renderText(scanResult(), { color: false, readLines });
  const lines = plain.split('\n');

  it('has no colour codes when color is false, and has them when true', () => {
    expect(plain).not.toMatch(ANSI);
    const coloured = renderText(scanResult(), { color: true, readLines });
    expect(coloured).toMatch(ANSI);
    // Colour changes nothing but the codes.
    expect(strip(coloured)).toBe(plain);
  });

  it('never lets control characters from user content through', () => {
    const evil = finding({ ruleId: 'SGS001', severity: 'high', message: 'bad \u001b[31mred\u0007 name', file: 'a.tf' });
    const out = renderText(scanResult({ findings: [evil] }), {
      color: false,
      readLines: () => ['x = "\u001b]0;title\u0007"'],
    });
    expect(out).not.toMatch(ANSI);
    expect(out).not.toContain('\u0007');
    expect(out).toContain('bad \\x1b[31mred\\x07 name');
  });

  it('orders findings most severe first, then by file and line, each run of one file under its name', () => {
    const headers = lines.filter((l) => l !== '' && !l.startsWith(' ') && !/^[✖✔]/.test(l));
    // main.tf has a critical and a low finding: what to fix first is read first, so it heads two runs.
    expect(headers).toEqual(['main.tf', 'modules/app/sg.tf', 'cfn/stack.yaml', 'main.tf', 'Errors (1)', 'Notices (1)']);
    const findingLines = lines.filter((l) => /^ {2}(critical|high|medium|low|info) /.test(l));
    expect(findingLines).toEqual([
      '  critical  SGS001  SSH (tcp/22) is open to 0.0.0.0/0 on aws_security_group.web.',
      '  critical  SGS001  RDP (tcp/3389) may be open to the world on module.app.aws_security_group.this.',
      '  medium    SGS099  A rule from a check not in the list.',
      '  low       SGS010  Ingress rule tcp/443 has no description',
    ]);
  });

  it('wraps messages, assumptions and path hops to the given width, continuing under the message', () => {
    const long = finding({
      ruleId: 'SGS001',
      severity: 'high',
      message: 'Security group aws_security_group.bastion allows SSH (tcp/22) from the whole internet (0.0.0.0/0).',
      file: 'a.tf',
      certainty: 'possible',
      assumptions: ['var.admin_cidr has no value', 'data.aws_vpc.main is not known before apply'],
      path: [{ message: 'aws_instance.bastion has a public IPv4 address (associate_public_ip_address = true)', file: 'a.tf', line: 9, endLine: 9 }],
    });
    const at60 = renderText(scanResult({ findings: [long], errors: [], notices: [] }), { color: false, width: 60 }).split('\n');
    for (const l of at60) expect(l.length, l).toBeLessThanOrEqual(60);
    // The summary's counts wrap between parts.
    expect(at60.slice(-4)).toEqual(['✖ 1 finding (1 high)', '  4 files scanned (1 with errors) · 3 security groups', '  7 rules · 2 checks', '']);
    const pad = ' '.repeat(20);
    expect(at60.slice(1, 5)).toEqual([
      '  high      SGS001  Security group',
      `${pad}aws_security_group.bastion allows SSH`,
      `${pad}(tcp/22) from the whole internet`,
      `${pad}(0.0.0.0/0).`,
    ]);
    expect(at60).toContain(`${pad}data.aws_vpc.main is not known before`);
    // A wrapped hop continues under its words; its location ends it.
    const hop = at60.indexOf(`${pad}path: aws_instance.bastion has a`);
    expect(at60.slice(hop, hop + 4)).toEqual([
      `${pad}path: aws_instance.bastion has a`,
      `${pad}        public IPv4 address`,
      `${pad}        (associate_public_ip_address =`,
      `${pad}        true) (a.tf:9)`,
    ]);
    // Nothing is lost: unwrapped, the same words in the same order.
    const words = (ls: string[]) => ls.slice(0, ls.findIndex((l) => l.startsWith('✖'))).join(' ').split(/\s+/).filter(Boolean);
    const unwrapped = renderText(scanResult({ findings: [long], errors: [], notices: [] }), { color: false }).split('\n');
    expect(words(at60)).toEqual(words(unwrapped));
    expect(unwrapped.some((l) => l.length > 60)).toBe(true);
    // Colour changes nothing but the codes, wrapped too.
    expect(strip(renderText(scanResult({ findings: [long], errors: [], notices: [] }), { color: true, width: 60 }))).toBe(at60.join('\n'));
  });

  it('keeps a word longer than the room on a line of its own rather than splitting it', () => {
    expect(wrapText('a bb ccc', 4)).toEqual(['a bb', 'ccc']);
    expect(wrapText(`x ${'y'.repeat(10)} z`, 4)).toEqual(['x', 'y'.repeat(10), 'z']);
    expect(wrapText('fits', 4)).toEqual(['fits']);
  });

  it('shows file:line, resource, module chain and assumptions aligned under the message', () => {
    const pad = ' '.repeat(20);
    expect(lines).toContain(`${pad}main.tf:4  aws_security_group.web`);
    expect(lines).toContain(`${pad}modules/app/sg.tf:3  module.app.aws_security_group.this`);
    expect(lines).toContain(`${pad}via main.tf:20`);
    expect(lines).toContain(`${pad}possible: var.admin_cidr has no value`);
  });

  it('draws a code frame once: a second finding at the same lines points back at it', () => {
    const open = finding({ ruleId: 'SGS001', severity: 'critical', message: 'SSH open to the world', file: 'a.tf', line: 2, endLine: 3 });
    const desc = finding({ ruleId: 'SGS003', severity: 'low', message: 'No description', file: 'a.tf', line: 2, endLine: 3 });
    const other = finding({ ruleId: 'SGS003', severity: 'low', message: 'No description either', file: 'a.tf', line: 5, endLine: 5 });
    const out = renderText(scanResult({ findings: [open, desc, other], errors: [], notices: [] }), {
      color: false,
      readLines: () => ['resource "x" "y" {', '  ingress {', '  }', '  egress {', '  }', '}'],
    }).split('\n');
    expect(out.filter((l) => l.includes('> 2 │   ingress {'))).toHaveLength(1);
    const i = out.findIndex((l) => l.includes('No description') && !l.includes('either'));
    expect(out[i + 2].trim()).toBe('(same lines as SGS001 above)');
    expect(out.filter((l) => l.includes('> 5 │   }'))).toHaveLength(1);
  });

  it('shows a code frame: offending lines marked, one line of context, long spans cut', () => {
    const pad = ' '.repeat(20);
    const i = lines.indexOf(`${pad}modules/app/sg.tf:3  module.app.aws_security_group.this`);
    expect(lines.slice(i + 3, i + 8)).toEqual([
      `${pad}  2 │   name = "app"`,
      `${pad}> 3 │   ingress {`,
      `${pad}> 4 │     from_port = 3389`,
      `${pad}> 5 │   }`,
      `${pad}  6 │ }`,
    ]);
    // main.tf:4-10 is 7 lines: the first five are shown, then how many were left out (6 lines max).
    const j = lines.indexOf(`${pad}main.tf:4  aws_security_group.web`);
    expect(lines.slice(j + 1, j + 7)).toEqual([
      `${pad}> 4 │   ingress {`,
      `${pad}> 5 │     description = "ssh"`,
      `${pad}> 6 │     from_port   = 22`,
      `${pad}> 7 │     to_port     = 22`,
      `${pad}> 8 │     protocol    = "tcp"`,
      `${pad}    │ … 2 more lines`,
    ]);
    // Line numbers are right-aligned to the widest shown.
    expect(lines).toContain(`${pad}  11 │`);
    expect(lines).toContain(`${pad}> 12 │   ingress { from_port = 443, to_port = 443, protocol = "tcp", cidr_blocks = ["10.0.0.0/8"] }`);
  });

  it('has no code frame without readLines or when the line is outside the file', () => {
    const out = renderText(scanResult(), { color: false });
    expect(out).not.toContain('│');
    const far = finding({ ruleId: 'SGS001', severity: 'high', file: 'main.tf', line: 99, endLine: 99 });
    expect(renderText(scanResult({ findings: [far] }), { color: false, readLines })).not.toContain('│');
  });

  it('lists errors and notices', () => {
    expect(lines).toContain('  ✖ could not parse broken.tf:3: Unexpected token "}"');
    expect(lines).toContain('  ! modules/app/sg.tf:9: dynamic "ingress" block not expanded: for_each is unknown');
    const noLine = renderText(scanResult({ errors: [{ file: 'x.yaml', message: 'not YAML' }] }), { color: false });
    expect(noLine).toContain('  ✖ could not parse x.yaml: not YAML');
  });

  it('closes with a summary by severity and counts', () => {
    expect(lines.slice(-3)).toEqual([
      '✖ 4 findings (2 critical, 1 medium, 1 low)',
      '  4 files scanned (1 with errors) · 3 security groups · 7 rules · 2 checks · 1 error · 1 notice',
      '',
    ]);
    const clean = renderText(
      scanResult({ findings: [], errors: [], notices: [], summary: { ...scanResult().summary, filesScanned: 1, filesWithErrors: 0, groups: 1, rules: 1 } }),
      { color: false },
    );
    expect(clean).toBe('✔ No findings\n  1 file scanned · 1 security group · 1 rule · 2 checks\n');
    const nothing = renderText(
      scanResult({ findings: [], errors: [], notices: [], summary: { ...scanResult().summary, filesScanned: 0, filesWithErrors: 0, groups: 0, rules: 0 } }),
      { color: false },
    );
    expect(nothing).toBe('! Nothing scanned: no Terraform or CloudFormation was read\n  0 files scanned · 0 security groups · 0 rules · 2 checks\n');
  });
});
