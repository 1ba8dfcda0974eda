import { describe, expect, it } from 'vitest';
import { ResourceRef, Unknown } from '../../../src/model/value.js';
import { FIXTURES, readForTest, rulesOf, scanFixture } from './helpers.js';

const PARENT = 'fixtures/cloudformation/nested/parent.yaml';
const DB = 'fixtures/cloudformation/nested/db.yaml';
const dbStack = { file: PARENT, line: 18, endLine: 25 };

describe('nested stacks with a local TemplateURL', () => {
  const model = scanFixture('nested/parent.yaml', { readFile: readForTest });

  it('scans the child with the parameters the parent passes, addressing its items <Stack>.<LogicalId>', () => {
    expect(rulesOf(model)).toEqual([
      'AppSG/egress/0 AppSG egress tcp port 5432 members of Db.DbSG.GroupId @14-17',
      'Db.DbSG/ingress/0 Db.DbSG ingress tcp port 5432 members of AppSG.GroupId @21-24',
      'Db.DbSG/egress/implicit Db.DbSG egress all all ports 0.0.0.0/0 @16-24',
      'Db.AdminIngress Db.DbSG ingress tcp port 22 10.0.0.0/8 @25-33',
    ]);
    expect(model?.files).toEqual([PARENT, DB]);
  });

  it('locates child items in the child file and carries the Stack resource as via', () => {
    const child = model?.rules[1];
    expect(child?.location).toEqual({ file: DB, line: 21, endLine: 24 });
    expect(child?.via).toEqual([dbStack]);
    expect(model?.groups.map((g) => [g.address, g.location, g.via])).toEqual([
      ['AppSG', { file: PARENT, line: 9, endLine: 17 }, []],
      ['Db.DbSG', { file: DB, line: 16, endLine: 24 }, [dbStack]],
    ]);
    expect(model?.rules[0].via).toEqual([]);
  });

  it("keeps a parent resource passed down as the parent's, and resolves the parent's GetAtt of a child output", () => {
    const peerOf = (i: number) => model?.rules[i].peer;
    expect(peerOf(1)).toEqual({ kind: 'securityGroup', ref: new ResourceRef('AppSG', 'GroupId'), self: false });
    expect(peerOf(0)).toEqual({ kind: 'securityGroup', ref: new ResourceRef('Db.DbSG', 'GroupId'), self: false });
  });

  it("names a child's choices after the parent parameter passed straight through", () => {
    expect(model?.rules[3].assumptions).toEqual(['Env = prod']);
    expect(String(model?.rules[3].condition)).toBe('only when Env = prod');
    const db = model?.resources.find((r) => r.address === 'Db.Database');
    expect(db?.location).toEqual({ file: DB, line: 34, endLine: 40 });
    expect(db?.via).toEqual([dbStack]);
    expect(String(db?.attributes.PubliclyAccessible)).toBe('PubliclyAccessible depends on parameter Env (true when Env = dev; false when Env = prod)');
    expect(db?.attributes.VPCSecurityGroups).toEqual([new ResourceRef('Db.DbSG', 'GroupId')]);
  });

  it('follows the parent value given on the command line', () => {
    const prod = scanFixture('nested/parent.yaml', { readFile: readForTest, parameters: [['Env', 'prod']] });
    expect(prod?.rules[3].assumptions).toBeUndefined();
    expect(prod?.rules[3].condition).toBeUndefined();
    expect(prod?.resources.find((r) => r.address === 'Db.Database')?.attributes.PubliclyAccessible).toBe(false);
  });

  it('refuses remote URLs, paths outside the scanned folder and unreadable files, each with a notice', () => {
    expect(model?.notices).toEqual([
      { file: PARENT, line: 26, message: 'nested stack Remote (TemplateURL https://s3.amazonaws.com/bucket/remote.yaml) is not scanned: remote templates are not fetched' },
      { file: PARENT, line: 30, message: 'nested stack Escape (TemplateURL ../basic.yaml) is not scanned: the file is outside the scanned folder and is not read' },
      { file: PARENT, line: 34, message: 'nested stack Missing (TemplateURL ./missing.yaml) is not scanned: fixtures/cloudformation/nested/missing.yaml could not be read' },
    ]);
    expect(model?.errors).toEqual([{ file: 'fixtures/cloudformation/nested/missing.yaml', message: 'cannot read file (ENOENT)' }]);
  });

  it('reads above the template folder only when the scanned root allows it', () => {
    const wide = scanFixture('nested/parent.yaml', { readFile: readForTest, root: FIXTURES });
    expect(wide?.files).toContain('fixtures/cloudformation/basic.yaml');
    const escaped = wide?.groups.filter((g) => g.address.startsWith('Escape.')) ?? [];
    expect(escaped.length).toBeGreaterThan(0);
    expect(escaped.every((g) => g.location.file === 'fixtures/cloudformation/basic.yaml' && g.via[0].line === 30)).toBe(true);
  });

  it('without a reader, says local nested stacks are not read', () => {
    const plain = scanFixture('nested/parent.yaml');
    expect(plain?.notices.find((n) => n.line === 18)?.message).toBe('nested stack Db (TemplateURL ./db.yaml) is not scanned: local templates are not read in this mode');
    // The group the nested stack would output is a group whose id is not known, not an address range.
    expect(plain?.rules[0].peer).toMatchObject({ kind: 'securityGroup', ref: expect.any(Unknown) });
  });

  it('refuses a template that nests itself', () => {
    const loop = scanFixture('nested/loop.yaml', { readFile: readForTest });
    expect(loop?.notices).toEqual([
      { file: 'fixtures/cloudformation/nested/loop.yaml', line: 3, message: 'nested stack Self includes fixtures/cloudformation/nested/loop.yaml, which is already being scanned above it (a cycle); not scanned again' },
    ]);
    expect(loop?.groups.map((g) => g.address)).toEqual(['LoopSG']);
  });

  it('nests two deep, carrying the whole caller chain and the outer Stack condition', () => {
    const outer = scanFixture('nested/outer.yaml', { readFile: readForTest });
    expect(rulesOf(outer)).toEqual([
      'Web.Inner.LbSG/ingress/0 Web.Inner.LbSG ingress tcp port 443 0.0.0.0/0 @11-14',
      'Web.Inner.LbSG/egress/implicit Web.Inner.LbSG egress all all ports 0.0.0.0/0 @6-14',
    ]);
    const rule = outer?.rules[0];
    expect(rule?.location.file).toBe('fixtures/cloudformation/nested/sub/lb.yaml');
    expect(rule?.via).toEqual([
      { file: 'fixtures/cloudformation/nested/outer.yaml', line: 10, endLine: 14 },
      { file: 'fixtures/cloudformation/nested/sub/web.yaml', line: 3, endLine: 8 },
    ]);
    expect(rule?.assumptions).toEqual(['Public = yes']);
    expect(outer?.groups[0].condition).toBeInstanceOf(Unknown);
    expect(String(outer?.groups[0].condition)).toBe('only when Public = yes');
  });

  it('reports a child that does not parse as an error in the child file, with its line', () => {
    const outer = scanFixture('nested/outer.yaml', { readFile: readForTest });
    expect(outer?.errors).toEqual([
      { file: 'fixtures/cloudformation/nested/broken-child.yaml', line: 6, message: 'invalid YAML: unexpected end of the stream within a flow collection' },
    ]);
    expect(outer?.files).toContain('fixtures/cloudformation/nested/broken-child.yaml');
  });
});

