import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { awsPaths, detectAws } from '../core/aws';
import { buildDetection } from '../core/classify';
import { maskSecrets } from '../core/connection';
import { detectDatabases, orderRules } from '../core/detect';
import { type Files, nodeFiles } from '../core/files';
import { detectDocker, dockerPaths } from '../core/docker';
import { detectGcloud, gcloudPaths } from '../core/gcloud';
import { detectKube, kubeconfigPaths } from '../core/kube';
import { DEFAULT_SCAN } from '../core/scan';
import type { Settings } from '../core/settings';
import { detectTerraform } from '../core/terraform';
import type { Detection, DetectorResult, Problem } from '../core/types';
import { detectWorkspaceConfig, WORKSPACE_FILE } from '../core/workspace';
import { filesExclude, readSettings } from './settings';

/** Files in a workspace folder that can hold connection strings or the workspace label. */
const WORKSPACE_GLOB = '**/{.env,.env.*,appsettings*.json,appsettings*.JSON,database.yml,.prodguard.yaml}';

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Detectors of what the user's tools point at, from files outside the workspace: each runs again when one of
 * its files changes (`paths`: where to watch before the first read; the result's `watched` after it).
 */
const TOOLS = {
  kube: { paths: kubeconfigPaths, detect: detectKube },
  aws: { paths: (env: NodeJS.ProcessEnv, home: string): string[] => Object.values(awsPaths(env, home)), detect: detectAws },
  gcloud: { paths: gcloudPaths, detect: detectGcloud },
  docker: { paths: dockerPaths, detect: detectDocker },
} satisfies Record<string, {
  paths(env: NodeJS.ProcessEnv, home: string): string[];
  detect(env: NodeJS.ProcessEnv, home: string, files: Files): DetectorResult;
}>;
type ToolPart = keyof typeof TOOLS;
const TOOL_PARTS = Object.keys(TOOLS) as ToolPart[];

/** Which cached part a change invalidates. */
type Part = ToolPart | 'settings' | { db: string } | { ws: string } | { tf: string } | 'folders';

/** The live detection state of the window. */
export interface Monitor extends vscode.Disposable {
  /** Latest detection, undefined until the first pass finished. */
  readonly current: Detection | undefined;
  /** Fires after every pass whose result may differ. */
  readonly onDidChange: vscode.Event<Detection>;
  /** Re-reads everything now. */
  refresh(): Promise<Detection>;
  /** The settings used by the latest pass. */
  readonly settings: Settings;
}

/** Dependencies, so tests and the CLI-equivalent stay explicit about what is read. */
export interface MonitorDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly log: vscode.LogOutputChannel;
  /** Quiet period before a burst of file events is processed. */
  readonly debounceMs?: number;
}

/**
 * Creates the monitor: detectors run once (deferred, off the activation path), then again only for the part a
 * file or setting change touches; watchers follow every file that fed a signal. No polling.
 */
