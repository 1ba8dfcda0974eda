import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHclFile } from '../../../../src/input/terraform/hcl/index.js';
import { parseRenderedTemplate } from '../../../../src/input/terraform/eval/parser.js';
import { parseExpressions } from '../../../../src/input/terraform/load.js';

// The evaluator takes a `.tf` file's expressions from the HCL parse (Expr.node) instead of parsing
// each "${...}" string again. The string's own parse is the reference: every node the syntax tree
// gives must be exactly the tree parseRenderedTemplate reads from the string, and the strings must
// be exactly those a walk of the JSON finds.
const repoRoot = path.resolve(__dirname, '../../../..');
const CORPUS = path.resolve(repoRoot, '../shared/corpus/terraform');
const FIXTURES = path.resolve(repoRoot, 'fixtures');

function tfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '.terraform') out.push(...tfFiles(p));
    } else if (e.name.endsWith('.tf')) out.push(p);
  }
  return out.sort();
}

function readTf(file: string): string {
  const raw = readFileSync(file, 'utf8');
  return (raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).replace(/\r\n/g, '\n');
}

function reference(s: string): unknown {
  try {
    return parseRenderedTemplate(s);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** Expressions of one file: [string, node from the parse, reference], and whether the strings match the walk's. */
function check(file: string, text: string): { total: number; given: number; differing: string[] } {
  const parsed = parseHclFile(file, text);
  const walked = [...parseExpressions(file, parsed.value).keys()].sort();
  const found = [...parsed.expressions.keys()].sort();
  expect(found, `${file}: expression strings`).toEqual(walked);
  const differing: string[] = [];
  let given = 0;
  for (const [s, node] of parsed.expressions) {
    if (node === undefined) continue;
    given++;
    try {
      expect(node).toStrictEqual(reference(s));
    } catch {
      differing.push(`${file}: ${s}`);
    }
  }
  return { total: parsed.expressions.size, given, differing };
}

function snippet(text: string) {
  return check('snippet.tf', text);
}

describe('expressions from the HCL parse', () => {
  it('equal the evaluator parse of their strings for every corpus and fixture .tf file', () => {
    const files = [...tfFiles(CORPUS), ...tfFiles(FIXTURES)];
    expect(files.length).toBeGreaterThan(850);
    let total = 0;
    let given = 0;
    const differing: string[] = [];
    for (const file of files) {
      let r;
      try {
        r = check(file, readTf(file));
      } catch (e) {
        if ((e as Error).message.startsWith('parse config') || (e as Error).message.startsWith('convert to HCL')) continue;
        throw e;
      }
      total += r.total;
      given += r.given;
      differing.push(...r.differing);
    }
    expect(differing).toEqual([]);
    // Nearly every expression comes from the parse; the rest is parsed from its string.
    console.log(`expressions: ${given} of ${total} from the parse`);
    expect(total).toBeGreaterThan(14_000);
    expect(given / total).toBeGreaterThan(0.97);
  });

  it.each([
    ['operators', 'a = 1 + 2 * var.x - -3 == 4 || !var.y && var.z >= 2 % 3\n'],
    ['negated literals and parentheses', 'a = -(5) + --var.n + (var.x)\nb = -var.x\nc = [-1, !true, (1 + 2)]\n'],
    ['splats', 'a = var.l[*].b[0].c\nb = var.l.*.b[0]\nc = var.l[*].b[*].c\nd = var.l.*.b.*.c\ne = aws_instance.x[ * ].id\nf = x[*][0]\n'],
    ['indexes and attributes', 'a = var.m["k"].x[0].1\nb = local.l[var.i + 1]\n'],
    ['calls', 'a = merge(var.a, { b = 1 }, [for x in var.l : x]...)\nb = provider::aws::arn_parse(var.x)\nc = f()\nd = g(1, 2,)\n'],
    ['for expressions', 'a = { for k, v in var.m : k => v... if v != null }\nb = [for i, x in var.l : "${i}-${x}" if i > 0]\n'],
    ['conditionals', 'a = var.x ? 1 : var.y ? "a" : null\nb = "${var.x ? "a" : "b"}"\nc = "p-${var.x ? "a" : "b"}"\n'],
    ['objects', 'a = { b = 1, "c" = var.x, (var.k) = 2, true = 3, 4 = 5, d : 6, e.f = 7 }\nb = merge({ x = var.y }, {})\n'],
    ['object keys', 'a = { "${var.k}" = 1, "k-${var.j}" = 2, (var.l) = 3 }\n'],
    ['templates', 'a = "x-${var.a}-${local.b}"\nb = "$${literal}"\nc = "cost: $${var.x}"\nd = "a$${var.x}"\ne = "100%"\nf = "${1}-${true}-${var.x}"\ng = "\\u00e9-${var.x}"\n'],
    ['a dollar before an interpolation', 'a = "$$${var.x}"\nb = "%${var.x}"\nc = "$${var.x}$"\n'],
    ['nested templates', 'a = "${format("%s-${var.x}", "b\\n")}"\nb = lower("A-${var.x}")\nc = "${"lit"}"\n'],
    ['strip markers and directives', 'a = "x ${~ var.a ~} y"\nb = "%{ if var.x }a%{ else }b%{ endif }"\nc = "%{for x in var.l}${x},%{endfor}"\nd = f("x ${~ var.a} y")\n'],
    ['heredocs', 'a = <<EOF\n{"a": "${var.x}"}\nEOF\nb = <<-EOF\n  x ${var.y}\n  EOF\nc = f(<<EOF\n${var.z}\nEOF\n)\n'],
    ['comments and newlines inside brackets', 'a = [\n  var.a, # one\n  /* two */ var.b,\n]\nb = f(\n  var.x,\n  var.y\n)\nc = var.l[ /* c */ * ]\n'],
    ['names the evaluator reads otherwise', 'a = var.héllo\nb = f\u00e9(1)\nc = [for é in var.l : é]\n'],
    ['a range followed by a parenthesis', 'a = f(\n  [var.x]\n)\n'],
    ['block labels', 'resource "a" "$${x}" {\n  b = var.c\n}\n'],
  ])('%s', (_name, text) => {
    const r = snippet(text);
    expect(r.differing).toEqual([]);
  });

  it('leaves deeply nested expressions to the evaluator, which refuses them the same way', () => {
    const deep = `a = ${'['.repeat(160)}var.x${']'.repeat(160)}\nb = ${'f('.repeat(100)}1${')'.repeat(100)}\n`;
    const parsed = parseHclFile('deep.tf', deep);
    const nodes = [...parsed.expressions.values()];
    expect(nodes).toHaveLength(2);
    expect(nodes.every((n) => n === undefined)).toBe(true);
    expect(snippet(deep).differing).toEqual([]);
  });

  it('agree on generated templates of dollars, percents, braces and interpolations', () => {
    const pieces = ['$', '%', '{', '}', 'a', ' ', '$${', '%%{', '${var.x}', '${-1}', '%{if var.c}', '%{endif}', '\\n', '${[var.y]}', '${ {a = var.z} }'];
    // A fixed linear congruential sequence: the same cases on every run.
    let seed = 12345;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      let t = '';
      for (let j = next(7); j >= 0; j--) t += pieces[next(pieces.length)];
      let r;
      try {
        r = snippet(`a = "${t}"\nb = { "${t}" = 1 }\n`);
      } catch {
        continue; // not valid HCL
      }
      checked++;
      expect(r.differing, t).toEqual([]);
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('gives most expressions a node', () => {
    const r = snippet('a = var.x\nb = "${var.y}-z"\nc = [var.a, local.b]\nd = { e = var.f }\n');
    expect(r.total).toBe(5);
    expect(r.given).toBe(5);
  });
});
