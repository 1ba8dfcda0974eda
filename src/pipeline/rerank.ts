import path from 'node:path';
import type { Finding } from '../model/check.js';
import type { SecurityGroup } from '../model/model.js';
import type { Endpoint } from '../network/model.js';
import type { Reach } from '../reach/engine.js';
import { namespaceOf, type EstatePart } from '../reach/estate.js';
import type { ReachContext } from '../reach/exposure.js';
import { ruleTraffic } from '../sets/traffic.js';

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
    if (answers.some((a) => a.r.verdict === 'reachable')) return { ...f, reachability: 'reachable' as const };
    if (answers.some((a) => a.r.verdict === 'possibly-reachable')) return { ...f, reachability: 'possibly-reachable' as const };
    const blockers = [...new Set(answers.flatMap((a) => a.r.blockers.map((b) => (b.file ? `${b.message} (${path.basename(b.file)}:${b.line})` : b.message))))];
    return { ...f, severity: 'low' as const, reachability: 'not-reachable' as const, message: `${f.message.replace(/\.$/, "")}, but not reachable: ${blockers.join("; ")}.` };
  });
}
