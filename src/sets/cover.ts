import { NO_TRAFFIC, type TrafficSet, intersect, union } from './traffic.js';

// Which of many traffic sets are covered by the others, without comparing each with all the rest
// (that was quadratic: one group of 8,000 rules took 72 s). A segment tree over the sets keeps, per
// node, the union of its live sets and the points covered by at least two of them; a set is covered
// by the other live sets exactly when it lies within the root's "at least two". Removing a set
// updates one path of the tree.

interface Node {
  /** Union of the live sets below. */
  any: TrafficSet;
  /** Points in at least two live sets below. */
  twice: TrafficSet;
}

export interface CoverTree {
  /** Points covered by at least two live sets. */
  coveredTwice(): TrafficSet;
  /** Take set i out (it no longer covers anything). */
  remove(i: number): void;
}

export function coverTree(sets: readonly TrafficSet[]): CoverTree {
  let size = 1;
  while (size < sets.length) size *= 2;
  const nodes: Node[] = new Array(2 * size);
  const none: Node = { any: NO_TRAFFIC, twice: NO_TRAFFIC };
  for (let i = 0; i < size; i++) nodes[size + i] = i < sets.length ? { any: sets[i], twice: NO_TRAFFIC } : none;
  const combine = (l: Node, r: Node): Node => ({
    any: union(l.any, r.any),
    twice: union(union(l.twice, r.twice), intersect(l.any, r.any)),
  });
  for (let k = size - 1; k >= 1; k--) nodes[k] = combine(nodes[2 * k], nodes[2 * k + 1]);
  return {
    coveredTwice: () => (size === 1 ? NO_TRAFFIC : nodes[1].twice),
    remove(i) {
      let k = size + i;
      nodes[k] = none;
      for (k >>= 1; k >= 1; k >>= 1) nodes[k] = combine(nodes[2 * k], nodes[2 * k + 1]);
    },
  };
}
