import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { maskSecrets } from '../core/connection';
import {
  type ConfirmAck, type ConfirmRequest, type ConfirmResponse, isTaskRequest, MAX_REQUEST_BYTES, parseWindowRequest, type TaskResponse,
} from '../core/guard/protocol';
import type { writeShims as WriteShims } from '../core/guard/shims';
import { IPC_DIR, SETTINGS_FILE } from '../core/guard/stateFiles';
import type { Settings } from '../core/settings';
import { TASK_HOOK_MARKER, taskHookScript } from '../core/tasks';
import { confirmByName } from './confirmDialog';
import type { Monitor } from './monitor';
import { readSettings } from './settings';
import type { TaskGate } from './taskGate';

/** What the terminal guard needs from the rest of the extension. */
export interface TerminalGuardDeps {
  readonly context: Pick<vscode.ExtensionContext, 'environmentVariableCollection' | 'globalStorageUri' | 'extensionPath'>;
  readonly log: vscode.LogOutputChannel;
  readonly monitor: Pick<Monitor, 'settings'>;
  /** Answers the task hook, and knows which confirmed task a shim's nonce belongs to. */
  readonly tasks?: Pick<TaskGate, 'onTaskRequest' | 'covers'>;
}

/** The modal for a terminal command, then type-the-name (see `confirmByName`). */
export function askInVsCode(r: ConfirmRequest): Promise<boolean> {
  return confirmByName({
    message: vscode.l10n.t('Run "{0}" against PRODUCTION {1} "{2}"?', r.command, r.target.kind, r.target.name),
    detail: vscode.l10n.t('What: {0}\nWhy: {1}\nTarget from: {2}\nFolder: {3}', r.what, r.why, r.target.source, r.cwd),
    inputTitle: vscode.l10n.t('Prod Guard: confirm against PRODUCTION: {0}', r.command),
    prompt: vscode.l10n.t('Type "{0}" to run: {1}', r.confirmName, r.command),
    name: r.confirmName,
  });
}

