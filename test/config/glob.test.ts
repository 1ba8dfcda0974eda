import { describe, expect, it } from 'vitest';
import { matchGlob, matchPathGlob } from '../../src/config/glob.js';

describe('glob matcher', () => {
  it('paths: * stays in one folder, ** crosses folders, ? is one character', () => {
    expect(matchPathGlob('legacy/*.tf', 'legacy/main.tf')).toBe(true);
    expect(matchPathGlob('legacy/*.tf', 'legacy/sub/main.tf')).toBe(false);
    expect(matchPathGlob('legacy/**', 'legacy/sub/deep/main.tf')).toBe(true);
    expect(matchPathGlob('**/legacy/*.tf', 'legacy/main.tf')).toBe(true);
    expect(matchPathGlob('**/legacy/*.tf', 'a/b/legacy/main.tf')).toBe(true);
    expect(matchPathGlob('stack-?.yaml', 'cfn/stack-1.yaml')).toBe(true);
    expect(matchPathGlob('stack-?.yaml', 'cfn/stack-12.yaml')).toBe(false);
    expect(matchPathGlob('./legacy/main.tf', 'legacy/main.tf')).toBe(true);
  });

  it('paths: a pattern without "/" matches the file name in any folder', () => {
    expect(matchPathGlob('*.tf', 'modules/sg/main.tf')).toBe(true);
    expect(matchPathGlob('*.tf', 'modules/sg/main.tf.json')).toBe(false);
  });

  it('resources: * matches across dots, brackets are literal', () => {
    expect(matchGlob('module.web.*', 'module.web.aws_security_group.this[0]', { paths: false })).toBe(true);
    expect(matchGlob('aws_security_group.this[0]', 'aws_security_group.this[0]', { paths: false })).toBe(true);
    expect(matchGlob('aws_security_group.this[0]', 'aws_security_group.this0', { paths: false })).toBe(false);
    expect(matchGlob('aws_security_group.web', 'aws_security_group_web', { paths: false })).toBe(false);
    expect(matchGlob('*SG', 'BastionSG', { paths: false })).toBe(true);
  });
});
