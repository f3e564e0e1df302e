import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Detection } from '../core/types';
import type { StatusView } from '../core/view';
import { registerCommands } from './commands';
import { showDetails } from './details';
import { createMonitor } from './monitor';
import { createProductionNotifier } from './notifier';
import { createStatusBar } from './statusBar';
import { createTaskGate } from './taskGate';
import { createTerminalGuard, type TerminalGuard } from './terminalGuard';

/** What `activate` returns: read-only access for other extensions and the integration tests. */
export interface ProdGuardApi {
  /** The latest detection (undefined until the first pass). */
  readonly detection: () => Detection | undefined;
  /** What the status bar item shows now. */
  readonly statusView: () => StatusView;
  /** Fires after every detection pass. */
  readonly onDidUpdate: vscode.Event<Detection>;
  /** Re-reads everything. */
  readonly refresh: () => Promise<Detection>;
  /** Resolves once terminals get the shims and the confirmation socket. */
  readonly terminalGuard: () => Promise<{ socket: string; shimDir: string }>;
}

/** Wires the pieces; the first detection runs after activation returns, so startup stays cheap. */
export function activate(context: vscode.ExtensionContext): ProdGuardApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Prod Guard', { log: true });
  const monitor = createMonitor({ env: process.env, home: os.homedir(), log });
  const statusBar = createStatusBar(monitor, 'prodGuard.showDetails');
  // Tasks whose command the guard finds destructive are flagged too: judged by the CLI bundle, loaded on use.
  const cli = path.join(context.extensionPath, 'dist', 'cli.js');
  const taskGate = createTaskGate(monitor, log, (line, cwd) => {
    const { judgeTaskLine } = require(cli) as { judgeTaskLine: (l: string, c: string) => string | undefined };
    return judgeTaskLine(line, cwd);
  });
  // The terminal and task environment is in place when activation returns (a task started as the folder opens
  // meets it); shims and socket follow off the activation path.
  const terminalGuard = createTerminalGuard({ context, log, monitor, tasks: taskGate });
  context.subscriptions.push(terminalGuard);
  const guard: Promise<TerminalGuard> = terminalGuard.ready.then(() => terminalGuard);
  context.subscriptions.push(
    log,
    monitor,
    statusBar,
    taskGate,
    createProductionNotifier(monitor, () => showDetails(monitor.current, () => log.show())),
    registerCommands({ monitor, log, confirmTask: () => taskGate.confirm(),
      guardState: () => guard.then((g) => (g.shimDir ? path.dirname(g.shimDir) : undefined)) }),
  );
  const first = setTimeout(() => void monitor.refresh().catch((e: unknown) => log.error(`first detection failed: ${String(e)}`)), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(first) });
  const g = globalThis as { __prodGuardLoadStart?: number; __prodGuardLoadEnd?: number };
  const loaded = g.__prodGuardLoadStart === undefined || g.__prodGuardLoadEnd === undefined ? ''
    : `; bundle evaluated in ${(g.__prodGuardLoadEnd - g.__prodGuardLoadStart).toFixed(2)} ms`;
  log.info(`activated in ${(performance.now() - started).toFixed(2)} ms${loaded}`);
  return {
    detection: () => monitor.current,
    statusView: () => statusBar.view,
    onDidUpdate: monitor.onDidChange,
    refresh: () => monitor.refresh(),
    terminalGuard: () => guard.then((g) => ({ socket: g.socket, shimDir: g.shimDir })),
  };
}

/** Everything is owned by `context.subscriptions`; nothing else to release. */
export function deactivate(): void {}
