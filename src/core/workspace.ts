import * as path from 'path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Files, ReadResult } from './files';
import { type GuardPatterns, sanitizeGuardPatterns, sanitizeRule } from './settings';
import { moreSevere } from './classify';
import type { DetectorResult, Environment, Problem, RawSignal, SourcedRule } from './types';

/** The workspace label file, at a workspace folder's root. */
export const WORKSPACE_FILE = '.prodguard.yaml';

const LABEL_ENVS = new Set<Environment>(['production', 'staging', 'development', 'local']);

/** Short names people write for an environment label. */
const LABEL_ALIASES: Readonly<Record<string, Environment>> = {
  prod: 'production', prd: 'production', live: 'production', stage: 'staging', stg: 'staging', uat: 'staging',
  preprod: 'staging', dev: 'development', test: 'development', sandbox: 'development',
};

/** A `.prodguard.yaml` larger than this is reported, not read. */
const WORKSPACE_MAX_BYTES = 256 * 1024;

/** What a workspace's `.prodguard.yaml` says. */
export type WorkspaceConfig = DetectorResult & { rules: SourcedRule[]; guard: GuardPatterns };

/** Reads `.prodguard.yaml` of one folder: its environment label (as a signal) and its rules. */
export function detectWorkspaceConfig(folder: string, files: Files): WorkspaceConfig {
  return workspaceConfigFrom(folder, files.readText(path.join(folder, WORKSPACE_FILE), WORKSPACE_MAX_BYTES));
}

/**
 * Every `.prodguard.yaml` from `cwd` up to the filesystem root, nearest first, merged: the most severe label
 * wins (a nested file saying `development` cannot shadow a parent's `production`), rules are tried nearest
 * first, destructive patterns add up. Empty or invalid files and folders of that name count for nothing and
 * are reported.
 */
export function workspaceChain(cwd: string | readonly string[], files: Files): WorkspaceConfig & { files: string[] } {
  const all: WorkspaceConfig[] = [];
  const found: string[] = [];
  // Several starting folders (terraform -chdir: where it starts and where it works): each file counts once.
  const seen = new Set<string>();
  for (const start of typeof cwd === 'string' ? [cwd] : cwd) {
    for (let dir = path.resolve(start); !seen.has(dir); dir = path.dirname(dir)) {
      seen.add(dir);
      const r = files.readText(path.join(dir, WORKSPACE_FILE), WORKSPACE_MAX_BYTES);
      if (r.ok || !r.missing) {
        all.push(workspaceConfigFrom(dir, r));
        found.push(path.join(dir, WORKSPACE_FILE));
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  let label: RawSignal | undefined;
  for (const c of all) {
    for (const s of c.signals) if (!label || moreSevere(label.fixed!.environment, s.fixed!.environment) !== label.fixed!.environment) label = s;
  }
  const guard: GuardPatterns = { destructive: {}, allow: {} };
  for (const c of all) {
    for (const [tool, list] of Object.entries(c.guard.destructive)) guard.destructive[tool] = [...(guard.destructive[tool] ?? []), ...list];
  }
  return {
    signals: label ? [label] : [],
    problems: all.flatMap((c) => c.problems),
    rules: all.flatMap((c) => c.rules),
    guard,
    watched: found,
    files: found,
  };
}

/** Interprets an already read `.prodguard.yaml` of `folder`. */
function workspaceConfigFrom(folder: string, r: ReadResult): WorkspaceConfig {
  const file = path.join(folder, WORKSPACE_FILE);
  const problems: Problem[] = [];
  const signals: RawSignal[] = [];
  const rules: SourcedRule[] = [];
  const guard: GuardPatterns = { destructive: {}, allow: {} };
  if (!r.ok) {
    if (!r.missing) problems.push({ source: file, message: `${WORKSPACE_FILE} ${r.message}: it labels nothing` });
    return { signals, problems, rules, guard, watched: [file] };
  }
  const lc = new LineCounter();
  const doc = parseDocument(r.text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    problems.push({ source: file, line: e.linePos?.[0]?.line, message: `${WORKSPACE_FILE}: invalid YAML: ${e.message.split('\n')[0]}` });
    return { signals, problems, rules, guard, watched: [file] };
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    problems.push({ source: file, message: `${WORKSPACE_FILE} is empty: it labels nothing` });
    return { signals, problems, rules, guard, watched: [file] };
  }
  if (!isMap(root)) {
    problems.push({ source: file, line: 1, message: `${WORKSPACE_FILE}: expected a mapping with "environment" and/or "rules"` });
    return { signals, problems, rules, guard, watched: [file] };
  }
  const lineOf = (n: unknown): number | undefined => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    return range ? lc.linePos(range[0]).line : undefined;
  };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const line = lineOf(pair.key);
    if (key === 'environment') {
      const raw = isScalar(pair.value) ? String(pair.value.value).trim().toLowerCase() : '';
      // `prod` means production to anyone who writes it: refusing it would leave the folder unprotected.
      const value = LABEL_ALIASES[raw] ?? raw;
      if (!LABEL_ENVS.has(value as Environment)) {
        problems.push({ source: file, line, message: `${WORKSPACE_FILE}: "environment" must be one of production, staging, development, local` });
        continue;
      }
      signals.push({
        kind: 'workspace', name: path.basename(folder), source: file, line, active: true, identifiers: [path.basename(folder)], details: {},
        fixed: { environment: value as Environment, reason: { code: 'workspaceLabel', file } },
      });
    } else if (key === 'rules') {
      if (!isSeq(pair.value)) {
        problems.push({ source: file, line, message: `${WORKSPACE_FILE}: "rules" must be a list` });
        continue;
      }
      for (const item of pair.value.items) {
        const rule = sanitizeRule((item as { toJSON?: () => unknown })?.toJSON?.() ?? item);
        if (typeof rule === 'string') problems.push({ source: file, line: lineOf(item), message: `${WORKSPACE_FILE}: ${rule}` });
        else rules.push({ ...rule, origin: { type: 'workspace', file } });
      }
    } else if (key === 'guard') {
      const parsed = sanitizeGuardPatterns((pair.value as { toJSON?: () => unknown } | null)?.toJSON?.());
      if (typeof parsed === 'string') problems.push({ source: file, line, message: `${WORKSPACE_FILE}: ${parsed}` });
      // A repository may add destructive patterns, never allow-list any (that would weaken the guard).
      else {
        guard.destructive = parsed.destructive;
        if (Object.keys(parsed.allow).length > 0) problems.push({ source: file, line, message: `${WORKSPACE_FILE}: "guard.allow" is ignored here; only your user setting prodGuard.guard.allow can allow commands` });
      }
    } else {
      problems.push({ source: file, line, message: `${WORKSPACE_FILE}: unknown key "${key}" (expected "environment", "rules" or "guard")` });
    }
  }
  return { signals, problems, rules, guard, watched: [file] };
}
