import * as fs from 'fs';
import * as net from 'net';
import { maskSecrets } from '../core/connection';
import { describeReason, plainTranslate as t } from '../core/describe';
import { displayCommand } from '../core/guard/audit';
import type { GuardDecision } from '../core/guard/decide';
import type { ConfirmRequest, ConfirmResponse } from '../core/guard/protocol';

/** The request for a decision, secrets masked. */
export function confirmRequest(token: string, argv: readonly string[], d: GuardDecision, cwd: string): ConfirmRequest {
  return {
    token,
    command: maskSecrets(displayCommand(argv)),
    cwd,
    destructive: d.destructive ?? '',
    target: { kind: d.target?.kind ?? 'unknown', name: d.target?.name ?? '', source: d.target?.source ?? '' },
    environment: d.environment,
    reason: describeReason(d.reason, t),
  };
}

/**
 * Asks the VS Code window that owns the terminal. Resolves `undefined` when no window answers the socket
 * (closed window, stale variables): the caller then tries the terminal.
 */
export function askVsCode(socketPath: string, request: ConfirmRequest): Promise<ConfirmResponse | undefined> {
  return new Promise((resolve) => {
    let answered = false;
    let buf = '';
    const sock = net.connect(socketPath);
    const done = (r: ConfirmResponse | undefined): void => {
      if (answered) return;
      answered = true;
      sock.destroy();
      resolve(r);
    };
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(JSON.stringify(request) + '\n'));
    sock.on('data', (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      try {
        const r = JSON.parse(buf.slice(0, nl)) as ConfirmResponse;
        done(r.decision === 'confirmed' ? { decision: 'confirmed' } : { decision: 'cancelled' });
      } catch {
        done({ decision: 'cancelled' });
      }
    });
    // Connected but dropped before answering (window closed mid-question): refuse, never run.
    sock.on('close', () => done(sock.connecting ? undefined : { decision: 'cancelled' }));
    sock.on('error', () => done(sock.connecting || buf === '' ? undefined : { decision: 'cancelled' }));
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

/** Prompts on the terminal: the user must type the target's name. Returns true only on an exact match. */
export function askTerminal(fd: number, d: GuardDecision, argv: readonly string[]): boolean {
  const name = d.target?.name ?? '';
  const text = [
    '',
    `\u001b[1;41m PRODUCTION \u001b[0m Prod Guard stopped a destructive command before it ran:`,
    `  command: ${maskSecrets(displayCommand(argv))}`,
    `  what:    ${d.destructive}`,
    `  target:  ${d.target?.kind} ${name} (${describeReason(d.reason, t)}; from ${d.target?.source})`,
    `Type the target's name (${name}) to run it, anything else cancels: `,
  ].join('\n');
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
    if (n === 0 || one[0] === 10) break;
    bytes.push(one[0]);
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r$/, '').trim() === name && name !== '';
}
