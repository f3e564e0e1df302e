import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { applyEdits, type FormattingOptions, modify, parse as parseJsonc } from 'jsonc-parser';
import { globMatches } from '../core/classify';
import { describeReason, KIND_SHORT } from '../core/describe';
import { appendAudit, auditEntry, auditLogPath } from '../core/guard/audit';
import type { GuardDecision } from '../core/guard/decide';
import type { Signal } from '../core/types';
import { sortSignals } from '../core/view';
import { confirmByName } from './confirmDialog';
import type { Monitor } from './monitor';

/** The variable that gates a task: VS Code resolves it before the task's process exists; `undefined` cancels. */
export const TASK_GATE = '${command:prodGuard.confirmTask}';

/** A tasks.json entry flagged destructive. */
export interface FlaggedTask {
  readonly folder: vscode.WorkspaceFolder;
  readonly label: string;
  readonly gated: boolean;
  /** Its command line as the task's shell gets it. */
  readonly command: string;
  /**
   * Why it is flagged: `"destructive": true`, a `prodGuard.destructiveTasks` glob matching its label or its
   * command, or the guard finding its command destructive (then what it found).
   */
  readonly why: { readonly by: 'property' } | { readonly by: 'glob'; readonly glob: string }
    | { readonly by: 'guard'; readonly what: string };
}

/** Judges a task's command line as the shims would: what it does that is destructive, or undefined. */
export type TaskJudge = (line: string, cwd: string) => string | undefined;

/** The command line of a tasks.json entry: its command and arguments as its shell gets them. */
export function taskCommandLine(t: { command?: unknown; args?: unknown }): string {
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v
    : v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'string' ? (v as { value: string }).value
      : undefined);
  const cmd = text(t.command) ?? '';
  const args = Array.isArray(t.args) ? t.args.map(text).filter((a): a is string => a !== undefined) : [];
  const q = (a: string): string => (/^[\w./:@%+=,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [cmd, ...args.map(q)].join(' ').trim();
}

interface RawTask { label?: unknown; command?: unknown; args?: unknown; destructive?: unknown }

/** Whether a raw task text mentions the gate anywhere in its command line. */
function hasGate(t: RawTask): boolean {
  return JSON.stringify([t.command, t.args]).includes(TASK_GATE);
}

/**
 * Tasks flagged destructive, per folder: by `"destructive": true`, by a `prodGuard.destructiveTasks` glob that
 * matches the label or the command line, or — with `judge` — because the guard finds the command destructive
 * (an npm script or shell line running `psql … -c 'DROP …'`, `kubectl delete …`, `terraform destroy`).
 */
export function flaggedTasks(judge?: TaskJudge): FlaggedTask[] {
  const out: FlaggedTask[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const tasks = vscode.workspace.getConfiguration('tasks', folder.uri).get<RawTask[]>('tasks') ?? [];
    const globs = vscode.workspace.getConfiguration('prodGuard', folder.uri).get<string[]>('destructiveTasks') ?? [];
    for (const t of Array.isArray(tasks) ? tasks : []) {
      const label = typeof t.label === 'string' ? t.label : typeof t.command === 'string' ? t.command : '';
      if (!label || t.command === undefined) continue;
      const command = taskCommandLine(t).replace(TASK_GATE, '');
      const glob = globs.find((g) => typeof g === 'string' && (globMatches(g, label) || globMatches(g, command)));
      let why: FlaggedTask['why'] | undefined = t.destructive === true ? { by: 'property' }
        : glob !== undefined ? { by: 'glob', glob } : undefined;
      if (!why && judge) {
        let what: string | undefined;
        try {
          what = judge(command, folder.uri.fsPath);
        } catch {
          what = undefined;
        }
        if (what) why = { by: 'guard', what };
      }
      if (why) out.push({ folder, label, gated: hasGate(t), command, why });
    }
  }
  return out;
}

/** Inserts the gate in front of a task's command in `.vscode/tasks.json`, keeping comments and formatting. */
export async function addGate(task: FlaggedTask): Promise<boolean> {
  const file = vscode.Uri.file(path.join(task.folder.uri.fsPath, '.vscode', 'tasks.json'));
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch {
    return false;
  }
  const json = parseJsonc(text) as { tasks?: RawTask[] } | undefined;
  const index = (json?.tasks ?? []).findIndex((t) => t.label === task.label || (t.label === undefined && t.command === task.label));
  if (index < 0) return false;
  const command = json!.tasks![index].command;
  const fmt: FormattingOptions = { insertSpaces: true, tabSize: 2 };
  let edits;
  if (typeof command === 'string') edits = modify(text, ['tasks', index, 'command'], `${TASK_GATE}${command}`, { formattingOptions: fmt });
  else if (command && typeof command === 'object' && typeof (command as { value?: unknown }).value === 'string') {
    edits = modify(text, ['tasks', index, 'command', 'value'], `${TASK_GATE}${(command as { value: string }).value}`, { formattingOptions: fmt });
  } else return false;
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(applyEdits(text, edits)));
  return true;
}

