// VS Code tasks flagged destructive: how a task is flagged, whether its process can be asked about before its
// command runs, and the bash hook that asks. No `vscode` import: the extension adapts, the CLI answers the hook.
import { applyEdits, type FormattingOptions, modify, parse as parseJsonc } from 'jsonc-parser';
import { globMatches } from './classify';
import { shQuote, shWord } from './shellQuote';

/**
 * The schema-clean way to flag a task: `"options": { "env": { "PRODGUARD_DESTRUCTIVE": "1" } }`. VS Code's
 * tasks.json schema allows any variable there, teammates without Prod Guard run the task unchanged, and the
 * variable reaches the task's process, where the hook reads it.
 */
export const TASK_FLAG_ENV = 'PRODGUARD_DESTRUCTIVE';

/** The variable gate Prod Guard used to write into tasks.json (still honoured; offered for removal). */
export const TASK_GATE = '${command:prodGuard.confirmTask}';

/** A tasks.json entry as VS Code's configuration returns it (unknown keys kept). */
export interface RawTask {
  readonly label?: unknown;
  readonly type?: unknown;
  readonly command?: unknown;
  readonly args?: unknown;
  readonly destructive?: unknown;
  readonly options?: { readonly env?: unknown; readonly shell?: { readonly executable?: unknown; readonly args?: unknown } };
}

/** Why a task is flagged destructive. */
export type TaskFlag =
  | { readonly by: 'env' }
  | { readonly by: 'property' }
  | { readonly by: 'glob'; readonly glob: string }
  | { readonly by: 'guard'; readonly what: string };

/** Judges a task's command line as the shims would: what it does that is destructive, or undefined. */
export type TaskJudge = (line: string, cwd: string) => string | undefined;

/** A `"command"` or argument: a string or `{ "value": …, "quoting": … }`. */
function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'string') return (v as { value: string }).value;
  return undefined;
}

/** The command line of a tasks.json entry: its command and arguments as its shell gets them. */
export function taskCommandLine(t: { command?: unknown; args?: unknown }): string {
  const cmd = textOf(t.command) ?? '';
  const args = Array.isArray(t.args) ? t.args.map(textOf).filter((a): a is string => a !== undefined) : [];
  return [cmd, ...args.map(shWord)].join(' ').replace(TASK_GATE, '').trim();
}

/** The label VS Code shows for a tasks.json entry (its command when it has no label). */
export function rawLabel(t: RawTask): string {
  return typeof t.label === 'string' ? t.label : typeof t.command === 'string' ? t.command : '';
}

/** Whether the variable `PRODGUARD_DESTRUCTIVE` is set to a true value in an environment map. */
export function envFlag(env: unknown): boolean {
  if (!env || typeof env !== 'object') return false;
  const v = (env as Record<string, unknown>)[TASK_FLAG_ENV];
  return typeof v === 'string' && !/^(|0|false|no|off)$/i.test(v.trim());
}

/**
 * Why a task is flagged, or undefined: the `PRODGUARD_DESTRUCTIVE` variable in its environment, `"destructive":
 * true` in tasks.json, a `prodGuard.destructiveTasks` glob matching one of its names or its command line, or the
 * guard finding its command destructive (an npm script running `psql … -c 'DROP …'`, `terraform destroy`…).
 * Flags only add: nothing here can unflag a task another way flagged.
 */
export function taskFlag(t: {
  readonly names: readonly string[]; readonly commands: readonly string[]; readonly cwd: string;
  readonly raw?: RawTask; readonly env?: unknown;
}, globs: readonly unknown[], judge?: TaskJudge): TaskFlag | undefined {
  if (envFlag(t.env) || envFlag(t.raw?.options?.env)) return { by: 'env' };
  if (t.raw?.destructive === true) return { by: 'property' };
  const texts = [...t.names, ...t.commands].filter((s) => s !== '');
  const glob = globs.find((g): g is string => typeof g === 'string' && texts.some((s) => globMatches(g, s)));
  if (glob !== undefined) return { by: 'glob', glob };
  if (!judge) return undefined;
  for (const c of t.commands) {
    if (!c) continue;
    let what: string | undefined;
    try {
      what = judge(c, t.cwd);
    } catch {
      what = undefined;
    }
    if (what) return { by: 'guard', what };
  }
  return undefined;
}

