// Terraform's regex(), regexall() and replace(/re/) run on an RE2 engine (issue 16): linear time on
// patterns that make a backtracking engine hang, and Go's semantics where JavaScript's differ.
import { describe, expect, it } from 'vitest';
import { Unknown, type Value } from '../../../../src/model/value.js';
import { evaluate, parseBareExpressionSync, type EvalContext } from '../../../../src/input/terraform/eval/index.js';

const ctx: EvalContext = { file: 'r.tf', lookup: () => undefined };
const ev = (expr: string): Value => evaluate(parseBareExpressionSync('r.tf', expr), ctx);

describe('regular-expression functions (RE2 semantics)', () => {
  it('regex("^(a+)+$", "aaaa...a!") finishes fast (backtracking would take forever)', () => {
    const input = `${'a'.repeat(5000)}!`;
    const started = Date.now();
    expect(ev(`can(regex("^(a+)+$", "${input}"))`)).toBe(false);
    expect(ev(`regexall("(a|aa)+$", "${input}")`)).toEqual([]);
    expect(ev(`replace("${input}", "/^(a+)+$/", "x")`)).toBe(input);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('empty matches next to a previous match are skipped, as in Go', () => {
    // JavaScript's matchAll gives ["", "aaa", "", ""] and replace gives "-b--c-".
    expect(ev('regexall("a*", "baaac")')).toEqual(['', 'aaa', '']);
    expect(ev('replace("baaac", "/a*/", "-")')).toBe('-b-c-');
  });

  it('an unmatched group is null; named groups give an object; mixing them is an error', () => {
    expect(ev('regex("(a)|(b)", "b")')).toEqual([null, 'b']);
    expect(ev('regex("(?P<x>a)?(?P<y>b)", "b")')).toEqual({ x: null, y: 'b' });
    const mixed = ev('regex("(?P<x>a)(b)", "ab")');
    expect(mixed).toBeInstanceOf(Unknown);
    expect((mixed as Unknown).reasons[0]).toMatch(/mix named and unnamed/);
  });

  it('RE2 syntax: inline flags and \\pL work, \\d is ASCII only, lookahead is refused', () => {
    expect(ev('regex("(?i)ssh", "SSH")')).toBe('SSH');
    expect(ev('regex("\\\\pL+", "über1")')).toBe('über');
    expect(ev('can(regex("\\\\d", "١"))')).toBe(false);
    const look = ev('regex("a(?=b)", "ab")');
    expect(look).toBeInstanceOf(Unknown);
    expect((look as Unknown).reasons[0]).toMatch(/invalid regular expression/);
  });

  it('replace() templates expand like Go: $1, ${1}, $name, $$; "$1x" names a group "1x" (empty)', () => {
    // (in HCL "$${" is a literal "${")
    expect(ev('replace("22-80", "/(\\\\d+)-(?P<to>\\\\d+)/", "$${to}..$1")')).toBe('80..22');
    expect(ev('replace("22-80", "/(\\\\d+)-(\\\\d+)/", "$${2}..$1 $$")')).toBe('80..22 $');
    expect(ev('replace("22", "/(\\\\d+)/", "$1x")')).toBe('');
    expect(ev('replace("a.b", "/\\\\./", "-")')).toBe('a-b');
  });
});
