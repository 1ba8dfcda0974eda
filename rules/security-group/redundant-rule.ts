import {
  conditionOf,
  describeRuleLines,
  describeRuleTraffic,
  formatOf,
  groupsByAddress,
  isDefinite,
  peerKey,
  ruleGroupKey,
  ruleKey,
  ruleSubject,
} from '../kit/security-group.js';
import type { Check, Report } from '../../src/model/check.js';
import type { Rule } from '../../src/model/model.js';
import { describePeer } from '../../src/model/peer.js';
import { type TrafficSet, coverTree, fromRule, isAddressSet, isSubset, subtract, trafficOf, unionAll, meets } from '../../src/sets/index.js';

/**
 * The rule's traffic as an exact set. A security-group or prefix-list peer only ever equals the same
 * reference, so such rules are compared within buckets of one peer, standing in the whole IPv4 space
 * for "the members of that group".
 */
function exactTraffic(rule: Rule): TrafficSet | null {
  if (rule.peer.kind === 'cidr') return fromRule(rule);
  if (rule.peer.kind === 'securityGroup' || rule.peer.kind === 'prefixList') {
    const t = trafficOf(rule.protocol, rule.ports, '0.0.0.0/0');
    return isAddressSet(t) ? t : null;
  }
  return null;
}

export const check: Check = {
  meta: {
    id: 'SGS016',
    name: 'redundant-rule',
    severity: 'low',
    shortDescription: 'Rule that duplicates, or is entirely covered by, other rules of the same group',
    fullDescription:
      'A rule allows nothing that other rules of the same security group and direction do not already ' +
      'allow: it is an exact duplicate (AWS rejects duplicates within one call, and Terraform then fights ' +
      'over them), or its traffic is contained in the union of the others, computed exactly over ' +
      'protocols, ports and addresses (tcp/22 from 10.1.0.0/16 is covered by tcp/0-1024 from ' +
      '10.0.0.0/8, and 10.0.0.0/9 + 10.128.0.0/9 cover 10.0.0.0/8). Security-group and prefix-list peers ' +
      'are only compared with rules naming the same reference. Redundant rules make reviews misleading: ' +
      'narrowing the covered rule changes nothing. Of rules that cover each other, the earlier-written ' +
      'ones are kept and the later ones reported, with the lines of the rules that cover them. Rules ' +
      'with unknown values or that exist only under a condition are not compared. A source that is a ' +
      'CloudFormation parameter\'s Default or a Terraform variable\'s default is compared only with rules ' +
      'from the same parameter: the deployer may narrow it, and then the rules it seemed to cover are needed.',
    remediation: 'Delete the redundant rule, or narrow the broader rule if it allows more than intended.',
    remediationTerraform: [
      'resource "aws_security_group" "app" {',
      '  name        = "app"',
      '  description = "App servers"',
      '  vpc_id      = aws_vpc.main.id',
      '  ingress {',
      '    description = "HTTPS from the VPC" # one rule, not also 10.0.1.0/24 on 443',
      '    protocol    = "tcp"',
      '    from_port   = 443',
      '    to_port     = 443',
      '    cidr_blocks = ["10.0.0.0/16"]',
      '  }',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'AppSecurityGroup:',
      '  Type: AWS::EC2::SecurityGroup',
      '  Properties:',
      '    GroupDescription: App servers',
      '    VpcId: !Ref Vpc',
      '    SecurityGroupIngress:',
      '      - Description: HTTPS from the VPC # one rule, not also 10.0.1.0/24 on 443',
      '        IpProtocol: tcp',
      '        FromPort: 443',
      '        ToPort: 443',
      '        CidrIp: 10.0.0.0/16',
    ].join('\n'),
    tags: ['security', 'hygiene', 'maintainability'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group_rule',
    ],
  },
  run(model) {
    const groups = groupsByAddress(model);
    const buckets = new Map<string, { rule: Rule; traffic: TrafficSet }[]>();
    for (const rule of model.rules) {
      if (rule.origin === 'implicit' || !isDefinite(conditionOf(rule, groups.of(rule)))) continue;
      const traffic = exactTraffic(rule);
      if (!traffic) continue;
      // A parameter's (variable's) default may be narrowed at deploy time: such a source covers, and is
      // covered by, only rules with the same choice, which equal it whatever value is chosen.
      const choice = defaultChoice(rule);
      const peer = choice !== undefined ? `default\u0000${choice}` : rule.peer.kind === 'cidr' ? 'cidr' : peerKey(rule.peer);
      const k = `${ruleGroupKey(rule, formatOf(rule))}\u0000${rule.direction}\u0000${peer}`;
      const list = buckets.get(k) ?? [];
      list.push({ rule, traffic });
      buckets.set(k, list);
    }
    const reports: Report[] = [];
    for (const list of buckets.values()) {
      if (list.length < 2) continue;
      // Later rules first, so that of rules covering each other the earlier-written ones stay. A
      // rule is covered by the others still kept when it lies where two kept rules overlap (see
      // coverTree: comparing each rule with the union of all others was quadratic).
      const tree = coverTree(list.map((x) => x.traffic));
      const kept = new Set(list.map((_, i) => i)); // iterates in rule order: only deletions
      const byKey = new Map<string, number[]>();
      list.forEach((x, i) => {
        const k = ruleKey(x.rule);
        const same = byKey.get(k);
        if (same) same.push(i);
        else byKey.set(k, [i]);
      });
      for (let i = list.length - 1; i >= 0; i--) {
        const item = list[i];
        if (!isSubset(item.traffic, tree.coveredTwice())) continue;
        kept.delete(i);
        tree.remove(i);
        const { rule } = item;
        const twin = byKey.get(ruleKey(rule))!.find((j) => j !== i && kept.has(j));
        const duplicate = twin === undefined ? undefined : list[twin];
        const covering = duplicate ? [duplicate] : [...kept].map((j) => list[j]).filter((o) => meets(o.traffic, item.traffic));
        const peerText = describePeer(rule.peer);
        const what = `${describeRuleTraffic(rule)} ${rule.direction === 'ingress' ? 'from' : 'to'} ${peerText}`;
        const lines = describeRuleLines(rule, covering.map((c) => c.rule));
        reports.push({
          message: duplicate
            ? `${ruleSubject(rule)} has a redundant ${rule.direction} rule (${what}): it duplicates ${lines}.`
            : `${ruleSubject(rule)} has a redundant ${rule.direction} rule (${what}): ${lines} already allow${covering.length === 1 ? 's' : ''} all of it.`,
          location: rule.location,
          via: rule.via,
          resource: rule.resource,
          key: `redundant|${ruleKey(rule)}`,
        });
      }
    }
    return reports;
  },
};

/**
 * The deploy-time choice whose default the rule's peer is ("parameter ClientIP", "var.admin_cidr"):
 * the peer holds only while that default is kept, so it covers only rules of the same choice.
 */
function defaultChoice(rule: Rule): string | undefined {
  const o = rule.peer.kind === 'cidr' ? rule.peer.origin : undefined;
  return o?.startsWith('the default of ') ? o.slice('the default of '.length) : undefined;
}
