import { describe, expect, it } from 'vitest';
import { diffFindings, diffItems, newBySeverity, newExposures, statusLookup } from '../../../src/pipeline/diff/diff.js';
import { exposedService, exposureSentence } from '../../../src/report/diff.js';
import { parseTree } from '../../../src/pipeline/diff/git.js';
import type { Finding } from '../../../src/model/check.js';

function finding(fingerprint: string, severity: Finding['severity'] = 'high', line = 1): Finding {
  return {
    ruleId: 'SGS001', ruleName: 'x', severity, message: 'm', file: 'main.tf', line, endLine: line, resource: 'r',
    fingerprint, certainty: 'definite', assumptions: [], via: [], key: 'k',
  };
}

describe('diffItems', () => {
  it('classifies by fingerprint, ignoring lines', () => {
    const base = [finding('a', 'high', 3), finding('b', 'low', 9)];
    const head = [finding('a', 'high', 30), finding('c', 'critical', 5)];
    const d = diffFindings(base, head, 'main');
    expect(d.new.map((f) => f.fingerprint)).toEqual(['c']);
    expect(d.unchanged.map((f) => f.fingerprint)).toEqual(['a']);
    expect(d.fixed.map((f) => f.fingerprint)).toEqual(['b']);
    expect(d.base).toBe('main');
    expect(newBySeverity(d)).toEqual({ critical: 1, high: 0, medium: 0, low: 0, info: 0 });
    expect(statusLookup(d)(finding('c'))).toBe('new');
    expect(statusLookup(d)(finding('a'))).toBe('unchanged');
  });

  it('a finding whose severity or reachability rises is new, not unchanged (issue 14)', () => {
    const low = { ...finding('a', 'low'), reachability: 'not-reachable' as const };
    const critical = { ...finding('a', 'critical'), reachability: 'reachable' as const };
    expect(diffFindings([low], [critical]).new.map((f) => f.fingerprint)).toEqual(['a']);
    // Lower, or the same: unchanged.
    expect(diffFindings([critical], [low]).new).toEqual([]);
    expect(diffFindings([critical], [critical]).new).toEqual([]);
    // Same severity, possibly -> certainly reachable: new.
    const possibly = { ...finding('b', 'high'), reachability: 'possibly-reachable' as const };
    const surely = { ...finding('b', 'high'), reachability: 'reachable' as const };
    expect(diffFindings([possibly], [surely]).new).toHaveLength(1);
  });

  it('exposures told at a rule (folded) are compared as exposures: a new one is newly exposed', () => {
    const exposure = (fp: string): Finding => ({ ...finding(fp, 'critical'), ruleId: 'SGS040', resource: 'aws_instance.web', key: 'internet tcp/22', service: 'tcp/22 (SSH)', reachability: 'reachable' });
    const rule = (folded: Finding[]): Finding => ({ ...finding('rule', 'critical'), reachability: 'reachable', folded });
    const d = diffFindings([rule([exposure('e1')])], [rule([exposure('e1'), exposure('e2')])]);
    expect(d.new).toEqual([]); // the rule's finding is the same
    expect(newExposures(d).map((f) => f.fingerprint)).toEqual(['e2']);
    expect(exposureSentence(newExposures(d)[0])).toBe('This change newly exposes aws_instance.web to the internet on tcp/22 (SSH)');
  });

  it('a second head item with a fingerprint present at the base is not new (duplicates)', () => {
    const d = diffItems([{ fingerprint: 'a' }], [{ fingerprint: 'a' }, { fingerprint: 'a' }]);
    expect(d.new).toEqual([]);
    expect(d.unchanged).toHaveLength(2);
  });

  it('works on anything with a fingerprint (exposures later)', () => {
    const d = diffItems([{ fingerprint: 'x', port: 1 }], [{ fingerprint: 'y', port: 2 }]);
    expect(d.new).toEqual([{ fingerprint: 'y', port: 2 }]);
    expect(d.fixed).toEqual([{ fingerprint: 'x', port: 1 }]);
  });

  it('suppressed new findings are not counted as new', () => {
    const s = { ...finding('s', 'critical'), suppression: { kind: 'inline' as const, reason: 'ok', file: 'main.tf', line: 1 } };
    expect(newBySeverity(diffFindings([], [s]))).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
  });
});

