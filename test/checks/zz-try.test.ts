import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { ALL_CHECKS } from '/work/main/src/checks/registry.js';
import { runChecks } from '/work/main/src/checks/runner.js';
import { scanCloudFormationFile } from '/work/main/src/cloudformation/index.js';
import { scanTerraformModule } from '/work/main/src/terraform/index.js';
import { mergeModels, type Model } from '/work/main/src/model/model.js';

function walk(d: string, out: string[] = []): string[] {
  for (const n of readdirSync(d)) { const p = path.join(d, n); if (statSync(p).isDirectory()) walk(p, out); else out.push(p); }
  return out;
}
it('demo + corpus', async () => {
  process.chdir('/work/main');
  const tfDir = 'fixtures/demo/terraform';
  const tf = await scanTerraformModule(tfDir, readdirSync(tfDir).map((n) => ({ abs: path.resolve(tfDir, n), path: `${tfDir}/${n}` })));
  const cfPath = 'fixtures/demo/cloudformation/demo.yaml';
  const cf = scanCloudFormationFile({ abs: path.resolve(cfPath), path: cfPath }, readFileSync(cfPath, 'utf8'));
  for (const m of [tf, cf] as Model[]) {
    if (!m) { console.log('null model'); continue; }
    console.log('errors', JSON.stringify(m.errors), 'groups', m.groups.length, 'rules', m.rules.length);
    for (const f of runChecks(m, ALL_CHECKS)) console.log(f.ruleId, f.certainty, `${f.file}:${f.line}`, f.resource, '|', f.message);
  }
  // corpus: never crash
  const parts: Model[] = [];
  const root = '/work/shared/corpus';
  const files = walk(root);
  for (const f of files.filter((x) => /\.(ya?ml|json|template)$/.test(x) && x.includes('cloudformation'))) {
    const m = scanCloudFormationFile({ abs: f, path: path.relative(root, f) }, readFileSync(f, 'utf8'));
    if (m) parts.push(m);
  }
  const dirs = [...new Set(files.filter((x) => x.endsWith('.tf') && x.includes('terraform')).map((x) => path.dirname(x)))];
  for (const d of dirs) {
    parts.push(await scanTerraformModule(d, readdirSync(d).filter((n) => n.endsWith('.tf')).map((n) => ({ abs: path.join(d, n), path: path.relative(root, path.join(d, n)) }))));
  }
  const all = mergeModels(parts);
  const fs = runChecks(all, ALL_CHECKS);
  const by: Record<string, number> = {};
  for (const f of fs) by[`${f.ruleId}/${f.certainty}`] = (by[`${f.ruleId}/${f.certainty}`] ?? 0) + 1;
  console.log('corpus groups', all.groups.length, 'rules', all.rules.length, 'findings', fs.length, JSON.stringify(by));
  for (const id of ['SGS007', 'SGS008', 'SGS001']) for (const f of fs.filter((x) => x.ruleId === id).slice(0, 4)) console.log(id, f.certainty, `${f.file}:${f.line}`, f.message);
});
