import * as fs from 'fs';
import * as path from 'path';
import { shQuote } from '../shellQuote';
import { GUARDED_TOOLS, moduleFor } from './tools/index';
import type { ShimFastPath } from './types';

/** File that marks a folder as a shim folder, so a shim never finds another shim as "the real binary". */
export const SHIM_MARKER = '.prodguard-shims';

/** Guarded tools that only ever read: `check` explains them, but they need no shim. */
const READ_ONLY_TOOLS = new Set(['pg_dump', 'pg_dumpall', 'mysqldump', 'mariadb-dump']);

/** Tools that get a shim. */
export const SHIMMED_TOOLS: readonly string[] = GUARDED_TOOLS.filter((t) => !READ_ONLY_TOOLS.has(t));

/** A `case` pattern matching exactly these words (quoted, so no word is read as a glob). */
function casePattern(words: readonly string[]): string {
  return words.map(shQuote).join('|');
}

/**
 * The shim's walk over the arguments before the first positional: provably read-only calls (the first
 * positional is a read-only verb, every flag before it is known) run the real binary at once, without Node.
 * Anything it is not sure of — bundles, unknown flags, `--` — goes to the full guard.
 */
function fastPathScript(fp: ShimFastPath | undefined): string {
  if (!fp || fp.readOnlyVerbs.length === 0) return '';
  const longWithValue = [...fp.valueFlags, ...fp.booleanFlags]
    .filter((f) => f.startsWith('--'))
    .map((f) => `${shQuote(f)}=*`);
  const lines = [
    'skip=0',
    'for a in "$@"; do',
    '  if [ "$skip" = 1 ]; then skip=0; continue; fi',
    '  case "$a" in',
    ...(fp.valueFlags.length ? [`    ${casePattern(fp.valueFlags)}) skip=1 ;;`] : []),
    ...(longWithValue.length ? [`    ${longWithValue.join('|')}) ;;`] : []),
    ...(fp.booleanFlags.length ? [`    ${casePattern(fp.booleanFlags)}) ;;`] : []),
    `    ${casePattern(fp.readOnlyVerbs)}) exec "$real" "$@" ;;`,
    '    *) break ;;',
    '  esac',
    'done',
  ];
  return lines.join('\n') + '\n';
}

/**
 * A POSIX sh shim: finds the real binary on PATH after the shim folder, runs it directly when the call is
 * provably read-only, else hands the call to `prod-guard run`. The runtime (Node, or Electron run as Node), the
 * CLI and the extension's state folder are baked in: no environment variable can redirect them.
 */
export function shimScript(tool: string, runtime: string, cli: string, stateDir?: string): string {
  const state = stateDir ? ` --state ${shQuote(stateDir)}` : '';
  return `#!/bin/sh
# Prod Guard shim for ${tool} (generated; do not edit). Absolute paths to ${tool} bypass it.
tool=${tool}
shim_dir=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
real=
IFS_pg=$IFS
IFS=:
for d in $PATH; do
  [ -z "$d" ] && d=.
  case "$d" in "$shim_dir") continue ;; esac
  [ -f "$d/${SHIM_MARKER}" ] && continue
  if [ -f "$d/$tool" ] && [ -x "$d/$tool" ]; then real="$d/$tool"; break; fi
done
IFS=$IFS_pg
if [ -z "$real" ]; then
  echo "prod-guard: $tool: command not found (PATH has no $tool besides the Prod Guard shim)" >&2
  exit 127
fi
${fastPathScript(moduleFor(tool)?.fastPath?.[tool])}runtime=${shQuote(runtime)}
cli=${shQuote(cli)}
if [ ! -x "$runtime" ] || [ ! -f "$cli" ]; then
  echo "prod-guard: cannot check this $tool command: the guard ($cli) or its runtime ($runtime) is missing." >&2
  echo "prod-guard: refused. Reinstall the shims (prod-guard shims install DIR), or run $real directly." >&2
  exit 126
fi
ELECTRON_RUN_AS_NODE=1 exec "$runtime" "$cli" run --real "$real"${state} -- "$tool" "$@"
`;
}

/** The `prod-guard` launcher next to the shims: the CLI with the same runtime (agent hooks and shells call it). */
export const LAUNCHER = 'prod-guard';

export function launcherScript(runtime: string, cli: string): string {
  return `#!/bin/sh
# Prod Guard CLI launcher (generated; do not edit).
ELECTRON_RUN_AS_NODE=1 exec ${shQuote(runtime)} ${shQuote(cli)} "$@"
`;
}

/**
 * Writes every shim into a folder (created if needed), executable, plus the marker file and the `prod-guard`
 * launcher; returns the shims' paths.
 */
export function writeShims(dir: string, runtime: string, cli: string, stateDir?: string): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(dir, SHIM_MARKER), 'Prod Guard shims: every file here is generated.\n');
  const launcher = path.join(dir, LAUNCHER);
  fs.writeFileSync(`${launcher}.${process.pid}.tmp`, launcherScript(runtime, cli), { mode: 0o755 });
  fs.chmodSync(`${launcher}.${process.pid}.tmp`, 0o755);
  fs.renameSync(`${launcher}.${process.pid}.tmp`, launcher);
  return SHIMMED_TOOLS.map((tool) => {
    const file = path.join(dir, tool);
    // Write-then-rename: a shell running the old shim never reads a half-written file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, shimScript(tool, runtime, cli, stateDir), { mode: 0o755 });
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, file);
    return file;
  });
}
