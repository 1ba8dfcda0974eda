import { sharedPath } from './shared.js';
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';

/** The OASIS SARIF 2.1.0 schema (errata01), draft-04. */
const SCHEMA_PATH = sharedPath('schemas', 'sarif-2.1.0.json');
const MULTITOOL = resolve('node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');

/**
 * Multitool results we accept, each with why. Keyed by rule id. Keep this short: every entry is a
 * place where our SARIF knowingly differs from a consumer's wishes.
 */
export const MULTITOOL_ALLOWLIST: Record<string, string> = {
  // Azure DevOps (GHAzDO) ingestion wants automationDetails.properties naming the ADO build definition
  // and phase (buildDefinitionId/Name, phaseId/Name). Only an Azure pipeline knows these; a generic
  // scanner cannot. The run is still valid SARIF and is accepted by GitHub code scanning.
  GHAzDO1019: 'ADO pipeline identity properties are only known inside an Azure pipeline',
  // Same reason: GHAzDO wants automationDetails.id to be "azuredevops/pipeline/build/<org>/...".
  // Our id is the GitHub code scanning category ("sgscan/" by default, configurable), which GitHub needs.
  GHAzDO1020: 'automationDetails.id is a GitHub category, not an ADO pipeline path',
};

let schemaValidator: ValidateFunction | undefined;

/**
 * Validate a SARIF log object against the official schema. Returns the problems (empty when valid).
 *
 * Ajv setup, and why:
 * - ajv-draft-04: the OASIS schema is draft-04 (`id`, boolean exclusiveMinimum); Ajv 8 proper only
 *   speaks draft-06 and later.
 * - strict: false: the schema's `anyOf` branches say `required: ["index"]` etc. for properties declared
 *   in the parent, which Ajv's strictRequired rejects at compile time; it does not weaken validation.
 * - formats: Ajv 8 ships none (ajv-formats is not a dependency). Strict mode throws on the unknown
 *   "uri" format, and with strict off it would be silently ignored. The schema uses "uri",
 *   "uri-reference" and "date-time": we check them ourselves so that, e.g., a Windows path or a space
 *   in artifactLocation.uri is caught.
 */
export function validateSarifSchema(log: unknown): string[] {
  if (!schemaValidator) {
    // A CommonJS module: under NodeNext the default import is module.exports, whose `.default` is the class.
    const ajv = new Ajv.default({ strict: false, allErrors: true });
    ajv.addFormat('uri', { validate: isAbsoluteUri });
    ajv.addFormat('uri-reference', { validate: isUriReference });
    ajv.addFormat('date-time', { validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)) });
    schemaValidator = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  }
  const validate = schemaValidator;
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
/** RFC 3986 characters: unreserved, reserved and percent-escapes; nothing else (no space, no "\"). */
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

function isAbsoluteUri(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URI_CHARS.test(s);
}

function isUriReference(s: string): boolean {
  if (!URI_CHARS.test(s)) return false;
  // A relative reference's first segment may not contain ":" (it would read as a scheme).
  const firstSegment = s.split(/[/?#]/)[0];
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) || !firstSegment.includes(':');
}

export interface MultitoolProblem {
  ruleId: string;
  level: string;
  message: string;
  line?: number;
}

/**
 * Run Microsoft's SARIF validator (SARIF spec rules, GitHub and Azure DevOps ingestion rules) on a file.
 * Returns the error and warning results it reports that are not allowlisted; notes are ignored.
 * The binary is run directly: the npm .bin wrapper mangles the quoted "Sarif;Gh;Ado" argument.
 */
export function validateSarifMultitool(sarifPath: string): MultitoolProblem[] {
  ensureExecutable(MULTITOOL);
  const dir = mkdtempSync(join(tmpdir(), 'sgscan-sarif-'));
  const out = join(dir, 'OUT.json');
  try {
    rmSync(out, { force: true });
    const run = spawnSync(MULTITOOL, ['validate', '--rule-kind', 'Sarif;Gh;Ado', '-o', out, resolve(sarifPath)], {
      encoding: 'utf8',
      // .NET single-file apps extract to, and want, a writable home; keep them off the user's.
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
      timeout: 120_000,
    });
    let text: string;
    try {
      text = readFileSync(out, 'utf8');
    } catch {
      // The tool exits 0 even with findings, so a missing output file is the only sign it failed.
      throw new Error(`Sarif.Multitool wrote no output (status ${run.status}): ${run.stderr || run.stdout}`);
    }
    return multitoolProblems(JSON.parse(text));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface MultitoolLog {
  runs: {
    tool: { driver: { rules?: { id: string; messageStrings?: Record<string, { text: string }> }[] } };
    results?: {
      ruleId: string;
      ruleIndex?: number;
      level?: string;
      message: { id?: string; text?: string; arguments?: string[] };
      locations?: { physicalLocation?: { region?: { startLine?: number } } }[];
    }[];
  }[];
}

function multitoolProblems(log: MultitoolLog): MultitoolProblem[] {
  const run = log.runs[0];
  const rules = run.tool.driver.rules ?? [];
  return (run.results ?? [])
    .map((r) => ({
      ruleId: r.ruleId,
      // SARIF's default level is "warning": the multitool omits it for warnings.
      level: r.level ?? 'warning',
      message: messageText(r.message, rules.find((x) => x.id === r.ruleId)?.messageStrings),
      line: r.locations?.[0]?.physicalLocation?.region?.startLine,
    }))
    .filter((p) => (p.level === 'error' || p.level === 'warning') && !(p.ruleId in MULTITOOL_ALLOWLIST));
}

function messageText(
  m: { id?: string; text?: string; arguments?: string[] },
  strings: Record<string, { text: string }> | undefined,
): string {
  const template = m.text ?? (m.id ? strings?.[m.id]?.text : undefined) ?? m.id ?? '';
  return template.replace(/\{(\d+)\}/g, (_, i: string) => m.arguments?.[Number(i)] ?? `{${i}}`);
}

/** npm may skip the package's postinstall chmod; without +x the spawn fails with EACCES. */
function ensureExecutable(path: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    chmodSync(path, 0o755);
  }
}
