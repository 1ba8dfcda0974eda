// The counts README.md states ("34 checks") come from the registry, never typed: `npm run docs`
// rewrites them with stampCheckCount, and test/cli/rule-docs.test.ts fails when they are stale.

/**
 * Where README.md says how many checks there are: the overview (the catalog) and the demo output's
 * summary line (the checks a default scan runs: the recommended preset).
 */
const CATALOG_COUNT = /\((\d+) checks, each with/g;
const RUN_COUNT = /· (\d+) checks\n/g;

/**
 * README text with the catalog's count set to `count` and the demo run's to `run` (default: the
 * same). Throws when a place is gone, so that rewording the README cannot quietly leave a count
 * nobody updates.
 */
export function stampCheckCount(text, count, run = count) {
  let out = text;
  for (const [pattern, stated] of [[CATALOG_COUNT, count], [RUN_COUNT, run]]) {
    if (out.search(pattern) < 0) throw new Error(`README.md no longer states a check count matching ${pattern}`);
    out = out.replace(pattern, (m, n) => m.replace(n, String(stated)));
  }
  return out;
}
