import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { FINGERPRINT_KEY, MAX_THREAD_FLOW_LOCATIONS, renderSarif } from '../../src/report/sarif.js';
import { validateSarifMultitool, validateSarifSchema } from '../helpers/sarif-validate.js';
import { EXPOSURE, EXPOSURE_SOURCES, META_EXPOSURE, exposureResult } from './fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'sgscan-sarif-paths-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const log = (text: string) => JSON.parse(text) as Sarif.Log;

describe('SARIF: reachability paths as codeFlows', () => {
  const sarif = log(renderSarif(exposureResult()));
  const run = sarif.runs[0];
  const result = run.results!.find((r) => r.ruleId === 'SGS040')!;

  it('is valid against the schema and passes the multitool', () => {
    expect(validateSarifSchema(sarif)).toEqual([]);
    const file = join(tmp, 'paths.sarif');
    writeFileSync(file, renderSarif(exposureResult()));
    expect(validateSarifMultitool(file)).toEqual([]);
  });

  it('has one codeFlow with one threadFlow, a location per step, outermost first', () => {
    expect(result.codeFlows).toHaveLength(1);
    const flow = result.codeFlows![0];
    expect(flow.message!.text).toBe('internet → aws_instance.bastion.');
    expect(flow.threadFlows).toHaveLength(1);
    const steps = flow.threadFlows[0].locations;
    expect(steps.map((s) => [s.location!.physicalLocation!.artifactLocation!.uri, s.location!.physicalLocation!.region!.startLine])).toEqual([
      ['infra/compute.tf', 3],
      ['infra/network.tf', 2],
      ['infra/network.tf', 6],
      ['infra/security.tf', 4],
    ]);
    expect(steps[1].location!.physicalLocation!.region).toEqual({ startLine: 2, endLine: 4 });
    expect(steps.map((s) => s.executionOrder)).toEqual([1, 2, 3, 4]);
    expect(steps[1].location!.message!.text).toBe('internet gateway aws_internet_gateway.main.');
  });

  it('every step points at a line that exists in its file', () => {
    for (const s of result.codeFlows![0].threadFlows[0].locations) {
      const pl = s.location!.physicalLocation!;
      const lines = EXPOSURE_SOURCES[pl.artifactLocation!.uri!];
      expect(lines, pl.artifactLocation!.uri).toBeDefined();
      expect(pl.region!.endLine ?? pl.region!.startLine).toBeLessThanOrEqual(lines.length);
    }
  });

  it('escapes link syntax in step messages so no broken [text](id) link is formed', () => {
    const last = result.codeFlows![0].threadFlows[0].locations[3].location!.message!.text;
    expect(last).toContain('\\[see "docs"\\](x)');
    // Unescaped, "[see \"docs\"](x)" would be an embedded link to a relatedLocation id that does not exist.
    expect(last).not.toMatch(/(?<!\\)\[[^\]]*\]\(/);
  });

  it('puts reachability, certainty and assumptions in the result properties', () => {
    expect(result.properties).toEqual({ 'security-severity': '9.5', reachability: 'reachable', certainty: 'definite', assumptions: [] });
    const plain = run.results!.find((r) => r.ruleId === 'SGS010')!;
    expect(plain.properties).toEqual({ 'security-severity': '2.0', certainty: 'definite', assumptions: [] });
    expect(plain.codeFlows).toBeUndefined();
  });

  it('keeps the fingerprint independent of lines and paths', () => {
    const moved = { ...EXPOSURE, line: 40, endLine: 44, path: EXPOSURE.path!.map((s) => ({ ...s, line: s.line + 10 })) };
    const other = log(renderSarif(exposureResult({ findings: [moved] }))).runs[0].results![0];
    expect(other.partialFingerprints).toEqual(result.partialFingerprints);
    expect(result.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: EXPOSURE.fingerprint });
  });

  it("takes the rule's precision from its metadata, 'high' when absent or invalid", () => {
    const rules = run.tool.driver.rules!;
    expect(rules.find((r) => r.id === 'SGS040')!.properties!.precision).toBe('very-high');
    expect(rules.find((r) => r.id === 'SGS001')!.properties!.precision).toBe('high');
    const odd = { ...META_EXPOSURE, precision: 'certain' as never };
    const r = log(renderSarif(exposureResult({ checks: [{ meta: odd, run: () => [] }] }))).runs[0].tool.driver.rules!;
    expect(r.find((x) => x.id === 'SGS040')!.properties!.precision).toBe('high');
  });

  it(`cuts a path at GitHub's display limit (${MAX_THREAD_FLOW_LOCATIONS} thread flow locations) and says so`, () => {
    const long = { ...EXPOSURE, path: Array.from({ length: MAX_THREAD_FLOW_LOCATIONS + 5 }, (_, i) => ({ file: 'infra/network.tf', line: 1 + (i % 6), message: `hop ${i}` })) };
    const r = log(renderSarif(exposureResult({ findings: [long] }))).runs[0].results![0];
    const locs = r.codeFlows![0].threadFlows[0].locations;
    expect(locs).toHaveLength(MAX_THREAD_FLOW_LOCATIONS);
    expect(locs.at(-1)!.location!.message!.text).toContain('5 further steps not shown');
  });

  it('drops steps without a usable line rather than writing an invalid region', () => {
    const broken = { ...EXPOSURE, path: [{ file: 'infra/network.tf', line: 0, message: 'nowhere' }] };
    const r = log(renderSarif(exposureResult({ findings: [broken] }))).runs[0].results![0];
    expect(r.codeFlows).toBeUndefined();
  });
});

describe('SARIF URIs relative to the repository root', () => {
  it('prefixes the path from the root to the working folder on every location, with %SRCROOT% declared', () => {
    const sarif = JSON.parse(renderSarif(exposureResult(), { pathPrefix: 'infra/' })) as Sarif.Log;
    const run = sarif.runs[0];
    expect(Object.keys(run.originalUriBaseIds!)).toEqual(['%SRCROOT%']);
    expect(run.originalUriBaseIds!['%SRCROOT%'].uri).toBeUndefined(); // no absolute path: same bytes on every checkout
    const locations = run.results!.flatMap((r) => [
      r.locations![0].physicalLocation!.artifactLocation!,
      ...(r.codeFlows ?? []).flatMap((c) => c.threadFlows[0].locations.map((l) => l.location!.physicalLocation!.artifactLocation!)),
    ]);
    expect(locations.length).toBeGreaterThan(1);
    for (const l of locations) {
      expect(l.uri).toMatch(/^infra\//);
      expect(l.uriBaseId).toBe('%SRCROOT%');
    }
    // "../" from the working folder stays inside the root when the prefix covers it.
    const up = JSON.parse(renderSarif(exposureResult({ findings: [{ ...EXPOSURE, file: '../shared/sg.tf', path: [] }] }), { pathPrefix: 'infra/prod/' }));
    expect(up.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('infra/shared/sg.tf');
  });
});
