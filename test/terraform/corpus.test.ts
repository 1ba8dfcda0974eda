import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanTerraformModule } from '../../src/terraform/index.js';
import { folderFiles } from './helpers.js';

// Every folder of real-world Terraform must scan without an exception; problems are ScanErrors.
const CORPUS = '/work/shared/corpus/terraform';

function terraformFolders(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  if (entries.some((e) => e.isFile() && /\.tf(\.json)?$/.test(e.name))) out.push(dir);
  for (const e of entries) if (e.isDirectory() && e.name !== '.terraform') out.push(...terraformFolders(path.join(dir, e.name)));
  return out;
}

describe.skipIf(!existsSync(CORPUS))(`corpus (${CORPUS}; skipped when missing)`, () => {
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
  });
});
