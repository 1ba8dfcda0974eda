import type { Check, Report } from '../../src/model/check.js';
import { joinList } from '../../src/model/services.js';
import { globToRegExp } from '../../src/config/glob.js';
import { intentQuestion, intentsFromOptions, isOutside, parseSelector, parseService, type IntentService, type Selector } from '../../src/config/intents.js';
import { ask as askQuestion, probeOf, type Question, questionLabel } from '../../src/reach/question.js';
import type { Intent } from '../../src/config/types.js';
import { Unknown, isObject, type Value } from '../../src/model/value.js';
import type { Endpoint } from '../../src/network/model.js';
import { best, type Engine, type Reach, type Source } from '../../src/reach/engine.js';
import type { EstatePart } from '../../src/reach/estate.js';
import { TEMPLATE_KINDS, pathText, reachContext, splitServices } from '../../src/reach/exposure.js';
import { PUBLIC_ADDRESSES } from '../../src/sets/public.js';
import { ALL_ADDRESSES, NO_ADDRESSES, addressesOf, subtractAddresses, unionAddresses, type Addresses } from '../../src/sets/setops.js';
import type { TrafficSet } from '../../src/sets/traffic.js';
import { append } from '../../src/model/arrays.js';

// SGS042: the configuration's intents ("databases are private", "only the app tier reaches the
// database") checked against the reachability engine. The intents come in as options.intents
// (applyConfig puts the configuration's `intents:` there); without intents the check reports nothing.

