// Shells outside VS Code: `prod-guard init bash|zsh|fish` prints what to add to the shell's startup file, in the
// manner of `starship init` and `direnv hook`:
//   - the shims first on PATH (the VS Code extension's own folder when known, refreshed at each activation; else
//     a folder this command writes under $XDG_DATA_HOME/prod-guard);
//   - a pre-execution check for what PATH cannot see: a guarded tool called by a path (`/usr/local/bin/kubectl`,
//     `./kubectl`). bash: `extdebug` and a DEBUG trap that skips the command when it is refused; zsh: an
//     `accept-line` widget; fish: a binding of Enter that runs `commandline -f execute` only when allowed.
//   Both stay silent unless the line holds a `/` and a guarded tool's name (no Node start otherwise).
// Sourcing the output twice adds nothing: the PATH entry is checked and the hooks are installed once per shell.
// `prod-guard preexec -- LINE` is what the hooks call: it decides the line's commands the shims cannot see and
// asks (VS Code, else the terminal, else refuses): exit 0 runs the line, 3 skips it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nodeFiles } from '../core/files';
import { appendAudit, auditEntry, auditLogPath } from '../core/guard/audit';
import type { GuardDecision } from '../core/guard/decide';
import type * as LineModule from '../core/guard/line';
import { LAUNCHER, SHIM_MARKER, SHIMMED_TOOLS, writeShims } from '../core/guard/shims';
import { shQuote } from '../core/shellQuote';
import { stateFromShims } from './check';
import { confirmToRun, guardInputs, REFUSED_EXIT } from './run';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const USAGE = `usage: prod-guard init bash|zsh|fish [--state DIR]
Prints the lines for your shell's startup file, e.g. in ~/.bashrc:  eval "$(prod-guard init bash)"
  --state DIR   the VS Code extension's state folder (found on PATH inside VS Code terminals)
`;


/** The shell text for `shell`, given the shims folder and the state folder the checks read. */
export function initScript(shell: Shell, shimDir: string, stateDir: string | undefined): string {
  const launcher = path.join(shimDir, LAUNCHER);
  const state = stateDir ? ` --state ${shQuote(stateDir)}` : '';
  const tools = [...SHIMMED_TOOLS].sort();
  // A tool's name as a whole word (after a slash, a blank or the start; before a blank, a separator or the end).
  const re = `'(^|[/[:space:]\`("'"'"'])(${tools.join('|')})([[:space:];|&)"'"'"']|$)'`;
  const head = `# Prod Guard (prod-guard init ${shell}): guard shims first on PATH, and a check before each command line
# for guarded tools called by a path, which PATH shims cannot see.`;
  if (shell === 'bash') {
    return `${head}
case ":$PATH:" in *:${shQuote(shimDir)}:*) ;; *) PATH=${shQuote(shimDir)}":$PATH"; export PATH ;; esac
if [ -z "\${__prodguard_hooked-}" ]; then
  __prodguard_hooked=1
  __prodguard_re=${re}
  __prodguard_debug() {
    # Only the user's own command line: not completion, not inside functions (PROMPT_COMMAND's included).
    [ -n "\${COMP_LINE-}" ] && return 0
    [ "\${#FUNCNAME[@]}" -gt 1 ] && return 0
    case "$BASH_COMMAND" in */*) ;; *) return 0 ;; esac
    [[ $BASH_COMMAND =~ $__prodguard_re ]] || return 0
    ${shQuote(launcher)} preexec${state} -- "$BASH_COMMAND" </dev/tty || return 1
  }
  # A DEBUG trap set before (bash-preexec, atuin…) still runs after the check, with its \$_ as it was.
  __prodguard_prev_trap=$(trap -p DEBUG | sed "s/^trap -- '\\(.*\\)' DEBUG$/\\1/; s/'\\\\''/'/g")
  shopt -s extdebug
  __prodguard_t='__prodguard_last=$_; if __prodguard_debug; then : "$__prodguard_last"; '
  trap "$__prodguard_t"'eval "\${__prodguard_prev_trap:-:}"; else false; fi' DEBUG
fi
`;
  }
  if (shell === 'zsh') {
    return `${head}
path=(${shQuote(shimDir)} \${path:#${shQuote(shimDir)}})
if [[ -z \${__prodguard_hooked-} ]]; then
  __prodguard_hooked=1
  __prodguard_re=${re}
  __prodguard_accept_line() {
    if [[ $BUFFER == */* && $BUFFER =~ $__prodguard_re ]]; then
      zle -I
      if ! ( stty sane; ${shQuote(launcher)} preexec${state} -- "$BUFFER" ) </dev/tty; then
        print -s -- "$BUFFER"
        BUFFER=''
      fi
    fi
    zle __prodguard_prev_accept_line
  }
  # A user's own accept-line widget still runs, after the check.
  zle -A accept-line __prodguard_prev_accept_line
  zle -N accept-line __prodguard_accept_line
fi
`;
  }
  return `${head}
contains -- ${shQuote(shimDir)} $PATH; or set -gx PATH ${shQuote(shimDir)} $PATH
if not set -q __prodguard_hooked
  set -g __prodguard_hooked 1
  function __prodguard_execute
    set -l line (commandline)
    if string match -q -- '*/*' "$line"; and string match -qr -- ${shQuote(re.slice(1, -1))} "$line"
      if not ${shQuote(launcher)} preexec${state} -- "$line" </dev/tty
        history append -- "$line" 2>/dev/null
        commandline -r ''
        commandline -f repaint
        return
      end
    end
    commandline -f execute
  end
  bind \\r __prodguard_execute
  bind \\n __prodguard_execute
  bind -M insert \\r __prodguard_execute 2>/dev/null
  bind -M insert \\n __prodguard_execute 2>/dev/null
end
`;
}

