// Where a kubectl, oc or helm command goes, resolved the way client-go's clientcmd resolves it: the kubeconfig
// list (`--kubeconfig`, else `KUBECONFIG` merged first-wins, else ~/.kube/config), the context (flag, else
// current-context), then the overrides `--cluster`, `--user`, `--server` and `--namespace`. Where kubectl would
// stop with an error, or where the guard cannot read what kubectl reads, the target is `unresolved` (it asks
// when the command writes). YAML is read as go-yaml v2 reads it (merge keys in document order, merge-key bombs
// "too complex"), within one parse budget per command. Behaviour checked against kubectl 1.32/1.33:
// test/system/kubectl-grammar.test.ts.
import * as path from 'path';
import {
  isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair,
} from 'yaml';
import type { Files } from '../../files';
import type { Problem } from '../../types';
import type { GuardTarget, ToolContext } from '../types';

/** Bytes of kubeconfig the guard reads from one file (long base64 lines are cheap to parse). */
export const KUBECONFIG_MAX_BYTES = 16 * 1024 * 1024;
/**
 * Expected parse cost: ~9 µs per YAML node (a 4 MB list of one-letter items takes 8 s) and up to ~80 ns per byte
 * (a double-quoted scalar, the slowest text for the YAML parser: 16 MB of it take 1.3 s). The files of one
 * command together may cost this much before the rest is "too large to check".
 */
export const KUBECONFIG_BUDGET_MS = 1200;
const MS_PER_ITEM = 0.009;
const MS_PER_BYTE = 0.00008;
/**
 * Mapping entries the guard visits while expanding merge keys and aliases in one YAML document. kubectl refuses
 * a merge-key bomb ("document contains excessive aliasing"); beyond this the document is "too complex to check".
 */
export const YAML_MAX_VISITS = 250_000;

/** One named entry of a kubeconfig list, with where it is defined. */
export interface KubeEntry {
  readonly file: string;
  readonly line: number;
  readonly cluster?: string;
  readonly user?: string;
  readonly namespace?: string;
  readonly server?: string;
}

/** The kubeconfig files merged as clientcmd merges them, or why they cannot be read as kubectl reads them. */
export interface KubeModel {
  readonly paths: readonly string[];
  readonly current?: { readonly name: string; readonly file: string; readonly line: number };
  readonly contexts: ReadonlyMap<string, KubeEntry>;
  readonly clusters: ReadonlyMap<string, KubeEntry>;
  readonly users: ReadonlyMap<string, KubeEntry>;
  /** Set when kubectl would fail on these files or the guard cannot read them: the target is unresolved. */
  readonly failure?: string;
  /** The file the failure is about. */
  readonly failureSource?: string;
  /** Whether at least one file exists (kubectl falls back to the in-cluster config when none does). */
  readonly anyFile: boolean;
  readonly problems: readonly Problem[];
}

/** Counts lines and flow separators: a cheap upper bound on the YAML nodes a parser would build. */
function roughItems(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 44 || c === 91 || c === 123) n++; // \n , [ {
  }
  return n;
}

/** Milliseconds the YAML parser may take on a text (an upper bound, see KUBECONFIG_BUDGET_MS). */
function expectedParseMs(text: string): number {
  return roughItems(text) * MS_PER_ITEM + text.length * MS_PER_BYTE;
}

class KubeconfigError extends Error {}

/** The document expands (merge keys, aliases) beyond what the guard reads within its time budget. */
class TooComplexError extends KubeconfigError {}

/** One YAML document being read: its aliases, resolved in one pass, and the merge-key work spent on it. */
class YamlReading {
  private aliases?: Map<unknown, unknown>;
  visits = 0;
  constructor(private readonly doc: Document) {}

  /** The node an alias stands for: the last anchor of that name before it (one walk, not one per alias). */
  resolve(alias: unknown): unknown {
    if (!this.aliases) {
      const aliases = new Map<unknown, unknown>();
      const anchors = new Map<string, unknown>();
      visit(this.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) aliases.set(node, anchors.get(node.source));
          else if (node.anchor) anchors.set(node.anchor, node);
        },
      });
      this.aliases = aliases;
    }
    return this.aliases.get(alias);
  }

  spend(n: number): void {
    this.visits += n;
    if (this.visits > YAML_MAX_VISITS) {
      throw new TooComplexError(`too complex to check (merge keys and aliases expand to over ${YAML_MAX_VISITS} `
        + 'entries; kubectl refuses excessive aliasing)');
    }
  }
}

