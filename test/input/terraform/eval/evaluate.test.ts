// Unknown propagation, resource references, bounds and robustness of the expression evaluator.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResourceRef, Unknown, type Value } from '../../../../src/model/value.js';
import {
  createExpressionParser,
  evaluate,
  isExpressionString,
  parseExpression,
  parseExpressionSync,
  type EvalContext,
} from '../../../../src/input/terraform/eval/index.js';

const sgRef = new ResourceRef('aws_security_group.x', 'id');
const vars: Record<string, Record<string, Value>> = {
  var: {
    x: new Unknown('var.x has no value'),
    unknown: new Unknown('var.unknown has no value'),
    cidr: '10.0.0.0/8',
    ports: [22, 443],
    list: ['a', new Unknown('var.list[1] has no value')],
    enabled: true,
  },
  local: { env: 'prod' },
  aws_security_group: { x: { id: sgRef, name: 'x-sg' }, many: [{ id: new ResourceRef('aws_security_group.many[0]', 'id') }, { id: new ResourceRef('aws_security_group.many[1]', 'id') }] },
  each: { key: 'ssh', value: { port: 22 } },
  count: { index: 1 },
};
const ctx: EvalContext = {
  file: 'main.tf',
  lookup: (root, name) => vars[root]?.[name],
};

async function ev(src: string): Promise<Value> {
  return evaluate(await parseExpression('main.tf', src), ctx);
}

function reasons(v: Value): readonly string[] {
  expect(v).toBeInstanceOf(Unknown);
  return (v as Unknown).reasons;
}

describe('unknown propagation', () => {
  it('a reference to an unknown variable carries the lookup reason', async () => {
    expect(reasons(await ev('${var.x}'))).toEqual(['var.x has no value']);
    expect(reasons(await ev('web-${var.x}'))).toEqual(['var.x has no value']);
  });

  it('merges reasons of both operands', async () => {
    expect(reasons(await ev('${var.x + var.unknown}'))).toEqual(['var.x has no value', 'var.unknown has no value']);
  });

  it('concat with an unknown list is unknown naming it', async () => {
    expect(reasons(await ev('${concat(["a"], var.unknown)}'))).toEqual(['var.unknown has no value']);
  });

  it('keeps known elements next to unknown ones', async () => {
    const v = (await ev('${concat(["a"], [var.x])}')) as Value[];
    expect(v[0]).toBe('a');
    expect(reasons(v[1])).toEqual(['var.x has no value']);
    const l = (await ev('${var.list}')) as Value[];
    expect(l[0]).toBe('a');
  });

  it('a conditional on an unknown is unknown, naming the condition', async () => {
    const r = reasons(await ev('${var.x ? "0.0.0.0/0" : "10.0.0.0/8"}'));
    expect(r[0]).toBe('var.x has no value');
    expect(r[1]).toBe('condition var.x is unknown');
  });

  it('a conditional on an unknown with equal branches is that value', async () => {
    expect(await ev('${var.x ? "10.0.0.0/8" : var.cidr}')).toBe('10.0.0.0/8');
  });

  it('known deciding operands settle && and ||', async () => {
    expect(await ev('${false && var.x}')).toBe(false);
    expect(await ev('${var.x || true}')).toBe(true);
    expect(reasons(await ev('${var.x && true}'))).toEqual(['var.x has no value']);
  });

  it('an undeclared name is unknown saying so', async () => {
    expect(reasons(await ev('${var.nope}'))).toEqual(['reference to undeclared var.nope']);
    expect(reasons(await ev('${local.missing}'))).toEqual(['reference to undeclared local.missing']);
  });

  it('try and can with unknown arguments are unknown', async () => {
    expect(reasons(await ev('${try(var.x, "d")}'))).toEqual(['var.x has no value']);
    expect(reasons(await ev('${can(var.x)}'))).toEqual(['var.x has no value']);
    expect(await ev('${try(var.nope.deeper, "d")}')).toBeInstanceOf(Unknown);
  });

  it('functions that must inspect an unknown are unknown', async () => {
    expect(reasons(await ev('${length(var.unknown)}'))).toEqual(['var.unknown has no value']);
    expect(reasons(await ev('${cidrsubnet(var.x, 8, 1)}'))).toEqual(['var.x has no value']);
    expect(reasons(await ev('${join(",", var.list)}'))).toEqual(['var.list[1] has no value']);
    expect(await ev('${length(var.list)}')).toBe(2);
  });

  it('timestamp and uuid are unknown; file and templatefile are unknown without the front end\'s reader (never read here)', async () => {
    for (const f of ['timestamp()', 'uuid()']) {
      expect(reasons(await ev(`\${${f}}`))[0]).toMatch(/not evaluated statically/);
    }
    for (const f of ['file("/etc/passwd")', 'templatefile("x.tpl", {})']) {
      expect(reasons(await ev(`\${${f}}`))[0]).toMatch(/is not read here/);
    }
  });

  it('templatestring() renders a template held in a string, seeing only its variables (as Terraform 1.9+)', async () => {
    vars.local.tpl = '10.${octet}.0.0/16%{ if wide } wide%{ endif }';
    try {
      expect(await ev('${templatestring(local.tpl, { octet = 30, wide = false })}')).toBe('10.30.0.0/16');
      expect(await ev('${templatestring(local.tpl, { octet = 30, wide = true })}')).toBe('10.30.0.0/16 wide');
      // local.env is not in the template's scope.
      vars.local.tpl2 = '${local.env}';
      expect(await ev('${templatestring(local.tpl2, {})}')).toBeInstanceOf(Unknown);
    } finally {
      delete vars.local.tpl;
      delete vars.local.tpl2;
    }
  });

  it('errors become unknowns naming file and source', async () => {
    expect(reasons(await ev('${element([], 0)}'))[0]).toBe(
      'main.tf: element(): cannot use element() with an empty list in ${element([], 0)}',
    );
    expect(reasons(await ev('${nosuchfn(1)}'))[0]).toMatch(/unknown function nosuchfn/);
  });
});

