import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { ReadResult } from '../read.js';
import type { SourceFile } from '../../model/source-file.js';
import { type SourceLocation, at } from '../../model/location.js';
import { type CoverageNotice, type Model, emptyModel } from '../../model/model.js';
import { Unknown, type Value, describeValue } from '../../model/value.js';
import { type Branch, type Scoping, assumptionsFor, conditionFrom, enumerateBranches, mergeBranchValues } from './branches.js';
import { NO_VALUE, evaluate } from './intrinsics.js';
import { type PEntry, type PNode, child, scalarString, singleKey } from './node.js';
import { resourceCondition } from './security-groups.js';
import { type Template, resourceType } from './template.js';
import { addTo } from '../../model/arrays.js';

// Nested stacks (AWS::CloudFormation::Stack) whose TemplateURL is a local path, as `aws cloudformation
// package` expects them before upload. The child template is scanned with the Parameters the parent
// passes, evaluated in the parent.
//
// Addressing: a child's resources are addressed `<StackLogicalId>.<ChildLogicalId>` (deeper:
// `Outer.Inner.SG`), in the scope of the top template, so a parent resource passed down as a
// parameter stays the parent's (`!Ref AppSG` in the parent is `AppSG` in the child too), and the
// parent's `!GetAtt Db.Outputs.SgId` resolves to the child's `Db.DbSG`. Child items are located in
// the child file; their `via` lists the Stack resources that led there, outermost first.

export const MAX_NESTING = 10;

export interface Nesting {
  /** Address prefix: '' at the top, `Network.` inside nested stack Network. */
  prefix: string;
  /** The Stack resources that led here, outermost first. */
  via: SourceLocation[];
  /** Absolute paths of the templates that led here (a template nesting itself is refused). */
  ancestors: string[];
  /** Absolute folder nothing may be read outside of. */
  root: string;
  /** Parent parameters passed straight through, by child parameter name (see Scoping.choiceNames). */
  choiceNames?: Map<string, string>;
  /** Reads a child template with the pipeline's guards; absent, local nested stacks are only noticed. */
  readFile?: (file: SourceFile) => ReadResult;
}

/** What scanning a child template gives the parent. */
export interface ChildScan {
  model: Model;
  /** A child output's value (already in the parent's address space), or undefined when not declared. */
  output: (name: string) => Value | undefined;
}

/** Scans a parsed child template (index.ts): passed in to keep the modules acyclic. */
export type ScanChild = (file: SourceFile, text: string, given: Map<string, Value>, nesting: Nesting) => ChildScan | { model: Model };

/** The path with every symbolic link resolved. */
function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    // a missing file: its folder's real path, so the read fails as "cannot read", not "outside"
    const dir = path.dirname(p);
    return dir === p ? p : path.join(realPath(dir), path.basename(p));
  }
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Where a local TemplateURL points, or why it is not followed. */
export function localTemplate(url: string, parent: SourceFile, nesting: Nesting): { file: SourceFile } | { refused: string } {
  if (URL_SCHEME.test(url)) return { refused: 'remote templates are not fetched' };
  const abs = path.resolve(path.dirname(parent.abs), url);
  // Symbolic links resolved on both sides: a link inside the root may point anywhere.
  const rel = path.relative(realPath(nesting.root), realPath(abs));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { refused: 'the file is outside the scanned folder and is not read' };
  const display = path.posix.normalize(path.posix.join(path.posix.dirname(parent.path.replace(/\\/g, '/')), url.replace(/\\/g, '/')));
  return { file: { abs, path: display } };
}

/**
 * The nested stacks of one template, scanned on first use (a parent rule may name a child's output
 * before the child's own turn comes) and once each.
 */
