import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../rules/index.js';
import { loadConfig } from '../../src/config/index.js';
import { CHECK_OPTIONS, buildConfigSchema } from './config-schema.js';

const FILE = 'schemas/sgscan-config.schema.json';

describe('schemas/sgscan-config.schema.json', () => {
  it('is up to date with the check registry (UPDATE_CONFIG_SCHEMA=1 regenerates it)', () => {
    const expected = `${JSON.stringify(buildConfigSchema(ALL_CHECKS), null, 2)}\n`;
    if (process.env.UPDATE_CONFIG_SCHEMA === '1') writeFileSync(FILE, expected);
    expect(readFileSync(FILE, 'utf8')).toBe(expected);
  });

  it('documents every shipped check by id and by name, and only options of shipped checks', () => {
    const schema = JSON.parse(readFileSync(FILE, 'utf8'));
    const props = schema.properties.rules.properties;
    for (const c of ALL_CHECKS) {
      expect(props[c.meta.id], c.meta.id).toBeDefined();
      expect(props[c.meta.name], c.meta.name).toBeDefined();
    }
    const ids = new Set(ALL_CHECKS.map((c) => c.meta.id));
    expect(Object.keys(CHECK_OPTIONS).filter((id) => !ids.has(id))).toEqual([]);
    expect(Object.keys(schema.definitions['rule-SGS001'].anyOf[1].properties.options.properties)).toEqual(['ports', 'udpPorts']);
  });

  it('every option a check mentions in its description is in the table', () => {
    // Check descriptions name their options in backticks after "Option(s):".
    for (const c of ALL_CHECKS) {
      const m = /Options?:([^]*)$/.exec(c.meta.fullDescription);
      if (!m) continue;
      const named = [...m[1].matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((x) => x[1]);
      for (const name of named) expect(Object.keys(CHECK_OPTIONS[c.meta.id] ?? {}), `${c.meta.id} ${name}`).toContain(name);
    }
  });

  it('rejects an option the check does not take, at its line', () => {
    const { errors } = loadConfig('x.yml', { checks: ALL_CHECKS, text: 'rules:\n  too-many-rules:\n    options:\n      maxRule: 100\n' });
    expect(errors).toEqual([{ file: 'x.yml', line: 4, message: 'rules.too-many-rules.options.maxRule: unknown key' }]);
  });
});