/** The document whose aliases are being resolved (set while one document is read). */
let reading: YamlReading | undefined;

/** Reads one YAML document with `fn`, its aliases resolved against it. */
function withDocument<T>(doc: Document, fn: () => T): T {
  const saved = reading;
  reading = new YamlReading(doc);
  try {
    return fn();
  } finally {
    reading = saved;
  }
}

/** A node with an alias (`*name`) resolved against the document being read. */
function deref(node: unknown): unknown {
  return isAlias(node) ? reading?.resolve(node) : node;
}

function isMergeKey(k: unknown): boolean {
  return isScalar(k) && (typeof k.value === 'symbol' || (k.value === '<<' && k.type === 'PLAIN'));
}

/** Merge chains deeper than this do not occur in real files: "too complex to check". */
const MAX_MERGE_DEPTH = 64;

/**
 * The pairs of a mapping by key, as go-yaml (YAML 1.1) builds them: entries apply in document order, so a key
 * after a `<<` merge overrides it and a `<<` after a key overrides that key; within one `<<: [a, b]` the earlier
 * source wins; the last of duplicate keys wins. A merge of anything but mappings, or an anchor that contains
 * itself, is an error as in kubectl; the work is counted against YAML_MAX_VISITS.
 */
function lastPairs(node: unknown, stack: readonly unknown[] = []): Map<string, Pair> | undefined {
  const map = deref(node);
  if (!isMap(map)) return undefined;
  if (stack.includes(map)) throw new KubeconfigError('has an anchor that contains itself');
  if (stack.length >= MAX_MERGE_DEPTH) throw new TooComplexError('too complex to check (merge keys nested too deep)');
  reading?.spend(map.items.length + 1);
  const m = new Map<string, Pair>();
  for (const p of map.items) {
    if (isMergeKey(p.key)) {
      const v = deref(p.value);
      // `<<: *list` (an alias of a sequence) is refused by go-yaml; `<<: [*a, *b]` is a list of sources.
      const sources = isSeq(v) && !isAlias(p.value) ? v.items : [p.value];
      for (let i = sources.length - 1; i >= 0; i--) {
        const sp = lastPairs(sources[i], [...stack, map]);
        if (!sp) throw new KubeconfigError('has a merge key (<<) whose value is not a mapping or a list of mappings');
        for (const [k, pair] of sp) m.set(k, pair);
      }
      continue;
    }
    const k = isScalar(p.key) ? p.key.value : undefined;
    if (typeof k === 'string') m.set(k, p as Pair);
  }
  return m;
}



/** A string field as Go's JSON decoder reads it into a `string`: null is empty, numbers and booleans fail. */
function stringField(pairs: Map<string, Pair> | undefined, key: string, where: string): string | undefined {
  const p = pairs?.get(key);
  if (!p) return undefined;
  const v = deref(p.value) as Node | null;
  if (v === null || v === undefined || (isScalar(v) && v.value === null)) return undefined;
  if (isScalar(v) && typeof v.value === 'string') return v.value === '' ? undefined : v.value;
  throw new KubeconfigError(`${where}.${key} is not a string`);
}

function lineOf(lc: LineCounter, node: unknown): number {
  const range = (node as { range?: [number, number, number] | null } | null)?.range;
  return range ? lc.linePos(range[0]).line : 1;
}

/** What one kubeconfig file defines. */
interface FileContent {
  current?: { name: string; line: number };
  contexts: Map<string, KubeEntry>;
  clusters: Map<string, KubeEntry>;
  users: Map<string, KubeEntry>;
}

/**
 * Reads one kubeconfig text as kubectl does (YAML 1.1 with merge keys, last duplicate key wins, a name defined
 * twice in one list is an error, a non-string where a string belongs is an error). Throws KubeconfigError.
 */