export function nestedStacks(
  template: Template,
  file: SourceFile,
  nesting: Nesting,
  overrides: Map<string, Value>,
  scoping: Scoping,
  scanChild: ScanChild,
): { scan: (id: string) => ChildScan | undefined; all: () => { models: Model[]; notices: CoverageNotice[] } } {
  const done = new Map<string, ChildScan | undefined>();
  const pending = new Set<string>();
  const models = new Map<string, Model[]>();
  const notices: CoverageNotice[] = [];

  const scan = (id: string): ChildScan | undefined => {
    if (done.has(id)) return done.get(id);
    const res = template.resources.get(id);
    if (!res || resourceType(res) !== 'AWS::CloudFormation::Stack' || pending.has(id)) return undefined;
    pending.add(id);
    try {
      const result = scanStack(id, res);
      done.set(id, result);
      return result;
    } finally {
      pending.delete(id);
    }
  };

  const scanStack = (id: string, res: PEntry): ChildScan | undefined => {
    const keep = (m: Model): void => {
      addTo(models, id, m);
    };
    const notice = (message: string): undefined => {
      notices.push({ file: file.path, line: res.keyLine, message: `nested stack ${nesting.prefix}${id} ${message}` });
      return undefined;
    };
    const props = child(res.value, 'Properties');
    const { branches } = enumerateBranches(template, overrides, [res.value], scoping);
    const present = branches.filter((b) => resourceCondition(res, b.ctx) !== false);
    if (present.length === 0) return undefined;
    const urlNode = child(props, 'TemplateURL');
    const url = urlNode ? mergeAcross(present, urlNode, 'TemplateURL') : undefined;
    if (typeof url !== 'string') return notice(`(TemplateURL ${url === undefined ? 'missing' : describeValue(url)}) is not scanned`);
    const target = localTemplate(url, file, nesting);
    if ('refused' in target) return notice(`(TemplateURL ${url}) is not scanned: ${target.refused}`);
    if (nesting.ancestors.includes(target.file.abs)) return notice(`includes ${target.file.path}, which is already being scanned above it (a cycle); not scanned again`);
    if (nesting.ancestors.length >= MAX_NESTING) return notice(`is nested more than ${MAX_NESTING} deep; ${target.file.path} is not scanned`);
    if (!nesting.readFile) return notice(`(TemplateURL ${url}) is not scanned: local templates are not read in this mode`);
    const read = nesting.readFile(target.file);
    if (!read.ok) {
      keep({ ...emptyModel(), errors: [read.error] });
      return notice(`(TemplateURL ${url}) is not scanned: ${target.file.path} could not be read`);
    }
    // The parent evaluates what it passes; a value that differs between the parent's choices names them.
    const given = new Map<string, Value>();
    const choiceNames = new Map<string, string>();
    const params = child(props, 'Parameters');
    if (params?.kind === 'map') {
      for (const e of params.entries) {
        const passed = singleKey(e.value);
        const parentParam = passed?.key === 'Ref' ? scalarString(passed.value) : undefined;
        if (parentParam !== undefined && template.parameters.has(parentParam) && !overrides.has(parentParam)) {
          choiceNames.set(e.key, scoping.choiceNames?.get(parentParam) ?? nesting.prefix + parentParam);
        }
        const v = mergeAcross(present, e.value, `${nesting.prefix}${id}.Parameters.${e.key}`);
        if (v !== undefined) given.set(e.key, v);
      }
    }
    const stackLocation = at(file.path, res.keyLine, res.value.endLine);
    const result = scanChild(target.file, read.text, given, {
      ...nesting,
      prefix: `${nesting.prefix}${id}.`,
      via: [...nesting.via, stackLocation],
      ancestors: [...nesting.ancestors, target.file.abs],
      choiceNames,
    });
    if (!('output' in result)) {
      keep(result.model);
      if (result.model.errors.length === 0) return notice(`(TemplateURL ${url}): ${target.file.path} is not a CloudFormation template`);
      return undefined;
    }
    // A stack that exists only under some choices brings its contents only then.
    const assumptions = assumptionsFor(present, branches);
    const undecided = present.map((b) => resourceCondition(res, b.ctx)).find((c) => c instanceof Unknown);
    const condition = assumptions ? conditionFrom(undecided || undefined, assumptions) : undecided || undefined;
    if (condition) {
      for (const x of [...result.model.groups, ...result.model.rules, ...result.model.resources]) {
        x.condition = x.condition ? Unknown.merge(condition, x.condition) : condition;
      }
      if (assumptions) for (const r of result.model.rules) r.assumptions = [...assumptions, ...(r.assumptions ?? [])];
    }
    keep(result.model);
    return result;
  };

  const all = (): { models: Model[]; notices: CoverageNotice[] } => {
    const ids = [...template.resources].filter(([, res]) => resourceType(res) === 'AWS::CloudFormation::Stack').map(([id]) => id);
    for (const id of ids) scan(id);
    // In template order, whichever order they were needed in.
    return { models: ids.flatMap((id) => models.get(id) ?? []), notices };
  };
  return { scan, all };
}

function mergeAcross(branches: Branch[], node: PNode, label: string): Value | undefined {
  return mergeBranchValues(
    label,
    branches.map((b) => {
      const v = evaluate(node, b.ctx);
      return { branch: b, value: v === NO_VALUE ? undefined : v };
    }),
  );
}