/** `prod-guard init bash|zsh|fish [--state DIR]`. */
export function initCommand(argv: readonly string[], env: NodeJS.ProcessEnv, out: (s: string) => void,
  err: (s: string) => void): number {
  const shell = argv[0] as Shell;
  if (!SHELLS.includes(shell)) {
    err(argv[0] ? `prod-guard init: unknown shell "${argv[0]}"\n${USAGE}` : USAGE);
    return 2;
  }
  let stateDir: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--state') stateDir = argv[++i];
    else if (argv[i].startsWith('--state=')) stateDir = argv[i].slice(8);
    else {
      err(`prod-guard init: unknown option "${argv[i]}"\n${USAGE}`);
      return 2;
    }
  }
  stateDir ??= stateFromShims(env.PATH ?? '');
  // The extension's folder stays current (it is rewritten at each activation); without it, our own.
  let shimDir = stateDir ? path.join(stateDir, 'shims') : undefined;
  if (!shimDir || !fs.existsSync(path.join(shimDir, LAUNCHER))) {
    const data = env.XDG_DATA_HOME?.trim() || path.join(env.HOME || os.homedir(), '.local', 'share');
    shimDir = path.join(data, 'prod-guard', 'shims');
    try {
      writeShims(shimDir, process.execPath, path.resolve(__filename), stateDir);
    } catch (e) {
      err(`prod-guard init: cannot write the shims into ${shimDir}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  out(initScript(shell, shimDir, stateDir));
  return 0;
}

/** Whether `file` is one of Prod Guard's shims (calling it by its path is guarded already). */
function isShim(file: string): boolean {
  return fs.existsSync(path.join(path.dirname(file), SHIM_MARKER));
}

/** `prod-guard preexec [--state DIR] -- LINE`: 0 runs the line, 3 skips it. */
export async function preexecCommand(argv: readonly string[], env: NodeJS.ProcessEnv,
  err: (s: string) => void): Promise<number> {
  let stateDir: string | undefined;
  let i = 0;
  for (; i < argv.length && argv[i] !== '--'; i++) {
    if (argv[i] === '--state') stateDir = argv[++i];
    else if (argv[i].startsWith('--state=')) stateDir = argv[i].slice(8);
    else break;
  }
  if (argv[i] === '--') i++;
  const line = argv.slice(i).join(' ');
  const { decideLine } = require('../core/guard/line') as typeof LineModule;
  const home = env.HOME || os.homedir();
  const cwd = process.cwd();
  const d = decideLine(line, { env, home, cwd, files: nodeFiles, ...guardInputs(env, stateDir) });
  // Only what the shims cannot see: a guarded tool called by a path (not a shim's own path).
  for (const c of d.commands) {
    const exe = c.step.argv[0] ?? '';
    if (!c.decision || !exe.includes('/') || isShim(exe)) continue;
    // A production database session started by its path: the shim's read-only session cannot be arranged here,
    // so it asks (the line may also be part of a pipeline the shell did not show: what it reads is unknown).
    const session = c.decision.verdict?.code === 'interactive' && !c.step.stdin;
    const decision: GuardDecision = session ? { ...c.decision, action: 'confirm', verdict: { code: 'mutating',
      what: `an interactive ${c.decision.tool} session started by its path (Prod Guard cannot make it read-only)` },
    destructive: `${c.decision.tool} session` } : c.decision;
    if (decision.action !== 'confirm') continue;
    const at = c.step.cwd ?? cwd;
    const audit = (a: Parameters<typeof auditEntry>[2], channel: Parameters<typeof auditEntry>[3]): void => {
      const problem = appendAudit(auditLogPath(env, home), auditEntry(c.step.argv, decision, a, channel, at));
      if (problem) err(`prod-guard: ${problem}\n`);
    };
    if (!(await confirmToRun(decision, c.step.argv, env, stateDir, at, audit, err))) return REFUSED_EXIT;
  }
  return 0;
}
