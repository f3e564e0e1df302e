// Where a kubectl, oc or helm command goes, resolved the way client-go's clientcmd resolves it: the kubeconfig
// list (`--kubeconfig`, else `KUBECONFIG` merged first-wins, else ~/.kube/config), the context (flag, else
// current-context), then the overrides `--cluster`, `--user`, `--server` and `--namespace`. Where kubectl would
// stop with an error, or where the guard cannot read what kubectl reads, the target is `unresolved` (it asks
// when the command writes). Behaviour checked against kubectl 1.32/1.33: test/system/kubectl-grammar.test.ts.
import * as path from 'path';
import {
  isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document, type Node, type Pair,
} from 'yaml';
import type { Files } from '../../files';
import type { Problem } from '../../types';
import type { GuardTarget, ToolContext } from '../types';

/** Bytes of kubeconfig the guard parses within its time budget (long base64 lines are cheap). */
export const KUBECONFIG_MAX_BYTES = 16 * 1024 * 1024;
/**
 * YAML nodes cost ~9 µs each: beyond this many lines and flow separators a kubeconfig could take more than the
 * 2 s budget (a 4 MB list of one-letter items takes 8 s), so it is "too large to check".
 */
export const KUBECONFIG_MAX_ITEMS = 80_000;
/** Milliseconds the kubeconfig files may take together before the rest is "too large to check". */
const KUBECONFIG_BUDGET_MS = 1200;

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

/** The document whose aliases are being resolved (set while one document is read). */
let currentDoc: Document | undefined;

/** A node with aliases (`*name`) resolved against the document being read. */
function deref(node: unknown): unknown {
  let n = node;
  for (let i = 0; i < 8 && isAlias(n) && currentDoc; i++) n = n.resolve(currentDoc);
  return isAlias(n) ? undefined : n;
}

/**
 * The pairs of a mapping by key, as go-yaml (YAML 1.1) builds them: `<<` merge keys first (earlier sources
 * win), then the explicit keys, the last of duplicate keys winning.
 */
function lastPairs(node: unknown, depth = 0): Map<string, Pair> | undefined {
  const map = deref(node);
  if (!isMap(map) || depth > 16) return undefined;
  const m = new Map<string, Pair>();
  const isMerge = (k: unknown): boolean =>
    isScalar(k) && (typeof k.value === 'symbol' || (k.value === '<<' && k.type === 'PLAIN'));
  for (const p of map.items) {
    if (!isMerge(p.key)) continue;
    const v = deref(p.value);
    const sources = isSeq(v) ? v.items : [v];
    for (const src of [...sources].reverse()) for (const [k, sp] of lastPairs(src, depth + 1) ?? []) m.set(k, sp);
  }
  for (const p of map.items) {
    const k = isScalar(p.key) ? p.key.value : undefined;
    if (typeof k === 'string' && !isMerge(p.key)) m.set(k, p as Pair);
  }
  return m;
}

class KubeconfigError extends Error {}

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
  const out: FileContent = { contexts: new Map(), clusters: new Map(), users: new Map() };
  currentDoc = doc;
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

/**
 * Loads and merges the kubeconfig list: the first file that sets current-context wins, the first definition of a
 * name wins. A missing file is skipped (an explicit `--kubeconfig` must exist); any other trouble is a failure.
 */
