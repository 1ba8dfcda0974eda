import { describe, expect, it } from 'vitest';
import { createProgress, progressLine } from '../../src/report/progress.js';
import { renderText } from '../../src/report/text.js';
import { EXPOSURE, EXPOSURE_SOURCES, exposureResult } from './fixture.js';

describe('text report: reachability paths', () => {
  const out = renderText(exposureResult(), { color: false, readLines: (f) => EXPOSURE_SOURCES[f] });
  const lines = out.split('\n');

  it('draws the path hop by hop under the finding, from the internet to the resource', () => {
    const at = lines.findIndex((l) => l.includes('SGS040'));
    expect(lines[at]).toMatch(/^ {2}critical {2}SGS040 {2}aws_instance\.bastion is reachable from the internet on tcp\/22 \(SSH\)$/);
    const pad = ' '.repeat(2 + 8 + 2 + 6 + 2);
    expect(lines.slice(at + 1, at + 8)).toEqual([
      `${pad}infra/compute.tf:1  aws_instance.bastion`,
      `${pad}path: internet`,
      `${pad}      → aws_instance.bastion has a public IPv4 address (associate_public_ip_address = true) (compute.tf:3)`,
      `${pad}      → internet gateway aws_internet_gateway.main (network.tf:2)`,
      `${pad}      → route 0.0.0.0/0 → aws_internet_gateway.main in aws_route_table.public (network.tf:6)`,
      `${pad}      → sg rule aws_security_group.bastion ingress (tcp/22 from 0.0.0.0/0) [see "docs"](x) | #1 <b> (security.tf:4)`,
      `${pad}      → aws_instance.bastion`,
    ]);
    // The code frame still follows.
    expect(lines[at + 8]).toContain('> 1 │ resource "aws_instance" "bastion" {');
  });

  it('names the folder when a step is in another folder, and starts at the first step without a verdict', () => {
    const eastWest = {
      ...EXPOSURE,
      ruleId: 'SGS041',
      reachability: undefined,
      message: 'a can reach b on tcp/22; path: x → y',
      path: [{ file: 'modules/sg/main.tf', line: 2, message: 'sg rule a egress' }, EXPOSURE.path![1]],
    };
    const text = renderText(exposureResult({ findings: [eastWest] }), { color: false });
    expect(text).toContain('SGS041  a can reach b on tcp/22\n');
    expect(text).toContain('path: sg rule a egress (modules/sg/main.tf:2)\n');
    expect(text).toContain('      → internet gateway aws_internet_gateway.main (network.tf:2)\n');
    expect(text).not.toContain('path: internet');
  });

  it('keeps control characters out of the terminal and colours only when asked', () => {
    const hostile = { ...EXPOSURE, path: [{ file: 'infra/network.tf', line: 2, message: 'gw \u001b[31mred' }] };
    expect(renderText(exposureResult({ findings: [hostile] }), { color: false })).toContain('gw \\x1b[31mred (network.tf:2)');
    expect(out).not.toContain('\u001b[');
    expect(renderText(exposureResult(), { color: true })).toContain('\u001b[');
  });

  it('still closes with the summary by severity', () => {
    expect(out).toMatch(/✖ 5 findings \(3 critical, 1 medium, 1 low\)/);
  });
});

describe('progress bar', () => {
  function fakeStream() {
    const chunks: string[] = [];
    return { chunks, stream: { write: (s: string) => chunks.push(s), columns: 60 } };
  }

  it('writes nothing when not on a terminal', () => {
    const { chunks, stream } = fakeStream();
    const p = createProgress(stream, false, { now: () => 10_000, delayMs: 0 });
    p.tick(1, 2, 'a.tf');
    p.done();
    expect(chunks).toEqual([]);
  });

  it('waits out the delay, throttles redraws, always draws the last tick, and clears the line', () => {
    let t = 0;
    const { chunks, stream } = fakeStream();
    const p = createProgress(stream, true, { now: () => t, delayMs: 500, intervalMs: 100 });
    p.tick(1, 4, 'a.tf'); // before the delay: nothing
    t = 600;
    p.tick(2, 4, 'b.tf'); // drawn
    t = 650;
    p.tick(3, 4, 'c.tf'); // throttled
    t = 660;
    p.tick(4, 4, 'd.tf'); // last: drawn
    p.done();
    expect(chunks).toEqual([
      `\r${progressLine(2, 4, 'b.tf', 60)}\x1b[K`,
      `\r${progressLine(4, 4, 'd.tf', 60)}\x1b[K`,
      '\r\x1b[K',
    ]);
  });

  it('a fast scan leaves no trace', () => {
    const { chunks, stream } = fakeStream();
    const p = createProgress(stream, true, { now: () => 0 });
    p.tick(10, 10, 'x');
    p.done();
    expect(chunks).toEqual([]);
  });

  it('fits the line in the terminal, keeps the end of long labels, and neutralises control characters', () => {
    expect(progressLine(1, 4, 'main.tf', 80)).toBe('[█████░░░░░░░░░░░░░░░]  25% 1/4 main.tf');
    const long = progressLine(50, 100, `very/deep/${'x'.repeat(100)}/main.tf`, 60);
    expect(long.length).toBeLessThanOrEqual(59);
    expect(long.endsWith('/main.tf')).toBe(true);
    expect(progressLine(1, 2, 'a\u001b[2Jb', 80)).toContain('a?[2Jb');
    expect(progressLine(0, 0, '', 80)).toBe('[░░░░░░░░░░░░░░░░░░░░]   0% 0/0');
  });
});
