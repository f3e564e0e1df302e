// One esbuild bundle per entry point: the extension (vscode external) and the CLI (`prod-guard`).
import * as esbuild from 'esbuild';
import { chmodSync } from 'fs';

const production = process.argv.includes('--production');
// PRODGUARD_DIST builds elsewhere (parallel work on one checkout); the shipped layout is always dist/.
const out = process.env.PRODGUARD_DIST || 'dist';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  // Minified always: a smaller bundle loads faster at activation; linked source maps keep traces readable.
  minify: true,
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's UMD build requires files esbuild cannot see; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: `${out}/extension.js`,
    external: ['vscode'],
    // Lets activate() report the bundle's own evaluation time in its log line (read by `npm run bench`).
    banner: { js: 'globalThis.__prodGuardLoadStart = performance.now();' },
    footer: { js: 'globalThis.__prodGuardLoadEnd = performance.now();' },
  }),
  esbuild.build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: `${out}/cli.js`, banner: { js: '#!/usr/bin/env node' } }),
]);
chmodSync(`${out}/cli.js`, 0o755);
