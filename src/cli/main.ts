import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ALL_CHECKS } from '../checks/registry.js';
import { SEVERITIES, severityRank, type Severity } from '../checks/types.js';
import { findConfigFile, loadConfig, type SgscanConfig } from '../config/index.js';
import { renderRules } from './rules-command.js';
import { renderReport, FORMATS, type Format } from './render.js';
import { scan } from '../scan.js';
import { DEFAULT_MAX_FILE_BYTES } from '../load/read.js';
import { activeNew, type FindingsDiff } from '../diff/diff.js';
import { DiffError } from '../diff/errors.js';
import { renderDiffReport } from '../diff/render.js';
import { scanAgainstBase } from '../diff/run.js';
import type { ScanResult } from '../report/types.js';
import { VERSION } from '../version.js';

// Exit codes: 0 nothing at or above --fail-on; 1 something was; 2 usage error, nothing scanned, or
// (--strict) any error or notice.
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
});

interface OutputRequest {
  format: Format;
  file?: string;
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let exitCode = EXIT_OK;
  // --format and --output pair up in the order given: `--format sarif --output a.sarif --format text`
  // writes SARIF to a.sarif and text to the terminal, from one analysis.
  const outputs: OutputRequest[] = [];
  // Terraform applies -var and -var-file in the order given; keep that order.
  const varArgs: Array<{ kind: 'file' | 'var'; value: string }> = [];

  const program = new Command()
    .name('sgscan')
    .description('Static analyzer for AWS security groups in Terraform and CloudFormation.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run sgscan --help for usage)');

  program
    .command('scan', { isDefault: false })
    .description('scan files and folders (recursively) for security-group problems')
    .argument('[paths...]', 'files or folders to scan', ['.'])
    .addOption(new Option('-f, --format <format>', `report format (repeatable): ${FORMATS.join(', ')}`).argParser((v: string) => {
      if (!(FORMATS as readonly string[]).includes(v)) throw new CommanderError(EXIT_USAGE, 'sgscan.usage', `unknown format "${v}" (expected ${FORMATS.join(', ')})`);
      outputs.push({ format: v as Format });
      return v;
    }))
    .addOption(new Option('-o, --output <file>', 'write the preceding --format to FILE instead of standard output').argParser((v: string) => {
      const target = [...outputs].reverse().find((o) => o.file === undefined) ?? outputs[outputs.length - 1];
      if (target) target.file = v;
      else outputs.push({ format: 'text', file: v });
      return v;
    }))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices([...SEVERITIES, 'none']).default('high'))
    .option('--no-color', 'never colour the text report')
    .option('--var <name=value>', 'Terraform variable (repeatable; later ones win, in command-line order with --var-file)', (v: string, prev: string[]) => {
      varArgs.push({ kind: 'var', value: v });
      return collect(v, prev);
    }, [])
    .option('--var-file <file>', 'Terraform .tfvars file (repeatable)', (v: string, prev: string[]) => {
      varArgs.push({ kind: 'file', value: path.resolve(io.cwd, v) });
      return collect(v, prev);
    }, [])
    .option('--parameter <key=value>', 'CloudFormation parameter (repeatable)', collect, [])
    .option('--diff-base <ref>', 'also scan the tree at git revision REF; report findings as new/unchanged/fixed and fail on new ones only')
    .option('--baseline <file>', 'like --diff-base, against a stored sgscan JSON report')
    .option('-c, --config <file>', 'configuration file (default: .sgscan.yml found from the scanned folder upward)')
    .option('--no-inline-suppressions', 'ignore sgscan:ignore comments and CloudFormation Metadata (central policy only)')
    .option('--include-suppressed', 'keep suppressed findings in SARIF, marked as suppressed')
    .addOption(new Option('--max-file-size <MiB>', 'skip (and report) files larger than this many MiB').default(DEFAULT_MAX_FILE_MIB).argParser(parseMiB))
    .option('--strict', 'exit 2 when any file could not be read or parsed, or was only partly understood (any error or notice)')
    .action(async (paths: string[], options: ScanCliOptions) => {
      exitCode = await runScan(paths, { ...options, varArgs }, outputs.length ? outputs : [{ format: 'text' }], io);
    });

  program
    .command('rules')
    .description('list the checks sgscan runs')
    .addOption(new Option('-f, --format <format>', 'text, markdown or json').choices(['text', 'markdown', 'json']).default('text'))
    .action((options: { format: 'text' | 'markdown' | 'json' }) => {
      io.stdout(renderRules(ALL_CHECKS, options.format));
    });

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      if (e.code === 'sgscan.usage') io.stderr(`sgscan: ${e.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`sgscan: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_USAGE;
  }
}

