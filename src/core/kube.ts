import * as path from 'path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Files } from './files';
import type { DetectorResult, Problem, RawSignal } from './types';

/** One kubeconfig file's relevant content, with 1-based lines. */
export interface ParsedKubeconfig {
  readonly currentContext?: { readonly name: string; readonly line: number };
  readonly contexts: ReadonlyArray<{ name: string; cluster?: string; namespace?: string; user?: string; line: number }>;
  readonly clusters: ReadonlyArray<{ name: string; server?: string; line: number }>;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Parses one kubeconfig text; throws an Error with a readable message when it is not a kubeconfig. */
export function parseKubeconfig(text: string): ParsedKubeconfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw new Error(`invalid YAML${line ? ` at line ${line}` : ''}: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { contexts: [], clusters: [] };
  if (!isMap(root)) throw new Error('not a kubeconfig: the top level is not a mapping');
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined): number =>
    node?.range ? lc.linePos(node.range[0]).line : 1;

  let currentContext: ParsedKubeconfig['currentContext'];
  const contexts: Array<{ name: string; cluster?: string; namespace?: string; user?: string; line: number }> = [];
  const clusters: Array<{ name: string; server?: string; line: number }> = [];
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'current-context' && isScalar(pair.value)) {
      const name = str(pair.value.value);
      if (name) currentContext = { name, line: lineOf(pair.key as never) };
    } else if ((key === 'contexts' || key === 'clusters') && isSeq(pair.value)) {
      for (const item of pair.value.items) {
        if (!isMap(item)) continue;
        const js = item.toJSON() as Record<string, unknown>;
        const name = str(js.name);
        if (!name) continue;
        const body = (js[key === 'contexts' ? 'context' : 'cluster'] ?? {}) as Record<string, unknown>;
        if (key === 'contexts') {
          contexts.push({ name, cluster: str(body.cluster), namespace: str(body.namespace), user: str(body.user), line: lineOf(item as never) });
        } else {
          clusters.push({ name, server: str(body.server), line: lineOf(item as never) });
        }
      }
    }
  }
  return { currentContext, contexts, clusters };
}

/** kubectl's list of kubeconfig files: `KUBECONFIG` split on the path delimiter, else `~/.kube/config`. */
export function kubeconfigPaths(env: NodeJS.ProcessEnv, home: string, delimiter = path.delimiter): string[] {
  const raw = env.KUBECONFIG;
  if (raw !== undefined && raw.trim() !== '') {
    const seen = new Set<string>();
    for (const p of raw.split(delimiter)) {
      const t = p.trim();
      if (t === '') continue;
      const abs = path.resolve(t.startsWith('~/') ? path.join(home, t.slice(2)) : t);
      seen.add(abs);
    }
    if (seen.size > 0) return [...seen];
  }
  return [path.join(home, '.kube', 'config')];
}

/** The kubeconfig files merged like kubectl does. */
export interface MergedKubeconfig {
  readonly current?: { readonly name: string; readonly file: string; readonly line: number };
  readonly contexts: ReadonlyMap<string, ParsedKubeconfig['contexts'][number] & { file: string }>;
  readonly clusters: ReadonlyMap<string, ParsedKubeconfig['clusters'][number] & { file: string }>;
  readonly problems: readonly Problem[];
}

/**
 * kubectl's merge rule: the first file that sets `current-context` wins; contexts and clusters merge by name,
 * first definition wins. Missing files are skipped silently, unreadable or malformed ones become problems.
 */
export function mergeKubeconfigs(paths: readonly string[], files: Files): MergedKubeconfig {
  const problems: Problem[] = [];
  let current: MergedKubeconfig['current'];
  const contexts = new Map<string, ParsedKubeconfig['contexts'][number] & { file: string }>();
  const clusters = new Map<string, ParsedKubeconfig['clusters'][number] & { file: string }>();
  for (const file of paths) {
    const r = files.readText(file);
    if (!r.ok) {
      if (!r.missing) problems.push({ source: file, message: `kubeconfig ${r.message}` });
      continue;
    }
    let parsed: ParsedKubeconfig;
    try {
      parsed = parseKubeconfig(r.text);
    } catch (e) {
      problems.push({ source: file, message: `kubeconfig ${(e as Error).message}` });
      continue;
    }
    if (!current && parsed.currentContext) current = { ...parsed.currentContext, file };
    for (const c of parsed.contexts) if (!contexts.has(c.name)) contexts.set(c.name, { ...c, file });
    for (const c of parsed.clusters) if (!clusters.has(c.name)) clusters.set(c.name, { ...c, file });
  }
  return { current, contexts, clusters, problems };
}

/** The facts about one context: its cluster, server and namespace, as details and identifiers. */
export function describeContext(merged: MergedKubeconfig, name: string, namespace?: string): { identifiers: string[]; details: Record<string, string>; known: boolean } {
  const ctx = merged.contexts.get(name);
  const cluster = ctx?.cluster ? merged.clusters.get(ctx.cluster) : undefined;
  const details: Record<string, string> = {};
  if (ctx?.cluster) details.cluster = ctx.cluster;
  if (cluster?.server) details.server = cluster.server;
  details.namespace = namespace ?? ctx?.namespace ?? 'default';
  return { identifiers: [name, ctx?.cluster, cluster?.server].filter((x): x is string => !!x), details, known: !!ctx };
}

/** Detects the current Kubernetes context (see `mergeKubeconfigs`). */
export function detectKube(env: NodeJS.ProcessEnv, home: string, files: Files): DetectorResult {
  const paths = kubeconfigPaths(env, home);
  const merged = mergeKubeconfigs(paths, files);
  const problems: Problem[] = [...merged.problems];
  const signals: RawSignal[] = [];
  const current = merged.current;
  if (current) {
    const { identifiers, details, known } = describeContext(merged, current.name);
    if (!known) {
      problems.push({ source: current.file, line: current.line, message: `current-context "${current.name}" has no matching entry in contexts; classified by its name only` });
    }
    signals.push({ kind: 'kubernetes', name: current.name, source: current.file, line: current.line, active: true, identifiers, details });
  }
  return { signals, problems, watched: paths };
}
