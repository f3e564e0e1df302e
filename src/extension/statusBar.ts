import * as os from 'os';
import * as vscode from 'vscode';
import type { Detection } from '../core/types';
import { type PathContext, statusView, type StatusView } from '../core/view';
import type { Monitor } from './monitor';

/** The status bar item, rendered from the monitor; exposes what it shows for tests. */
export interface StatusBar extends vscode.Disposable {
  readonly view: StatusView;
  readonly item: vscode.StatusBarItem;
}

/** Creates the always-visible status item; one Disposable owns the item and its listener. */
export function createStatusBar(monitor: Pick<Monitor, 'current' | 'onDidChange' | 'settings'>, command: string): StatusBar {
  const item = vscode.window.createStatusBarItem('prodGuard.status', vscode.StatusBarAlignment.Left, 10_000);
  item.name = vscode.l10n.t('Prod Guard environment');
  item.command = command;
  const paths = (): PathContext => ({ home: os.homedir(), folders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath) });
  let view = statusView(monitor.current, monitor.settings.statusBarMaxTargets, vscode.l10n.t, paths());
  const render = (d: Detection | undefined): void => {
    view = statusView(d, monitor.settings.statusBarMaxTargets, vscode.l10n.t, paths());
    item.text = view.text;
    const md = new vscode.MarkdownString(view.tooltip, true);
    item.tooltip = md;
    item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
    item.accessibilityInformation = { label: view.accessibilityLabel, role: 'button' };
  };
  render(monitor.current);
  item.show();
  const sub = monitor.onDidChange(render);
  return {
    get view() { return view; },
    item,
    dispose() {
      sub.dispose();
      item.dispose();
    },
  };
}
