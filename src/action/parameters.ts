import { readFileSync } from 'node:fs';

// CloudFormation parameter files, in the shapes people already keep them in:
//   [{"ParameterKey": "K", "ParameterValue": "V"}]   (aws cloudformation … --parameters file://)
//   {"Parameters": {"K": "V"}}                        (CodePipeline template configuration)
//   {"K": "V"}                                        (plain map)

export function readParameterFile(file: string): { parameters: Array<[string, string]>; error?: string } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { parameters: [], error: `cannot read the parameter file ${file}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (Array.isArray(data)) {
    const out: Array<[string, string]> = [];
    for (const p of data as Array<Record<string, unknown>>) {
      if (p && typeof p.ParameterKey === 'string' && p.ParameterValue !== undefined) out.push([p.ParameterKey, scalar(p.ParameterValue)]);
    }
    return { parameters: out };
  }
  if (data && typeof data === 'object') {
    const map = (data as { Parameters?: unknown }).Parameters ?? data;
    if (map && typeof map === 'object' && !Array.isArray(map)) {
      return { parameters: Object.entries(map as Record<string, unknown>).map(([k, v]) => [k, scalar(v)]) };
    }
  }
  return { parameters: [], error: `the parameter file ${file} is neither a list of {ParameterKey, ParameterValue} nor a map of names to values` };
}

/** Lists become CloudFormation's comma-delimited form. */
function scalar(v: unknown): string {
  return Array.isArray(v) ? v.map(String).join(',') : String(v);
}
