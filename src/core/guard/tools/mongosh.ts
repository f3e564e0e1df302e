// mongosh (and the legacy `mongo` name), read the way mongosh 2.x reads its command line: @mongosh/arg-parser runs
// yargs-parser with camel-case expansion, short-option groups and greedy arrays off and unknown options kept as
// (refused) positionals; the first positional is the connection specifier unless --nodb or it names a .js or
// .mongodb file; the URI is built like its uri-generator (`--host rs/h1,h2` wins over a positional, which then
// names the database). Scripts (--eval, files, ~/.mongoshrc.js and stdin in interactive mode) pass in production
// only when every call is known to read (see judgeMongoScript).
import * as path from 'path';
import { isSecretKey, MASK } from '../../mask';
import type { Problem } from '../../types';
import type { Grammar } from '../grammar';
import { type JsToken, jsReplReadings, jsTokens, replCommands } from '../js';
import { type GuardTarget, type StdinInput, type ToolAnalysis, type ToolContext, type ToolModule, type Verdict,
  type VerdictCode, verdict } from '../types';

/** How yargs-parser reads each option mongosh declares (from its zod schema, checked by the grammar oracle test). */
type Kind = 'string' | 'boolean' | 'array' | 'loose';

interface MongoFlag {
  readonly name: string;
  readonly kind: Kind;
  readonly aliases?: readonly string[];
  readonly secret?: boolean;
}

/** mongosh 2.x's options (CliOptionsSchema: current, deprecated and unsupported ones). */
export const MONGOSH_FLAGS: readonly MongoFlag[] = [
  ...['apiVersion', 'authenticationDatabase', 'authenticationMechanism', 'csfleLibraryPath', 'cryptSharedLibPath',
    'db', 'gssapiServiceName', 'sspiHostnameCanonicalization', 'sspiRealmOverride', 'jsContext', 'host',
    'keyVaultNamespace', 'kmsURL', 'locale', 'oidcFlows', 'port', 'tlsCAFile', 'tlsCertificateKeyFile',
    'tlsCertificateSelector', 'tlsCRLFile', 'tlsDisabledProtocols', 'browser', 'sslPEMKeyFile', 'sslCAFile',
    'sslCertificateSelector', 'sslCRLFile', 'sslDisabledProtocols', 'gssapiHostName',
  ].map((name): MongoFlag => ({ name, kind: 'string' })),
  { name: 'awsAccessKeyId', kind: 'string', secret: true },
  { name: 'awsIamSessionToken', kind: 'string', secret: true },
  { name: 'awsSecretAccessKey', kind: 'string', secret: true },
  { name: 'awsSessionToken', kind: 'string', secret: true },
  { name: 'tlsCertificateKeyFilePassword', kind: 'string', secret: true },
  { name: 'sslPEMKeyPassword', kind: 'string', secret: true },
  { name: 'oidcRedirectUri', kind: 'string', aliases: ['oidcRedirectUrl'] },
  { name: 'password', kind: 'string', aliases: ['p'], secret: true },
  { name: 'username', kind: 'string', aliases: ['u'] },
  ...['deepInspect', 'apiDeprecationErrors', 'apiStrict', 'exposeAsyncRewriter', 'ipv6', 'nodb', 'norc',
    'oidcTrustedEndpoint', 'oidcNoNonce', 'quiet', 'retryWrites', 'shell', 'skipStartupWarnings', 'verbose', 'version',
    'smokeTests', 'perfTests', 'tls', 'tlsAllowInvalidCertificates', 'tlsAllowInvalidHostnames', 'tlsFIPSMode',
    'tlsUseSystemCA', 'ssl', 'sslAllowInvalidCertificates', 'sslAllowInvalidHostnames', 'sslFIPSMode',
  ].map((name): MongoFlag => ({ name, kind: 'boolean' })),
  { name: 'buildInfo', kind: 'boolean', aliases: ['build-info'] },
  { name: 'help', kind: 'boolean', aliases: ['h'] },
  { name: 'oidcIdTokenAsAccessToken', kind: 'boolean', aliases: ['oidcIDTokenAsAccessToken'] },
  { name: 'eval', kind: 'array' },
  { name: 'file', kind: 'array', aliases: ['f'] },
  // boolean-or-enum options: yargs takes the next argument unless it starts with a dash.
  { name: 'json', kind: 'loose' },
  { name: 'oidcDumpTokens', kind: 'loose' },
];

/** The same options as a shared `Grammar` (style yargs), for tools that list flags. */
export const MONGOSH_GRAMMAR: Grammar = {
  style: 'yargs',
  flags: MONGOSH_FLAGS.map((f) => ({
    name: f.name,
    long: [f.name, ...(f.aliases ?? []).filter((a) => a.length > 1)],
    short: f.aliases?.find((a) => a.length === 1),
    arg: f.kind === 'boolean' ? 'none' : f.kind === 'loose' ? 'optional' : 'required',
    secret: f.secret,
  })),
};

const BY_NAME: ReadonlyMap<string, MongoFlag> = new Map(
  MONGOSH_FLAGS.flatMap((f) => [f.name, ...(f.aliases ?? [])].map((n) => [n, f] as const)),
);

/** yargs-parser's `negative` pattern (not anchored at the end, as in yargs). */
const NEGATIVE = /^-[0-9]+(\.[0-9]+)?/;

// ---------------------------------------------------------------------------------------------------------------
// Reading argv

interface MOpt {
  readonly name: string;
  /** The value as yargs gives it: a string, or `true`/`false` for booleans and negations. */
  readonly value: string | boolean;
  readonly index: number;
  readonly valueIndex?: number;
}

interface MReading {
  readonly opts: readonly MOpt[];
  readonly positionals: ReadonlyArray<{ readonly value: string; readonly index: number }>;
  /** Arguments mongosh refuses or reads oddly (unknown options, `-hp`, `--host.x`, `---eval`). */
  readonly odd: readonly string[];
  /** Their indices in argv. */
  readonly oddAt: readonly number[];
  /** Indices of values of options mongosh accepts and ignores whose name reads like a secret (`--password-x V`). */
  readonly ignoredSecrets: readonly number[];
}

/** yargs-parser's `hasAnyFlag`: a declared option name or alias. */
function hasAnyFlag(key: string): boolean {
  return BY_NAME.has(key);
}

/** yargs-parser's `hasAllShortFlags` (with short-option groups off it only decides whether `-abc` is "known"). */
function hasAllShortFlags(arg: string): boolean {
  if (NEGATIVE.test(arg) || !/^-[^-]+/.test(arg)) return false;
  const letters = arg.slice(1).split('');
  for (let j = 0; j < letters.length; j++) {
    const next = arg.slice(j + 2);
    if (!hasAnyFlag(letters[j])) return false;
    if (letters[j + 1] === '=' || next === '-' || (/[A-Za-z]/.test(letters[j]) && /^-?\d+(\.\d*)?(e-?\d+)?$/.test(next))
      || (letters[j + 1] !== undefined && /\W/.test(letters[j + 1]))) break;
  }
  return true;
}

/** yargs-parser's `isUnknownOption`: mongosh refuses such an argument (it becomes a dash positional). */
function isUnknownOption(raw: string): boolean {
  const arg = raw.replace(/^-{3,}/, '--');
  if (NEGATIVE.test(arg) || hasAllShortFlags(arg)) return false;
  const patterns = [/^-+([^=]+?)=[\s\S]*$/, /^--no-(.+)/, /^-+([^=]+?)$/, /^-+([^=]+?)-$/, /^-+([^=]+?\d+)$/,
    /^-+([^=]+?)\W+.*$/];
  return !patterns.some((p) => {
    const m = p.exec(arg);
    return m !== null && hasAnyFlag(m[1]);
  });
}

