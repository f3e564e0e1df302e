// `prod-guard hook <agent>`: an AI agent's pre-execution hook. It reads the agent's documented JSON on stdin,
// decides the whole shell line with the shims' engine (guard/line.ts) and answers in the agent's format:
// - claude-code: PreToolUse (https://code.claude.com/docs/en/hooks): `tool_name` Bash, `tool_input.command`,
//   `cwd`, `permission_mode`. Answer: `hookSpecificOutput.permissionDecision` `ask` (Claude Code's own prompt
//   asks the user) or `deny` where nobody can answer; nothing at all when Prod Guard has no objection, so the
//   agent's own permission rules apply unchanged.
// - cursor: beforeShellExecution (https://cursor.com/docs/agent/hooks): `command`, `cwd`. Answer: `permission`
//   `ask` or `deny` with `user_message`/`agent_message`; `allow` when Prod Guard has no objection (Cursor wants
//   a permission in every answer; its own allow-list still applies to what it runs).
// - gemini-cli: BeforeTool (https://geminicli.com/docs/hooks): `tool_name` run_shell_command,
//   `tool_input.command`. Answer: `decision` `ask`/`deny` with `reason`.
// A hook input that cannot be read answers as an unreadable line: it is refused when it names a guarded tool.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { plainTranslate as t } from '../core/describe';
import { nodeFiles } from '../core/files';
import { appendAudit, auditEntry, auditLogPath } from '../core/guard/audit';
import { explain } from '../core/guard/explain';
import type * as LineModule from '../core/guard/line';
import type { LineDecision } from '../core/guard/line';
import { maskSecrets } from '../core/mask';
import { stateFromShims } from './check';
import { guardInputs } from './run';

export const AGENTS = ['claude-code', 'cursor', 'gemini-cli'] as const;
export type Agent = (typeof AGENTS)[number];

/** Hook input is small JSON; anything larger is not a hook call. */
const MAX_INPUT = 4 * 1024 * 1024;

const USAGE = `usage: prod-guard hook ${AGENTS.join('|')} [--state DIR] [--deny]
Reads the agent's pre-execution JSON on stdin and answers in its format.
  --deny   refuse (never ask) lines that would ask: for agents nobody watches
`;

/** What the hook found in the agent's input. */
interface HookCall {
  readonly command?: string;
  readonly cwd?: string;
  /** The agent will not show a prompt (Claude Code `bypassPermissions`/`dontAsk`): asking would not ask. */
  readonly unattended: boolean;
  /** A tool call that is not a shell command: no opinion. */
  readonly other: boolean;
}

function readCall(agent: Agent, input: unknown): HookCall | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const o = input as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const cwd = str(o.cwd) ?? (Array.isArray(o.workspace_roots) ? str(o.workspace_roots[0]) : undefined);
  if (agent === 'cursor') {
    const command = str(o.command);
    return command === undefined ? undefined : { command, cwd, unattended: false, other: false };
  }
  const tool = str(o.tool_name);
  const ti = o.tool_input as Record<string, unknown> | undefined;
  const shell = agent === 'claude-code' ? tool === 'Bash' : tool === 'run_shell_command';
  if (!shell) return tool === undefined ? undefined : { cwd, unattended: false, other: true };
  const command = str(ti?.command);
  if (command === undefined) return undefined;
  const mode = str(o.permission_mode);
  const dir = str(ti?.directory);
  return { command, cwd: dir && cwd ? path.resolve(cwd, dir) : dir ?? cwd,
    unattended: mode === 'bypassPermissions' || mode === 'dontAsk', other: false };
}

/** The reason shown to the user (and, on deny, to the agent). */
export function hookReason(d: LineDecision): string {
  const c = d.asking;
  if (!c?.decision) {
    return `Prod Guard could not follow this shell line (${d.error ?? 'unknown reason'}): check what it runs `
      + 'before allowing it.';
  }
  const x = explain(c.decision, c.step.argv, t);
  const prod = c.decision.environment === 'production' ? 'PRODUCTION' : 'a target Prod Guard could not resolve';
  const lines = [
    `Prod Guard: ${x.command} — ${x.what}`,
    `against ${prod}: ${x.target}${x.targetSource ? ` (from ${x.targetSource})` : ''}.`,
    `Why: ${x.why}.`,
  ];
  if (c.step.via.length) lines.push(`Started through: ${c.step.via.join(' → ')}.`);
  if (d.notes.length) lines.push(`Note: ${d.notes.join('; ')}.`);
  return maskSecrets(lines.join('\n'));
}

