// The confirmation protocol between `prod-guard run` (in a terminal) and the VS Code window, one JSON line each
// way: the request, an immediate `{"status":"asking"}` acknowledgement, then the answer (or an error).

/** What the terminal sends to the VS Code window over the IPC socket (one JSON line). Every text is masked. */
export interface ConfirmRequest {
  readonly token: string;
  /** The command line, masked. */
  readonly command: string;
  readonly cwd: string;
  /** What the command does and why that asks (the same text as the refusal and `prod-guard check`). */
  readonly what: string;
  readonly target: { readonly kind: string; readonly name: string; readonly source: string };
  readonly environment: string;
  /** Why the target is production (or why it could not be resolved). */
  readonly why: string;
  /** What the user must type. */
  readonly confirmName: string;
  /** Set inside a task the user confirmed (the hook's `PRODGUARD_TASK_NONCE`): that confirmation covers it. */
  readonly taskNonce?: string;
}

/**
 * What the task hook sends before a task's command runs: the process VS Code started (matched with
 * `tasks.onDidStartTaskProcess`), the command line bash is about to run, masked, and whether the process
 * environment flags it (`PRODGUARD_DESTRUCTIVE`).
 */
export interface TaskRequest {
  readonly token: string;
  readonly task: { readonly pid: number; readonly command: string; readonly cwd: string; readonly flagged: boolean };
}

/**
 * The window's answer to the task hook: `run` (not a task, not flagged, or not production), `confirmed` (with
 * the nonce the hook exports for the shims inside the task), `cancelled`, or an error.
 */
export type TaskResponse =
  | { readonly decision: 'run' | 'cancelled' }
  | { readonly decision: 'confirmed'; readonly nonce: string }
  | { readonly error: string };

/** The window's acknowledgement: the question is on screen (or queued behind another). */
export interface ConfirmAck {
  readonly status: 'asking';
}

/** The window's answer: `confirmed` only after the user typed the name; `error` for a malformed request. */
export type ConfirmResponse = { readonly decision: 'confirmed' | 'cancelled' } | { readonly error: string };

/** Longest request line the window reads. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Validates a request line; returns the request or an error message. Never throws. */
export function parseWindowRequest(line: string): ConfirmRequest | TaskRequest | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof v === 'object' && v !== null && 'task' in v) {
    const r = v as Record<string, unknown>;
    const t = r.task as Record<string, unknown> | null;
    if (typeof r.token !== 'string' || typeof t !== 'object' || t === null) return 'missing fields';
    if (!Number.isSafeInteger(t.pid) || (t.pid as number) <= 0 || typeof t.command !== 'string'
      || typeof t.cwd !== 'string' || typeof t.flagged !== 'boolean') return 'malformed task';
    return { token: r.token, task: { pid: t.pid as number, command: t.command, cwd: t.cwd, flagged: t.flagged } };
  }
  return confirmRequestOf(v);
}

/** Whether a parsed request comes from the task hook. */
export function isTaskRequest(r: ConfirmRequest | TaskRequest): r is TaskRequest {
  return 'task' in r;
}

/** Validates a confirmation request line; returns the request or an error message. Never throws. */
export function parseConfirmRequest(line: string): ConfirmRequest | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  return confirmRequestOf(v);
}

/** Validates a parsed confirmation request (see `parseConfirmRequest`). */
function confirmRequestOf(v: unknown): ConfirmRequest | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const r = v as Record<string, unknown>;
  const str = (k: string): boolean => typeof r[k] === 'string';
  if (!['token', 'command', 'cwd', 'what', 'environment', 'why', 'confirmName'].every(str)) return 'missing fields';
  const t = r.target as Record<string, unknown> | undefined;
  if (typeof t !== 'object' || t === null || !['kind', 'name', 'source'].every((k) => typeof t[k] === 'string')) {
    return 'missing target';
  }
  if ((r.confirmName as string) === '') return 'empty confirmation name';
  if (r.taskNonce !== undefined && typeof r.taskNonce !== 'string') return 'malformed task nonce';
  return r as unknown as ConfirmRequest;
}
