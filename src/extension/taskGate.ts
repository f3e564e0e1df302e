import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { applyEdits, type FormattingOptions, modify, parse as parseJsonc } from 'jsonc-parser';
import { describeReason, KIND_SHORT } from '../core/describe';
import { appendAudit, type AuditDecision, auditEntry, auditLogPath } from '../core/guard/audit';
import type { GuardDecision } from '../core/guard/decide';
import type { TaskRequest, TaskResponse } from '../core/guard/protocol';
import { maskSecrets } from '../core/mask';
import {
  hasGate, hookRunsIn, hookVariableSet, rawLabel, type RawTask, removeGates, TASK_FLAG_ENV, TASK_GATE, taskCommandLine, type TaskFlag,
  taskFlag, type TaskJudge, type TaskProcess,
} from '../core/tasks';
import type { Signal } from '../core/types';
import { sortSignals } from '../core/view';
import { confirmByName } from './confirmDialog';
import type { Monitor } from './monitor';

export { TASK_GATE, taskCommandLine, type TaskJudge };

/** A tasks.json (or workspace-file) entry flagged destructive. */
export interface FlaggedTask {
  readonly folder: vscode.WorkspaceFolder;
  readonly label: string;
  readonly gated: boolean;
  /** Its command line as the task's shell gets it. */
  readonly command: string;
  readonly why: TaskFlag;
  /** Whether the task hook runs in its process before its command (bash); else it is stopped as it starts. */
  readonly hooked: boolean;
  /** Its shell or program, for messages. */
  readonly runsUnder: string;
}

const OS_KEY = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'osx' : 'linux';

/** The shell VS Code runs shell tasks under: the automation profile, else the default profile. */
function taskShell(): string {
  const auto = vscode.workspace.getConfiguration('terminal.integrated').get<{ path?: unknown }>(`automationProfile.${OS_KEY}`);
  if (auto && typeof auto.path === 'string' && auto.path) return auto.path;
  return vscode.env.shell || process.env.SHELL || '/bin/sh';
}

/** The first line of a program file (its `#!`), or undefined. */
function firstLine(program: string, cwd: string | undefined): string | undefined {
  let file = program;
  if (!path.isAbsolute(file)) {
    file = file.includes('/') ? path.resolve(cwd ?? '', file)
      : (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, program)).find((f) => fs.existsSync(f)) ?? file;
  }
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(256);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('latin1').split('\n')[0];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A process's parent, from /proc (Linux); undefined elsewhere or when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isSafeInteger(ppid) && ppid > 0 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** How a tasks.json entry runs. */
function rawProcess(t: RawTask, cwd: string): TaskProcess {
  const env = t.options?.env;
  if (t.type === 'process') {
    const program = typeof t.command === 'string' ? resolveVariables(t.command, cwd) ?? t.command : '';
    return { type: 'process', program, firstLine: program ? firstLine(program, cwd) : undefined, env };
  }
  const sh = t.options?.shell;
  return {
    type: 'shell',
    env,
    shell: typeof sh?.executable === 'string' ? sh.executable : taskShell(),
    shellArgs: Array.isArray(sh?.args) ? sh.args.filter((a): a is string => typeof a === 'string') : undefined,
  };
}

/** The variables a task's program path commonly uses, resolved; undefined when another one remains. */
function resolveVariables(text: string, folder: string): string | undefined {
  const out = text.replace(/\$\{(workspaceFolder|workspaceRoot|workspaceFolderBasename|userHome|pathSeparator|env:(\w+))\}/g,
    (_, v: string, env?: string) => (env !== undefined ? process.env[env] ?? ''
      : v === 'workspaceFolderBasename' ? path.basename(folder) : v === 'userHome' ? os.homedir()
        : v === 'pathSeparator' ? path.sep : folder));
  return out.includes('${') ? undefined : out;
}

