import { describe, expect, it } from 'vitest';
import { admittedPrefixes, compilePattern, intersects, mayBeWorldCidr, type Pattern } from '../../src/sets/pattern.js';

// Patterns as CloudFormation (Java, whole value) and Terraform (RE2 regex(), a search) read them,
// compiled to automata: matching never backtracks, and a pattern can be asked whether some value
// it admits is a CIDR of the whole address space.

const PEER_VPC_CIDR = String.raw`^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])(\/(1[6-9]|2[0-8]))$`;
const ANY_IPV4_CIDR = String.raw`(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})`;

function java(source: string): Pattern {
  const p = compilePattern(source, { flavour: 'java', whole: true });
  if ('refused' in p) throw new Error(`refused: ${p.refused}`);
  return p;
}

describe('compilePattern: matching', () => {
  it('applies a Java pattern to the whole value, anchored or not', () => {
    const p = java('[a-z]+-[0-9]{2}');
    expect(p.matches('abc-12')).toBe(true);
    expect(p.matches('xabc-123')).toBe(false);
    expect(p.matches(' abc-12')).toBe(false);
    expect(java('^pcx-[0-9a-f]{17}$').matches('pcx-0123456789abcdef0')).toBe(true);
    expect(java('^pcx-[0-9a-f]{17}$').matches('pcx-0123456789abcdef')).toBe(false);
  });

  it('reads the usual syntax: classes, escapes, alternation at the top, counted repetition, groups', () => {
    const rtb = java(String.raw`^(rtb-[0-9a-f]{17})$|^((rtb-[0-9a-f]{17}(,|, ))*rtb-[0-9a-f]{17})$`);
    expect(rtb.matches('rtb-0123456789abcdef0')).toBe(true);
    expect(rtb.matches('rtb-0123456789abcdef0, rtb-0123456789abcdef1')).toBe(true);
    expect(rtb.matches('rtb-0123456789abcdef0,,rtb-0123456789abcdef1')).toBe(false);
    expect(java(String.raw`^[\w\/-]+$`).matches('a/b-c_d')).toBe(true);
    expect(java(String.raw`^[^<>]*$`).matches('a<b')).toBe(false);
    expect(java('^$|^x$').matches('')).toBe(true);
    expect(java('(?:ab){2,3}').matches('ababab')).toBe(true);
    expect(java('(?:ab){2,3}').matches('abababab')).toBe(false);
    expect(java('(?<name>a)b?').matches('a')).toBe(true);
    expect(java(String.raw`a\.b`).matches('axb')).toBe(false);
    expect(java('a.b').matches('a\nb')).toBe(false);
  });

  it('RE2 regex() as Terraform calls it searches the value unless anchored', () => {
    const p = compilePattern('[0-9]+', { flavour: 're2', whole: false });
    if ('refused' in p) throw new Error(p.refused);
    expect(p.matches('abc123def')).toBe(true);
    expect(p.matches('abcdef')).toBe(false);
    const q = compilePattern('^[0-9]+$', { flavour: 're2', whole: false });
    if ('refused' in q) throw new Error(q.refused);
    expect(q.matches('abc123')).toBe(false);
    expect(q.matches('123')).toBe(true);
  });

  it('refuses what it does not read exactly (the caller then admits anything)', () => {
    for (const source of [
      '(?=^.{8,32}$)(?=.*[A-Z]).*', // lookahead
      '(a)\\1', // backreference
      'a*+b', // possessive
      '(?i)abc', // flags
      '\\p{Alpha}+', // Unicode classes
      '[a-z&&[^b]]', // class intersection
      'a{2', // an unclosed repetition: an error for Java
      '(ab', // unbalanced
      '*a', // nothing to repeat
      '\\bword\\b', // word boundaries
      'x{1,100000}', // too large
    ]) {
      expect(compilePattern(source, { flavour: 'java', whole: true }), source).toHaveProperty('refused');
    }
  });

  it('has no catastrophic patterns: nested repetition on a long text is linear', () => {
    const p = java('^(a+)+$');
    const start = Date.now();
    expect(p.matches(`${'a'.repeat(20000)}!`)).toBe(false);
    expect(p.matches('a'.repeat(20000))).toBe(true);
    expect(java('^(a|a)*b$').matches('a'.repeat(5000))).toBe(false);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

describe('intersects: is there one value every pattern admits?', () => {
  it('decides on languages, not on samples', () => {
    expect(intersects(java('[a-c]+'), java('[c-e]+'))).toBe(true);
    expect(intersects(java('[a-b]+'), java('[c-e]+'))).toBe(false);
    expect(intersects(java('a{3}'), java('a{2}|a{4}'))).toBe(false);
    expect(intersects(java('^x$'), java('x'))).toBe(true);
    expect(intersects(java('a$b'), java('.*'))).toBe(false);
  });
});

describe('CIDR questions', () => {
  it('the peering templates’ pattern admits a /16 to /28 range and never the world', () => {
    const p = java(PEER_VPC_CIDR);
    expect(p.matches('10.1.0.0/16')).toBe(true);
    expect(p.matches('0.0.0.0/0')).toBe(false);
    expect(mayBeWorldCidr(p)).toBe(false);
    expect(admittedPrefixes(p)).toEqual(Array.from({ length: 13 }, (_, i) => i + 16));
  });

  it('a pattern with any one- or two-digit prefix admits /0', () => {
    const p = java(ANY_IPV4_CIDR);
    expect(mayBeWorldCidr(p)).toBe(true);
    expect(admittedPrefixes(p)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('counts every spelling of /0: 000.000.000.000/0, 10.0.0.0/00, ::/0', () => {
    expect(mayBeWorldCidr(java(String.raw`^172\.(1[6-9]|2[0-9]|3[01])\..*/\d+$`))).toBe(true); // 172.16.0.0/0 is the world
    expect(mayBeWorldCidr(java(String.raw`^10\.[0-9.]+/0+$`))).toBe(true);
    expect(mayBeWorldCidr(java(String.raw`^[0-9a-f:]+/(0|64)$`))).toBe(true);
    expect(mayBeWorldCidr(java(String.raw`^[0-9a-f:]+/(48|56|64)$`))).toBe(false);
  });

  it('a pattern that is no CIDR at all admits no prefix and never the world', () => {
    const p = java('^sg-[0-9a-f]{8,17}$');
    expect(mayBeWorldCidr(p)).toBe(false);
    expect(admittedPrefixes(p)).toEqual([]);
  });
});
