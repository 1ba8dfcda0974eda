import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sharedPath } from '../../helpers/shared.js';
import { describe, expect, it } from 'vitest';
import { scanTerraformModule } from '../../../src/input/terraform/index.js';
import { isRecord, loadFile } from '../../../src/input/terraform/load.js';
import { type BodyPos, blocksOf } from '../../../src/input/terraform/locate.js';
import { declarations } from '../../../src/input/terraform/tree.js';
import { folderFiles } from './helpers.js';

// Every folder of real-world Terraform must scan without an exception; problems are ScanErrors.
const CORPUS = sharedPath('corpus', 'terraform');

function terraformFolders(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  if (entries.some((e) => e.isFile() && /\.tf(\.json)?$/.test(e.name))) out.push(dir);
  for (const e of entries) if (e.isDirectory() && e.name !== '.terraform') out.push(...terraformFolders(path.join(dir, e.name)));
  return out;
}

describe(`corpus (${CORPUS})`, () => {
  it('scans every Terraform folder without throwing', async () => {
    const folders = terraformFolders(CORPUS);
    expect(folders.length).toBeGreaterThan(0);
    let groups = 0;
    for (const dir of folders) {
      const m = await scanTerraformModule(dir, folderFiles(dir));
      for (const e of m.errors) {
        expect(typeof e.file).toBe('string');
        expect(typeof e.message).toBe('string');
        if (e.line !== undefined) expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
        expect(e.message).not.toMatch(/internal error/);
      }
      for (const g of m.groups) expect(g.location.line).toBeGreaterThanOrEqual(1);
      for (const r of m.rules) expect(r.location.endLine).toBeGreaterThanOrEqual(r.location.line);
      groups += m.groups.length;
    }
    expect(groups).toBeGreaterThan(0);
  }, 600_000);

  it('the locator finds every key and the same number of blocks as hcl2json, in every .tf file', async () => {
    const files = terraformFolders(CORPUS).flatMap((d) => folderFiles(d).filter((f) => f.path.endsWith('.tf')));
    const mismatches: string[] = [];
    const check = (raw: Record<string, unknown>, pos: BodyPos | undefined, where: string): void => {
      if (!pos) return void mismatches.push(`${where}: not located`);
      for (const [k, v] of Object.entries(raw)) {
        const isDynamic = k === 'dynamic' && isRecord(v);
        const groups: Array<[string, unknown, BodyPos[]]> = isDynamic
          ? Object.entries(v).map(([l, arr]) => [`dynamic.${l}`, arr, blocksOf(pos, 'dynamic', [l])])
          : [[k, v, blocksOf(pos, k)]];
        for (const [name, value, blocks] of groups) {
          if (!isDynamic && blocks.length === 0) {
            if (!pos.attrs.has(k)) mismatches.push(`${where}: ${k} not located`);
            continue;
          }
          // Labelled nested blocks (`provisioner "local-exec"`) come as a map by label; not matched here.
          if (!Array.isArray(value)) continue;
          const list = value;
          if (list.length !== blocks.length) mismatches.push(`${where}: ${list.length} ${name} blocks, located ${blocks.length}`);
          else list.forEach((b, i) => isRecord(b) && check(b, blocks[i], `${where}.${name}[${i}]`));
        }
      }
    };
    for (const f of files) {
      const r = await loadFile(f);
      if (!r.ok) continue;
      for (const d of declarations(r.file)) check(d.body, d.pos, `${f.path}:${d.kind}.${d.labels.join('.')}`);
    }
    expect(mismatches).toEqual([]);
  }, 600_000);
});
