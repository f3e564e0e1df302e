// One esbuild bundle per entry point: the extension (vscode external) and the CLI (`prod-guard`).
import * as esbuild from 'esbuild';
import { chmodSync } from 'fs';

const production = process.argv.includes('--production');

// The SQL parser is large and only SQL tools need it: it gets its own file, required on first use, so a
// kubectl decision (and extension activation) never loads it.
const sqlParserApart = {
  name: 'sql-parser-apart',
  setup(build) {
    build.onResolve({ filter: /^pgsql-ast-parser$/ }, () => ({ path: './sql-parser.js', external: true }));
  },
};
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
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [sqlParserApart],
    // Lets activate() report the bundle's own evaluation time in its log line (read by `npm run bench`).
    banner: { js: 'globalThis.__prodGuardLoadStart = performance.now();' },
    footer: { js: 'globalThis.__prodGuardLoadEnd = performance.now();' },
  }),
  esbuild.build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [sqlParserApart] }),
  esbuild.build({ ...common, entryPoints: ['pgsql-ast-parser'], outfile: 'dist/sql-parser.js' }),
]);
chmodSync('dist/cli.js', 0o755);
