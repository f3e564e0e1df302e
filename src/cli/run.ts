import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isatty } from 'tty';
import { plainTranslate as t } from '../core/describe';
import { nodeFiles } from '../core/files';
import { appendAudit, auditEntry, type AuditChannel, type AuditDecision, auditLogPath } from '../core/guard/audit';
import { decide, type GuardDecision } from '../core/guard/decide';
import { explain, type Explanation } from '../core/guard/explain';
import { sessionPlan } from '../core/guard/session';
import { SHIM_MARKER } from '../core/guard/shims';
import type { StdinInput } from '../core/guard/types';
import type { GuardPatterns } from '../core/settings';
import type { SourcedRule } from '../core/types';
import { askTerminal, askVsCode, confirmRequest, openTty } from './confirm';
import { extraDestructiveFromEnv, raiseRulesFromEnv, readGuardSettings, trustedSocket } from './state';

/** Exit code of a refused or cancelled command (documented; never 0). */
export const REFUSED_EXIT = 3;
/** Stdin beyond this is not read for the decision: the command then asks as too large to check. */
const STDIN_LIMIT = 64 * 1024 * 1024;

/** The real binary: the first `tool` on PATH that is not in a shim folder. */
export function findReal(tool: string, envPath: string): string | undefined {
  if (tool.includes('/')) return tool;
  for (const dir of envPath.split(path.delimiter)) {
    const d = dir || '.';
    if (fs.existsSync(path.join(d, SHIM_MARKER))) continue;
    const p = path.join(d, tool);
    try {
      const st = fs.statSync(p);
      if (st.isFile() && (st.mode & 0o111) !== 0) return p;
    } catch { /* not here */ }
  }
  return undefined;
}

const SLEEP = new Int32Array(new SharedArrayBuffer(4));

/** Reads stdin fully when it is not a terminal (bounded); returns the bytes. */
export function readStdinBounded(): { data: Buffer; truncated: boolean } {
  const chunks: Buffer[] = [];
  let size = 0;
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // A non-blocking stdin with no data yet: wait a little without spinning the CPU.
        Atomics.wait(SLEEP, 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    size += n;
    if (size > STDIN_LIMIT) return { data: Buffer.concat(chunks), truncated: true };
  }
  return { data: Buffer.concat(chunks), truncated: false };
}

