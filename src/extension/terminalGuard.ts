import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { maskSecrets } from '../core/connection';
import type { ConfirmRequest, ConfirmResponse } from '../core/guard/protocol';
import { writeShims } from '../core/guard/shims';
import type { Settings } from '../core/settings';
import { confirmByName } from './confirmDialog';
import type { Monitor } from './monitor';
import { readSettings } from './settings';

/** What the terminal guard needs from the rest of the extension. */
export interface TerminalGuardDeps {
  readonly context: Pick<vscode.ExtensionContext, 'environmentVariableCollection' | 'globalStorageUri' | 'extensionPath'>;
  readonly log: vscode.LogOutputChannel;
  readonly monitor: Pick<Monitor, 'settings'>;
}

/** The modal for a terminal command, then type-the-name (see `confirmByName`). */
export function askInVsCode(r: ConfirmRequest): Promise<boolean> {
  return confirmByName({
    message: vscode.l10n.t('Run "{0}" against PRODUCTION {1} "{2}"?', r.command, r.target.kind, r.target.name),
    detail: vscode.l10n.t('Destructive: {0}\nWhy production: {1}\nTarget from: {2}\nFolder: {3}', r.destructive, r.reason, r.target.source, r.cwd),
    inputTitle: vscode.l10n.t('Prod Guard: confirm {0} against PRODUCTION', r.destructive),
    prompt: vscode.l10n.t('Type "{0}" to run: {1}', r.target.name, r.command),
    name: r.target.name,
  });
}

/** Applied when a shell starts and again by shell integration, so rc files that reorder PATH do not escape. */
const APPLY: vscode.EnvironmentVariableMutatorOptions = { applyAtProcessCreation: true, applyAtShellIntegration: true };

/** A socket path short enough for the 108-byte limit, private to this window. */
function socketPath(): string {
  return path.join(os.tmpdir(), `prodguard-${process.pid}-${crypto.randomBytes(6).toString('hex')}.sock`);
}

/**
 * Puts the guard in front of every integrated terminal and task: shims first on PATH (at process creation
 * and again at shell integration, so rc files that reorder PATH do not escape), and a local socket — path and
 * per-window secret token in the terminal's environment, readable by the user only — on which `prod-guard run`
 * asks this window to confirm.
 */
/** The running terminal guard. */
export interface TerminalGuard extends vscode.Disposable {
  readonly socket: string;
  readonly shimDir: string;
  /** Settles once shims, socket and terminal environment are in place (or failed, with a log line). */
  readonly ready: Promise<void>;
}

export function createTerminalGuard(deps: TerminalGuardDeps): TerminalGuard {
  const token = crypto.randomBytes(32).toString('hex');
  const socket = socketPath();
  const shimDir = path.join(deps.context.globalStorageUri.fsPath, 'shims');
  let queue: Promise<unknown> = Promise.resolve();
  // The user's rules and patterns reach `prod-guard run` through the terminal's environment.
  const passSettings = (settings: Settings): void => {
    deps.context.environmentVariableCollection.replace('PRODGUARD_RULES', JSON.stringify(settings.rules), APPLY);
    deps.context.environmentVariableCollection.replace('PRODGUARD_GUARD', JSON.stringify(settings.guard), APPLY);
  };

  const handle = (conn: net.Socket): void => {
    let buf = '';
    let handled = false;
    conn.setEncoding('utf8');
    conn.on('error', () => undefined);
    conn.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > 64 * 1024) {
        conn.destroy();
        return;
      }
      const nl = buf.indexOf('\n');
      if (nl < 0 || handled) return;
      handled = true;
      let req: ConfirmRequest;
      try {
        req = JSON.parse(buf.slice(0, nl)) as ConfirmRequest;
      } catch {
        conn.destroy();
        return;
      }
      const given = Buffer.from(String(req.token ?? ''));
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
        deps.log.warn('rejected a confirmation request with a wrong token');
        conn.destroy();
        return;
      }
      deps.log.info(maskSecrets(`confirmation asked: ${req.command} → ${req.target.kind} ${req.target.name} (${req.environment})`));
      // One dialog at a time; each answer goes back to the terminal that asked.
      queue = queue.then(async () => {
        let ok = false;
        try {
          ok = await askInVsCode(req);
        } catch (e) {
          deps.log.error(`confirmation failed: ${String(e)}`);
        }
        const answer: ConfirmResponse = { decision: ok ? 'confirmed' : 'cancelled' };
        deps.log.info(maskSecrets(`confirmation ${answer.decision}: ${req.command}`));
        if (!conn.destroyed) conn.end(JSON.stringify(answer) + '\n');
      });
    });
  };

  const server = net.createServer(handle);
  const ready = (async () => {
    try {
      writeShims(shimDir, process.execPath, path.join(deps.context.extensionPath, 'dist', 'cli.js'));
    } catch (e) {
      deps.log.error(`cannot write the command shims into ${shimDir}: ${(e as Error).message}; terminal commands are not guarded`);
      return;
    }
    // Created 0600 from the start: the umask applies to the socket file bind() creates.
    const oldMask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socket, () => resolve());
      });
    } finally {
      process.umask(oldMask);
    }
    fs.chmodSync(socket, 0o600);
    const env = deps.context.environmentVariableCollection;
    env.persistent = false; // the socket and token belong to this window only
    env.description = new vscode.MarkdownString(vscode.l10n.t('Prod Guard asks before destructive commands run against production.'));
    env.prepend('PATH', `${shimDir}${path.delimiter}`, APPLY);
    env.replace('PRODGUARD_IPC', socket, APPLY);
    env.replace('PRODGUARD_IPC_TOKEN', token, APPLY);
    passSettings(deps.monitor.settings);
    deps.log.info(`terminal guard ready: shims in ${shimDir}`);
    const older = vscode.window.terminals.length;
    if (older > 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Prod Guard: {0} terminal(s) were open before it started and are not guarded. Open a new terminal (or relaunch them) to guard their commands.', older));
    }
  })().catch((e: unknown) => deps.log.error(`terminal guard failed to start: ${String(e)}`));

  // Terminals started from now on get the current user rules.
  const configSub = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('prodGuard.rules') || e.affectsConfiguration('prodGuard.guard')) passSettings(readSettings().settings);
  });

  return {
    socket,
    shimDir,
    ready,
    dispose() {
      configSub.dispose();
      server.close();
      fs.rmSync(socket, { force: true });
      deps.context.environmentVariableCollection.clear();
    },
  };
}