/** Writes a file only this user can read or write (folder 0700, file 0600), atomically. */
function writePrivateFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** Whether a file is a Prod Guard task hook. */
function isTaskHook(file: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8').startsWith(TASK_HOOK_MARKER);
  } catch {
    return false;
  }
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
  const stateDir = deps.context.globalStorageUri.fsPath;
  const shimDir = path.join(stateDir, 'shims');
  const ipcEntry = path.join(stateDir, IPC_DIR, path.basename(socket));
  const taskHook = path.join(stateDir, 'task-hook.bash');
  let queue: Promise<unknown> = Promise.resolve();
  // The user's rules and allow-lists reach `prod-guard run` through a private file whose folder the shims
  // carry baked in — not through the environment, which a repository's tooling can set.
  const passSettings = (settings: Settings): void => {
    try {
      writePrivateFile(path.join(stateDir, SETTINGS_FILE), JSON.stringify({ rules: settings.rules, guard: settings.guard }));
    } catch (e) {
      deps.log.error(`cannot write the guard settings into ${stateDir}: ${(e as Error).message}`);
    }
  };

  const handle = (conn: net.Socket): void => {
    let buf = '';
    let handled = false;
    conn.setEncoding('utf8');
    conn.on('error', () => undefined);
    // A client that never finishes its request line is dropped; the answer itself may take minutes.
    conn.setTimeout(10_000, () => {
      if (!handled) conn.destroy();
    });
    conn.on('data', (chunk: string) => {
      if (handled) return; // one request per connection: nothing after it is read or kept
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0 && buf.length > MAX_REQUEST_BYTES) {
        handled = true;
        buf = '';
        conn.end(JSON.stringify({ error: 'request too large' }) + '\n');
        conn.destroySoon();
        return;
      }
      if (nl < 0) return;
      handled = true;
      conn.setTimeout(0);
      const reply = (msg: ConfirmResponse | ConfirmAck | TaskResponse, end = true): void => {
        if (conn.destroyed) return;
        if (end) conn.end(JSON.stringify(msg) + '\n');
        else conn.write(JSON.stringify(msg) + '\n');
      };
      const req = parseWindowRequest(buf.slice(0, nl));
      if (typeof req === 'string') {
        deps.log.warn(`rejected a malformed confirmation request: ${req}`);
        reply({ error: `malformed request: ${req}` });
        return;
      }
      const given = Buffer.from(req.token);
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
        deps.log.warn('rejected a confirmation request with a wrong token');
        reply({ error: 'wrong token' });
        return;
      }
      if (isTaskRequest(req)) {
        reply({ status: 'asking' }, false);
        const gate = deps.tasks;
        if (!gate) {
          reply({ decision: 'run' });
          return;
        }
        gate.onTaskRequest(req.task).then(reply, (e: unknown) => {
          deps.log.error(`task confirmation failed: ${String(e)}`);
          reply({ decision: 'cancelled' });
        });
        return;
      }
      const coveredBy = req.taskNonce ? deps.tasks?.covers(req.taskNonce) : undefined;
      if (coveredBy !== undefined) {
        deps.log.info(maskSecrets(`covered by the confirmation of task "${coveredBy}": ${req.command}`));
        reply({ status: 'asking' }, false);
        reply({ decision: 'confirmed' });
        return;
      }
      deps.log.info(maskSecrets(`confirmation asked: ${req.command} → ${req.target.kind} ${req.target.name} (${req.environment})`));
      reply({ status: 'asking' }, false);
      // One dialog at a time; each answer goes back to the terminal that asked.
      queue = queue.then(async () => {
        let ok = false;
        try {
          if (!conn.destroyed) ok = await askInVsCode(req);
        } catch (e) {
          deps.log.error(`confirmation failed: ${String(e)}`);
        }
        const answer: ConfirmResponse = { decision: ok ? 'confirmed' : 'cancelled' };
        deps.log.info(maskSecrets(`confirmation ${answer.decision}: ${req.command}`));
        reply(answer);
      });
    });
  };

  const server = net.createServer(handle);
  const cli = path.join(deps.context.extensionPath, 'dist', 'cli.js');
  const env = deps.context.environmentVariableCollection;
  // The task hook and the variables that lead to this window are in place before activation returns: a task
  // VS Code starts by itself as the folder opens (runOn: folderOpen) must already meet them. Until the socket
  // listens, `prod-guard task-hook` waits for it.
  try {
    const previous = process.env.BASH_ENV && !isTaskHook(process.env.BASH_ENV) ? process.env.BASH_ENV : undefined;
    writePrivateFile(taskHook, taskHookScript({ runtime: process.execPath, cli, stateDir, previous }));
    env.persistent = false; // the socket and token belong to this window only
    env.description = new vscode.MarkdownString(vscode.l10n.t('Prod Guard asks before destructive commands run against production.'));
    env.prepend('PATH', `${shimDir}${path.delimiter}`, APPLY);
    env.replace('PRODGUARD_IPC', socket, APPLY);
    env.replace('PRODGUARD_IPC_TOKEN', token, APPLY);
    // Bash sources BASH_ENV before a task's command: the task hook asks there (see taskHookScript).
    env.replace('BASH_ENV', taskHook, { applyAtProcessCreation: true });
  } catch (e) {
    deps.log.error(`cannot write the task hook into ${stateDir}: ${(e as Error).message}; tasks are not asked about`);
  }
  const ready = (async () => {
    // Off the activation path: the guard (tool grammars, tables, SQL judge) lives in the CLI bundle only.
    await new Promise((r) => setImmediate(r));
    try {
      const { writeShims } = require(cli) as { writeShims: typeof WriteShims };
      writeShims(shimDir, process.execPath, cli, stateDir);
      passSettings(deps.monitor.settings);
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
    writePrivateFile(ipcEntry, socket);
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
      fs.rmSync(ipcEntry, { force: true });
      deps.context.environmentVariableCollection.clear();
    },
  };
}
