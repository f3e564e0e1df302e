// Prod Guard: Protect AI Agents / Remove AI Agent Protection. Writes (or removes) the pre-execution hook in the
// user-level settings of the agents installed here (src/core/agents.ts), after showing exactly what changes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { addHook, agentTargets, type AgentTarget, hookCommandLine, removeHook } from '../core/agents';
import { LAUNCHER } from '../core/guard/shims';

/** Options for tests and automation: another home, and an answer given in advance instead of the modal. */
export interface AgentHookOptions {
  readonly home?: string;
  readonly confirm?: boolean;
}

interface Planned {
  readonly target: AgentTarget;
  readonly text: string;
  readonly exists: boolean;
}

function plan(home: string, edit: (t: AgentTarget, text: string) => ReturnType<typeof addHook>):
  { changes: Planned[]; unchanged: string[]; problems: string[] } {
  const changes: Planned[] = [];
  const unchanged: string[] = [];
  const problems: string[] = [];
  for (const t of agentTargets(home)) {
    if (!fs.existsSync(t.dir)) continue;
    let text = '';
    let exists = false;
    try {
      text = fs.readFileSync(t.file, 'utf8');
      exists = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        problems.push(`${t.label}: cannot read ${t.file}: ${(e as Error).message}`);
        continue;
      }
    }
    const r = edit(t, text);
    if (!r.ok) problems.push(`${t.label}: ${t.file} is ${r.message}; not changed`);
    else if (r.changed) changes.push({ target: t, text: r.text, exists });
    else unchanged.push(t.label);
  }
  return { changes, unchanged, problems };
}

/** Writes a settings file through a temporary file and a rename (an agent reading it never sees half of it). */
function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.prod-guard.${process.pid}.tmp`;
  let mode = 0o600;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch { /* new file */ }
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}

export async function protectAgents(stateDir: () => Promise<string | undefined>, log: vscode.LogOutputChannel,
  options: AgentHookOptions = {}): Promise<string[]> {
  const home = options.home ?? os.homedir();
  const state = await stateDir();
  if (!state) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Prod Guard could not set up its command-line guard; see its log.'));
    return [];
  }
  const launcher = path.join(state, 'shims', LAUNCHER);
  if (!fs.existsSync(launcher)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Prod Guard could not write its command-line launcher ({0}); see its log.',
      launcher));
    return [];
  }
  const p = plan(home, (t, text) => addHook(t, text, hookCommandLine(launcher, t.agent, state)));
  return apply(p, true, log, options);
}

export async function unprotectAgents(log: vscode.LogOutputChannel, options: AgentHookOptions = {}): Promise<string[]> {
  const p = plan(options.home ?? os.homedir(), removeHook);
  return apply(p, false, log, options);
}

async function apply(p: ReturnType<typeof plan>, adding: boolean, log: vscode.LogOutputChannel,
  options: AgentHookOptions): Promise<string[]> {
  for (const problem of p.problems) log.warn(problem);
  if (p.changes.length === 0) {
    const none = p.unchanged.length > 0
      ? vscode.l10n.t('Nothing to change: {0} already as wanted.', p.unchanged.join(', '))
      : adding ? vscode.l10n.t('No AI agent found (Claude Code ~/.claude, Cursor ~/.cursor, Gemini CLI ~/.gemini).')
        : vscode.l10n.t('No Prod Guard hook found in any agent\'s settings.');
    void vscode.window.showInformationMessage([none, ...p.problems].join(' '));
    return [];
  }
  const detail = p.changes.map((c) => `${c.target.label}: ${c.target.file}${c.exists ? '' : vscode.l10n.t(' (new file)')}`)
    .join('\n');
  const message = adding
    ? vscode.l10n.t('Add the Prod Guard hook to these agents\' user settings? Their shell commands that are '
      + 'destructive against production will then ask first.')
    : vscode.l10n.t('Remove the Prod Guard hook from these agents\' user settings?');
  const yes = adding ? vscode.l10n.t('Add Hook') : vscode.l10n.t('Remove Hook');
  const ok = options.confirm ?? (await vscode.window.showWarningMessage(message, {
    modal: true, detail: `${detail}${p.problems.length ? `\n\n${p.problems.join('\n')}` : ''}`,
  }, yes)) === yes;
  if (!ok) return [];
  const done: string[] = [];
  for (const c of p.changes) {
    try {
      write(c.target.file, c.text);
      done.push(c.target.file);
      log.info(`${adding ? 'added the hook to' : 'removed the hook from'} ${c.target.file}`);
    } catch (e) {
      log.error(`cannot write ${c.target.file}: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot write {0}: {1}', c.target.file, (e as Error).message));
    }
  }
  if (done.length) {
    void vscode.window.showInformationMessage(adding
      ? vscode.l10n.t('Prod Guard now checks the shell commands of: {0}.', p.changes.map((c) => c.target.label).join(', '))
      : vscode.l10n.t('Prod Guard hook removed from: {0}.', p.changes.map((c) => c.target.label).join(', ')));
  }
  return done;
}
