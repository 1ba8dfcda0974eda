import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check as sgs022 } from '../../rules/attachment/unattached-security-group.js';
import { attachmentPaths, attachmentTypes, groupValues } from '../../src/model/attachments.js';
import { ResourceRef } from '../../src/model/value.js';
import { refersTo, refsIn } from '../../src/network/query.js';
import { scan, buildModel } from '../../src/pipeline/scan.js';
import { sharedPath } from '../helpers/shared.js';

const ROOT = path.resolve(__dirname, '../..');
const TABLES = ['data/terraform-attachments.json', 'data/cloudformation-attachments.json'];

function sortedJson(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])])) : x;
  return `${JSON.stringify(sort(v), null, 2)}\n`;
}

describe('the schema-derived attachment tables', () => {
  it.each(TABLES)('%s is sorted, deterministic JSON with a group path for every type', (file) => {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const doc = JSON.parse(text) as { resources: Record<string, { securityGroups: string[]; subnets: string[]; publicAddress: string[] }> };
    expect(text).toBe(sortedJson(doc));
    for (const [type, paths] of Object.entries(doc.resources)) {
      expect(paths.securityGroups.length, type).toBeGreaterThan(0);
      for (const list of Object.values(paths)) expect(list, type).toEqual([...new Set(list)].sort());
    }
  });

  it('knows the resources of issue 18 and the classic ones, from both schemas', () => {
    expect(attachmentPaths('aws_emr_cluster')?.securityGroups).toContain('ec2_attributes.emr_managed_master_security_group');
    expect(attachmentPaths('aws_emr_studio')?.securityGroups).toEqual(['engine_security_group_id', 'workspace_security_group_id']);
    expect(attachmentPaths('aws_opensearch_domain')?.securityGroups).toEqual(['vpc_options.security_group_ids']);
    expect(attachmentPaths('aws_instance')?.securityGroups).toEqual(['security_groups', 'vpc_security_group_ids']);
    expect(attachmentPaths('AWS::EMR::Cluster')?.securityGroups).toContain('Instances.EmrManagedMasterSecurityGroup');
    expect(attachmentPaths('AWS::EC2::NetworkInterface')?.securityGroups).toEqual(['GroupSet']);
    expect(attachmentPaths('AWS::OpenSearchService::Domain')?.subnets).toEqual(['VPCOptions.SubnetIds']);
    // Group definitions and rules name groups as owners and peers, never as attachments; flags are no ids.
    for (const t of ['aws_security_group', 'aws_security_group_rule', 'AWS::EC2::SecurityGroupIngress', 'AWS::IAM::User', 'aws_opsworks_stack']) expect(attachmentPaths(t), t).toBeUndefined();
    expect(attachmentTypes().length).toBeGreaterThan(240);
  });

  // Regenerating needs the installed provider and cfn-lint; where they are, the committed tables must be what the scripts make.
  const haveTerraform = existsSync('/opt/tf-plugins') && spawnable('terraform', ['version']);
  it.skipIf(!haveTerraform)('data/terraform-attachments.json is what scripts/schemas/terraform-attachments.mjs derives', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'sgscan-schema-')), 'tf.json');
    try {
      execFileSync('node', [path.join(ROOT, 'scripts/schemas/terraform-attachments.mjs'), '--out', out], { stdio: 'ignore', timeout: 120_000 });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(ROOT, TABLES[0]), 'utf8'));
    } finally {
      rmSync(path.dirname(out), { recursive: true, force: true });
    }
  }, 150_000);
  const haveCfnLint = spawnable('python3', ['-c', 'import cfnlint']);
  it.skipIf(!haveCfnLint)('data/cloudformation-attachments.json is what scripts/schemas/cloudformation-attachments.mjs derives', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'sgscan-schema-')), 'cfn.json');
    try {
      execFileSync('node', [path.join(ROOT, 'scripts/schemas/cloudformation-attachments.mjs'), '--out', out], { stdio: 'ignore', timeout: 120_000 });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(ROOT, TABLES[1]), 'utf8'));
    } finally {
      rmSync(path.dirname(out), { recursive: true, force: true });
    }
  }, 150_000);
});

function corpusFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) corpusFiles(p, out);
    else if (/\.(tf|ya?ml|json|template)$/.test(e.name) && !e.name.endsWith('plan.out.json')) out.push(p);
  }
  return out;
}

function spawnable(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

describe('the corpus: no group that a schema attachment attribute names is called unattached', () => {
  it('every SGS022 finding names a group no resource attaches through its schema paths', async () => {
    const corpus = sharedPath('corpus');
    const opts = { paths: [corpus], cwd: ROOT, version: 'test' };
    const model = await buildModel(opts);
    const { result } = await scan({ ...opts, checks: [sgs022] });
    const attachedBy = (scope: string | undefined, address: string, name: unknown) =>
      model.resources
        .filter((r) => r.scope === scope)
        .filter((r) =>
          groupValues(r).some((f) => refsIn(f.value).some((ref: ResourceRef) => refersTo(ref.address, address)) || (typeof name === 'string' && JSON.stringify(f.value).includes(JSON.stringify(name)))),
        )
        .map((r) => r.address);
    const wrong: string[] = [];
    for (const f of result.findings) {
      const g = model.groups.find((x) => x.address === f.resource && path.relative(ROOT, path.resolve(ROOT, x.location.file)) === path.relative(ROOT, path.resolve(ROOT, f.file)));
      expect(g, `${f.file}: ${f.resource}`).toBeDefined();
      const by = attachedBy(g?.scope, f.resource, g?.name);
      if (by.length) wrong.push(`${f.file}:${f.line} ${f.resource} is attached by ${by.join(', ')}`);
    }
    expect(wrong).toEqual([]);
    // Every schema-listed type written in the corpus reaches the model (main dropped aws_emr_studio,
    // AWS::EMR::Cluster, ... unless they used one of three attribute names, so their groups looked unattached).
    const written = new Set<string>();
    for (const file of corpusFiles(corpus)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/resource\s+"(aws_[a-z0-9_]+)"|Type:\s*["']?((?:AWS)::[A-Za-z0-9]+::[A-Za-z0-9]+)/g)) {
        const type = m[1] ?? m[2];
        if (attachmentPaths(type)) written.add(type);
      }
    }
    const modelled = new Set(model.resources.map((r) => r.resourceType));
    expect([...written].filter((t) => !modelled.has(t)).sort()).toEqual([]);
    expect(written.has('aws_emr_studio') && written.has('AWS::EMR::Cluster')).toBe(true);
    // The corpus has EMR, MSK and other schema-listed resources: the test looks at them.
    expect(model.resources.filter((r) => groupValues(r).length > 0 && !['aws_instance', 'AWS::EC2::Instance'].includes(r.resourceType)).length).toBeGreaterThan(50);
  }, 120_000);
});
