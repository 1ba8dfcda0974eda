import { buildModel } from '../../src/pipeline/scan.js';
import type { Engine } from '../../src/reach/engine.js';
import { reachContext, type ReachContext } from '../../src/reach/exposure.js';

/** scan → buildModel → buildNetwork → engine, for one fixture folder under fixtures/reach. */
export async function context(name: string): Promise<ReachContext> {
  const model = await buildModel({ paths: [`fixtures/reach/${name}`], cwd: process.cwd()});
  return reachContext(model);
}

/** The engine of the fixture's Terraform root, or of one of its templates (`file`). */
export async function load(name: string, file?: string): Promise<{ engine: Engine; ctx: ReachContext }> {
  const ctx = await context(name);
  const root = file ? `fixtures/reach/${name}/${file}` : `fixtures/reach/${name}`;
  const part = ctx.parts.find((p) => p.root === root);
  if (!part) throw new Error(`no namespace ${root} (have ${ctx.parts.map((p) => p.root).join(', ')})`);
  return { engine: part.engine, ctx };
}

export function lines(path: { file: string; line: number }[]): string[] {
  return path.map((h) => `${h.file.replace(/^fixtures\/reach\//, '')}:${h.line}`);
}
