import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { runChecks } from '../../../src/pipeline/runner.js';
import { OUTPUT_RESOURCE_TYPE } from '../../../src/model/model.js';
import { ResourceRef, Unknown } from '../../../src/model/value.js';
import { buildNetwork } from '../../../src/network/build.js';
import { scanTerraformPlan } from '../../../src/input/terraform/index.js';
import { scanFixture } from './helpers.js';

// fixtures/terraform/attachments: resource types outside the fixed list that attach groups,
// attributes known only after apply, and groups exported through root module outputs.

const FILE = 'fixtures/terraform/attachments/main.tf';

describe('resources that attach security groups, whatever their type', () => {
  it('keeps them with their nested-block lines and builds endpoints of kind other', async () => {
    const m = await scanFixture('attachments');
    expect(m.errors).toEqual([]);
    const msk = m.resources.find((r) => r.address === 'aws_msk_cluster.events')!;
    expect(msk.attributeLines).toMatchObject({ broker_node_group_info: 59, 'broker_node_group_info[0]': 59, 'broker_node_group_info[0].security_groups': 62 });
    const n = buildNetwork(m);
    const ep = Object.fromEntries(n.endpoints.map((e) => [e.id, e]));
    expect(Object.keys(ep).sort()).toEqual(['aws_efs_mount_target.a', 'aws_instance.app', 'aws_msk_cluster.events', 'aws_opensearch_domain.logs', 'aws_redshift_cluster.dw']);
    expect(ep['aws_efs_mount_target.a']).toMatchObject({
      kind: 'other',
      securityGroups: [new ResourceRef('aws_security_group.efs', 'id')],
      securityGroupsLine: 47,
      subnets: ['aws_subnet.a'],
      vpc: 'aws_vpc.main',
      usesDefaultGroup: false,
      publicIp: { value: false },
    });
    expect(ep['aws_msk_cluster.events']).toMatchObject({ kind: 'other', securityGroups: [new ResourceRef('aws_security_group.kafka', 'id')], securityGroupsLine: 62, subnets: ['aws_subnet.a'] });
    expect(ep['aws_msk_cluster.events'].publicIp.value).toBeInstanceOf(Unknown);
    expect(ep['aws_opensearch_domain.logs']).toMatchObject({ securityGroupsLine: 75, subnets: ['aws_subnet.a'], publicIp: { value: false } });
    expect(ep['aws_redshift_cluster.dw'].publicIp).toEqual({ value: true, reason: 'publicly_accessible = true', line: 86 });
  });

  it('reads VPC CIDR associations and internet gateway attachments', async () => {
    const n = buildNetwork(await scanFixture('attachments'));
    const vpc = n.vpcs[0];
    expect(vpc.cidrs.ipv4).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
    expect(vpc.internetGateways).toEqual(['aws_internet_gateway.gw']);
  });
});

describe('attributes known only after apply', () => {
  it('are Unknown with the attribute named, not "no attribute"', async () => {
    const m = await scanFixture('attachments');
    const subnet = m.resources.find((r) => r.address === 'aws_subnet.a')!;
    expect(subnet.attributes.ipv6_cidr_block).toEqual(new Unknown('aws_vpc.main.ipv6_cidr_block is known only after apply'));
    const rule = m.rules.find((r) => r.group === 'aws_security_group.efs')!;
    // private_ip is kept as a reference (an IP-type target group names an instance by it); in a string it is an apply-time value.
    expect(rule.peer).toEqual({ kind: 'unknown', unknown: new Unknown('aws_instance.app.private_ip is only known after apply') });
    // Configured attributes keep their values; identities stay references.
    expect(m.resources.find((r) => r.address === 'aws_instance.app')!.attributes.subnet_id).toEqual(new ResourceRef('aws_subnet.a', 'id'));
  });
});

describe('groups exported through root module outputs', () => {
  it('records outputs that name groups, and only those', async () => {
    const m = await scanFixture('attachments');
    const outputs = m.resources.filter((r) => r.resourceType === OUTPUT_RESOURCE_TYPE);
    expect(outputs).toEqual([
      {
        address: 'output.exported_sg_id',
        format: 'terraform',
        resourceType: 'output',
        location: { file: FILE, line: 102, endLine: 104 },
        via: [],
        attributes: { value: new ResourceRef('aws_security_group.exported', 'id') },
        attributeLines: { value: 103 },
        metadata: {},
      },
    ]);
  });

  it('SGS022 reports only the group nothing uses (not exported, EFS, MSK, OpenSearch or Redshift ones)', async () => {
    const m = await scanFixture('attachments');
    const f = runChecks(m, ALL_CHECKS).filter((x) => x.ruleId === 'SGS022');
    expect(f.map((x) => [x.resource, x.line])).toEqual([['aws_security_group.unused', 94]]);
  });

  it('reads them from plan JSON too (configuration references)', async () => {
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            { address: 'aws_security_group.exported', mode: 'managed', type: 'aws_security_group', name: 'exported', values: { name: 'exported', description: 'd', ingress: [], egress: [] } },
            { address: 'aws_efs_mount_target.a', mode: 'managed', type: 'aws_efs_mount_target', name: 'a', values: { file_system_id: 'fs-1', subnet_id: 'subnet-1' } },
          ],
        },
      },
      resource_changes: [
        { address: 'aws_efs_mount_target.a', change: { actions: ['create'], after_unknown: { security_groups: true } } },
      ],
      configuration: {
        root_module: {
          resources: [
            { address: 'aws_efs_mount_target.a', mode: 'managed', type: 'aws_efs_mount_target', name: 'a', expressions: { security_groups: { references: ['aws_security_group.efs.id', 'aws_security_group.efs'] } } },
          ],
          outputs: { sg: { expression: { references: ['aws_security_group.exported.id', 'aws_security_group.exported'] } } },
        },
      },
    };
    const text = JSON.stringify(plan, null, 2);
    const m = await scanTerraformPlan({ abs: '/nonexistent/plan.json', path: 'p/plan.json' }, text);
    expect(m.errors).toEqual([]);
    const out = m.resources.find((r) => r.address === 'output.sg')!;
    expect(out.resourceType).toBe('output');
    expect(out.attributes.value).toEqual([new ResourceRef('aws_security_group.exported', 'id'), new ResourceRef('aws_security_group.exported', 'id')]);
    expect(text.split('\n')[out.location.line - 1]).toContain('"sg"');
    // The mount target names its groups only in the configuration: still kept.
    expect(m.resources.map((r) => r.address)).toContain('aws_efs_mount_target.a');
  });
});