export function readKubeconfigText(text: string, file: string): FileContent {
  const lc = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lc, uniqueKeys: false, version: '1.1', merge: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw new KubeconfigError(`invalid YAML${line ? ` at line ${line}` : ''}: ${e.message.split('\n')[0]}`);
  }
  return withDocument(doc, () => readKubeconfigDoc(doc, lc, file));
}

function readKubeconfigDoc(doc: Document, lc: LineCounter, file: string): FileContent {
  const out: FileContent = { contexts: new Map(), clusters: new Map(), users: new Map() };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return out;
  const top = lastPairs(root);
  if (!top) throw new KubeconfigError('not a kubeconfig: the top level is not a mapping');
  const cur = stringField(top, 'current-context', 'current-context');
  if (cur) out.current = { name: cur, line: lineOf(lc, top.get('current-context')!.key) };
  const lists: Array<['contexts' | 'clusters' | 'users', 'context' | 'cluster' | 'user']> = [
    ['contexts', 'context'], ['clusters', 'cluster'], ['users', 'user'],
  ];
  for (const [key, inner] of lists) {
    const seq = deref(top.get(key)?.value);
    if (seq === undefined || seq === null || (isScalar(seq) && seq.value === null)) continue;
    if (!isSeq(seq)) throw new KubeconfigError(`${key} is not a list`);
    for (const item of seq.items) {
      const fields = lastPairs(item);
      if (!fields) throw new KubeconfigError(`an entry of ${key} is not a mapping`);
      const name = stringField(fields, 'name', key) ?? '';
      if (out[key].has(name)) throw new KubeconfigError(`duplicate name "${name}" in ${key}`);
      const body = deref(fields.get(inner)?.value);
      const empty = body === null || body === undefined || (isScalar(body) && body.value === null);
      const bf = empty ? undefined : lastPairs(body);
      if (!empty && !bf) throw new KubeconfigError(`${key} "${name}": ${inner} is not a mapping`);
      const where = `${key} "${name}".${inner}`;
      const field = (k: string): string | undefined => stringField(bf, k, where);
      const line = lineOf(lc, item);
      const entry: KubeEntry = key === 'contexts'
        ? { file, line, cluster: field('cluster'), user: field('user'), namespace: field('namespace') }
        : key === 'clusters' ? { file, line, server: field('server') } : { file, line };
      out[key].set(name, entry);
    }
  }
  return out;
}

/** The files kubectl loads: `--kubeconfig` alone, else `KUBECONFIG` (deduplicated), else ~/.kube/config. */
export function kubeconfigList(explicit: string | undefined, ctx: ToolContext): { paths: string[]; explicit: boolean } {
  if (explicit !== undefined && explicit !== '') return { paths: [path.resolve(ctx.cwd, explicit)], explicit: true };
  const raw = ctx.env.KUBECONFIG;
  if (raw !== undefined && raw !== '') {
    const seen: string[] = [];
    for (const p of raw.split(path.delimiter)) {
      if (p === '') continue;
      const abs = path.resolve(ctx.cwd, p);
      if (!seen.includes(abs)) seen.push(abs);
    }
    if (seen.length > 0) return { paths: seen, explicit: false };
  }
  return { paths: [path.join(ctx.home, '.kube', 'config')], explicit: false };
}

/** What reading one kubeconfig file gave: its content, or that it is missing, or why it cannot be used. */
type FileRead = { content: FileContent } | { missing: true } | { error: string };

/**
 * Kubeconfig files parsed for one command, shared by all its readings (kuberc, unknown flags, helm's early flag
 * parse), with the expected parse cost spent so far: several lists together stay within one time budget.
 */
export interface KubeCache {
  readonly models: Map<string, KubeModel>;
  readonly files: Map<string, FileRead>;
  spentMs: number;
  readonly started: number;
}

/** An empty cache for one command. */
export function newKubeCache(): KubeCache {
  return { models: new Map(), files: new Map(), spentMs: 0, started: Date.now() };
}

