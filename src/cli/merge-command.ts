import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import type * as Sarif from 'sarif';
import { MergeError, mergeJsonReports, type JsonReport, type NamedInput } from '../report/merge-json.js';
import { mergeSarifLogs } from '../report/merge-sarif.js';
import { FINGERPRINT_KEY } from '../report/sarif.js';
import { EXIT_OK, EXIT_USAGE } from './scan-setup.js';

// `sgscan merge FILE...`: the reports of a CI matrix's shards (`scan --shard i/n`) joined into one,
// for one SARIF upload or one pull-request comment. Every problem with an input is a message naming
// the file (exit 2), never a stack trace.

export type MergeFormat = 'json' | 'sarif';

export interface MergeCliOptions {
  output?: string;
  format?: MergeFormat;
  category?: string;
}

/** What the command needs of the CLI's Io (src/cli/main.ts). */
export interface MergeIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

type Input = { file: string; kind: 'json'; report: JsonReport } | { file: string; kind: 'sarif'; report: Sarif.Log };

export async function runMerge(files: string[], options: MergeCliOptions, io: MergeIo): Promise<number> {
  try {
    const inputs: Input[] = [];
    for (const file of files) inputs.push(readInput(file, await readText(file, io.cwd)));
    const kinds = [...new Set(inputs.map((i) => i.kind))];
    if (kinds.length > 1) {
      const json = inputs.find((i) => i.kind === 'json')!;
      const sarif = inputs.find((i) => i.kind === 'sarif')!;
      throw new MergeError(`${json.file} is a JSON report and ${sarif.file} a SARIF log: merge one format at a time (have each shard write both with --format json --output ... --format sarif --output ...)`);
    }
    const kind = kinds[0];
    if (options.format !== undefined && options.format !== kind) {
      throw new MergeError(`the inputs are ${kind === 'json' ? 'JSON reports' : 'SARIF logs'}, and merge writes the format of its inputs; for ${options.format}, have each shard write it too (--format ${options.format} --output FILE)`);
    }
    let text: string;
    if (kind === 'json') {
      text = mergeJsonReports(inputs.map((i) => i as NamedInput<JsonReport>));
    } else {
      const merged = mergeSarifLogs(inputs.map((i) => i as NamedInput<Sarif.Log>), { category: options.category });
      for (const w of merged.warnings) io.stderr(`sgscan: merge: ${w}\n`);
      text = merged.text;
    }
    if (options.output) {
      await writeFile(path.resolve(io.cwd, options.output), text).catch((e: NodeJS.ErrnoException) => {
        throw new MergeError(`cannot write ${options.output}: ${e.code === 'ENOENT' ? 'its folder does not exist' : e.message}`);
      });
    } else io.stdout(text);
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    io.stderr(`sgscan: merge: ${e.message}\n`);
    return EXIT_USAGE;
  }
}

async function readText(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MergeError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a report' : (e as Error).message}`);
  }
}

/** Parse and recognise one input: an sgscan JSON report or a SARIF log written by sgscan. */
export function readInput(file: string, raw: string): Input {
  let doc: unknown;
  try {
    doc = JSON.parse(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw);
  } catch (e) {
    throw new MergeError(`${file} is not JSON (${(e as Error).message}); give the .json or .sarif files the shards wrote`);
  }
  if (isRecord(doc) && Array.isArray(doc.runs)) return { file, kind: 'sarif', report: checkSarif(file, doc) };
  if (isRecord(doc) && isRecord(doc.tool) && 'findings' in doc) return { file, kind: 'json', report: checkJson(file, doc) };
  throw new MergeError(`${file} is neither an sgscan JSON report (--format json) nor a SARIF log (--format sarif)`);
}

function checkJson(file: string, doc: Record<string, unknown>): JsonReport {
  const validate = reportValidator();
  if (validate(doc)) return doc as unknown as JsonReport;
  const e = validate.errors?.[0];
  throw new MergeError(`${file} is not an sgscan JSON report: ${e?.instancePath || '/'} ${e?.message ?? 'does not match the report schema'} (schemas/sgscan-report.schema.json)`);
}

/** What the merge relies on, checked with messages a user can act on (the full schema is not shipped). */
function checkSarif(file: string, doc: Record<string, unknown>): Sarif.Log {
  const bad = (where: string, what: string) => new MergeError(`${file} is not a SARIF log sgscan can merge: ${where} ${what}`);
  if (doc.version !== '2.1.0') throw bad('version', `is ${JSON.stringify(doc.version)}, not "2.1.0"`);
  (doc.runs as unknown[]).forEach((run, r) => {
    const at = `runs[${r}]`;
    if (!isRecord(run) || !isRecord(run.tool) || !isRecord(run.tool.driver)) throw bad(at, 'has no tool.driver');
    const driver = run.tool.driver;
    if (driver.name !== 'sgscan') throw new MergeError(`${file}: ${at} was written by ${typeof driver.name === 'string' ? driver.name : 'an unnamed tool'}, not sgscan; merge joins sgscan's shard reports`);
    if (typeof driver.version !== 'string') throw bad(`${at}.tool.driver.version`, 'is missing');
    if (driver.rules !== undefined && (!Array.isArray(driver.rules) || !driver.rules.every((x) => isRecord(x) && typeof x.id === 'string'))) throw bad(`${at}.tool.driver.rules`, 'is not a list of rules with ids');
    if (!Array.isArray(run.results)) throw bad(`${at}.results`, 'is missing');
    run.results.forEach((res, i) => {
      const where = `${at}.results[${i}]`;
      if (!isRecord(res) || typeof res.ruleId !== 'string' || !isRecord(res.message)) throw bad(where, 'has no ruleId or message');
      if (!isRecord(res.partialFingerprints) || typeof res.partialFingerprints[FINGERPRINT_KEY] !== 'string') throw bad(where, `has no partialFingerprints["${FINGERPRINT_KEY}"]`);
      if (!Array.isArray(res.locations) || !isRecord(res.locations[0])) throw bad(where, 'has no location');
    });
    if (run.invocations !== undefined && !Array.isArray(run.invocations)) throw bad(`${at}.invocations`, 'is not a list');
    if (run.artifacts !== undefined && !Array.isArray(run.artifacts)) throw bad(`${at}.artifacts`, 'is not a list');
  });
  return doc as unknown as Sarif.Log;
}

let compiled: ValidateFunction | undefined;

/** Compiled once; the schema is a constant file, so caching it is not observable state. */
function reportValidator(): ValidateFunction {
  if (!compiled) {
    // CommonJS module: under NodeNext the default import is module.exports, whose `.default` is the class.
    const ajv = new Ajv.default({ allErrors: false, strict: false });
    compiled = ajv.compile(JSON.parse(readFileSync(reportSchemaPath(), 'utf8')));
  }
  return compiled;
}

/** schemas/sgscan-report.schema.json, found from this module upward (works from src/ and out/src/). */
function reportSchemaPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'schemas', 'sgscan-report.schema.json');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('schemas/sgscan-report.schema.json not found');
    dir = parent;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
