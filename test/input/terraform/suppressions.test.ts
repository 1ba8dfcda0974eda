import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { directiveLines, parseDirectiveText, typeAndName } from '../../../src/input/terraform/suppressions.js';
import { CHECKS, brief, scanAndSuppress } from '../../pipeline/suppress/helpers.js';
import { ALL_CHECKS } from '../../../rules/index.js';

const MAIN = 'fixtures/suppress/terraform/main.tf';
const WARN = 'fixtures/suppress/terraform/warnings.tf';

describe('inline suppressions in Terraform', () => {
  it('apply on the finding line, above its block and above its resource; a blank line breaks "directly above"', async () => {
    const { findings } = await scanAndSuppress([MAIN], undefined);
    expect(findings.map(brief)).toEqual([
      'SGS001 terraform/main.tf:4 aws_security_group.on_line [inline@4: bastion, reached through the VPN only]',
      'SGS005 terraform/main.tf:4 aws_security_group.on_line',
      'SGS001 terraform/main.tf:17 aws_security_group.above_block [inline@16: jump host]',
      'SGS005 terraform/main.tf:17 aws_security_group.above_block [inline@16: jump host]',
      'SGS001 terraform/main.tf:30 aws_security_group.above_resource [inline@26: legacy group, replaced in Q3]',
      'SGS005 terraform/main.tf:30 aws_security_group.above_resource',
      'SGS001 terraform/main.tf:43 aws_security_group.not_suppressed',
      'SGS005 terraform/main.tf:43 aws_security_group.not_suppressed',
    ]);
    expect(findings[0].suppression).toEqual({
      kind: 'inline',
      reason: 'bastion, reached through the VPN only',
      file: MAIN,
      line: 4,
    });
  });

  it('warns about malformed, unknown and unmatched directives, each at its line', async () => {
    const { warnings } = await scanAndSuppress([MAIN, WARN], undefined);
    expect(warnings).toEqual([
      { file: MAIN, line: 39, message: 'sgscan:ignore SGS001 matched no finding; remove it if the finding is gone' },
      { file: WARN, line: 3, message: expect.stringMatching(/^sgscan:ignore without a rule id is not applied/) },
      { file: WARN, line: 4, message: expect.stringMatching(/^sgscan:ignore SGS001 has no reason and is not applied/) },
      { file: WARN, line: 5, message: 'sgscan:ignore names unknown check "SGS999" (`sgscan rules` lists them)' },
      { file: WARN, line: 6, message: 'sgscan:ignore SGS002 matched no finding; remove it if the finding is gone' },
    ]);
  });

  it('inline: false (--no-inline-suppressions) ignores directives and says nothing about them', async () => {
    const { findings, warnings } = await scanAndSuppress([MAIN, WARN], undefined, { inline: false });
    expect(findings.length).toBe(8);
    expect(findings.filter((f) => f.suppression)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('inlineSuppressions: false in the configuration does the same', async () => {
    const { config } = loadConfig('x.yml', { checks: ALL_CHECKS, text: 'inlineSuppressions: false\n' });
    const { findings, warnings } = await scanAndSuppress([MAIN, WARN], config);
    expect(findings.filter((f) => f.suppression)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('a disabled check named in a directive is neither unknown nor unmatched', async () => {
    const checks = CHECKS.filter((c) => c.meta.id !== 'SGS002');
    const { warnings } = await scanAndSuppress([WARN], undefined, { checks });
    expect(warnings.map((w) => w.line)).toEqual([3, 4, 5]);
  });
});

describe('directive parsing', () => {
  it('reads ids, names and the reason after optional separators', () => {
    expect(parseDirectiveText(' SGS001 reason here')).toEqual({ rules: ['SGS001'], reason: 'reason here' });
    expect(parseDirectiveText(' SGS001, port-open-to-world -- jump host')).toEqual({ rules: ['SGS001', 'port-open-to-world'], reason: 'jump host' });
    expect(parseDirectiveText(' SGS001: because')).toEqual({ rules: ['SGS001'], reason: 'because' });
    expect(parseDirectiveText(' SGS001')).toEqual({ rules: ['SGS001'], reason: '' });
    expect(parseDirectiveText('')).toEqual({ rules: [], reason: '' });
    expect(parseDirectiveText(' -- only a reason')).toEqual({ rules: [], reason: '' });
  });

  it('finds the enclosing resource by its type and name, through module prefixes and indexes', () => {
    expect(typeAndName('module.a["x.y"].module.b.aws_security_group.this[0]')).toEqual({ type: 'aws_security_group', name: 'this' });
    const lines = [
      '// sgscan:ignore SGS001 r', // 1
      'resource "aws_security_group" "this" {', // 2
      '  ingress {', // 3
      '  }', // 4
      '}', // 5
    ];
    expect(directiveLines(lines, 3, 'module.m.aws_security_group.this[0]')).toEqual([3, 2, 1]);
    expect(directiveLines(lines, 9, 'aws_security_group.this')).toEqual([]);
  });
});
