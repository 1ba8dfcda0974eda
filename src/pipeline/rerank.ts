import path from 'node:path';
import { severityRank, type Finding, type Severity } from '../model/check.js';
import type { SecurityGroup } from '../model/model.js';
import type { Endpoint } from '../network/model.js';
import type { Reach } from '../reach/engine.js';
import { namespaceOf, type EstatePart } from '../reach/estate.js';
import { exposuresOf, type Exposure, type ReachContext } from '../reach/exposure.js';
import { ruleTraffic, type TrafficSet, meets } from '../sets/traffic.js';

// Re-ranking: a rule-level finding that says a rule opens traffic to the world is judged by real
// exposure. "SSH open to the world, but not reachable" is lowered; a reachable one is marked so.


/**
 * Lower a world-exposure finding to low when no endpoint using its group is reachable from the
 * internet for the rule's traffic ("…, but not reachable: <blockers>"); keep it (marked reachable or
 * possibly reachable) otherwise. Findings whose group has no known attachments are left as they are.
 * Pure: returns new findings.
 */
export function rerank(findings: readonly Finding[], reach: ReachContext): Finding[] {
  // Indexes built once: scanning model.groups per finding was quadratic on large estates.
  const groupAt = new Map<string, SecurityGroup>();
  for (const g of reach.model.groups) if (!groupAt.has(g.address)) groupAt.set(g.address, g);
  const engineAt = new Map<string, EstatePart['engine']>();
  for (const p of reach.parts) if (!engineAt.has(p.root)) engineAt.set(p.root, p.engine);
  // The checks of one rule (SGS001, SGS002, ...) ask about the same members: their exposures once each.
  const exposures = new Map<Endpoint, Exposure[]>();
  const exposuresAt = (engine: EstatePart['engine'], e: Endpoint) => {
    let x = exposures.get(e);
    if (!x) exposures.set(e, (x = exposuresOf(engine, e)));
    return x;
  };
  return findings.map((f) => {
    // Only findings that say a rule opens traffic to the world (they name the rule) are re-ranked.
    const rule = f.exposes;
    if (!rule) return f;
    const group = groupAt.get(rule.group);
    const root = namespaceOf({ location: rule.location, via: rule.via, format: group?.format ?? 'terraform' });
    const engine = engineAt.get(root);
    const members = engine ? engine.membersOf(rule.group) : [];
    if (!engine || members.length === 0) return f;
    const t = ruleTraffic(rule);
    // Unknown rule traffic: ask about everything; the engine names the unknowns.
    const probe = 'notAddressSet' in t ? undefined : t;
    const answers: { e: Endpoint; r: Reach }[] = members.map((e) => ({ e, r: engine.reach({ kind: 'internet' }, e.id, probe) }));
    const reached = answers.some((a) => a.r.verdict === 'reachable') ? 'reachable' : answers.some((a) => a.r.verdict === 'possibly-reachable') ? 'possibly-reachable' : undefined;
    if (reached) return { ...servedOnly(f, t, members, (e) => exposuresAt(engine, e)), reachability: reached };
    const blockers = [...new Set(answers.flatMap((a) => a.r.blockers.map((b) => (b.file ? `${b.message} (${path.basename(b.file)}:${b.line})` : b.message))))];
    return { ...f, severity: 'low' as const, reachability: 'not-reachable' as const, message: `${f.message.replace(/\.$/, "")}, but not reachable: ${blockers.join("; ")}.` };
  });
}

/**
 * Members that answer only on some ports (a load balancer on its listeners, a file system on NFS) turn
 * a world-open rule into what they serve: all traffic from the world to an ALB with one HTTP listener
 * exposes HTTP, public by design. The rule is still broader than it needs to be: never below low.
 */
function servedOnly(f: Finding, t: ReturnType<typeof ruleTraffic>, members: readonly Endpoint[], exposuresOfMember: (e: Endpoint) => Exposure[]): Finding {
  if (members.some((e) => e.role.serves.kind === 'any' || e.role.serves.kind === 'unknown')) return f;
  const traffic = 'notAddressSet' in t ? undefined : (t as TrafficSet);
  const exposed = members.flatMap(exposuresOfMember).filter((x) => (!traffic || meets(x.service.traffic, traffic)));
  if (exposed.length === 0) return f;
  const worst = exposed.map((x) => x.severity).reduce((a, b) => (severityRank(b) < severityRank(a) ? b : a));
  const severity: Severity = severityRank(worst) > severityRank('low') ? 'low' : worst;
  if (severityRank(severity) <= severityRank(f.severity)) return f;
  const listeners = members.every((e) => e.kind === 'lb');
  const why = listeners ? `its only ${members.length === 1 ? 'member is a load balancer, which answers' : 'members are load balancers, which answer'} only on ${members.length === 1 ? 'its' : 'their'} listeners` : `its members answer only on the ports they serve`;
  return { ...f, severity, message: `${f.message.replace(/\.$/, '')}, but ${why}.`, ...(listeners ? { servedByListeners: true } : {}) };
}
