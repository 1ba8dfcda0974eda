import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The layout's promises (docs/architecture.md): imports point down through the rooms, never in a
// cycle, and no source file grows past what one reader holds in mind.

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Rooms from the ground floor up; a file may import its own room and any room below it. */
const ROOMS = ['model', 'sets', 'input', 'network', 'reach', 'config', 'rules', 'pipeline', 'report', 'drivers'] as const;

function roomOf(file: string): number {
  if (file.startsWith('rules/')) return ROOMS.indexOf('rules');
  const top = file.split('/')[1];
  if (top === 'cli' || top === 'action') return ROOMS.indexOf('drivers');
  if (top === 'version.ts') return ROOMS.indexOf('model');
  const i = ROOMS.indexOf(top as (typeof ROOMS)[number]);
  if (i < 0) throw new Error(`${file} is in no room: add its folder to ROOMS and docs/architecture.md`);
  return i;
}

function walk(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
  );
}

const FILES = [...walk('src'), ...walk('rules')].sort();
const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])).replace(/\.js$/, '.ts'));
}

const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

describe('the layout', () => {
  it('finds the source files it guards', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(FILES).toContain('rules/index.ts');
  });

  it('imports only files that exist', () => {
    const missing = [...GRAPH].flatMap(([f, deps]) => deps.filter((d) => !GRAPH.has(d)).map((d) => `${f} -> ${d}`));
    expect(missing).toEqual([]);
  });

  it('never imports a higher room from a lower one', () => {
    const upward = [...GRAPH].flatMap(([f, deps]) =>
      deps.filter((d) => GRAPH.has(d) && roomOf(d) > roomOf(f)).map((d) => `${f} (${ROOMS[roomOf(f)]}) -> ${d} (${ROOMS[roomOf(d)]})`),
    );
    expect(upward).toEqual([]);
  });

  it('keeps src/ free of rules/: the drivers pass the catalog down', () => {
    const offenders = [...GRAPH].filter(([f, deps]) => f.startsWith('src/') && roomOf(f) !== ROOMS.indexOf('drivers') && deps.some((d) => d.startsWith('rules/')));
    expect(offenders.map(([f]) => f)).toEqual([]);
  });

  it('has no import cycle', () => {
    // Tarjan's strongly connected components; any component of two or more files is a cycle.
    let next = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      on.add(v);
      for (const w of GRAPH.get(v) ?? []) {
        if (!GRAPH.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1) cycles.push(scc.sort());
      }
    };
    for (const f of FILES) if (!index.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('keeps every file in src/ at 700 lines or fewer', () => {
    const long = FILES.filter((f) => f.startsWith('src/'))
      .map((f) => ({ f, lines: readFileSync(path.join(ROOT, f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 700)
      .map(({ f, lines }) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });
});
