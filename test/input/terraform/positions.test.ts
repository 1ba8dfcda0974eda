import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHclFile } from '../../../src/input/terraform/hcl/index.js';
import { blocksOf, locateHcl } from '../../../src/input/terraform/locate.js';
import { positionsOf } from '../../../src/input/terraform/positions.js';

// The positions of a .tf file come from the one parse (positions.ts); locateHcl, the old second
// pass, is the oracle: the same tree for every file the parser accepts.

const positions = (text: string) => {
  const parsed = parseHclFile('main.tf', text);
  return positionsOf(parsed.syntax, text, parsed.lines);
};
const span = (x: { line: number; endLine: number } | undefined) => (x ? [x.line, x.endLine] : undefined);

function tfFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) tfFiles(p, out);
    else if (name.endsWith('.tf') || name.endsWith('.tfvars')) out.push(p);
  }
  return out;
}

describe('positions from the syntax tree', () => {
  it('equal locateHcl on every fixture the parser accepts', () => {
    let compared = 0;
    for (const f of tfFiles(path.resolve(__dirname, '../../../fixtures'))) {
      const text = readFileSync(f, 'utf8').replace(/^\ufeff/, '').replace(/\r\n/g, '\n');
      let pos;
      try {
        pos = positions(text);
      } catch {
        continue; // a syntax error: the file is reported, never located
      }
      expect(pos, f).toEqual(locateHcl(text));
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('give blocks, attributes and the object literals of list values their lines', () => {
    const text = [
      'resource "aws_security_group" "web" {', //1
      '  name = "web"', //2
      '  ingress = [', //3
      '    {', //4
      '      from_port = 22', //5
      '    },', //6
      '    { "to_port" = 443, x = <<EOT', //7
      'text', //8
      'EOT', //9
      '    }', //10
      '  ]', //11
      '  egress {', //12
      '  }', //13
      '}', //14
      '',
    ].join('\n');
    const root = positions(text);
    const [sg] = blocksOf(root, 'resource', ['aws_security_group', 'web']);
    expect(span(root)).toEqual([1, 15]);
    expect(span(sg)).toEqual([1, 14]);
    expect(span(sg.attrs.get('name'))).toEqual([2, 2]);
    const ingress = sg.attrs.get('ingress')!;
    expect(span(ingress)).toEqual([3, 11]);
    expect(ingress.elements.map(span)).toEqual([
      [4, 6],
      [7, 10],
    ]);
    expect(span(ingress.elements[0].attrs.get('from_port'))).toEqual([5, 5]);
    expect(span(ingress.elements[1].attrs.get('to_port'))).toEqual([7, 7]);
    expect(span(ingress.elements[1].attrs.get('x'))).toEqual([7, 9]);
    expect(span(blocksOf(sg, 'egress')[0])).toEqual([12, 13]);
    expect(root).toEqual(locateHcl(text));
  });

  it('read a for expression that starts on the line after its brace as a for expression, not an object', () => {
    // locateHcl took `{` + newline + `for` for an object and closed the block at the for's inner brace.
    const text = [
      'resource "aws_route53_record" "v" {', //1
      '  for_each = {', //2
      '    for d in var.x : d.name => {', //3
      '      name = d.name', //4
      '    }', //5
      '  }', //6
      '  ttl = 60', //7
      '}', //8
    ].join('\n');
    const [r] = blocksOf(positions(text), 'resource');
    expect(span(r)).toEqual([1, 8]);
    expect(span(r.attrs.get('for_each'))).toEqual([2, 6]);
    expect(r.attrs.get('for_each')!.elements).toEqual([]);
    expect(span(r.attrs.get('ttl'))).toEqual([7, 7]);
  });
});
