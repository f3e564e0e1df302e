// The AI agents whose user-level settings can carry Prod Guard's pre-execution hook, and the edits that add or
// remove it. Edits keep everything else in the file (comments and formatting too: jsonc-parser's `modify`), can
// run twice without adding a second hook, and recognise Prod Guard's entry by its ` hook <agent>` command.
//   Claude Code  ~/.claude/settings.json  hooks.PreToolUse[{ matcher: "Bash", hooks: [{ type: "command", command }] }]
//   Cursor       ~/.cursor/hooks.json     { version: 1, hooks: { beforeShellExecution: [{ command }] } }
//   Gemini CLI   ~/.gemini/settings.json  hooks.BeforeTool[{ matcher: "run_shell_command", hooks: [{ type, command }] }]
import * as path from 'path';
import { applyEdits, type FormattingOptions, modify, parse, type ParseError } from 'jsonc-parser';

export interface AgentTarget {
  readonly agent: 'claude-code' | 'cursor' | 'gemini-cli';
  /** Shown to the user. */
  readonly label: string;
  /** The folder whose presence says the agent is installed. */
  readonly dir: string;
  /** The user-level settings file the hook goes into. */
  readonly file: string;
}

export function agentTargets(home: string): AgentTarget[] {
  return [
    { agent: 'claude-code', label: 'Claude Code', dir: path.join(home, '.claude'),
      file: path.join(home, '.claude', 'settings.json') },
    { agent: 'cursor', label: 'Cursor', dir: path.join(home, '.cursor'), file: path.join(home, '.cursor', 'hooks.json') },
    { agent: 'gemini-cli', label: 'Gemini CLI', dir: path.join(home, '.gemini'),
      file: path.join(home, '.gemini', 'settings.json') },
  ];
}

const FORMAT: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

/** The hook command for an agent: the CLI launcher, `hook <agent>`, and the state folder it reads. */
export function hookCommandLine(launcher: string, agent: AgentTarget['agent'], stateDir: string): string {
  const q = (s: string): string => (/^[\w./@:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return `${q(launcher)} hook ${agent} --state ${q(stateDir)}`;
}

const isOurs = (agent: string) => (c: unknown): boolean =>
  typeof c === 'string' && c.includes(` hook ${agent}`) && /prod-guard/.test(c);

/** The outcome of an edit: the new text, or why the file cannot be edited. */
export type EditResult =
  | { readonly ok: true; readonly text: string; readonly changed: boolean }
  | { readonly ok: false; readonly message: string };

function read(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0) return { ok: false, message: `not valid JSON (at offset ${errors[0].offset})` };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'not a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Groups of a Claude Code / Gemini CLI event: `[{ matcher, hooks: [{ type, command }] }]`. */
type Group = { matcher?: string; hooks?: Array<{ type?: string; command?: unknown }> };

/** The file's text with Prod Guard's hook in it (added, or replaced when an older command is there). */
export function addHook(t: AgentTarget, text: string, command: string): EditResult {
  const r = read(text);
  if (!r.ok) return r;
  const src = text.trim() === '' ? '{}\n' : text;
  const hooks = (r.value.hooks ?? {}) as Record<string, unknown>;
  if (typeof hooks !== 'object' || Array.isArray(hooks)) return { ok: false, message: '"hooks" is not an object' };
  let out = src;
  if (t.agent === 'cursor') {
    const list = hooks.beforeShellExecution ?? [];
    if (!Array.isArray(list)) return { ok: false, message: '"hooks.beforeShellExecution" is not a list' };
    const at = list.findIndex((h) => isOurs(t.agent)((h as { command?: unknown }).command));
    if (at >= 0 && (list[at] as { command?: unknown }).command === command) return { ok: true, text, changed: false };
    if (r.value.version === undefined) out = applyEdits(out, modify(out, ['version'], 1, { formattingOptions: FORMAT }));
    out = applyEdits(out, modify(out, ['hooks', 'beforeShellExecution', at >= 0 ? at : list.length], { command },
      { formattingOptions: FORMAT, isArrayInsertion: at < 0 }));
    return { ok: true, text: out, changed: true };
  }
  const event = t.agent === 'claude-code' ? 'PreToolUse' : 'BeforeTool';
  const matcher = t.agent === 'claude-code' ? 'Bash' : 'run_shell_command';
  const groups = (hooks[event] ?? []) as Group[];
  if (!Array.isArray(groups)) return { ok: false, message: `"hooks.${event}" is not a list` };
  for (let g = 0; g < groups.length; g++) {
    const inner = groups[g]?.hooks;
    if (!Array.isArray(inner)) continue;
    const at = inner.findIndex((h) => isOurs(t.agent)(h?.command));
    if (at < 0) continue;
    if (inner[at].command === command && groups[g].matcher === matcher) return { ok: true, text, changed: false };
    out = applyEdits(out, modify(out, ['hooks', event, g], { matcher, hooks: [{ type: 'command', command }] },
      { formattingOptions: FORMAT }));
    return { ok: true, text: out, changed: true };
  }
  out = applyEdits(out, modify(out, ['hooks', event, groups.length], { matcher, hooks: [{ type: 'command', command }] },
    { formattingOptions: FORMAT, isArrayInsertion: true }));
  return { ok: true, text: out, changed: true };
}

/** The file's text without Prod Guard's hook (other hooks and settings stay). */
export function removeHook(t: AgentTarget, text: string): EditResult {
  const r = read(text);
  if (!r.ok) return r;
  const hooks = (r.value.hooks ?? {}) as Record<string, unknown>;
  let out = text;
  let changed = false;
  if (t.agent === 'cursor') {
    const list = Array.isArray(hooks.beforeShellExecution) ? hooks.beforeShellExecution : [];
    // From the end, so earlier indices stay valid.
    for (let i = list.length - 1; i >= 0; i--) {
      if (!isOurs(t.agent)((list[i] as { command?: unknown }).command)) continue;
      out = applyEdits(out, modify(out, ['hooks', 'beforeShellExecution', i], undefined, { formattingOptions: FORMAT }));
      changed = true;
    }
    return { ok: true, text: out, changed };
  }
  const event = t.agent === 'claude-code' ? 'PreToolUse' : 'BeforeTool';
  const groups = Array.isArray(hooks[event]) ? (hooks[event] as Group[]) : [];
  for (let g = groups.length - 1; g >= 0; g--) {
    const inner = Array.isArray(groups[g]?.hooks) ? groups[g].hooks! : [];
    const ours = inner.map((h, i) => (isOurs(t.agent)(h?.command) ? i : -1)).filter((i) => i >= 0);
    if (ours.length === 0) continue;
    changed = true;
    if (ours.length === inner.length) {
      out = applyEdits(out, modify(out, ['hooks', event, g], undefined, { formattingOptions: FORMAT }));
    } else {
      for (const i of ours.reverse()) {
        out = applyEdits(out, modify(out, ['hooks', event, g, 'hooks', i], undefined, { formattingOptions: FORMAT }));
      }
    }
  }
  return { ok: true, text: out, changed };
}
