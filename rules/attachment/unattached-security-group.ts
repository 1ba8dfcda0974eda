import type { Check, Report } from '../../src/model/check.js';
import type { Model } from '../../src/model/model.js';
import { groupValues } from '../../src/model/attachments.js';
import { ResourceRef, onlyIf } from '../../src/model/value.js';
import { baseAddress, partitionModel, refsIn, scopeOf } from '../../src/network/query.js';
import { networkOf } from '../kit/network.js';

export const check: Check = {
  meta: {
    id: 'SGS022',
    name: 'unattached-security-group',
    severity: 'info',
    shortDescription: 'Security group attached to nothing the scan can see',
    fullDescription:
      'A security group is defined but no resource in the scan attaches it and no rule names it as a peer. ' +
      'Unused groups accumulate rules nobody reviews and are easy to attach by mistake later. Reported only ' +
      'where attachments are visible: the same CloudFormation template, or the same Terraform module instance, ' +
      'must contain at least one resource that attaches security groups, and nothing anywhere in the scan may ' +
      'reference the group (attributes of any resource, rule peers). Every attribute that the AWS provider\'s or ' +
      'CloudFormation\'s resource schemas say takes security groups counts as an attachment (EMR clusters and ' +
      'studios, MSK, OpenSearch, ...; data/*-attachments.json), and so does a group named by its name ' +
      '(`security_groups = ["web"]`). A group exported for use elsewhere (a root ' +
      'module output, a stack output) is used outside the scan and is not reported. Default groups are never ' +
      'reported. Severity info: a hygiene signal, not an exposure.',
    remediation: 'Delete the group if nothing uses it, or attach it to the resources it was written for.',
    remediationTerraform: [
      'resource "aws_instance" "worker" {',
      '  ami                    = var.ami',
      '  instance_type          = "t3.small"',
      '  vpc_security_group_ids = [aws_security_group.worker.id] # the group is now used',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'Worker:',
      '  Type: AWS::EC2::Instance',
      '  Properties:',
      '    ImageId: !Ref Ami',
      '    SecurityGroupIds: [!GetAtt WorkerSecurityGroup.GroupId] # the group is now used',
    ].join('\n'),
    tags: ['security', 'hygiene', 'unused'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-groups.html',
      'https://docs.aws.amazon.com/config/latest/developerguide/ec2-security-group-attached-to-eni.html',
    ],
    equivalents: { checkov: ['CKV2_AWS_5'], kics: ['4849211b-ac39-479e-ae78-5694d506cb24'] },
  },
  run(whole) {
    return partitionModel(whole).flatMap(runScope);
  },
};

/** One template or root module: references resolve within it. */
function runScope(model: Model): Report[] {
  {
    const network = networkOf(model);
    // Where attachments are written: scopes with at least one endpoint that names a group.
    const attachingScopes = new Set(network.endpoints.filter((e) => e.securityGroups.length > 0).map((e) => scopeOf(e)));
    // Any resource whose schema's group attributes name something (EMR, MSK, OpenSearch, ...) attaches too.
    const byName = new Set<string>();
    for (const r of model.resources) {
      const values = groupValues(r).flatMap((f) => (Array.isArray(f.value) ? f.value : [f.value]));
      if (values.length > 0) attachingScopes.add(scopeOf(r));
      // `security_groups = ["web"]`: a group attached by its name (default VPC, EC2-Classic style).
      for (const v of values) if (typeof v === 'string') for (const name of v.split(',')) byName.add(name.trim());
    }
    // Attributes of any resource, exported values (OUTPUT_RESOURCE_TYPE) included, and rule peers.
    const referenced: string[] = [];
    for (const r of model.resources) for (const ref of refsIn(r.attributes)) referenced.push(ref.address);
    for (const rule of model.rules) {
      if (rule.peer.kind === 'securityGroup' && rule.peer.ref instanceof ResourceRef) referenced.push(rule.peer.ref.address);
    }
    const referencedBases = new Set(referenced.map(baseAddress));
    const reports: Report[] = [];
    for (const g of model.groups) {
      if (g.isDefault || !attachingScopes.has(scopeOf(g))) continue;
      // refersTo(a, g) is equality of base addresses: one set, not a scan of every reference per group.
      if (referencedBases.has(baseAddress(g.address))) continue;
      if (typeof g.name === 'string' && byName.has(g.name)) continue;
      reports.push({
        message: `Security group ${g.address} is not attached to any resource in the scan and no rule names it`,
        location: g.location,
        via: g.via,
        resource: g.address,
        key: 'unattached',
        ...(g.condition ? { certainty: 'possible' as const, assumptions: g.condition.reasons.map((r) => `the group exists only if ${onlyIf(r)}`) } : {}),
      });
    }
    return reports;
  }
}
