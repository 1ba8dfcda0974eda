import { describe, expect, it } from 'vitest';
import { check as internet } from '../../rules/reachability/internet-exposure.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { buildModel } from '../../src/pipeline/scan.js';

// An endpoint whose own security groups are not known (a variable, a parameter): what reaches it
// depends on groups the scan cannot see. One finding, "possibly", medium at most, naming what is not
// known; never a definite or high "all traffic, including FTP, SSH, Telnet" (issue 14, ~57 corpus findings).

const DIR = 'fixtures/endpoints/unknown-groups';

describe.each([
  ['terraform', `${DIR}/main.tf`, 'aws_instance.web', 38, 'var.security_group_ids'],
  ['cloudformation', `${DIR}/template.yaml`, 'Web', 39, 'parameter SecurityGroupIds'],
])('groups not known (%s)', (_format, file, id, line, what) => {
  it('one possible finding, medium at most, naming the unknown groups', async () => {
    const model = await buildModel({ paths: [DIR], cwd: process.cwd() });
    const mine = runChecks(model, [internet]).filter((f) => f.file === file);
    expect(mine.map((f) => [f.resource, f.line, f.certainty, f.severity])).toEqual([[id, line, 'possible', 'medium']]);
    expect(mine[0].message).toContain(`if its security groups (${what}) admit`);
    expect(mine[0].message).not.toMatch(/FTP|Telnet|has no value/);
  });
});