/** Whether yargs takes `next` as the value of a string option (not a dash argument, unless a negative number). */
function valueLike(next: string | undefined): next is string {
  return next !== undefined && (!next.startsWith('-') || NEGATIVE.test(next));
}

/**
 * Mirrors yargs-parser as @mongosh/arg-parser configures it (camel-case expansion, short-option groups and greedy
 * arrays off, unknown options kept as positionals that mongosh then refuses). `oddTakesValue` reads a refused
 * argument as taking the next one, for a mongosh version that knows it: the module reads both ways.
 */
function readMongoArgv(argv: readonly string[], oddTakesValue: boolean): MReading {
  const opts: MOpt[] = [];
  const positionals: Array<{ value: string; index: number }> = [];
  const odd: string[] = [];
  const oddAt: number[] = [];
  const ignoredSecrets: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      // mongosh refuses a positional that starts with a dash, even after `--`.
      for (let j = i + 1; j < argv.length; j++) {
        if (argv[j].startsWith('-')) {
          odd.push(argv[j]);
          oddAt.push(j);
        } else positionals.push({ value: argv[j], index: j });
      }
      break;
    }
    if (!a.startsWith('-')) {
      positionals.push({ value: a, index: i });
      continue;
    }
    const next = argv[i + 1];
    if (isUnknownOption(a) || /^---+(=|$)/.test(a.replace(/^-{3,}/, '---'))) {
      odd.push(a);
      oddAt.push(i);
      if (oddTakesValue && next !== undefined && !next.startsWith('-')) i++;
      continue;
    }
    let key: string;
    let attached: string | undefined;
    let negated = false;
    const eq = /^--?([^=]+)=([\s\S]*)$/.exec(a);
    if (eq) {
      key = eq[1];
      attached = eq[2];
    } else if (/^--no-(.+)/.test(a) && !hasAnyFlag(a.slice(2))) {
      key = a.slice(5);
      negated = true;
    } else key = a.replace(/^--?/, '');
    const def = BY_NAME.get(key);
    if (!def) {
      if (BY_NAME.has(key.split('.')[0]) || BY_NAME.has(key.split('.')[0].replace(/^no-/, ''))) {
        odd.push(a); // dot notation on a real option (`--host.x`): mongosh gets an object it cannot use
        oddAt.push(i);
        if (oddTakesValue && attached === undefined && valueLike(next)) i++;
        continue;
      }
      // A name yargs does not reject (`-hp`, `---eval`, `--eval/x`): it is set and ignored, taking a value.
      if (attached === undefined && (valueLike(next) || next === 'true' || next === 'false')) {
        if (looksSecret(key)) ignoredSecrets.push(i + 1);
        i++;
      } else if (attached !== undefined && looksSecret(key)) ignoredSecrets.push(i);
      continue;
    }
    if (negated) {
      opts.push({ name: def.name, value: false, index: i });
      continue;
    }
    if (attached !== undefined) {
      const value = def.kind === 'boolean' ? attached === 'true' : attached;
      opts.push({ name: def.name, value, index: i, valueIndex: i });
      continue;
    }
    switch (def.kind) {
      case 'boolean':
        if (next === 'true' || next === 'false') {
          opts.push({ name: def.name, value: next === 'true', index: i, valueIndex: i + 1 });
          i++;
        } else opts.push({ name: def.name, value: true, index: i });
        break;
      case 'string':
      case 'loose':
        if (valueLike(next)) {
          opts.push({ name: def.name, value: next, index: i, valueIndex: i + 1 });
          i++;
        } else opts.push({ name: def.name, value: def.kind === 'string' ? '' : true, index: i });
        break;
      case 'array':
        // eatArray: the next argument unless it is an option yargs knows (an unknown one is eaten as the value).
        if (next !== undefined && !(next.startsWith('-') && !NEGATIVE.test(next) && !isUnknownOption(next))) {
          opts.push({ name: def.name, value: next, index: i, valueIndex: i + 1 });
          i++;
        }
        break;
    }
  }
  return { opts, positionals, odd, oddAt, ignoredSecrets };
}

/** An option name that reads like a secret (`--aws-secret-access-key`, `--password-x`): its value is masked. */
function looksSecret(name: string): boolean {
  return isSecretKey(name) || /pass|pwd|secret|token|key/i.test(name);
}

/**
 * An unknown option as shown in messages: `-pS3cret` and `--aws-secret-access-key=S3cret` are a password given
 * in a spelling mongosh refuses, so the value is masked.
 */
function shownOdd(a: string): string {
  if (/^-[^-]/.test(a) && a.length > 2) return `${a.slice(0, 2)}${MASK}`;
  const eq = a.indexOf('=');
  return eq > 0 && looksSecret(a.slice(0, eq)) ? `${a.slice(0, eq + 1)}${MASK}` : a;
}

/** Argv indices that hold a secret in an option mongosh refuses (`-pS3cret`, `--aws-secret-access-key KEY`). */
function oddSecrets(argv: readonly string[], r: MReading): number[] {
  const out: number[] = [];
  r.odd.forEach((a, k) => {
    const i = r.oddAt[k];
    if (/^-[^-]/.test(a)) {
      if (a.length > 2) out.push(i);
      return;
    }
    const eq = a.indexOf('=');
    if (eq > 0) {
      if (looksSecret(a.slice(0, eq))) out.push(i);
    } else if (looksSecret(a) && argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) out.push(i + 1);
  });
  return out;
}

function values(r: MReading, name: string): Array<string | boolean> {
  return r.opts.filter((o) => o.name === name).map((o) => o.value);
}

