import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../rules/index.js';
import { runChecks } from '../../../src/pipeline/runner.js';
import type { Model, Rule } from '../../../src/model/model.js';
import { describePeer, parseCidr } from '../../../src/model/peer.js';
import { describePorts, parsePorts } from '../../../src/model/ports.js';
import { parseProtocol, protocolName } from '../../../src/model/protocol.js';
import { ResourceRef, Unknown } from '../../../src/model/value.js';
import { type TerraformOptions, scanTerraformModule, scanTerraformPlan } from '../../../src/input/terraform/index.js';
import { folderFiles } from './helpers.js';

// The Terraform oracle (issue 15). Every folder of fixtures/terraform-plan is a root module whose
// plan.json was recorded by scripts/record-plans.sh (Terraform 1.11, AWS provider 5.100, offline):
// Terraform's own evaluation. Per module:
//  1. the rules sgscan builds from the .tf files equal the rules in Terraform's planned values, both
//     brought to the shared rule model (direction, protocol, ports, peer); a value Terraform knows
//     only after apply (a resource id) must be a reference to a resource on our side;
//  2. scanning the .tf files and scanning plan.json give the same rules, findings, fingerprints and lines.

const ROOT = 'fixtures/terraform-plan';
const MODULES = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(path.join(ROOT, e.name, 'plan.json')))
  .map((e) => e.name)
  .sort();

/** Modules whose plan scan cannot match the .tf scan exactly, and why (their .tf rules still must match Terraform). */
const CANNOT_MATCH: Record<string, string> = {
  // The .tf scan matches Terraform (rule from module.tier.aws_security_group.this["app"]); the plan
  // records only that the rule names module.tier.by_name["app"] and that by_name names
  // aws_security_group.this, not which instance the key picks, so the plan scan says "members of
  // module.tier.aws_security_group.this" (any instance).
  'module-map-output-key': 'plan JSON does not say which instance a key of a module output map picks',
};

const AFTER_APPLY = '(known after apply)';
/** A whole list Terraform knows only after apply (`[aws_security_group.a.id, "sg-1"]`, a splat). */
const LIST_AFTER_APPLY = '(list known after apply)';

/** The `-var` / `-var-file` arguments the plan was recorded with (plan.args), as sgscan options. */
function optionsOf(dir: string): TerraformOptions {
  const file = path.join(dir, 'plan.args');
  if (!existsSync(file)) return {};
  const varArgs = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = /^-var(-file)?=(.*)$/.exec(l);
      if (!m) throw new Error(`${file}: unsupported argument ${l}`);
      return m[1] ? { kind: 'file' as const, value: path.join(dir, m[2]) } : { kind: 'var' as const, value: m[2] };
    });
  return { varArgs };
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function rule(direction: string, protocol: unknown, from: unknown, to: unknown, peer: string): string {
  const p = parseProtocol(protocol);
  return `${direction} ${protocolName(p)} ${describePorts(parsePorts(p, from, to))} ${peer}`;
}

/** A value of Terraform's plan: a literal, or known after apply. */
function planned(v: unknown, mark: unknown, show: (x: unknown) => string): string {
  return mark === true || v === undefined ? AFTER_APPLY : show(v);
}
const cidr = (family: 'ipv4' | 'ipv6') => (x: unknown) => describePeer(parseCidr(x, family));