describe('parseTree', () => {
  it('keeps regular files only, with paths containing spaces and tabs', () => {
    const listing = [
      '100644 blob aaa\tmain.tf',
      '100755 blob bbb\tdir with space/run.sh',
      '120000 blob ccc\tlink.tf',
      '160000 commit ddd\tvendor/sub',
      '100644 blob eee\ttab\there.tf',
      '',
    ].join('\0');
    expect(parseTree(listing)).toEqual([
      { object: 'aaa', path: 'main.tf' },
      { object: 'bbb', path: 'dir with space/run.sh' },
      { object: 'eee', path: 'tab\there.tf' },
    ]);
  });
});

function exposure(fingerprint: string, label: string, message: string, extra: Partial<Finding> = {}): Finding {
  return { ...finding(fingerprint, 'critical'), ruleId: 'SGS040', resource: 'aws_instance.web', key: `internet ${label}`, message, reachability: 'reachable', ...extra };
}

describe('new exposures', () => {
  const ssh = exposure('e1', 'tcp/22', 'aws_instance.web is reachable from the internet on tcp/22 (SSH): tcp/22 from 0.0.0.0/0; path: a (x.tf:1)');
  it('counts new SGS040 findings that are reachable or possibly reachable and not accepted', () => {
    const possible = exposure('e2', 'tcp/5432', 'm', { reachability: 'possibly-reachable' });
    const notReachable = exposure('e3', 'tcp/80', 'm', { reachability: 'not-reachable' });
    const accepted = exposure('e4', 'tcp/25', 'm', { suppression: { kind: 'config', reason: 'bastion', file: '.sgscan.yml', line: 3 } });
    const rule = { ...finding('r1', 'critical'), reachability: 'reachable' as const };
    const d = diffFindings([exposure('e0', 'tcp/443', 'm')], [ssh, possible, notReachable, accepted, rule]);
    expect(newExposures(d).map((f) => f.fingerprint)).toEqual(['e1', 'e2']);
    expect(newExposures(diffFindings([ssh], [ssh]))).toEqual([]);
  });

  it('names the service as the message does, or from the key', () => {
    expect(exposedService(ssh)).toBe('tcp/22 (SSH)');
    expect(exposureSentence(ssh, { subject: 'This PR' })).toBe('This PR newly exposes aws_instance.web to the internet on tcp/22 (SSH)');
    const range = exposure('e5', 'tcp/0-65535', 'aws_instance.web may be reachable from the internet on tcp/0-65535, including SSH (tcp/22) and RDP (tcp/3389): assuming x; tcp/0-65535', { reachability: 'possibly-reachable' });
    expect(exposureSentence(range)).toBe('This change may newly expose aws_instance.web to the internet on tcp/0-65535, including SSH (tcp/22) and RDP (tcp/3389)');
    const icmp = exposure('e6', 'icmp/8:0', 'aws_instance.web is reachable from the internet on icmp/8:0: icmp/8:0 from 0.0.0.0/0');
    expect(exposedService(icmp)).toBe('icmp/8:0');
    const lb = exposure('e7', 'tcp/443', 'aws_lb.web is reachable from the internet on tcp/443 (HTTPS) (public by design): tcp/443');
    expect(exposedService(lb)).toBe('tcp/443 (HTTPS)');
    // A baseline report or another message shape: the key's label, with a well-known port named.
    expect(exposedService(exposure('e8', 'tcp/3389', 'something else'))).toBe('tcp/3389 (RDP)');
    expect(exposedService(exposure('e9', 'udp/9999', 'something else'))).toBe('udp/9999');
  });
});