function readOne(file: string, fs: Files, cache: KubeCache): FileRead {
  const hit = cache.files.get(file);
  if (hit) return hit;
  let out: FileRead;
  const overBudget = (): boolean => Date.now() - cache.started > KUBECONFIG_BUDGET_MS;
  const r = overBudget() ? undefined : fs.readText(file, KUBECONFIG_MAX_BYTES);
  if (!r) {
    out = { error: 'kubeconfig too large to check within the time budget' };
  } else if (!r.ok) {
    const large = /larger than/.test(r.message);
    out = r.missing ? { missing: true }
      : { error: large ? `kubeconfig too large to check: ${r.message}` : `kubeconfig ${r.message}` };
  } else {
    // The cost is counted before parsing: several large files together are "too large", not slow.
    const cost = expectedParseMs(r.text);
    if (cache.spentMs + cost > KUBECONFIG_BUDGET_MS) {
      const size = `${r.text.length} characters, ${roughItems(r.text)} lines`;
      const others = cache.spentMs > 0 ? ', with the kubeconfig files read before it' : '';
      out = { error: `kubeconfig too large to check within the time budget (${size}${others})` };
    } else {
      cache.spentMs += cost;
      try {
        out = { content: readKubeconfigText(r.text, file) };
      } catch (e) {
        const message = e instanceof TooComplexError ? e.message : e instanceof KubeconfigError
          ? `${e.message} (kubectl refuses it too)` : `cannot be read (${(e as Error).message})`;
        out = { error: `kubeconfig ${message}` };
      }
    }
  }
  cache.files.set(file, out);
  return out;
}

/**
 * Loads and merges the kubeconfig list: the first file that sets current-context wins, the first definition of a
 * name wins. A missing file is skipped (an explicit `--kubeconfig` must exist); any other trouble is a failure.
 */
export function loadKubeconfigs(paths: readonly string[], explicit: boolean, files: Files,
  cache: KubeCache = newKubeCache()): KubeModel {
  const contexts = new Map<string, KubeEntry>();
  const clusters = new Map<string, KubeEntry>();
  const users = new Map<string, KubeEntry>();
  const problems: Problem[] = [];
  let current: KubeModel['current'];
  let anyFile = false;
  const fail = (source: string, message: string): KubeModel => {
    problems.push({ source, message });
    const failure = `${source}: ${message}`;
    return { paths, current, contexts, clusters, users, failure, failureSource: source, anyFile: true, problems };
  };
  for (const file of paths) {
    const r = readOne(file, files, cache);
    if ('missing' in r) {
      if (!explicit) continue;
      return fail(file, 'kubeconfig does not exist (kubectl stops here)');
    }
    anyFile = true;
    if ('error' in r) return fail(file, r.error);
    const content = r.content;
    if (!current && content.current) current = { ...content.current, file };
    for (const [k, v] of content.contexts) if (!contexts.has(k)) contexts.set(k, v);
    for (const [k, v] of content.clusters) if (!clusters.has(k)) clusters.set(k, v);
    for (const [k, v] of content.users) if (!users.has(k)) users.set(k, v);
  }
  return { paths, current, contexts, clusters, users, anyFile, problems };
}

/** One selection value and where it came from (`--context flag`, `env:HELM_KUBECONTEXT`, `kuberc default`). */
export interface Sourced {
  readonly value: string;
  readonly source: string;
}

/** What a command line (and its environment) selects, before the kubeconfig is read. */
export interface KubeSelection {
  readonly kubeconfig?: Sourced;
  readonly context?: Sourced;
  readonly cluster?: Sourced;
  readonly user?: Sourced;
  readonly server?: Sourced;
  readonly namespace?: Sourced;
}

/** A server URL without userinfo (never show a password that rode along in a URL). */
export function safeServer(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1');
}

function unresolvedTarget(name: string, source: string, why: string, identifiers: string[] = []): GuardTarget {
  return { kind: 'kubernetes', name, identifiers: identifiers.filter(Boolean), details: {}, source, unresolved: why };
}

/**
 * The targets of one selection: the context as the kubeconfig defines it, plus one target per override that
 * sends the command elsewhere (`--server`, `--cluster`). The override is a target of its own so that a rule
 * calling the context "development" cannot hide a production server named on the command line, and the name a
 * person confirms is where the command really goes. `cache` keeps parsed kubeconfig lists for one command.
 */
