import * as vscode from 'vscode';
import { sanitizeSettings, type Settings } from '../core/settings';

/** Reads `prodGuard.*` fresh each time (never cached in a global); invalid values fall back to defaults. */
export function readSettings(): { settings: Settings; problems: string[] } {
  const cfg = vscode.workspace.getConfiguration('prodGuard');
  return sanitizeSettings((key) => cfg.get(key));
}

/** The `files.exclude` globs that are switched on for a folder; the scan honours them like the Explorer does. */
export function filesExclude(folder: vscode.Uri): string[] {
  const ex = vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(ex).filter(([, on]) => on === true).map(([glob]) => glob);
}
