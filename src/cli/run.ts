import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isatty } from 'tty';
import { maskSecrets } from '../core/connection';
import { describeReason, plainTranslate as t } from '../core/describe';
import { nodeFiles } from '../core/files';
import { appendAudit, auditEntry, type AuditChannel, type AuditDecision, auditLogPath } from '../core/guard/audit';
import { decide, type GuardDecision } from '../core/guard/decide';
import { SHIM_MARKER } from '../core/guard/shims';
import { readsStdin } from '../core/guard/tools';
import { type GuardPatterns, sanitizeGuardPatterns, sanitizeRule } from '../core/settings';
import type { SourcedRule } from '../core/types';
import { askTerminal, askVsCode, confirmRequest, openTty } from './confirm';

/** Exit code of a refused or cancelled command (documented; never 0). */
export const REFUSED_EXIT = 3;
const STDIN_LIMIT = 16 * 1024 * 1024;

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

/** Reads stdin fully when it is not a terminal (bounded); returns the bytes. */
function readStdin(): { data: Buffer; truncated: boolean } {
  const chunks: Buffer[] = [];
  let size = 0;
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
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
function passthrough(real: string, args: readonly string[], stdin: Buffer | undefined, restOfStdin: boolean): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(real, args, { stdio: [stdin ? 'pipe' : 'inherit', 'inherit', 'inherit'] });
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

/** User rules handed to terminals by the extension (`PRODGUARD_RULES`, JSON). */
function rulesFromEnv(env: NodeJS.ProcessEnv): SourcedRule[] {
  try {
    const raw = JSON.parse(env.PRODGUARD_RULES ?? '[]') as unknown[];
    return raw.map(sanitizeRule).filter((r): r is Exclude<ReturnType<typeof sanitizeRule>, string> => typeof r !== 'string').map((r) => ({ ...r, origin: { type: 'settings' as const } }));
  } catch {
    return [];
  }
}

/** User patterns handed to terminals by the extension (`PRODGUARD_GUARD`, JSON). */
function patternsFromEnv(env: NodeJS.ProcessEnv): GuardPatterns | undefined {
  try {
    const p = sanitizeGuardPatterns(JSON.parse(env.PRODGUARD_GUARD ?? 'null'));
    return typeof p === 'string' ? undefined : p;
  } catch {
    return undefined;
  }
}

/** `prod-guard run [--real PATH] -- TOOL ARGS…`: decide, confirm when needed, then run the real tool. */
export async function runCommand(argv: readonly string[], env: NodeJS.ProcessEnv, err: (s: string) => void): Promise<number> {
  let real: string | undefined;
  let i = 0;
  for (; i < argv.length && argv[i] !== '--'; i++) {
    if (argv[i] === '--real') real = argv[++i];
    else if (argv[i].startsWith('--real=')) real = argv[i].slice(7);
    else break;
  }
  if (argv[i] === '--') i++;
  const command = argv.slice(i);
  if (command.length === 0) {
    err('usage: prod-guard run [--real PATH] -- COMMAND [ARGS…]\n');
    return 2;
  }
  const tool = path.basename(command[0]);
  real ??= findReal(command[0], env.PATH ?? '');
  if (!real) {
    err(`prod-guard: ${command[0]}: command not found\n`);
    return 127;
  }
  let stdin: Buffer | undefined;
  let truncated = false;
  // tty.isatty, not process.stdin.isTTY: touching process.stdin would switch a pipe to non-blocking mode.
  if (readsStdin(tool, command.slice(1)) && !isatty(0)) ({ data: stdin, truncated } = readStdin());
  const home = env.HOME || os.homedir();
  const cwd = process.cwd();
  const sqlText = stdin ? (truncated ? `${stdin.toString('utf8')}\n\\unparseable: input larger than the guard reads` : stdin.toString('utf8')) : undefined;
  const decision = decide([tool, ...command.slice(1)], { env, home, cwd, files: nodeFiles, rules: rulesFromEnv(env), patterns: patternsFromEnv(env), stdin: sqlText });
  const runIt = (): Promise<number> => passthrough(real, command.slice(1), stdin, truncated);
  if (decision.action === 'run') return runIt();

  const audit = (d: AuditDecision, channel: AuditChannel): void => {
    const problem = appendAudit(auditLogPath(env, home), auditEntry(command, decision, d, channel, cwd));
    if (problem) err(`prod-guard: ${problem}\n`);
  };
  const name = decision.target?.name ?? '';
  const confirm = env.PRODGUARD_CONFIRM;
  if (confirm !== undefined) {
    if (confirm === name && name !== '') {
      audit('bypassed', 'env');
      return runIt();
    }
    audit('refused', 'env');
    err(refusal(decision, command, `PRODGUARD_CONFIRM is set to "${maskSecrets(confirm)}", not to the target's name`));
    return REFUSED_EXIT;
  }
  if (env.PRODGUARD_IPC && env.PRODGUARD_IPC_TOKEN) {
    const answer = await askVsCode(env.PRODGUARD_IPC, confirmRequest(env.PRODGUARD_IPC_TOKEN, command, decision, cwd));
    if (answer) {
      audit(answer.decision, 'vscode');
      if (answer.decision === 'confirmed') return runIt();
      err(`prod-guard: cancelled in VS Code; ${maskSecrets(decision.destructive ?? '')} did not run against ${name}.\n`);
      return REFUSED_EXIT;
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
    if (ok) return runIt();
    err(`prod-guard: cancelled; ${maskSecrets(decision.destructive ?? '')} did not run against ${name}.\n`);
    return REFUSED_EXIT;
  }
  audit('refused', 'none');
  err(refusal(decision, command, 'nobody can confirm it here (no VS Code window, no terminal)'));
  return REFUSED_EXIT;
}

function refusal(d: GuardDecision, command: readonly string[], why: string): string {
  const name = d.target?.name ?? '';
  return [
    `prod-guard: refused: ${maskSecrets(d.destructive ?? '')} against PRODUCTION ${d.target?.kind ?? ''} "${name}" (${describeReason(d.reason, t)}).`,
    `prod-guard: ${why}.`,
    `prod-guard: to run it on purpose: PRODGUARD_CONFIRM=${/^[\w.@/:-]+$/.test(name) ? name : `'${name}'`} ${maskSecrets(command.join(' '))}`,
    '',
  ].join('\n');
}
