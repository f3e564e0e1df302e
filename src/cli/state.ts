import * as fs from 'fs';
import * as path from 'path';
import { IPC_DIR, parseGuardSettings, SETTINGS_FILE, type GuardSettingsFile } from '../core/guard/stateFiles';
import { sanitizeGuardPatterns, sanitizeRule } from '../core/settings';
import type { SourcedRule } from '../core/types';

/** Whether a file or socket is ours alone: owned by this user, not writable (or usable) by anyone else. */
function ownedPrivately(st: fs.Stats, mask: number): boolean {
  const uid = process.getuid?.();
  return (uid === undefined || st.uid === uid) && (st.mode & mask) === 0;
}

/** The user's rules and allow-lists from the extension's state folder; refused unless owned by the user. */
export function readGuardSettings(stateDir: string | undefined): { settings?: GuardSettingsFile; problems: string[] } {
  if (!stateDir) return { problems: [] };
  const file = path.join(stateDir, SETTINGS_FILE);
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || !ownedPrivately(st, 0o022)) {
      return { problems: [`${file}: not a private file of this user; ignored`] };
    }
    const r = parseGuardSettings(fs.readFileSync(file, 'utf8'));
    return { settings: r.settings, problems: r.problems.map((p) => `${file}: ${p}`) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problems: code === 'ENOENT' ? [] : [`${file}: ${code ?? String(e)}`] };
  }
}

/**
 * Whether `socket` is the confirmation socket of one of this user's VS Code windows: listed in the state folder
 * and a private socket of this user. A socket named by the environment alone is not trusted (it could belong
 * to anything that answers "confirmed").
 */
export function trustedSocket(stateDir: string | undefined, socket: string): boolean {
  if (!stateDir) return false;
  try {
    const entry = path.join(stateDir, IPC_DIR, path.basename(socket));
    const est = fs.statSync(entry);
    if (!est.isFile() || !ownedPrivately(est, 0o022)) return false;
    if (fs.readFileSync(entry, 'utf8').trim() !== socket) return false;
    const st = fs.statSync(socket);
    return st.isSocket() && ownedPrivately(st, 0o077);
  } catch {
    return false;
  }
}

/** Rules from `PRODGUARD_RULES` (JSON): they may raise an environment, never lower it. */
export function raiseRulesFromEnv(env: NodeJS.ProcessEnv): SourcedRule[] {
  try {
    const raw = JSON.parse(env.PRODGUARD_RULES ?? '[]') as unknown;
    if (!Array.isArray(raw)) return [];
    return raw.map(sanitizeRule)
      .filter((r): r is Exclude<ReturnType<typeof sanitizeRule>, string> => typeof r !== 'string')
      .map((r) => ({ ...r, origin: { type: 'environment' as const } }));
  } catch {
    return [];
  }
}

/** Destructive patterns from `PRODGUARD_GUARD` (JSON): they may add confirmations; allow-lists are ignored. */
export function extraDestructiveFromEnv(env: NodeJS.ProcessEnv): Record<string, string[]> {
  try {
    const p = sanitizeGuardPatterns(JSON.parse(env.PRODGUARD_GUARD ?? 'null'));
    return typeof p === 'string' ? {} : p.destructive;
  } catch {
    return {};
  }
}