export function loadKubeconfigs(paths: readonly string[], explicit: boolean, files: Files): KubeModel {
  const contexts = new Map<string, KubeEntry>();
  const clusters = new Map<string, KubeEntry>();
  const users = new Map<string, KubeEntry>();
  const problems: Problem[] = [];
  let current: KubeModel['current'];
  let anyFile = false;
  let items = 0;
  const started = Date.now();
  const fail = (source: string, message: string): KubeModel => {
    problems.push({ source, message });
    const failure = `${source}: ${message}`;
    return { paths, current, contexts, clusters, users, failure, failureSource: source, anyFile: true, problems };
  };
  for (const file of paths) {
    const r = files.readText(file, KUBECONFIG_MAX_BYTES);
    if (!r.ok) {
      if (r.missing && !explicit) continue;
      if (r.missing) return fail(file, 'kubeconfig does not exist (kubectl stops here)');
      const large = /larger than/.test(r.message);
      return fail(file, large ? `kubeconfig too large to check: ${r.message}` : `kubeconfig ${r.message}`);
    }
    anyFile = true;
    items += roughItems(r.text);
    if (items > KUBECONFIG_MAX_ITEMS) {
      return fail(file, `kubeconfig too large to check (over ${KUBECONFIG_MAX_ITEMS} lines within the time budget)`);
    }
    if (Date.now() - started > KUBECONFIG_BUDGET_MS) {
      return fail(file, 'kubeconfig too large to check within the time budget');
    }
    let content: FileContent;
    try {
      content = readKubeconfigText(r.text, file);
    } catch (e) {
      const message = e instanceof KubeconfigError ? e.message : `cannot be read (${(e as Error).message})`;
      return fail(file, `kubeconfig ${message} (kubectl refuses it too)`);
    }
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
export function resolveKube(sel: KubeSelection, ctx: ToolContext, cache?: Map<string, KubeModel>): {
  targets: GuardTarget[]; problems: Problem[];
} {
  const list = kubeconfigList(sel.kubeconfig?.value, ctx);
  const where = list.paths.join(path.delimiter);
  // One command may be read several ways (kuberc, unknown flags): its kubeconfig files are parsed once.
  const key = `${list.explicit}\u0000${where}`;
  const model = cache?.get(key) ?? loadKubeconfigs(list.paths, list.explicit, ctx.files);
  cache?.set(key, model);
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

/** A kuberc file's preferences, merged over its documents. */
export interface Kuberc {
  readonly file: string;
  readonly aliases: readonly KubercAlias[];
  readonly defaults: ReadonlyArray<{ readonly command: string; readonly options: readonly KubercOption[] }>;
}

function strList(node: unknown): string[] {
  if (!isSeq(node)) return [];
  return node.items.map((i) => (isScalar(i) && i.value !== null ? String(i.value) : '')).filter((s) => s !== '');
}

function optionList(node: unknown): KubercOption[] {
  if (!isSeq(node)) return [];
  const out: KubercOption[] = [];
  for (const item of node.items) {
    const f = lastPairs(item);
    const name = f?.get('name')?.value;
    const def = f?.get('default')?.value;
    if (isScalar(name) && typeof name.value === 'string' && isScalar(def) && def.value !== null) {
      out.push({ name: name.value, default: String(def.value) });
    }
  }
  return out;
}

/** An entry's option defaults: `options` (v1beta1) and `flags` (v1alpha1). */
function options(f: Map<string, Pair>): KubercOption[] {
  return [...optionList(f.get('options')?.value), ...optionList(f.get('flags')?.value)];
}

/** Parses a kuberc text (v1alpha1 `overrides`/`flags` or v1beta1 `defaults`/`options`). Throws on bad YAML. */
export function parseKuberc(text: string, file: string): Kuberc {
  const aliases: KubercAlias[] = [];
  const defaults: Array<{ command: string; options: KubercOption[] }> = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: false, version: '1.1', merge: true })) {
    if ('errors' in doc && doc.errors.length > 0) {
      throw new Error(`invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    }
    currentDoc = doc as Document;
    const top = lastPairs(doc.contents);
    if (!top) continue;
    const kind = top.get('kind')?.value;
    if (!isScalar(kind) || kind.value !== 'Preference') continue;
    const aliasSeq = top.get('aliases')?.value;
    if (isSeq(aliasSeq)) {
      for (const item of aliasSeq.items) {
        const f = lastPairs(item);
        const name = f?.get('name')?.value;
        const command = f?.get('command')?.value;
        const text = (n: unknown): n is { value: string } => isScalar(n) && typeof n.value === 'string';
        if (!text(name) || !text(command)) continue;
        aliases.push({
          name: name.value, command: command.value, prependArgs: strList(f!.get('prependArgs')?.value),
          appendArgs: strList(f!.get('appendArgs')?.value), options: options(f!),
        });
      }
    }
    for (const key of ['defaults', 'overrides']) {
      const seq = top.get(key)?.value;
      if (!isSeq(seq)) continue;
      for (const item of seq.items) {
        const f = lastPairs(item);
        const command = f?.get('command')?.value;
        if (!isScalar(command) || typeof command.value !== 'string') continue;
        defaults.push({ command: command.value, options: options(f!) });
      }
    }
  }
  return { file, aliases, defaults };
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

/** Reads the kuberc files that exist; a file the guard cannot check is reported (`tooLarge` makes it unresolved). */
export function loadKubercs(files: readonly string[], fs: Files): {
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
    if (roughItems(r.text) > 20_000) return { kubercs, problems, tooLarge: `${file}: kuberc too large to check` };
    try {
      kubercs.push(parseKuberc(r.text, file));
    } catch (e) {
      // kubectl warns and runs without preferences when its kuberc does not parse.
      problems.push({ source: file, message: `kuberc ${(e as Error).message}; kubectl ignores it` });
    }
  }
  return { kubercs, problems };
}