interface ScanCliOptions {
  failOn: Severity | 'none';
  color: boolean;
  var: string[];
  varFile: string[];
  parameter: string[];
  diffBase?: string;
  baseline?: string;
  config?: string;
  varArgs: Array<{ kind: 'file' | 'var'; value: string }>;
  inlineSuppressions: boolean;
  includeSuppressed?: boolean;
  maxFileSize: number;
  strict?: boolean;
}

const DEFAULT_MAX_FILE_MIB = DEFAULT_MAX_FILE_BYTES / 1048576;

function parseMiB(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new CommanderError(EXIT_USAGE, 'sgscan.usage', `--max-file-size must be a positive number of MiB, got "${v}"`);
  }
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function splitPair(s: string, what: string): [string, string] {
  const i = s.indexOf('=');
  if (i <= 0) throw new CommanderError(EXIT_USAGE, 'sgscan.usage', `${what} must look like name=value, got "${s}"`);
  return [s.slice(0, i), s.slice(i + 1)];
}

async function runScan(paths: string[], options: ScanCliOptions, outputs: OutputRequest[], io: Io): Promise<number> {
  // A broken configuration is a usage error: a central policy must never be half-applied silently.
  const configFile = options.config
    ? path.resolve(io.cwd, options.config)
    : findConfigFile(path.resolve(io.cwd, paths[0] ?? '.'));
  let config: SgscanConfig | undefined;
  if (configFile) {
    if (options.config && !existsSync(configFile)) {
      io.stderr(`sgscan: configuration file ${options.config} not found\n`);
      return EXIT_USAGE;
    }
    const loaded = loadConfig(configFile);
    if (loaded.errors.length) {
      for (const e of loaded.errors) io.stderr(`sgscan: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    config = loaded.config;
  }
  const scanOptions = {
    config,
    inlineSuppressions: options.inlineSuppressions,
    paths,
    cwd: io.cwd,
    version: VERSION,
    terraform: {
      vars: options.var.map((v) => splitPair(v, '--var')),
      varFiles: options.varFile.map((f) => path.resolve(io.cwd, f)),
      varArgs: options.varArgs,
      env: io.env,
    },
    cloudformation: { parameters: options.parameter.map((p) => splitPair(p, '--parameter')) },
    maxFileBytes: Math.floor(options.maxFileSize * 1048576),
  };
  // Diff mode: findings whose fingerprint exists at the base are "unchanged"; --fail-on looks at new ones.
  let result: ScanResult;
  let diff: FindingsDiff | undefined;
  if (options.diffBase !== undefined || options.baseline !== undefined) {
    if (options.diffBase !== undefined && options.baseline !== undefined) {
      io.stderr('sgscan: --diff-base and --baseline cannot be used together\n');
      return EXIT_USAGE;
    }
    try {
      const base = options.diffBase !== undefined ? { kind: 'git' as const, ref: options.diffBase } : { kind: 'baseline' as const, file: options.baseline! };
      ({ result, diff } = await scanAgainstBase(scanOptions, base));
    } catch (e) {
      if (!(e instanceof DiffError)) throw e;
      io.stderr(`sgscan: ${e.message}\n`);
      return EXIT_USAGE;
    }
  } else {
    ({ result } = await scan(scanOptions));
  }

  const colorWanted = options.color && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
  for (const out of outputs) {
    const color = colorWanted && out.format === 'text' && !out.file && (io.isTTY || Boolean(io.env.FORCE_COLOR));
    const text = diff ? renderDiffReport(result, diff, out.format, { color, cwd: io.cwd }) : renderReport(result, out.format, { color, cwd: io.cwd, includeSuppressed: options.includeSuppressed });
    if (out.file) await writeFile(path.resolve(io.cwd, out.file), text);
    else io.stdout(text);
  }

  if (result.summary.filesScanned === 0) {
    io.stderr(
      result.errors.length
        ? 'sgscan: nothing could be scanned (see the errors above)\n'
        : `sgscan: no Terraform or CloudFormation files found in ${paths.join(', ')}\n`,
    );
    return EXIT_USAGE;
  }
  // --strict: a scan that did not understand everything it was given is not a pass.
  if (options.strict && (result.errors.length > 0 || result.notices.length > 0)) {
    io.stderr(`sgscan: --strict: ${result.errors.length} error(s) and ${result.notices.length} notice(s) (see the report)\n`);
    return EXIT_USAGE;
  }
  if (options.failOn === 'none') return EXIT_OK;
  const threshold = severityRank(options.failOn);
  const judged = diff ? activeNew(diff) : result.findings.filter((f) => !f.suppression);
  return judged.some((f) => severityRank(f.severity) <= threshold) ? EXIT_FINDINGS : EXIT_OK;
}