/** A boolean option as mongosh sees it: the last occurrence wins (yargs overwrites booleans). */
function truthy(r: MReading, ...names: string[]): boolean {
  return names.some((n) => {
    const vs = values(r, n);
    const v = vs[vs.length - 1];
    return v === true || (typeof v === 'string' && v !== '');
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Target: mongosh's uri-generator

interface MongoConn {
  readonly hosts: readonly string[];
  readonly database?: string;
  readonly srv?: boolean;
  readonly source: string;
  readonly unresolved?: string;
}

/**
 * Splits `mongodb://user:pw@h1:1,h2/db?x` into hosts and database. The user information ends at the last `@` of
 * the whole argument, as mongosh's parser reads it (a password may hold `/`, `?` or `#`): nothing before it is
 * kept. `refused`: that part holds characters mongosh refuses unescaped (it then runs nothing).
 */
function parseMongoUri(uri: string): { hosts: string[]; database?: string; refused?: boolean } | undefined {
  const scheme = /^mongodb(?:\+srv)?:\/\//i.exec(uri);
  if (!scheme) return undefined;
  const rest = uri.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  const m = /^([^/?#]*)(?:\/([^?#]*))?/.exec(at >= 0 ? rest.slice(at + 1) : rest)!;
  const hosts = m[1].split(',').filter(Boolean).map(decodeSafe);
  if (hosts.length === 0) return undefined;
  const database = m[2] ? decodeSafe(m[2]) : undefined;
  const refused = at >= 0 && /[/?#@]/.test(rest.slice(0, at));
  return { hosts, database: database || undefined, ...(refused ? { refused } : {}) };
}

/** `user:pw@host` without what comes before the last `@` (never shown: it is a password). */
function withoutUserinfo(s: string): string {
  const at = s.lastIndexOf('@');
  return at >= 0 ? `${MASK}@${s.slice(at + 1)}` : s;
}

/** Query options of a connection string that carry secrets (AWS_SESSION_TOKEN in authMechanismProperties). */
function uriHasSecret(uri: string): boolean {
  const scheme = /^mongodb(?:\+srv)?:\/\//i.exec(uri);
  if (!scheme) return false;
  if (uri.indexOf('@', scheme[0].length) >= 0) return true;
  const q = uri.indexOf('?');
  if (q < 0) return false;
  return uri.slice(q + 1).split('&').some((kv) => {
    const key = decodeSafe(kv.split('=')[0]);
    return /^authMechanismProperties$/i.test(key) || isSecretKey(key);
  });
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `--host` as parseHostOption reads it: `rs/h1:1,h2` or `h1,h2` is a seed list. */
function parseHostOption(value: string): { replSet?: string; hosts?: string[] } {
  const parts = value.split('/').reverse();
  if (parts.length > 2) return {};
  const hosts = parts[0].split(',').filter(Boolean);
  if (!hosts.every((h) => /^([A-Za-z0-9._-]+|\[[0-9a-fA-F:]+\])(:\d+)?$/.test(h))) return {};
  return { replSet: parts[1], hosts };
}

/** Where mongosh connects for one reading (generateUri); several candidates when --host or --port repeat. */
function resolveMongo(r: MReading, spec: string | undefined, env: NodeJS.ProcessEnv): MongoConn[] {
  const hostVals = values(r, 'host').filter((v): v is string => typeof v === 'string' && v !== '');
  const portVals = values(r, 'port').filter((v): v is string => typeof v === 'string' && v !== '');
  const repeated = hostVals.length > 1 || portVals.length > 1 ? '--host or --port given twice' : undefined;
  const out: MongoConn[] = [];
  // yargs makes a repeated --port an array, which mongosh joins with commas into the URI ("h:1,2").
  const port = portVals.length ? portVals.join(',') : undefined;
  for (const host of hostVals.length ? hostVals : [undefined]) {
    const c = resolveOne(host, port, spec, env);
    const hosts = c.hosts.flatMap((h) => h.split(','));
    out.push(repeated ? { ...c, hosts, unresolved: repeated } : c);
  }
  return out;
}

function resolveOne(host: string | undefined, port: string | undefined, spec: string | undefined,
  env: NodeJS.ProcessEnv): MongoConn {
  if (host?.includes('@')) {
    return { hosts: [withoutUserinfo(host)], source: '--host flag', unresolved: 'mongosh refuses a --host with @' };
  }
  const defHost = host ? host.split(':')[0] : '127.0.0.1';
  const defPort = host?.includes(':') ? host.split(':')[1] : port ?? '27017';
  const hostSource = host ? '--host flag' : port ? '--port flag' : 'default (mongosh connects to 127.0.0.1)';
  const seed = host ? parseHostOption(host) : {};
  if (seed.replSet || (seed.hosts ?? []).length > 1) {
    // A seed list wins; the positional (even a full URI) becomes the database name.
    const hosts = seed.hosts!.map((h) => (/:\d+$/.test(h) || !port ? h : `${h}:${port}`));
    return { hosts, database: spec || undefined, source: '--host flag (seed list)' };
  }
  if (!spec) {
    if (env.MONGOSH_FORCE_CONNECTION_STRING_PROMPT) {
      return { hosts: [`${defHost}:${defPort}`], source: 'env:MONGOSH_FORCE_CONNECTION_STRING_PROMPT',
        unresolved: 'MONGOSH_FORCE_CONNECTION_STRING_PROMPT: mongosh asks for the connection string' };
    }
    return { hosts: [`${defHost}:${defPort}`], source: hostSource };
  }
  if (spec.startsWith('mongodb+srv://') || spec.startsWith('mongodb://')) {
    const p = parseMongoUri(spec);
    if (!p) {
      return { hosts: [withoutUserinfo(spec)], source: 'connection string argument',
        unresolved: 'a connection string the guard cannot read' };
    }
    const { refused, ...where } = p;
    return { ...where, srv: spec.startsWith('mongodb+srv://'), source: 'connection string argument',
      ...(refused ? { unresolved: 'mongosh refuses a user name or password with unescaped / ? # or @' } : {}) };
  }
  if (spec.includes('@')) {
    // Not a URI: mongosh takes it for a database name on the default server, but it reads like `user:pw@host`.
    return { hosts: [`${defHost}:${defPort}`], database: withoutUserinfo(spec), source: hostSource,
      unresolved: 'an address with user information, which mongosh reads as a database name' };
  }
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]+)(?::(\d+))?(?:\/(\S*))?$/.exec(spec);
  let h: string | undefined = m ? m[1] : spec;
  const p = m?.[2];
  let db = m?.[3];
  if (!m && /[/\\. "$]/.test(spec)) {
    return { hosts: [`${defHost}:${defPort}`], source: hostSource, unresolved: `mongosh refuses the address ${spec}` };
  }
  if (!p && !db && !h.includes('.')) {
    // `mongosh prod` is the database `prod` on the default (or --host) server.
    db = h;
    h = undefined;
  }
  if (!h && !p) return { hosts: [`${defHost}:${defPort}`], database: db || undefined, source: hostSource };
  return { hosts: [`${h ?? defHost}:${p ?? defPort}`], database: db || undefined, source: 'address argument' };
}

function mongoTarget(c: MongoConn): GuardTarget {
  const hostNames = c.hosts.map((h) => h.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''));
  const name = `${c.hosts.join(',')}${c.database ? `/${c.database}` : ''}`;
  const details: Record<string, string> = { hosts: c.hosts.join(',') };
  if (c.database) details.database = c.database;
  if (c.srv) details.srv = 'yes';
  return {
    kind: 'database',
    name,
    identifiers: [...new Set([...hostNames, ...c.hosts, ...(c.database ? [c.database] : [])])],
    details,
    source: c.source,
    ...(c.unresolved ? { unresolved: c.unresolved } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Judging scripts

/** Shell API and JavaScript methods that only read (cursor, collection, database, connection, arrays, strings). */
const READ_METHODS = new Set([
  // cursors
  'toJSON', 'addOption', 'allowDiskUse', 'allowPartialResults', 'collation', 'comment', 'count', 'hasNext', 'hint',
  'limit', 'max', 'maxAwaitTimeMS', 'min', 'next', 'noCursorTimeout', 'oplogReplay', 'readPref', 'returnKey', 'size',
  'tailable', 'maxScan', 'showRecordId', 'readConcern', 'help', 'projection', 'skip', 'sort', 'explain', 'batchSize',
  'toArray', 'maxTimeMS', 'objsLeftInBatch', 'close', 'forEach', 'tryNext', 'isClosed', 'isExhausted', 'itcount',
  'pretty', 'map', 'disableBlockWarnings', 'finish', 'getVerbosity', 'setVerbosity',
  // database
  'getMongo', 'getName', 'getCollectionNames', 'getCollectionInfos', 'getSiblingDB', 'getCollection', 'logout',
  'auth', 'getUser', 'getUsers', 'getRole', 'getRoles', 'currentOp', 'version', 'serverBits', 'isMaster', 'hello',
  'serverBuildInfo', 'serverStatus', 'stats', 'hostInfo', 'serverCmdLineOpts', 'printCollectionStats',
  'getProfilingStatus', 'getLogComponents', 'commandHelp', 'listCommands', 'getLastErrorObj', 'getLastError',
  'printShardingStatus', 'printSecondaryReplicationInfo', 'getReplicationInfo', 'printReplicationInfo',
  'printSlaveReplicationInfo', 'setSecondaryOk', 'watch', 'checkMetadataConsistency',
  // collection
  'countDocuments', 'distinct', 'estimatedDocumentCount', 'find', 'findOne', 'isCapped', 'getIndexes', 'getIndexSpecs',
  'getIndices', 'getIndexKeys', 'totalIndexSize', 'getDB', 'dataSize', 'storageSize', 'totalSize', 'exists',
  'getFullName', 'latencyStats', 'validate', 'getShardVersion', 'getShardDistribution', 'getShardLocation',
  'analyzeShardKey', 'getSearchIndexes', 'aggregate',
  // connection (Mongo)
  'getURI', 'use', 'getDBs', 'getDBNames', 'show', 'getReadPrefMode', 'getReadPrefTagSet', 'getReadPref',
  'getReadConcern', 'getWriteConcern', 'setReadPref', 'setReadConcern', 'setWriteConcern', 'startSession',
  'setCausalConsistency', 'isCausalConsistency', 'setSlaveOk', 'convertShardKeyToHashed',
  // sessions: the writes inside a transaction are judged where they are written
  'getDatabase', 'startTransaction', 'commitTransaction', 'abortTransaction', 'endSession', 'withTransaction',
  'advanceOperationTime', 'advanceClusterTime', 'getClusterTime', 'getOperationTime', 'getOptions', 'hasEnded',
  // console, JSON, Math, Object, Array, String, Number, Date, Promise, Map/Set, BSON values
  'log', 'error', 'warn', 'info', 'debug', 'table', 'dir', 'stringify', 'parse', 'now', 'keys', 'values', 'entries',
  'freeze', 'isArray', 'from', 'of', 'all', 'allSettled', 'race', 'resolve', 'reject', 'then', 'catch', 'finally',
  'floor', 'ceil', 'round', 'abs', 'pow', 'sqrt', 'random', 'trunc', 'sign', 'log10', 'log2', 'exp', 'isInteger',
  'isFinite', 'isNaN', 'parseInt', 'parseFloat', 'push', 'pop', 'shift', 'unshift', 'slice', 'concat', 'join',
  'indexOf', 'lastIndexOf', 'includes', 'findIndex', 'findLast', 'findLastIndex', 'filter', 'reduce', 'reduceRight',
  'some', 'every', 'reverse', 'flat', 'flatMap', 'at', 'fill', 'split', 'trim', 'trimStart', 'trimEnd',
  'toUpperCase', 'toLowerCase', 'startsWith', 'endsWith', 'replace', 'replaceAll', 'substring', 'substr', 'charAt',
  'charCodeAt', 'codePointAt', 'padStart', 'padEnd', 'repeat', 'match', 'matchAll', 'search', 'localeCompare',
  'normalize', 'toString', 'valueOf', 'toFixed', 'toPrecision', 'toISOString', 'getTime', 'getFullYear', 'getMonth',
  'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds', 'getTimezoneOffset', 'getUTCDate',
  'getUTCFullYear', 'getUTCMonth', 'getUTCHours', 'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString',
  'toDateString', 'toUTCString', 'get', 'has', 'add', 'set', 'test', 'exec', 'hasOwnProperty', 'getTimestamp',
  'toHexString', 'equals', 'toNumber', 'toInt', 'hex', 'str', 'tojson', 'printjson', 'print', 'serialize',
  'deserialize',
]);

/** Free functions a read-only script may call (mongosh globals, BSON constructors, JavaScript built-ins). */
const GLOBAL_FUNCTIONS = new Set(['print', 'printjson', 'printjsononeline', 'tojson', 'tojsononeline', 'sleep',
  'version', 'use', 'show', 'it', 'help', 'quit', 'exit', 'isInteractive', 'ObjectId', 'ISODate', 'Date',
  'NumberLong', 'NumberInt', 'NumberDecimal', 'UUID', 'MD5', 'HexData', 'Timestamp', 'BinData', 'Decimal128', 'Long',
  'Int32', 'Double', 'MinKey', 'MaxKey', 'DBRef', 'Code', 'BSONRegExp', 'BSONSymbol', 'String', 'Number', 'Boolean',
  'Array', 'Object', 'Map', 'Set', 'RegExp', 'Error', 'TypeError', 'RangeError', 'Promise', 'parseInt', 'parseFloat',
  'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'BigInt', 'Symbol']);

/** Shell methods that remove or overwrite data, or take the server down. */
const DESTRUCTIVE_METHODS = new Set(['drop', 'dropDatabase', 'deleteMany', 'deleteOne', 'remove', 'findOneAndDelete',
  'dropIndex', 'dropIndexes', 'dropUser', 'dropAllUsers', 'dropRole', 'dropAllRoles', 'dropSearchIndex',
  'renameCollection', 'shutdownServer', 'killOp', 'convertToCapped']);

/** Shell methods that write (everything in the shell API that is neither read-only nor destructive). */
const WRITE_METHODS = new Set(['createUser', 'updateUser', 'changeUserPassword', 'grantRolesToUser',
  'revokeRolesFromUser', 'createCollection', 'createEncryptedCollection', 'createView', 'createRole', 'updateRole',
  'grantRolesToRole', 'revokeRolesFromRole', 'grantPrivilegesToRole', 'revokePrivilegesFromRole', 'fsyncLock',
  'fsyncUnlock', 'setProfilingLevel', 'setLogLevel', 'rotateCertificates', 'cloneDatabase', 'cloneCollection',
  'copyDatabase', 'sql', 'bulkWrite', 'findAndModify', 'findOneAndReplace', 'findOneAndUpdate', 'insert', 'insertMany',
  'insertOne', 'replaceOne', 'update', 'updateMany', 'updateOne', 'compactStructuredEncryptionData', 'createIndexes',
  'createIndex', 'ensureIndex', 'reIndex', 'initializeOrderedBulkOp', 'initializeUnorderedBulkOp', 'mapReduce',
  'hideIndex', 'unhideIndex', 'configureQueryAnalyzer', 'createSearchIndex', 'createSearchIndexes',
  'updateSearchIndex', 'getPlanCache', 'getClientEncryption', 'getKeyVault', 'save', 'enableTelemetry',
  'disableTelemetry', 'passwordPrompt', 'defineProperty', 'defineProperties', 'setPrototypeOf']);

/** Names that reach another server or run code the guard cannot see. */
const BANNED = new Set(['eval', 'Function', 'load', 'require', 'import', 'process', 'globalThis', 'global', 'Mongo',
  'connect', 'Reflect', 'Proxy', 'setTimeout', 'setInterval', 'setImmediate', 'constructor', '__proto__', 'prototype',
  'cat', 'runProgram', 'run', 'runMongoProgram', 'fs', 'module', 'exports', 'Session', 'AsyncFunction',
  'GeneratorFunction', 'with', 'sp', 'Streams']);

/** Members that reach another server or the function constructor (`db.getMongo().connect`, `x.constructor`). */
const MEMBER_BANNED = new Set(['connect', 'constructor', '__proto__', 'prototype', 'eval', 'Mongo', 'load',
  'globalThis', 'global']);

/** `EJSON.` functions (they only convert values); any other use of `EJSON` asks. */
const EJSON_READS = new Set(['stringify', 'parse', 'serialize', 'deserialize']);

/** Calls whose string arguments are passwords: their literals are masked in the statement shown. */
const SECRET_CALLS = new Set(['createUser', 'updateUser', 'changeUserPassword', 'auth', 'connect', 'Mongo',
  'createRole', 'updateRole']);

/** `rs.` and `sh.` methods that only read; every other one asks. */
const RS_READS = new Set(['status', 'conf', 'config', 'isMaster', 'hello', 'printReplicationInfo',
  'printSecondaryReplicationInfo', 'printSlaveReplicationInfo', 'help']);
const SH_READS = new Set(['status', 'getBalancerState', 'isBalancerRunning', 'balancerCollectionStatus',
  'getShardedDataDistribution', 'isAutoMergerEnabled', 'listShards', 'isConfigShardEnabled', 'shardDrainingStatus',
  'getTransitionToDedicatedConfigServerStatus', 'help']);

/** Server commands (runCommand / adminCommand first key) that only read. */
const READ_COMMANDS = new Set(['find', 'count', 'distinct', 'listCollections', 'listDatabases', 'listIndexes',
  'serverStatus', 'dbStats', 'dbstats', 'collStats', 'collstats', 'dataSize', 'datasize', 'buildInfo', 'buildinfo',
  'hostInfo', 'ping', 'hello', 'isMaster', 'ismaster', 'getLog', 'getParameter', 'getCmdLineOpts', 'connectionStatus',
  'whatsmyuri', 'currentOp', 'top', 'explain', 'replSetGetStatus', 'replSetGetConfig', 'usersInfo', 'rolesInfo',
  'validate', 'dbHash', 'dbhash', 'listCommands', 'getDefaultRWConcern', 'lockInfo', 'features', 'getMore',
  'killCursors', 'endSessions', 'startSession', 'listShards', 'balancerStatus', 'getShardMap', 'getShardVersion',
  'connPoolStats', 'shardConnPoolStats', 'logout', 'getLastError', 'getPrevError', 'isdbgrid', 'netstat',
  'replSetGetRBID', 'hostInfo', 'serverBuildInfo', 'listSearchIndexes', 'getClusterParameter', 'profile']);

/** Server commands that remove data or stop the server. */
const DESTRUCTIVE_COMMANDS = new Set(['drop', 'dropDatabase', 'delete', 'dropIndexes', 'deleteIndexes', 'dropUser',
  'dropAllUsersFromDatabase', 'dropRole', 'dropAllRolesFromDatabase', 'shutdown', 'killOp', 'renameCollection',
  'convertToCapped', 'emptycapped', 'cleanupOrphaned', 'removeShard', 'dropSearchIndex', 'killSessions',
  'killAllSessions', 'killAllSessionsByPattern', 'replSetStepDown', 'dropConnections', 'compact']);

/** Receivers whose `.x` right after them is a collection name unless `x` is a Database method. */
const DATABASE_METHODS = new Set(['dropDatabase', 'createUser', 'updateUser', 'changeUserPassword', 'dropUser',
  'dropAllUsers', 'grantRolesToUser', 'revokeRolesFromUser', 'createCollection', 'createEncryptedCollection',
  'createView', 'createRole', 'updateRole', 'dropRole', 'dropAllRoles', 'grantRolesToRole', 'revokeRolesFromRole',
  'grantPrivilegesToRole', 'revokePrivilegesFromRole', 'killOp', 'shutdownServer', 'fsyncLock', 'fsyncUnlock',
  'setProfilingLevel', 'setLogLevel', 'rotateCertificates', 'cloneDatabase', 'cloneCollection', 'copyDatabase', 'sql',
  'runCommand', 'adminCommand', 'aggregate']);

/** What a script does, and whether it may reach another server (connect, Mongo, code the guard cannot see). */
export interface ScriptJudgement {
  readonly verdict: Verdict;
  readonly retargets: boolean;
}

/** Largest script the guard reads. */
const MAX_SCRIPT = 4 * 1024 * 1024;

const RANK: Readonly<Record<VerdictCode, number>> = {
  noEffect: 0, interactive: 1, localOnly: 2, readOnly: 2, harmlessWrite: 3, unknown: 5, mutating: 6,
  unparseable: 7, unreadable: 7, tooLarge: 7, destructive: 8,
};

function worse(a: Verdict | undefined, b: Verdict): Verdict {
  return !a || RANK[b.code] > RANK[a.code] ? b : a;
}

/** Start offsets of the script's lines (numbered at `\n`, as editors do); computed once per script. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) starts.push(k + 1);
  return starts;
}

/** The 1-based line of offset `at`. */
function lineAt(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function isExprEnd(t: JsToken | undefined): boolean {
  if (!t) return false;
  if (t.t === 'name') return !['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case',
    'do', 'else', 'yield', 'await'].includes(t.v);
  if (t.t === 'punct') return t.v === ')' || t.v === ']';
  if (t.t === 'tmpl') return !!t.end;
  return t.t === 'str' || t.t === 'num' || t.t === 'regex';
}

/** A literal string a `[ ]` member access or a key names: a string, or a template without substitutions. */
function literalOf(t: JsToken | undefined): string | undefined {
  if (!t) return undefined;
  if (t.t === 'str') return t.v;
  if (t.t === 'tmpl' && t.start && t.end) return t.v;
  if (t.t === 'num') return t.v;
  return undefined;
}

/** Names declared once as functions in the script: calling them runs code the guard reads anyway. */
function localFunctions(toks: readonly JsToken[]): Set<string> {
  const declared = new Map<string, number>();
  const assigned = new Map<string, number>();
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.t !== 'name') continue;
    const prev = toks[k - 1];
    const next = toks[k + 1];
    if (prev?.t === 'name' && prev.v === 'function') declared.set(t.v, (declared.get(t.v) ?? 0) + 1);
    if (next?.t === 'punct' && next.v === '=' && !(prev?.t === 'punct' && (prev.v === '.' || prev.v === '?.'))) {
      const after = toks[k + 2];
      const isFn = after && ((after.t === 'name' && (after.v === 'function' || after.v === 'async'))
        || (after.t === 'punct' && after.v === '(' && arrowAfterParen(toks, k + 2))
        || (after.t === 'name' && toks[k + 3]?.v === '=>'));
      const declaration = prev?.t === 'name' && ['const', 'let', 'var'].includes(prev.v);
      if (isFn && declaration) declared.set(t.v, (declared.get(t.v) ?? 0) + 1);
      else assigned.set(t.v, (assigned.get(t.v) ?? 0) + 1);
    }
  }
  return new Set([...declared].filter(([n, c]) => c === 1 && !assigned.has(n)).map(([n]) => n));
}

function arrowAfterParen(toks: readonly JsToken[], open: number): boolean {
  let depth = 0;
  for (let k = open; k < toks.length && k < open + 200; k++) {
    const v = toks[k].t === 'punct' ? toks[k].v : '';
    if (v === '(') depth++;
    else if (v === ')' && --depth === 0) return toks[k + 1]?.v === '=>';
  }
  return false;
}

/** Matching closers for every opener, by index. */
function matchBrackets(toks: readonly JsToken[]): Int32Array {
  const match = new Int32Array(toks.length).fill(-1);
  const stack: number[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.t !== 'punct') continue;
    if (t.v === '(' || t.v === '[' || t.v === '{') stack.push(k);
    else if (t.v === ')' || t.v === ']' || t.v === '}') {
      const o = stack.pop();
      if (o !== undefined) {
        match[o] = k;
        match[k] = o;
      }
    }
  }
  return match;
}

/** The top-level keys of the object literal opened at `open`; `undefined` when one is not literal. */
function objectKeys(toks: readonly JsToken[], match: Int32Array, open: number): string[] | undefined {
  const close = match[open];
  if (close < 0) return undefined;
  const keys: string[] = [];
  let expectKey = true;
  for (let k = open + 1; k < close; k++) {
    const t = toks[k];
    if (expectKey) {
      if (t.t === 'punct' && t.v === '}') break;
      const lit = t.t === 'name' ? t.v : literalOf(t);
      if (lit === undefined) return undefined; // computed key, spread, getter…
      keys.push(lit);
      expectKey = false;
      continue;
    }
    if (t.t === 'punct' && (t.v === '(' || t.v === '[' || t.v === '{') && match[k] > 0) {
      k = match[k];
      continue;
    }
    if (t.t === 'punct' && t.v === ',') expectKey = true;
  }
  return keys;
}

/** The worst thing found in one reading of a script, with the tokens of that reading (for its statement). */
interface Flag {
  readonly code: VerdictCode;
  readonly what: string;
  readonly at: number;
  readonly toks: readonly JsToken[];
}

/** The line of `at`, with every string literal masked when the line passes passwords (`createUser`, `pwd:`…). */
function statementAt(text: string, starts: readonly number[], f: Flag): string {
  const line = lineAt(starts, f.at);
  const from = starts[line - 1];
  const to = line < starts.length ? starts[line] - 1 : text.length;
  // The reading's tokens are in source order: find those that reach into the line.
  let lo = 0;
  let hi = f.toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (f.toks[mid].to <= from) lo = mid + 1;
    else hi = mid;
  }
  const onLine: JsToken[] = [];
  for (let k = lo; k < f.toks.length && f.toks[k].at < to; k++) onLine.push(f.toks[k]);
  const secret = onLine.some((t) => (t.t === 'name' || t.t === 'str' || t.t === 'tmpl')
    && (SECRET_CALLS.has(t.v) || isSecretKey(t.v)));
  let shown = '';
  let last = from;
  if (secret) {
    for (const t of onLine) {
      if (t.t !== 'str' && t.t !== 'tmpl') continue;
      const a = Math.max(from, t.at);
      const b = Math.min(to, t.to);
      if (b <= a) continue;
      shown += text.slice(last, a) + (t.t === 'str' && t.at >= from ? `'${MASK}'` : MASK);
      last = b;
    }
  }
  shown += text.slice(last, to);
  return shown.trim().slice(0, 160);
}

/**
 * Judges a mongosh script. Read-only only when every call is known to read: writes and drops in any spelling ask
 * (`db.c.drop()`, `db.c['drop']()`, `db["c"].deleteMany({})`, `db.runCommand({dropDatabase: 1})`), and so does
 * whatever the guard cannot follow (a computed method, `eval`, `load`, `connect`, `rs.*`/`sh.*` writes, `$out`).
 * `repl`: the text is piped into the shell, which reads it line by line (see `jsReplReadings`); every reading is
 * judged. Linear in the text: the line and statement are built once, for the verdict that decides.
 */
export function judgeMongoScript(text: string, from: string, repl = false): ScriptJudgement {
  if (text.length > MAX_SCRIPT) {
    return { verdict: verdict('tooLarge', `a ${text.length}-character script`, { from }), retargets: true };
  }
  const starts = lineStartsOf(text);
  const lexed = repl ? jsReplReadings(text) : oneReading(jsTokens(text));
  if (!lexed.ok) {
    const what = lexed.tooLarge ? `a script too large to check (${lexed.error})`
      : `a script the guard cannot read (${lexed.error})`;
    const code = lexed.tooLarge ? 'tooLarge' : 'unparseable';
    return { verdict: verdict(code, what, { from, line: lineAt(starts, lexed.at) }), retargets: true };
  }
  let worst: Flag | undefined;
  let retargets = false;
  const take = (f: Flag | undefined): void => {
    if (f && (!worst || RANK[f.code] > RANK[worst.code])) worst = f;
  };
  if (repl) {
    for (const c of replCommands(text)) {
      // `.load f` runs a file, `.editor` reads the rest as one script, `.save f` writes a file.
      if (c.keyword === 'load' || c.keyword === 'editor') retargets = true;
      if (['load', 'editor', 'save'].includes(c.keyword)) {
        take({ code: 'unknown', what: `the REPL command .${c.keyword}`, at: c.at, toks: [] });
      }
    }
  }
  for (const toks of lexed.readings) {
    const r = scanTokens(toks);
    take(r.flag);
    retargets ||= r.retargets;
  }
  const f = worst as Flag | undefined;
  if (!f) return { verdict: verdict('readOnly', 'a script that only reads', { from }), retargets };
  const line = lineAt(starts, f.at);
  return { verdict: verdict(f.code, f.what, { from, line, statement: statementAt(text, starts, f) }), retargets };
}

function oneReading(r: ReturnType<typeof jsTokens>): ReturnType<typeof jsReplReadings> {
  return r.ok ? { ok: true, readings: [r.tokens] } : r;
}

/** What one reading's tokens do: the worst call found, and whether the script may reach another server. */
function scanTokens(toks: readonly JsToken[]): { flag?: Flag; retargets: boolean } {
  const match = matchBrackets(toks);
  const locals = localFunctions(toks);
  const constArrays = new Map<string, number>();
  let worst: Flag | undefined;
  let retargets = false;
  const flag = (code: VerdictCode, what: string, at: number): void => {
    if (!worst || RANK[code] > RANK[worst.code]) worst = { code, what, at, toks };
  };
  // `x.name`, `x?.name`, `x[…]` or `x?.[…]` right after token k.
  const memberFollows = (k: number): boolean => {
    const a = toks[k + 1];
    const b = toks[k + 2];
    if (a?.t !== 'punct') return false;
    if (a.v === '[') return true;
    return (a.v === '.' || a.v === '?.') && (b?.t === 'name' || (a.v === '?.' && b?.t === 'punct' && b.v === '['));
  };
  const isMemberAt = (k: number): boolean => {
    const p = toks[k - 1];
    return p?.t === 'punct' && (p.v === '.' || p.v === '?.');
  };
  // The shell's `rs` or `sh` (not a collection that happens to be called so: `db.rs`).
  const isRsSh = (k: number): boolean => {
    const r = toks[k];
    if (r?.t !== 'name' || (r.v !== 'rs' && r.v !== 'sh')) return false;
    return !isMemberAt(k) || (toks[k - 2]?.t === 'name' && toks[k - 2].v === 'this');
  };
  const calledAt = (k: number): boolean => {
    const n1 = toks[k];
    if (!n1) return false;
    if (n1.t === 'punct' && n1.v === '(') return true;
    if (n1.t === 'punct' && n1.v === '?.' && toks[k + 1]?.v === '(') return true;
    return n1.t === 'tmpl' && !!n1.start; // tagged template
  };
  const member = (name: string, k: number, recv: number, called: boolean, at: number, bracket: boolean): void => {
    const receiver = toks[recv];
    if (isRsSh(recv)) {
      const reads = receiver.v === 'rs' ? RS_READS : SH_READS;
      if (!reads.has(name)) flag('mutating', `${receiver.v}.${name}()`, at);
      return;
    }
    const onThis = receiver?.t === 'name' && receiver.v === 'this' && !isMemberAt(recv);
    if (onThis && (name === 'valueOf' || (bracket && (name === 'rs' || name === 'sh')))) {
      // `this.valueOf()` is the global object; `this['rs']` the shell's rs under another spelling.
      retargets = true;
      flag('unknown', `this.${name} (the guard cannot follow it)`, at);
      return;
    }
    if (MEMBER_BANNED.has(name)) {
      retargets = true;
      flag('unknown', `.${name} (the guard cannot follow it)`, at);
      return;
    }
    if (called && (name === 'runCommand' || name === 'adminCommand')) {
      judgeCommandDoc(name, k, at);
      return;
    }
    if (called && name === 'aggregate') judgePipeline(k, at);
    const dbCollection = receiver?.t === 'name' && receiver.v === 'db' && !called && !DATABASE_METHODS.has(name);
    if (dbCollection) return;
    if (DESTRUCTIVE_METHODS.has(name)) flag('destructive', `${name}()`, at);
    else if (WRITE_METHODS.has(name)) flag('mutating', `${name}()`, at);
    else if (called && !READ_METHODS.has(name) && name !== 'runCommand' && name !== 'adminCommand') {
      flag('unknown', `${name}() (not known to be read-only)`, at);
    }
  };
  // runCommand('ping') / runCommand({ drop: 'c' }): the command is the first key.
  const judgeCommandDoc = (name: string, k: number, at: number): void => {
    let open = k;
    if (toks[open]?.v === '?.') open++;
    const arg = toks[open + 1];
    let cmd: string | undefined;
    if (arg && literalOf(arg) !== undefined && arg.t !== 'num') cmd = literalOf(arg);
    else if (arg?.t === 'punct' && arg.v === '{') cmd = objectKeys(toks, match, open + 1)?.[0];
    if (cmd === undefined) {
      flag('unknown', `${name} with a command the guard cannot read`, at);
      return;
    }
    if (DESTRUCTIVE_COMMANDS.has(cmd)) flag('destructive', `${name}({${cmd}})`, at);
    else if (!READ_COMMANDS.has(cmd)) flag(cmd === 'aggregate' ? 'unknown' : 'mutating', `${name}({${cmd}})`, at);
    else if (cmd === 'profile' && !(toks[open + 4]?.v === '-' && toks[open + 5]?.v === '1')) {
      flag('mutating', `${name}({profile}) (sets profiling unless profile: -1)`, at);
    }
  };
  // `const pipeline = [ … ]` used only as an argument: the array literal it names (index of its `[`), or -1.
  const constArray = (name: string): number => {
    let found = constArrays.get(name);
    if (found === undefined) constArrays.set(name, (found = findConstArray(name)));
    return found;
  };
  const findConstArray = (name: string): number => {
    let decl = -1;
    for (let j = 0; j < toks.length; j++) {
      const t = toks[j];
      if (t.t !== 'name' || t.v !== name) continue;
      if (toks[j - 1]?.v === 'const' && toks[j + 1]?.v === '=' && toks[j + 2]?.v === '[' && decl < 0) {
        decl = j + 2;
        continue;
      }
      const after = toks[j + 1]?.v;
      if (toks[j - 1]?.v === '.' || (after !== ')' && after !== ',')) return -1;
    }
    return decl;
  };
  // aggregate([{…}, {…}]) or aggregate({…}, {…}): every stage a literal object whose key is not $out or $merge.
  const judgePipeline = (k: number, at: number): void => {
    let open = k;
    if (toks[open]?.v === '?.') open++;
    const close = match[open];
    if (close < 0) return flag('unparseable', 'aggregate( without its closing parenthesis', at);
    const first = toks[open + 1];
    const stageOpeners: number[] = [];
    const collect = (from: number, to: number): boolean => {
      for (let j = from; j < to; j++) {
        const t = toks[j];
        if (t.t === 'punct' && t.v === '{') {
          stageOpeners.push(j);
          j = match[j];
          if (j < 0) return false;
          const sep = toks[j + 1];
          if (j + 1 < to && !(sep.t === 'punct' && sep.v === ',')) return false;
          j++;
          continue;
        }
        return false;
      }
      return true;
    };
    let ok: boolean;
    const arrayAt = first?.t === 'punct' && first.v === '[' ? open + 1
      : first?.t === 'name' && (toks[open + 2]?.v === ')' || toks[open + 2]?.v === ',') ? constArray(first.v) : -1;
    if (arrayAt >= 0) {
      const end = match[arrayAt];
      ok = end > 0 && collect(arrayAt + 1, end);
    } else ok = first?.t === 'punct' && first.v === ')' ? true : first?.t !== 'name' && collect(open + 1, close);
    if (!ok) return flag('unknown', 'aggregate() with a pipeline the guard cannot read', at);
    for (const s of stageOpeners) {
      const keys = objectKeys(toks, match, s);
      if (!keys) return flag('unknown', 'an aggregation stage with a computed key', at);
      const out = keys.find((key) => key === '$out' || key === '$merge');
      if (out) return flag('destructive', `aggregate() with ${out}`, at);
    }
  };

  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    const prev = toks[k - 1];
    if (t.t === 'str' || t.t === 'tmpl') {
      const stage = /\$(out|merge)\b/.exec(t.v);
      if (stage) flag('destructive', `a pipeline stage $${stage[1]}`, t.at);
      const writeName = DESTRUCTIVE_METHODS.has(t.v) || WRITE_METHODS.has(t.v);
      if (toks[k + 1]?.v === ':' && writeName && toks[k - 1]?.v !== '?') {
        flag(DESTRUCTIVE_METHODS.has(t.v) ? 'destructive' : 'mutating', `'${t.v}' (a write method by name)`, t.at);
      }
      continue;
    }
    const optional = prev?.t === 'punct' && prev.v === '?.';
    if (t.t === 'punct' && t.v === '[' && (isExprEnd(prev) || optional)) {
      const close = match[k];
      const lit = close === k + 2 ? literalOf(toks[k + 1]) : undefined;
      const called = close > 0 && calledAt(close + 1);
      if (lit !== undefined) member(lit, close + 1, optional ? k - 2 : k - 1, called, t.at, true);
      else {
        // obj[expr] may fetch anything (`this[k]` is the global object: connect, Mongo…).
        retargets = true;
        if (called) flag('unknown', 'a method chosen at run time (obj[expr]())', t.at);
      }
      continue;
    }
    if (t.t === 'punct' && t.v === '(' && prev?.t === 'punct' && prev.v === ')') {
      retargets = true;
      flag('unknown', 'a call of a computed function ((…)())', t.at);
      continue;
    }
    if (t.t !== 'name') continue;
    if (t.v === '$out' || t.v === '$merge') {
      flag('destructive', `a pipeline stage ${t.v}`, t.at);
      continue;
    }
    const isMember = prev?.t === 'punct' && (prev.v === '.' || prev.v === '?.');
    if (isRsSh(k) && !memberFollows(k)) {
      // `(rs).add(…)`, `const r = rs`, `{ rs: r } = this`: the replica-set helpers under another name.
      flag('unknown', `${t.v} used as a value (the guard cannot follow it)`, t.at);
    }
    if (!isMember && t.v === 'this' && !memberFollows(k)) {
      // The global object (connect, Mongo, rs…) under another name.
      retargets = true;
      flag('unknown', 'this used as a value (the guard cannot follow it)', t.at);
    }
    const ejsonRead = toks[k + 1]?.t === 'punct' && toks[k + 1].v === '.' && toks[k + 2]?.t === 'name'
      && EJSON_READS.has(toks[k + 2].v);
    if (!isMember && t.v === 'EJSON' && !ejsonRead) {
      flag('unknown', 'EJSON (only stringify, parse, serialize and deserialize are known to read)', t.at);
    }
    if (isMember) {
      member(t.v, k + 1, k - 2, calledAt(k + 1), t.at, false);
      continue;
    }
    const objectKey = toks[k + 1]?.t === 'punct' && toks[k + 1].v === ':';
    if (objectKey && prev?.t === 'punct' && (prev.v === '{' || prev.v === ',')) {
      // An object key: `{ update: 'c' }` is a write command, `const { drop: d } = db.c` takes a method out.
      if (DESTRUCTIVE_METHODS.has(t.v)) flag('destructive', `${t.v} (a write method by name)`, t.at);
      else if (WRITE_METHODS.has(t.v)) flag('mutating', `${t.v} (a write method by name)`, t.at);
      continue;
    }
    if (BANNED.has(t.v)) {
      retargets = true;
      flag('unknown', `${t.v} (the guard cannot follow it)`, t.at);
      continue;
    }
    if (DESTRUCTIVE_METHODS.has(t.v)) {
      flag('destructive', `${t.v} (a write method by name)`, t.at);
      continue;
    }
    if (WRITE_METHODS.has(t.v)) {
      flag('mutating', `${t.v} (a write method by name)`, t.at);
      continue;
    }
    if (calledAt(k + 1) && !GLOBAL_FUNCTIONS.has(t.v) && !locals.has(t.v)
      && !['function', 'if', 'for', 'while', 'switch', 'catch', 'return', 'typeof', 'await', 'async', 'new', 'in',
        'of', 'do', 'else', 'void', 'delete', 'throw', 'case', 'yield', 'instanceof', 'super'].includes(t.v)) {
      flag('unknown', `${t.v}() (not known to be read-only)`, t.at);
    }
  }
  return { flag: worst, retargets };
}

// ---------------------------------------------------------------------------------------------------------------
// The module

interface Script {
  readonly from: string;
  readonly text?: string;
  readonly error?: string;
  readonly tooLarge?: boolean;
}

function readScript(ctx: ToolContext, file: string, label: string): Script {
  const res = ctx.files.readText(path.resolve(ctx.cwd, file), MAX_SCRIPT);
  if (res.ok) return { from: label, text: res.text };
  return { from: label, error: res.message, tooLarge: /larger than/.test(res.message) };
}

/** ~/.mongoshrc.js when it exists (an unreadable one is judged unreadable: mongosh may read it). */
function readRc(ctx: ToolContext): Script | undefined {
  const from = '~/.mongoshrc.js';
  const res = ctx.files.readText(path.join(ctx.home, '.mongoshrc.js'), MAX_SCRIPT);
  if (res.ok) return { from, text: res.text };
  if (res.missing) return undefined;
  return { from, error: res.message, tooLarge: /larger than/.test(res.message) };
}

/** An --eval that passes a password (its argument is then masked wherever the command line is shown). */
const SECRET_SCRIPT = /\b(?:createUser|updateUser|changeUserPassword|auth|pwd|passwd|password|secret|token|apiKey)\b/i;

function analyzeMongosh(tool: string, argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const main = readMongoArgv(argv, false);
  const readings = main.odd.length ? [main, readMongoArgv(argv, true)] : [main];
  const targets: GuardTarget[] = [];
  const seen = new Set<string>();
  const addTarget = (t: GuardTarget): void => {
    const key = `${t.name}|${t.unresolved ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      targets.push(t);
    }
  };
  const evals: string[] = [];
  const files = new Set<string>();
  let nodbAll = true;
  let interactive = false;
  let norc = true;
  let exits = true;
  for (const r of readings) {
    const nodb = truthy(r, 'nodb');
    nodbAll &&= nodb;
    const pos = r.positionals.map((p) => p.value);
    let spec: string | undefined;
    if (pos.length && !nodb && (pos[0].startsWith('mongodb://') || pos[0].startsWith('mongodb+srv://')
      || !(pos[0].endsWith('.js') || pos[0].endsWith('.mongodb')))) {
      spec = pos.shift();
    }
    const fileVals = values(r, 'file').map(String);
    fileVals.forEach((f) => files.add(f));
    pos.forEach((f) => files.add(f));
    const ev = values(r, 'eval').map(String);
    evals.push(...ev);
    if (fileVals.length + pos.length + ev.length === 0 || truthy(r, 'shell')) interactive = true;
    if (!truthy(r, 'norc')) norc = false;
    if (!truthy(r, 'help', 'version', 'buildInfo')) exits = false;
    if (nodb) {
      addTarget({ kind: 'database', name: '(no server: --nodb)', identifiers: [], details: {}, source: '--nodb flag',
        unresolved: 'mongosh --nodb connects only where its script says' });
    } else {
      resolveMongo(r, spec, ctx.env).forEach((c) => addTarget(mongoTarget(c)));
    }
  }
  // Scripts are read here only to see whether they open their own connection (connect(), new Mongo(), code the
  // guard cannot follow): such a command gets an unresolved target, so a dev address cannot hide a prod write.
  // ~/.mongoshrc.js runs first in every interactive session (with commands piped in too) unless --norc.
  const rcScript = interactive && !norc && !exits ? readRc(ctx) : undefined;
  const scripts: Script[] = [
    ...[...new Set(evals)].map((text, k) => ({ from: evals.length > 1 ? `--eval #${k + 1}` : '--eval', text })),
    ...[...files].map((f) => readScript(ctx, f, f)),
    ...(rcScript ? [rcScript] : []),
  ];
  const judgements = new Map<Script, ScriptJudgement>();
  const judgeOf = (s: Script): ScriptJudgement => {
    let j = judgements.get(s);
    if (!j) {
      j = s.text !== undefined ? judgeMongoScript(s.text, s.from)
        : { verdict: verdict(s.tooLarge ? 'tooLarge' : 'unreadable', `${s.from}: ${s.error}`, { from: s.from }),
          retargets: true };
      judgements.set(s, j);
    }
    return j;
  };
  if (!nodbAll && scripts.some((s) => judgeOf(s).retargets)) {
    addTarget({ kind: 'database', name: '(a server the script chooses)', identifiers: [], details: {},
      source: 'script',
      unresolved: 'the script may connect to another server (connect(), Mongo(), or code the guard cannot follow)' });
  }
  const secretArgs = [...new Set(readings.flatMap((r) => [
    ...r.opts.filter((o) => BY_NAME.get(o.name)?.secret && o.valueIndex !== undefined).map((o) => o.valueIndex!),
    // --host user:pw@h (refused), a script that passes passwords (db.auth('u', 'pw'), createUser({pwd: …})).
    ...r.opts.filter((o) => o.valueIndex !== undefined && typeof o.value === 'string'
      && ((o.name === 'host' && o.value.includes('@')) || (o.name === 'eval' && SECRET_SCRIPT.test(o.value))))
      .map((o) => o.valueIndex!),
    ...r.positionals
      .filter((p) => uriHasSecret(p.value) || (!/^mongodb(\+srv)?:/i.test(p.value) && p.value.includes('@')))
      .map((p) => p.index),
    ...oddSecrets(argv, r),
    ...r.ignoredSecrets,
  ]))].sort((a, b) => a - b);
  const problems: Problem[] = main.odd.length
    ? [{ source: `${tool} arguments`,
      message: `mongosh does not accept ${main.odd.map(shownOdd).join(', ')} as written` }]
    : [];
  const firstFile = [...files][0];
  const shownFile = secretArgs.some((i) => argv[i] === firstFile) ? '(a script file)' : firstFile;
  // stdin is judged for its targets and then for the verdict: once.
  let stdinMemo: { text: string; j: ScriptJudgement } | undefined;
  const judgeStdin = (text: string): ScriptJudgement => {
    if (stdinMemo?.text !== text) stdinMemo = { text, j: judgeMongoScript(text, 'stdin', true) };
    return stdinMemo.j;
  };
  return {
    // A file name that is a secret's value (`--aws-secret-access-key KEY`, refused) is never the verb.
    verb: evals.length ? '--eval' : files.size ? shownFile : '(interactive)',
    targets,
    problems,
    readsStdin: interactive && !exits,
    secretArgs,
    // A script piped into a development session may open its own connection: then it is judged as unresolved.
    stdinTargets(stdin: StdinInput): GuardTarget[] {
      if (nodbAll || (!stdin.tooLarge && (stdin.text === undefined || !judgeStdin(stdin.text).retargets))) return [];
      return [{
        kind: 'database', name: '(a server the script on stdin chooses)', identifiers: [], details: {}, source: 'stdin',
        unresolved: 'the script on stdin may connect to another server (connect(), Mongo(), or code the guard cannot '
          + 'follow)',
      }];
    },
    judge(stdin: StdinInput): Verdict {
      if (exits) return verdict('noEffect', `${tool} --help/--version (nothing runs)`);
      if (main.odd.length) {
        return verdict('unparseable', `${tool}: ${shownOdd(main.odd[0])} is not an option mongosh reads as written`);
      }
      let worst: Verdict | undefined;
      let retargets = false;
      const take = (j: ScriptJudgement): void => {
        worst = worse(worst, j.verdict);
        retargets ||= j.retargets;
      };
      scripts.forEach((s) => take(judgeOf(s)));
      if (interactive) {
        if (stdin.tooLarge) {
          take({ verdict: verdict('tooLarge', 'a script on stdin', { from: 'stdin' }), retargets: true });
        } else if (stdin.text !== undefined) take(judgeStdin(stdin.text));
        else if (!worst || RANK[worst.code] < RANK.harmlessWrite) {
          worst = verdict('interactive', `${tool} interactive shell`);
        }
      }
      const v: Verdict = worst ?? verdict('readOnly', 'nothing to run');
      if (nodbAll && !retargets && (v.code === 'destructive' || v.code === 'mutating')) {
        // No server: db writes fail; only a script that connects itself reaches one (and that reads as unknown).
        return verdict('localOnly', `${tool} --nodb (no server): ${v.what}`);
      }
      return v;
    },
  };
}

/** mongosh and the legacy mongo shell name. */
export const mongoshModule: ToolModule = {
  tools: ['mongosh', 'mongo'],
  analyze: (tool, argv, ctx) => analyzeMongosh(tool, argv, ctx),
};