/** How a running task's process was started; undefined when its program cannot be told before it runs. */
function executionProcess(task: vscode.Task): TaskProcess | undefined {
  const ex = task.execution as (vscode.ShellExecution | vscode.ProcessExecution | vscode.CustomExecution | undefined);
  if (ex && 'process' in ex && typeof ex.process === 'string') {
    const program = resolveVariables(ex.process, folderPath(task) ?? '');
    const cwd = ex.options?.cwd === undefined ? folderPath(task) : resolveVariables(ex.options.cwd, folderPath(task) ?? '');
    if (program === undefined || cwd === undefined) return undefined;
    const line = firstLine(program, cwd);
    if (line === undefined && path.basename(program) !== 'bash' && !hookVariableSet(ex.options?.env)) return undefined;
    return { type: 'process', program, firstLine: line, env: ex.options?.env };
  }
  if (ex && ('commandLine' in ex || 'command' in ex)) {
    const o = (ex as vscode.ShellExecution).options;
    return { type: 'shell', shell: o?.executable ?? taskShell(), shellArgs: o?.shellArgs, env: o?.env };
  }
  return { type: 'custom' };
}

function runsUnder(p: TaskProcess): string {
  if (p.type === 'custom') return vscode.l10n.t('the extension that provides it (a custom task)');
  const variable = hookVariableSet(p.env);
  const under = p.type === 'shell' ? path.basename(p.shell) : path.basename(p.program);
  return variable ? vscode.l10n.t('{0} with {1} set in its own environment', under, variable) : under;
}

