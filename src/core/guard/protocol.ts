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
}

/** The window's acknowledgement: the question is on screen (or queued behind another). */
export interface ConfirmAck {
  readonly status: 'asking';
}

/** The window's answer: `confirmed` only after the user typed the name; `error` for a malformed request. */
export type ConfirmResponse = { readonly decision: 'confirmed' | 'cancelled' } | { readonly error: string };

/** Longest request line the window reads. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Validates a request line; returns the request or an error message. Never throws. */
export function parseConfirmRequest(line: string): ConfirmRequest | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const r = v as Record<string, unknown>;
  const str = (k: string): boolean => typeof r[k] === 'string';
  if (!['token', 'command', 'cwd', 'what', 'environment', 'why', 'confirmName'].every(str)) return 'missing fields';
  const t = r.target as Record<string, unknown> | undefined;
  if (typeof t !== 'object' || t === null || !['kind', 'name', 'source'].every((k) => typeof t[k] === 'string')) {
    return 'missing target';
  }
  if ((r.confirmName as string) === '') return 'empty confirmation name';
  return r as unknown as ConfirmRequest;
}
