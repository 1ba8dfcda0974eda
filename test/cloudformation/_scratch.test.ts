import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { scanCloudFormationFile } from '../../src/cloudformation/index.js';
import { summarize } from './helpers.js';
it('scratch', () => {
  const name = process.env.F!;
  const abs = name.startsWith('/') ? name : '/work/main/fixtures/cloudformation/' + name;
  const readFile = (f: any) => { try { return { ok: true as const, text: readFileSync(f.abs, 'utf8') }; } catch (e: any) { return { ok: false as const, error: { file: f.path, message: `cannot read file (${e.code})` } }; } };
  const m = scanCloudFormationFile({ abs, path: name }, readFileSync(abs, 'utf8'), { readFile });
  console.log(m?.rules.map(r => summarize(r) + ' ' + JSON.stringify({a: r.assumptions, c: r.condition?.toString(), via: r.via})).join('\n'));
  console.log(JSON.stringify({ groups: m?.groups.map(g => [g.address, g.location, g.via, String(g.condition ?? '')]), resources: m?.resources.map(r => [r.address, r.location, r.via, r.attributes, String(r.condition ?? '')]), notices: m?.notices, errors: m?.errors, files: m?.files }, (k, v) => v && typeof v === 'object' && v.constructor?.name === 'Unknown' ? 'UNKNOWN(' + v.reasons.join('; ') + ')' : v && typeof v === 'object' && v.constructor?.name === 'ResourceRef' ? 'REF(' + v.address + '.' + v.attribute + ')' : v, 1));
});
