import path from 'node:path';
import type { SourceFile } from '../../model/source-file.js';
import { at } from '../../model/location.js';
import { type Model, emptyModel } from '../../model/model.js';
import { MANAGED_PREFIX_LIST_DATA, ModuleRuntime, evalBody } from './module.js';
import { buildNetworkResource, isNetworkResource, outputResource } from './resources.js';
import { GROUP_TYPES, type InstanceInfo, RULE_TYPES, buildGroup, buildStandaloneRules, markMixedRules } from './security-groups.js';
import { type LoadedModule, loadModule, readInstalledModules } from './tree.js';
import { isVarFile, rootVariables } from './variables.js';
import { fileAccess } from './files.js';
import type { TerraformOptions } from './options.js';
import { append } from '../../model/arrays.js';

export type { TerraformOptions } from './options.js';

/**
 * Scan one Terraform root module: every `.tf` / `.tf.json` file of one folder, taken together
 * (`.tfvars` / `.tfvars.json` files of the folder supply variable values). Local modules are
 * followed. Never throws: unparseable files become `errors` and the rest is still scanned.
 */
export async function scanTerraformModule(dir: string, files: SourceFile[], options: TerraformOptions = {}): Promise<Model> {
  try {
    return await scan(dir, files, options);
  } catch (e) {
    const model = emptyModel();
    model.errors.push({ file: files[0]?.path ?? dir, message: `internal error while scanning Terraform: ${(e as Error)?.message ?? String(e)}` });
    return model;
  }
}

async function scan(dir: string, files: SourceFile[], options: TerraformOptions): Promise<Model> {
  const model = emptyModel();
  const config = files.filter((f) => f.path.endsWith('.tf') || f.path.endsWith('.tf.json'));
  const varFiles = files.filter((f) => isVarFile(f.path));
  const first = files[0];
  const rootDisplay = first ? path.posix.dirname(first.path.replace(/\\/g, '/')) : dir.replace(/\\/g, '/');
  const rootAbs = first ? path.dirname(first.abs) : path.resolve(dir);

  const installed = await readInstalledModules(rootAbs);
  const loaded = await loadModule(rootDisplay, rootAbs, config, [], [], {
    rootAbs,
    rootDisplay,
    installed,
    parsed: new Map(),
    shared: options.shared,
    scanRoot: options.allowOutsideRoot ? undefined : options.scanRoot,
    maxFileBytes: options.maxFileBytes,
    reads: options.reads,
  });
  const vars = await rootVariables(varFiles, options);
  append(model.errors, vars.errors);

  const reader = fileAccess({ rootAbs, rootDisplay, limit: options.allowOutsideRoot ? undefined : (options.scanRoot ?? rootAbs), maxFileBytes: options.maxFileBytes });
  const root = new ModuleRuntime(loaded, '', [], (name) => vars.values.get(name), rootDisplay, reader);
  walk(root, model);
  exportedGroups(root, model);
  append(model.notices, root.budget.notices);
  collect(loaded, model);
  append(model.files, vars.files);
  model.files = [...new Set(model.files)];
  model.errors = unique(model.errors);
  model.notices = unique(model.notices);

  markMixedRules(model);
  return model;
}

/** Groups, rules and resources of one module instance, then of the modules it calls. */
function walk(rt: ModuleRuntime, model: Model): void {
  for (const decl of rt.loaded.decls) {
    if (decl.kind === 'data' && MANAGED_PREFIX_LIST_DATA.has(decl.labels[0]) && !('count' in decl.body) && !('for_each' in decl.body)) {
      // `data "aws_ec2_managed_prefix_list" "x" { name = "com.amazonaws.global.cloudfront.origin-facing" }`
      const body = evalBody(decl.body, decl.pos, rt.scope(decl.file.path, {}), decl.file);
      const location = at(decl.file.path, decl.pos?.line ?? 1, decl.pos?.endLine ?? 1);
      model.resources.push(buildNetworkResource({ address: `${rt.prefix}data.${decl.labels[0]}.${decl.labels[1]}`, resourceType: `data.${decl.labels[0]}`, location, via: rt.via, raw: decl.body }, body));
      continue;
    }
    if (decl.kind !== 'resource') continue;
    const [type, name] = decl.labels;
    if (!GROUP_TYPES.has(type) && !RULE_TYPES.has(type) && !isNetworkResource(type, decl.body)) continue;
    const base = `${rt.prefix}${type}.${name}`;
    for (const inst of rt.instances(decl, base)) {
      const scope = rt.scope(decl.file.path, inst.bindings);
      const body = evalBody(decl.body, decl.pos, scope, decl.file);
      const info: InstanceInfo = {
        address: `${base}${inst.key}`,
        resourceType: type,
        location: at(decl.file.path, decl.pos?.line ?? 1, decl.pos?.endLine ?? 1),
        via: rt.via,
        condition: inst.condition,
        raw: decl.body,
      };
      if (GROUP_TYPES.has(type)) {
        const { group, rules } = buildGroup(info, body);
        model.groups.push(group);
        append(model.rules, rules);
      } else if (RULE_TYPES.has(type)) {
        const { rules, problem } = buildStandaloneRules(info, body);
        append(model.rules, rules);
        if (problem) model.notices.push({ file: info.location.file, line: info.location.line, message: problem });
      } else {
        model.resources.push(buildNetworkResource(info, body));
      }
    }
  }
  for (const call of rt.loaded.calls.values()) {
    for (const { runtime } of rt.childInstances(call)) walk(runtime, model);
  }
}

/** Root module outputs that name security groups: the groups are used outside the scan. */
function exportedGroups(root: ModuleRuntime, model: Model): void {
  const groups = model.groups.map((g) => g.address);
  for (const decl of root.loaded.decls) {
    if (decl.kind !== 'output') continue;
    const name = decl.labels[0];
    const value = root.output(name);
    if (value === undefined) continue;
    const location = at(decl.file.path, decl.pos?.line ?? 1, decl.pos?.endLine ?? 1);
    const r = outputResource(name, value, groups, location, decl.pos?.attrs.get('value')?.line);
    if (r) model.resources.push(r);
  }
}

/** Errors, notices and files of every loaded module (once per module call, not per instance). */
function collect(mod: LoadedModule, model: Model, seen = new Set<LoadedModule>()): void {
  // A module called from several places is one loaded module (see LoadContext.loaded): visited once.
  if (seen.has(mod)) return;
  seen.add(mod);
  for (const e of mod.errors) model.errors.push(e);
  for (const n of mod.notices) model.notices.push(n);
  for (const f of mod.files) {
    model.files.push(f.path);
    if (!f.marked) (model.quiet ??= []).push(f.path);
  }
  for (const e of mod.errors) model.files.push(e.file);
  for (const call of mod.calls.values()) if (call.child) collect(call.child, model, seen);
}

/** A module called twice reports its file problems once. */
function unique<T extends { file: string; line?: number; message: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const key = `${x.file}\0${x.line ?? ''}\0${x.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export { scanTerraformPlan } from './plan.js';
export { localModuleCalls, rootModules } from './roots.js';
