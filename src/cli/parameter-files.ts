import { readFileSync } from 'node:fs';

// CloudFormation parameter files, in the shapes people already keep them in (the CLI's --parameter-file
// and the Action's parameter-files share this reader):
//   [{"ParameterKey": "K", "ParameterValue": "V"}]   (aws cloudformation create-stack --parameters file://)
//   ["K=V", ...]                                      (aws cloudformation deploy --parameter-overrides file://)
//   {"Parameters": {"K": "V"}}                        (cfn-lint, CodePipeline template configuration)
//   {"K": "V"}                                        (plain map)

export interface ParameterFile {
  parameters: Array<[string, string]>;
  /** What is wrong with the file, naming it; the scan does not start. */
  error?: string;
}

/** `shown` is the name used in messages (the file as the user wrote it). */
export function readParameterFile(file: string, shown: string = file): ParameterFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { parameters: [], error: `cannot read the parameter file ${shown}: ${e instanceof Error ? e.message : String(e)}` };
  }
  return parseParameters(data, shown);
}

/** The parameters of an already parsed parameter file. */
export function parseParameters(data: unknown, shown: string): ParameterFile {
  const bad = (what: string): ParameterFile => ({ parameters: [], error: `the parameter file ${shown}: ${what}` });
  if (Array.isArray(data)) {
    const out: Array<[string, string]> = [];
    for (const [i, p] of data.entries()) {
      if (typeof p === 'string') {
        const eq = p.indexOf('=');
        if (eq <= 0) return bad(`entry ${i + 1} ("${p}") is not Key=Value`);
        out.push([p.slice(0, eq), p.slice(eq + 1)]);
      } else if (p && typeof p === 'object' && typeof (p as Record<string, unknown>).ParameterKey === 'string') {
        const { ParameterKey, ParameterValue, UsePreviousValue } = p as Record<string, unknown>;
        // UsePreviousValue: the deployed value, which a static scan cannot know; the parameter stays unset.
        if (ParameterValue === undefined && UsePreviousValue === true) continue;
        if (ParameterValue === undefined) return bad(`entry ${i + 1} (${String(ParameterKey)}) has no ParameterValue`);
        out.push([ParameterKey as string, scalar(ParameterValue)]);
      } else {
        return bad(`entry ${i + 1} is neither {ParameterKey, ParameterValue} nor "Key=Value"`);
      }
    }
    return { parameters: out };
  }
  if (data && typeof data === 'object') {
    const map = (data as { Parameters?: unknown }).Parameters ?? data;
    if (map && typeof map === 'object' && !Array.isArray(map)) {
      return { parameters: Object.entries(map as Record<string, unknown>).map(([k, v]) => [k, scalar(v)]) };
    }
  }
  return bad('is neither a list of {ParameterKey, ParameterValue} or "Key=Value", nor a map of names to values');
}

/** Lists become CloudFormation's comma-delimited form. */
function scalar(v: unknown): string {
  return Array.isArray(v) ? v.map(String).join(',') : String(v);
}