/** Terraform's answer: every rule in the planned values of every module, as the rule model sees it. */
function terraformRules(plan: Json): string[] {
  const out: string[] = [];
  const changes = new Map<string, Json>();
  for (const rc of (plan.resource_changes as Json[]) ?? []) changes.set(rc.address as string, (rc.change as Json) ?? {});
  const walk = (mod: Json): void => {
    for (const r of (mod.resources as Json[]) ?? []) {
      if (r.mode !== 'managed') continue;
      const v = (r.values as Json) ?? {};
      const u = { ...((changes.get(r.address as string)?.after_unknown as Json) ?? {}) };
      // A computed attribute the configuration does not write is not part of the rule.
      const written = configured(plan, r);
      for (const k of Object.keys(u)) if (u[k] === true && !written.has(k)) delete u[k];
      if (r.type === 'aws_security_group' || r.type === 'aws_default_security_group') {
        for (const dir of ['ingress', 'egress']) {
          if (u[dir] === true && !written.has(dir)) continue; // computed from separate rule resources
          const items = (v[dir] as Json[]) ?? [];
          const marks = (u[dir] as Json[]) ?? [];
          items.forEach((it, i) => out.push(...inlinePeers(it, (marks[i] as Json) ?? {}).map((p) => rule(dir, it.protocol, it.from_port, it.to_port, p))));
        }
      } else if (r.type === 'aws_security_group_rule') {
        out.push(...inlinePeers(v, u).map((p) => rule(v.type as string, v.protocol, v.from_port, v.to_port, p)));
      } else if (r.type === 'aws_vpc_security_group_ingress_rule' || r.type === 'aws_vpc_security_group_egress_rule') {
        const dir = r.type.includes('ingress') ? 'ingress' : 'egress';
        const peers: string[] = [];
        if (v.cidr_ipv4 != null) peers.push(planned(v.cidr_ipv4, u.cidr_ipv4, cidr('ipv4')));
        if (v.cidr_ipv6 != null) peers.push(planned(v.cidr_ipv6, u.cidr_ipv6, cidr('ipv6')));
        for (const k of ['prefix_list_id', 'referenced_security_group_id']) {
          if (v[k] != null || u[k] === true) peers.push(planned(v[k], u[k], (x) => `${k === 'prefix_list_id' ? 'prefix list' : 'group'} ${x}`));
        }
        out.push(...peers.map((p) => rule(dir, v.ip_protocol, v.from_port, v.to_port, p)));
      }
    }
    for (const c of (mod.child_modules as Json[]) ?? []) walk(c);
  };
  walk(((plan.planned_values as Json)?.root_module as Json) ?? {});
  return out.sort();
}

/** Attributes the configuration writes for a resource (its `expressions`, dynamic blocks included). */
function configured(plan: Json, r: Json): Set<string> {
  let mod = ((plan.configuration as Json)?.root_module as Json) ?? {};
  const address = r.address as string;
  for (const m of address.matchAll(/module\.([^.[]+)(\[[^\]]*\])?\./g)) mod = (((mod.module_calls as Json)?.[m[1]] as Json)?.module as Json) ?? {};
  const res = ((mod.resources as Json[]) ?? []).find((x) => x.address === `${r.type}.${r.name}`);
  return new Set(Object.keys((res?.expressions as Json) ?? {}));
}

/** Peers of an inline rule or aws_security_group_rule, one per list element, as AWS stores them. */
function inlinePeers(it: Json, u: Json): string[] {
  const peers: string[] = [];
  const each = (key: string, show: (x: unknown) => string) => {
    if (u[key] === true) return void peers.push(LIST_AFTER_APPLY);
    const marks = Array.isArray(u[key]) ? (u[key] as unknown[]) : [];
    ((it[key] as unknown[]) ?? []).forEach((x, i) => peers.push(planned(x, marks[i], show)));
  };
  each('cidr_blocks', cidr('ipv4'));
  each('ipv6_cidr_blocks', cidr('ipv6'));
  each('prefix_list_ids', (x) => `prefix list ${x}`);
  each('security_groups', (x) => `group ${x}`);
  if (it.source_security_group_id != null || u.source_security_group_id === true) peers.push(planned(it.source_security_group_id, u.source_security_group_id, (x) => `group ${x}`));
  if (it.self === true) peers.push('self');
  return peers;
}

/** sgscan's rules in the same shape: a reference to a resource is what Terraform knows after apply. */
function ourRules(m: Model): string[] {
  return m.rules.map((r) => rule(r.direction, r.protocol.kind === 'all' ? '-1' : protocolOf(r), r.fromPort, r.toPort, peerOf(r))).sort();
}

function protocolOf(r: Rule): string {
  return protocolName(r.protocol);
}

// A plan holds values, not whether a variable kept its default (Peer.origin): values are compared.
const valueOf = (p: Rule['peer']): Rule['peer'] => (p.kind === 'cidr' && p.origin ? { ...p, origin: undefined } : p);