/** Runs the real binary with the same argv, stdio and exit status; signals sent to us reach it. */
function passthrough(
  real: string, args: readonly string[], stdin: Buffer | undefined, restOfStdin: boolean,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<number> {
  return new Promise((resolve) => {
    const env = Object.keys(extraEnv).length ? { ...process.env, ...extraEnv } : undefined;
    const child = spawn(real, args, { stdio: [stdin ? 'pipe' : 'inherit', 'inherit', 'inherit'], env });
    if (stdin && child.stdin) {
      child.stdin.on('error', () => undefined); // the tool may exit without reading everything
      child.stdin.write(stdin);
      if (restOfStdin) fs.createReadStream('', { fd: 0, autoClose: false }).pipe(child.stdin);
      else child.stdin.end();
    }
    // Ctrl-C reaches the whole foreground group, the child included: we only must not die of it ourselves.
    const forward = (sig: NodeJS.Signals) => () => { if (sig !== 'SIGINT' && sig !== 'SIGQUIT') child.kill(sig); };
    const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGHUP'];
    const handlers = sigs.map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    child.on('error', (e) => {
      process.stderr.write(`prod-guard: cannot run ${real}: ${e.message}\n`);
      resolve(126);
    });
    child.on('exit', (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      if (signal) {
        // Die of the same signal, so the shell sees what it would have seen without the guard.
        process.kill(process.pid, signal);
        setTimeout(() => resolve(128 + (os.constants.signals[signal] ?? 0)), 100);
      } else resolve(code ?? 1);
    });
  });
}

/** Where `run` was told to find the extension's state folder (`--state DIR`, baked into the shims). */
export interface RunOptions {
  readonly real?: string;
  readonly stateDir?: string;
}

/** Splits `[--real PATH] [--state DIR] [--] COMMAND…`. */
function runOptions(argv: readonly string[]): { opts: RunOptions; command: string[] } {
  let real: string | undefined;
  let stateDir: string | undefined;
  let i = 0;
  for (; i < argv.length && argv[i] !== '--'; i++) {
    const a = argv[i];
    if (a === '--real' || a === '--state') {
      if (a === '--real') real = argv[++i];
      else stateDir = argv[++i];
    } else if (a.startsWith('--real=')) real = a.slice(7);
    else if (a.startsWith('--state=')) stateDir = a.slice(8);
    else break;
  }
  if (argv[i] === '--') i++;
  return { opts: { real, stateDir }, command: argv.slice(i) };
}

/** The guard's inputs from the state folder and the environment (which may only raise). */
export function guardInputs(env: NodeJS.ProcessEnv, stateDir: string | undefined): {
  rules: SourcedRule[]; raiseRules: SourcedRule[]; patterns?: GuardPatterns; extraDestructive: Record<string, string[]>;
  problems: string[];
} {
  const s = readGuardSettings(stateDir);
  return {
    rules: (s.settings?.rules ?? []).map((r) => ({ ...r, origin: { type: 'settings' as const } })),
    raiseRules: raiseRulesFromEnv(env),
    patterns: s.settings?.guard,
    extraDestructive: extraDestructiveFromEnv(env),
    problems: s.problems,
  };
}

/** `prod-guard run [--real PATH] [--state DIR] -- TOOL ARGS…`: decide, confirm when needed, run the real tool. */
export async function runCommand(
  argv: readonly string[], env: NodeJS.ProcessEnv, err: (s: string) => void,
): Promise<number> {
  const { opts, command } = runOptions(argv);
  if (command.length === 0) {
    err('usage: prod-guard run [--real PATH] [--state DIR] -- COMMAND [ARGS…]\n');
    return 2;
  }
  const tool = path.basename(command[0]);
  const real = opts.real ?? findReal(command[0], env.PATH ?? '');
  if (!real) {
    err(`prod-guard: ${command[0]}: command not found\n`);
    return 127;
  }
  let stdin: Buffer | undefined;
  let truncated = false;
  // Stdin is read only when the verdict needs it (a production target and a tool that reads commands from it);
  // tty.isatty, not process.stdin.isTTY: touching process.stdin would switch a pipe to non-blocking mode.
  const readIn = (): StdinInput => {
    if (isatty(0)) return {};
    ({ data: stdin, truncated } = readStdinBounded());
    return truncated ? { tooLarge: true } : { text: stdin.toString('utf8') };
  };
  const home = env.HOME || os.homedir();
  const cwd = process.cwd();
  const inputs = guardInputs(env, opts.stateDir);
  const decided = decide([tool, ...command.slice(1)], { env, home, cwd, files: nodeFiles, ...inputs, stdin: readIn });
  const audit = (d: AuditDecision, channel: AuditChannel): void => {
    const problem = appendAudit(auditLogPath(env, home), auditEntry(command, decision, d, channel, cwd));
    if (problem) err(`prod-guard: ${problem}\n`);
  };
  // An interactive session against production: read-only now, or writable after the usual confirmation.
  const first = explain(decided, command, t);
  const plan = sessionPlan(decided, command.slice(1), env,
    `${first.target}${first.targetSource ? ` (from ${first.targetSource})` : ''}`, first.command);
  const decision: GuardDecision = plan && plan.kind !== 'readOnly'
    ? { ...decided, verdict: plan.verdict, destructive: plan.verdict.what, action: 'confirm' } : decided;
  const runIt = (): Promise<number> => {
    if (plan) err(`${plan.banner.join('\n')}\n`);
    return passthrough(real, plan ? plan.args : command.slice(1), stdin, truncated, plan?.env);
  };
  if (plan?.kind === 'readOnly') {
    audit('read-only', 'none');
    return runIt();
  }
  if (decision.action === 'run') return runIt();

  return (await confirmToRun(decision, command, env, opts.stateDir, cwd, audit, err)) ? runIt() : REFUSED_EXIT;
}

/**
 * Asks to run a command that asks: PRODGUARD_CONFIRM, else this VS Code window (its trusted socket), else the
 * terminal (type the name), else refused. Every answer is audited; a refusal or cancel is explained on stderr.
 */
export async function confirmToRun(
  decision: GuardDecision, command: readonly string[], env: NodeJS.ProcessEnv, stateDir: string | undefined,
  cwd: string, audit: (d: AuditDecision, channel: AuditChannel) => void, err: (s: string) => void,
): Promise<boolean> {
  const x = explain(decision, command, t);
  const name = x.confirmName;
  const confirm = env.PRODGUARD_CONFIRM;
  if (confirm !== undefined) {
    if (confirm === name && name !== '') {
      audit('bypassed', 'env');
      return true;
    }
    audit('refused', 'env');
    err(refusal(x, 'PRODGUARD_CONFIRM is set, but not to the name to confirm'));
    return false;
  }
  const socket = env.PRODGUARD_IPC;
  if (socket && env.PRODGUARD_IPC_TOKEN && trustedSocket(stateDir, socket)) {
    const nonce = env.PRODGUARD_TASK_NONCE;
    const request = confirmRequest(env.PRODGUARD_IPC_TOKEN, command, decision, cwd);
    const answer = await askVsCode(socket, nonce ? { ...request, taskNonce: nonce } : request);
    if (answer && 'decision' in answer) {
      audit(answer.decision, 'vscode');
      if (answer.decision === 'confirmed') return true;
      err(`prod-guard: cancelled in VS Code; nothing ran against ${x.target}.\n`);
      return false;
    }
  }
  const tty = openTty();
  if (tty !== undefined) {
    let ok = false;
    try {
      ok = askTerminal(tty, decision, command);
    } finally {
      fs.closeSync(tty);
    }
    audit(ok ? 'confirmed' : 'cancelled', 'terminal');
    if (ok) return true;
    err(`prod-guard: cancelled; nothing ran against ${x.target}.\n`);
    return false;
  }
  audit('refused', 'none');
  err(refusal(x, 'nobody can confirm it here (no VS Code window, no terminal)'));
  return false;
}

/** The refusal on stderr: what, where, why, and how to run it on purpose — the `check` explanation. */
function refusal(x: Explanation, why: string): string {
  const name = x.confirmName;
  return [
    `prod-guard: refused: ${x.command}`,
    `prod-guard:   what:   ${x.what}`,
    `prod-guard:   target: ${x.target} (from ${x.targetSource})`,
    `prod-guard:   why:    ${x.why}`,
    `prod-guard: ${why}.`,
    `prod-guard: to run it on purpose: PRODGUARD_CONFIRM=${/^[\w.@/:-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`} ${x.command}`,
    '',
  ].join('\n');
}
