// redis-cli, read the way redis-cli 7.0's own `parseOptions` loop reads it: whole-argument comparisons in order,
// value flags take the next argument whatever it looks like, the first non-option is the command and everything
// after it (even `-h prod`) is sent to the server as the command's arguments. `--cluster` is the exception: its
// subcommand arguments are the non-dash words after it, and options keep being read after them.
// Commands are judged by Redis's own command table (redisCommands.ts, generated from a real redis-server).
import * as path from 'path';
import type { Problem } from '../../types';
import type { Grammar } from '../grammar';
import { type GuardTarget, type ShimFastPath, type StdinInput, type ToolAnalysis, type ToolContext,
  type ToolModule, type Verdict, type VerdictCode, verdict } from '../types';
import { REDIS_COMMANDS } from './redisCommands';

/** redis-cli 7.0.15's options, checked against the binary by test/system/redis-real.test.ts. */
export const REDIS_CLI_GRAMMAR: Grammar = {
  style: 'redis',
  stopAtPositional: true,
  flags: [
    { name: 'host', short: 'h', arg: 'required' },
    { name: 'port', short: 'p', arg: 'required' },
    { name: 'socket', short: 's', arg: 'required' },
    { name: 'pass', short: 'a', long: ['pass'], arg: 'required', secret: true },
    { name: 'user', long: ['user'], arg: 'required' },
    { name: 'askpass', long: ['askpass'], arg: 'none' },
    { name: 'uri', short: 'u', arg: 'required' },
    { name: 'repeat', short: 'r', arg: 'required' },
    { name: 'interval', short: 'i', arg: 'required' },
    { name: 'db', short: 'n', arg: 'required' },
    { name: 'resp2', short: '2', arg: 'none' },
    { name: 'resp3', short: '3', arg: 'none' },
    { name: 'stdin-last', short: 'x', arg: 'none' },
    { name: 'stdin-tag', short: 'X', arg: 'required' },
    { name: 'bulk-delimiter', short: 'd', arg: 'required' },
    { name: 'delimiter', short: 'D', arg: 'required' },
    { name: 'cluster-mode', short: 'c', arg: 'none' },
    { name: 'errcode', short: 'e', arg: 'none' },
    { name: 'version', short: 'v', long: ['version'], arg: 'none' },
    { name: 'help', long: ['help'], arg: 'none' },
    { name: 'tls', long: ['tls'], arg: 'none' },
    { name: 'sni', long: ['sni'], arg: 'required' },
    { name: 'cacert', long: ['cacert'], arg: 'required' },
    { name: 'cacertdir', long: ['cacertdir'], arg: 'required' },
    { name: 'insecure', long: ['insecure'], arg: 'none' },
    { name: 'cert', long: ['cert'], arg: 'required' },
    { name: 'key', long: ['key'], arg: 'required' },
    { name: 'tls-ciphers', long: ['tls-ciphers'], arg: 'required' },
    { name: 'tls-ciphersuites', long: ['tls-ciphersuites'], arg: 'required' },
    { name: 'raw', long: ['raw'], arg: 'none' },
    { name: 'no-raw', long: ['no-raw'], arg: 'none' },
    { name: 'quoted-input', long: ['quoted-input'], arg: 'none' },
    { name: 'csv', long: ['csv'], arg: 'none' },
    { name: 'json', long: ['json'], arg: 'none' },
    { name: 'quoted-json', long: ['quoted-json'], arg: 'none' },
    { name: 'show-pushes', long: ['show-pushes'], arg: 'required' },
    { name: 'stat', long: ['stat'], arg: 'none' },
    { name: 'latency', long: ['latency'], arg: 'none' },
    { name: 'latency-history', long: ['latency-history'], arg: 'none' },
    { name: 'latency-dist', long: ['latency-dist'], arg: 'none' },
    { name: 'mono', long: ['mono'], arg: 'none' },
    { name: 'lru-test', long: ['lru-test'], arg: 'required' },
    { name: 'replica', long: ['replica', 'slave'], arg: 'none' },
    { name: 'rdb', long: ['rdb'], arg: 'required' },
    { name: 'functions-rdb', long: ['functions-rdb'], arg: 'required' },
    { name: 'pipe', long: ['pipe'], arg: 'none' },
    { name: 'pipe-timeout', long: ['pipe-timeout'], arg: 'required' },
    { name: 'bigkeys', long: ['bigkeys'], arg: 'none' },
    { name: 'memkeys', long: ['memkeys'], arg: 'none' },
    { name: 'memkeys-samples', long: ['memkeys-samples'], arg: 'required' },
    { name: 'hotkeys', long: ['hotkeys'], arg: 'none' },
    { name: 'scan', long: ['scan'], arg: 'none' },
    { name: 'pattern', long: ['pattern'], arg: 'required' },
    { name: 'quoted-pattern', long: ['quoted-pattern'], arg: 'required' },
    { name: 'intrinsic-latency', long: ['intrinsic-latency'], arg: 'required' },
    { name: 'eval', long: ['eval'], arg: 'required' },
    { name: 'ldb', long: ['ldb'], arg: 'none' },
    { name: 'ldb-sync-mode', long: ['ldb-sync-mode'], arg: 'none' },
    { name: 'verbose', long: ['verbose'], arg: 'none' },
    { name: 'no-auth-warning', long: ['no-auth-warning'], arg: 'none' },
    // --cluster SUBCOMMAND [ARGS…]: the arguments are the non-dash words that follow (handled by the reader).
    { name: 'cluster', long: ['cluster'], arg: 'required' },
    { name: 'cluster-replicas', long: ['cluster-replicas'], arg: 'required' },
    { name: 'cluster-master-id', long: ['cluster-master-id'], arg: 'required' },
    { name: 'cluster-from', long: ['cluster-from'], arg: 'required' },
    { name: 'cluster-to', long: ['cluster-to'], arg: 'required' },
    { name: 'cluster-from-user', long: ['cluster-from-user'], arg: 'required' },
    { name: 'cluster-from-pass', long: ['cluster-from-pass'], arg: 'required', secret: true },
    { name: 'cluster-from-askpass', long: ['cluster-from-askpass'], arg: 'none' },
    // --cluster-weight n1=w n2=w: every following argument with `=` that does not start with `--`.
    { name: 'cluster-weight', long: ['cluster-weight'], arg: 'required', multi: true },
    { name: 'cluster-slots', long: ['cluster-slots'], arg: 'required' },
    { name: 'cluster-timeout', long: ['cluster-timeout'], arg: 'required' },
    { name: 'cluster-pipeline', long: ['cluster-pipeline'], arg: 'required' },
    { name: 'cluster-threshold', long: ['cluster-threshold'], arg: 'required' },
    { name: 'cluster-yes', long: ['cluster-yes'], arg: 'none' },
    { name: 'cluster-simulate', long: ['cluster-simulate'], arg: 'none' },
    { name: 'cluster-replace', long: ['cluster-replace'], arg: 'none' },
    { name: 'cluster-copy', long: ['cluster-copy'], arg: 'none' },
    { name: 'cluster-slave', long: ['cluster-slave'], arg: 'none' },
    { name: 'cluster-use-empty-masters', long: ['cluster-use-empty-masters'], arg: 'none' },
    { name: 'cluster-search-multiple-owners', long: ['cluster-search-multiple-owners'], arg: 'none' },
    { name: 'cluster-fix-with-unreachable-masters', long: ['cluster-fix-with-unreachable-masters'], arg: 'none' },
    { name: 'cluster-only-masters', long: ['cluster-only-masters'], arg: 'none' },
    { name: 'cluster-only-replicas', long: ['cluster-only-replicas'], arg: 'none' },
  ],
};

