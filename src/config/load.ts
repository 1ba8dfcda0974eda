import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Check, Severity } from '../model/check.js';
import { SEVERITIES } from '../model/check.js';
import type { ScanError } from '../model/model.js';
import { isPreset } from './presets.js';
import { isCalendarDate, ruleResolver } from './rule-ids.js';
import { intentQuestion, isOutside, parseSelector, parseService, type Selector } from './intents.js';
import { defaultConfig, type Intent, type RuleSetting, type SgscanConfig, type SuppressionEntry } from './types.js';
import { append } from '../model/arrays.js';

export interface LoadConfigOptions {
  /** The checks rule keys may name: the catalog the driver passes down. */
  checks: readonly Check[];
  /** The file's text, when already read (tests); otherwise the file is read. */
  text?: string;
}

export interface LoadedConfig {
  /** Usable even when there are errors: entries with errors are left out, the rest applies. */
  config: SgscanConfig;
  /** Each names the file and, where known, the 1-based line. */
  errors: ScanError[];
}

type Segment = string | number;

/** Read, parse and validate a configuration file (schemas/sgscan-config.schema.json). Never throws. */
export function loadConfig(file: string, opts: LoadConfigOptions): LoadedConfig {
  const config: SgscanConfig = { ...defaultConfig(), file, dir: path.dirname(path.resolve(file)) };
  let text: string;
  try {
    text = opts.text ?? readFileSync(file, 'utf8');
  } catch (e) {
    return { config, errors: [{ file, message: `cannot read the configuration file: ${errorText(e)}` }] };
  }

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => ({
      file,
      line: lines.linePos(e.pos[0]).line,
      message: `invalid YAML: ${e.message.split('\n')[0]}`,
    }));
    return { config, errors };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { config, errors: [{ file, line: 1, message: `invalid YAML: ${errorText(e)}` }] };
  }
  if (data === null || data === undefined) return { config, errors: [] }; // an empty file

  const at = new Locator(doc, lines);
  const errors: ScanError[] = [];
  const validate = schemaValidator();
  const invalid: string[] = []; // instance paths with schema errors: those entries are left out
  if (!validate(data)) {
    for (const { path: where, message, keyLine } of describeErrors(validate.errors ?? [])) {
      invalid.push(where.map(String).join('/'));
      const line = keyLine ? at.keyLine(where) : at.line(where);
      errors.push({ file, line, message: `${dotted(where)}: ${message}` });
    }
  }
  if (!isObject(data)) return { config, errors: byLine(errors) };
  const isInvalid = (p: Segment[]) => {
    const key = p.map(String).join('/');
    return invalid.some((bad) => bad === key || bad.startsWith(`${key}/`) || (bad === '' && key === ''));
  };

  const resolve = ruleResolver(opts.checks);
  if (isObject(data.rules)) {
    for (const [key, value] of Object.entries(data.rules)) {
      const line = at.keyLine(['rules', key]);
      const id = resolve(key);
      if (!id) {
        errors.push({ file, line, message: `rules.${key}: unknown check "${key}" (\`sgscan rules\` lists them)` });
        continue;
      }
      if (isInvalid(['rules', key])) continue;
      const earlier = config.rules[id];
      if (earlier) {
        errors.push({ file, line, message: `rules.${key}: check ${id} is already configured at line ${earlier.line}` });
        continue;
      }
      config.rules[id] = ruleSetting(value, line);
    }
  }

  if (Array.isArray(data.suppressions)) {
    data.suppressions.forEach((entry, i) => {
      if (isInvalid(['suppressions', i]) || !isObject(entry)) return;
      const s = suppressionEntry(entry, file, at.line(['suppressions', i]));
      if (s.rule !== '*') {
        const id = resolve(s.rule);
        if (!id) {
          const line = at.line(['suppressions', i, 'rule']);
          errors.push({ file, line, message: `suppressions[${i}].rule: unknown check "${s.rule}" (\`sgscan rules\` lists them)` });
          return;
        }
        s.rule = id;
      }
      if (s.expires !== undefined && !isCalendarDate(s.expires)) {
        const line = at.line(['suppressions', i, 'expires']);
        errors.push({ file, line, message: `suppressions[${i}].expires: "${s.expires}" is not a calendar date` });
        return;
      }
      config.suppressions.push(s);
    });
  }

  if (Array.isArray(data.intents)) {
    const intents: Intent[] = [];
    data.intents.forEach((entry, i) => {
      if (isInvalid(['intents', i]) || !isObject(entry)) return;
      const r = intentEntry(entry, i, file, at);
      if ('errors' in r) {
        append(errors, r.errors);
        return;
      }
      const earlier = intents.find((x) => x.name === r.intent.name);
      if (earlier) {
        // The name is part of each finding's key: two intents of one name would mix their findings.
        errors.push({ file, line: at.line(['intents', i, 'name']), message: `intents[${i}].name: "${r.intent.name}" is already the name of the intent at line ${earlier.line}` });
        return;
      }
      intents.push(r.intent);
    });
    if (intents.length) config.intents = intents;
  }

  if (typeof data.inlineSuppressions === 'boolean') config.inlineSuppressions = data.inlineSuppressions;
  if (isPreset(data.extends)) config.preset = data.extends;
  if (Array.isArray(data.exclude) && !isInvalid(['exclude'])) config.exclude = data.exclude.filter((g): g is string => typeof g === 'string' && g !== '');
  if (typeof data.gitignore === 'boolean') config.gitignore = data.gitignore;
  return { config, errors: byLine(errors) };
}

