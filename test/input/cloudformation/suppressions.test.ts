import { describe, expect, it } from 'vitest';
import { parseCloudFormationDirectives } from '../../../src/input/cloudformation/suppressions.js';
import { brief, scanAndSuppress } from '../../pipeline/suppress/helpers.js';

const YAML = 'fixtures/suppress/cloudformation/template.yaml';
const JSON_TEMPLATE = 'fixtures/suppress/cloudformation/template.json';

describe('inline suppressions in CloudFormation Metadata', () => {
  it('suppress the resource\'s findings by id or name; entries elsewhere do not leak', async () => {
    const { findings } = await scanAndSuppress([YAML], undefined);
    expect(findings.map(brief)).toEqual([
      'SGS001 cloudformation/template.yaml:17 BastionSG [inline@9: Bastion host, reached through the VPN only]',
      'SGS005 cloudformation/template.yaml:17 BastionSG [inline@11: Same bastion]',
      'SGS001 cloudformation/template.yaml:37 WebSG',
      'SGS005 cloudformation/template.yaml:37 WebSG',
    ]);
  });

  it('warns about entries without id or reason, unknown ids and unmatched ids, at the entry line', async () => {
    const { warnings } = await scanAndSuppress([YAML], undefined);
    expect(warnings).toEqual([
      { file: YAML, line: 27, message: expect.stringMatching(/^Metadata\.sgscan\.ignore entry SGS001 of WebSG has no reason/) },
      { file: YAML, line: 28, message: expect.stringMatching(/^Metadata\.sgscan\.ignore entry of WebSG has no id/) },
      { file: YAML, line: 29, message: 'Metadata.sgscan.ignore names unknown check "SGS999" (`sgscan rules` lists them)' },
      { file: YAML, line: 31, message: 'Metadata.sgscan.ignore SGS002 matched no finding; remove it if the finding is gone' },
    ]);
  });

  it('reads JSON templates too, and reports an ignore that is not a list', async () => {
    const { findings, warnings } = await scanAndSuppress([JSON_TEMPLATE], undefined);
    expect(findings.map(brief)).toEqual([
      'SGS004 cloudformation/template.json:10 DbSG [inline@5: Read replica for the analytics vendor]',
      'SGS005 cloudformation/template.json:10 DbSG',
    ]);
    expect(warnings).toEqual([
      { file: JSON_TEMPLATE, line: 16, message: expect.stringMatching(/^Metadata\.sgscan of Broken needs an ignore list/) },
    ]);
  });

  it('inline: false ignores Metadata entries and their problems', async () => {
    const { findings, warnings } = await scanAndSuppress([YAML, JSON_TEMPLATE], undefined, { inline: false });
    expect(findings.filter((f) => f.suppression)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('tolerates templates it cannot parse and tags it does not know', () => {
    expect(parseCloudFormationDirectives('x.yaml', 'Resources: [sgscan\n')).toEqual({ directives: [], problems: [] });
    const text = 'Resources:\n  A:\n    Metadata:\n      sgscan:\n        ignore:\n          - {id: SGS001, reason: ok}\n    Properties:\n      GroupId: !Ref B\n';
    expect(parseCloudFormationDirectives('x.yaml', text)).toEqual({
      directives: [{ file: 'x.yaml', line: 6, resource: 'A', rules: ['SGS001'], reason: 'ok' }],
      problems: [],
    });
  });
});
