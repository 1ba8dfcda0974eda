#!/usr/bin/env node
// The `prepare` lifecycle script: build out/ (what bin/sgscan.js runs) wherever npm can, never fail an
// install because the compiler is missing.
//
// npm runs `prepare` in several situations, and they need different things:
// - `npm ci` / `npm install` in a checkout (developers, CI): devDependencies are there, so build.
// - `npm pack` / `npm publish` (and pre-commit, which packs the hook's repository): `prepack` builds,
//   nothing to do here.
// - `npm install -g .` in a fresh clone: npm (7 and later) links the folder into the global prefix and
//   runs `prepare` in it *without installing any of its dependencies*, so there is neither a compiler
//   nor the CLI's own runtime dependencies. Install them in place (`npm ci`, exactly as the README's
//   development setup does), then build, so the linked `sgscan` works.
// - A packed release being installed already has out/ (and no compiler): nothing to do.
// - Anything else without TypeScript (e.g. `npm install --omit=dev` in a checkout): say so and skip;
//   bin/sgscan.js then explains what is missing if it is run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;

if (env.npm_command === 'pack' || env.npm_command === 'publish') process.exit(0); // prepack builds

const built = () => existsSync(path.join(root, 'out/sgscan.js'));

// A checkout has the lock file and the build configuration; a packed release has neither.
const checkout = existsSync(path.join(root, 'package-lock.json')) && existsSync(path.join(root, 'tsconfig.build.json'));

if (!hasTypescript()) {
  if (checkout && env.npm_config_global === 'true' && !existsSync(path.join(root, 'node_modules'))) {
    console.error('sgscan: installing from a source folder: installing its dependencies there (npm ci), then building');
    npm(['ci', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'], localEnv());
  } else if (built()) {
    // A packed release (out/ inside) installed by an npm that runs `prepare` for it: nothing to build.
    process.exit(0);
  }
  if (!hasTypescript()) {
    console.error('sgscan: TypeScript is not installed, so out/ was not built; run `npm ci` (or `npm run build`) here to build it');
    process.exit(0);
  }
}
npm(['run', 'build'], env);
if (!built()) {
  console.error('sgscan: the build did not produce out/sgscan.js');
  process.exit(1);
}

function hasTypescript() {
  try {
    createRequire(path.join(root, 'package.json')).resolve('typescript/package.json');
    return true;
  } catch {
    return false;
  }
}

/** Run npm (the one running this script when known), failing this script when it fails. */
function npm(args, childEnv) {
  const cli = env.npm_execpath;
  const [cmd, argv] = cli && /\.c?js$/.test(cli) ? [env.npm_node_execpath || process.execPath, [cli, ...args]] : ['npm', args];
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: childEnv, shell: process.platform === 'win32' && cmd === 'npm' });
  if (r.status !== 0) {
    console.error(`sgscan: npm ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

/**
 * The environment for a local install in this folder: the outer command's global-install settings
 * (where to install, what to omit, not to run scripts) must not leak into it.
 */
function localEnv() {
  const drop = /^npm_config_(global|location|prefix|local_prefix|global_prefix|omit|include|only|production|dev|also|ignore_scripts|install_links|save(_.*)?)$/i;
  return Object.fromEntries(Object.entries(env).filter(([k]) => !drop.test(k)));
}
