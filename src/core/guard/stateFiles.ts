// Files the extension writes for the guard, in a folder only the user can write (VS Code's global storage):
// the user's rules and allow-lists, and which IPC sockets belong to real VS Code windows. The shims carry the
// folder's path baked in, so nothing in a repository or an environment can redirect the guard or lower it.
import { sanitizeGuardPatterns, sanitizeRule, type GuardPatterns } from '../settings';
import type { Rule } from '../types';

/** The user's guard settings, relative to the state folder. */
export const SETTINGS_FILE = 'guard-settings.json';
/** One file per VS Code window with a confirmation socket, named after the socket, holding its path. */
export const IPC_DIR = 'ipc';

/** What `guard-settings.json` holds. */
export interface GuardSettingsFile {
  readonly rules: readonly Rule[];
  readonly guard: GuardPatterns;
}

/** Parses `guard-settings.json` text; invalid parts are dropped and reported. */
export function parseGuardSettings(text: string): { settings: GuardSettingsFile; problems: string[] } {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { settings: { rules: [], guard: { destructive: {}, allow: {} } }, problems: ['not valid JSON'] };
  }
  const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const rules: Rule[] = [];
  for (const r of Array.isArray(obj.rules) ? obj.rules : []) {
    const s = sanitizeRule(r);
    if (typeof s === 'string') problems.push(s);
    else rules.push(s);
  }
  const g = sanitizeGuardPatterns(obj.guard);
  if (typeof g === 'string') problems.push(g);
  return { settings: { rules, guard: typeof g === 'string' ? { destructive: {}, allow: {} } : g }, problems };
}
