import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../../../src/input/terraform/hcl/index.js';
import { hclError } from '../../../../src/input/terraform/load.js';

// Tricky shapes, each with the JSON hcl2json gives (checked against hcl2json as well).
const SHAPES: [string, string, unknown][] = [
  ['numbers', 'a = 1\nb = -1\nc = 1e3\nd = 0010\ne = 1.5\nf = 12345678901234567890\n', { a: 1, b: -1, c: 1000, d: 10, e: 1.5, f: 12345678901234567000 }],
  ['bool, null, not', 'a = true\nb = null\nc = !true\n', { a: true, b: null, c: false }],
  ['string literals in NFC, as Terraform', 'a = "cafe\u0301"\nb = "cafe\u0301 ${var.x}"\nc = <<EOT\ncafe\u0301\nEOT\nd = "cafe\\u0301"\n', { a: 'caf\u00e9', b: 'caf\u00e9 ${var.x}', c: 'caf\u00e9\n', d: 'caf\u00e9' }],
  ['escapes decoded', 'a = "x\\ny\\u00e9\\"\\\\"\n', { a: 'x\nyé"\\' }],
  ['template escapes kept', 'a = "$${a} %%{b} $$ %%"\nb = "\\u0024{c}"\n', { a: '$${a} %%{b} $$ %%', b: '$${c}' }],
  ['bare and quoted expression', 'a = var.x\nb = "${var.x}"\nc = "${ var.x }"\n', { a: '${var.x}', b: '${var.x}', c: '${var.x}' }],
  ['template with parts', 'a = "a-${ var.x }-b${1.5e3}${true}"\n', { a: 'a-${var.x}-b1500true' }],
  ['wrapped literal', 'a = "${1}"\nb = "${[1]}"\nc = "${{x = 1}}"\n', { a: 1, b: [1], c: { x: 1 } }],
  ['list with expressions', 'a = [var.a, "b", 1, [2]]\n', { a: ['${var.a}', 'b', 1, [2]] }],
  [
    'object keys',
    'a = { x = 1, "y" = 2, (var.k) = 3, d.e = 4, true = 5, 1 = 6, "${var.q}" = 7, "p${q}" = 8 }\n',
    { a: { '1': 6, '${(var.k)}': 3, '${var.q}': 7, 'd.e': 4, 'p${q}': 8, true: 5, x: 1, y: 2 } },
  ],
  ['source kept as written', 'a = foo(\n  1, # c\n  2\n)\nb = var.a /* c */ + 1\n', { a: '${foo(\n  1, # c\n  2\n)}', b: '${var.a /* c */ + 1}' }],
  ['parentheses, unary, conditional, for, splat', 'a = (var.a + 1)\nb = -var.x\nc = var.a ? 1 : 2\nd = [for x in l : x if x]\ne = v.a[*].b\nf = string\n', {
    a: '${(var.a + 1)}',
    b: '${-var.x}',
    c: '${var.a ? 1 : 2}',
    d: '${[for x in l : x if x]}',
    e: '${v.a[*].b}',
    f: '${string}',
  }],
  ['template directives and conditionals', 'a = "%{ if var.a }yes%{ else }no%{ endif }"\nb = "%{for k, v in m}${k}=${v},%{endfor}"\nc = "x${a ? "y" : "z"}"\n', {
    a: '%{if var.a}yes%{else}no%{endif}',
    b: '%{for k, v in m}${k}=${v},%{endfor}',
    c: 'x%{if a}y%{else}z%{endif}',
  }],
  ['strip markers', 'a = "x ${~ var.a ~} y"\n', { a: 'x${var.a}y' }],
  ['heredocs', 'a = <<EOT\nhello ${var.a}\n  world\nEOT\nb = <<-EOT\n    indented\n      more ${ b }\n    EOT\nc = var.a == <<EOT\nhi\nEOT\n', {
    a: 'hello ${var.a}\n  world\n',
    b: 'indented\n  more ${b}\n',
    c: '${var.a == <<EOT\nhi\nEOT}',
  }],
  ['blocks', 'resource "aws_security_group" "sg" {\n  ingress {\n    from_port = 22\n  }\n  ingress {\n    from_port = 23\n  }\n  dynamic "egress" {\n    for_each = var.x\n    content {\n      a = egress.value\n    }\n  }\n}\nresource aws_x y { a = 1 }\nlocals { a = 1 }\nlocals {}\n', {
    locals: [{ a: 1 }, {}],
    resource: {
      aws_security_group: { sg: [{ dynamic: { egress: [{ content: [{ a: '${egress.value}' }], for_each: '${var.x}' }] }, ingress: [{ from_port: 22 }, { from_port: 23 }] }] },
      aws_x: { y: [{ a: 1 }] },
    },
  }],
  ['attribute wins over block of the same name', 'a = 1\na {}\n', { a: 1 }],
  ['comments only', '# nothing\n/* here */\n', {}],
  ['empty', '', {}],
  ['unicode and tabs', 'x "日本" {\n\tname\t= "é ü"\n}\n', { x: { 日本: [{ name: 'é ü' }] } }],
  ['newlines and commas in collections', 'a = {\n  x = 1,\n  y: 2\n  z = 3, w = 4\n}\nb = [\n  1,\n  2,\n]\n', { a: { w: 4, x: 1, y: 2, z: 3 }, b: [1, 2] }],
  ['provider functions', 'a = provider::aws::arn_parse(x)\n', { a: '${provider::aws::arn_parse(x)}' }],
];