/**
 * Variables a task's own environment may not set: they take the hook out of its process (bash skips BASH_ENV
 * in privileged and POSIX mode) or point it at another socket.
 */
export const HOOK_VARIABLES = ['BASH_ENV', 'SHELLOPTS', 'POSIXLY_CORRECT', 'PRODGUARD_IPC', 'PRODGUARD_IPC_TOKEN'] as const;

/** The first hook variable a task's `options.env` sets, if any. */
export function hookVariableSet(env: unknown): string | undefined {
  return env && typeof env === 'object' ? HOOK_VARIABLES.find((k) => k in env) : undefined;
}

/** How a task runs, as far as the hook cares: under which shell, or which program, with its own `options.env`. */
export type TaskProcess =
  | { readonly type: 'shell'; readonly shell: string; readonly shellArgs?: readonly string[]; readonly env?: unknown }
  | { readonly type: 'process'; readonly program: string; readonly firstLine?: string; readonly env?: unknown }
  | { readonly type: 'custom' };

function baseName(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/+$/, '').split('/').pop()!.replace(/\.exe$/i, '');
}

/**
 * Whether the task hook runs inside this task's process before its command: bash run non-interactively reads
 * `BASH_ENV` first — a shell task under bash (`bash -c`), a process task that is bash, or a script whose
 * `#!` line starts bash. Not with arguments that make bash skip it (`bashArgsKeepHook`), not when the task's
 * environment sets a hook variable, not for zsh, fish, sh, other programs or extension-run (custom) tasks:
 * those are stopped as they start in production.
 */
export function hookRunsIn(p: TaskProcess): boolean {
  if (p.type === 'custom' || hookVariableSet(p.env) !== undefined) return false;
  if (p.type === 'shell') return baseName(p.shell) === 'bash' && bashArgsKeepHook(p.shellArgs ?? []);
  if (baseName(p.program) === 'bash') return true;
  if (!p.firstLine?.startsWith('#!')) return false;
  const words = p.firstLine.slice(2).trim().split(/\s+/);
  if (baseName(words[0]) === 'env') words.shift();
  return words.length > 0 && baseName(words[0]) === 'bash' && bashArgsKeepHook(words.slice(1));
}

/**
 * Whether bash started with these arguments still reads BASH_ENV: only options known to leave it alone. Not
 * `-l`/`--login` (a login shell reads its profile instead), `-i`, `-p` (privileged), `--posix` / `-o posix`, or
 * anything unknown.
 */