export const check: Check = {
  meta: {
    id: 'SGS042',
    name: 'reachability-intent',
    severity: 'high',
    shortDescription: 'A reachability intent written in the configuration (deny or only) is violated',
    fullDescription:
      'Checks the `intents:` of .sgscan.yml with the reachability engine (security groups, NACLs, routes and ' +
      'public addresses together). A `deny` intent is violated by every source it names that can reach a ' +
      'destination it names; an `only` intent by every other source (the internet and every resource of the same ' +
      'Terraform root or CloudFormation template) that can reach a destination it names. Sources and ' +
      'destinations are selected by `internet`, a CIDR, a resource address or logical ID (with `*`), ' +
      'tag:Key=Value or group:ADDRESS, optionally on one port and protocol. One finding per intent, source, ' +
      'destination, at the destination resource (at the source when the destination is the internet or a ' +
      'CIDR), with the path through the code. When a fact on the way or a tag is not known statically the ' +
      'finding is "possible" and names it. Each intent may set its own severity. An intent whose `to` selects ' +
      'nothing in the scan is reported (info, at its line in .sgscan.yml) rather than passing silently. See ' +
      'docs/intents.md.',
    remediation:
      'Remove the path the finding shows (narrow the security group rule, take the public address away, deny ' +
      'the traffic in the NACL), or change the intent when the access is wanted.',
    remediationTerraform: [
      'resource "aws_db_instance" "main" {',
      '  publicly_accessible    = false',
      '  vpc_security_group_ids = [aws_security_group.db.id]',
      '}',
      '',
      'resource "aws_vpc_security_group_ingress_rule" "db_from_app" {',
      '  security_group_id            = aws_security_group.db.id',
      '  referenced_security_group_id = aws_security_group.app.id # the only allowed source',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 5432',
      '  to_port                      = 5432',
      '}',
    ].join('\n'),
    remediationCloudFormation: [
      'DbFromApp:',
      '  Type: AWS::EC2::SecurityGroupIngress',
      '  Properties:',
      '    GroupId: !Ref DbSecurityGroup',
      '    SourceSecurityGroupId: !Ref AppSecurityGroup # the only allowed source',
      '    IpProtocol: tcp',
      '    FromPort: 5432',
      '    ToPort: 5432',
    ].join('\n'),
    tags: ['security', 'network-exposure', 'reachability', 'intent'],
    references: [
      'https://docs.aws.amazon.com/vpc/latest/reachability/what-is-reachability-analyzer.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    ],
  },
  run(model, context) {
    const intents = intentsFromOptions(context.options.intents);
    if (intents.length === 0) return [];
    const reach = reachContext(model);
    const out: Report[] = [];
    const seen = new Set<string>();
    for (const intent of intents) {
      // An intent that names nothing in the scan would pass silently; a typo must not look like safety.
      if (!reach.parts.some((part) => selectsDestination(intent, part))) {
        out.push({
          message: `Intent "${intent.name}" selects nothing in the scan: no resource matches its \`to\` (${intent.to.join(', ')}), so it was not checked.`,
          location: { file: intent.file, line: intent.line, endLine: intent.line },
          resource: `intent:${intent.name}`,
          key: `intent "${intent.name}" selects nothing`,
          severity: 'info',
          // A unit judged apart sees only its own resources: another unit may have what the intent names.
          everyUnit: true,
        });
        continue;
      }
      // Source ports change the NACL return legs: those intents ask engines built for them.
      const q = intentQuestion(intent) as Question;
      const parts = q.sourcePorts ? reachContext(model, { ephemeralPorts: q.sourcePorts }).parts : reach.parts;
      for (const part of parts) {
        for (const r of violations(intent, part)) {
          // One finding per key (an endpoint selected twice, or a FILE:ID naming its own part).
          const k = `${r.resource}\u0000${r.location.file}\u0000${r.key}`;
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(r);
        }
      }
    }
    return out;
  },
};

/** Whether an endpoint is selected: certainly, or only if something not known statically is so. */
type Match = { kind: 'yes' } | { kind: 'maybe'; reason: string } | { kind: 'no' };

interface Party {
  /** "the internet", "10.0.0.0/8" or the endpoint id. */
  label: string;
  source?: Source;
  endpoint?: Endpoint;
  /** Outside destinations (internet, CIDR). */
  addresses?: Addresses;
  /** What must hold for this party to be the one the intent names (or not names, for `only`). */
  assumptions: string[];
}

/** Whether the intent's `to` names an outside destination or matches (possibly) an endpoint of the part. */
function selectsDestination(intent: Intent, part: EstatePart): boolean {
  const to = intent.to.map((t) => parseSelector(t) as Selector);
  if (to.some(isOutside)) return true;
  const endpoints = part.engine.network.endpoints.filter((e) => !TEMPLATE_KINDS.has(e.kind));
  return selected(to, endpoints, part).length > 0;
}

function violations(intent: Intent, part: EstatePart): Report[] {
  const q = intentQuestion(intent) as Question;
  const service: IntentService = { ...(parseService(intent.port, intent.protocol) as IntentService), label: questionLabel(q) };
  const from = intent.from.map((t) => parseSelector(t) as Selector);
  const to = intent.to.map((t) => parseSelector(t) as Selector);
  const engine = part.engine;
  const endpoints = engine.network.endpoints.filter((e) => !TEMPLATE_KINDS.has(e.kind));
  const probe = probeOf(q, ALL_ADDRESSES);

  const dests = [...selected(to, endpoints, part).map(({ e, assumptions }) => ({ label: e.id, endpoint: e, assumptions }))];
  const outsideTo = to.filter(isOutside);
  const outsideDest: Party | undefined = outsideTo.length
    ? { label: joinList(outsideTo.map(partyLabel)), addresses: outsideTo.reduce((a, s) => unionAddresses(a, s.kind === 'cidr' ? addressesOf([s.cidr]) : PUBLIC_ADDRESSES), NO_ADDRESSES), assumptions: [] }
    : undefined;

  const out: Report[] = [];
  if (intent.kind === 'deny') {
    const sources: Party[] = [
      ...from.filter(isOutside).map((s): Party => ({ label: partyLabel(s), source: s.kind === 'cidr' ? { kind: 'cidr', cidr: s.cidr } : { kind: 'internet' }, assumptions: [] })),
      ...selected(from, endpoints, part).map(({ e, assumptions }): Party => ({ label: e.id, endpoint: e, source: { kind: 'endpoint', id: e.id }, assumptions })),
    ];
    for (const src of sources) {
      for (const dest of dests) if (src.endpoint !== dest.endpoint) append(out, report(intent, service, q, engine, src, dest, probe));
      if (outsideDest && src.endpoint) append(out, report(intent, service, q, engine, src, outsideDest, probe));
    }
    return out;
  }

  // only: every source outside the allowed set. Allowed CIDRs are taken out of the question's
  // addresses, so an endpoint in an allowed range, or the internet from it, passes.
  const allowedCidrs = addressesOf(from.flatMap((s) => (s.kind === 'cidr' ? [s.cidr] : [])));
  const internetAllowed = from.some((s) => s.kind === 'internet');
  const onlyAddresses = subtractAddresses(ALL_ADDRESSES, allowedCidrs);
  const onlyProbe = probeOf(q, onlyAddresses);
  const sources: Party[] = [];
  if (!internetAllowed) sources.push({ label: 'the internet', source: { kind: 'internet' }, assumptions: [] });
  for (const e of endpoints) {
    const m = matchAny(from, e, part);
    if (m.kind === 'yes') continue;
    sources.push({ label: e.id, endpoint: e, source: { kind: 'endpoint', id: e.id }, assumptions: m.kind === 'maybe' ? [`${e.id} is not one of the allowed sources (${m.reason})`] : [] });
  }
  for (const src of sources) {
    for (const dest of dests) if (src.endpoint !== dest.endpoint) append(out, report(intent, service, q, engine, src, dest, onlyProbe, onlyAddresses));
    if (outsideDest && src.endpoint) append(out, report(intent, service, q, engine, src, outsideDest, probeOf(q, ALL_ADDRESSES)));
  }
  return out;
}

function report(intent: Intent, service: IntentService, q: Question, engine: Engine, src: Party, dest: Party, probe: TrafficSet, addresses: Addresses = ALL_ADDRESSES): Report[] {
  const r = ask(engine, src, dest, probe, q, addresses);
  if (r.verdict === 'not-reachable') return [];
  const assumptions = [...new Set([...src.assumptions, ...dest.assumptions, ...(r.verdict === 'possibly-reachable' ? r.assumptions : [])])];
  const possible = r.verdict === 'possibly-reachable' || src.assumptions.length > 0 || dest.assumptions.length > 0;
  const got = r.verdict === 'reachable' ? r.allowed : r.possible;
  const on = service.label === 'all traffic' ? servicesIn(got) : service.label;
  const ifs = possible && assumptions.length ? `, assuming ${assumptions.join('; ')}` : '';
  const trail = r.path.length ? `; path: ${pathText(r.path)}` : '';
  // The finding sits on the resource the intent protects; for an outside destination, on the source.
  const at = (dest.endpoint ?? src.endpoint)!;
  return [
    {
      message: `Intent "${intent.name}" is violated: ${dest.label} ${possible ? 'may be' : 'is'} reachable from ${src.label} on ${on}${ifs}${trail}.`,
      location: at.location,
      via: at.via,
      resource: at.id,
      key: `intent "${intent.name}" from ${src.label} to ${dest.label} ${service.label}`,
      certainty: possible ? 'possible' : 'definite',
      assumptions,
      ...(intent.severity ? { severity: intent.severity } : {}),
      path: r.path,
    },
  ];
}

function ask(engine: Engine, src: Party, dest: Party, probe: TrafficSet, q: Question, addresses: Addresses): Reach {
  if (dest.addresses && src.endpoint) return engine.reachOutbound(src.endpoint.id, dest.addresses, probe);
  const id = dest.endpoint!.id;
  const source = src.source!;
  // Paths the intent names (through a load balancer, direct only, the port behind a listener).
  if (q.via || q.direct || q.destPort !== undefined) return askQuestion(engine, source, id, q, addresses, { explain: false });
  // From outside, load balancers in front of the destination count too, as `sgscan reach` does.
  if (source.kind === 'endpoint') return engine.reach(source, id, probe, { explain: false });
  return best([engine.reach(source, id, probe, { explain: false }), ...engine.reachThroughLoadBalancers(source, id, probe)]);
}

/** "tcp/5432, tcp/22 and 3 more": what of all traffic gets through, for intents without a port. */
function servicesIn(set: TrafficSet): string {
  const labels = splitServices(set).map((s) => s.label);
  return labels.length > 3 ? joinList([...labels.slice(0, 2), `${labels.length - 2} more`]) : joinList(labels);
}

function partyLabel(s: Selector): string {
  return s.kind === 'internet' ? 'the internet' : s.kind === 'cidr' ? s.cidr : s.text;
}

// ---- Selecting endpoints ------------------------------------------------------------------------

/** Endpoints any of the selectors picks, in the network's order, with what must hold for the maybes. */
function selected(selectors: readonly Selector[], endpoints: readonly Endpoint[], part: EstatePart): { e: Endpoint; assumptions: string[] }[] {
  const out: { e: Endpoint; assumptions: string[] }[] = [];
  for (const e of endpoints) {
    const m = matchAny(selectors, e, part);
    if (m.kind === 'yes') out.push({ e, assumptions: [] });
    else if (m.kind === 'maybe') out.push({ e, assumptions: [`${e.id} is selected (${m.reason})`] });
  }
  return out;
}

function matchAny(selectors: readonly Selector[], e: Endpoint, part: EstatePart): Match {
  let maybe: Match = { kind: 'no' };
  for (const s of selectors) {
    const m = matchOne(s, e, part);
    if (m.kind === 'yes') return m;
    if (m.kind === 'maybe' && maybe.kind === 'no') maybe = m;
  }
  return maybe;
}

function matchOne(s: Selector, e: Endpoint, part: EstatePart): Match {
  switch (s.kind) {
    case 'internet':
    case 'cidr':
      return { kind: 'no' };
    case 'tag':
      return matchTag(s.key, s.value, e, part);
    case 'group':
      return matchGroup(globToRegExp(s.glob, { paths: false }), e, part);
    case 'resource': {
      if (s.where !== undefined) {
        const at = (f: string) => f === s.where || f.endsWith(`/${s.where}`);
        if (!at(e.location.file) && !at(part.root)) return { kind: 'no' };
      }
      const re = globToRegExp(s.glob, { paths: false });
      // An address without its index names the only instance ("aws_instance.web" for aws_instance.web[0]).
      if (re.test(e.id) || re.test(e.id.replace(/\[[^\]]*\]$/, ''))) return { kind: 'yes' };
      // A security group's address selects its members.
      if (part.model.groups.some((g) => re.test(g.address))) return matchGroup(re, e, part);
      return { kind: 'no' };
    }
  }
}

