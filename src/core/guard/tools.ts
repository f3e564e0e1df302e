import * as path from 'path';
import { activeAwsProfile, awsPaths, detectAws } from '../aws';
import { parseConnectionString } from '../connection';
import type { Files } from '../files';
import { describeContext, kubeconfigPaths, mergeKubeconfigs } from '../kube';
import type { Problem, SignalKind } from '../types';
import { type FlagSpec, flagValue, flagValues, hasFlag, type ParsedArgs, parseArgs } from './argv';
import { analyzeSql } from './sql';

/** What a guarded command points at, classified like a detection signal. */
export interface GuardTarget {
  readonly kind: SignalKind;
  readonly name: string;
  readonly identifiers: readonly string[];
  readonly details: Readonly<Record<string, string>>;
  /** Where the target came from: `--context flag`, a file, `env:PGHOST`. */
  readonly source: string;
}

/** What one tool's analyzer found. */
export interface ToolAnalysis {
  /** What makes the command destructive (`kubectl delete`), absent when it is not. */
  readonly destructive?: string;
  readonly target?: GuardTarget;
  readonly problems: readonly Problem[];
}

/** Everything an analyzer may look at: the command's own environment, never the extension host's. */
export interface ToolContext {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly cwd: string;
  readonly files: Files;
  /** SQL the command will read from stdin (the caller buffers it when stdin is not a terminal). */
  readonly stdin?: string;
}

/** Destructive verbs per tool, as data (`rollout restart` is a two-word verb). */
export const DESTRUCTIVE: Readonly<Record<string, readonly string[]>> = {
  kubectl: ['delete', 'apply', 'create', 'replace', 'patch', 'edit', 'scale', 'autoscale', 'rollout restart', 'rollout undo', 'drain',
    'cordon', 'uncordon', 'taint', 'label', 'annotate', 'set', 'exec', 'cp', 'run', 'debug'],
  helm: ['install', 'upgrade', 'rollback', 'uninstall', 'delete', 'del', 'un'],
  terraform: ['apply', 'destroy', 'import', 'taint', 'untaint', 'state rm', 'state mv', 'state push', 'force-unlock', 'workspace delete'],
  aws: ['s3 rm', 's3 rb'],
  'redis-cli': ['flushall', 'flushdb', 'del', 'unlink', 'shutdown', 'swapdb', 'config set'],
};

/** Verbs kubectl knows, so a stray flag value is not mistaken for the verb. */
const KUBECTL_VERBS = new Set([...DESTRUCTIVE.kubectl.map((v) => v.split(' ')[0]), 'get', 'describe', 'logs', 'top', 'diff', 'explain',
  'api-resources', 'api-versions', 'cluster-info', 'config', 'version', 'auth', 'port-forward', 'proxy', 'wait', 'events', 'attach',
  'certificate', 'kustomize', 'plugin', 'completion', 'options', 'expose', 'rollout']);

const KUBE_FLAGS: FlagSpec = {
  long: new Set(['context', 'kubeconfig', 'namespace', 'cluster', 'user', 'server', 'token', 'as', 'as-group', 'as-uid', 'certificate-authority',
    'client-certificate', 'client-key', 'cache-dir', 'log-file', 'request-timeout', 'tls-server-name', 'username', 'password', 'v', 'vmodule',
    'profile', 'profile-output', 'filename', 'selector', 'output', 'field-selector', 'container', 'type', 'patch', 'replicas', 'image',
    'port', 'grace-period', 'timeout', 'for', 'kube-context', 'kube-apiserver', 'kube-token', 'kube-as-user', 'values', 'set', 'set-string',
    'set-file', 'version', 'repo', 'revision', 'template', 'sort-by', 'label-columns', 'show-kind', 'chunk-size', 'subresource', 'kustomize',
    'field-manager', 'overrides', 'env', 'limits', 'requests', 'labels', 'max', 'min', 'cpu-percent', 'pod-running-timeout', 'to-revision',
    'description', 'history-max', 'post-renderer', 'wait-for-jobs']),
  short: new Set(['n', 'f', 'l', 'o', 'c', 'p', 's', 'k', 'i']),
};