/** Exact argv token → flag, as redis-cli compares them (`strcmp` on the whole argument). */
const TOKENS: ReadonlyMap<string, (typeof REDIS_CLI_GRAMMAR.flags)[number]> = new Map(
  REDIS_CLI_GRAMMAR.flags.flatMap((f) => [
    ...(f.short ? [[`-${f.short}`, f] as const] : []),
    ...(f.long ?? []).map((l) => [`--${l}`, f] as const),
  ]),
);

// ---------------------------------------------------------------------------------------------------------------
// Reading argv

interface Opt {
  readonly name: string;
  readonly value?: string;
  readonly index: number;
  readonly valueIndex?: number;
}

/** One reading of a redis-cli command line. */
interface Reading {
  readonly opts: readonly Opt[];
  /** argv index of the command name, when one was given. */
  readonly commandAt?: number;
  /** `--cluster` subcommand and its arguments (argv indices). */
  readonly cluster?: { readonly sub: string; readonly args: readonly number[] };
  readonly unknown: readonly string[];
  /** redis-cli prints usage or its version, or refuses the line, before connecting: nothing reaches a server. */
  readonly exits?: string;
}

/**
 * Mirrors redis-cli 7.0's parseOptions. `unknownTakesValue` reads an option this redis-cli does not know (a newer
 * version's `-t 5`, say) as taking a value; the module reads both ways and keeps the worse.
 */
function readArgv(argv: readonly string[], unknownTakesValue: boolean): Reading {
  const opts: Opt[] = [];
  const unknown: string[] = [];
  let cluster: { sub: string; args: number[] } | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const last = i === argv.length - 1;
    const def = TOKENS.get(a);
    if (def) {
      if (def.name === 'help' || def.name === 'version') return { opts, unknown, cluster, exits: `${a} only prints` };
      if (def.arg === 'none') {
        opts.push({ name: def.name, index: i });
        continue;
      }
      // A value flag as the last argument is refused ("bad number of args"); `-h` and `--cluster` print usage.
      if (last) return { opts, unknown, cluster, exits: `${a} has no value: redis-cli refuses the line` };
      if (def.name === 'cluster') {
        if (cluster) return { opts, unknown, cluster, exits: 'a second --cluster: redis-cli prints usage' };
        let j = i + 1;
        while (j < argv.length && !argv[j].startsWith('-')) j++;
        if (j > i + 1) j--;
        cluster = { sub: argv[i + 1], args: range(i + 2, j + 1) };
        opts.push({ name: 'cluster', value: argv[i + 1], index: i, valueIndex: i + 1 });
        i = j;
        continue;
      }
      if (def.name === 'cluster-weight') {
        let j = i + 1;
        while (j < argv.length && !argv[j].startsWith('--') && argv[j].includes('=')) j++;
        for (let k = i + 1; k < j; k++) opts.push({ name: def.name, value: argv[k], index: i, valueIndex: k });
        i = j - 1;
        continue;
      }
      opts.push({ name: def.name, value: argv[i + 1], index: i, valueIndex: i + 1 });
      i++;
      continue;
    }
    if (cluster && !a.startsWith('-')) {
      // Cluster-manager mode: words after the options are the subcommand's arguments when it had none yet.
      let j = i + 1;
      while (j < argv.length && !argv[j].startsWith('-')) j++;
      if (cluster.args.length === 0) {
        cluster.args = range(i, j);
        i = j - 1;
      }
      continue;
    }
    if (a.startsWith('-')) {
      unknown.push(a);
      if (unknownTakesValue && !last) i++;
      continue;
    }
    return { opts, unknown, cluster, commandAt: i };
  }
  return { opts, unknown, cluster };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = from; k < to; k++) out.push(k);
  return out;
}

function has(r: Reading, name: string): boolean {
  return r.opts.some((o) => o.name === name);
}

function last(r: Reading, name: string): Opt | undefined {
  for (let k = r.opts.length - 1; k >= 0; k--) if (r.opts[k].name === name) return r.opts[k];
  return undefined;
}

/** C `atoi`: leading blanks, a sign, digits; anything else stops it (0 when there are none). */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1], 10) : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Target

interface Conn {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  socket?: string;
  user?: string;
  hostSource: string;
  invalid?: string;
}

/**
 * redis-cli 7.0's parseRedisUri: `redis://` or `rediss://` (any case); userinfo up to the first `@`; the host
 * runs to the first `:` (even past a `/`) or `/`; port and db only when present. No IPv6 brackets in 7.0.
 */
function applyUri(conn: Conn, uri: string): void {
  const lower = uri.toLowerCase();
  let rest: string;
  if (lower.startsWith('rediss://')) {
    conn.tls = true;
    rest = uri.slice(9);
  } else if (lower.startsWith('redis://')) rest = uri.slice(8);
  else {
    conn.invalid = 'Invalid URI scheme';
    return;
  }
  if (rest === '') return;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const colon = rest.indexOf(':');
    if (colon >= 0 && colon < at) conn.user = percentDecode(rest.slice(0, colon));
    rest = rest.slice(at + 1);
  }
  if (rest === '') return;
  const slash = rest.indexOf('/');
  if (!rest.startsWith('/')) {
    let hostEnd = slash >= 0 ? slash : rest.length;
    const colon = rest.indexOf(':');
    if (colon >= 0) {
      conn.port = atoi(rest.slice(colon + 1));
      hostEnd = colon;
    }
    conn.host = rest.slice(0, hostEnd);
    conn.hostSource = '-u flag';
  }
  if (slash < 0 || slash + 1 === rest.length) return;
  conn.db = atoi(rest.slice(slash + 1));
}

function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function resolveConn(r: Reading): Conn {
  const conn: Conn = { host: '127.0.0.1', port: 6379, db: 0, tls: false,
    hostSource: 'default (redis-cli connects to 127.0.0.1)' };
  for (const o of r.opts) {
    const v = o.value ?? '';
    if (o.name === 'host') {
      conn.host = v;
      conn.hostSource = '-h flag';
    } else if (o.name === 'port') conn.port = atoi(v);
    else if (o.name === 'socket') conn.socket = v;
    else if (o.name === 'db') conn.db = atoi(v);
    else if (o.name === 'tls') conn.tls = true;
    else if (o.name === 'user') conn.user = v;
    else if (o.name === 'uri') applyUri(conn, v);
  }
  return conn;
}

function hostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function connTarget(conn: Conn): GuardTarget {
  const details: Record<string, string> = { host: conn.host, port: String(conn.port), db: String(conn.db) };
  if (conn.tls) details.tls = 'yes';
  if (conn.user) details.user = conn.user;
  if (conn.socket) {
    // -s wins over host and port whatever their order: a Unix socket on this machine.
    return { kind: 'database', name: conn.socket, identifiers: [conn.socket, 'localhost'],
      details: { socket: conn.socket, db: String(conn.db) }, source: '-s flag' };
  }
  const hp = hostPort(conn.host, conn.port);
  return {
    kind: 'database',
    name: conn.db ? `${hp}/${conn.db}` : hp,
    identifiers: [conn.host, hp],
    details,
    source: conn.hostSource,
  };
}