export function resolveKube(sel: KubeSelection, ctx: ToolContext, cache: KubeCache = newKubeCache()): {
  targets: GuardTarget[]; problems: Problem[];
} {
  const list = kubeconfigList(sel.kubeconfig?.value, ctx);
  const where = list.paths.join(path.delimiter);
  // One command may be read several ways (kuberc, unknown flags): its kubeconfig files are parsed once.
  const key = `${list.explicit}\u0000${where}`;
  const model = cache.models.get(key) ?? loadKubeconfigs(list.paths, list.explicit, ctx.files, cache);
  cache.models.set(key, model);
  const problems = [...model.problems];
  const one = (t: GuardTarget): { targets: GuardTarget[]; problems: Problem[] } => ({ targets: [t], problems });
  const flagServer = sel.server?.value ? safeServer(sel.server.value) : undefined;
  const overrideIds = [sel.cluster?.value, flagServer].filter((x): x is string => !!x);
  if (model.failure) {
    const label = sel.context?.value || flagServer || sel.cluster?.value || 'kubectl';
    return one(unresolvedTarget(label, model.failureSource ?? where, model.failure, [label, ...overrideIds]));
  }
  const ctxName = sel.context?.value || model.current?.name;
  if (!ctxName) {
    const inCluster = !model.anyFile && !sel.kubeconfig && !flagServer && !sel.cluster?.value;
    const host = ctx.env.KUBERNETES_SERVICE_HOST;
    if (inCluster && host && ctx.env.KUBERNETES_SERVICE_PORT) {
      // clientcmd falls back to the pod's service account when there is no kubeconfig at all.
      const url = `https://${host.includes(':') ? `[${host}]` : host}:${ctx.env.KUBERNETES_SERVICE_PORT}`;
      const ns = sel.namespace?.value;
      return one({
        kind: 'kubernetes', name: `in-cluster (${url})`, identifiers: [url, ...(ns ? [ns] : [])],
        details: { server: url, namespace: ns ?? '(service account namespace)' }, source: 'env:KUBERNETES_SERVICE_HOST',
      });
    }
    if (!flagServer && !sel.cluster?.value) {
      const why = `no current-context in ${where} and no context given: kubectl would try http://localhost:8080, ` +
        'the guard does not assume it';
      return one(unresolvedTarget('kubectl', where, why));
    }
  }
  const context = ctxName ? model.contexts.get(ctxName) : undefined;
  const ctxSource = sel.context?.value ? sel.context.source : model.current?.file ?? where;
  if (ctxName && !context) {
    const why = `context "${ctxName}" is not defined in ${where} (kubectl stops: context was not found)`;
    return one(unresolvedTarget(ctxName, ctxSource, why, [ctxName, ...overrideIds]));
  }
  const clusterName = sel.cluster?.value || context?.cluster;
  const cluster = clusterName !== undefined ? model.clusters.get(clusterName) : undefined;
  if (sel.cluster?.value && !cluster) {
    const why = `cluster "${sel.cluster.value}" is not defined in the kubeconfig (kubectl stops: no server found)`;
    const ids = [ctxName ?? '', ...overrideIds];
    return one(unresolvedTarget(ctxName ?? sel.cluster.value, sel.cluster.source, why, ids));
  }
  const userName = sel.user?.value || context?.user;
  if (sel.user?.value && !model.users.has(sel.user.value)) {
    const why = `user "${sel.user.value}" is not defined in the kubeconfig (kubectl stops: auth info does not exist)`;
    return one(unresolvedTarget(ctxName ?? sel.user.value, sel.user.source, why, [ctxName ?? '', ...overrideIds]));
  }
  const server = flagServer ?? (cluster?.server ? safeServer(cluster.server) : undefined);
  const namespace = sel.namespace?.value || context?.namespace || 'default';
  const ownCluster = context?.cluster ? model.clusters.get(context.cluster) : undefined;
  const ownServer = ownCluster?.server ? safeServer(ownCluster.server) : undefined;
  const details: Record<string, string> = {};
  if (clusterName) details.cluster = clusterName;
  if (server) details.server = server;
  if (userName) details.user = userName;
  details.namespace = namespace;
  if (context) details.kubeconfig = `${context.file}:${context.line}`;
  const serverOverride = !!flagServer && flagServer !== ownServer;
  const clusterOverride = !!sel.cluster?.value && sel.cluster.value !== context?.cluster;
  const identifiers = [
    ctxName, context?.cluster, ownServer,
    ...(context && (serverOverride || clusterOverride) ? [] : [clusterName, server]),
  ].filter((x, i, a): x is string => !!x && a.indexOf(x) === i);
  const name = ctxName ?? server ?? clusterName ?? 'kubectl';
  // The context's entry in its file, unless a flag or the environment chose the context.
  const origin = context && !sel.context?.value ? { source: context.file, line: context.line } : { source: ctxSource };
  // The user and the namespace may raise the environment (`-n prod` on a shared cluster) but, as a target of their
  // own under the same name, a rule that matches them cannot lower the cluster's classification.
  const aspects = [userName, namespace].filter((x): x is string => !!x && !identifiers.includes(x));
  const aspect: GuardTarget[] = aspects.length
    ? [{ kind: 'kubernetes', name, identifiers: aspects, details, ...origin }] : [];
  if (!server) {
    const why = clusterName
      ? `cluster "${clusterName}" has no server in the kubeconfig (kubectl stops or falls back to localhost:8080)`
      : `context "${ctxName}" names no cluster (kubectl would fall back to localhost:8080)`;
    const ids = [...identifiers, ...aspects];
    return one({ kind: 'kubernetes', name, identifiers: ids, details, ...origin, unresolved: why });
  }
  const targets: GuardTarget[] = [{ kind: 'kubernetes', name, identifiers, details, ...origin }];
  if (context && serverOverride && sel.server) {
    targets.push({
      kind: 'kubernetes', name: flagServer!, identifiers: [flagServer!], details: { ...details, server: flagServer! },
      source: sel.server.source,
    });
  } else if (context && clusterOverride && sel.cluster) {
    const ids = [sel.cluster.value, ...(cluster?.server ? [safeServer(cluster.server)] : [])];
    targets.push({
      kind: 'kubernetes', name: sel.cluster.value, identifiers: ids, details, source: sel.cluster.source,
    });
  }
  targets.push(...aspect);
  return { targets, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// kuberc (kubectl ≥ 1.33 with KUBECTL_KUBERC=true, on by default from 1.34): aliases and per-command defaults.

/** A kuberc option default: `--name=default` unless the user gave the flag. */
export interface KubercOption {
  readonly name: string;
  readonly default: string;
}

/** A kuberc alias: `kubectl NAME …` runs COMMAND with prepended/appended arguments and default options. */
export interface KubercAlias {
  readonly name: string;
  readonly command: string;
  readonly prependArgs: readonly string[];
  readonly appendArgs: readonly string[];
  readonly options: readonly KubercOption[];
}

/** The preferences of one kuberc document that some kubectl release uses. */
export interface Kuberc {
  readonly file: string;
  /** 1-based document number in the file, and its apiVersion (for messages). */
  readonly doc: number;
  readonly version: string;
  readonly aliases: readonly KubercAlias[];
  readonly defaults: ReadonlyArray<{ readonly command: string; readonly options: readonly KubercOption[] }>;
}

/** The shape kubectl decodes a Preference into: a string, a list of strings, or a list of objects with fields. */
type Shape = 'string' | 'strings' | { readonly list: Readonly<Record<string, Shape>> };

const OPTION: Shape = { list: { name: 'string', default: 'string' } };
const ALIAS = { name: 'string', command: 'string', prependArgs: 'strings', appendArgs: 'strings' } as const;
const GROUP = 'kubectl.config.k8s.io';

/** The fields of each Preference version kubectl knows (unknown fields are ignored, a wrong type fails). */
const PREFERENCE_FIELDS: Readonly<Record<string, Readonly<Record<string, Shape>>>> = {
  v1alpha1: {
    apiVersion: 'string', kind: 'string', overrides: { list: { command: 'string', flags: OPTION } },
    aliases: { list: { ...ALIAS, flags: OPTION } },
  },
  v1beta1: {
    apiVersion: 'string', kind: 'string', defaults: { list: { command: 'string', options: OPTION } },
    aliases: { list: { ...ALIAS, options: OPTION } }, credentialPluginPolicy: 'string',
    credentialPluginAllowlist: { list: { name: 'string' } },
  },
};

function isNull(n: unknown): boolean {
  return n === null || n === undefined || (isScalar(n) && n.value === null);
}

/** Whether a node decodes into a shape as Go's JSON decoder does (YAML numbers and booleans are not strings). */
function fits(node: unknown, shape: Shape): boolean {
  const n = deref(node);
  if (isNull(n)) return true; // null decodes to the zero value
  if (shape === 'string') return isScalar(n) && typeof n.value === 'string';
  if (!isSeq(n)) return false;
  if (shape === 'strings') return n.items.every((i) => fits(i, 'string'));
  return n.items.every((i) => fitsObject(i, shape.list));
}

function fitsObject(node: unknown, fields: Readonly<Record<string, Shape>>): boolean {
  if (isNull(deref(node))) return true;
  const pairs = lastPairs(node);
  if (!pairs) return false;
  for (const [k, p] of pairs) if (fields[k] && !fits(p.value, fields[k])) return false;
  return true;
}

function str(node: unknown): string {
  const n = deref(node);
  return isScalar(n) && typeof n.value === 'string' ? n.value : '';
}

function items(node: unknown): unknown[] {
  const n = deref(node);
  return isSeq(n) ? n.items : [];
}

function optionList(node: unknown): KubercOption[] {
  return items(node).map((i) => lastPairs(i)).filter((f) => f !== undefined)
    .map((f) => ({ name: str(f.get('name')?.value), default: str(f.get('default')?.value) }))
    .filter((o) => o.name !== '');
}

/** One kuberc document as kubectl decodes it, or why kubectl skips it (not a valid Preference). */
function decodePreference(text: string, file: string, doc: number): Kuberc | string {
  const parsed = parseDocument(text, { uniqueKeys: false, version: '1.1', merge: true });
  if (parsed.errors.length > 0) return `invalid YAML: ${parsed.errors[0].message.split('\n')[0]}`;
  try {
    return withDocument(parsed, () => readPreference(parsed, file, doc));
  } catch (e) {
    // An anchor that contains itself or a bad merge key fails this document's decoding: kubectl skips it.
    if (e instanceof KubeconfigError && !(e instanceof TooComplexError)) return e.message;
    throw e;
  }
}

function readPreference(parsed: Document, file: string, doc: number): Kuberc | string {
  const top = lastPairs(parsed.contents);
  if (!top) return 'not a mapping';
  const apiVersion = str(top.get('apiVersion')?.value);
  const version = apiVersion.startsWith(`${GROUP}/`) ? apiVersion.slice(GROUP.length + 1) : '';
  const fields = PREFERENCE_FIELDS[version];
  if (!fields || str(top.get('kind')?.value) !== 'Preference') return 'not a Preference of a known apiVersion';
  if (!fitsObject(parsed.contents, fields)) return 'a field has the wrong type';
  const beta = version === 'v1beta1';
  const aliases: KubercAlias[] = [];
  for (const f of items(top.get('aliases')?.value).map((i) => lastPairs(i))) {
    const name = str(f?.get('name')?.value);
    const command = str(f?.get('command')?.value);
    if (!f || name === '' || command === '') continue;
    aliases.push({
      name, command, prependArgs: items(f.get('prependArgs')?.value).map(str),
      appendArgs: items(f.get('appendArgs')?.value).map(str),
      options: optionList(f.get(beta ? 'options' : 'flags')?.value),
    });
  }
  const defaults: Array<{ command: string; options: KubercOption[] }> = [];
  for (const f of items(top.get(beta ? 'defaults' : 'overrides')?.value).map((i) => lastPairs(i))) {
    const command = str(f?.get('command')?.value);
    if (f && command !== '') defaults.push({ command, options: optionList(f.get(beta ? 'options' : 'flags')?.value) });
  }
  return { file, doc, version, aliases, defaults };
}

/**
 * Splits a kuberc into documents as apimachinery's YAMLReader does: a line starting with `---` ends a document;
 * anything but a comment after it on the line is a fatal error (kubectl then ignores the whole file).
 */
function kubercDocuments(text: string): string[] {
  const docs: string[] = [];
  let cur: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) throw new Error(`invalid document separator: ${rest.slice(0, 40)}`);
      if (cur.length) docs.push(cur.join(''));
      cur = [];
      continue;
    }
    cur.push(line);
  }
  if (cur.length) docs.push(cur.join(''));
  return docs.filter((d) => d.trim() !== '');
}

