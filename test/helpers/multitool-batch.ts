import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const MULTITOOL = resolve(__dirname, '../../node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');

export interface BatchProblem {
  /** The validated file's name (not its path). */
  file: string;
  ruleId: string;
  level: string;
  message: string;
}

/**
 * Run Microsoft's validator ONCE over every `*.sarif` file in `dir` (one process start instead of one
 * per file: the .NET start-up dominates small files), with the SARIF, GitHub and Azure DevOps rule
 * kinds. Returns every error and warning, each naming its file; notes are dropped. The binary is run
 * directly: the npm .bin wrapper mangles the quoted "Sarif;Gh;Ado" argument.
 */
export function validateSarifDirectory(dir: string): { scanned: number; problems: BatchProblem[] } {
  try {
    accessSync(MULTITOOL, constants.X_OK);
  } catch {
    chmodSync(MULTITOOL, 0o755);
  }
  const work = mkdtempSync(join(tmpdir(), 'sgscan-multitool-'));
  const out = join(work, 'OUT.json');
  try {
    const run = spawnSync(MULTITOOL, ['validate', '--rule-kind', 'Sarif;Gh;Ado', '-o', out, join(resolve(dir), '*.sarif')], {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    let text: string;
    try {
      text = readFileSync(out, 'utf8');
    } catch {
      // The tool exits 0 even with findings, so a missing output file is the only sign it failed.
      throw new Error(`Sarif.Multitool wrote no output (status ${run.status}): ${run.stderr || run.stdout}`);
    }
    // "Done. 12 files scanned.": proves the glob matched every file (the log itself lists none).
    const scanned = Number(/Done\. (\d+) files? scanned/.exec(run.stdout)?.[1] ?? -1);
    return { scanned, problems: readLog(JSON.parse(text) as MultitoolLog) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface MultitoolLog {
  runs: {
    tool: { driver: { rules?: { id: string; messageStrings?: Record<string, { text: string }> }[] } };
    artifacts?: { location?: { uri?: string } }[];
    results?: {
      ruleId: string;
      level?: string;
      message: { id?: string; text?: string; arguments?: string[] };
      locations?: { physicalLocation?: { artifactLocation?: { uri?: string; index?: number } } }[];
    }[];
  }[];
}

function readLog(log: MultitoolLog): BatchProblem[] {
  const run = log.runs[0];
  const rules = run.tool.driver.rules ?? [];
  const artifacts = (run.artifacts ?? []).map((a) => a.location?.uri ?? '');
  return (run.results ?? [])
    .map((r) => {
      const loc = r.locations?.[0]?.physicalLocation?.artifactLocation;
      const uri = loc?.uri ?? (loc?.index !== undefined ? artifacts[loc.index] : '') ?? '';
      return {
        file: basename(decodeURIComponent(uri)),
        ruleId: r.ruleId,
        // SARIF's default level is "warning": the multitool omits it for warnings.
        level: r.level ?? 'warning',
        message: messageText(r.message, rules.find((x) => x.id === r.ruleId)?.messageStrings),
      };
    })
    .filter((p) => p.level === 'error' || p.level === 'warning');
}

function messageText(
  m: { id?: string; text?: string; arguments?: string[] },
  strings: Record<string, { text: string }> | undefined,
): string {
  const template = m.text ?? (m.id ? strings?.[m.id]?.text : undefined) ?? m.id ?? '';
  return template.replace(/\{(\d+)\}/g, (_, i: string) => m.arguments?.[Number(i)] ?? `{${i}}`);
}