/** redis-cli's parseClusterNodeAddress: host before the last `:`, port after it (a `@busport` is cut off). */
function clusterNode(addr: string, source: string): GuardTarget {
  const at = addr.indexOf('@');
  const a = at >= 0 ? addr.slice(0, at) : addr;
  const colon = a.lastIndexOf(':');
  const host = colon >= 0 ? a.slice(0, colon) : a;
  const port = colon >= 0 ? a.slice(colon + 1) : '';
  const hp = port ? hostPort(host, port) : host;
  return { kind: 'database', name: hp, identifiers: [host, hp], details: { host, port }, source };
}

/** Where each cluster-manager subcommand finds its node(s), per redis-cli's clusterManagerCommand* functions. */
function clusterTargets(sub: string, args: readonly string[], r: Reading): GuardTarget[] {
  const source = `--cluster ${sub} argument`;
  const out: GuardTarget[] = [];
  if (['check', 'info', 'fix', 'reshard', 'rebalance'].includes(sub) && args.length >= 2) {
    out.push(clusterNode(`${args[0]}:${atoi(args[1])}`, source)); // `host port` form
  } else if (sub === 'create') out.push(...args.map((a) => clusterNode(a, source)));
  else if (sub === 'add-node') out.push(...args.slice(0, 2).map((a) => clusterNode(a, source)));
  else if (args.length > 0) out.push(clusterNode(args[0], source));
  const from = last(r, 'cluster-from');
  if (sub === 'import' && from?.value) out.push(clusterNode(from.value, '--cluster-from flag'));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Judging one Redis command

/** Commands Redis flags admin, @dangerous or not at all that only read or only touch this connection. */
const READS = new Set([
  'info', 'lastsave', 'role', 'time', 'ping', 'echo', 'select', 'quit', 'reset', 'hello', 'auth', 'asking',
  'readonly', 'readwrite', 'wait', 'multi', 'exec', 'discard', 'watch', 'unwatch', 'monitor', 'sync', 'psync',
  'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe', 'pfselftest',
  'command', 'command|count', 'command|docs', 'command|getkeys', 'command|getkeysandflags', 'command|help',
  'command|info', 'command|list',
  'client|caching', 'client|getname', 'client|getredir', 'client|help', 'client|id', 'client|info', 'client|list',
  'client|reply', 'client|setname', 'client|tracking', 'client|trackinginfo',
  'config|get', 'config|help', 'slowlog|get', 'slowlog|len', 'slowlog|help',
  'latency|doctor', 'latency|graph', 'latency|histogram', 'latency|history', 'latency|latest', 'latency|help',
  'memory|doctor', 'memory|help', 'memory|malloc-stats', 'memory|stats', 'module|list', 'module|help',
  'cluster|countkeysinslot', 'cluster|getkeysinslot', 'cluster|help', 'cluster|info', 'cluster|keyslot',
  'cluster|links', 'cluster|myid', 'cluster|nodes', 'cluster|shards', 'cluster|slots', 'cluster|replicas',
  'cluster|slaves', 'cluster|count-failure-reports',
  'acl|cat', 'acl|dryrun', 'acl|genpass', 'acl|getuser', 'acl|list', 'acl|users', 'acl|whoami', 'acl|help',
  'pubsub|channels', 'pubsub|numpat', 'pubsub|numsub', 'pubsub|shardchannels', 'pubsub|shardnumsub', 'pubsub|help',
  'script|exists', 'script|help', 'function|dump', 'function|list', 'function|stats', 'function|help',
  'object|help', 'xinfo|help', 'xgroup|help',
]);

/** Writes that change nothing anyone relies on: the script cache, the allocator's free pages. */
const HARMLESS = new Set(['script|load', 'memory|purge']);

/** Writes and admin commands that remove or overwrite data, or take the server or its replication away. */
const DESTRUCTIVE = new Set([
  'flushall', 'flushdb', 'del', 'unlink', 'getdel', 'swapdb', 'move', 'migrate', 'rename', 'restore', 'shutdown',
  'expire', 'pexpire', 'expireat', 'pexpireat', 'hdel', 'srem', 'zrem', 'lrem', 'xdel', 'ltrim', 'xtrim',
  'zremrangebyscore', 'zremrangebyrank', 'zremrangebylex', 'xgroup|destroy', 'failover', 'replicaof',
  'slaveof', 'config|set', 'config|rewrite', 'script|flush', 'function|flush', 'function|delete',
  'function|restore', 'acl|deluser', 'acl|load', 'client|kill', 'module|unload', 'cluster|reset', 'cluster|forget',
  'cluster|flushslots', 'cluster|delslots', 'cluster|delslotsrange', 'cluster|failover',
]);

/**
 * DEBUG's subcommands (redis-server 7.0.15's `DEBUG HELP`; matched case-insensitively). Redis's table has one row
 * for DEBUG (admin, @dangerous), so the guard judges the subcommand: inspecting a key reads, crashing, restarting,
 * reloading or stalling the server is destructive, tuning it mutates. A subcommand not listed (JMAP, from Redis 2)
 * is refused by 7.0 but may exist in another version: it asks.
 */
export const DEBUG_SUBCOMMANDS: Readonly<Record<string, VerdictCode>> = {
  help: 'readOnly', object: 'readOnly', sdslen: 'readOnly', digest: 'readOnly', 'digest-value': 'readOnly',
  protocol: 'readOnly', htstats: 'readOnly', 'htstats-key': 'readOnly', listpack: 'readOnly', quicklist: 'readOnly',
  structsize: 'readOnly', 'client-eviction': 'readOnly', error: 'readOnly',
  log: 'harmlessWrite',
  'aof-flush-sleep': 'mutating', leak: 'mutating', populate: 'mutating', 'set-active-expire': 'mutating',
  'quicklist-packed-threshold': 'mutating', 'set-skip-checksum-validation': 'mutating',
  'drop-cluster-packet-filter': 'mutating', 'pause-cron': 'mutating', replybuffer: 'mutating', clusterlink: 'mutating',
  'stringmatch-test': 'mutating', mallctl: 'mutating', 'mallctl-str': 'mutating',
  assert: 'destructive', 'change-repl-id': 'destructive', 'config-rewrite-force-all': 'destructive',
  'crash-and-recover': 'destructive', loadaof: 'destructive', oom: 'destructive', panic: 'destructive',
  reload: 'destructive', replicate: 'destructive', restart: 'destructive', segfault: 'destructive',
  sleep: 'destructive',
};

/** Commands Redis does not flag as writes that still change what the server does (kill a running script). */
const MUTATING = new Set(['script|kill', 'function|kill', 'script|debug']);

/** The guard's own tables over Redis's, exported so a test can check every name against the generated table. */
export const REDIS_POLICY: Readonly<Record<string, ReadonlySet<string>>> = { READS, HARMLESS, DESTRUCTIVE, MUTATING };

/**
 * Scripts the guard cannot read. EVAL and EVAL_RO are judged by their Lua. The _RO forms are not read-only by
 * themselves: the server only refuses commands flagged write from them, and redis-server 7.0 runs `SLOWLOG RESET`
 * or, in a cluster, `CLUSTER DELSLOTS` from an EVAL_RO script (checked by test/system/redis-real.test.ts).
 */
const OPAQUE_SCRIPTS = new Set(['evalsha', 'fcall', 'evalsha_ro', 'fcall_ro']);

/** `CONFIG SET` parameters whose values are passwords. */
const SECRET_CONFIG = new Set(['requirepass', 'masterauth', 'tls-key-file-pass', 'tls-client-key-file-pass']);

/** Commands redis-cli answers itself, without the server. */
const LOCAL_HELP = new Set(['help', '?']);

function lower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Positions (within `args`, command name at 0) that hold passwords. */
export function redisSecretPositions(args: readonly string[]): number[] {
  const name = lower(args[0] ?? '');
  const sub = lower(args[1] ?? '');
  const out: number[] = [];
  if (name === 'auth') for (let k = 1; k < args.length; k++) out.push(k);
  if (name === 'hello') {
    for (let k = 2; k < args.length; k++) {
      if (lower(args[k]) === 'auth') out.push(k + 1, k + 2);
    }
  }
  if (name === 'config' && sub === 'set') {
    for (let k = 2; k + 1 < args.length; k += 2) if (SECRET_CONFIG.has(lower(args[k]))) out.push(k + 1);
  }
  if (name === 'acl' && sub === 'setuser') {
    for (let k = 3; k < args.length; k++) if (/^[<>#!]/.test(args[k])) out.push(k);
  }
  if (name === 'migrate') {
    for (let k = 6; k < args.length; k++) {
      const w = lower(args[k]);
      if (w === 'auth') out.push(k + 1);
      if (w === 'auth2') out.push(k + 1, k + 2);
      if (w === 'keys') break;
    }
  }
  return out.filter((k) => k < args.length);
}

/** Words after which a password follows, wherever they appear (`5 AUTH pw`, `HELLO 3 AUTH u pw`, a script). */
const PASSWORD_WORDS = new Set(['auth', 'auth2', 'requirepass', 'masterauth']);

/**
 * A password keyword inside a longer text (a script, a value read from stdin), followed by a separator and more
 * text: everything after it is masked. `session:auth:1` is left alone (no separator after the word).
 */
const PASSWORD_IN_TEXT = /\b(auth2?|requirepass|masterauth|setuser)\b[\s'",(]+\S[\s\S]*$/i;

/**
 * The command as shown to people: quoted where needed, shortened, and no password in it. Beyond the positions
 * the command's own syntax gives (`redisSecretPositions`), every word after `auth`, `requirepass` or
 * `masterauth`, every `>pw`/`<hash` rule after `setuser`, and the rest of any text after such a word are masked,
 * so a spelling the table does not know (`5 AUTH pw`, an unknown command, a script) cannot show one either.
 */
function show(args: readonly string[]): string {
  const secret = new Set(redisSecretPositions(args));
  let rest = false;
  let setuser = false;
  const words = args.map((a, k) => {
    if (secret.has(k) || rest || (setuser && /^[<>#!]/.test(a))) return '***';
    const w = lower(a);
    if (PASSWORD_WORDS.has(w)) rest = true;
    if (w === 'setuser') setuser = true;
    const masked = a.replace(PASSWORD_IN_TEXT, (_m, word: string) => `${word} ***`);
    return /^[\x21-\x7e]+$/.test(masked) && !/["'\\]/.test(masked) ? masked : JSON.stringify(masked);
  });
  const text = words.join(' ');
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** A word from the input as part of a message: printable and short (the input may be megabytes on one line). */
function clip(word: string | undefined): string {
  const w = word ?? '';
  return w.length <= 60 && /^[\x21-\x7e]*$/.test(w) ? w : JSON.stringify(w.slice(0, 60)) + (w.length > 60 ? '…' : '');
}

/** A row of a lookup table, never one of `Object.prototype`'s members (`constructor`, `__proto__`). */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** Redis's flags and categories for a command or `container|subcommand`, `undefined` when Redis 7.0 has none. */
function flagsOf(key: string): string | undefined {
  return own(REDIS_COMMANDS, key);
}

/** Whether a command's second word names what it does: a container (`CONFIG SET`) or DEBUG (`DEBUG OBJECT`). */
function takesSubcommand(name: string): boolean {
  return name === 'debug' || flagsOf(`${name}|help`) !== undefined;
}

/** What a command is called in messages: `FLUSHALL`, `CONFIG SET`, `DEBUG OBJECT`. */
function commandName(args: readonly string[]): string {
  const name = lower(args[0] ?? '');
  const known = args[1] !== undefined && (flagsOf(`${name}|${lower(args[1])}`) !== undefined
    || (name === 'debug' && own(DEBUG_SUBCOMMANDS, lower(args[1])) !== undefined));
  return `${args[0] ?? ''}${known ? ` ${args[1]}` : ''}`.toUpperCase();
}

/** Options for judging one command. */
interface CommandOptions {
  /** Only the name (and a literal subcommand) are known, as in a script's `redis.call('x', KEYS[1])`. */
  readonly partial?: boolean;
}

/** Arguments-dependent reads: commands Redis flags write only because of an optional STORE/SET/RESET. */
function readsDespiteWriteFlag(key: string, args: readonly string[]): boolean {
  const words = args.slice(1).map(lower);
  if (key === 'sort') return !words.includes('store');
  if (key === 'georadius' || key === 'georadiusbymember') {
    return !words.includes('store') && !words.includes('storedist');
  }
  if (key === 'bitfield') {
    // Only GET and OVERFLOW operations: BITFIELD key GET u8 0 OVERFLOW WRAP …
    for (let k = 1; k < words.length;) {
      if (words[k] === 'get') k += 3;
      else if (words[k] === 'overflow') k += 2;
      else return false;
    }
    return true;
  }
  return false;
}

/** The row of Redis's table a command reads: `name`, or `container|sub` (lowercase; not checked to exist). */
function commandKey(args: readonly string[]): string | undefined {
  if (args.length === 0) return undefined;
  const name = lower(args[0]);
  if (name === 'debug' || flagsOf(`${name}|help`) === undefined) return name;
  return args[1] === undefined ? undefined : `${name}|${lower(args[1])}`;
}

/** DEBUG, by its subcommand; MALLCTL and MALLCTL-STR only read when no value follows the key. */
function judgeDebug(args: readonly string[], what: string, opts: CommandOptions): Verdict {
  const sub = lower(args[1] ?? '');
  const code = own(DEBUG_SUBCOMMANDS, sub);
  if (code === undefined) {
    return verdict('unknown', `DEBUG ${clip(args[1])} (not a Redis 7.0 DEBUG subcommand)`);
  }
  if ((sub === 'mallctl' || sub === 'mallctl-str') && !opts.partial && args.length <= 3) {
    return verdict('readOnly', what);
  }
  return verdict(code, what);
}

/** Judges one Redis command (name first) by Redis's own table. */
export function judgeRedisCommand(args: readonly string[], opts: CommandOptions = {}): Verdict {
  if (args.length === 0) return verdict('noEffect', 'empty command');
  return { ...classifyCommand(args, opts), statement: show(args) };
}

/** `judgeRedisCommand` without the statement: showing it costs more than judging, and most lines never decide. */
function classifyCommand(args: readonly string[], opts: CommandOptions = {}): Verdict {
  if (args.length === 0) return verdict('noEffect', 'empty command');
  const name = lower(args[0]);
  if (LOCAL_HELP.has(name)) return verdict('noEffect', 'redis-cli help');
  if (flagsOf(name) === undefined) return verdict('unknown', `${clip(args[0])} (not a Redis 7.0 command)`);
  if (takesSubcommand(name) && args[1] === undefined) {
    return verdict('unknown', `${args[0].toUpperCase()} without a subcommand`);
  }
  const what = commandName(args);
  if (name === 'debug') return judgeDebug(args, what, opts);
  const key = commandKey(args)!;
  if (flagsOf(key) === undefined) {
    return verdict('unknown', `${args[0].toUpperCase()} ${clip(args[1])} (unknown subcommand)`);
  }
  const flags = new Set((flagsOf(key) ?? '').split(' '));
  if (name === 'eval' || name === 'eval_ro') {
    if (opts.partial || args[1] === undefined) {
      return verdict('unknown', `${what} of a script the guard cannot see`);
    }
    const v = judgeLua(args[1], { readOnlyCall: name === 'eval_ro' });
    return { ...v, what: `${what}: ${v.what}` };
  }
  if (OPAQUE_SCRIPTS.has(name)) return verdict('unknown', `${what} runs a script the guard cannot see`);
  if (key === 'function|load') return verdict('mutating', 'FUNCTION LOAD (loads server-side code)');
  if (key === 'acl|log') {
    const resets = opts.partial || args.slice(2).some((a) => lower(a) === 'reset');
    if (resets) return verdict('mutating', what);
    return verdict('readOnly', what);
  }
  if (READS.has(key)) return verdict('readOnly', what);
  if (HARMLESS.has(key)) return verdict('harmlessWrite', what);
  if (flags.has('write') && !opts.partial && readsDespiteWriteFlag(key, args)) {
    return verdict('readOnly', what);
  }
  if (DESTRUCTIVE.has(key)) return verdict('destructive', what);
  if (MUTATING.has(key)) return verdict('mutating', what);
  if (flags.has('write')) return verdict('mutating', what);
  // KEYS and SORT_RO are @dangerous for their cost, not their effect: Redis flags them readonly.
  if (flags.has('readonly')) return verdict('readOnly', what);
  if (flags.has('admin') || flags.has('@dangerous')) return verdict('mutating', `${what} (admin)`);
  // PUBLISH and the like: not a data write, but it makes subscribers act.
  if (flags.has('pubsub')) return verdict('mutating', `${what} (sends a message)`);
  return verdict('unknown', what);
}

// ---------------------------------------------------------------------------------------------------------------
// Lua (EVAL, --eval): read-only only when every redis.call names a read-only command literally

interface LuaToken {
  readonly t: 'name' | 'str' | 'op' | 'num';
  readonly v: string;
  /** A string literal with escapes (its value is not read): never trusted as a command name. */
  readonly escaped?: boolean;
}

/** Members of the `redis` object that do not run commands. */
const LUA_SAFE_MEMBERS = new Set(['log', 'LOG_DEBUG', 'LOG_VERBOSE', 'LOG_NOTICE', 'LOG_WARNING', 'status_reply',
  'error_reply', 'sha1hex', 'breakpoint', 'debug', 'setresp', 'replicate_commands', 'REDIS_VERSION',
  'REDIS_VERSION_NUM']);

/** Globals that reach functions without naming them (`loadstring('redis.call…')`, `_G['redis']`). */
const LUA_DYNAMIC = new Set(['loadstring', 'load', 'dofile', 'loadfile', 'getfenv', 'setfenv', 'rawget', 'rawset',
  '_G', 'require', 'module', 'debug', 'package', 'setmetatable', 'getmetatable', 'newproxy']);

/** The length of a Lua long bracket opener `[==[` at `i`, or -1. */
function longBracket(s: string, i: number): number {
  if (s[i] !== '[') return -1;
  let j = i + 1;
  while (s[j] === '=') j++;
  return s[j] === '[' ? j - i - 1 : -1;
}

/** Tokenizes Lua 5.1 source; `undefined` when it is not well formed (an unterminated string or comment). */
function luaTokens(src: string): LuaToken[] | undefined {
  const out: LuaToken[] = [];
  let i = 0;
  const n = src.length;
  const closeLong = (from: number, level: number): number => {
    const end = src.indexOf(`]${'='.repeat(level)}]`, from);
    return end < 0 ? -1 : end;
  };
  while (i < n) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && src[i + 1] === '-') {
      const level = longBracket(src, i + 2);
      if (level >= 0) {
        const end = closeLong(i + 4 + level, level);
        if (end < 0) return undefined;
        i = end + level + 2;
      } else {
        // Lua 5.1 (llex.c) ends a short comment at either newline character: `-- x\rredis.call(…)` runs the call.
        let j = i + 2;
        while (j < n && src[j] !== '\n' && src[j] !== '\r') j++;
        i = j;
      }
      continue;
    }
    const level = longBracket(src, i);
    if (level >= 0) {
      const start = i + level + 2;
      const end = closeLong(start, level);
      if (end < 0) return undefined;
      // Lua skips one newline (\n, \r, \r\n or \n\r) right after the opening bracket.
      out.push({ t: 'str', v: src.slice(start, end).replace(/^(?:\r\n?|\n\r?)/, '') });
      i = end + level + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let escaped = false;
      let v = '';
      for (; j < n && src[j] !== c; j++) {
        // A raw newline of either kind ends a short string with an error: the script does not compile.
        if (src[j] === '\n' || src[j] === '\r') return undefined;
        if (src[j] === '\\') {
          escaped = true;
          j++;
          // `\` before a line break continues the string; \r\n and \n\r count as one break.
          const pair = src.slice(j, j + 2);
          if (pair === '\r\n' || pair === '\n\r') j++;
        } else v += src[j];
      }
      if (j >= n) return undefined;
      out.push({ t: 'str', v, escaped });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 256))!;
      out.push({ t: 'name', v: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:0[xX][0-9A-Fa-f]*|[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?)/.exec(src.slice(i, i + 256))!;
      out.push({ t: 'num', v: m[0] });
      i += Math.max(1, m[0].length);
      continue;
    }
    const three = src.slice(i, i + 3);
    const two = src.slice(i, i + 2);
    const op = three === '...' ? three : ['==', '~=', '<=', '>=', '..'].includes(two) ? two : c;
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

/** The worse of two verdicts for a production target (the first wins ties, so the earliest statement is named). */
function worse(a: Verdict | undefined, b: Verdict): Verdict {
  if (!a) return b;
  return RANK[b.code] > RANK[a.code] ? b : a;
}

const RANK: Readonly<Record<VerdictCode, number>> = {
  noEffect: 0, interactive: 1, localOnly: 2, readOnly: 2, harmlessWrite: 3, unknown: 5, mutating: 6,
  unparseable: 7, unreadable: 7, tooLarge: 7, destructive: 8,
};

/** Largest script the guard reads (a file, stdin, an EVAL argument). */
const MAX_TEXT = 8 * 1024 * 1024;

/** Options for judging a Lua script. */
interface LuaOptions {
  /** Run by EVAL_RO: the server refuses commands flagged write, as in a `#!lua flags=no-writes` script. */
  readonly readOnlyCall?: boolean;
}

/**
 * Judges a Lua script as Redis runs it: every `redis.call`/`redis.pcall` must name a read-only command in a plain
 * literal that is the whole argument (`'GET'..'DEL'` is computed), and nothing may reach Redis another way
 * (`redis['call']`, `local c = redis.call`, `loadstring`, `_G`). A `#!lua flags=no-writes` shebang (or EVAL_RO)
 * only makes the server refuse commands flagged write: those stand as refused, every other call is judged
 * (redis-server 7.0 runs `SLOWLOG RESET` from such a script).
 */
export function judgeLua(script: string, opts: LuaOptions = {}): Verdict {
  if (script.length > MAX_TEXT) return verdict('tooLarge', `a ${script.length}-character Lua script`);
  let body = script;
  let noWrites = opts.readOnlyCall === true;
  if (script.startsWith('#!')) {
    const nl = script.indexOf('\n');
    const shebang = nl < 0 ? script : script.slice(0, nl);
    const parts = shebang.split(' ').filter(Boolean);
    const flags = parts.filter((p) => p.startsWith('flags=')).flatMap((p) => p.slice(6).split(','));
    if (parts[0] === '#!lua' && flags.includes('no-writes')) noWrites = true;
    body = nl < 0 ? '' : script.slice(nl + 1);
  }
  const toks = luaTokens(body);
  if (!toks) return verdict('unparseable', 'a Lua script the guard cannot read (unterminated string or comment)');
  let worst: Verdict | undefined;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.t !== 'name') continue;
    if (LUA_DYNAMIC.has(t.v)) return verdict('unknown', `a script using ${t.v} (reaches Redis indirectly)`);
    if (t.v !== 'redis' && t.v !== 'server') continue;
    const dot = toks[k + 1];
    const member = toks[k + 2];
    if (dot?.t !== 'op' || dot.v !== '.' || member?.t !== 'name') {
      return verdict('unknown', `a script that uses ${t.v} dynamically`);
    }
    if (LUA_SAFE_MEMBERS.has(member.v)) continue;
    if (member.v !== 'call' && member.v !== 'pcall') return verdict('unknown', `a script calling ${t.v}.${member.v}`);
    const callee = `${t.v}.${member.v}`;
    const computed = verdict('unknown', `a script calling ${callee} with a computed command`);
    // A literal names the command only when it is the whole argument: `'GET'..'DEL'`, `'GET' or x` compute it.
    const ends = (x: LuaToken | undefined): boolean => x?.t === 'op' && (x.v === ',' || x.v === ')');
    const next = toks[k + 3];
    const args: LuaToken[] = [];
    if (next?.t === 'str') args.push(next); // f'x' and f[[x]] are exactly f('x')
    else if (next?.t === 'op' && next.v === '(' && toks[k + 4]?.t === 'str') {
      if (!ends(toks[k + 5])) return computed;
      args.push(toks[k + 4]);
      if (takesSubcommand(lower(toks[k + 4].v)) && toks[k + 5].v === ',' && toks[k + 6]?.t === 'str') {
        if (!ends(toks[k + 7])) return computed;
        args.push(toks[k + 6]);
      }
    } else return computed;
    if (args.some((a) => a.escaped)) return verdict('unknown', 'a script naming a command with escapes');
    const words = args.map((a) => a.v);
    const call = `${callee}('${words.join("', '")}')`;
    const key = commandKey(words);
    if (noWrites && key !== undefined && (flagsOf(key) ?? '').split(' ').includes('write')) {
      worst = worse(worst, verdict('readOnly', `${call} (refused: the script may not write)`));
      continue;
    }
    const cmd = judgeRedisCommand(words, { partial: true });
    worst = worse(worst, { ...cmd, what: call });
  }
  return worst ?? verdict('readOnly', 'a script that calls no command');
}

// ---------------------------------------------------------------------------------------------------------------
// Text redis-cli or the server splits into commands

const C_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);
/** Runs of characters sdssplitargs copies as they are: outside quotes, inside "…", inside '…'. */
const RUN_PLAIN = /[^ \t\n\r"']+/y;
const RUN_DQ = /[^\\"]+/y;
const RUN_SQ = /[^\\']+/y;

/**
 * hiredis `sdssplitargs`, as redis-cli splits a line (and the server an inline command); `undefined` on error.
 * With `max`, stops after `max` words: enough to tell a three-word `connect` line without reading a long one.
 */
export function splitArgs(line: string, max = Infinity): string[] | undefined {
  const nul = line.indexOf('\0');
  const s = nul >= 0 ? line.slice(0, nul) : line;
  const out: string[] = [];
  let p = 0;
  const hex = (ch: string | undefined): boolean => ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
  // Copies a run of ordinary characters at once (the C loop copies one a turn): p ends on the run's last one.
  const grab = (run: RegExp): string => {
    run.lastIndex = p;
    const m = run.exec(s);
    const text = m ? m[0] : s[p];
    p += text.length - 1;
    return text;
  };
  for (;;) {
    while (p < s.length && C_SPACE.has(s[p])) p++;
    if (p >= s.length || out.length >= max) return out;
    let cur = '';
    let inq = false;
    let insq = false;
    for (let done = false; !done;) {
      const ch = s[p];
      if (inq) {
        if (ch === '\\' && s[p + 1] === 'x' && hex(s[p + 2]) && hex(s[p + 3])) {
          cur += String.fromCharCode(Number.parseInt(s.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (ch === '\\' && p + 1 < s.length) {
          p++;
          const e = s[p];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (ch === '"') {
          if (p + 1 < s.length && !C_SPACE.has(s[p + 1])) return undefined;
          done = true;
        } else if (ch === undefined) return undefined;
        else cur += grab(RUN_DQ);
      } else if (insq) {
        if (ch === '\\' && s[p + 1] === "'") {
          p++;
          cur += "'";
        } else if (ch === "'") {
          if (p + 1 < s.length && !C_SPACE.has(s[p + 1])) return undefined;
          done = true;
        } else if (ch === undefined) return undefined;
        else cur += grab(RUN_SQ);
      } else if (ch === undefined || ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') done = true;
      else if (ch === '"') inq = true;
      else if (ch === "'") insq = true;
      else cur += grab(RUN_PLAIN);
      if (p < s.length) p++;
    }
    out.push(cur);
  }
}

interface Judged {
  v?: Verdict;
}

/** Keeps the worse verdict; the command is shown (`args`) only when its verdict is the one kept. */
function note(acc: Judged, v: Verdict, line: number, from: string, args?: readonly string[]): void {
  if (acc.v && worse(acc.v, v) === acc.v) return;
  acc.v = { ...v, ...(args ? { statement: show(args) } : {}), line, from };
}

/** Lines redis-cli reads from a non-terminal stdin when no command is given (its REPL, one command a line). */
function judgeReplLines(text: string, skipFirst: boolean): Verdict {
  const acc: Judged = {};
  const lines = text.split('\n');
  for (let k = skipFirst ? 1 : 0; k < lines.length; k++) {
    const line = lines[k];
    if (line === '') continue;
    const args = splitArgs(line);
    if (!args) {
      // Never shown: an unbalanced quote is as likely in `AUTH "pw` as anywhere, and masking needs the words.
      note(acc, verdict('unparseable', `a line redis-cli cannot split, line ${k + 1}`), k + 1, 'stdin');
      continue;
    }
    if (args.length === 0) continue;
    const first = lower(args[0]);
    if (first === 'quit' || first === 'exit') break;
    if (args[0].startsWith(':') || (args.length === 1 && first === 'clear') || first === 'restart') continue;
    if (args.length === 3 && first === 'connect') {
      note(acc, verdict('unknown', `connect ${clip(args[1])} ${atoi(args[2])}: stdin switches to another server`,
        { statement: show(args) }), k + 1, 'stdin');
      continue;
    }
    // `N CMD …` repeats CMD N times.
    const cmd = args.length > 1 && /^\s*[+-]?\d+$/.test(args[0]) ? args.slice(1) : args;
    note(acc, classifyCommand(cmd), k + 1, 'stdin', cmd);
  }
  return acc.v ?? verdict('noEffect', 'no command on stdin');
}

/** Most distinct servers `connect` lines on stdin are listed as targets; more add one unresolved target. */
const MAX_CONNECT_TARGETS = 64;

/**
 * Servers that `connect HOST PORT` lines on stdin switch to: targets in their own right, judged like `-h`.
 * redis-cli's REPL splits every line first (`con"nect"`, `"\x63onnect"` and `CONNECT` all switch) and switches on
 * exactly three words whose first is `connect` in any case (`1 connect h p` is sent to the server instead); the
 * port is C `atoi`. With `-s` (and no `-c`) the new connection still uses the socket: nothing to add.
 */
function replConnectTargets(stdin: StdinInput, conn: Conn, clusterMode: boolean): GuardTarget[] {
  const unresolved = (why: string): GuardTarget => ({ kind: 'database', name: '(servers stdin connects to)',
    identifiers: [], details: {}, source: 'stdin', unresolved: why });
  if (stdin.tooLarge || (stdin.text !== undefined && stdin.text.length > MAX_TEXT)) {
    return [unresolved('stdin is too large for the guard to see which servers its `connect` lines reach')];
  }
  const text = stdin.text;
  if (text === undefined || (conn.socket !== undefined && !clusterMode)) return [];
  const out: GuardTarget[] = [];
  const seen = new Set<string>();
  for (let start = 0, k = 1; start < text.length; k++) {
    const eol = text.indexOf('\n', start);
    const end = eol < 0 ? text.length : eol;
    const args = splitArgs(text.slice(start, end), 4);
    start = end + 1;
    if (!args || args.length !== 3 || lower(args[0]) !== 'connect') continue;
    const port = atoi(args[2]);
    const key = hostPort(args[1], port);
    if (seen.has(key)) continue;
    if (seen.size >= MAX_CONNECT_TARGETS) {
      out.push(unresolved(`stdin connects to more than ${MAX_CONNECT_TARGETS} servers; the guard lists the first `
        + `${MAX_CONNECT_TARGETS} (line ${k} connects to another)`));
      break;
    }
    seen.add(key);
    out.push(connTarget({ ...conn, socket: undefined, host: args[1], port,
      hostSource: `connect at line ${k} of stdin` }));
  }
  return out;
}

/** `--pipe`: RESP multi-bulk or inline commands, as the server reads them. */
function judgePipe(text: string): Verdict {
  const buf = Buffer.from(text, 'utf8');
  const acc: Judged = {};
  let pos = 0;
  let n = 0;
  const line = (): string | undefined => {
    const eol = buf.indexOf(10, pos);
    if (eol < 0) return undefined;
    const s = buf.toString('latin1', pos, eol > pos && buf[eol - 1] === 13 ? eol - 1 : eol);
    pos = eol + 1;
    return s;
  };
  const bad = (): Verdict =>
    worse(acc.v, verdict('unparseable', '--pipe input the guard cannot read as Redis protocol'));
  while (pos < buf.length) {
    n++;
    if (buf[pos] === 0x2a) {
      const head = line();
      if (head === undefined || !/^\*-?\d+$/.test(head)) return bad();
      const count = Number(head.slice(1));
      const args: string[] = [];
      for (let k = 0; k < count; k++) {
        const len = line();
        if (len === undefined || !/^\$\d+$/.test(len)) return bad();
        const size = Number(len.slice(1));
        if (pos + size + 2 > buf.length) return bad();
        args.push(buf.toString('utf8', pos, pos + size));
        pos += size + 2;
      }
      if (args.length) note(acc, classifyCommand(args), n, 'stdin (--pipe)', args);
      continue;
    }
    const eol = buf.indexOf(10, pos);
    const raw = buf.toString('utf8', pos, eol < 0 ? buf.length : eol);
    pos = eol < 0 ? buf.length : eol + 1;
    const args = splitArgs(raw);
    if (!args) return bad();
    if (args.length) note(acc, classifyCommand(args), n, 'stdin (--pipe)', args);
  }
  return acc.v ?? verdict('noEffect', 'no command on stdin (--pipe)');
}

// ---------------------------------------------------------------------------------------------------------------
// The module

/** What the cluster manager's subcommands do; `call` runs a command on every node and is judged as that command. */
const CLUSTER_SUBCOMMANDS: Readonly<Record<string, VerdictCode | 'call'>> = {
  check: 'readOnly', info: 'readOnly', backup: 'readOnly', help: 'noEffect', call: 'call',
  create: 'mutating', fix: 'mutating', reshard: 'mutating', rebalance: 'mutating', 'add-node': 'mutating',
  'set-timeout': 'mutating', import: 'mutating', 'del-node': 'destructive',
};

/** Modes in the order redis-cli's main() tries them; the first one set runs and exits (the command is never sent). */
const MODES: ReadonlyArray<readonly [string, VerdictCode, string]> = [
  ['latency', 'readOnly', '--latency (PING)'],
  ['latency-history', 'readOnly', '--latency-history (PING)'],
  ['latency-dist', 'readOnly', '--latency-dist (PING)'],
  ['replica', 'readOnly', '--replica (replication stream)'],
  ['rdb', 'readOnly', '--rdb (downloads a dump)'],
  ['functions-rdb', 'readOnly', '--functions-rdb (downloads a dump)'],
  ['pipe', 'readOnly', '--pipe'],
  ['bigkeys', 'readOnly', '--bigkeys (SCAN)'],
  ['memkeys', 'readOnly', '--memkeys (SCAN)'],
  ['memkeys-samples', 'readOnly', '--memkeys (SCAN)'],
  ['hotkeys', 'readOnly', '--hotkeys (SCAN)'],
  ['stat', 'readOnly', '--stat (INFO)'],
  ['scan', 'readOnly', '--scan'],
  ['lru-test', 'mutating', '--lru-test (writes lru:* keys)'],
  ['intrinsic-latency', 'localOnly', '--intrinsic-latency (no server)'],
];

interface Plan {
  readonly verb: string;
  readonly readsStdin: boolean;
  /** Stdin is read by the REPL, one command a line, where `connect HOST PORT` switches servers. */
  readonly repl?: boolean;
  readonly judge: (stdin: StdinInput) => Verdict;
}

function planFor(argv: readonly string[], r: Reading, ctx: ToolContext): Plan {
  if (r.exits) return { verb: '', readsStdin: false, judge: () => verdict('noEffect', r.exits!) };
  if (r.cluster) {
    const { sub, args } = r.cluster;
    const kind = own(CLUSTER_SUBCOMMANDS, sub);
    const words = args.map((k) => argv[k]);
    const verb = `--cluster ${sub}`;
    if (kind === undefined) {
      return { verb, readsStdin: false, judge: () => verdict('unknown', `${verb} (unknown subcommand)`) };
    }
    if (kind === 'call') {
      return { verb, readsStdin: false, judge: () => {
        const v = judgeRedisCommand(words.slice(1));
        return { ...v, what: `--cluster call ${v.what} (on every node)` };
      } };
    }
    return { verb, readsStdin: false, judge: () => verdict(kind, verb) };
  }
  const mode = MODES.find(([name]) => has(r, name));
  if (mode) {
    if (mode[0] === 'pipe') {
      return { verb: '--pipe', readsStdin: true, judge: (stdin) => fromStdin(stdin, judgePipe) };
    }
    return { verb: `--${mode[0]}`, readsStdin: false, judge: () => verdict(mode[1], mode[2]) };
  }
  const evalFile = last(r, 'eval');
  if (r.commandAt === undefined && !evalFile) {
    const askpass = has(r, 'askpass');
    return { verb: '(commands on stdin)', readsStdin: true, repl: true,
      judge: (stdin) => fromStdin(stdin, (t) => judgeReplLines(t, askpass)) };
  }
  if (evalFile) {
    return { verb: '--eval', readsStdin: false, judge: () => {
      const file = path.resolve(ctx.cwd, evalFile.value ?? '');
      const res = ctx.files.readText(file, MAX_TEXT);
      if (!res.ok) {
        const code = /larger than/.test(res.message) ? 'tooLarge' : 'unreadable';
        return verdict(code, `--eval ${evalFile.value}: ${res.message}`, { from: `--eval ${evalFile.value}` });
      }
      const v = judgeLua(res.text);
      return { ...v, what: `--eval ${evalFile.value}: ${v.what}`, from: `--eval ${evalFile.value}` };
    } };
  }
  const start = r.commandAt!;
  let args = argv.slice(start);
  if (has(r, 'quoted-input')) {
    // Each argument is unquoted like a REPL line and must be exactly one word, or redis-cli refuses the line.
    const unquoted = args.map((a) => splitArgs(a));
    if (unquoted.some((u) => u?.length !== 1)) {
      const invalid = verdict('noEffect', 'an invalid --quoted-input argument (redis-cli refuses the line)');
      return { verb: args[0], readsStdin: false, judge: () => invalid };
    }
    args = unquoted.map((u) => u![0]);
  }
  const tag = last(r, 'stdin-tag');
  const stdinLast = has(r, 'stdin-last');
  const verb = commandName(args);
  if (!stdinLast && !tag) return { verb, readsStdin: false, judge: () => judgeRedisCommand(args) };
  return { verb, readsStdin: true, judge: (stdin) => {
    if (stdin.tooLarge) return verdict('tooLarge', `${verb} with an argument from stdin`);
    // A terminal stdin: the user types the argument; a placeholder no Redis word equals stands for it.
    const value = stdin.text ?? '\u0000stdin';
    let full = [...args, value];
    if (!stdinLast && tag) {
      const at = args.indexOf(tag.value ?? '');
      full = at < 0 ? args : args.map((a, k) => (k === at ? value : a));
    }
    const v = judgeRedisCommand(full);
    return { ...v, from: 'stdin' };
  } };
}

function fromStdin(stdin: StdinInput, judge: (text: string) => Verdict): Verdict {
  if (stdin.tooLarge) return verdict('tooLarge', 'commands on stdin');
  if (stdin.text === undefined) return verdict('interactive', 'redis-cli interactive session');
  if (stdin.text.length > MAX_TEXT) return verdict('tooLarge', 'commands on stdin');
  return judge(stdin.text);
}

function secretsOf(argv: readonly string[], r: Reading): number[] {
  const out: number[] = [];
  for (const o of r.opts) {
    if (o.valueIndex === undefined) continue;
    if (o.name === 'pass' || o.name === 'cluster-from-pass') out.push(o.valueIndex);
    if (o.name === 'uri' && (o.value ?? '').includes('@')) out.push(o.valueIndex);
  }
  if (r.commandAt !== undefined) {
    for (const k of redisSecretPositions(argv.slice(r.commandAt))) out.push(r.commandAt + k);
  }
  if (r.cluster && r.cluster.sub === 'call' && r.cluster.args.length > 1) {
    const idx = r.cluster.args.slice(1);
    for (const k of redisSecretPositions(idx.map((i) => argv[i]))) out.push(idx[k]);
  }
  return out;
}

function analyzeRedisCli(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const main = readArgv(argv, false);
  const readings = main.unknown.length ? [main, readArgv(argv, true)] : [main];
  const targets: GuardTarget[] = [];
  const seen = new Set<string>();
  const add = (t: GuardTarget): void => {
    const key = `${t.name}|${t.source}|${t.unresolved ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      targets.push(t);
    }
  };
  for (const r of readings) {
    const conn = resolveConn(r);
    const clusterT = r.cluster ? clusterTargets(r.cluster.sub, r.cluster.args.map((k) => argv[k]), r) : [];
    if (clusterT.length) clusterT.forEach(add);
    else add(connTarget(conn));
  }
  const plans = readings.map((r) => planFor(argv, r, ctx));
  const secrets = [...new Set(readings.flatMap((r) => secretsOf(argv, r)))].sort((a, b) => a - b);
  const problems: Problem[] = main.unknown.length
    ? [{ source: 'redis-cli arguments', message: `redis-cli 7.0 does not know ${main.unknown.join(', ')}` }]
    : [];
  const conn = resolveConn(main);
  const bad = conn.invalid;
  return {
    verb: plans[0].verb,
    targets,
    problems,
    readsStdin: plans.some((p) => p.readsStdin),
    secretArgs: secrets,
    // Only the REPL obeys `connect`: --pipe sends it to the server, -x makes it a value.
    stdinTargets(stdin) {
      const out = new Map<string, GuardTarget>();
      readings.forEach((r, k) => {
        if (!plans[k].repl) return;
        for (const t of replConnectTargets(stdin, resolveConn(r), has(r, 'cluster-mode'))) {
          out.set(`${t.name}|${t.unresolved ?? ''}`, t);
        }
      });
      return [...out.values()];
    },
    judge(stdin) {
      if (bad && !main.cluster) return verdict('noEffect', `-u: ${bad} (redis-cli refuses the line)`);
      if (main.unknown.length) {
        return verdict('unparseable', `unknown redis-cli option ${main.unknown[0]} (the command may start elsewhere)`);
      }
      return plans[0].judge(stdin);
    },
  };
}

/** What the shim may run without Node: connection and output flags, then a command that only reads. */
const FAST_PATH: ShimFastPath = {
  valueFlags: ['-h', '-p', '-s', '-n', '-a', '--pass', '--user', '-u', '-d', '-D', '--sni', '--cacert', '--cacertdir',
    '--cert', '--key', '-i', '-r'],
  booleanFlags: ['--tls', '--insecure', '--raw', '--no-raw', '--csv', '--json', '--quoted-json', '-2', '-3', '-c', '-e',
    '--no-auth-warning', '--verbose'],
  readOnlyVerbs: ['get', 'mget', 'exists', 'ttl', 'pttl', 'type', 'strlen', 'keys', 'scan', 'info', 'ping', 'dbsize',
    'hget', 'hgetall', 'hmget', 'hkeys', 'hvals', 'hlen', 'lrange', 'llen', 'lindex', 'smembers', 'scard', 'sismember',
    'zrange', 'zcard', 'zscore', 'zrank', 'xrange', 'xlen', 'time', 'role', 'lastsave']
    .flatMap((v) => [v, v.toUpperCase()]),
};

/** redis-cli. */
export const redisModule: ToolModule = {
  tools: ['redis-cli'],
  analyze: (_tool, argv, ctx) => analyzeRedisCli(argv, ctx),
  fastPath: { 'redis-cli': FAST_PATH },
};