/**
 * Parses a kuberc as kubectl does: each document on its own, skipping those that are not a valid Preference of
 * a known version. kubectl uses one document, and which one depends on its release: 1.33 knows only v1alpha1 and
 * takes the first valid one; the release that added v1beta1 prefers the first v1beta1 document, else the last
 * v1alpha1 one; later ones take the first valid document. Every document one of them would use is returned (each
 * is a reading of its own), and why the others were skipped. Throws on a separator kubectl refuses and on
 * documents too complex to check.
 */
export function parseKuberc(text: string, file: string): { kubercs: Kuberc[]; skipped: string[] } {
  const decoded = kubercDocuments(text).map((d, i) => decodePreference(d, file, i + 1));
  const valid = decoded.filter((k): k is Kuberc => typeof k !== 'string');
  const skipped = decoded.map((k, i) => (typeof k === 'string' ? `document ${i + 1}: ${k}` : ''))
    .filter((x) => x !== '');
  const alpha = valid.filter((k) => k.version === 'v1alpha1');
  const picks = [alpha[0], valid[0], valid.find((k) => k.version === 'v1beta1') ?? alpha[alpha.length - 1]];
  return { kubercs: valid.filter((k) => picks.includes(k)), skipped };
}

/** Where kubectl may read a kuberc from; `explicit` when `--kuberc` names it. */
export function kubercCandidates(flag: string | undefined, ctx: ToolContext): {
  files: string[]; explicit: boolean; disabled: boolean;
} {
  const gate = ctx.env.KUBECTL_KUBERC;
  // kubectl's feature gate is off only for the word `false` (any case); KUBERC=off turns kuberc off.
  if (ctx.env.KUBERC === 'off' || gate?.toLowerCase() === 'false') {
    return { files: [], explicit: false, disabled: true };
  }
  if (flag) return { files: [path.resolve(ctx.cwd, flag)], explicit: true, disabled: false };
  const home = path.join(ctx.home, '.kube', 'kuberc');
  // The docs name KUBERC; kubectl 1.33 reads only ~/.kube/kuberc without --kuberc. Either may be in force.
  const env = ctx.env.KUBERC ? path.resolve(ctx.cwd, ctx.env.KUBERC) : undefined;
  return { files: env && env !== home ? [env, home] : [home], explicit: false, disabled: false };
}

