import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/check.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { escapeLabel, exposureDiagram } from '../../src/report/mermaid.js';
import { EXPOSURE, FINDINGS, exposureResult, finding } from './fixture.js';

function exposure(i: number, over: Partial<Finding> = {}): Finding {
  return {
    ...EXPOSURE,
    resource: `aws_instance.web_${i}`,
    fingerprint: `${i}`.padStart(32, 'f'),
    line: 10 + i,
    endLine: 10 + i,
    path: [
      EXPOSURE.path![1],
      { file: 'infra/security.tf', line: 4, message: `sg rule for web ${i}` },
    ],
    ...over,
  };
}

describe('Mermaid exposure diagram', () => {
  it('draws internet → each hop → the resource, with the service on the last edge', () => {
    const d = exposureDiagram([EXPOSURE]);
    expect(d).toMatchObject({ drawn: 1, total: 1 });
    const lines = d.source.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  internet(("Internet"))');
    expect(lines).toContain('  h1["aws_instance.bastion has a public IPv4 address (associate_public_ip_address = true)<br/><small>compute.tf:3</small>"]');
    expect(lines).toContain('  internet --> h1');
    expect(lines).toContain('  h1 --> h2');
    expect(lines).toContain('  h4 -->|"tcp/22 (SSH)"| r5');
    expect(lines).toContain('  class r5 critical');
  });

  it('draws only SGS040 findings that are reachable or possibly reachable, possible ones dotted', () => {
    const not = { ...EXPOSURE, reachability: 'not-reachable' as const };
    const other = { ...EXPOSURE, ruleId: 'SGS041' };
    expect(exposureDiagram([not, other, ...FINDINGS]).source).toBe('');
    const maybe = exposureDiagram([{ ...EXPOSURE, reachability: 'possibly-reachable' }]).source;
    expect(maybe).toContain('internet -.-> h1');
    expect(maybe).not.toContain('-->');
  });

  it('merges shared hops into one node and gives stable ids whatever the input order', () => {
    const fs = [exposure(1), exposure(2), exposure(3)];
    const a = exposureDiagram(fs).source;
    expect(exposureDiagram([...fs].reverse()).source).toBe(a);
    // The gateway all three pass through is one node with one edge from the internet.
    expect(a.match(/internet gateway aws_internet_gateway\.main/g)).toHaveLength(1);
    expect(a.split('\n').filter((l) => l === '  internet --> h1')).toHaveLength(1);
  });

  it('escapes labels: quotes, brackets, <, >, |, #, backticks, newlines cannot break out', () => {
    const nasty = 'a "quoted" [x] {y} <script>alert(1)</script> | b # c `d` &amp;\nnext line';
    const esc = escapeLabel(nasty);
    expect(esc).toBe('a #34;quoted#34; #91;x#93; #123;y#125; #60;script#62;alert(1)#60;/script#62; #124; b #35; c #96;d#96; #38;amp; next line');
    expect(esc).not.toMatch(/["[\]{}<>|`\n]/);
    const d = exposureDiagram([{ ...EXPOSURE, resource: nasty, path: [{ file: 'x.tf', line: 1, message: nasty }] }]).source;
    // Every node line is exactly id["…"] with no stray quote inside.
    for (const l of d.split('\n').filter((x) => /^ {2}[hr]\d+\[/.test(x))) expect(l).toMatch(/^ {2}[hr]\d+\["[^"]*"\]$/);
    expect(d).not.toContain('<script>');
    expect(d).not.toContain('```');
  });

  it('cuts the diagram to its size limit, most severe first, and counts what was drawn', () => {
    const many = Array.from({ length: 60 }, (_, i) => exposure(i, { severity: i === 59 ? 'critical' : 'low' }));
    const d = exposureDiagram(many, 3000);
    expect(d.source.length).toBeLessThanOrEqual(3000);
    expect(d.total).toBe(60);
    expect(d.drawn).toBeGreaterThan(0);
    expect(d.drawn).toBeLessThan(60);
    // The critical one is drawn although it came last.
    expect(d.source).toContain('aws_instance.web_59');
  });
});

describe('Markdown report with reachability', () => {
  const md = renderMarkdown(exposureResult(), { linkBase: 'https://github.com/o/r/blob/abc/' });

  it('has the diagram in a mermaid fence under a heading, before the table', () => {
    expect(md).toContain('### Internet exposure\n\n1 resource path from the internet');
    expect(md).toMatch(/```mermaid\nflowchart LR\n[\s\S]*?\n```\n/);
    expect(md.indexOf('```mermaid')).toBeLessThan(md.indexOf('| Severity | Rule |'));
  });

  it('shows the message without its path tail, and the path in a collapsible, linked list', () => {
    const row = md.split('\n').find((l) => l.includes('SGS040'))!;
    expect(row).toContain('aws\\_instance.bastion is reachable from the internet on tcp/22 (SSH)<details><summary>Path (4 steps)</summary>internet<br>→ ');
    expect(row).not.toContain('; path:');
    expect(row).toContain('([network.tf:2](https://github.com/o/r/blob/abc/infra/network.tf#L2-L4))');
    expect(row).toContain('→ **aws\\_instance.bastion**</details> |');
    // Link syntax and HTML in a step message are escaped, not live.
    expect(row).toContain('\\[see "docs"\\](x) \\| #1 &lt;b&gt;');
  });

  it('notes a cut diagram and stays under a PR comment budget', () => {
    const many = Array.from({ length: 300 }, (_, i) => exposure(i));
    const out = renderMarkdown(exposureResult({ findings: many }), { maxBytes: 65536 });
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(65536);
    expect(out).toMatch(/_The diagram shows the \d+ most severe of 300 internet exposures; the table lists them all\._/);
  });

  it('has no diagram when there is no internet exposure', () => {
    const plain = renderMarkdown(exposureResult({ findings: [finding({ ruleId: 'SGS010', severity: 'low' })] }));
    expect(plain).not.toContain('mermaid');
    expect(plain).not.toContain('Internet exposure');
  });
});
