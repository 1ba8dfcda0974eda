import path from 'node:path';
import { parseHclFile } from './hcl/index.js';
import type { SourceFile } from '../../model/source-file.js';
import type { ScanError } from '../../model/model.js';
import type { Value } from '../../model/value.js';
import { expressionsOf, loadFile } from './load.js';
import { constantContext, evalRaw } from './values.js';

// Root module input variables with Terraform's precedence, lowest first:
// TF_VAR_name < terraform.tfvars < terraform.tfvars.json < *.auto.tfvars(.json) (lexical order)
// < --var-file / --var in command-line order (`varArgs`; with only the older separate lists, var
// files are applied before vars). Defaults apply last, inside the module, to variables that got
// nothing here.

/** One `--var-file PATH` or `--var NAME=VALUE` as given on the command line. */
export interface VarArg {
  kind: 'file' | 'var';
  value: string;
}

export interface VariableOptions {
  varFiles?: string[];
  vars?: Array<[string, string]>;
  /** `--var-file` and `--var` in command-line order; when given, varFiles and vars are ignored. */
  varArgs?: VarArg[];
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
  const args: VarArg[] =
    options.varArgs ??
    [
      ...(options.varFiles ?? []).map((value): VarArg => ({ kind: 'file', value })),
      ...(options.vars ?? []).map(([name, value]): VarArg => ({ kind: 'var', value: `${name}=${value}` })),
    ];
  const readVarFile = async (f: SourceFile) => {
    const r = await loadFile(f);
    if (!r.ok) {
      errors.push(r.error);
      return;
    }
    files.push(f.path);
    for (const [k, v] of Object.entries(r.file.body)) values.set(k, evalRaw(v, r.file.exprs, constantContext(f.path)));
  };
  for (const f of auto) await readVarFile(f);
  for (const arg of args) {
    if (arg.kind === 'file') {
      await readVarFile({ abs: path.resolve(arg.value), path: arg.value.replace(/\\/g, '/') });
      continue;
    }
    const eq = arg.value.indexOf('=');
    if (eq <= 0) {
      errors.push({ file: '--var', message: `--var ${JSON.stringify(arg.value)} is not NAME=VALUE` });
      continue;
    }
    values.set(arg.value.slice(0, eq).trim(), await parseCliValue(arg.value.slice(eq + 1)));
  }
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
      const parsed = parseHclFile('value.tfvars', `value = ${t}\n`);
      return evalRaw(parsed.value.value, expressionsOf('value.tfvars', parsed.expressions), constantContext('value'));
    } catch {
      return text;
    }
  }
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}
