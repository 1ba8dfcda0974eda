import childProcess from 'node:child_process';
import dns from 'node:dns';
import { existsSync, readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CORPUS, GOOD_CFN, GOOD_TF, REPO, scanTree, tmpTree } from './helpers.js';

// Issue #10, "no network, no execution, no path escape": the claims SECURITY.md makes, proved.

/** JavaScript's ways to run text as code: eval (global or globalThis.eval), Function constructors. */
const CODE_FROM_TEXT = /(?<![\w.])eval\s*\((?![^)]*:)|globalThis\.eval\b|\bnew\s+Function\b|(?<![\w.])Function\s*\(/;
const VM_MODULE = /['"](node:)?vm['"]/;

describe('no network, no execution', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    syncBuiltinESMExports();
  });

  /** Replace every way out with a spy that throws, so a call would both fail and be counted. */
  function trapEverything() {
    const forbidden = (what: string) => () => {
      throw new Error(`sgscan must not call ${what}`);
    };
    const spies = [
      vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(forbidden('net.Socket.connect')),
      vi.spyOn(http, 'request').mockImplementation(forbidden('http.request')),
      vi.spyOn(http, 'get').mockImplementation(forbidden('http.get')),
      vi.spyOn(https, 'request').mockImplementation(forbidden('https.request')),
      vi.spyOn(https, 'get').mockImplementation(forbidden('https.get')),
      vi.spyOn(globalThis, 'fetch').mockImplementation(forbidden('fetch')),
      vi.spyOn(dns, 'lookup').mockImplementation(forbidden('dns.lookup')),
      ...(['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const).map((name) =>
        vi.spyOn(childProcess, name).mockImplementation(forbidden(`child_process.${name}`)),
      ),
    ];
    // ESM named imports of built-ins (`import { spawn } from 'node:child_process'`) see the spies too.
    syncBuiltinESMExports();
    return spies;
  }

  it('a full scan of the demo and a corpus subset makes no network call and starts no process', async () => {
    const spies = trapEverything();
    // the trap works: a call through the ESM binding is caught
    const { execFileSync } = await import('node:child_process');
    expect(() => execFileSync('true')).toThrow(/must not call/);
    spies.forEach((s) => s.mockClear());

    const demo = await scanTree(path.join(REPO, 'fixtures/demo'));
    expect(demo.result.findings.length).toBeGreaterThan(0);
    for (const sub of ['terraform/terraform-aws-modules__terraform-aws-alb', 'cloudformation/aws-samples__aws-refarch-wordpress']) {
      const { result } = await scanTree(path.join(CORPUS, sub));
      expect(result.summary.filesScanned).toBeGreaterThan(0);
      // a trap that fired inside a guarded front end would surface as an error
      expect(result.errors.filter((e) => /must not call/.test(e.message))).toEqual([]);
    }
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });

  it('data "external" and local-exec provisioners are never run', async () => {
    const root = tmpTree({});
    const marker = path.join(root, 'SGSCAN_PWNED');
    const fixture = readFileSync(path.join(REPO, 'fixtures/hostile/exec/main.tf'), 'utf8').replaceAll('__MARKER__', marker);
    const scanned = tmpTree({ 'main.tf': fixture });
    const { result } = await scanTree(scanned);
    // the file was really scanned...
    expect(result.findings.some((f) => f.ruleId === 'SGS001' && f.resource === 'aws_security_group.exec')).toBe(true);
    // ...and nothing it names was executed
    for (const suffix of ['external', 'local-exec', 'sg-provisioner']) expect(existsSync(`${marker}.${suffix}`)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it('src/ never evaluates text as code (no eval, new Function, vm)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const abs = path.join(dir, name);
        if (statSync(abs).isDirectory()) walk(abs);
        else if (name.endsWith('.ts')) {
          readFileSync(abs, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              const code = line.replace(/\/\/.*$/, '').replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
              if (CODE_FROM_TEXT.test(code) || (VM_MODULE.test(line.replace(/\/\/.*$/, '')) && /\b(import|require)\b/.test(line))) {
                offenders.push(`${path.relative(REPO, abs)}:${i + 1}: ${line.trim()}`);
              }
            });
        }
      }
    };
    walk(path.join(REPO, 'src'));
    expect(offenders).toEqual([]);
  });

  it('the grep above is not vacuous: it catches the forms it looks for', () => {
    expect(CODE_FROM_TEXT.test('const f = new Function(body)')).toBe(true);
    expect(CODE_FROM_TEXT.test('const f = Function(body)')).toBe(true);
    expect(CODE_FROM_TEXT.test('return eval(text);')).toBe(true);
    expect(CODE_FROM_TEXT.test('globalThis.eval(text)')).toBe(true);
    expect(VM_MODULE.test("import vm from 'node:vm';")).toBe(true);
    // the evaluator's own method `eval(n: Node)` and calls `this.eval(x)` are not JavaScript eval
    expect(CODE_FROM_TEXT.test('  eval(n: Node): Value {')).toBe(false);
    expect(CODE_FROM_TEXT.test('return this.eval(n.e);')).toBe(false);
    expect(CODE_FROM_TEXT.test('evaluate(expr)')).toBe(false);
  });
});