describe('resource references', () => {
  it('passes a ResourceRef through as the whole value', async () => {
    expect(await ev('${aws_security_group.x.id}')).toBe(sgRef);
    expect(await ev('${[aws_security_group.x.id]}')).toEqual([sgRef]);
    expect(await ev('${aws_security_group.many[*].id}')).toEqual([
      new ResourceRef('aws_security_group.many[0]', 'id'),
      new ResourceRef('aws_security_group.many[1]', 'id'),
    ]);
    expect(await ev('${var.enabled ? aws_security_group.x.id : null}')).toBe(sgRef);
    expect(await ev('${tostring(aws_security_group.x.id)}')).toBe(sgRef);
  });

  it('is unknown inside a larger string', async () => {
    expect(reasons(await ev('sg-${aws_security_group.x.id}'))).toEqual(['aws_security_group.x.id is only known after apply']);
  });

  it('compares by address and attribute', async () => {
    expect(await ev('${aws_security_group.x.id == aws_security_group.x.id}')).toBe(true);
    expect(await ev('${aws_security_group.x.id == aws_security_group.many[0].id}')).toBe(false);
    expect(await ev('${aws_security_group.x.id == "sg-1"}')).toBeInstanceOf(Unknown);
    expect(await ev('${contains([aws_security_group.x.id], aws_security_group.x.id)}')).toBe(true);
  });

  it('each, count and plain attributes resolve through lookup', async () => {
    expect(await ev('${each.value.port}')).toBe(22);
    expect(await ev('${each.key}-${count.index}-${local.env}')).toBe('ssh-1-prod');
    expect(await ev('${aws_security_group.x.name}')).toBe('x-sg');
  });
});

