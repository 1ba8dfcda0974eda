import { describe, expect, it } from 'vitest';
import { check as internet } from '../../rules/reachability/internet-exposure.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { buildModel } from '../../src/pipeline/scan.js';

// An instance and the network interface it is launched with are one server: one SGS040 for one
// exposure, on the instance, with the interface's Elastic IP (issue 14: 3 repeated findings in the corpus).

const DIR = 'fixtures/endpoints/instance-eni';

describe.each([
  ['terraform', `${DIR}/main.tf`, 'aws_instance.server', 57],
  ['cloudformation', `${DIR}/template.yaml`, 'Server', 60],
])('instance with its own ENI (%s)', (_format, file, id, line) => {
  it('one definite critical finding, on the instance', async () => {
    const model = await buildModel({ paths: [DIR], cwd: process.cwd() });
    const mine = runChecks(model, [internet]).filter((f) => f.file === file);
    expect(mine.map((f) => [f.resource, f.line, f.certainty, f.severity])).toEqual([[id, line, 'definite', 'critical']]);
  });
});