describe('no path escape', () => {
  // `source = "../../outside"` in a scanned repository must not make sgscan read files elsewhere on
  // the machine (src/input/terraform/tree.ts: LoadContext.scanRoot); --allow-outside-root opts in.
  it('a module source leaving the scanned folder is not read', async () => {
    const base = tmpTree({
      'outside/main.tf': GOOD_TF,
      'repo/app/main.tf': 'module "escape" {\n  source = "../../outside"\n}\n',
    });
    const { result } = await scanTree(path.join(base, 'repo'));
    expect(result.files.filter((f) => f.startsWith('..'))).toEqual([]);
    expect(result.findings.filter((f) => f.file.startsWith('..'))).toEqual([]);
    expect(result.notices).toContainEqual(expect.objectContaining({ file: 'app/main.tf', line: 1, message: expect.stringMatching(/module "escape" is not scanned/) }));
  });

  it('module sources inside the scanned folder are still followed', async () => {
    const base = tmpTree({ 'repo/modules/sg/main.tf': GOOD_TF, 'repo/app/main.tf': 'module "sg" {\n  source = "../modules/sg"\n}\n' });
    const { result } = await scanTree(path.join(base, 'repo'));
    expect(result.findings.some((f) => f.ruleId === 'SGS001' && f.file === 'modules/sg/main.tf' && f.line === 3)).toBe(true);
  });

  // Issue 16: the test was on the written path, so a link inside the root pointing out passed it.
  it('a module source that is a symbolic link to a folder outside the root is not read', async () => {
    const outside = tmpTree({ 'main.tf': GOOD_TF });
    const root = tmpTree({ 'app/main.tf': 'module "x" {\n  source = "./linkdir"\n}\n' });
    symlinkSync(outside, path.join(root, 'app', 'linkdir'));
    const { result } = await scanTree(root);
    expect(result.files).toEqual(['app/main.tf']);
    expect(result.findings.filter((f) => f.file.includes('linkdir'))).toEqual([]);
    expect(result.notices).toContainEqual(expect.objectContaining({ file: 'app/main.tf', line: 1, message: expect.stringMatching(/module "x" is not scanned: its source app\/linkdir leaves the scanned folder/) }));
    // --allow-outside-root opts in
    const allowed = await scanTree(root, { terraform: { allowOutsideRoot: true } });
    expect(allowed.result.findings).toContainEqual(expect.objectContaining({ ruleId: 'SGS001', file: 'app/linkdir/main.tf', line: 3 }));
  });

  it('a module source reached through a link that stays inside the root is followed', async () => {
    const root = tmpTree({ 'modules/sg/main.tf': GOOD_TF, 'app/main.tf': 'module "x" {\n  source = "./linkdir"\n}\n' });
    symlinkSync(path.join(root, 'modules', 'sg'), path.join(root, 'app', 'linkdir'));
    const { result } = await scanTree(root);
    expect(result.findings).toContainEqual(expect.objectContaining({ ruleId: 'SGS001', file: 'app/linkdir/main.tf', line: 3 }));
  });

  it('a .tf file in a module folder that links outside the root is not read', async () => {
    const outside = tmpTree({ 'secret.tf': GOOD_TF });
    const root = tmpTree({ 'app/main.tf': 'module "x" {\n  source = "../modules/sg"\n}\n', 'modules/sg/empty.tf': '' });
    symlinkSync(path.join(outside, 'secret.tf'), path.join(root, 'modules', 'sg', 'link.tf'));
    const { result } = await scanTree(path.join(root, 'app'), { cwd: root, paths: ['app', 'modules'] });
    expect(result.findings.filter((f) => f.file.includes('link.tf'))).toEqual([]);
    expect(result.files).not.toContain('modules/sg/link.tf');
  });

  it('a nested stack whose TemplateURL is a link to a file outside the root is not read', async () => {
    const outside = tmpTree({ 'child.yaml': GOOD_CFN });
    const parent = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./link.yaml
`;
    const root = tmpTree({ 'parent.yaml': parent });
    symlinkSync(path.join(outside, 'child.yaml'), path.join(root, 'link.yaml'));
    const { result } = await scanTree(root);
    expect(result.findings.filter((f) => f.file === 'link.yaml')).toEqual([]);
    expect(result.notices).toContainEqual(expect.objectContaining({ file: 'parent.yaml', line: 3, message: expect.stringMatching(/not scanned: the file is outside the scanned folder/) }));
  });
});
