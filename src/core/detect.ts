import * as path from 'path';
import { detectAws } from './aws';
import { detectDocker } from './docker';
import { detectGcloud } from './gcloud';
import { buildDetection } from './classify';
import { activeMode, connectionsInAppsettings, connectionsInDatabaseYml, connectionsInDotenv, dbFileKind, type FoundConnection, normalizeMode } from './database';
import type { Files } from './files';
import { detectKube } from './kube';
import { DEFAULT_SCAN, scanFolder, type ScanOptions } from './scan';
import type { Settings } from './settings';
import { detectTerraform } from './terraform';
import type { Detection, DetectorResult, Problem, RawSignal, SourcedRule } from './types';
import { detectWorkspaceConfig } from './workspace';

/** Reads the connection strings of one workspace folder (async: it walks the tree). */
export async function detectDatabases(
  folder: string,
  env: NodeJS.ProcessEnv,
  files: Files,
  options: { scan?: ScanOptions; maxFileBytes?: number } = {},
): Promise<DetectorResult & { scanned: number; truncated: boolean }> {
  const scan = await scanFolder(folder, (rel) => dbFileKind(rel) !== undefined, options.scan ?? DEFAULT_SCAN);
  const signals: RawSignal[] = [];
  const problems: Problem[] = scan.errors.map((e) => ({ source: e.path, message: `folder ${e.message}; not scanned` }));
  if (scan.truncated) problems.push({ source: folder, message: `workspace scan stopped after ${scan.entries} entries; add folders to prodGuard.scan.exclude` });
  for (const file of scan.files) {
    const kind = dbFileKind(path.relative(folder, file).split(path.sep).join('/'));
    if (!kind) continue;
    const r = files.readText(file, options.maxFileBytes);
    if (!r.ok) {
      if (!r.missing) problems.push({ source: file, message: r.message });
      continue;
    }
    let found: FoundConnection[];
    try {
      found = kind.format === 'dotenv' ? connectionsInDotenv(r.text, kind.mode)
        : kind.format === 'appsettings' ? connectionsInAppsettings(r.text, kind.mode)
          : connectionsInDatabaseYml(r.text);
    } catch (e) {
      problems.push({ source: file, message: (e as Error).message });
      continue;
    }
    const current = activeMode(kind.format, env);
    for (const c of found) {
      const active = c.mode === null || (c.mode !== 'example' && current !== undefined && normalizeMode(c.mode) === current.mode);
      const details: Record<string, string> = { key: c.key, url: c.info.masked, scheme: c.info.scheme };
      if (c.info.port) details.port = c.info.port;
      if (c.mode !== null) {
        details.mode = c.mode;
        details.activeWhen = c.mode === 'example' ? 'never (template file)' : `${kind.format === 'database.yml' ? 'RAILS_ENV' : kind.format === 'appsettings' ? 'ASPNETCORE_ENVIRONMENT' : 'NODE_ENV'}=${c.mode}`;
        if (current) details.currentMode = `${current.variable}=${current.mode}`;
      }
      signals.push({
        kind: 'database',
        name: c.info.database ? `${c.info.host}/${c.info.database}` : c.info.host,
        source: file,
        line: c.line,
        active,
        identifiers: [c.info.host, ...(c.info.database ? [c.info.database] : [])],
        details,
      });
    }
  }
  return { signals, problems, watched: scan.files, scanned: scan.entries, truncated: scan.truncated };
}

/** Everything a full detection needs, gathered by the caller (extension or CLI). */
export interface DetectInput {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly folders: readonly string[];
  readonly settings: Settings;
  readonly files: Files;
  readonly scanExclude?: readonly string[];
}

/** Orders rules: the user's settings first (their own word beats a repository's), then each folder's file. */
export function orderRules(settings: Settings, workspaceRules: readonly SourcedRule[]): SourcedRule[] {
  return [...settings.rules.map((r) => ({ ...r, origin: { type: 'settings' as const } })), ...workspaceRules];
}

/** Runs every detector and classifies the result; what the CLI calls and the extension composes from parts. */
export async function detectAll(input: DetectInput): Promise<Detection & { watched: string[] }> {
  const kube = detectKube(input.env, input.home, input.files);
  const aws = detectAws(input.env, input.home, input.files);
  const gcloud = detectGcloud(input.env, input.home, input.files);
  const docker = detectDocker(input.env, input.home, input.files);
  const ws = input.folders.map((f) => detectWorkspaceConfig(f, input.files));
  const tf = input.folders.map((f) => detectTerraform(f, input.env, input.files));
  const scan: ScanOptions = { ...DEFAULT_SCAN, exclude: [...input.settings.scanExclude, ...(input.scanExclude ?? [])] };
  const dbs = await Promise.all(input.folders.map((f) => detectDatabases(f, input.env, input.files, { scan, maxFileBytes: input.settings.maxFileSizeKb * 1024 })));
  const parts: DetectorResult[] = [kube, aws, gcloud, docker, ...ws, ...tf, ...dbs];
  const rules = orderRules(input.settings, ws.flatMap((w) => w.rules));
  const detection = buildDetection(parts.flatMap((p) => p.signals), rules, parts.flatMap((p) => p.problems));
  return { ...detection, watched: parts.flatMap((p) => p.watched) };
}
