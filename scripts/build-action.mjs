#!/usr/bin/env node
// Bundles the GitHub Action (src/action/index.ts) into dist/index.js with esbuild, so the runner needs
// no `npm install`, and the scan's worker thread (src/cli/scan-worker.ts) into dist/scan-worker.js
// beside it (without it the Action scans on one thread). Usage: node scripts/build-action.mjs [--outdir DIR]   (default: dist)
//
// One runtime lookup in a dependency needs help, because node_modules is not there at run time:
// src/input/cloudformation/parse-yaml.ts loads yaml-cfn and its own js-yaml through createRequire. There,
//   `node:module` is replaced by a small module whose createRequire serves the bundled copies.
// Output is deterministic (no timestamps, no absolute paths), so a rebuild can be compared byte for byte.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--outdir');
const outdir = path.resolve(root, outIndex >= 0 ? args[outIndex + 1] : 'dist');

const require = createRequire(path.join(root, 'package.json'));
const yamlCfnMain = require.resolve('yaml-cfn');
const jsYamlMain = createRequire(yamlCfnMain).resolve('js-yaml');
const posix = (p) => path.relative(root, p).split(path.sep).join('/');

/** @type {import('esbuild').Plugin} */
const bundledRequire = {
  name: 'parse-yaml-require',
  setup(b) {
    b.onResolve({ filter: /^node:module$/ }, (args) =>
      /[\\/]src[\\/]input[\\/]cloudformation[\\/]parse-yaml\.ts$/.test(args.importer) ? { path: 'bundled-require', namespace: 'sgscan' } : undefined,
    );
    b.onLoad({ filter: /^bundled-require$/, namespace: 'sgscan' }, () => ({
      resolveDir: root,
      loader: 'js',
      contents: `
import * as yamlCfn from './${posix(yamlCfnMain)}';
import * as jsYaml from './${posix(jsYamlMain)}';
const modules = { 'yaml-cfn': yamlCfn.default ?? yamlCfn, 'js-yaml': jsYaml.default ?? jsYaml };
export function createRequire() {
  const req = (id) => {
    if (!(id in modules)) throw new Error('module not bundled: ' + id);
    return modules[id];
  };
  req.resolve = (id) => id;
  return req;
}
`,
    }));
  },
};

await build({
  absWorkingDir: root,
  // Two bundles, each whole: a worker thread loads its entry as the main thread loads index.js.
  entryPoints: { index: 'src/action/index.ts', 'scan-worker': 'src/cli/scan-worker.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // CommonJS dependencies call require() and read __dirname; give them both in the ES module.
  banner: {
    js: [
      "import { createRequire as __sgscanCreateRequire } from 'node:module';",
      "import { fileURLToPath as __sgscanFileURLToPath } from 'node:url';",
      "import { dirname as __sgscanDirname } from 'node:path';",
      'const require = __sgscanCreateRequire(import.meta.url);',
      'const __filename = __sgscanFileURLToPath(import.meta.url);',
      'const __dirname = __sgscanDirname(__filename);',
    ].join('\n'),
  },
  // Only required on Node versions without a global `performance` (older than 16); never reached.
  external: ['performance'],
  legalComments: 'eof',
  sourcemap: false,
  minify: false,
  logLevel: 'warning',
  plugins: [bundledRequire],
});

mkdirSync(outdir, { recursive: true });
// esbuild names each bundled file by its real path: a worktree whose node_modules is a symlink would
// write "../main/node_modules/...". Name them node_modules/..., so any checkout gives the same bytes.
for (const name of ['index.js', 'scan-worker.js']) {
  const bundle = path.join(outdir, name);
  writeFileSync(bundle, readFileSync(bundle, 'utf8').replace(/(?:\.\.\/)+[\w.-]+\/node_modules\//g, 'node_modules/'));
}
// The HCL parser is native now: no WASM to carry (remove one left by an older build).
rmSync(path.join(outdir, 'main.wasm.gz'), { force: true });
// dist/index.js is an ES module wherever the action is checked out.
writeFileSync(path.join(outdir, 'package.json'), '{\n  "type": "module"\n}\n');
// The config loader looks for schemas/ next to or above the code.
mkdirSync(path.join(outdir, 'schemas'), { recursive: true });
copyFileSync(path.join(root, 'schemas', 'sgscan-config.schema.json'), path.join(outdir, 'schemas', 'sgscan-config.schema.json'));
process.stdout.write(`built ${path.relative(root, path.join(outdir, 'index.js')) || outdir}\n`);
