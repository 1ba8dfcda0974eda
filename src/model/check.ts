import type { SourceLocation } from './location.js';
import type { Model, Rule } from './model.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower is more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Check ids of the peer tools, per tool (a type literal, so Object.entries sees the lists). */
export type PeerIds = { checkov?: string[]; trivy?: string[]; kics?: string[]; cfnNag?: string[] };

/** Metadata beside each check, in the manner of ESLint's rule `meta` and cfn-lint's rule classes. */
export interface CheckMeta {
  /** Stable id, e.g. "SGS001". Never reused. */
  id: string;
  /** Slug, e.g. "admin-port-open-to-world"; accepted wherever an id is. */
  name: string;
  severity: Severity;
  shortDescription: string;
  fullDescription: string;
  /** What to do about it, plain text; examples in the two source formats. */
  remediation: string;
  remediationTerraform?: string;
  remediationCloudFormation?: string;
  tags: string[];
  /** AWS docs, CIS or Security Hub controls. */
  references: string[];
  /**
   * The preset that turns the check on (src/config/presets.ts): absent means `recommended` (and so
   * strict too); `strict` checks are off unless the configuration `extends: strict` or `--preset strict`.
   */
  preset?: 'recommended' | 'strict';
  /**
   * Equivalent checks in other tools, where one exists (ids as in data/peer-checks.json; KICS by query
   * UUID). docs/peers.md is generated from these.
   */
  equivalents?: PeerIds;
  /**
   * Peer checks this check covers only with the options the strict preset gives it (src/config/presets.ts):
   * SGS023 reports FTP (Checkov CKV_AWS_229/230) only with strict's port list.
   */
  strictEquivalents?: PeerIds;
  /**
   * How often the check's results are true positives (SARIF reportingDescriptor `precision`, which
   * GitHub uses to rank alerts). Absent means "high": checks decide from the parsed configuration.
   */
  precision?: 'very-high' | 'high' | 'medium' | 'low';
  /**
   * Checks of one family judge the same line from different angles (a rule open to the world: all
   * traffic, SSH, a high-risk port, an unlisted port; a NACL entry). Where several report the same
   * subject, the report keeps one finding, the lowest `rank`'s, at the most severe of their
   * severities (src/pipeline/fold.ts): one finding per thing to fix.
   */
  overlaps?: {
    family: string;
    rank: number;
    /**
     * Its headline names the service the catalog gives a port ("allows SMB (tcp/445)"). Where the
     * members are load balancers, what answers on the port is a listener, so another check of the
     * family words the finding (src/pipeline/fold.ts).
     */
    namesService?: boolean;
  };
  /**
   * Findings of this check that a single world-open rule explains (an internet exposure whose path
   * that rule opens) are told at that rule's finding instead of on their own.
   */
  foldsIntoRule?: boolean;
  /**
   * The check reads only the model's errors and files, and asks about the whole scan (discovery's
   * errors belong to no unit): it runs once over all of them, never on one unit's model (worker threads).
   */
  wholeScan?: boolean;
}

/** What a check reports; the runner adds rule id, severity and fingerprint. */
export interface Report {
  message: string;
  location: SourceLocation;
  via?: SourceLocation[];
  /** Logical resource address (Terraform address or CloudFormation logical ID). */
  resource: string;
  /**
   * What makes this finding distinct on its resource, independent of lines (e.g. "ingress tcp/22
   * 0.0.0.0/0"). Feeds the fingerprint.
   */
  key: string;
  /** "possible" when the verdict depends on unknown values; `assumptions` names them. */
  certainty?: 'definite' | 'possible';
  assumptions?: string[];
  /** Overrides the check's severity for this report (checks whose severity depends on what is found). */
  severity?: Severity;
  /** The steps that make the finding true, outermost first (reachability paths; SARIF codeFlows). */
  path?: PathStep[];
  /** Whether the resource is reachable from the internet, when reachability analysis decided it. */
  reachability?: Reachability;
  /**
   * The rule this report says opens traffic to the world: re-ranking asks reachability whether that
   * traffic really reaches anything (src/pipeline/rerank.ts). Not part of any report format.
   */
  exposes?: Rule;
  /** The resource the path ends at, when it is not `resource` (an exposure told at the rule that opens it). */
  target?: string;
  /** For exposure findings: the exposed service as a reviewer names it, "tcp/22 (SSH)". */
  service?: string;
  /**
   * What the finding judges, when checks of one family (CheckMeta.overlaps) report it at different
   * lines or keys (a NACL entry's protocol line and its CIDR line). Default: file, line, resource, key.
   */
  subject?: string;
  /**
   * A claim about the whole scan that a unit can only make for itself (an intent that selects nothing):
   * when units are judged apart, the scan keeps it only if every unit makes it (src/pipeline/parallel.ts).
   */
  everyUnit?: boolean;
}

export type Reachability = 'reachable' | 'possibly-reachable' | 'not-reachable';

/** One step of a finding's path: where in the code, and what happens there. */
export interface PathStep {
  file: string;
  line: number;
  endLine?: number;
  message: string;
  /** The security group rule that lets the traffic through at this step. Not part of any report format. */
  rule?: Rule;
}

export interface CheckContext {
  /** Options for this check from configuration (port lists etc.); defaults apply when absent. */
  options: Record<string, unknown>;
}

export interface Check {
  meta: CheckMeta;
  run(model: Model, context: CheckContext): Report[];
}

export interface Finding {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  endLine: number;
  resource: string;
  fingerprint: string;
  certainty: 'definite' | 'possible';
  assumptions: string[];
  via: SourceLocation[];
  key: string;
  /** Set when an inline directive or the configuration accepts the finding (src/pipeline/suppress.ts). */
  suppression?: Suppression;
  /** See Report.path. */
  path?: PathStep[];
  /** See Report.reachability; set by checks or by reachability re-ranking (src/pipeline/rerank.ts). */
  reachability?: Reachability;
  /** See Report.exposes. */
  exposes?: Rule;
  /**
   * Set by re-ranking when every member of the rule's group is a load balancer, which answers only on
   * its listeners (src/pipeline/rerank.ts). Not part of any report format.
   */
  servedByListeners?: boolean;
  /** See Report.target. */
  target?: string;
  /** See Report.service. */
  service?: string;
  /** See Report.subject. */
  subject?: string;
  /** See Report.everyUnit. Not part of any report format. */
  everyUnit?: boolean;
  /**
   * Findings of other checks that this one stands for (src/pipeline/fold.ts): the same rule seen by
   * overlapping checks, the internet exposures it opens. Kept so PR mode and diagrams still see them.
   */
  folded?: Finding[];
}

/** Why a finding is accepted, and where that is written. */
export interface Suppression {
  /** `inline`: a `# sgscan:ignore` comment or CloudFormation Metadata; `config`: the configuration file. */
  kind: 'inline' | 'config';
  reason: string;
  /** YYYY-MM-DD, last day it applies (configuration suppressions only). */
  expires?: string;
  /** The directive's or the configuration entry's file and 1-based line. */
  file: string;
  line: number;
}

/** Every finding with the findings it stands for (Finding.folded), flattened: what counts exposures reads this. */
export function withFolded(findings: readonly Finding[]): Finding[] {
  return findings.flatMap((f) => [f, ...withFolded(f.folded ?? [])]);
}
