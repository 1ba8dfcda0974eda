import type { Check, Report } from '../../src/model/check.js';
import type { Direction, Model, SecurityGroup } from '../../src/model/model.js';
import { ResourceRef, Unknown, nameOfUnknown, onlyIf } from '../../src/model/value.js';
import { networkOf } from '../kit/network.js';
import type { Endpoint } from '../../src/network/model.js';
import { groupOf, partitionModel, refersTo } from '../../src/network/query.js';

export const check: Check = {
  meta: {
    id: 'SGS052',
    name: 'load-balancer-group-without-rules',
    severity: 'low',
    preset: 'strict',
    shortDescription: 'Load balancer whose security groups have no inbound or no outbound rules',
    fullDescription:
      'A load balancer (aws_lb, aws_elb, AWS::ElasticLoadBalancingV2::LoadBalancer, ' +
      'AWS::ElasticLoadBalancing::LoadBalancer) whose security groups together have no ingress rule admits no ' +
      'client, and one whose groups have no egress rule reaches no target and fails every health check (KICS ' +
      '"ELB With Security Group Without Inbound Rules" and "... Without Outbound Rules"). Rules are counted as AWS ' +
      'applies them: a CloudFormation group without SecurityGroupEgress keeps the implicit allow-all egress, so ' +
      'it has an outbound rule (KICS reports it anyway); a Terraform aws_security_group without egress blocks has ' +
      'none, since the provider removes AWS\'s default. One finding per load balancer and direction, at the ' +
      'attribute that names the groups. A group outside the scan, or a rule whose group is not known, makes ' +
      'the finding "possible". Egress is not judged when every listener forwards to Lambda target groups (the load ' +
      'balancer invokes them through the Lambda service), and is "possible" when no listener of the scan forwards ' +
      'to a target group. Load balancers without groups are SGS020\'s. Strict preset only; severity low: ' +
      'the load balancer does not work, it exposes nothing.',
    remediation:
      'Give the load balancer\'s group an ingress rule for its listener ports and an egress rule to its targets\' ' +
      'port (their security group), or remove the group the load balancer does not need.',
    remediationTerraform: [
      'resource "aws_vpc_security_group_ingress_rule" "lb_https" {',
      '  security_group_id = aws_security_group.lb.id',
      '  description       = "HTTPS from clients"',
      '  ip_protocol       = "tcp"',
      '  from_port         = 443',
      '  to_port           = 443',
      '  cidr_ipv4         = "0.0.0.0/0"',
      '}',
      '',
      'resource "aws_vpc_security_group_egress_rule" "lb_to_app" {',
      '  security_group_id            = aws_security_group.lb.id',
      '  description                  = "To the app targets"',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 8080',
      '  to_port                      = 8080',
      '  referenced_security_group_id = aws_security_group.app.id',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'LoadBalancerSecurityGroup:',
      '  Type: AWS::EC2::SecurityGroup',
      '  Properties:',
      '    GroupDescription: Load balancer',
      '    VpcId: !Ref Vpc',
      '    SecurityGroupIngress:',
      '      - IpProtocol: tcp',
      '        FromPort: 443',
      '        ToPort: 443',
      '        CidrIp: 0.0.0.0/0',
      '        Description: HTTPS from clients',
    ].join('\n'),
    tags: ['security', 'configuration', 'load-balancer'],
    references: [
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html',
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-groups.html',
    ],
    equivalents: { kics: ['e200a6f3-c589-49ec-9143-7421d4a2c845', '01d5a458-a6c4-452a-ac50-054d59275b7c'] },
  },
  run(whole) {
    return partitionModel(whole).flatMap(runScope);
  },
};

function runScope(model: Model): Report[] {
  const reports: Report[] = [];
  for (const lb of networkOf(model).endpoints) {
    if (lb.kind !== 'lb' || lb.securityGroups.length === 0) continue;
    const groups: SecurityGroup[] = [];
    const outside: string[] = [];
    for (const ref of lb.securityGroups) {
      const g = ref instanceof ResourceRef ? groupOf(model, ref) : undefined;
      if (g) groups.push(g);
      else outside.push(ref instanceof Unknown ? nameOfUnknown(ref) : String(ref));
    }
    if (groups.length === 0) continue;
    for (const direction of ['ingress', 'egress'] as const) {
      if (groups.some((g) => hasRule(model, g, direction))) continue;
      // A load balancer invokes Lambda targets through the Lambda service, not through its interfaces.
      const targets = direction === 'egress' ? targetKinds(model, lb) : undefined;
      if (targets === 'lambda') continue;
      const assumptions = [
        ...outside.map((o) => `unless ${o}, a group not in the scan, has ${direction} rules`),
        ...(lb.condition?.reasons ?? []).map((r) => `${lb.id} exists only if ${onlyIf(r)}`),
      ];
      if (unattributedRules(model, direction)) assumptions.push(`unless a ${direction} rule written for a group outside the scan is for one of them`);
      if (targets === 'unknown') assumptions.push('if it forwards to instance or IP targets (no listener of the scan forwards to a target group)');
      const names = groups.map((g) => g.address).join(', ');
      const which = groups.length === 1 ? `its security group ${names} has` : `its security groups ${names} have`;
      reports.push({
        message:
          `Load balancer ${lb.id}: ${which} no ${direction} rule, so ` +
          (direction === 'ingress' ? 'no client can reach its listeners' : 'it cannot reach its targets (nor health-check them)'),
        location: lb.securityGroupsLine === undefined ? lb.location : { file: lb.location.file, line: lb.securityGroupsLine, endLine: lb.securityGroupsLine },
        via: lb.via,
        resource: lb.id,
        key: `lb-groups-without-${direction}`,
        certainty: assumptions.length ? 'possible' : 'definite',
        assumptions,
      });
    }
  }
  return reports;
}

/**
 * What the listeners of the scan forward to: only Lambda target groups, some other target (instances,
 * IP addresses, an ALB: reached through the load balancer's interfaces), or nothing the scan shows
 * (no listener, a fixed response, listener rules).
 */
function targetKinds(model: Model, lb: Endpoint): 'lambda' | 'network' | 'unknown' {
  const groups = lb.listeners.flatMap((l) => l.targetGroups);
  if (groups.length === 0) return 'unknown';
  const lambda = groups.every((tg) => {
    if (typeof tg !== 'string') return false;
    const r = model.resources.find((x) => x.address === tg);
    return (r?.attributes.target_type ?? r?.attributes.TargetType) === 'lambda';
  });
  return lambda ? 'lambda' : 'network';
}

/** Rules as AWS applies them, the implicit allow-all egress of a CloudFormation group included. */
function hasRule(model: Model, g: SecurityGroup, direction: Direction): boolean {
  return model.rules.some((r) => r.direction === direction && refersTo(r.group, g.address));
}

function unattributedRules(model: Model, direction: Direction): boolean {
  return model.rules.some((r) => r.direction === direction && !model.groups.some((g) => refersTo(r.group, g.address)));
}
