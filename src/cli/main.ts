import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { detectAll } from '../core/detect';
import { describeReason, describeSource, environmentLabel, plainTranslate as t } from '../core/describe';
import { nodeFiles } from '../core/files';
import { maskDeep, maskSecrets } from '../core/mask';
import { DEFAULT_SETTINGS } from '../core/settings';
import type { Detection } from '../core/types';
import type * as LineModule from '../core/guard/line';
import { checkCommand } from './check';
import { hookCommand } from './hook';
import { initCommand, preexecCommand } from './init';
import { REFUSED_EXIT, runCommand } from './run';
import { shimsCommand } from './shimsCommand';
import { taskHookCommand } from './taskHook';

// The extension writes its shims with this bundle's code (it does not carry the guard itself).
export { writeShims } from '../core/guard/shims';

/**
 * For the extension's task flagging: what a task's command line does that is destructive (or mutating), judged
 * as the shims judge each command whatever the environment; undefined when nothing is. Loads the guard on use.
 */
export function judgeTaskLine(line: string, cwd: string): string | undefined {
  const { decideLine } = require('../core/guard/line') as typeof LineModule;
  const d = decideLine(line, { env: process.env, home: process.env.HOME || os.homedir(), cwd, files: nodeFiles,
    judgeAlways: true });
  const hit = d.commands.find((c) => ['destructive', 'mutating'].includes(c.decision?.verdict?.code ?? ''));
  return hit?.decision ? `${hit.decision.tool}: ${hit.decision.verdict!.what}` : undefined;
}

const USAGE = `Usage: prod-guard detect [--json] [--cwd DIR]
       prod-guard check [--json] -- COMMAND [ARGS…]
       prod-guard check [--json] --shell 'LINE'
       prod-guard hook claude-code|cursor|gemini-cli [--deny]
       prod-guard init bash|zsh|fish
       prod-guard run [--real PATH] -- COMMAND [ARGS…]
       prod-guard shims install DIR

Shows which environment your tools point at (Kubernetes context, AWS profile,
database connection strings, .prodguard.yaml), classified production / staging /
development / local / unknown. Reads HOME, KUBECONFIG and AWS_* like the tools do.

  --json      print one JSON object
  --cwd DIR   workspace folder to scan (default: the current directory)
  -h, --help  show this help

check: says what the guard would do with COMMAND, without running it: the tool,
the verb, the target and where it came from, its environment and why, and what
decided (the statement, the verb or the rule). Exit 0: it would run unasked;
${REFUSED_EXIT}: it would ask (or be refused where nobody can confirm); 2: bad usage.

check --shell: the same for every command a shell line runs (pipelines, &&,
subshells, $(…), sh -c, xargs, env, sudo, heredocs…), as an agent passes it.

hook AGENT: an AI agent's pre-execution hook: reads the agent's JSON on stdin
and answers ask (deny with --deny, or when the agent cannot ask) for lines that
are destructive against production; no objection otherwise.

init SHELL: prints the lines for your shell's startup file (eval "$(prod-guard
init bash)" in ~/.bashrc): the shims first on PATH, and a check before each
command line for guarded tools called by a path (/usr/local/bin/kubectl …).

run: runs COMMAND unchanged unless it is destructive (kubectl delete, terraform
destroy, DROP TABLE…) against production; then it asks the VS Code window, else
the terminal (type the target's name), else refuses (exit ${REFUSED_EXIT}).
PRODGUARD_CONFIRM=<target name> confirms without asking (scripts, CI).

shims install DIR: writes guard shims for kubectl, helm, aws, terraform, psql…
into DIR and prints the PATH line for your shell profile.
`;

/** The JSON shape of `detect --json`: stable, secrets masked. */
export function toJson(d: Detection): unknown {
  return {
    environment: d.environment,
    signals: d.signals.map((s) => ({
      kind: s.kind,
      name: s.name,
      environment: s.environment,
      active: s.active,
      source: s.source,
      ...(s.line ? { line: s.line } : {}),
      reason: describeReason(s.reason, t),
      details: s.details,
    })),
    problems: d.problems.map((p) => ({ source: p.source, ...(p.line ? { line: p.line } : {}), message: p.message })),
  };
}

/** The human summary of `detect`. */
export function toText(d: Detection): string {
  const lines = [`Environment: ${environmentLabel(d.environment, t)}`];
  if (d.signals.length === 0) {
    lines.push('  (nothing detected: no kubeconfig context, AWS profile or connection string)');
  }
  for (const s of d.signals) {
    const inactive = s.active ? '' : ' (inactive)';
    lines.push(`  ${s.kind.padEnd(10)} ${s.name}  →  ${s.environment}${inactive}`);
    lines.push(`             from ${describeSource(s, t)}; ${describeReason(s.reason, t)}`);
  }
  if (d.problems.length > 0) {
    lines.push('Problems:');
    for (const p of d.problems) lines.push(`  ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  }
  return lines.join('\n') + '\n';
}

/** Runs the CLI; returns the exit code. Output goes through `out`/`err` so tests can capture it. */
export async function main(
  argv: readonly string[], env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? err : out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'run') return runCommand(rest, env, err);
  if (command === 'check') return checkCommand(rest, env, out, err);
  if (command === 'shims') return shimsCommand(rest, out, err);
  if (command === 'hook') return hookCommand(rest, env, out, err);
  if (command === 'init') return initCommand(rest, env, out, err);
  if (command === 'preexec') return preexecCommand(rest, env, err);
  if (command === 'task-hook') return taskHookCommand(rest, env, out, err);
  if (command !== 'detect') {
    err(`prod-guard: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  let json = false;
  let cwd = process.cwd();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--json') json = true;
    else if (a === '--cwd' || a.startsWith('--cwd=')) {
      const v = a === '--cwd' ? rest[++i] : a.slice(6);
      if (!v) {
        err('prod-guard: --cwd needs a directory\n');
        return 2;
      }
      cwd = path.resolve(v);
    } else if (a === '-h' || a === '--help') {
      out(USAGE);
      return 0;
    } else {
      err(`prod-guard: unknown option "${a}"\n\n${USAGE}`);
      return 2;
    }
  }
  try {
    if (!fs.statSync(cwd).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message;
    err(`prod-guard: --cwd ${cwd}: ${why}\n`);
    return 2;
  }
  const home = env.HOME || os.homedir();
  const detection = await detectAll({ env, home, folders: [cwd], settings: DEFAULT_SETTINGS, files: nodeFiles });
  // Every line leaves through the masker: a secret that slipped into a name or message is still hidden.
  out(json ? JSON.stringify(maskDeep(toJson(detection)), null, 2) + '\n' : maskSecrets(toText(detection)));
  return 0;
}

if (require.main === module) {
  // `prod-guard check … | head -1`: a closed pipe ends the output quietly, not with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2), process.env, (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`prod-guard: internal error: ${maskSecrets(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = 3;
    },
  );
}
