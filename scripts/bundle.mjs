// One esbuild configuration for sgscan's bundles: the CLI's (out/sgscan.js, by `npm run build`) and the
// GitHub Action's (dist/index.js, by `npm run build:action`), each with the scan's worker thread
// (scan-worker.js) beside it. A bundle loads as one file: the CLI starts in about a third of the time
// it took to resolve and compile ~400 modules of out/src and node_modules one by one.
//
// One runtime lookup in a dependency needs help, because node_modules may not be there at run time:
// src/input/cloudformation/parse-yaml.ts loads yaml-cfn and its own js-yaml through createRequire. There,
//   `node:module` is replaced by a small module whose createRequire serves the bundled copies.
// Output is deterministic (no timestamps, no absolute paths), so a rebuild can be compared byte for byte.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

/**
 * Bundle `entryPoints` ({ outName: 'src/....ts' }) into `outdir`, each whole: a worker thread loads its
 * entry as the main thread loads its own.
 */
export async function bundle(entryPoints, outdir) {
  await build({
    absWorkingDir: root,
    entryPoints,
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
  // esbuild names each bundled file by its real path: a worktree whose node_modules is a symlink would
  // write "../main/node_modules/...". Name them node_modules/..., so any checkout gives the same bytes.
  for (const name of Object.keys(entryPoints)) {
    const file = path.join(outdir, `${name}.js`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(?:\.\.\/)+[\w.-]+\/node_modules\//g, 'node_modules/'));
  }
}
