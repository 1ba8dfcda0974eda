// Terraform instance addresses: `x[0]` and `x["a"]` are instances of the resource `x`.

/**
 * The address without its last instance key (`x[0]` -> `x`); as `replace(/\[[^\]]*\]$/, '')` did,
 * without the regex trying every "[" of every address that has no key (a third of a second on
 * 10,000 groups).
 */
export function baseAddress(address: string): string {
  const n = address.length;
  if (n === 0 || address.charCodeAt(n - 1) !== 93 /* ] */) return address;
  // The key is the first "[" after the last "]" before the closing one.
  const open = address.indexOf('[', address.lastIndexOf(']', n - 2) + 1);
  return open < 0 || open > n - 2 ? address : address.slice(0, open);
}
