import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sharedPath } from '../../helpers/shared.js';
import { describe, expect, it } from 'vitest';
import type { Model, Rule } from '../../../src/model/model.js';
import { describePeer } from '../../../src/model/peer.js';
import { describePorts } from '../../../src/model/ports.js';
import { protocolName } from '../../../src/model/protocol.js';
import { Unknown } from '../../../src/model/value.js';
import { scanTerraformModule } from '../../../src/input/terraform/index.js';
import { folderFiles } from './helpers.js';

// terraform-aws-modules/security-group: every example must expand into concrete rules. What stays
// unknown must be unknowable before apply (data sources, a registry module that is not installed,
// an id created at apply time). Expectations are written from the module's rules.tf and the examples.

const EX = path.relative(process.cwd(), sharedPath('corpus', 'terraform', 'terraform-aws-modules__terraform-aws-security-group', 'examples'));
const examples = readdirSync(EX).filter((e) => !e.startsWith('_')).sort();

async function scanExample(name: string): Promise<Model> {
  const dir = `${EX}/${name}`;
  return scanTerraformModule(dir, folderFiles(dir));
}

/** Why parts of rules are unknown, with the details that differ per rule cut out. */
function unknownReasons(m: Model): string[] {
  const out = new Set<string>();
  const add = (u: Unknown) => u.reasons.forEach((r) => out.add(r));
  for (const r of m.rules) {
    if (r.peer.kind === 'unknown') add(r.peer.unknown);
    // A group or prefix list whose id is not known (still a group, not addresses).
    if ((r.peer.kind === 'securityGroup' || r.peer.kind === 'prefixList') && r.peer.ref instanceof Unknown) add(r.peer.ref);
    if (r.protocol instanceof Unknown) add(r.protocol);
    if (r.ports.kind === 'unknown') add(r.ports.unknown);
    if (r.condition) add(r.condition);
  }
  for (const g of m.groups) if (g.condition) add(g.condition);
  return [...out].sort();
}

const line = (r: Rule) => `${r.direction} ${protocolName(r.protocol)} ${describePorts(r.ports)} ${describePeer(r.peer)}`;
const rulesOf = (m: Model, group: string) => m.rules.filter((r) => r.group === group).map(line).sort();

const NOT_INSTALLED = 'module.vpc is not scanned (its source "terraform-aws-modules/vpc/aws" is not a local path and was not installed by terraform init)';

describe('terraform-aws-modules security-group examples', () => {
  it('has the examples', () => {
    expect(examples).toEqual(['complete', 'computed', 'disabled', 'dynamic', 'http', 'rules-only']);
  });

  const expectedUnknowns: Record<string, string[]> = {
    complete: [
      'aws_ec2_managed_prefix_list.prefix_list_sg_example.id is only known after apply',
      'data source data.aws_security_group.default is read at apply time',
      // AWS-managed prefix lists looked up by name are references (the network model reads them);
      // join() over their ids is known only after apply, as over any resource's id.
      'data.aws_prefix_list.s3.id is only known after apply',
      NOT_INSTALLED,
    ],
    computed: ['data source data.aws_security_group.default is read at apply time'],
    disabled: [],
    dynamic: ['data source data.aws_security_group.default is read at apply time'],
    http: ['data source data.aws_vpc.default is read at apply time'],
    'rules-only': [],
  };

  for (const name of examples) {
    it(`${name}: expands every group; only apply-time values stay unknown`, async () => {
      const m = await scanExample(name);
      expect(m.errors).toEqual([]);
      expect(unknownReasons(m)).toEqual(expectedUnknowns[name]);
      expect(m.rules.filter((r) => r.peer.kind === 'invalid').map(line)).toEqual([]);
      expect(m.groups.filter((g) => g.condition)).toEqual([]);
      if (name === 'disabled') expect(m.groups).toEqual([]); // create = false everywhere
      else for (const g of m.groups) expect(m.rules.some((r) => r.group === g.address), g.address).toBe(true);
    });
  }

  it('complete/main_sg: ingress_rules = ["https-443-tcp"] from ingress_cidr_blocks, no egress', async () => {
    const m = await scanExample('complete');
    expect(rulesOf(m, 'module.main_sg.aws_security_group.this_name_prefix[0]')).toEqual(['ingress tcp port 443 10.10.0.0/16']);
  });

  it('complete/complete_sg: cidr, ipv6, rule-name and self rules as rules.tf defines them', async () => {
    const m = await scanExample('complete');
    const got = rulesOf(m, 'module.complete_sg.aws_security_group.this_name_prefix[0]');
    const sg = 'module.main_sg.aws_security_group.this_name_prefix[0]';
    for (const want of [
      // ingress_rules = ["https-443-tcp"] x ingress_cidr_blocks and ingress_ipv6_cidr_blocks
      'ingress tcp port 443 10.10.0.0/16',
      'ingress tcp port 443 2001:db8::/64',
      // computed_ingress_rules = ["ssh-tcp"]
      'ingress tcp port 22 10.10.0.0/16',
      // ingress_with_cidr_blocks: "postgresql-tcp" with "0.0.0.0/0,2.2.2.2/32", then "30.30.30.30/32", then 10-20/6
      'ingress tcp port 5432 0.0.0.0/0',
      'ingress tcp port 5432 2.2.2.2/32',
      'ingress tcp port 5432 30.30.30.30/32',
      'ingress tcp ports 10-20 10.10.0.0/20',
      'ingress tcp ports 300-400 2001:db8::/64',
      // ingress_with_self: "all-all" and two port ranges with self = true (strings in list(map(string)))
      'ingress all all ports members of the same group (self)',
      'ingress tcp ports 30-40 members of the same group (self)',
      'ingress tcp ports 41-51 members of the same group (self)',
      // computed_ingress_with_source_security_group_id: "postgresql-tcp" from main_sg
      `ingress tcp port 5432 members of ${sg}`,
      'egress tcp port 80 10.10.0.0/16',
      'egress tcp port 443 30.30.30.30/32',
    ]) {
      expect(got).toContain(want);
    }
    // The VPC CIDR comes from a registry module that is not installed: unknown, not guessed.
    expect(got).toContain(`ingress tcp port 5432 a source that is not known (${NOT_INSTALLED})`);
  });

  it('http: the http-80 submodule opens tcp/80 to the world, self all-all, egress all-all', async () => {
    const m = await scanExample('http');
    expect(rulesOf(m, 'module.http_sg.module.sg.aws_security_group.this_name_prefix[0]')).toEqual([
      'egress all all ports 0.0.0.0/0',
      'egress all all ports ::/0',
      'ingress all all ports members of the same group (self)',
      'ingress tcp port 80 0.0.0.0/0',
    ]);
  });

  it('rules-only: rules attached to groups made outside the module', async () => {
    const m = await scanExample('rules-only');
    expect(m.rules.map((r) => `${r.group} ${line(r)}`).sort()).toEqual([
      'aws_security_group.service_one ingress tcp port 80 members of aws_security_group.service_two',
      'aws_security_group.service_two ingress tcp port 80 members of aws_security_group.service_one',
    ]);
  });
});
