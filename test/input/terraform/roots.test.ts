import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/pipeline/scan.js';
import { localModuleCalls, rootModules } from '../../../src/input/terraform/index.js';
import { folderFiles } from './helpers.js';

const F = 'fixtures/terraform/modules';

describe('module roots', () => {
  it('lists the local module folders a folder calls', async () => {
    expect(await localModuleCalls(path.resolve(F), folderFiles(F))).toEqual([path.resolve(F, 'modules/a'), path.resolve(F, 'modules/sg')]);
    expect(await localModuleCalls(path.resolve(F, 'modules/sg'), folderFiles(`${F}/modules/sg`))).toEqual([]);
  });

  it('keeps uncalled folders and one folder of an unreached cycle as roots', () => {
    const calls = new Map([
      ['/r', ['/r/m', '/elsewhere']],
      ['/r/m', []],
      ['/x', ['/y']],
      ['/y', ['/x']],
      ['/lone', []],
    ]);
    expect(rootModules(calls)).toEqual(['/lone', '/r', '/x']);
  });

  it('scans called module folders only through their callers', async () => {
    const m = await buildModel({ paths: [F], cwd: process.cwd()});
    expect(m.groups.map((g) => g.address).sort()).toEqual([
      'aws_security_group.orphan',
      'module.db_sg["db"].aws_security_group.this[0]',
      'module.web_sg[0].aws_security_group.this[0]',
    ]);
    // The uncalled module is its own root; its rule's peer is unknown, once.
    const orphan = m.rules.filter((r) => r.group === 'aws_security_group.orphan');
    expect(orphan).toHaveLength(1);
    expect(orphan[0].location).toEqual({ file: `${F}/modules/unused/main.tf`, line: 6, endLine: 11 });
    expect(orphan[0].peer).toMatchObject({ kind: 'unknown' });
    // modules/sg is not scanned alone: no rule there has an unknown (var.cidr has no value) peer.
    const sg = m.rules.filter((r) => r.location.file === `${F}/modules/sg/main.tf`);
    expect(sg.map((r) => r.peer.kind)).toEqual(['cidr', 'cidr']);
    expect(m.files).toContain(`${F}/modules/b/main.tf`);
  });
});