function peerOf(r: Rule): string {
  const p = valueOf(r.peer);
  if (p.kind === 'cidr') return describePeer(p);
  if (p.kind === 'securityGroup' || p.kind === 'prefixList') {
    const vpcRule = r.resourceType.startsWith('aws_vpc_security_group_');
    if (p.kind === 'securityGroup' && p.self && !vpcRule) return 'self';
    if (p.ref instanceof ResourceRef) return AFTER_APPLY;
    if (p.ref instanceof Unknown) return `unknown ${p.ref}`;
    return `${p.kind === 'prefixList' ? 'prefix list' : 'group'} ${p.ref}`;
  }
  return describePeer(p);
}

/**
 * Our rules against Terraform's: equal, except that a list Terraform knows only after apply stands
 * for one or more rules of ours on the same protocol and ports, each peer a reference or a literal id.
 */
function againstTerraform(ours: string[], terraform: string[]): string[] {
  const left = [...ours];
  for (const t of terraform.filter((x) => x.endsWith(LIST_AFTER_APPLY))) {
    const head = t.slice(0, -LIST_AFTER_APPLY.length);
    const covered = left.filter((o) => o.startsWith(head) && /^(\(known after apply\)|group |prefix list )/.test(o.slice(head.length)));
    if (covered.length > 0) {
      for (const c of covered) left.splice(left.indexOf(c), 1);
      left.push(t);
    }
  }
  return left.sort();
}

const modelGroups = (m: Model) => m.groups.map((g) => JSON.stringify([g.address, g.name, g.namePrefix, g.description, g.location.file, g.location.line])).sort();
const modelRules = (m: Model) => m.rules.map((r) => `${r.group} ${r.resource} ${r.direction} ${protocolName(r.protocol)} ${describePorts(r.ports)} ${describePeer(valueOf(r.peer))} ${r.location.file}:${r.location.line}-${r.location.endLine}`).sort();
const withoutDefaults = (message: string) => message.replace(/ \((?:set by )?the default of var\.[\w-]+\)|, (?:set by )?the default of var\.[\w-]+/g, '');
const findings = (m: Model) => runChecks(m, ALL_CHECKS).map((f) => `${f.ruleId} ${f.resource} ${f.fingerprint} ${f.file}:${f.line} ${f.certainty} ${f.message}`).sort();

async function scanBoth(name: string): Promise<{ plan: Json; hcl: Model; fromPlan: Model }> {
  const dir = `${ROOT}/${name}`;
  const text = readFileSync(path.join(dir, 'plan.json'), 'utf8');
  const hcl = await scanTerraformModule(dir, folderFiles(dir), { ...optionsOf(dir), scanRoot: path.resolve(dir) });
  const fromPlan = await scanTerraformPlan({ abs: path.resolve(dir, 'plan.json'), path: `${dir}/plan.json` }, text);
  return { plan: JSON.parse(text) as Json, hcl, fromPlan };
}

describe('Terraform oracle: the .tf evaluation is Terraform\'s answer', () => {
  it('has at least 40 modules of its own', () => expect(MODULES.length).toBeGreaterThanOrEqual(40));
  for (const name of MODULES) {
    const why = CANNOT_MATCH[name];
    it(`${name}${why ? ` (.tf only; the plan scan cannot match: ${why})` : ''}`, async () => {
      const { plan, hcl, fromPlan } = await scanBoth(name);
      expect(hcl.errors).toEqual([]);
      expect(fromPlan.errors).toEqual([]);
      const expected = terraformRules(plan);
      expect(expected.length).toBeGreaterThan(0);
      expect(againstTerraform(ourRules(hcl), expected), 'rules from .tf vs Terraform').toEqual(expected);
      expect(againstTerraform(ourRules(fromPlan), expected), 'rules from plan.json vs Terraform').toEqual(expected);
      if (why) return;
      expect(modelGroups(fromPlan), 'groups of .tf scan vs plan scan').toEqual(modelGroups(hcl));
      expect(modelRules(fromPlan), '.tf scan vs plan scan').toEqual(modelRules(hcl));
      // The .tf scan knows which sources are a variable's default (named in messages; a rule covered only
      // by a default the user may narrow is not redundant); the plan holds the values it was made with.
      const defaulted = hcl.rules.some((r) => r.peer.kind === 'cidr' && r.peer.origin);
      const comparable = (list: string[]) => list.map(withoutDefaults).filter((x) => !(defaulted && x.startsWith('SGS016 ')));
      expect(comparable(findings(fromPlan)), 'findings of .tf scan vs plan scan').toEqual(comparable(findings(hcl)));
    });
  }
});
