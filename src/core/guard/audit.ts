import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { maskSecrets } from '../mask';
import type { GuardDecision } from './decide';
import { maskedCommand } from './explain';

/**
 * How a confirmation was answered, or why none was asked (`asked`: handed to an agent's own prompt;
 * `read-only`: an interactive production session opened read-only).
 */
export type AuditDecision = 'confirmed' | 'cancelled' | 'refused' | 'bypassed' | 'asked' | 'read-only';
/** Where the answer came from (`hook:claude-code`: an agent's hook). */
export type AuditChannel = 'vscode' | 'terminal' | 'env' | 'none' | 'task' | `hook:${string}`;

/** One line of the audit log. */
export interface AuditEntry {
  readonly time: string;
  readonly user: string;
  readonly cwd: string;
  /** The command line, secrets masked. */
  readonly command: string;
  readonly destructive?: string;
  /** The verdict code that made it ask (`destructive`, `unknown`, …). */
  readonly why?: string;
  readonly target?: { kind: string; name: string; source?: string };
  readonly environment: string;
  readonly decision: AuditDecision;
  readonly channel: AuditChannel;
  /** The VS Code task this was (its label, folder and source: `Workspace`, `npm`…). */
  readonly task?: { readonly label: string; readonly folder: string; readonly source: string };
}

/** The audit log: `PRODGUARD_AUDIT_LOG`, else `$XDG_STATE_HOME/prod-guard/audit.jsonl` (`~/.local/state/…`). */
export function auditLogPath(env: NodeJS.ProcessEnv, home: string): string {
  if (env.PRODGUARD_AUDIT_LOG?.trim()) return path.resolve(env.PRODGUARD_AUDIT_LOG.trim());
  const state = env.XDG_STATE_HOME?.trim() || path.join(home, '.local', 'state');
  return path.join(state, 'prod-guard', 'audit.jsonl');
}

/** Builds an entry; the command is masked here so no caller can forget. */
export function auditEntry(
  argv: readonly string[], d: GuardDecision, decision: AuditDecision, channel: AuditChannel, cwd: string,
  user = safeUser(),
): AuditEntry {
  return {
    time: new Date().toISOString(),
    user,
    cwd,
    command: maskedCommand(argv, d),
    destructive: d.destructive ? maskSecrets(d.destructive) : undefined,
    why: d.pattern ? `pattern:${d.pattern.pattern}` : d.verdict?.code,
    target: d.target
      ? { kind: d.target.kind, name: maskSecrets(d.target.name), source: maskSecrets(d.target.source) }
      : undefined,
    environment: d.environment,
    decision,
    channel,
  };
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** Appends one JSON line (file created 0600, folder 0700); returns an error message instead of throwing. */
export function appendAudit(file: string, entry: AuditEntry): string | undefined {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.appendFileSync(file, JSON.stringify(entry) + '\n', { mode: 0o600 });
    return undefined;
  } catch (e) {
    return `cannot write the audit log ${file}: ${(e as Error).message}`;
  }
}