function folderPath(task: vscode.Task): string | undefined {
  return typeof task.scope === 'object' ? task.scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/**
 * Where a task is defined, for messages and the audit log: its folder, the workspace file, or the user's tasks
 * (VS Code reports user tasks with the workspace's scope; the configuration layer that holds the entry tells).
 */
function folderLabel(task: vscode.Task): string {
  if (typeof task.scope === 'object') return task.scope.uri.fsPath;
  if (task.scope === vscode.TaskScope.Global || rawFor(task)?.layer === 'user') return vscode.l10n.t('user tasks');
  return vscode.workspace.workspaceFile?.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
}

/** The configured command line of a running task (string or quoted pieces). */
function executionCommand(task: vscode.Task): string {
  const ex = task.execution as (vscode.ShellExecution | vscode.ProcessExecution | undefined);
  if (!ex) return '';
  if ('process' in ex) return taskCommandLine({ command: ex.process, args: ex.args });
  const sh = ex as vscode.ShellExecution;
  if (sh.commandLine !== undefined) return sh.commandLine;
  return taskCommandLine({ command: sh.command, args: sh.args });
}

/** The tasks.json / workspace-file / user entry a running task came from (matched by label), and its layer. */
function rawFor(task: vscode.Task): { raw: RawTask; layer: 'folder' | 'workspace' | 'user' } | undefined {
  const cfg = typeof task.scope === 'object' ? vscode.workspace.getConfiguration('tasks', task.scope.uri)
    : vscode.workspace.getConfiguration('tasks');
  const i = cfg.inspect<RawTask[]>('tasks');
  const layers: [unknown, 'folder' | 'workspace' | 'user'][] = task.scope === vscode.TaskScope.Global ? [[i?.globalValue, 'user']]
    : typeof task.scope === 'object' ? [[i?.workspaceFolderValue, 'folder'], [i?.workspaceValue, 'workspace'], [i?.globalValue, 'user']]
      : [[i?.workspaceValue, 'workspace'], [i?.globalValue, 'user']];
  for (const [list, layer] of layers) {
    const raw = (Array.isArray(list) ? list as RawTask[] : []).find((t) => t && typeof t === 'object' && rawLabel(t) === task.name);
    if (raw) return { raw, layer };
  }
  return undefined;
}

/** An npm-provided task's script body (`npm run db:drop` → what `db:drop` runs), so the guard can judge it. */
function npmScript(task: vscode.Task): string | undefined {
  const def = task.definition as { type?: unknown; script?: unknown; path?: unknown };
  const dir = folderPath(task);
  if (def.type !== 'npm' || typeof def.script !== 'string' || !dir) return undefined;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, typeof def.path === 'string' ? def.path : '', 'package.json'), 'utf8')) as
      { scripts?: Record<string, unknown> };
    const body = pkg.scripts?.[def.script];
    return typeof body === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every name a task goes by: its label, with and without its source (`npm: db:wipe` from Run Task's "recently
 * used" list is `db:wipe` from the npm group), and a provider task's script.
 */
function taskNames(task: vscode.Task): string[] {
  const def = task.definition as { type?: unknown; script?: unknown };
  const names = [task.name, `${task.source}: ${task.name}`, task.name.replace(/^[\w.-]+: /, '')];
  if (typeof def.script === 'string' && typeof def.type === 'string') names.push(def.script, `${def.type}: ${def.script}`);
  return [...new Set(names)];
}

function globsFor(scope: vscode.Uri | undefined): unknown[] {
  const g = vscode.workspace.getConfiguration('prodGuard', scope).get<unknown>('destructiveTasks');
  return Array.isArray(g) ? g : [];
}

/** Why a running task is flagged (its actual command line from the hook, if any), or undefined. */
function flagOfRunning(task: vscode.Task, actual: string | undefined, envFlagged: boolean, judge?: TaskJudge): TaskFlag | undefined {
  const raw = rawFor(task)?.raw;
  const configured = executionCommand(task);
  const ex = task.execution as { options?: { env?: unknown } } | undefined;
  const commands = [...new Set([actual, configured, npmScript(task)].filter((c): c is string => !!c))];
  return taskFlag({
    names: taskNames(task),
    commands,
    cwd: folderPath(task) ?? os.homedir(),
    raw,
    env: envFlagged ? { [TASK_FLAG_ENV]: '1' } : ex?.options?.env,
  }, globsFor(typeof task.scope === 'object' ? task.scope.uri : undefined), judge);
}

function describeFlag(f: TaskFlag): string {
  switch (f.by) {
    case 'env': return vscode.l10n.t('{0} is set in its environment', TASK_FLAG_ENV);
    case 'property': return vscode.l10n.t('"destructive": true in its definition');
    case 'glob': return vscode.l10n.t('prodGuard.destructiveTasks matches "{0}"', f.glob);
    case 'guard': return vscode.l10n.t('its command is destructive ({0})', f.what);
  }
}

/**
 * Configured tasks flagged destructive, per folder (tasks.json and the workspace file): by `PRODGUARD_DESTRUCTIVE`
 * in `options.env`, by `"destructive": true`, by a `prodGuard.destructiveTasks` glob on the label or the
 * command line, or — with `judge` — because the guard finds the command destructive.
 */
export function flaggedTasks(judge?: TaskJudge): FlaggedTask[] {
  const out: FlaggedTask[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const tasks = vscode.workspace.getConfiguration('tasks', folder.uri).get<RawTask[]>('tasks') ?? [];
    const globs = globsFor(folder.uri);
    for (const t of Array.isArray(tasks) ? tasks : []) {
      if (!t || typeof t !== 'object') continue;
      const label = rawLabel(t);
      if (!label || t.command === undefined) continue;
      const command = taskCommandLine(t);
      const why = taskFlag({ names: [label], commands: [command], cwd: folder.uri.fsPath, raw: t }, globs, judge);
      if (!why) continue;
      const p = rawProcess(t, folder.uri.fsPath);
      out.push({ folder, label, gated: hasGate(t), command, why, hooked: hookRunsIn(p), runsUnder: runsUnder(p) });
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
  const index = (json?.tasks ?? []).findIndex((t) => rawLabel(t) === task.label);
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
 * Removes the gates Prod Guard wrote earlier from the folders' tasks.json, for the tasks the hook now covers;
 * returns the files changed.
 */
export async function removeCoveredGates(): Promise<string[]> {
  const changed: string[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const file = vscode.Uri.file(path.join(folder.uri.fsPath, '.vscode', 'tasks.json'));
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch {
      continue;
    }
    const next = removeGates(text, (t) => hookRunsIn(rawProcess(t, folder.uri.fsPath)));
    if (next === undefined) continue;
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(next));
    changed.push(file.fsPath);
  }
  return changed;
}

/** The guard decision a task confirmation is audited as: asked in production, about `target`. */
function taskDecision(destructive: string, target: Signal | undefined): GuardDecision {
  return {
    tool: 'task', verb: 'task', destructive, environment: 'production', action: 'confirm', problems: [],
    secretArgs: [], workspaceFiles: [], targets: [], reason: target?.reason ?? { code: 'noMatch' },
    target: target ? { kind: target.kind, name: target.name, identifiers: target.identifiers, details: target.details, source: target.source } : undefined,
  };
}

/** The running task gate. */
export interface TaskGate extends vscode.Disposable {
  /** `${command:prodGuard.confirmTask}`: '' runs the task, undefined cancels it. */
  confirm(): Promise<string | undefined>;
  /** The task hook's question, from the IPC socket. */
  onTaskRequest(req: TaskRequest['task']): Promise<TaskResponse>;
  /** The label of the confirmed, still running task a shim's nonce belongs to, or undefined. */
  covers(nonce: string): string | undefined;
}

/** How long the hook waits for VS Code to report the task process it runs in. */
const PROCESS_EVENT_WAIT_MS = 3000;
/** How long a task the hook should run in may go without asking before it is stopped as unguarded. */
const HOOK_WAIT_MS = 5000;

/**
 * Tasks flagged destructive ask in production before their command runs. Bash runs the task hook first (see
 * `taskHookScript`); the hook asks here with its process id, which `tasks.onDidStartTaskProcess` ties to the
 * task: its label, folder, source and definition. A flagged task whose process the hook cannot run in (zsh,
 * fish, sh, other programs) is stopped as it starts in production — or asks earlier through the explicit
 * `${command:prodGuard.confirmTask}` gate in its command, which Prod Guard offers for exactly those tasks.
 */
export function createTaskGate(monitor: Pick<Monitor, 'current' | 'refresh'>, log: vscode.LogOutputChannel,
  judge?: TaskJudge): TaskGate {
  const running = new Map<number, vscode.TaskExecution>();
  const waiting = new Map<number, (e: vscode.TaskExecution) => void>();
  /** Task processes the hook asked about (by process id): they are never stopped as unguarded. */
  const asked = new Set<number>();
  const nonces = new Map<string, { execution: vscode.TaskExecution; label: string }>();
  let gateConfirmed: { labels: string[]; until: number } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  /** Whether the explicit gate just confirmed this task's start (each confirmation covers one start, for 10 s). */
  const gateConfirmedFor = (task: vscode.Task, consume = false): boolean => {
    if (!gateConfirmed || gateConfirmed.until < Date.now() || !gateConfirmed.labels.includes(task.name)) return false;
    if (consume) gateConfirmed = undefined;
    return true;
  };

  const productionTarget = async (): Promise<{ target?: Signal } | undefined> => {
    const d = monitor.current ?? (await monitor.refresh());
    if (d.environment !== 'production') return undefined;
    return { target: sortSignals(d.signals).find((s) => s.active && s.environment === 'production') };
  };

  const audit = (command: string, task: vscode.Task, flag: TaskFlag, target: Signal | undefined, outcome: AuditDecision): void => {
    const entry = {
      ...auditEntry([command], taskDecision(describeFlag(flag), target), outcome, 'task', folderPath(task) ?? ''),
      command: maskSecrets(command),
      task: { label: maskSecrets(task.name), folder: folderLabel(task), source: task.source },
    };
    const problem = appendAudit(auditLogPath(process.env, os.homedir()), entry);
    if (problem) log.warn(problem);
  };

  // The pty host is the parent of every terminal's and task's process (the requester's own terminal included):
  // a session leader whose parent is none of theirs (tmux, `setsid` typed in a terminal) is not a task and is
  // answered at once. Learned afresh for each request, so a restarted pty host is never missed.
  const ptyHosts = async (): Promise<Set<number>> => {
    const within = (p: Thenable<number | undefined>): Promise<number | undefined> =>
      Promise.race([Promise.resolve(p), new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000))]);
    const pids = [...running.keys(), ...await Promise.all(vscode.window.terminals.map((t) => within(t.processId)))];
    return new Set(pids.map((pid) => (pid === undefined ? undefined : parentOf(pid))).filter((p): p is number => p !== undefined));
  };

  const executionFor = async (pid: number): Promise<vscode.TaskExecution | undefined> => {
    const known = running.get(pid);
    if (known) return known;
    const parent = parentOf(pid);
    const hosts = parent === undefined ? undefined : await ptyHosts();
    if (running.has(pid)) return running.get(pid);
    if (parent !== undefined && hosts!.size > 0 && !hosts!.has(parent)) return undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(pid);
        resolve(undefined);
      }, PROCESS_EVENT_WAIT_MS);
      waiting.set(pid, (e) => {
        clearTimeout(timer);
        waiting.delete(pid);
        resolve(e);
      });
    });
  };

  const onTaskRequest = async (req: TaskRequest['task']): Promise<TaskResponse> => {
    const execution = await executionFor(req.pid);
    if (!execution) return { decision: 'run' }; // a program VS Code started that is not a task
    asked.add(req.pid);
    const task = execution.task;
    const flag = flagOfRunning(task, req.command, req.flagged, judge);
    log.info(maskSecrets(`task "${task.name}" (${task.source}) started: ${flag ? `flagged, ${describeFlag(flag)}` : 'not flagged'}`));
    if (!flag) return { decision: 'run' };
    const grant = (): TaskResponse => {
      const nonce = crypto.randomBytes(16).toString('hex');
      nonces.set(nonce, { execution, label: task.name });
      return { decision: 'confirmed', nonce };
    };
    if (gateConfirmedFor(task, true)) return grant();
    const prod = await productionTarget();
    if (!prod) return { decision: 'run' };
    const command = maskSecrets(req.command);
    const answer = queue.then(async () => {
      const target = prod.target;
      const name = target?.name ?? 'production';
      const ok = await confirmByName({
        message: vscode.l10n.t('Run task "{0}" while your tools point at PRODUCTION?', task.name),
        detail: vscode.l10n.t('Command: {0}\nFolder: {1}\nFlagged: {2}\nTarget: {3}\nWhy: {4}', command, folderLabel(task),
          describeFlag(flag),
          target ? `${KIND_SHORT[target.kind]} ${target.name} (${target.source}${target.line ? `:${target.line}` : ''})` : '?',
          vscode.l10n.t('production: {0}', target ? describeReason(target.reason, vscode.l10n.t) : '?')),
        inputTitle: vscode.l10n.t('Prod Guard: confirm task "{0}" against PRODUCTION', task.name),
        prompt: vscode.l10n.t('Type "{0}" to run task "{1}"', name, task.name),
        name,
      }).catch(() => false);
      audit(command, task, flag, target, ok ? 'confirmed' : 'cancelled');
      log.info(maskSecrets(`task "${task.name}" ${ok ? 'confirmed' : 'cancelled'}: ${command}`));
      return ok ? grant() : { decision: 'cancelled' as const };
    });
    queue = answer.catch(() => undefined);
    return answer;
  };

  /**
   * Stops a flagged task the hook could not ask about, in production, as it starts (`pid` undefined: a custom
   * task, run by an extension, with no process of its own). Not one the explicit gate just confirmed.
   */
  const stopUnguarded = async (execution: vscode.TaskExecution, pid: number | undefined): Promise<void> => {
    const unasked = (): boolean => pid === undefined || (!asked.has(pid) && running.get(pid) === execution);
    if (!unasked() || gateConfirmedFor(execution.task)) return;
    const task = execution.task;
    const flag = flagOfRunning(task, undefined, false, judge);
    if (!flag) return;
    const prod = await productionTarget();
    if (!prod || !unasked()) return;
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    execution.terminate();
    const p = executionProcess(task);
    const under = p ? runsUnder(p) : executionCommand(task).split(' ')[0];
    const command = maskSecrets(executionCommand(task));
    audit(command, task, flag, prod.target, 'refused');
    log.warn(maskSecrets(`task "${task.name}" stopped: it runs under ${under}, where Prod Guard cannot ask before its command`));
    void vscode.window.showErrorMessage(vscode.l10n.t(
      'Prod Guard stopped task "{0}" as it started: it is flagged destructive, your tools point at PRODUCTION, and it runs under {1}, where Prod Guard cannot ask before its command runs. Run it under bash (tasks "options.shell"), or add {2} in front of its command.',
      task.name, under, TASK_GATE), { modal: true });
  };

  const subs: vscode.Disposable[] = [
    vscode.tasks.onDidStartTaskProcess((e) => {
      if (e.processId === undefined) return;
      running.set(e.processId, e.execution);
      waiting.get(e.processId)?.(e.execution);
      const p = executionProcess(e.execution.task);
      // The hook asks before the command; a process it cannot run in is stopped as it starts (in production);
      // one that cannot be told (a program path with other variables) gets the hook's time to ask.
      if (p === undefined || hookRunsIn(p)) setTimeout(() => void stopUnguarded(e.execution, e.processId!), HOOK_WAIT_MS);
      else void stopUnguarded(e.execution, e.processId);
    }),
    vscode.tasks.onDidEndTaskProcess((e) => {
      for (const [pid, ex] of running) {
        if (ex === e.execution) {
          running.delete(pid);
          asked.delete(pid);
        }
      }
      for (const [n, v] of nonces) if (v.execution === e.execution) nonces.delete(n);
    }),
    // A custom task runs inside an extension, with no process the hook could run in. (A compound task, with no
    // execution, runs nothing itself: its dependsOn children are judged as they start.)
    vscode.tasks.onDidStartTask((e) => {
      const ex = e.execution.task.execution as object | undefined;
      if (ex && !('process' in ex || 'commandLine' in ex || 'command' in ex)) void stopUnguarded(e.execution, undefined);
    }),
  ];

  // Offers: remove the old gates the hook now covers; add the explicit gate where the hook cannot run.
  const offered = new Set<string>();
  const offer = (): void => {
    const flagged = flaggedTasks(judge);
    const oldGates = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) =>
      (vscode.workspace.getConfiguration('tasks', folder.uri).get<RawTask[]>('tasks') ?? [])
        .filter((t) => t && typeof t === 'object' && hasGate(t) && hookRunsIn(rawProcess(t, folder.uri.fsPath))).map(rawLabel));
    if (oldGates.length > 0 && !offered.has('\u0000migrate')) {
      offered.add('\u0000migrate');
      const remove = vscode.l10n.t('Remove them');
      void vscode.window.showInformationMessage(vscode.l10n.t(
        'Prod Guard now asks before flagged tasks run in production without anything written in tasks.json. Remove the {0} gate(s) it added earlier ({1})?',
        TASK_GATE, oldGates.join(', ')), remove).then(async (choice) => {
        if (choice !== remove) return;
        const files = await removeCoveredGates();
        void vscode.window.showInformationMessage(vscode.l10n.t('Removed the gates from {0}.', files.join(', ') || '—'));
      });
    }
    for (const t of flagged.filter((x) => !x.gated && !x.hooked)) {
      const key = `${t.folder.uri.fsPath}\u0000${t.label}`;
      if (offered.has(key)) continue;
      offered.add(key);
      const add = vscode.l10n.t('Add confirmation');
      void vscode.window.showWarningMessage(vscode.l10n.t(
        'Task "{0}" is flagged destructive and runs under {1}, where Prod Guard cannot ask before its command: in production it is stopped as it starts. Add a confirmation to its command in tasks.json (teammates will see the change)?',
        t.label, t.runsUnder), add).then(async (choice) => {
        if (choice !== add) return;
        const ok = await addGate(t);
        if (ok) void vscode.window.showInformationMessage(vscode.l10n.t('Task "{0}" now asks before it runs in production.', t.label));
        else void vscode.window.showErrorMessage(vscode.l10n.t('Could not edit .vscode/tasks.json for "{0}": add {1} in front of its command by hand.', t.label, TASK_GATE));
      });
    }
  };
  subs.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('tasks') || e.affectsConfiguration('prodGuard.destructiveTasks')) offer();
  }));
  const first = setTimeout(offer, 1500);

  // The explicit gate, `${command:prodGuard.confirmTask}` in a task's command: resolved before its process.
  const confirm = async (): Promise<string | undefined> => {
    const prod = await productionTarget();
    if (!prod) return '';
    const target = prod.target;
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
    const decision = taskDecision(what, target);
    const problem = appendAudit(auditLogPath(process.env, os.homedir()), auditEntry(['task', ...tasks], decision, ok ? 'confirmed' : 'cancelled', 'task', vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? ''));
    if (problem) log.warn(problem);
    log.info(`task confirmation ${ok ? 'confirmed' : 'cancelled'}: ${what}`);
    // The hook in that task's shell does not ask a second time.
    if (ok) gateConfirmed = { labels: tasks, until: Date.now() + 10_000 };
    return ok ? '' : undefined;
  };

  return {
    confirm,
    onTaskRequest,
    covers: (nonce) => nonces.get(nonce)?.label,
    dispose() {
      clearTimeout(first);
      for (const s of subs) s.dispose();
    },
  };
}
