import { createHash } from 'node:crypto';

// Splitting one scan across machines (`--shard i/n`). The unit of work is a Terraform root module
// (with the local modules it calls) or one document (template, plan): never split, because
// reachability needs a whole network. A unit's shard depends only on its path relative to the
// working directory, so it stays put when other units are added or removed, and GitHub code
// scanning keeps its alerts under the same SARIF category.

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parse "i/n" (1 ≤ i ≤ n); a message for the user otherwise. */
export function parseShard(text: string): Shard | { error: string } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return { error: `--shard must look like i/n (e.g. 1/4), got "${text}"` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return { error: `--shard ${text}: need 1 ≤ i ≤ n` };
  return { index, count };
}

/** The 1-based shard a unit belongs to, from a hash of its display path (forward slashes). */
export function shardOf(unitPath: string, count: number): number {
  const h = createHash('sha256').update(unitPath).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

export function inShard(unitPath: string, shard: Shard | undefined): boolean {
  return !shard || shard.count === 1 || shardOf(unitPath, shard.count) === shard.index;
}

/** SARIF category of a shard's run, so the runs of a CI matrix do not replace each other. */
export function shardCategory(shard: Shard): string {
  return `sgscan/shard-${shard.index}-of-${shard.count}`;
}

/** What one shard does with the Terraform root modules of a scan. */
export interface TerraformShardPlan {
  /** Root modules of this shard: evaluated and reported. */
  roots: string[];
  /**
   * Root modules of other shards that call a shared module this shard owns: evaluated too, so that
   * this shard reports every finding in the module, as an unsharded scan does; their own files are
   * reported by their own shard.
   */
  helpers: string[];
  /** Whether this shard reports what is located in a Terraform file (finding, error, notice, count). */
  reports: (file: string) => boolean;
}

const TERRAFORM_FILE = /\.(tf|tf\.json|tfvars|tfvars\.json)$/i;

/**
 * Which shard reports the files of a local module. A module called only from one shard's root
 * modules goes with them. A module shared by root modules of several shards goes to the shard its
 * own path hashes to, like a unit: that depends on nothing but the module's path, so adding,
 * removing or moving callers never moves its alerts (an owner chosen among the callers, e.g. the
 * first one, would move whenever a caller sorting before it appears).
 */
export function moduleOwner(modulePath: string, callerShards: ReadonlySet<number>, count: number): number {
  return callerShards.size === 1 ? [...callerShards][0] : shardOf(modulePath, count);
}

/**
 * `roots` and the keys and values of `calls` (a folder → the local modules it calls) are paths
 * relative to the working directory with forward slashes, as units are named.
 */
export function planTerraformShard(roots: readonly string[], calls: ReadonlyMap<string, readonly string[]>, shard: Shard | undefined): TerraformShardPlan {
  if (!shard || shard.count === 1) return { roots: [...roots], helpers: [], reports: () => true };
  const rootSet = new Set(roots);
  // The shards whose root modules reach each module, directly or through other modules.
  const callerShards = new Map<string, Set<number>>();
  const closure = new Map<string, string[]>();
  for (const root of roots) {
    const reached = new Set<string>();
    const stack = (calls.get(root) ?? []).slice();
    while (stack.length > 0) {
      const m = stack.pop()!;
      if (reached.has(m) || m === root || rootSet.has(m) || !calls.has(m)) continue;
      reached.add(m);
      for (const t of calls.get(m) ?? []) stack.push(t);
    }
    closure.set(root, [...reached]);
    const s = shardOf(root, shard.count);
    for (const m of reached) {
      const set = callerShards.get(m) ?? new Set<number>();
      set.add(s);
      callerShards.set(m, set);
    }
  }
  const owner = new Map([...callerShards].map(([m, s]) => [m, moduleOwner(m, s, shard.count)] as const));
  const mine = (root: string) => shardOf(root, shard.count) === shard.index;
  const helpers = roots.filter((r) => !mine(r) && closure.get(r)!.some((m) => owner.get(m) === shard.index && callerShards.get(m)!.size > 1));
  return {
    roots: roots.filter(mine),
    helpers,
    reports: (file) => {
      if (!TERRAFORM_FILE.test(file)) return true; // documents are units of their own (see scan.ts)
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
      const o = owner.get(dir);
      if (o !== undefined) return o === shard.index;
      return !rootSet.has(dir) || mine(dir);
    },
  };
}

/** What one shard does with the CloudFormation documents whose nested stacks are shared. */
export interface DocumentShardPlan {
  /**
   * Documents of other shards that nest a template this shard owns: their model joins this shard's
   * (every shard reads templates with nested stacks anyway), only the nested template is reported.
   */
  helpers: Set<string>;
  /** Whether this shard reports what is located in a document. */
  reports: (file: string) => boolean;
}

/**
 * `units` are the documents scanned on their own (not nested in another), each with the templates it
 * nests (at any depth). A nested template follows the rule of a shared local module (moduleOwner).
 */
export function planDocumentShard(units: ReadonlyArray<{ path: string; nested: readonly string[] }>, shard: Shard | undefined): DocumentShardPlan {
  if (!shard || shard.count === 1) return { helpers: new Set(), reports: () => true };
  const parentShards = new Map<string, Set<number>>();
  for (const u of units) {
    for (const c of u.nested) {
      const set = parentShards.get(c) ?? new Set<number>();
      set.add(shardOf(u.path, shard.count));
      parentShards.set(c, set);
    }
  }
  const owner = new Map([...parentShards].map(([c, s]) => [c, moduleOwner(c, s, shard.count)] as const));
  const unitPaths = new Set(units.map((u) => u.path));
  const helpers = new Set(
    units.filter((u) => !inShard(u.path, shard) && u.nested.some((c) => owner.get(c) === shard.index && parentShards.get(c)!.size > 1)).map((u) => u.path),
  );
  return {
    helpers,
    reports: (file) => {
      const o = owner.get(file);
      if (o !== undefined) return o === shard.index;
      return !unitPaths.has(file) || inShard(file, shard);
    },
  };
}
