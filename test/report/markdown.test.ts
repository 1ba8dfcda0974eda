import { describe, expect, it } from 'vitest';
import { cell, renderMarkdown } from '../../src/report/markdown.js';
import { finding, scanResult } from './fixture.js';

describe('Markdown report', () => {
  const md = renderMarkdown(scanResult());
  const lines = md.split('\n');

  it('opens with counts by severity and scan totals', () => {
    expect(lines[0]).toBe('## sgscan');
    expect(md).toContain('**4 findings** in 3 files');
    expect(md).toContain('| 🟥 critical | 2 |\n| 🟧 high | 0 |\n| 🟨 medium | 1 |\n| 🟦 low | 1 |\n| ⬜ info | 0 |');
    expect(md).toContain('Scanned 4 files (1 with errors), 3 security groups, 7 rules with 2 checks.');
  });

  it('tables the findings, most severe first', () => {
    const rows = lines.filter((l) => /^\| (🟥|🟧|🟨|🟦|⬜) \w+ \| SGS/.test(l));
    expect(rows).toEqual([
      '| 🟥 critical | SGS001 admin-port-open-to-world | aws\\_security\\_group.web | main.tf:4 | SSH (tcp/22) is open to 0.0.0.0/0 on aws\\_security\\_group.web. |',
      '| 🟥 critical | SGS001 admin-port-open-to-world | module.app.aws\\_security\\_group.this | modules/app/sg.tf:3 | RDP (tcp/3389) may be open to the world on module.app.aws\\_security\\_group.this.<br>_possible: var.admin\\_cidr has no value_ |',
      '| 🟨 medium | SGS099 other-rule | WebSG | cfn/stack.yaml:7 | A rule from a check not in the list. |',
      '| 🟦 low | SGS010 rule-without-description | aws\\_security\\_group.web | main.tf:12 | Ingress rule tcp/443 has no description |',
    ]);
  });

  it('links locations when given a link base', () => {
    const linked = renderMarkdown(scanResult(), { linkBase: 'https://github.com/o/r/blob/abc/' });
    expect(linked).toContain('| [main.tf:4](https://github.com/o/r/blob/abc/main.tf#L4-L10) |');
    expect(linked).toContain('| [main.tf:12](https://github.com/o/r/blob/abc/main.tf#L12) |');
    const odd = finding({ ruleId: 'SGS001', severity: 'high', file: 'my dir/a(1).tf', line: 2, endLine: 2 });
    expect(renderMarkdown(scanResult({ findings: [odd] }), { linkBase: 'https://x/' })).toContain(
      '[my dir/a(1).tf:2](https://x/my%20dir/a%281%29.tf#L2)',
    );
  });

  it('escapes user content: pipes, backticks, HTML, mentions, newlines', () => {
    const evil = finding({
      ruleId: 'SGS001',
      severity: 'high',
      message: 'name `x` | <script>alert(1)</script> by @octocat\nsecond line',
      resource: 'aws_security_group.a|b',
    });
    const out = renderMarkdown(scanResult({ findings: [evil] }));
    expect(out).not.toContain('<script>');
    const row = out.split('\n').find((l) => l.includes('octocat'))!;
    expect(row).toContain('name \\`x\\` \\| &lt;script&gt;alert(1)&lt;/script&gt; by @\u200boctocat<br>second line');
    expect(row).toContain('| aws\\_security\\_group.a\\|b |');
    // The row has exactly the table's 5 cells: every unescaped pipe is a cell border.
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
    expect(cell('a & b')).toBe('a &amp; b');
  });

  it('puts errors and notices in collapsible sections', () => {
    expect(md).toContain(
      '<details><summary>Errors (1)</summary>\n\n- could not parse broken.tf:3: Unexpected token "}"\n\n</details>',
    );
    expect(md).toContain('<details><summary>Notices (1)</summary>\n\n- modules/app/sg.tf:9: dynamic "ingress" block not expanded: for\\_each is unknown\n\n</details>');
  });

  it('says so when there is nothing to report', () => {
    const none = renderMarkdown(scanResult({ findings: [], errors: [], notices: [] }));
    expect(none).toContain('**No findings.**');
    expect(none).not.toContain('| Rule |');
    expect(none).not.toContain('<details>');
    const nothing = renderMarkdown(scanResult({ findings: [], errors: [], notices: [], summary: { ...scanResult().summary, filesScanned: 0 } }));
    expect(nothing).toContain('**Nothing scanned:** no Terraform or CloudFormation was read.');
    expect(nothing).not.toContain('No findings');
  });

  it('stays under the byte cap and says what was cut', () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      finding({ ruleId: 'SGS010', severity: i < 10 ? 'critical' : 'low', line: i + 1, message: `Finding number ${i} é` }),
    );
    const full = renderMarkdown(scanResult({ findings: many }));
    expect(full).not.toContain('truncated');
    const maxBytes = 64 * 1024;
    const cut = renderMarkdown(scanResult({ findings: many }), { maxBytes });
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(maxBytes);
    expect(cut).toMatch(/> \[!WARNING\]\n> Report truncated to stay under 64 KiB: \d+ entries not shown\./);
    const shown = cut.split('\n').filter((l) => l.includes('Finding number')).length;
    const notShown = Number(/: (\d+) entries not shown/.exec(cut)![1]);
    // Findings not shown plus the error and notice that no longer fit.
    expect(shown + notShown).toBe(3000 + 2);
    // The most severe are kept.
    expect(cut).toContain('Finding number 9 é');
    // The default cap is 1 MiB.
    const huge = Array.from({ length: 12000 }, (_, i) => finding({ ruleId: 'SGS010', severity: 'low', line: i + 1 }));
    const big = renderMarkdown(scanResult({ findings: huge }));
    expect(Buffer.byteLength(big, 'utf8')).toBeLessThanOrEqual(1024 * 1024);
    expect(big).toContain('Report truncated to stay under 1 MiB');
  });
});
