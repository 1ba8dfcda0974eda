import { describe, expect, it } from 'vitest';
import { blocksOf, locateHcl, locateJson, scanJsonPositions } from '../../../src/input/terraform/locate.js';

const span = (x: { line: number; endLine: number } | undefined) => (x ? [x.line, x.endLine] : undefined);

describe('locateHcl', () => {
  it('finds blocks, labels and attributes with 1-based lines', () => {
    const text = ['resource "aws_security_group" "web" {', '  name = "web"', '  ingress {', '    from_port = 22', '  }', '}', ''].join('\n');
    const root = locateHcl(text);
    const [sg] = blocksOf(root, 'resource', ['aws_security_group', 'web']);
    expect(span(sg)).toEqual([1, 6]);
    expect(span(sg.attrs.get('name'))).toEqual([2, 2]);
    expect(span(blocksOf(sg, 'ingress')[0])).toEqual([3, 5]);
    expect(span(blocksOf(sg, 'ingress')[0].attrs.get('from_port'))).toEqual([4, 4]);
  });

  it('is not fooled by braces, quotes and "${" inside strings and interpolations', () => {
    const text = [
      'resource "a" "b" {', //1
      '  x = "}{ not a brace"', //2
      '  y = "${jsonencode({ a = "}" })}-${var.z}"', //3
      '  z = "$${literal} {"', //4
      '  w = "%{ if var.a }}%{ endif }"', //5
      '  inner {', //6
      '    v = "\\"}"', //7
      '  }', //8
      '}', //9
      'resource "a" "c" {}', //10
    ].join('\n');
    const root = locateHcl(text);
    const [b] = blocksOf(root, 'resource', ['a', 'b']);
    expect(span(b)).toEqual([1, 9]);
    expect([...b.attrs.keys()]).toEqual(['x', 'y', 'z', 'w']);
    expect(span(blocksOf(b, 'inner')[0])).toEqual([6, 8]);
    expect(span(blocksOf(root, 'resource', ['a', 'c'])[0])).toEqual([10, 10]);
  });

  it('skips heredocs and comments of every kind', () => {
    const text = [
      '# resource "x" "hash" {', //1
      '// resource "x" "slash" {', //2
      '/* resource "x" "block" {', //3
      '}  */', //4
      'resource "a" "b" {', //5
      '  policy = <<-EOF', //6
      '    { "not": "a block" }', //7
      '    resource "x" "y" {', //8
      '    EOF', //9
      '  after = 1 # trailing }', //10
      '  doc = <<EOT', //11
      '}', //12
      'EOT', //13
      '}', //14
    ].join('\n');
    const root = locateHcl(text);
    expect(root.blocks.map((b) => b.labels.join('.'))).toEqual(['a.b']);
    const b = root.blocks[0];
    expect(span(b)).toEqual([5, 14]);
    expect(span(b.attrs.get('policy'))).toEqual([6, 9]);
    expect(span(b.attrs.get('after'))).toEqual([10, 10]);
    expect(span(b.attrs.get('doc'))).toEqual([11, 13]);
  });

  it('handles CRLF line endings and a BOM', () => {
    const text = '\ufeffresource "a" "b" {\r\n  x = 1\r\n\r\n  blk {\r\n  }\r\n}\r\n';
    const [b] = locateHcl(text).blocks;
    expect(span(b)).toEqual([1, 6]);
    expect(span(b.attrs.get('x'))).toEqual([2, 2]);
    expect(span(blocksOf(b, 'blk')[0])).toEqual([4, 5]);
  });

  it('records object elements of list attributes and one-line blocks', () => {
    const text = [
      'resource "a" "b" {', //1
      '  ingress = [', //2
      '    {', //3
      '      from_port = 1', //4
      '    },', //5
      '    { from_port = 2, "to_port" = 3 },', //6
      '  ]', //7
      '  egress { from_port = 0 }', //8
      '  dynamic "ingress" {', //9
      '    for_each = [for x in var.y : { p = x }]', //10
      '    content { from_port = ingress.value }', //11
      '  }', //12
      '}', //13
    ].join('\n');
    const [b] = locateHcl(text).blocks;
    const ing = b.attrs.get('ingress')!;
    expect(span(ing)).toEqual([2, 7]);
    expect(ing.elements.map(span)).toEqual([
      [3, 5],
      [6, 6],
    ]);
    expect(span(ing.elements[0].attrs.get('from_port'))).toEqual([4, 4]);
    expect(span(ing.elements[1].attrs.get('to_port'))).toEqual([6, 6]);
    expect(span(blocksOf(b, 'egress')[0])).toEqual([8, 8]);
    const [dyn] = blocksOf(b, 'dynamic', ['ingress']);
    expect(span(dyn)).toEqual([9, 12]);
    expect(span(dyn.attrs.get('for_each'))).toEqual([10, 10]);
    expect(span(blocksOf(dyn, 'content')[0])).toEqual([11, 11]);
  });

  it('never throws on malformed input', () => {
    for (const t of ['resource "a" {', '}}}', '"unterminated', 'x = [ {', '<<EOF\nno end', 'a = "${"', '/* open']) {
      expect(() => locateHcl(t)).not.toThrow();
    }
  });
});

describe('JSON positions', () => {
  it('gives the line of each key and block', () => {
    const text = ['{', '  "resource": {', '    "aws_vpc": {', '      "main": {', '        "cidr_block": "10.0.0.0/16"', '      }', '    }', '  }', '}'].join('\n');
    const root = locateJson(scanJsonPositions(text));
    const [vpc] = blocksOf(root, 'resource', ['aws_vpc', 'main']);
    expect(span(vpc)).toEqual([4, 6]);
    expect(span(vpc.attrs.get('cidr_block'))).toEqual([5, 5]);
  });

  it('reports the line of a syntax error', () => {
    expect(() => scanJsonPositions('{\n  "a": 1,\n  "b" 2\n}')).toThrow(expect.objectContaining({ line: 3 }));
  });
});
