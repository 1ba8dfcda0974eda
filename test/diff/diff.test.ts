import { describe, expect, it } from 'vitest';
import { diffFindings, diffItems, newBySeverity, statusLookup } from '../../src/diff/diff.js';
import { parseTree } from '../../src/diff/git.js';
import type { Finding } from '../../src/checks/types.js';

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
