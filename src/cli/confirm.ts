import * as fs from 'fs';
import * as net from 'net';
import { plainTranslate as t } from '../core/describe';
import type { GuardDecision } from '../core/guard/decide';
import { explain } from '../core/guard/explain';
import type { ConfirmRequest, ConfirmResponse } from '../core/guard/protocol';

/** The request for a decision; every text masked. */
export function confirmRequest(token: string, argv: readonly string[], d: GuardDecision, cwd: string): ConfirmRequest {
  const x = explain(d, argv, t);
  return {
    token,
    command: x.command,
    cwd,
    what: x.what,
    target: { kind: d.target?.kind ?? 'unknown', name: d.target?.name ?? '', source: x.targetSource },
    environment: d.environment,
    why: x.why,
    confirmName: x.confirmName,
  };
}

/** How long the window has to acknowledge a request before the terminal gives up on it. */
const ACK_TIMEOUT_MS = 5000;
/** How long a question may stay open in the window; then the command is refused. */
const ANSWER_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * Asks the VS Code window that owns the terminal. Resolves `undefined` when no window answers the socket
 * (closed window, stale variables, no acknowledgement in time): the caller then tries the terminal. Once the
 * window has acknowledged, anything but a clear "confirmed" (a dropped connection, an error, a timeout) is
 * "cancelled": the command never runs on a doubt.
 */
export function askVsCode(socketPath: string, request: ConfirmRequest): Promise<ConfirmResponse | undefined> {
  const cancelled: ConfirmResponse = { decision: 'cancelled' };
  return askWindow<ConfirmResponse>(socketPath, request,
    (msg) => (msg.decision === 'confirmed' ? { decision: 'confirmed' } : cancelled), cancelled);
}

/**
 * One request line to the window, one acknowledgement, one answer (see `askVsCode`). `answer` reads the
 * answer line; `doubt` is what a dropped connection, an error or a timeout after the acknowledgement means.
 */
export function askWindow<T>(
  socketPath: string, request: object, answer: (msg: Record<string, unknown>) => T, doubt: T,
): Promise<T | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    let acked = false;
    let buf = '';
    const sock = net.connect(socketPath);
    const done = (r: T | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    let timer = setTimeout(() => done(undefined), ACK_TIMEOUT_MS);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(JSON.stringify(request) + '\n'));
    sock.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          done(doubt);
          return;
        }
        if (msg.status === 'asking' && !acked) {
          acked = true;
          clearTimeout(timer);
          timer = setTimeout(() => done(doubt), ANSWER_TIMEOUT_MS);
          continue;
        }
        if (typeof msg.error === 'string') done(acked ? doubt : undefined);
        else done(answer(msg));
        return;
      }
      if (buf.length > 64 * 1024) done(doubt);
    });
    // Dropped before answering (window closed mid-question): refuse, never run.
    sock.on('close', () => done(acked ? doubt : undefined));
    sock.on('error', () => done(acked ? doubt : undefined));
  });
}

/** Opens the controlling terminal, or undefined when there is none (CI, pipes, daemons). */
export function openTty(): number | undefined {
  try {
    return fs.openSync('/dev/tty', 'r+');
  } catch {
    return undefined;
  }
}

/**
 * Throws away what was typed (or pasted) before the question was shown: a pasted block of commands must not
 * answer a prompt it never saw. Reads a second, non-blocking handle on the terminal until it is empty.
 */
function drainTypeAhead(): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync('/dev/tty', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const buf = Buffer.alloc(4096);
    for (let i = 0; i < 1024; i++) if (fs.readSync(fd, buf, 0, buf.length, null) <= 0) break;
  } catch {
    // EAGAIN: nothing pending.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Prompts on the terminal: the user must type the confirmation name. True only on an exact match. */
export function askTerminal(fd: number, d: GuardDecision, argv: readonly string[]): boolean {
  const x = explain(d, argv, t);
  const text = [
    '',
    `\u001b[1;41m PRODUCTION \u001b[0m Prod Guard stopped a command before it ran:`,
    `  command: ${x.command}`,
    `  what:    ${x.what}`,
    `  target:  ${x.target} (from ${x.targetSource})`,
    `  why:     ${x.why}`,
    `Type ${x.confirmName} to run it, anything else cancels: `,
  ].join('\n');
  drainTypeAhead();
  fs.writeSync(fd, text);
  const bytes: number[] = [];
  const one = Buffer.alloc(1);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, one, 0, 1, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      return false;
    }
    if (n === 0 || one[0] === 10 || one[0] === 13) break;
    if (bytes.length < 4096) bytes.push(one[0]);
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r$/, '').trim() === x.confirmName && x.confirmName !== '';
}
