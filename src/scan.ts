import path from 'node:path';
import { scanCloudFormationFile, type CloudFormationOptions } from './cloudformation/index.js';
import { ALL_CHECKS } from './checks/registry.js';
import { runChecks } from './checks/runner.js';
import type { Check } from './checks/types.js';
import { SEVERITIES } from './checks/types.js';
import { discover } from './load/discover.js';
import { DEFAULT_MAX_FILE_BYTES, readSource } from './load/read.js';
import { createFileIdentity } from './load/repo.js';
import { emptyModel, mergeModels, type Model } from './model/model.js';
import type { ScanResult } from './report/types.js';
import { scanTerraformModule, type TerraformOptions } from './terraform/index.js';

// The pipeline: discover files → front ends build the shared model → checks → a ScanResult that
// reporters render. Each stage is a pure function of the previous one's output, except for reading.

export interface ScanOptions {
  paths: string[];
  cwd: string;
  version: string;
  terraform?: TerraformOptions;
  cloudformation?: CloudFormationOptions;
  checks?: readonly Check[];
  checkOptions?: Record<string, Record<string, unknown>>;
  maxFileBytes?: number;
}

export async function buildModel(opts: ScanOptions): Promise<Model> {
  const found = await discover(opts.paths, { cwd: opts.cwd });
  const parts: Model[] = [];
  const errors = emptyModel();
  errors.errors.push(...found.errors);
  parts.push(errors);

  const dirs = [...found.terraformModules.keys()].sort();
  for (const dir of dirs) {
    const files = found.terraformModules.get(dir)!;
    parts.push(await guard(files[0].path, () => scanTerraformModule(dir, files, opts.terraform ?? {})));
  }
  for (const file of found.documents) {
    parts.push(
      await guard(file.path, async () => {
        const read = await readSource(file, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
        if (!read.ok) return { ...emptyModel(), errors: [read.error] };
        if (isTerraformPlan(file.path, read.text)) {
          return {
            ...emptyModel(),
            notices: [{ file: file.path, message: 'Terraform plan JSON is not read yet; scan the .tf files instead' }],
          };
        }
        return scanCloudFormationFile(file, read.text, opts.cloudformation ?? {}) ?? emptyModel();
      }),
    );
  }
  const model = mergeModels(parts);
  model.files = [...new Set(model.files)].sort();
  return model;
}

export async function scan(opts: ScanOptions): Promise<{ model: Model; result: ScanResult }> {
  const model = await buildModel(opts);
  const checks = opts.checks ?? ALL_CHECKS;
  const findings = runChecks(model, checks, {
    options: opts.checkOptions,
    fileIdentity: createFileIdentity(opts.cwd),
  });
  const bySeverity: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const f of findings) bySeverity[f.severity]++;
  const errors = [...model.errors].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const notices = [...model.notices].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const result: ScanResult = {
    tool: { name: 'sgscan', version: opts.version },
    findings,
    errors,
    notices,
    files: model.files,
    checks,
    summary: {
      filesScanned: model.files.length,
      filesWithErrors: new Set(errors.map((e) => e.file)).size,
      groups: model.groups.length,
      rules: model.rules.length,
      findings: findings.length,
      bySeverity,
    },
  };
  return { model, result };
}

function isTerraformPlan(file: string, text: string): boolean {
  return path.extname(file) === '.json' && text.includes('"format_version"') && /"(planned_values|resource_changes)"/.test(text);
}

/** A front end must never take the scan down: anything it throws becomes an error for that file. */
async function guard(file: string, work: () => Promise<Model> | Model): Promise<Model> {
  try {
    return await work();
  } catch (e) {
    const m = emptyModel();
    m.errors.push({ file, message: `internal error while reading this file: ${e instanceof Error ? e.message : String(e)}` });
    return m;
  }
}
