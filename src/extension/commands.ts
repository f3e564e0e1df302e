import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { auditLogPath } from '../core/guard/audit';
import { WORKSPACE_FILE } from '../core/workspace';
import { type AgentHookOptions, protectAgents, unprotectAgents } from './agentHooks';
import { showDetails } from './details';
import type { Monitor } from './monitor';

/** What command handlers may use. */
export interface CommandDeps {
  readonly monitor: Monitor;
  readonly log: vscode.LogOutputChannel;
  /** The task gate behind `${command:prodGuard.confirmTask}`. */
  readonly confirmTask: () => Promise<string | undefined>;
  /** The extension's state folder once the command-line guard (shims, launcher) is in place. */
  readonly guardState: () => Promise<string | undefined>;
}

async function showAuditLog(): Promise<void> {
  const file = auditLogPath(process.env, os.homedir());
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(file));
  } catch {
    void vscode.window.showInformationMessage(vscode.l10n.t('No confirmation, refusal or bypass recorded yet ({0}).', file));
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { preview: true });
}

/** Starting content of a new `.prodguard.yaml`: everything commented, so creating it changes nothing. */
export const WORKSPACE_TEMPLATE = `# Prod Guard workspace settings (see the Prod Guard README).
# Label this whole workspace (production, staging, development, local):
# environment: production

# Rules run before the built-in name heuristics; the first match wins. "match" is a glob
# matched against a whole identifier: context, cluster, server URL, AWS account/role, database host or name.
rules: []
#  - match: "*-prd-*"
#    environment: production
#  - match: "*-tst-*"
#    kind: kubernetes        # optional: kubernetes, aws, database, workspace
#    environment: staging
`;

async function openWorkspaceConfig(): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: {0} lives at the root of a workspace folder.', WORKSPACE_FILE));
    return;
  }
  const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Folder whose {0} to open', WORKSPACE_FILE) });
  if (!folder) return;
  const uri = vscode.Uri.file(path.join(folder.uri.fsPath, WORKSPACE_FILE));
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(WORKSPACE_TEMPLATE));
  }
  await vscode.window.showTextDocument(uri);
}

/** Every command of the extension; ids are `prodGuard.<key>` and package.json must list the same set. */
export function commandHandlers(deps: CommandDeps) {
  return {
    showDetails: () => showDetails(deps.monitor.current, () => deps.log.show()),
    refresh: async () => {
      const d = await deps.monitor.refresh();
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Prod Guard: {0}', d.environment), 2000);
    },
    openWorkspaceConfig,
    showLog: () => deps.log.show(),
    showAuditLog,
    confirmTask: () => deps.confirmTask(),
    protectAgents: (options?: AgentHookOptions) => protectAgents(deps.guardState, deps.log, options),
    unprotectAgents: (options?: AgentHookOptions) => unprotectAgents(deps.log, options),
  } as const satisfies Record<string, (...args: never[]) => unknown>;
}

/** Command ids, derived from the handler map. */
export type CommandId = `prodGuard.${keyof ReturnType<typeof commandHandlers>}`;

/** Registers every handler; one Disposable owns them all. */
export function registerCommands(deps: CommandDeps): vscode.Disposable {
  const handlers = commandHandlers(deps);
  return vscode.Disposable.from(
    ...Object.entries(handlers).map(([key, fn]) => vscode.commands.registerCommand(`prodGuard.${key}`, fn as (...a: unknown[]) => unknown)),
  );
}