/**
 * Reads the kuberc files that exist; a file the guard cannot check is reported (`tooLarge` makes it unresolved).
 * Their parse cost counts against the command's budget (`cache`), which the kubeconfig files share.
 */
export function loadKubercs(files: readonly string[], fs: Files, cache: KubeCache = newKubeCache()): {
  kubercs: Kuberc[]; problems: Problem[]; tooLarge?: string;
} {
  const kubercs: Kuberc[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const r = fs.readText(file, 4 * 1024 * 1024);
    if (!r.ok) {
      if (r.missing) continue;
      problems.push({ source: file, message: `kuberc ${r.message}` });
      if (/larger than/.test(r.message)) return { kubercs, problems, tooLarge: `${file}: kuberc too large to check` };
      continue;
    }
    const cost = expectedParseMs(r.text);
    if (roughItems(r.text) > 20_000 || cache.spentMs + cost > KUBECONFIG_BUDGET_MS / 2) {
      return { kubercs, problems, tooLarge: `${file}: kuberc too large to check` };
    }
    cache.spentMs += cost;
    try {
      const parsed = parseKuberc(r.text, file);
      kubercs.push(...parsed.kubercs);
      if (parsed.kubercs.length === 0 && parsed.skipped.length > 0) {
        const why = parsed.skipped.join('; ');
        problems.push({ source: file, message: `kuberc has no valid Preference (${why}); kubectl ignores it` });
      }
    } catch (e) {
      // The guard cannot tell which preferences kubectl would use: the command is read as the worse case.
      if (e instanceof TooComplexError) return { kubercs, problems, tooLarge: `${file}: kuberc ${e.message}` };
      // kubectl warns and runs without preferences when its kuberc does not parse.
      problems.push({ source: file, message: `kuberc ${(e as Error).message}; kubectl ignores it` });
    }
  }
  return { kubercs, problems };
}