describe('rendered strings as hcl2json gives them', () => {
  it('takes literal text verbatim and un-escapes only $${ and %%{', async () => {
    expect(await ev('a\\b "q" ${local.env}')).toBe('a\\b "q" prod');
    expect(await ev('$${not} %%{this}')).toBe('${not} %{this}');
    expect(await ev('hello ${local.env}\n  line2 "quoted"\n')).toBe('hello prod\n  line2 "quoted"\n');
  });

  it('a lone interpolation keeps its type, a template makes a string', async () => {
    expect(await ev('${22}')).toBe(22);
    expect(await ev('${var.ports}')).toEqual([22, 443]);
    expect(await ev('port ${22}')).toBe('port 22');
  });

  it('handles nested templates, heredocs and comments inside interpolations', async () => {
    expect(await ev('${"x${"y${local.env}"}"}')).toBe('xyprod');
    expect(await ev('${[\n  1, # one\n  2, // two\n  /* three */ 3,\n]}')).toEqual([1, 2, 3]);
    expect(await ev('${<<-EOT\n    a\n      b ${local.env}\n    EOT\n}')).toBe('a\n  b prod\n');
    expect(await ev('${{\n  a = 1\n  b = 2\n}}')).toEqual({ a: 1, b: 2 });
  });

  it('isExpressionString tells templates from literals', () => {
    expect(isExpressionString('${var.x}')).toBe(true);
    expect(isExpressionString('%{if a}b%{endif}')).toBe(true);
    expect(isExpressionString('0.0.0.0/0')).toBe(false);
  });

  it('unparsable text is an Unknown naming the file', async () => {
    const r = reasons(await ev('${var.x +}'));
    expect(r[0]).toMatch(/^main\.tf: cannot parse expression/);
  });
});

describe('bounds', () => {
  it('refuses huge ranges quickly', async () => {
    const t = performance.now();
    const r = reasons(await ev('${range(1000000000)}'));
    expect(r[0]).toMatch(/more than the limit of 100000/);
    expect(reasons(await ev('${setproduct(range(1000), range(1000))}'))[0]).toMatch(/limit/);
    expect(reasons(await ev('${try(range(1000000000), [])}'))[0]).toMatch(/limit/);
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('refuses pathological nesting without overflowing the stack', async () => {
    const deep = `\${${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(reasons(await ev(deep))[0]).toMatch(/nested too deeply/);
    const ops = `\${${Array.from({ length: 3000 }, () => '1').join(' + ')}}`;
    expect(await ev(ops)).toBeInstanceOf(Unknown);
    const unary = `\${${'!'.repeat(3000)}true}`;
    expect(await ev(unary)).toBeInstanceOf(Unknown);
  });
});

describe('parser cache', () => {
  it('returns the same AST for the same source', () => {
    const p = createExpressionParser();
    const a = p.parse('a.tf', '${var.cidr}');
    const b = p.parse('b.tf', '${var.cidr}');
    expect(a.ast).toBe(b.ast);
    expect(evaluate(b, ctx)).toBe('10.0.0.0/8');
  });

  it('parses and evaluates many expressions fast', () => {
    const p = createExpressionParser();
    const sources = Array.from({ length: 2000 }, (_, i) => `\${[for p in var.ports : "\${p}-${i}" if p > ${i % 500}]}`);
    const t = performance.now();
    for (const s of sources) evaluate(p.parse('main.tf', s), ctx);
    const ms = performance.now() - t;
    expect(ms).toBeLessThan(2000);
  });
});

describe('never throws', () => {
  const atoms = ['var.x', 'var.ports', 'local.env', '1', '"s"', 'null', 'true', '[', ']', '{', '}', '(', ')', '${', '%{', '}',
    '+', '-', '*', '/', '%', '==', '!=', '&&', '||', '!', '?', ':', ',', '.', '[*]', '.*', '...', '=>', 'for', 'in', 'if',
    'x', '=', '"', '\\', '\n', ' ', 'range(', 'concat(', 'cidrsubnet(', 'try(', 'element(', '<<EOT\n', 'EOT', '~', '#', '/*'];
  const exprish = fc.array(fc.constantFrom(...atoms), { maxLength: 30 }).map((a) => a.join(''));

  it('parseExpression and evaluate never throw on expression-ish strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(exprish, exprish.map((s) => `\${${s}}`), fc.string()), async (s) => {
        const e = await parseExpression('f.tf', s);
        const v = evaluate(e, ctx);
        expect(v === undefined).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('a throwing lookup becomes an Unknown', () => {
    const bad: EvalContext = { file: 'f.tf', lookup: () => { throw new Error('boom'); } };
    expect(evaluate(parseExpressionSync('f.tf', '${var.a}'), bad)).toBeInstanceOf(Unknown);
  });
});