/** The verb: the first positional that is a known verb (kubectl), else the first positional. */
function verbPath(parsed: ParsedArgs, known?: ReadonlySet<string>): string[] {
  const pos = parsed.positionals;
  const start = known ? Math.max(0, pos.findIndex((p) => known.has(p))) : 0;
  return pos.slice(start, start + 2);
}

function matchVerb(words: readonly string[], table: readonly string[]): string | undefined {
  return table.find((v) => {
    const parts = v.split(' ');
    return parts.every((p, i) => (words[i] ?? '').toLowerCase() === p);
  });
}

function isDryRun(parsed: ParsedArgs): boolean {
  const v = flagValue(parsed, 'dry-run');
  return v !== undefined && v !== 'none' && v !== 'false';
}

function kubeTarget(parsed: ParsedArgs, ctx: ToolContext, contextFlag: string): { target?: GuardTarget; problems: Problem[] } {
  const kubeconfig = flagValue(parsed, 'kubeconfig');
  const paths = kubeconfig ? [path.resolve(ctx.cwd, kubeconfig)] : kubeconfigPaths(ctx.env, ctx.home);
  const merged = mergeKubeconfigs(paths, ctx.files);
  const explicit = flagValue(parsed, contextFlag);
  const name = explicit || merged.current?.name;
  if (!name) return { problems: [...merged.problems, { source: paths.join(path.delimiter), message: 'no current-context and no --context: target unknown' }] };
  const namespace = flagValue(parsed, 'n', 'namespace');
  const { identifiers, details } = describeContext(merged, name, namespace);
  return {
    target: {
      kind: 'kubernetes', name, identifiers: [...identifiers, ...(namespace ? [namespace] : [])], details,
      source: explicit ? `--${contextFlag} flag` : merged.current!.file,
    },
    problems: [...merged.problems],
  };
}

function analyzeKubectl(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const parsed = parseArgs(argv, KUBE_FLAGS);
  const verb = matchVerb(verbPath(parsed, KUBECTL_VERBS), DESTRUCTIVE.kubectl);
  const { target, problems } = kubeTarget(parsed, ctx, 'context');
  return { destructive: verb && !isDryRun(parsed) ? `kubectl ${verb}` : undefined, target, problems };
}

function analyzeHelm(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const parsed = parseArgs(argv, KUBE_FLAGS);
  const verb = matchVerb(verbPath(parsed), DESTRUCTIVE.helm);
  const { target, problems } = kubeTarget(parsed, ctx, 'kube-context');
  return { destructive: verb && !isDryRun(parsed) ? `helm ${verb}` : undefined, target, problems };
}

const AWS_FLAGS: FlagSpec = {
  long: new Set(['profile', 'region', 'output', 'endpoint-url', 'query', 'cli-input-json', 'cli-input-yaml', 'ca-bundle', 'color',
    'cli-read-timeout', 'cli-connect-timeout', 'cli-binary-format', 'bucket', 'key', 'instance-ids', 'stack-name', 'function-name',
    'table-name', 'role-name', 'policy-name', 'policy-document', 'policy', 'user-name', 'group-name', 'db-instance-identifier',
    'cluster-name', 'name', 'id', 'include', 'exclude', 'acl', 'storage-class']),
  short: new Set([]),
};

function analyzeAws(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const parsed = parseArgs(argv, AWS_FLAGS);
  const [service = '', op = ''] = parsed.positionals.map((p) => p.toLowerCase());
  let destructive: string | undefined;
  if (/^(delete|terminate|remove|deregister)-/.test(op) || /^put-.*polic(y|ies)$/.test(op)) destructive = `aws ${service} ${op}`;
  else if (matchVerb([service, op], DESTRUCTIVE.aws)) destructive = `aws ${service} ${op}`;
  else if (service === 's3' && op === 'sync' && hasFlag(parsed, 'delete')) destructive = 'aws s3 sync --delete';
  if (destructive && (hasFlag(parsed, 'dry-run') || hasFlag(parsed, 'dryrun'))) destructive = undefined;
  const profileFlag = flagValue(parsed, 'profile');
  const env = profileFlag ? { ...ctx.env, AWS_PROFILE: profileFlag } : ctx.env;
  const r = detectAws(env, ctx.home, ctx.files);
  const s = r.signals[0];
  const profile = activeAwsProfile(env);
  const target: GuardTarget = s
    ? { kind: 'aws', name: s.name, identifiers: s.identifiers, details: s.details, source: profileFlag ? '--profile flag' : s.source }
    : { kind: 'aws', name: profile.name, identifiers: [profile.name], details: {}, source: awsPaths(env, ctx.home).config };
  return { destructive, target, problems: r.problems };
}

