import type { Rule } from '../model/model.js';
import type { Family } from '../sets/cidr.js';
import type { TrafficSet } from '../sets/traffic.js';

// The engine's vocabulary: questions (Source), answers (Reach, Verdict, Hop, Blocker) and layers.

export type Verdict = 'reachable' | 'possibly-reachable' | 'not-reachable';

/** One step of a path or a blocker, pointing at the code that decides it. */
export interface Hop {
  file: string;
  line: number;
  endLine?: number;
  message: string;
  /** The security group rule that admits the packet at this hop, when one does. */
  rule?: Rule;
}

export interface Blocker {
  message: string;
  file?: string;
  line?: number;
}

/**
 * The other end of a question. `prefix-list` is the named source an AWS-managed prefix list stands
 * for (its `name`, e.g. com.amazonaws.global.cloudfront.origin-facing): public addresses that only
 * rules naming that list admit.
 */
export type Source = { kind: 'internet' } | { kind: 'cidr'; cidr: string } | { kind: 'endpoint'; id: string } | { kind: 'prefix-list'; name: string; label: string };

export interface Reach {
  verdict: Verdict;
  /** Traffic that certainly gets through (protocol × destination port × source address). */
  allowed: TrafficSet;
  /** Traffic that gets through when the assumptions hold (a superset of `allowed`). */
  possible: TrafficSet;
  path: Hop[];
  blockers: Blocker[];
  assumptions: string[];
}

export interface ReachOptions {
  /**
   * false: a scan asking many questions; a "no" may come back with only the first blocker found
   * (the groups). Default true: every blocker.
   */
  explain?: boolean;
  /**
   * false (with explain false): the caller reads only the verdict of a "no" (east-west blocks drop
   * them), so a "no" comes back without blockers and is given up on as soon as a layer stops everything.
   */
  blockers?: boolean;
}

export interface EngineOptions {
  /** Client ports replies go back to through stateless NACLs; default 1024-65535. */
  ephemeralPorts?: { from: number; to: number };
}

/** One layer's answer over the whole question. */
export interface Layer {
  definite: TrafficSet;
  possible: TrafficSet;
  assumptions: string[];
  /** Why the layer stops traffic (reported when nothing of the question gets through it). */
  blockers: Blocker[];
  /** The code that lets a given packet through this layer. */
  hops: (w: Witness) => Hop[];
}

/** One packet of the answer, to show a concrete path. */
export interface Witness {
  family: Family;
  protocol: number;
  port: number;
  address: bigint;
}

export interface Membership {
  /** Group addresses (or literal ids) the source is a member of. */
  groups: Set<string>;
  /** Groups of the source that could not be resolved. */
  unknown: string[];
  /** AWS-managed prefix lists (names) the source's addresses belong to. */
  lists?: ReadonlySet<string>;
}