/**
 * The `prodGuard.confirmTask` gate and the offer to add it to flagged tasks that lack it. In production the
 * gate shows a modal and asks for the target's name; cancelling returns `undefined`, so VS Code never starts
 * the task's process.
 */
export function createTaskGate(monitor: Pick<Monitor, 'current' | 'refresh'>, log: vscode.LogOutputChannel,
  judge?: TaskJudge): vscode.Disposable & { confirm(): Promise<string | undefined> } {
  const offered = new Set<string>();
  const offer = (): void => {
    for (const t of flaggedTasks(judge).filter((x) => !x.gated)) {
      const key = `${t.folder.uri.fsPath}\u0000${t.label}`;
      if (offered.has(key)) continue;
      offered.add(key);
      const add = vscode.l10n.t('Add confirmation');
      void vscode.window
        .showWarningMessage(vscode.l10n.t('Task "{0}" is flagged destructive but would run in production without a confirmation.', t.label), add)
        .then(async (choice) => {
          if (choice !== add) return;
          const ok = await addGate(t);
          if (ok) void vscode.window.showInformationMessage(vscode.l10n.t('Task "{0}" now asks before it runs in production.', t.label));
          else void vscode.window.showErrorMessage(vscode.l10n.t('Could not edit .vscode/tasks.json for "{0}": add {1} in front of its command by hand.', t.label, TASK_GATE));
        });
    }
  };
  const sub = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('tasks') || e.affectsConfiguration('prodGuard.destructiveTasks')) offer();
  });
  const first = setTimeout(offer, 1500);

  const confirm = async (): Promise<string | undefined> => {
    const d = monitor.current ?? (await monitor.refresh());
    if (d.environment !== 'production') return '';
    const target: Signal | undefined = sortSignals(d.signals).find((s) => s.active && s.environment === 'production');
    const name = target?.name ?? 'production';
    const tasks = flaggedTasks(judge).filter((t) => t.gated).map((t) => t.label);
    const what = tasks.length === 1 ? vscode.l10n.t('task "{0}"', tasks[0]) : vscode.l10n.t('a task flagged destructive ({0})', tasks.join(', ') || '?');
    const ok = await confirmByName({
      message: vscode.l10n.t('Run {0} while your tools point at PRODUCTION?', what),
      detail: target ? vscode.l10n.t('{0} {1}: {2}', KIND_SHORT[target.kind], target.name, describeReason(target.reason, vscode.l10n.t)) : undefined,
      inputTitle: vscode.l10n.t('Prod Guard: confirm {0} against PRODUCTION', what),
      prompt: vscode.l10n.t('Type "{0}" to run it', name),
      name,
    });
    const decision: GuardDecision = {
      tool: 'task', verb: 'task', destructive: what, environment: 'production', action: 'confirm', problems: [],
      secretArgs: [], workspaceFiles: [], targets: [],
      reason: target?.reason ?? { code: 'noMatch' },
      target: target ? { kind: target.kind, name: target.name, identifiers: target.identifiers, details: target.details, source: target.source } : undefined,
    };
    const problem = appendAudit(auditLogPath(process.env, os.homedir()), auditEntry(['task', ...tasks], decision, ok ? 'confirmed' : 'cancelled', 'task', vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? ''));
    if (problem) log.warn(problem);
    log.info(`task confirmation ${ok ? 'confirmed' : 'cancelled'}: ${what}`);
    return ok ? '' : undefined;
  };

  return {
    confirm,
    dispose() {
      clearTimeout(first);
      sub.dispose();
    },
  };
}