function ruleSetting(value: unknown, line: number): RuleSetting {
  if (typeof value === 'boolean') return { enabled: value, line };
  if (value === 'on' || value === 'off') return { enabled: value === 'on', line };
  if (typeof value === 'string') return { severity: value as Severity, line };
  const v = isObject(value) ? value : {};
  return {
    ...(typeof v.enabled === 'boolean' ? { enabled: v.enabled } : {}),
    ...(typeof v.severity === 'string' && (SEVERITIES as readonly string[]).includes(v.severity)
      ? { severity: v.severity as Severity }
      : {}),
    ...(isObject(v.options) ? { options: { ...v.options } } : {}),
    line,
  };
}

function suppressionEntry(e: Record<string, unknown>, file: string, line: number): SuppressionEntry {
  return {
    rule: String(e.rule).trim(),
    ...(typeof e.path === 'string' ? { path: e.path } : {}),
    ...(typeof e.resource === 'string' ? { resource: e.resource } : {}),
    reason: String(e.reason).trim(),
    ...(typeof e.expires === 'string' ? { expires: e.expires } : {}),
    file,
    line,
  };
}

/** An intent whose shape the schema accepted: its selectors and service checked, lines kept. */
function intentEntry(e: Record<string, unknown>, i: number, file: string, at: Locator): { intent: Intent } | { errors: ScanError[] } {
  const line = at.line(['intents', i]);
  const kinds = (['deny', 'only'] as const).filter((k) => e[k] !== undefined);
  if (kinds.length !== 1) {
    const where = kinds.length ? at.keyLine(['intents', i, kinds[1]]) : line;
    return { errors: [{ file, line: where, message: `intents[${i}]: write exactly one of deny or only` }] };
  }
  const kind = kinds[0];
  const clause = isObject(e[kind]) ? (e[kind] as Record<string, unknown>) : {};
  const errors: ScanError[] = [];
  const sides: Record<'from' | 'to', string[]> = { from: [], to: [] };
  for (const side of ['from', 'to'] as const) {
    const raw = clause[side];
    const list = Array.isArray(raw) ? raw.map(String) : [String(raw)];
    list.forEach((text, j) => {
      const p: Segment[] = Array.isArray(raw) ? ['intents', i, kind, side, j] : ['intents', i, kind, side];
      const s = parseSelector(text);
      if (typeof s === 'string') errors.push({ file, line: at.line(p), message: `intents[${i}].${kind}.${side}: ${s}` });
      else sides[side].push(s.text);
    });
  }
  if (errors.length === 0) {
    const outside = (t: string) => isOutside(parseSelector(t) as Selector);
    if (sides.to.some(outside) && sides.from.every(outside)) {
      errors.push({ file, line: at.line(['intents', i, kind, 'to']), message: `intents[${i}].${kind}: the internet or a CIDR on both sides; one side must select resources` });
    }
  }
  const service = parseService(clause.port, clause.protocol);
  if (typeof service === 'string') {
    const p = clause.port !== undefined && !/protocol/.test(service) ? 'port' : clause.protocol !== undefined ? 'protocol' : 'port';
    errors.push({ file, line: at.line(['intents', i, kind, p]), message: `intents[${i}].${kind}.${p}: ${service}` });
  }
  const fields = { destPort: clause.dest_port, sourcePort: clause.source_port, icmpType: clause.icmp_type, icmpCode: clause.icmp_code, ipVersion: clause.ip_version, via: clause.via, direct: clause.direct };
  if (typeof service !== 'string') {
    const q = intentQuestion({ port: clause.port, protocol: clause.protocol, ...fields });
    if ('error' in q) errors.push({ file, line: at.line(['intents', i, kind, q.key]), message: `intents[${i}].${kind}.${q.key}: ${q.error}` });
  }
  if (errors.length) return { errors };
  const intent: Intent = {
    name: String(e.name).trim(),
    kind,
    from: sides.from,
    to: sides.to,
    ...(clause.port !== undefined ? { port: clause.port as number | string } : {}),
    ...(clause.protocol !== undefined ? { protocol: clause.protocol as string | number } : {}),
    ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    ...(typeof e.severity === 'string' ? { severity: e.severity as Severity } : {}),
    file,
    line,
  };
  return { intent };
}