function bashArgsKeepHook(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (/^[-+][ceuxvfhBEHTCak]+$/.test(a) || a === '--norc' || a === '--noprofile' || a === '--') continue;
    if ((a === '-o' || a === '+o') && i + 1 < args.length && !/^(posix|privileged)$/.test(args[i + 1])) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

/** Where the hook writes nothing and which programs it starts: baked into its text, never read from the environment. */
export interface TaskHookPaths {
  /** Node, or Electron run as Node. */
  readonly runtime: string;
  /** The CLI bundle (`prod-guard task-hook`). */
  readonly cli: string;
  /** The extension's state folder (trusted sockets, settings). */
  readonly stateDir: string;
  /** The user's own `BASH_ENV`, sourced after the hook (undefined: none). */
  readonly previous?: string;
}

/** Marks the hook file, so a window started from a guarded terminal does not chain the hook to itself. */
export const TASK_HOOK_MARKER = '# Prod Guard task hook';

/**
 * The bash file `BASH_ENV` points at in VS Code's terminals and tasks. Bash sources it before the command of
 * every non-interactive bash; it acts only in a process VS Code started directly (a session leader: a task's
 * shell or program, not a script typed into a terminal), restores the user's `BASH_ENV` for what the task
 * starts, and asks the window through `prod-guard task-hook`. A non-zero answer exits the shell: the task's
 * command never runs. On confirmation, the exported `PRODGUARD_TASK_NONCE` lets the shims inside this task
 * know the user already confirmed it.
 */
export function taskHookScript(p: TaskHookPaths): string {
  const previous = p.previous ? shQuote(p.previous) : "''";
  return `${TASK_HOOK_MARKER} (generated; do not edit). Sourced by bash through BASH_ENV.
if [ -z "\${__prodguard_task_hook-}" ]; then
__prodguard_task_hook=1
__pg_prev=${previous}
if [ -n "$__pg_prev" ]; then export BASH_ENV="$__pg_prev"; else unset BASH_ENV; fi
__pg_leader=
if [ -r "/proc/$$/stat" ]; then
  read -r __pg_stat < "/proc/$$/stat"
  read -r __pg_state __pg_ppid __pg_pgrp __pg_sid __pg_rest <<< "\${__pg_stat##*) }"
  [ "$__pg_sid" = "$$" ] && __pg_leader=1
else
  case "$(ps -o comm= -p "$PPID" 2>/dev/null)" in *sh) ;; *) __pg_leader=1 ;; esac
fi
if [ -n "$__pg_leader" ] && [ -n "\${PRODGUARD_IPC-}" ]; then
  if [ -n "\${BASH_EXECUTION_STRING-}" ]; then __pg_cmd=$BASH_EXECUTION_STRING
  else printf -v __pg_cmd '%q ' "$0" "$@"; __pg_cmd=\${__pg_cmd% }; fi
  __pg_nonce=$(${shQuote(p.runtime)} ${shQuote(p.cli)} task-hook --state ${shQuote(p.stateDir)} --pid "$$" -- "$__pg_cmd")
  __pg_rc=$?
  if [ "$__pg_rc" != 0 ]; then exit "$__pg_rc"; fi
  if [ -n "$__pg_nonce" ]; then export PRODGUARD_TASK_NONCE="$__pg_nonce"; fi
fi
unset __pg_stat __pg_state __pg_ppid __pg_pgrp __pg_sid __pg_rest __pg_leader __pg_cmd __pg_nonce __pg_rc
if [ -n "$__pg_prev" ] && [ -r "$__pg_prev" ]; then unset __pg_prev; . "$BASH_ENV"; else unset __pg_prev; fi
fi
`;
}

/**
 * tasks.json text with every `${command:prodGuard.confirmTask}` gate removed from the commands of the tasks
 * `which` accepts (by index), comments and formatting kept; undefined when nothing changed or the text is not
 * a tasks file.
 */
export function removeGates(text: string, which: (t: RawTask, index: number) => boolean): string | undefined {
  const json = parseJsonc(text) as { tasks?: unknown } | undefined;
  if (!json || !Array.isArray(json.tasks)) return undefined;
  const fmt: FormattingOptions = { insertSpaces: true, tabSize: 2 };
  let out = text;
  (json.tasks as RawTask[]).forEach((t, i) => {
    if (!t || typeof t !== 'object' || !which(t, i)) return;
    if (typeof t.command === 'string' && t.command.includes(TASK_GATE)) {
      out = applyEdits(out, modify(out, ['tasks', i, 'command'], t.command.split(TASK_GATE).join(''), { formattingOptions: fmt }));
    } else if (textOf(t.command)?.includes(TASK_GATE)) {
      out = applyEdits(out, modify(out, ['tasks', i, 'command', 'value'], textOf(t.command)!.split(TASK_GATE).join(''), { formattingOptions: fmt }));
    }
    if (Array.isArray(t.args)) {
      t.args.forEach((a, j) => {
        if (typeof a === 'string' && a.includes(TASK_GATE)) {
          out = applyEdits(out, modify(out, ['tasks', i, 'args', j], a.split(TASK_GATE).join(''), { formattingOptions: fmt }));
        }
      });
    }
  });
  return out === text ? undefined : out;
}

/** Whether a tasks.json entry carries the old variable gate. */
export function hasGate(t: RawTask): boolean {
  return JSON.stringify([t.command, t.args]).includes(TASK_GATE);
}
