// The confirmation protocol between `prod-guard run` (in a terminal) and the VS Code window, one JSON line each way.

/** What the terminal sends to the VS Code window over the IPC socket (one JSON line). */
export interface ConfirmRequest {
  readonly token: string;
  readonly command: string;
  readonly cwd: string;
  readonly destructive: string;
  readonly target: { kind: string; name: string; source: string };
  readonly environment: string;
  readonly reason: string;
}

/** The window's answer: `confirmed` only after the user typed the target's name. */
export interface ConfirmResponse {
  readonly decision: 'confirmed' | 'cancelled';
}
