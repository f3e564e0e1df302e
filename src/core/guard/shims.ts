import * as fs from 'fs';
import * as path from 'path';
import { DESTRUCTIVE } from './tools';

/** File that marks a folder as a shim folder, so a shim never finds another shim as "the real binary". */
export const SHIM_MARKER = '.prodguard-shims';

/** Tools that get a shim. */
export const SHIMMED_TOOLS = ['kubectl', 'helm', 'aws', 'terraform', 'psql', 'dropdb', 'pg_restore', 'mysql', 'mariadb', 'mongosh', 'redis-cli'] as const;

/** Words that may make a call destructive, per tool; a call with none of them never starts Node. */
function prefilter(tool: string): string {
  const words = (table: readonly string[]): string[] => [...new Set(table.map((v) => v.split(' ')[0]))];
  switch (tool) {
    case 'kubectl': return words(DESTRUCTIVE.kubectl).join('|');
    case 'helm': return words(DESTRUCTIVE.helm).join('|');
    case 'terraform': return words(DESTRUCTIVE.terraform).join('|');
    case 'aws': return 'delete-*|terminate-*|remove-*|deregister-*|put-*polic*|rm|rb|sync';
    default: return '*'; // SQL and data tools: the guard reads their SQL (arguments, files or stdin)
  }
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A POSIX sh shim: finds the real binary on PATH after the shim folder, runs it directly when no argument can
 * make the call destructive (no Node start), else hands the call to `prod-guard run`. `runtime` is the Node
 * (or Electron, run as Node) binary and `cli` the bundled CLI; both can be overridden by the environment.
 */
export function shimScript(tool: string, runtime: string, cli: string): string {
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
guard=0
for a in "$@"; do
  case "$a" in
    ${prefilter(tool)}) guard=1; break ;;
  esac
done
${prefilter(tool) === '*' ? 'guard=1\n' : ''}[ "$guard" = 1 ] || exec "$real" "$@"
runtime=\${PRODGUARD_RUNTIME:-${shQuote(runtime)}}
cli=\${PRODGUARD_CLI:-${shQuote(cli)}}
if [ ! -x "$runtime" ] || [ ! -f "$cli" ]; then
  echo "prod-guard: cannot check this $tool command: the guard ($cli) or its runtime ($runtime) is missing." >&2
  echo "prod-guard: refused. Reinstall the shims (prod-guard shims install DIR), or run $real directly." >&2
  exit 126
fi
ELECTRON_RUN_AS_NODE=1 exec "$runtime" "$cli" run --real "$real" -- "$tool" "$@"
`;
}

/** Writes every shim into a folder (created if needed), executable, plus the marker file; returns the paths. */
export function writeShims(dir: string, runtime: string, cli: string): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(dir, SHIM_MARKER), 'Prod Guard shims: every file here is generated.\n');
  return SHIMMED_TOOLS.map((tool) => {
    const file = path.join(dir, tool);
    // Write-then-rename: a shell running the old shim never reads a half-written file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, shimScript(tool, runtime, cli), { mode: 0o755 });
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, file);
    return file;
  });
}