function matchGroup(re: RegExp, e: Endpoint, part: EstatePart): Match {
  const groups = part.engine.groupsOf(e);
  if (groups.ids.some((g) => re.test(g))) return { kind: 'yes' };
  if (groups.unknown.length) return { kind: 'maybe', reason: groups.unknown.join('; ') };
  return { kind: 'no' };
}

/** Terraform `tags` (a map; `tag` blocks of an auto scaling group) or CloudFormation `Tags` (a list of Key/Value). */
function matchTag(key: string, valueGlob: string, e: Endpoint, part: EstatePart): Match {
  const resource = part.model.resources.find((r) => r.address === e.id && r.location.file === e.location.file) ?? part.model.resources.find((r) => r.address === e.id);
  if (!resource) return { kind: 'no' };
  const re = globToRegExp(valueGlob, { paths: false });
  const judge = (v: Value | undefined): Match => {
    if (v === undefined || v === null) return { kind: 'no' };
    if (v instanceof Unknown) return { kind: 'maybe', reason: `tag ${key} of ${e.id} is not known (${v})` };
    return re.test(String(v)) ? { kind: 'yes' } : { kind: 'no' };
  };
  const a = resource.attributes;
  const tags = a.tags ?? a.Tags ?? a.tag;
  if (tags instanceof Unknown) return { kind: 'maybe', reason: `the tags of ${e.id} are not known (${tags})` };
  if (isObject(tags)) return judge(tags[key]);
  if (Array.isArray(tags)) {
    let found: Match = { kind: 'no' };
    for (const t of tags) {
      if (t instanceof Unknown) found = found.kind === 'no' ? { kind: 'maybe', reason: `a tag of ${e.id} is not known (${t})` } : found;
      if (!isObject(t)) continue;
      const k = t.Key ?? t.key;
      const v = t.Value ?? t.value;
      if (k instanceof Unknown) found = found.kind === 'no' ? { kind: 'maybe', reason: `a tag key of ${e.id} is not known (${k})` } : found;
      else if (k === key) {
        const m = judge(v);
        if (m.kind !== 'no') return m;
      }
    }
    return found;
  }
  return { kind: 'no' };
}
