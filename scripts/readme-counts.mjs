// The counts README.md states ("34 checks") come from the registry, never typed: `npm run docs`
// rewrites them with stampCheckCount, and test/cli/rule-docs.test.ts fails when they are stale.

/** Where README.md says how many checks there are: the overview and the demo output's summary line. */
const CHECK_COUNTS = [/\((\d+) checks, each with/g, /· (\d+) checks\n/g];

/**
 * README text with every stated check count set to `count`. Throws when a place is gone, so that
 * rewording the README cannot quietly leave a count nobody updates.
 */
export function stampCheckCount(text, count) {
  let out = text;
  for (const pattern of CHECK_COUNTS) {
    if (out.search(pattern) < 0) throw new Error(`README.md no longer states a check count matching ${pattern}`);
    out = out.replace(pattern, (m, n) => m.replace(n, String(count)));
  }
  return out;
}
