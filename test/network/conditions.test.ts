import { describe, expect, it } from 'vitest';
import { check as internet } from '../../rules/reachability/internet-exposure.js';
import { runChecks } from '../../src/pipeline/runner.js';
import { buildModel } from '../../src/pipeline/scan.js';

// A possible exposure says what it depends on as a reviewer would: "if parameter SubnetId names a
// public subnet", not "assuming a subnet of X is not known (parameter SubnetId has no value); ...;
// the route ... is not known (no subnet); the network ACL ... is not known" (issue 14, messages).

const DIR = 'fixtures/endpoints/unknown-subnet';

describe.each([
  ['terraform', `${DIR}/main.tf`, 'aws_instance.bastion', 28, 'var.subnet_id'],
  ['cloudformation', `${DIR}/template.yaml`, 'Bastion', 20, 'parameter SubnetId'],
])('a subnet that is not known (%s)', (_format, file, id, line, what) => {
  it('the condition in words, no internal phrases, no unknown stated as a fact in the path', async () => {
    const model = await buildModel({ paths: [DIR], cwd: process.cwd() });
    const [f, ...rest] = runChecks(model, [internet]).filter((x) => x.file === file);
    expect(rest).toEqual([]);
    expect([f.resource, f.line, f.certainty]).toEqual([id, line, 'possible']);
    expect(f.message).toMatch(new RegExp(`^${id.replace('.', '\\.')} may be reachable from the internet on tcp/22 \\(SSH\\), if ${what} names a public subnet: `));
    expect(f.message).not.toMatch(/assuming|has no value|is not known \(no subnet\)|the subnet is not known/);
    expect(f.path?.[0].message).toMatch(new RegExp(`^${id.replace('.', '\\.')} may have a public IPv4 address`));
  });
});
