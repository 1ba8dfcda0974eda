import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 16: spreading an input-sized array into call arguments (`to.push(...items)`) overflows the
// stack near 100,000 elements and took a whole 200,000-rule scan down; re-spreading a list on every
// insertion (`map.set(k, [...(map.get(k) ?? []), x])`) is quadratic. src/model/arrays.ts has the
// linear forms (append, addTo, maxOf, minOf).

const ROOT = path.resolve(import.meta.dirname, '../..');

function walk(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
  );
}

export const SPREAD_CALL = /\.(push|unshift)\(\s*\.\.\.|Math\.(max|min)\(\s*\.\.\.(?!SEVERITIES)|\[\.\.\.\(([\w.]+)\.get\(/;

describe('no stack-deep or quadratic array idioms in src/ and rules/', () => {
  it('no push(...xs), unshift(...xs), Math.max(...xs) or [...(m.get(k) ?? []), x]', () => {
    const hits: string[] = [];
    for (const file of [...walk('src'), ...walk('rules')].sort()) {
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (SPREAD_CALL.test(line) && !line.trimStart().startsWith('//')) hits.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it('the pattern is not vacuous', () => {
    for (const bad of ['out.push(...xs);', 'a.unshift(...b)', 'Math.max(...n)', 'm.set(k, [...(m.get(k) ?? []), x]);']) expect(SPREAD_CALL.test(bad)).toBe(true);
    for (const ok of ['append(out, xs);', 'out.push(x);', 'Math.max(a, b)', 'const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));']) expect(SPREAD_CALL.test(ok)).toBe(false);
  });
});