const TF_FLAGS: FlagSpec = { long: new Set(['chdir', 'var', 'var-file', 'target', 'state', 'state-out', 'backup', 'lock-timeout', 'parallelism', 'replace', 'out']), short: new Set([]), singleDashLong: true };

function analyzeTerraform(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const parsed = parseArgs(argv, TF_FLAGS);
  const words = parsed.positionals.map((p) => p.toLowerCase());
  // `plan -destroy` only plans: `plan` is not in the table, so it stays free.
  const verb = matchVerb(words, DESTRUCTIVE.terraform);
  const dir = path.resolve(ctx.cwd, flagValue(parsed, 'chdir') ?? '.');
  let workspace = ctx.env.TF_WORKSPACE?.trim();
  let source = 'env:TF_WORKSPACE';
  if (!workspace) {
    const envFile = path.join(dir, '.terraform', 'environment');
    const r = ctx.files.readText(envFile, 4096);
    workspace = r.ok ? r.text.trim() || 'default' : 'default';
    source = r.ok ? envFile : dir;
  }
  const base = path.basename(dir);
  return {
    destructive: verb ? `terraform ${verb}` : undefined,
    target: { kind: 'terraform', name: workspace, identifiers: [workspace, base], details: { directory: dir }, source },
    problems: [],
  };
}

/** A database target named `host/database` (or `host`), classified by both. */
function dbTarget(host: string, database: string | undefined, source: string): GuardTarget {
  return { kind: 'database', name: database ? `${host}/${database}` : host, identifiers: [host, ...(database ? [database] : [])], details: {}, source };
}

