import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../../../src/model/source-file.js';
import type { Model, Rule } from '../../../src/model/model.js';
import { describePeer } from '../../../src/model/peer.js';
import { describePorts } from '../../../src/model/ports.js';
import { protocolName } from '../../../src/model/protocol.js';
import { evaluate, parseExpression } from '../../../src/input/terraform/eval/index.js';
import { type TerraformOptions, scanTerraformModule } from '../../../src/input/terraform/index.js';

export const FIXTURES = 'fixtures/terraform';

/** The files discovery would pass for one folder. */
export function folderFiles(dir: string): SourceFile[] {
  return readdirSync(dir)
    .filter((n) => /\.(tf|tf\.json|tfvars|tfvars\.json)$/.test(n))
    .sort()
    .map((n) => ({ abs: path.resolve(dir, n), path: path.posix.join(dir, n) }));
}

export function scanFixture(name: string, options: TerraformOptions = {}): Promise<Model> {
  const dir = path.posix.join(FIXTURES, name);
  return scanTerraformModule(dir, folderFiles(dir), options);
}

/** One line per rule: "id | direction protocol ports peer | line-endLine". */
export function summarize(r: Rule): string {
  return `${r.id} | ${r.direction} ${protocolName(r.protocol)} ${describePorts(r.ports)} ${describePeer(r.peer)} | ${r.location.line}-${r.location.endLine}`;
}

/** Whether the expression evaluator is implemented (it started as a stub returning Unknown). */
export const evaluatorReady: boolean = await (async () => {
  const e = await parseExpression('probe.tf', '${1 + 1}');
  return evaluate(e, { file: 'probe.tf', lookup: () => undefined }) === 2;
})();
