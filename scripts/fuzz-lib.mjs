// A seeded mutation fuzzer over sgscan's own fixtures and the shared corpus (issue 16). Plain
// JavaScript so both the test suite (with src/ through vitest) and `npm run fuzz` (with the built
// out/) can drive it: the caller passes `scan` and the checks.
//
// Each input is one seed file, mutated 1-3 times, scanned beside good.tf (SSH open to the world at
// line 3). It fails when the scan throws (crash), reports an internal error or a raw engine message
// (internal), takes longer than `slowMs` (hang), loses good.tf's finding (loss), or, every
// `repeatEvery` inputs, gives a different result the second time (nondeterminism).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const GOOD_TF = `resource "aws_security_group" "good" {
  description = "known finding"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

/** Messages that mean sgscan itself went wrong, not the input. */
const INTERNAL = /internal error|Maximum call stack|call stack size|Invalid array length|is not a function|Cannot read propert|undefined is not|RangeError|TypeError/;

/** Small deterministic PRNG (mulberry32). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seed files: .tf / .yaml / .yml / .json / .template under the given folders, small ones, sorted. */
export function seedFiles(dirs, maxBytes = 30_000) {
  const out = [];
  const walk = (dir) => {
    let names;
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const abs = path.join(dir, name);
      const s = statSync(abs, { throwIfNoEntry: false });
      if (!s) continue;
      if (s.isDirectory()) {
        if (name !== 'node_modules' && name !== '.terraform') walk(abs);
      } else if (/\.(tf|ya?ml|json|template)$/.test(name) && s.size > 0 && s.size <= maxBytes) out.push(abs);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** Snippets that have hung or crashed sgscan before, or look like they might. */
const HOSTILE = [
  'count = 1e9',
  'count = 99999999999999999999999',
  'for_each = toset([for i in range(20000) : tostring(i)])',
  'x = regex("^(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")',
  'x = replace("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "/(a|aa)+$/", "b")',
  `x = ${'['.repeat(401)}${']'.repeat(401)}`,
  `x = ${'('.repeat(300)}1${')'.repeat(300)}`,
  'x = "${' + '${'.repeat(50) + '}'.repeat(51) + '"',
  'x = local.x',
  'module "m" { source = "./" }',
  'module "up" { source = "../../../../../../../../etc" }',
  'x = range(1e9)',
  'x = flatten([for i in range(400) : [for j in range(400) : j]])',
  `x = "${'a'.repeat(100_000)}"`,
  '- &a [*a, *a, *a, *a, *a, *a, *a, *a]',
  'Fn::If: [C, !Ref AWS::NoValue, {"Fn::Sub": "${AWS::StackName}"}]',
  '!GetAtt [X, Y, Z, W]',
  'Condition: !Not [!Condition Self]',
  '{"Fn::Join": ["", [{"Ref": "Missing"}]]}',
  'CidrIp: 0.0.0.0/0',
  'FromPort: -1',
  'ToPort: 99999999999999999999',
  '\u0000\ufffe\ud800',
  '<<EOT\nheredoc\n',
  '"\\u0000\\uD800"',
];

/** One mutation of the text, chosen by `rand`. */
function mutateOnce(text, rand) {
  const pick = (n) => Math.floor(rand() * n);
  const lines = text.split('\n');
  switch (pick(7)) {
    case 0: {
      // flip one bit of one character (kept within the Basic Multilingual Plane)
      if (text.length === 0) return text;
      const at = pick(text.length);
      const c = text.charCodeAt(at) ^ (1 << pick(7));
      return text.slice(0, at) + String.fromCharCode(c) + text.slice(at + 1);
    }
    case 1:
      return text.slice(0, pick(text.length + 1));
    case 2:
      lines.splice(pick(lines.length), 1);
      return lines.join('\n');
    case 3: {
      const at = pick(lines.length);
      lines.splice(at, 0, ...lines.slice(at, at + 1 + pick(20)));
      return lines.join('\n');
    }
    case 4: {
      const a = pick(lines.length);
      const b = pick(lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    default: {
      // a hostile snippet on its own line, indented like its neighbour
      const at = pick(lines.length);
      const indent = /^\s*/.exec(lines[at] ?? '')[0];
      lines.splice(at, 0, indent + HOSTILE[pick(HOSTILE.length)]);
      return lines.join('\n');
    }
  }
}

export function mutate(text, rand) {
  let out = text;
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) out = mutateOnce(out, rand);
  return out;
}

/** What two scans of the same input must agree on. */
function digest(result) {
  return JSON.stringify({
    findings: result.findings.map((f) => [f.ruleId, f.file, f.line, f.endLine, f.message, f.fingerprint, f.certainty, f.assumptions]),
    errors: result.errors,
    notices: result.notices,
    files: result.files,
    summary: result.summary,
  });
}

/**
 * Run `inputs` fuzz inputs. `scan(options)` is sgscan's pipeline scan, `checks` its catalog.
 * Returns the figures and the first few failures (each with its seed file and input number, to
 * reproduce with the same seed).
 */
export async function runFuzz({ scan, checks, seeds, inputs, seed = 16, slowMs = 10_000, repeatEvery = 10, onProgress, saveDir }) {
  const rand = prng(seed);
  const figures = { inputs: 0, crashes: 0, internal: 0, hangs: 0, losses: 0, nondeterminism: 0, seconds: 0, inputsPerSecond: 0 };
  const failures = [];
  let current = { name: '', text: '' };
  const fail = (kind, i, file, detail) => {
    if (failures.length < 20) failures.push({ kind, input: i, seed: file, detail: String(detail).slice(0, 300) });
    // the failing input itself, to reproduce with `sgscan scan <saveDir>/<n>`
    if (saveDir) {
      mkdirSync(path.join(saveDir, String(i)), { recursive: true });
      writeFileSync(path.join(saveDir, String(i), 'good.tf'), GOOD_TF);
      writeFileSync(path.join(saveDir, String(i), current.name), current.text);
    }
  };
  const work = mkdtempSync(path.join(tmpdir(), 'sgscan-fuzz-'));
  const started = Date.now();
  try {
    for (let i = 0; i < inputs; i++) {
      const source = seeds[Math.floor(rand() * seeds.length)];
      const text = mutate(readFileSync(source, 'utf8'), rand);
      const root = path.join(work, String(i));
      const name = `input${path.extname(source)}`;
      mkdirSync(root);
      current = { name, text };
      writeFileSync(path.join(root, 'good.tf'), GOOD_TF);
      writeFileSync(path.join(root, name), text);
      const options = { paths: ['.'], cwd: root, version: '0.0.0-fuzz', today: '2025-01-01', checks };
      let result;
      const t0 = Date.now();
      try {
        result = (await scan(options)).result;
      } catch (e) {
        figures.crashes++;
        fail('crash', i, source, e?.stack ?? e);
        continue;
      } finally {
        figures.inputs++;
      }
      if (Date.now() - t0 > slowMs) {
        figures.hangs++;
        fail('hang', i, source, `${Date.now() - t0} ms`);
      }
      const bad = [...result.errors, ...result.notices, ...result.findings].find((d) => INTERNAL.test(d.message) || !d.file);
      if (bad) {
        figures.internal++;
        fail('internal', i, source, `${bad.file}:${bad.line ?? ''} ${bad.message}`);
      }
      if (!result.findings.some((f) => f.ruleId === 'SGS001' && f.file === 'good.tf' && f.line === 3)) {
        figures.losses++;
        fail('loss', i, source, "good.tf's SSH finding is missing");
      }
      if (i % repeatEvery === 0) {
        const again = (await scan(options)).result;
        if (digest(again) !== digest(result)) {
          figures.nondeterminism++;
          fail('nondeterminism', i, source, 'a second scan of the same input differs');
        }
      }
      rmSync(root, { recursive: true, force: true });
      onProgress?.(figures);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  figures.seconds = (Date.now() - started) / 1000;
  figures.inputsPerSecond = Math.round((figures.inputs / Math.max(figures.seconds, 0.001)) * 10) / 10;
  return { figures, failures };
}