/** psql-style connection target: URL or conninfo in the dbname, -h, then PG* variables; no host means the local socket. */
function pgTarget(parsed: ParsedArgs, ctx: ToolContext, dbPositional: string | undefined): GuardTarget {
  const dbArg = flagValue(parsed, 'd', 'dbname') ?? dbPositional;
  let host = flagValue(parsed, 'h', 'host');
  let database: string | undefined;
  let source = host ? '-h flag' : '';
  if (dbArg) {
    const url = parseConnectionString(dbArg);
    if (url) {
      host ??= url.host;
      database = url.database;
      source ||= 'connection URL argument';
    } else if (/\w+\s*=/.test(dbArg)) {
      const kv = Object.fromEntries([...dbArg.matchAll(/(\w+)\s*=\s*('[^']*'|\S+)/g)].map((m) => [m[1].toLowerCase(), m[2].replace(/^'|'$/g, '')]));
      host ??= kv.host ?? kv.hostaddr;
      database = kv.dbname;
      source ||= 'connection string argument';
    } else {
      database = dbArg;
    }
  }
  if (!host && ctx.env.PGHOST) {
    host = ctx.env.PGHOST;
    source = 'env:PGHOST';
  }
  database ??= ctx.env.PGDATABASE || flagValue(parsed, 'U', 'username') || ctx.env.PGUSER;
  host ||= 'localhost';
  source ||= 'default (local socket)';
  return dbTarget(host, database, source);
}

function sqlVerdict(texts: string[], label: string): string | undefined {
  const v = analyzeSql(texts.join(';\n'));
  return v.destructive ? `${label}: ${v.what}` : undefined;
}

const PSQL_FLAGS: FlagSpec = {
  long: new Set(['command', 'dbname', 'file', 'host', 'port', 'username', 'set', 'variable', 'output', 'log-file', 'field-separator',
    'record-separator', 'pset', 'table-attr', 'maintenance-db', 'role', 'format', 'jobs', 'schema', 'table', 'section']),
  short: new Set(['c', 'd', 'f', 'h', 'p', 'U', 'v', 'o', 'L', 'F', 'R', 'P', 'T', 'j', 'n', 't', 'N', 'S', 'I', 'e']),
};

/** Reads the SQL a psql-like command will run: -c values, -f files, or stdin. */
function sqlSources(parsed: ParsedArgs, ctx: ToolContext, commandFlags: string[], fileFlags: string[]): { texts: string[]; problems: Problem[] } {
  const texts = flagValues(parsed, ...commandFlags);
  const problems: Problem[] = [];
  for (const f of flagValues(parsed, ...fileFlags)) {
    if (f === '-') {
      if (ctx.stdin !== undefined) texts.push(ctx.stdin);
      continue;
    }
    const file = path.resolve(ctx.cwd, f);
    const r = ctx.files.readText(file, 16 * 1024 * 1024);
    if (r.ok) texts.push(r.text);
    else {
      problems.push({ source: file, message: `SQL file ${r.message}` });
      texts.push('\u0000unreadable'); // cannot know what it does: counts as unparseable
    }
  }
  if (commandFlags.every((c) => !hasFlag(parsed, c)) && fileFlags.every((c) => !hasFlag(parsed, c)) && ctx.stdin !== undefined) texts.push(ctx.stdin);
  return { texts, problems };
}

function analyzePsql(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const parsed = parseArgs(argv, PSQL_FLAGS);
  const { texts, problems } = sqlSources(parsed, ctx, ['c', 'command'], ['f', 'file']);
  return { destructive: texts.length ? sqlVerdict(texts, 'SQL') : undefined, target: pgTarget(parsed, ctx, parsed.positionals[0]), problems };
}

function analyzeDropdb(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const parsed = parseArgs(argv, PSQL_FLAGS);
  const db = parsed.positionals[0];
  const target = pgTarget({ ...parsed, flags: new Map([...parsed.flags].filter(([k]) => k !== 'd' && k !== 'dbname')) }, ctx, db);
  return { destructive: hasFlag(parsed, 'help', '?', 'V', 'version') ? undefined : 'dropdb', target: db ? dbTarget(target.identifiers[0], db, target.source) : target, problems: [] };
}

function analyzePgRestore(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const parsed = parseArgs(argv, PSQL_FLAGS);
  // Without -d, pg_restore only prints a script; with it, it writes into a database.
  const writes = hasFlag(parsed, 'd', 'dbname');
  return { destructive: writes ? `pg_restore${hasFlag(parsed, 'c', 'clean') ? ' --clean' : ''} into a database` : undefined, target: pgTarget(parsed, ctx, undefined), problems: [] };
}

const MYSQL_FLAGS: FlagSpec = {
  long: new Set(['host', 'user', 'database', 'execute', 'port', 'socket', 'defaults-file', 'protocol', 'ssl-ca', 'ssl-cert', 'ssl-key']),
  short: new Set(['h', 'u', 'D', 'e', 'P', 'S']),
};

function analyzeMysql(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const parsed = parseArgs(argv, MYSQL_FLAGS);
  const host = flagValue(parsed, 'h', 'host') ?? ctx.env.MYSQL_HOST ?? 'localhost';
  const db = flagValue(parsed, 'D', 'database') ?? parsed.positionals[0];
  const { texts, problems } = sqlSources(parsed, ctx, ['e', 'execute'], []);
  return {
    destructive: texts.length ? sqlVerdict(texts, 'SQL') : undefined,
    target: dbTarget(host, db, flagValue(parsed, 'h', 'host') ? '-h flag' : ctx.env.MYSQL_HOST ? 'env:MYSQL_HOST' : 'default'),
    problems,
  };
}

const MONGO_FLAGS: FlagSpec = { long: new Set(['host', 'port', 'eval', 'username', 'password', 'authenticationDatabase', 'file']), short: new Set(['u', 'p', 'f']) };
const MONGO_DESTRUCTIVE = /\.(drop|dropDatabase|deleteMany|deleteOne|remove|findOneAndDelete|updateMany|replaceOne|renameCollection|dropIndex|dropIndexes)\s*\(/;

function analyzeMongosh(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const parsed = parseArgs(argv, MONGO_FLAGS);
  const uriArg = parsed.positionals.find((p) => !p.endsWith('.js'));
  const info = uriArg ? parseConnectionString(uriArg) : undefined;
  const host = flagValue(parsed, 'host') ?? info?.host ?? (uriArg && !uriArg.includes('/') ? 'localhost' : uriArg?.split('/')[0]) ?? 'localhost';
  const db = info?.database ?? (uriArg && !info ? uriArg.split('/').pop() : undefined);
  const scripts = [...flagValues(parsed, 'eval')];
  for (const f of [...parsed.positionals.filter((p) => p.endsWith('.js')), ...flagValues(parsed, 'f', 'file')]) {
    const r = ctx.files.readText(path.resolve(ctx.cwd, f), 16 * 1024 * 1024);
    scripts.push(r.ok ? r.text : '.drop(/* unreadable script */)');
  }
  if (scripts.length === 0 && ctx.stdin !== undefined) scripts.push(ctx.stdin);
  const m = scripts.map((s) => MONGO_DESTRUCTIVE.exec(s)).find(Boolean);
  return { destructive: m ? `mongosh ${m[1]}()` : undefined, target: dbTarget(host, db, 'arguments'), problems: [] };
}

const REDIS_FLAGS: FlagSpec = { long: new Set(['user', 'pass', 'tls', 'cacert']), short: new Set(['h', 'p', 'a', 'u', 'n', 's', 'r', 'i']) };

function analyzeRedis(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const parsed = parseArgs(argv, REDIS_FLAGS);
  const url = flagValue(parsed, 'u');
  const info = url ? parseConnectionString(url) : undefined;
  const host = flagValue(parsed, 'h') ?? info?.host ?? 'localhost';
  const verb = matchVerb(parsed.positionals.map((p) => p.toLowerCase()), DESTRUCTIVE['redis-cli']);
  let destructive = verb ? `redis-cli ${verb}` : undefined;
  if (!destructive && parsed.positionals.length === 0 && ctx.stdin !== undefined) {
    const cmd = ctx.stdin.split(/\n/).map((l) => l.trim().split(/\s+/).map((w) => w.toLowerCase())).find((w) => matchVerb(w, DESTRUCTIVE['redis-cli']));
    if (cmd) destructive = `redis-cli ${matchVerb(cmd, DESTRUCTIVE['redis-cli'])}`;
  }
  return { destructive, target: dbTarget(host, undefined, url ? '-u flag' : flagValue(parsed, 'h') ? '-h flag' : 'default'), problems: [] };
}

/** The guarded tools and how each is read. */
export const ANALYZERS: Readonly<Record<string, (argv: readonly string[], ctx: ToolContext) => ToolAnalysis>> = {
  kubectl: analyzeKubectl,
  helm: analyzeHelm,
  aws: analyzeAws,
  terraform: analyzeTerraform,
  psql: analyzePsql,
  dropdb: analyzeDropdb,
  pg_restore: analyzePgRestore,
  mysql: analyzeMysql,
  mariadb: analyzeMysql,
  mongosh: analyzeMongosh,
  mongo: analyzeMongosh,
  'redis-cli': analyzeRedis,
};

/** Tools that may read SQL or commands from stdin, so the guard must see stdin first when it is not a terminal. */
export function readsStdin(tool: string, argv: readonly string[]): boolean {
  if (tool === 'psql') return !argv.some((a) => /^(-c|--command|-f|--file)(=|$)/.test(a) || /^-[cf]./.test(a)) || argv.includes('-');
  if (tool === 'mysql' || tool === 'mariadb') return !argv.some((a) => /^(-e|--execute)(=|$)/.test(a) || /^-e./.test(a));
  if (tool === 'mongosh' || tool === 'mongo') return !argv.some((a) => a === '--eval' || a.startsWith('--eval=') || a.endsWith('.js'));
  if (tool === 'redis-cli') return parseArgs(argv, REDIS_FLAGS).positionals.length === 0;
  return false;
}
