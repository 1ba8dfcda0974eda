import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALL_CHECKS } from '../../rules/index.js';
import type { Finding } from '../../src/model/check.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { scan } from '../../src/pipeline/scan.js';
import type { SgscanConfig } from '../../src/config/types.js';

/** Scan one file written from text (main.tf or template.yaml) in a fresh folder. */
export async function scanText(name: string, text: string, config?: SgscanConfig): Promise<ScanResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sgscan-catalog-'));
  try {
    writeFileSync(path.join(dir, name), text);
    const { result } = await scan({ checks: ALL_CHECKS, paths: [name], cwd: dir, version: 'test', ...(config ? { config } : {}) });
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The findings of one rule as "line resource" strings, sorted. */
export function of(result: ScanResult, rule: string): string[] {
  return result.findings
    .filter((f: Finding) => f.ruleId === rule)
    .map((f) => `${f.line} ${f.resource}`)
    .sort();
}

export function messages(result: ScanResult, rule: string): string[] {
  return result.findings.filter((f) => f.ruleId === rule).map((f) => f.message);
}
