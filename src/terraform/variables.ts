import path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import type { SourceFile } from '../load/source-file.js';
import type { ScanError } from '../model/model.js';
import type { Value } from '../model/value.js';
import { loadFile, parseExpressions } from './load.js';
import { constantContext, evalRaw } from './values.js';

// Root module input variables with Terraform's precedence, lowest first:
// TF_VAR_name < terraform.tfvars < terraform.tfvars.json < *.auto.tfvars(.json) (lexical order)
// < --var-file / --var. The options keep var files and vars in separate lists, so var files are
// applied before vars (Terraform would interleave them in command-line order). Defaults apply last,
// inside the module, to variables that got nothing here.

export interface VariableOptions {
  varFiles?: string[];
  vars?: Array<[string, string]>;
  env?: Record<string, string | undefined>;
}

/** Is this file read automatically by Terraform in its folder? */
export function isAutoVarFile(name: string): boolean {
  const base = path.posix.basename(name.replace(/\\/g, '/'));
  return base === 'terraform.tfvars' || base === 'terraform.tfvars.json' || base.endsWith('.auto.tfvars') || base.endsWith('.auto.tfvars.json');
}

export function isVarFile(name: string): boolean {
  return name.endsWith('.tfvars') || name.endsWith('.tfvars.json');
}

function autoRank(file: SourceFile): [number, string] {
  const base = path.posix.basename(file.path);
  if (base === 'terraform.tfvars') return [0, base];
  if (base === 'terraform.tfvars.json') return [1, base];
  return [2, base];
}

export async function rootVariables(
  folderFiles: SourceFile[],
  options: VariableOptions,
): Promise<{ values: Map<string, Value>; errors: ScanError[]; files: string[] }> {
  const values = new Map<string, Value>();
  const errors: ScanError[] = [];
  const files: string[] = [];

  const env = options.env ?? {};
  for (const key of Object.keys(env).sort()) {
    const v = env[key];
    if (key.startsWith('TF_VAR_') && v !== undefined) values.set(key.slice(7), await parseCliValue(v));
  }

  const auto = folderFiles
    .filter((f) => isAutoVarFile(f.path))
    .sort((a, b) => {
      const [ra, na] = autoRank(a);
      const [rb, nb] = autoRank(b);
      return ra - rb || (na < nb ? -1 : na > nb ? 1 : 0);
    });
  const explicit: SourceFile[] = (options.varFiles ?? []).map((p) => ({ abs: path.resolve(p), path: p.replace(/\\/g, '/') }));
  for (const f of [...auto, ...explicit]) {
    const r = await loadFile(f);
    if (!r.ok) {
      errors.push(r.error);
      continue;
    }
    files.push(f.path);
    for (const [k, v] of Object.entries(r.file.body)) values.set(k, evalRaw(v, r.file.exprs, constantContext(f.path)));
  }

  for (const [name, text] of options.vars ?? []) values.set(name, await parseCliValue(text));
  return { values, errors, files };
}

/**
 * A value given on the command line or in TF_VAR_: lists and objects are HCL, numbers become
 * numbers, anything else is the string as written (Terraform converts by the declared type).
 */
export async function parseCliValue(text: string): Promise<Value> {
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      const body = (await parse('value.tfvars', `value = ${t}\n`)) as Record<string, unknown>;
      const exprs = await parseExpressions('value.tfvars', body);
      return evalRaw(body.value, exprs, constantContext('value'));
    } catch {
      return text;
    }
  }
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}
