import type { Writable } from 'node:stream';
import { createProgress } from '../report/progress.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { SEVERITIES, type Severity } from '../model/check.js';
import type { Preset } from '../config/index.js';
import { FORMATS, type Format } from '../report/format-names.js';
import { DEFAULT_MAX_FILE_BYTES } from '../input/read.js';
import type { FindingsDiff } from '../pipeline/diff/diff.js';
import type { ScanResult } from '../model/scan-result.js';
import { parseShard, shardCategory, type Shard } from '../pipeline/shard.js';
import { VERSION } from '../version.js';
import type { MergeCliOptions } from './merge-command.js';
import type { Jobs } from '../pipeline/scan.js';
import { parseJobs, workerEntry } from './threads.js';

import {
  buildScanSetup,
  decideExit,
  describeSetupError,
  EXIT_OK,
  EXIT_USAGE,
  failingOnly,
  keepSeverities,
  missingInputs,
  parseSeverities,
  reportPathPrefix,
} from './scan-setup.js';

// Exit codes (src/cli/scan-setup.ts, shared with the Action): 0 nothing at or above --fail-on; 1 something
// was; 2 usage error, broken configuration, nothing scanned, or (--strict) any error or notice.
export { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './scan-setup.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  /** Standard output's width when it is a terminal. */
  columns?: number;
  /** Standard error is a terminal: a progress bar may be drawn there. */
  stderrIsTTY?: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  columns: process.stdout.columns,
  stderrIsTTY: Boolean(process.stderr.isTTY),
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
      // Each --output belongs to the --format just before it; anything else is a mistake worth an error,
      // not a text report silently written into a file named .sarif.
      const target = outputs[outputs.length - 1];
      if (!target) throw new CommanderError(EXIT_USAGE, 'sgscan.usage', `--output ${v} needs a --format before it (e.g. --format sarif --output ${v})`);
      if (target.file !== undefined) throw new CommanderError(EXIT_USAGE, 'sgscan.usage', `--output ${v}: the --format ${target.format} before it already writes to ${target.file}; give each --output its own --format`);
      target.file = v;
      return v;
    }))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices([...SEVERITIES, 'none']).default('high'))
    .option('--no-color', 'never colour the text report')
    .option('--var <name=value>', 'Terraform variable (repeatable; later ones win, in command-line order with --var-file)', (v: string, prev: string[]) => {
      varArgs.push({ kind: 'var', value: v });
      return collect(v, prev);
    }, [])
    .option('--var-file <file>', 'Terraform .tfvars file (repeatable)', (v: string, prev: string[]) => {
      varArgs.push({ kind: 'file', value: v });
      return collect(v, prev);
    }, [])
    .option('--parameter <key=value>', 'CloudFormation parameter (repeatable; after the parameter files)', collect, [])
    .option('--parameter-file <file>', 'CloudFormation parameter file (repeatable): [{ParameterKey, ParameterValue}], ["Key=Value"], {"Parameters": {...}} or a map', collect, [])
    .option('--allow-outside-root', 'follow local Terraform modules whose source leaves the scanned folder')
    .option('--diff-base <ref>', 'also scan the tree at git revision REF; report findings as new/unchanged/fixed and fail on new ones only')
    .option('--baseline <file>', 'like --diff-base, against a stored sgscan JSON report')
    .option('-c, --config <file>', 'configuration file (default: .sgscan.yml found from the scanned folder upward)')
    .addOption(new Option('--preset <name>', 'checks to start from: recommended (default, quiet) or strict (what compliance-minded teams ask for); overrides the configuration\'s `extends`').choices(['recommended', 'strict']))
    .option('--check <ids>', 'run only these checks: ids or names, comma-separated (repeatable)', collect, [])
    .option('--skip-check <ids>', 'never run these checks: ids or names, comma-separated (repeatable)', collect, [])
    .option('--skip-path <glob>', 'leave out files and folders matching GLOB, relative to the working folder (repeatable; *, ?, **)', collect, [])
    .option('--no-gitignore', 'also scan what .gitignore files ignore')
    .option('--severity <levels>', 'report (and fail on) only findings of these severities, comma-separated (repeatable)', collect, [])
    .option('--quiet', 'text report: only the findings that fail the run (at or above --fail-on)')
    .option('--compact', 'text report: no code frames')
    .option('--no-inline-suppressions', 'ignore sgscan:ignore comments and CloudFormation Metadata (central policy only)')
    .option('--include-suppressed', 'keep suppressed findings in SARIF, marked as suppressed')
    .addOption(new Option('--max-file-size <MiB>', 'skip (and report) files larger than this many MiB').default(DEFAULT_MAX_FILE_MIB).argParser(parseMiB))
    .option('--shard <i/n>', 'scan only shard i of n (1-based): whole root modules and templates, split by a hash of their path', (v: string) => {
      const s = parseShard(v);
      if ('error' in s) throw new CommanderError(EXIT_USAGE, 'sgscan.usage', s.error);
      return s;
    })
    .option('--jobs <n>', 'threads that read and judge root modules and templates: 1 (this thread only), N, or auto (default auto: one per idle core, for a scan large enough to gain)', (v: string) => {
      const j = parseJobs(v);
      if (typeof j === 'object') throw new CommanderError(EXIT_USAGE, 'sgscan.usage', `--${j.error}`);
      return j;
    }, 'auto' as Jobs)
    .option('--sarif-root <dir>', 'write SARIF and GitLab paths relative to DIR (default: the repository root, the nearest folder upward with .git, else the working folder)')
    .option('--category <id>', 'SARIF category (run.automationDetails.id); default sgscan/, or sgscan/shard-i-of-n with --shard')
    .option('--strict', 'exit 2 when any file could not be read or parsed, or was only partly understood (any error or notice)')
    .action(async (paths: string[], options: ScanCliOptions) => {
      const onStdout = outputs.filter((o) => o.file === undefined).map((o) => o.format);
      if (onStdout.length > 1) {
        io.stderr(`sgscan: ${onStdout.length} formats would share standard output (${onStdout.join(', ')}); give all but one an --output FILE\n`);
        exitCode = EXIT_USAGE;
        return;
      }
      exitCode = await runScan(paths, { ...options, varArgs }, outputs.length ? outputs : [{ format: 'text' }], io);
    });

  // Questions asked of the network the code declares (Batfish-style): exit 0 whatever the verdict.
  program
    .command('reach')
    .description('can traffic get from one place to another? verdict, allowed traffic, path or every blocker')
    .argument('[paths...]', 'files or folders to read', ['.'])
    .requiredOption('--from <where>', 'internet, a CIDR or address, or a resource (Terraform address, logical ID, FILE:ID)')
    .requiredOption('--to <where>', 'a resource, or internet')
    .option('--protocol <protocol>', 'tcp, udp, icmp, icmpv6, -1 or a number 0-255 (default: all; tcp with a port)')
    .option('--port <port>', 'the port the client connects to (a listener\'s, through a load balancer), a range A-B, or the ICMP type')
    .option('--dest-port <port>', 'the port the destination receives on: behind a load balancer, the target group port')
    .option('--source-port <ports>', 'the client\'s source port N or ports A-B, where replies return through NACLs (default 1024-65535)')
    .option('--icmp-type <type>', 'ICMP type 0-255 (protocol icmp, or icmpv6 with --ip-version 6)')
    .option('--icmp-code <code>', 'ICMP code 0-255, with --icmp-type (default: every code)')
    .addOption(new Option('--ip-version <version>', 'IPv4 or IPv6 only (default: both)').choices(['4', '6']))
    .option('--via <lb>', 'only paths through this load balancer (address or logical ID)')
    .option('--direct', 'only direct paths, none through a load balancer')
    .addOption(new Option('-f, --format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .option('--var <name=value>', 'Terraform variable (repeatable)', collect, [])
    .option('--var-file <file>', 'Terraform .tfvars file (repeatable)', collect, [])
    .option('--parameter <key=value>', 'CloudFormation parameter (repeatable)', collect, [])
    .action(async (paths: string[], options: ReachCliOptions) => {
      if (reportMissing(paths, options, io)) return void (exitCode = EXIT_USAGE);
      const [{ buildModel }, { runReach }] = await Promise.all([import('../pipeline/scan.js'), import('./reach-command.js')]);
      const model = await buildModel(modelOptions(paths, options, io));
      const out = runReach(model, {
        from: options.from,
        to: options.to,
        protocol: options.protocol,
        port: options.port,
        destPort: options.destPort,
        sourcePort: options.sourcePort,
        icmpType: options.icmpType,
        icmpCode: options.icmpCode,
        ipVersion: options.ipVersion,
        via: options.via,
        direct: options.direct,
      });
      if (!out.ok) {
        io.stderr(`sgscan: ${out.error}\n`);
        exitCode = EXIT_USAGE;
        return;
      }
      io.stdout(options.format === 'json' ? `${JSON.stringify(out.json, null, 2)}\n` : out.text);
    });

  program
    .command('graph')
    .description('draw who can reach whom, and what is exposed to the internet')
    .argument('[paths...]', 'files or folders to read', ['.'])
    .addOption(new Option('-f, --format <format>', 'mermaid, dot or json').choices(['mermaid', 'dot', 'json']).default('mermaid'))
    .option('--var <name=value>', 'Terraform variable (repeatable)', collect, [])
    .option('--var-file <file>', 'Terraform .tfvars file (repeatable)', collect, [])
    .option('--parameter <key=value>', 'CloudFormation parameter (repeatable)', collect, [])
    .action(async (paths: string[], options: ModelCliOptions & { format: 'mermaid' | 'dot' | 'json' }) => {
      if (reportMissing(paths, options, io)) return void (exitCode = EXIT_USAGE);
      const [{ buildModel }, { runGraph }] = await Promise.all([import('../pipeline/scan.js'), import('./graph-command.js')]);
      io.stdout(runGraph(await buildModel(modelOptions(paths, options, io)), options.format));
    });

  // The reports of a CI matrix's shards joined into one (docs/sharding.md).
  program
    .command('merge')
    .description('join the reports of scan --shard i/n (JSON or SARIF) into one, each finding once, in the order of one scan')
    .argument('<files...>', 'the shards\' reports: all JSON (--format json) or all SARIF (--format sarif)')
    .addOption(new Option('-f, --format <format>', 'json or sarif: the format of the inputs (no conversion)').choices(['json', 'sarif']))
    .option('-o, --output <file>', 'write the merged report to FILE (default: standard output)')
    .option('--category <id>', 'SARIF category of the merged run (default: the shards\' common one; sgscan/ for sgscan/shard-i-of-n/)')
    .action(async (files: string[], options: MergeCliOptions) => {
      const { runMerge } = await import('./merge-command.js');
      exitCode = await runMerge(files, options, io);
    });

  program
    .command('rules')
    .description('list the checks sgscan runs')
    .addOption(new Option('-f, --format <format>', 'text, markdown or json').choices(['text', 'markdown', 'json']).default('text'))
    .action(async (options: { format: 'text' | 'markdown' | 'json' }) => {
      const [{ ALL_CHECKS }, { renderRules }] = await Promise.all([import('../../rules/index.js'), import('./rules-command.js')]);
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

interface ModelCliOptions {
  var: string[];
  varFile: string[];
  parameter: string[];
}

interface ReachCliOptions extends ModelCliOptions {
  from: string;
  to: string;
  protocol?: string;
  port?: string;
  destPort?: string;
  sourcePort?: string;
  icmpType?: string;
  icmpCode?: string;
  ipVersion?: string;
  via?: string;
  direct?: boolean;
  format: 'text' | 'json';
}


/** Names each path or variable file that does not exist on stderr; true when there was one. */
function reportMissing(paths: string[], options: ModelCliOptions, io: Io): boolean {
  const errors = missingInputs(io.cwd, paths, options.varFile, []);
  for (const e of errors) io.stderr(`sgscan: ${describeSetupError(e)}\n`);
  return errors.length > 0;
}

/** The model-building options shared by `scan`, `reach` and `graph`. */
function modelOptions(paths: string[], options: ModelCliOptions, io: Io) {
  return {
    paths,
    cwd: io.cwd,
    version: VERSION,
    terraform: {
      vars: options.var.map((v) => splitPair(v, '--var')),
      varFiles: options.varFile.map((f) => path.resolve(io.cwd, f)),
      env: io.env,
    },
    cloudformation: { parameters: options.parameter.map((p) => splitPair(p, '--parameter')) },
  };
}

interface ScanCliOptions {
  failOn: Severity | 'none';
  color: boolean;
  var: string[];
  varFile: string[];
  parameter: string[];
  parameterFile: string[];
  check: string[];
  skipCheck: string[];
  skipPath: string[];
  gitignore: boolean;
  severity: string[];
  quiet?: boolean;
  compact?: boolean;
  diffBase?: string;
  baseline?: string;
  config?: string;
  preset?: Preset;
  varArgs: Array<{ kind: 'file' | 'var'; value: string }>;
  allowOutsideRoot?: boolean;
  inlineSuppressions: boolean;
  includeSuppressed?: boolean;
  maxFileSize: number;
  strict?: boolean;
  shard?: Shard;
  category?: string;
  sarifRoot?: string;
  jobs: Jobs;
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
  // Loaded here, not at the top: `sgscan --version` and `--help` should not pay for the pipeline.
  const [{ ALL_CHECKS }, { scanResult }, { DiffError }, { scanAgainstBase }, { renderReport }, { lineReader }] = await Promise.all([
    import('../../rules/index.js'),
    import('../pipeline/parallel.js'),
    import('../pipeline/diff/errors.js'),
    import('../pipeline/diff/run.js'),
    import('../report/formats.js'),
    import('../input/lines.js'),
  ]);
  const setup = buildScanSetup({
    paths,
    cwd: io.cwd,
    env: io.env,
    checks: ALL_CHECKS,
    config: options.config,
    preset: options.preset,
    varArgs: options.varArgs,
    parameters: options.parameter.map((p) => splitPair(p, '--parameter')),
    parameterFiles: options.parameterFile,
    inlineSuppressions: options.inlineSuppressions,
    onlyChecks: options.check,
    skipChecks: options.skipCheck,
    skipPaths: options.skipPath,
    gitignore: options.gitignore,
    allowOutsideRoot: options.allowOutsideRoot,
    maxFileBytes: Math.floor(options.maxFileSize * 1048576),
    shard: options.shard,
  });
  const severities = parseSeverities(options.severity);
  const errors = [...(setup.ok ? [] : setup.errors), ...(severities.error ? [{ message: severities.error }] : [])];
  if (!setup.ok || errors.length > 0) {
    for (const e of errors) io.stderr(`sgscan: ${describeSetupError(e)}\n`);
    return EXIT_USAGE;
  }
  const scanOptions = {
    ...setup.options,
    onProgress: (done: number, total: number, unit: string) => progress.tick(done, total, unit),
    jobs: options.jobs,
    workerUrl: workerEntry(),
    onWarning: (message: string) => io.stderr(`sgscan: warning: ${message}\n`),
  };
  // Only on an interactive terminal, never in CI logs; it wipes itself before any report is written.
  const progress = createProgress({ write: (s: string) => (io.stderr(s), true) } as unknown as Writable, Boolean(io.stderrIsTTY) && !io.env.CI);
  // Diff mode: findings whose fingerprint exists at the base are "unchanged"; --fail-on looks at new ones.
  let result: ScanResult;
  let diff: FindingsDiff | undefined;
  try {
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
      result = await scanResult(scanOptions);
    }
  } finally {
    progress.done();
  }

  ({ result, diff } = keepSeverities(result, diff, severities.levels));
  // Each shard of a CI matrix uploads its own SARIF run; distinct categories keep them from replacing each other.
  const category = options.category ?? (options.shard && options.shard.count > 1 ? shardCategory(options.shard) : undefined);
  const colorWanted = options.color && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
  const readLines = lineReader(io.cwd);
  const pathPrefix = reportPathPrefix(io.cwd, options.sarifRoot);
  for (const out of outputs) {
    const color = colorWanted && out.format === 'text' && !out.file && (io.isTTY || Boolean(io.env.FORCE_COLOR));
    const shown = out.format === 'text' && options.quiet ? failingOnly(result, options.failOn) : result;
    const width = out.file ? undefined : terminalWidth(io);
    const text = renderReport(shown, out.format, { color, readLines, includeSuppressed: options.includeSuppressed, category, diff, pathPrefix, compact: options.compact, width });
    if (out.file) await writeFile(path.resolve(io.cwd, out.file), text);
    else io.stdout(text);
  }

  const decision = decideExit(result, diff, { failOn: options.failOn, strict: options.strict, shard: options.shard, paths });
  if (decision.message) io.stderr(`sgscan: ${decision.message}\n`);
  return decision.code;
}

/**
 * The width the text report on standard output wraps to: COLUMNS when set (as `ls` and most CLIs
 * honour it, also for a pipe), else the terminal's; none for a pipe or file, so they stay unwrapped.
 */
export function terminalWidth(io: Pick<Io, 'env' | 'isTTY' | 'columns'>): number | undefined {
  const fromEnv = Number(io.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return io.isTTY && io.columns && io.columns > 0 ? io.columns : undefined;
}
