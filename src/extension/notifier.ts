import * as vscode from 'vscode';
import { describeReason, KIND_SHORT } from '../core/describe';
import type { Environment } from '../core/types';
import type { Monitor } from './monitor';

/**
 * Warns once, non-modally, each time the overall environment *becomes* production (not on every refresh),
 * naming the targets and why. `showDetails` runs when the user asks for details.
 */
export function createProductionNotifier(monitor: Pick<Monitor, 'onDidChange' | 'settings'>, showDetails: () => unknown): vscode.Disposable {
  let previous: Environment | undefined;
  return monitor.onDidChange((d) => {
    const became = d.environment === 'production' && previous !== 'production';
    previous = d.environment;
    if (!became || !monitor.settings.notifyOnProduction) return;
    const why = d.signals
      .filter((s) => s.active && s.environment === 'production')
      .map((s) => `${KIND_SHORT[s.kind]} ${s.name} (${describeReason(s.reason, vscode.l10n.t)})`)
      .join('; ');
    const details = vscode.l10n.t('Show Details');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Prod Guard: your tools now point at PRODUCTION — {0}', why), details)
      .then((choice) => (choice === details ? showDetails() : undefined));
  });
}
