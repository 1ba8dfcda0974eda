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