// --- schema ---------------------------------------------------------------------------------------

let compiled: ValidateFunction | undefined;

/** Compiled once; the schema is a constant file, so caching it is not observable state. */
function schemaValidator(): ValidateFunction {
  if (!compiled) {
    // CommonJS module: under NodeNext the default import is module.exports, whose `.default` is the class.
    const ajv = new Ajv.default({ allErrors: true, verbose: true, strict: true });
    compiled = ajv.compile(JSON.parse(readFileSync(configSchemaPath(), 'utf8')));
  }
  return compiled;
}

/** schemas/sgscan-config.schema.json, found from this module upward (works from src/ and out/src/). */
export function configSchemaPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'schemas', 'sgscan-config.schema.json');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('schemas/sgscan-config.schema.json not found');
    dir = parent;
  }
}

interface Described {
  path: Segment[];
  message: string;
  /** Point at the key (an unknown key) rather than at the value. */
  keyLine: boolean;
}

/**
 * One readable message per problem. Errors above a deeper one are dropped (a bad `severity` inside a
 * rule also fails the rule's shorthand alternatives); alternatives failing at one place become one
 * message saying what is accepted there.
 */
function describeErrors(errs: readonly ErrorObject[]): Described[] {
  const located = errs.map((e) => {
    const base = pointer(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      return { e, path: [...base, key], keyLine: true };
    }
    return { e, path: base, keyLine: false };
  });
  const keyOf = (p: Segment[]) => p.map(String).join('/');
  const deeper = (a: Segment[], b: Segment[]) => b.length > a.length && keyOf(b).startsWith(`${keyOf(a)}/`);
  const kept = located.filter((x) => !located.some((y) => deeper(x.path, y.path)));

  const out: Described[] = [];
  const seen = new Set<string>();
  for (const x of kept) {
    const k = `${keyOf(x.path)}|${x.keyLine}`;
    const group = kept.filter((y) => `${keyOf(y.path)}|${y.keyLine}` === k);
    const anyOf = group.filter((y) => y.e.keyword === 'anyOf').at(-1);
    if (anyOf) {
      if (seen.has(k)) continue;
      seen.add(k);
      const accepted = (anyOf.e.parentSchema as { description?: string } | undefined)?.description;
      out.push({ path: x.path, keyLine: false, message: `must be ${accepted ?? 'one of the accepted forms'}${got(anyOf.e)}` });
      continue;
    }
    out.push({ path: x.path, keyLine: x.keyLine, message: errorMessage(x.e) });
  }
  return out;
}

function errorMessage(e: ErrorObject): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return 'unknown key';
    case 'required':
      return `missing required key "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}${got(e)}`;
    case 'const':
      return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}${got(e)}`;
    case 'pattern':
      return String((e.params as { pattern: string }).pattern).includes('[0-9]{4}')
        ? `must be a date written YYYY-MM-DD${got(e)}`
        : 'must not be blank';
    default:
      return `${e.message ?? 'is invalid'}${got(e)}`;
  }
}

function got(e: ErrorObject): string {
  const d = e.data;
  return d === null || ['string', 'number', 'boolean'].includes(typeof d) ? ` (got ${JSON.stringify(d)})` : '';
}

/** "/suppressions/0/reason" → ["suppressions", 0, "reason"]. */
function pointer(p: string): Segment[] {
  if (p === '') return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function dotted(p: Segment[]): string {
  if (p.length === 0) return '(top level)';
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

// --- lines ----------------------------------------------------------------------------------------

/** Finds the 1-based line of a value or key in the YAML document by its path. */
class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Line of the value at `p`, or of the nearest enclosing node found. */
  line(p: Segment[]): number {
    for (let n = p.length; n >= 0; n--) {
      const found = this.walk(p.slice(0, n));
      if (found?.value) return this.lineOf(found.value);
      if (found?.key) return this.lineOf(found.key);
    }
    return 1;
  }

  /** Line of the key of the last segment (where `SGS001:` is written). */
  keyLine(p: Segment[]): number {
    const found = this.walk(p);
    if (found?.key) return this.lineOf(found.key);
    return this.line(p.slice(0, -1));
  }

  private walk(p: Segment[]): { key?: Node; value?: Node } | undefined {
    let node: unknown = this.doc.contents;
    let key: Node | undefined;
    for (const seg of p) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) return undefined;
        key = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        key = undefined;
        if (node === undefined) return undefined;
      } else {
        return undefined;
      }
    }
    return { key, value: (node ?? undefined) as Node | undefined };
  }

  private lineOf(n: Node): number {
    return n.range ? this.lines.linePos(n.range[0]).line : 1;
  }
}

function byLine(errors: ScanError[]): ScanError[] {
  return [...errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