export function createMonitor(deps: MonitorDeps): Monitor {
  const emitter = new vscode.EventEmitter<Detection>();
  const disposables: vscode.Disposable[] = [emitter];
  const fileWatchers = new Map<string, { watchers: vscode.Disposable[]; where: string }>();
  const moveTimers = new Set<NodeJS.Timeout>();
  const folderWatchers = new Map<string, vscode.Disposable>();
  const tools = new Map<ToolPart, DetectorResult>();
  const ws = new Map<string, ReturnType<typeof detectWorkspaceConfig>>();
  const db = new Map<string, DetectorResult>();
  /** Each folder's Terraform workspace (its `.terraform` files are watched like the tools' files). */
  const tf = new Map<string, DetectorResult>();
  let { settings, problems: settingsProblems } = readSettings();
  let current: Detection | undefined;
  let pending = new Set<string>([...TOOL_PARTS, 'folders']);
  let timer: NodeJS.Timeout | undefined;
  let loggedProblems = new Set<string>();
  let watchersSettled = false;
  let settleTimer: NodeJS.Timeout | undefined;

  const folders = (): string[] => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);

  const watchFile = (file: string): void => {
    const key = path.resolve(file);
    // Watch the file's folder for its name; when that folder does not exist yet (no ~/.aws), watch the nearest
    // existing ancestor for the first missing folder instead, and move down once it appears.
    let dir = path.dirname(key);
    let name = path.basename(key);
    while (!isDirectory(dir) && path.dirname(dir) !== dir) {
      name = path.basename(dir);
      dir = path.dirname(dir);
    }
    const where = `${dir}\0${name}`;
    const existing = fileWatchers.get(key);
    if (existing?.where === where) return;
    existing?.watchers.forEach((w) => w.dispose());
    const onEvent = (): void => {
      for (const part of partsOfExternalFile(key)) invalidate(part);
    };
    const watch = (base: string, pattern: string): vscode.FileSystemWatcher => {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(base), pattern));
      w.onDidChange(onEvent);
      w.onDidCreate(onEvent);
      w.onDidDelete(onEvent);
      return w;
    };
    const watchers = [watch(dir, name)];
    // A watcher inside a folder does not see the folder itself being removed (`rm -rf ~/.aws`): watch its name too.
    if (dir !== path.dirname(dir) && name === path.basename(key)) watchers.push(watch(path.dirname(dir), path.basename(dir)));
    fileWatchers.set(key, { watchers, where });
    // A watcher moved down into a folder that just appeared starts asynchronously: a change made meanwhile
    // (`gcloud config configurations activate` right after the first `gcloud init`) is read once it surely runs.
    if (existing) {
      const t = setTimeout(() => {
        moveTimers.delete(t);
        onEvent();
      }, 1000);
      moveTimers.add(t);
    }
  };

  /** The parts a changed file feeds: a folder's Terraform files, else the tools (all of them when none's). */
  const partsOfExternalFile = (file: string): Part[] => {
    const folders = [...tf].filter(([, r]) => r.watched.map((f) => path.resolve(f)).includes(file)).map(([f]) => ({ tf: f }));
    if (folders.length > 0) return folders;
    const mine = TOOL_PARTS.filter((t) => TOOLS[t].paths(deps.env, deps.home).map((f) => path.resolve(f)).includes(file)
      || (tools.get(t)?.watched ?? []).map((f) => path.resolve(f)).includes(file));
    return mine.length > 0 ? mine : TOOL_PARTS;
  };

  const watchFolder = (folder: string): void => {
    if (folderWatchers.has(folder)) return;
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), WORKSPACE_GLOB));
    const onEvent = (uri: vscode.Uri): void => {
      const isLabel = path.basename(uri.fsPath) === WORKSPACE_FILE && path.dirname(uri.fsPath) === folder;
      invalidate(isLabel ? { ws: folder } : { db: folder });
    };
    w.onDidChange(onEvent);
    w.onDidCreate(onEvent);
    w.onDidDelete(onEvent);
    folderWatchers.set(folder, w);
  };

  const invalidate = (part: Part): void => {
    pending.add(typeof part === 'string' ? part : 'db' in part ? `db:${part.db}` : 'tf' in part ? `tf:${part.tf}` : `ws:${part.ws}`);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void run().catch((e: unknown) => deps.log.error(maskSecrets(`detection failed: ${String(e)}`)));
    }, deps.debounceMs ?? 15);
  };

  // Passes run one after another; each takes whatever was invalidated by the time it starts.
  let chain: Promise<unknown> = Promise.resolve();
  const run = (): Promise<Detection> => {
    const p = chain.then(pass);
    chain = p.catch(() => undefined);
    return p;
  };

  const pass = async (): Promise<Detection> => {
    const todo = pending;
    pending = new Set();
    const started = performance.now();
    if (todo.has('settings')) ({ settings, problems: settingsProblems } = readSettings());
    // Watch before reading, so a change landing during the read is not lost.
    for (const t of TOOL_PARTS.filter((x) => todo.has(x))) for (const f of TOOLS[t].paths(deps.env, deps.home)) watchFile(f);
    for (const t of TOOL_PARTS.filter((x) => todo.has(x))) tools.set(t, TOOLS[t].detect(deps.env, deps.home, nodeFiles));
    if (!watchersSettled) {
      // File watchers start asynchronously on the server; re-read once when they surely run, so a switch made
      // during startup is not missed. One timer, not a polling loop.
      watchersSettled = true;
      settleTimer = setTimeout(() => { for (const t of TOOL_PARTS) invalidate(t); }, 1500);
    }
    const list = folders();
    const all = todo.has('folders');
    for (const f of [...ws.keys()]) if (!list.includes(f)) ws.delete(f);
    for (const f of [...db.keys()]) if (!list.includes(f)) db.delete(f);
    for (const f of [...tf.keys()]) if (!list.includes(f)) tf.delete(f);
    for (const [f, w] of folderWatchers) if (!list.includes(f)) { w.dispose(); folderWatchers.delete(f); }
    await Promise.all(list.map(async (f) => {
      if (all || todo.has(`ws:${f}`) || !ws.has(f)) ws.set(f, detectWorkspaceConfig(f, nodeFiles));
      if (all || todo.has(`tf:${f}`) || !tf.has(f)) tf.set(f, detectTerraform(f, deps.env, nodeFiles));
      if (all || todo.has(`db:${f}`) || !db.has(f)) {
        const exclude = [...settings.scanExclude, ...filesExclude(vscode.Uri.file(f))];
        db.set(f, await detectDatabases(f, deps.env, nodeFiles, { scan: { ...DEFAULT_SCAN, exclude }, maxFileBytes: settings.maxFileSizeKb * 1024 }));
      }
      watchFolder(f);
    }));
    const toolResults = TOOL_PARTS.map((t) => tools.get(t)!);
    const parts: DetectorResult[] = [...toolResults, ...list.map((f) => ws.get(f)!), ...list.map((f) => tf.get(f)!),
      ...list.map((f) => db.get(f)!)];
    for (const file of [...toolResults, ...list.map((f) => tf.get(f)!)].flatMap((r) => r.watched)) watchFile(file);
    const rules = orderRules(settings, list.flatMap((f) => ws.get(f)!.rules));
    const problems: Problem[] = [...settingsProblems.map((message) => ({ source: 'settings', message })), ...parts.flatMap((p) => p.problems)];
    const detection = buildDetection(parts.flatMap((p) => p.signals), rules, problems);
    // Log each problem when it appears (again after it was fixed and came back), not on every pass.
    const now = new Set(problems.map((p) => maskSecrets(`${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}`)));
    for (const text of now) if (!loggedProblems.has(text)) deps.log.warn(text);
    loggedProblems = now;
    const previous = current;
    current = detection;
    deps.log.debug(`detection pass (${[...todo].join(', ')}) in ${(performance.now() - started).toFixed(1)} ms: ${detection.environment}`);
    if (previous?.environment !== detection.environment) {
      deps.log.info(maskSecrets(`environment: ${previous?.environment ?? '(none)'} → ${detection.environment}`));
    }
    emitter.fire(detection);
    return detection;
  };

  disposables.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('prodGuard.scan') || e.affectsConfiguration('files.exclude')) invalidate('folders');
      if (e.affectsConfiguration('prodGuard')) invalidate('settings');
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => invalidate('folders')),
  );

  return {
    get current() { return current; },
    get settings() { return settings; },
    onDidChange: emitter.event,
    refresh() {
      pending = new Set([...TOOL_PARTS, 'folders', 'settings']);
      if (timer) { clearTimeout(timer); timer = undefined; }
      return run();
    },
    dispose() {
      if (timer) clearTimeout(timer);
      if (settleTimer) clearTimeout(settleTimer);
      for (const t of moveTimers) clearTimeout(t);
      for (const w of [...[...fileWatchers.values()].flatMap((f) => f.watchers), ...folderWatchers.values()]) w.dispose();
      fileWatchers.clear();
      folderWatchers.clear();
      for (const d of disposables) d.dispose();
    },
  };
}