/** The answer for one agent, or undefined for "no opinion". */
export function hookAnswer(agent: Agent, d: LineDecision | undefined, deny: boolean, reason: string): unknown {
  if (!d || d.action === 'run') {
    return agent === 'cursor' ? { permission: 'allow' } : undefined;
  }
  const decision = deny ? 'deny' : 'ask';
  if (agent === 'claude-code') {
    return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision,
      permissionDecisionReason: reason } };
  }
  if (agent === 'cursor') {
    return { permission: decision, user_message: reason, agent_message: reason, userMessage: reason,
      agentMessage: reason };
  }
  return { decision, reason };
}

/** `prod-guard hook <agent> [--state DIR] [--deny]`. Exit 0 with the answer on stdout; 2 for bad usage. */
export function hookCommand(
  argv: readonly string[], env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void,
  readStdin: () => string = () => fs.readFileSync(0, 'utf8'),
): number {
  const agent = argv[0] as Agent;
  if (!AGENTS.includes(agent)) {
    err(argv[0] ? `prod-guard hook: unknown agent "${argv[0]}"\n${USAGE}` : USAGE);
    return 2;
  }
  let stateDir: string | undefined;
  let deny = env.PRODGUARD_HOOK_DENY === '1';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--state') stateDir = argv[++i];
    else if (a.startsWith('--state=')) stateDir = a.slice(8);
    else if (a === '--deny') deny = true;
    else {
      err(`prod-guard hook: unknown option "${a}"\n${USAGE}`);
      return 2;
    }
  }
  let raw = '';
  let call: HookCall | undefined;
  try {
    raw = readStdin();
    if (raw.length > MAX_INPUT) throw new Error('input larger than a hook call');
    call = readCall(agent, JSON.parse(raw));
  } catch (e) {
    // Not the parser's message: it quotes the input, which may hold a secret.
    const why = e instanceof SyntaxError ? 'not valid JSON' : maskSecrets((e as Error).message);
    err(`prod-guard hook: cannot read the ${agent} hook input: ${why}\n`);
  }
  if (call?.other) return 0;
  // Lazy: the shell parser and the engine load only for a real shell line.
  const { decideLine, toolsNamed } = require('../core/guard/line') as typeof LineModule;
  const home = env.HOME || os.homedir();
  let d: LineDecision | undefined;
  if (call?.command !== undefined) {
    const cwd = call.cwd && fs.existsSync(call.cwd) ? call.cwd : process.cwd();
    stateDir ??= stateFromShims(env.PATH ?? '');
    const inputs = guardInputs(env, stateDir);
    d = decideLine(call.command, { env, home, cwd, files: nodeFiles, ...inputs });
  } else if (toolsNamed(raw.slice(0, MAX_INPUT)).length > 0) {
    // Unreadable input that names a guarded tool: refuse rather than guess.
    d = { line: '', commands: [], action: 'confirm', error: 'the hook input is not what the agent documents',
      notes: [] };
  }
  const refuse = deny || (call?.unattended ?? true);
  const reason = d ? hookReason(d) : '';
  if (d && d.action === 'confirm') {
    const c = d.asking;
    if (c?.decision) {
      const problem = appendAudit(auditLogPath(env, home), auditEntry(c.step.argv, c.decision,
        refuse ? 'refused' : 'asked', `hook:${agent}`, c.step.cwd ?? process.cwd()));
      if (problem) err(`prod-guard: ${problem}\n`);
    }
  }
  const answer = hookAnswer(agent, d, refuse, reason);
  if (answer !== undefined) out(JSON.stringify(answer) + '\n');
  return 0;
}
