// Array helpers that stay linear and never spread an input-sized array into call arguments:
// `to.push(...items)` passes every element on the stack and overflows it near 100,000 elements (a
// 200,000-rule template took the whole scan down), and `map.set(k, [...(map.get(k) ?? []), x])`
// copies the list on every insertion (quadratic).

/** Push every item of `items` onto `to`. */
export function append<T>(to: T[], items: Iterable<T>): void {
  for (const x of items) to.push(x);
}

/** Add `value` to the list `map` keeps under `key`. */
export function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Largest of the numbers (-Infinity for none), as Math.max would give without the spread. */
export function maxOf(xs: Iterable<number>): number {
  let m = -Infinity;
  for (const x of xs) if (x > m || Number.isNaN(x)) m = x;
  return m;
}

/** Smallest of the numbers (Infinity for none). */
export function minOf(xs: Iterable<number>): number {
  let m = Infinity;
  for (const x of xs) if (x < m || Number.isNaN(x)) m = x;
  return m;
}
