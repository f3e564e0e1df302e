import * as os from 'os';
import * as vscode from 'vscode';
import { describeReason, describeSource, KIND_SHORT, shortPath } from '../core/describe';
import type { Detection, Signal } from '../core/types';
import { ENV_ICON, escapeIcons, sortSignals } from '../core/view';

interface SignalItem extends vscode.QuickPickItem {
  readonly signal?: Signal;
  readonly action?: 'log';
}

/** Opens a signal's source at its line, or explains that it came from an environment variable. */
export async function openSource(signal: Pick<Signal, 'source' | 'line' | 'name'>): Promise<void> {
  if (signal.source.startsWith('env:')) {
    void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" comes from the environment variable {1} of the process VS Code runs in.', signal.name, signal.source.slice(4)));
    return;
  }
  const line = Math.max(0, (signal.line ?? 1) - 1);
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(signal.source), { selection: new vscode.Range(line, 0, line, 0), preview: true });
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot open {0}: {1}', signal.source, e instanceof Error ? e.message : String(e)));
  }
}

/** The quick pick behind the status bar item: every signal; choosing one opens its source at the line. */
export async function showDetails(detection: Detection | undefined, showLog: () => void): Promise<void> {
  if (!detection) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Prod Guard is still checking where your tools point.'));
    return;
  }
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const where = (s: Signal): string => (s.source.startsWith('env:') ? describeSource(s, vscode.l10n.t) : `${shortPath(s.source, os.homedir(), folders)}${s.line ? `:${s.line}` : ''}`);
  const items: SignalItem[] = sortSignals(detection.signals).map((s) => ({
    label: `$(${ENV_ICON[s.environment]}) ${KIND_SHORT[s.kind]} ${escapeIcons(s.name)}`,
    description: s.active ? s.environment : vscode.l10n.t('{0} (inactive)', s.environment),
    detail: `${where(s)} — ${describeReason(s.reason, vscode.l10n.t)}`,
    signal: s,
  }));
  if (detection.problems.length > 0) {
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, {
      label: `$(warning) ${vscode.l10n.t('{0} problem(s) reading configuration — show log', detection.problems.length)}`,
      action: 'log',
    });
  }
  if (items.length === 0) items.push({ label: vscode.l10n.t('Nothing detected: no Kubernetes context, AWS profile, connection string or .prodguard.yaml') });
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Prod Guard: {0}', detection.environment.toUpperCase()),
    placeHolder: vscode.l10n.t('Where your tools point; pick one to open its source'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked?.action === 'log') showLog();
  else if (picked?.signal) await openSource(picked.signal);
}