// Broken input: the line hcl2json reports.
const ERRORS: [string, string, number][] = [
  ['unclosed block', 'a = 1\nresource "x" "y" {\n  b = 1\n', 2],
  ['unclosed string', 'a = 1\nb = "abc\n', 2],
  ['unterminated heredoc', 'a = <<EOT\nno end\n', 3],
  ['missing =', 'a = 1\nb c\n', 2],
  ['missing newline', 'a = 1 b = 2\n', 1],
  ['unexpected EOF in expression', 'a = 1 +', 1],
  ['invalid character', 'x = 1\na = @\n', 2],
  ['a lone carriage return (Terraform: Invalid character)', 'x = 1\na = "x"\r b = "y"\n', 2],
  ['redefined attribute', 'a = 1\na = 2\n', 2],
  ['quoted argument name', '"a" = 1\n', 1],
  ['unclosed list', 'a = [1, 2\n', 1],
  ['stray closing brace', 'a = 1\n}\n', 2],
  ['bad escape', 'a = 1\n\nb = "\\q"\n', 3],
  ['missing endif', 'a = "%{if x}y"\n', 1],
  ['two arguments on a single-line block', 'a { b = 1 }\nc { d = 1 e = 2 }\n', 2],
];

describe('parseHcl', () => {
  it.each(SHAPES)('%s', async (_name, text, want) => {
    const got = parseHcl('t.tf', text);
    expect(got).toEqual(want);
    expect(JSON.stringify(got)).toBe(JSON.stringify(await parse('t.tf', text)));
  });

  it.each(ERRORS)('rejects %s on the line hcl2json names', async (_name, text, line) => {
    expect(() => parseHcl('dir/t.tf', text)).toThrow(/^parse config: \[dir\/t\.tf:\d+,/);
    let message = '';
    try {
      parseHcl('dir/t.tf', text);
    } catch (e) {
      message = (e as Error).message;
    }
    const error = hclError('dir/t.tf', new Error(message));
    expect(error.line).toBe(line);
    expect(error.message).toMatch(/^HCL syntax error: \S/);
    const oracle = await parse('dir/t.tf', text).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(hclError('dir/t.tf', new Error(oracle)).line).toBe(line);
  });

  it('names the first definition of a redefined argument', () => {
    expect(() => parseHcl('t.tf', 'a = 1\na = 2\n')).toThrow('t.tf:2,1-2: Attribute redefined; The argument "a" was already set at t.tf:1,1-2.');
  });

  it('a lone carriage return is an invalid character, as Terraform says first (not a missing newline)', () => {
    expect(() => parseHcl('t.tf', 'x = 1\na = "x"\r b = "y"\n')).toThrow(/^parse config: \[t\.tf:2,8-9: Invalid character; This character is not used within the language\./);
    expect(parseHcl('t.tf', 'a = "x"\r\nb = "y"\r\n')).toEqual({ a: 'x', b: 'y' });
  });

  it('reports conversion failures the way hcl2json does', () => {
    expect(() => parseHcl('t.tf', 'a = !null\n')).toThrow(/^convert to HCL: .*t\.tf:1,5-10: Operation failed/);
    expect(() => parseHcl('t.tf', 'a {}\na "x" {}\n')).toThrow('Unable to convert Block to JSON: a.x');
  });
});

describe('hostile input', () => {
  it('refuses 10,000-deep nesting with an error, not a stack overflow', () => {
    const deep = (open: string, close: string) => `a = ${open.repeat(10_000)}1${close.repeat(10_000)}\n`;
    for (const text of [deep('[', ']'), deep('(', ')'), deep('{x = ', '}'), `a = ${'-'.repeat(10_000)}1\n`, `a = "${'${"'.repeat(10_000)}${'"}'.repeat(10_000)}"\n`]) {
      expect(() => parseHcl('t.tf', text)).toThrow(/^parse config: \[t\.tf:1,\d+-\d+: Nesting too deep/);
    }
    const blocks = `${'b {\n'.repeat(10_000)}${'}\n'.repeat(10_000)}`;
    expect(() => parseHcl('t.tf', blocks)).toThrow(/Nesting too deep/);
  });

  it('parses a 5 MB file in bounded time', () => {
    const rule = (i: number) => `resource "aws_security_group_rule" "r${i}" {\n  type        = "ingress"\n  from_port   = ${i % 65536}\n  to_port     = ${i % 65536}\n  protocol    = "tcp"\n  cidr_blocks = ["10.0.0.0/8", var.cidr, "\${local.prefix}-${i}"]\n  description = <<-EOT\n    rule ${i}\n  EOT\n}\n`;
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 5_000_000; i++) {
      parts.push(rule(i));
      size += parts[parts.length - 1].length;
    }
    const started = performance.now();
    const out = parseHcl('big.tf', parts.join('')) as { resource: { aws_security_group_rule: Record<string, unknown[]> } };
    const ms = performance.now() - started;
    expect(Object.keys(out.resource.aws_security_group_rule)).toHaveLength(parts.length);
    expect(out.resource.aws_security_group_rule.r7).toEqual([
      { type: 'ingress', from_port: 7, to_port: 7, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8', '${var.cidr}', '${local.prefix}-7'], description: 'rule 7\n' },
    ]);
    expect(ms).toBeLessThan(10_000);
  });
});
