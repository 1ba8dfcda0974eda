import { describe, expect, it } from 'vitest';
import { rootVariables } from '../../../src/input/terraform/variables.js';

const EXTRA = 'fixtures/terraform/variables/extra.tfvars';

describe('--var and --var-file in command-line order', () => {
  it('a later argument wins, whichever kind it is', async () => {
    const varThenFile = await rootVariables([], { varArgs: [{ kind: 'var', value: 'from_cli=1.1.1.1/32' }, { kind: 'file', value: EXTRA }] });
    expect(varThenFile.values.get('from_cli')).toBe('10.50.0.0/16');
    const fileThenVar = await rootVariables([], { varArgs: [{ kind: 'file', value: EXTRA }, { kind: 'var', value: 'from_cli=1.1.1.1/32' }] });
    expect(fileThenVar.values.get('from_cli')).toBe('1.1.1.1/32');
    expect(fileThenVar.files).toEqual([EXTRA]);
  });

  it('varArgs replaces the separate lists; a value may hold "=" and HCL', async () => {
    const r = await rootVariables([], {
      varFiles: [EXTRA],
      vars: [['from_cli', '9.9.9.9/32']],
      varArgs: [{ kind: 'var', value: 'tags={ a = "x=y" }' }],
    });
    expect(Object.fromEntries(r.values)).toEqual({ tags: { a: 'x=y' } });
  });

  it('the separate lists still work: files first, then vars', async () => {
    const r = await rootVariables([], { varFiles: [EXTRA], vars: [['from_cli', '1.1.1.1/32']] });
    expect(r.values.get('from_cli')).toBe('1.1.1.1/32');
  });

  it('a --var without NAME= is an error, and the rest still applies', async () => {
    const r = await rootVariables([], { varArgs: [{ kind: 'var', value: 'oops' }, { kind: 'var', value: 'a=1' }] });
    expect(r.errors).toEqual([{ file: '--var', message: '--var "oops" is not NAME=VALUE' }]);
    expect(r.values.get('a')).toBe(1);
  });
});
