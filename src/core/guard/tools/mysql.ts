// MariaDB 10.11 clients: mysql/mariadb, mysqladmin/mariadb-admin and the read-only mysqldump/mariadb-dump.
// Grammar: MariaDB's my_getopt, read here exactly as mysys/my_getopt.c reads it (proven against the binaries
// in test/system/mysql-real.test.ts): options anywhere before `--`, bundles (`-sNe SQL`, `-hHOST`), `-pSECRET`
// attached only (`-p secret` makes `secret` the database), a separate value for `--host prod`, unique prefixes
// (`--hos=x`), names compared case-insensitively with `_` = `-` (`--HOST=x`), the special prefixes
// `skip-`/`disable-`/`enable-`/`maximum-`/`loose-`/`autoset-` (chained: `--skip-loose-host=x` sets host), and
// "struct" options (`--x.host=prod` sets host). parseArgs' `mysql` style differs on these, so this module reads
// argv itself from the same `Grammar` data (see MYSQL_GRAMMARS). Option files: mysqlOptions.ts.
import * as path from 'path';
import type { FlagDef, Grammar, ParsedArgs, ParsedFlag } from '../grammar';
import { flagsFromSpec } from '../grammar';
import { MASK } from '../../mask';
import { judgeSql } from '../sql/index';
import { Judge } from '../sql/judge';
import type { LexMode } from '../sql/lexer';
import { type MysqlState, runMysql } from '../sql/mysql';
import {
  type GuardTarget, type StdinInput, type ToolAnalysis, type ToolContext, type ToolModule, verdict, type Verdict,
  sessionVerdict, worstVerdict,
} from '../types';
import {
  type DefaultsArgs, type FileOption, leadingDefaults, type OptionFiles, type OptionFilesResult, readOptionFiles,
} from './mysqlOptions';

const SSL = `,ssl ,ssl-ca= ,ssl-capath= ,ssl-cert= ,ssl-cipher= ,ssl-key= ,ssl-crl= ,ssl-crlpath= ,tls-version=
  ,ssl-verify-server-cert`;

/** Each tool's options, from its `--help --verbose` (MariaDB 10.11), in the binary's order. */
export const MYSQL_SPECS: Readonly<Record<'mysql' | 'mysqladmin' | 'mysqldump', string>> = {
  mysql: `?,help I,help ,abort-source-on-error ,auto-rehash A,no-auto-rehash ,auto-vertical-output B,batch
    ,binary-as-hex ,binary-mode ,character-sets-dir= ,column-names N,skip-column-names ,column-type-info c,comments
    C,compress ,connect-expired-password ,connect-timeout= D,database= #,debug=? ,debug-check T,debug-info
    ,default-auth= ,default-character-set= ,delimiter= ,enable-cleartext-plugin e,execute= f,force h,host= H,html
    i,ignore-spaces ,init-command= ,line-numbers L,skip-line-numbers ,local-infile ,max-allowed-packet=
    ,max-join-size= G,named-commands ,net-buffer-length= b,no-beep o,one-database ,pager=? p,password=?
    ,plugin-dir= P,port= ,print-query-on-error ,progress-reports ,prompt= ,protocol= q,quick
    ,quick-max-column-width= r,raw ,reconnect U,safe-updates U,i-am-a-dummy ,sandbox ,secure-auth ,select-limit=
    ,server-arg= ,show-warnings ,sigint-ignore s,silent S,socket= ${SSL} t,table ,tee= n,unbuffered u,user=
    v,verbose V,version E,vertical w,wait X,xml`,
  mysqladmin: `c,count= ,debug-check ,debug-info f,force C,compress ,character-sets-dir= ,default-character-set=
    ?,help h,host= l,local b,no-beep p,password=? P,port= ,protocol= r,relative s,silent S,socket= i,sleep= ${SSL}
    u,user= v,verbose V,version E,vertical w,wait=? ,connect-timeout= ,shutdown-timeout= ,wait-for-all-slaves
    ,plugin-dir= ,default-auth=`,
  mysqldump: `A,all-databases Y,all-tablespaces y,no-tablespaces ,add-drop-database ,add-drop-table
    ,add-drop-trigger ,add-locks ,allow-keywords ,apply-slave-statements ,as-of= ,character-sets-dir= i,comments
    ,compatible= ,compact c,complete-insert C,compress ,copy-s3-tables a,create-options B,databases #,debug=?
    ,debug-check ,debug-info ,default-character-set= ,delayed-insert ,delete-master-logs K,disable-keys ,dump-date
    H,dump-history ,dump-slave=? E,events e,extended-insert ,fields-terminated-by= ,fields-enclosed-by=
    ,fields-optionally-enclosed-by= ,fields-escaped-by= F,flush-logs ,flush-privileges f,force ,gtid ,header
    ?,help ,hex-blob h,host= ,ignore-database= ,ignore-table-data= ,ignore-table= ,include-master-host-port
    ,insert-ignore ,lines-terminated-by= x,lock-all-tables l,lock-tables ,log-error= ,log-queries ,master-data=?
    ,max-allowed-packet= ,max-statement-time= ,net-buffer-length= ,no-autocommit n,no-create-db t,no-create-info
    d,no-data ,no-data-med N,no-set-names ,opt ,order-by-primary ,order-by-size p,password=? P,port= ,protocol=
    q,quick Q,quote-names ,replace r,result-file= R,routines ,set-charset ,single-transaction ,skip-opt S,socket=
    ${SSL} ,system= T,tab= ,tables ,triggers ,tz-utc u,user= v,verbose V,version w,where= X,xml ,plugin-dir=
    ,default-auth= ,galera-info`,
};

function myGrammar(spec: string): Grammar {
  return { style: 'mysql', abbreviations: true, underscoreIsDash: true, flags: flagsFromSpec(spec, ['password']) };
}

/** The my_getopt grammars, one per tool family (the `mariadb-*` names read the same options). */
export const MYSQL_GRAMMARS: Readonly<Record<'mysql' | 'mysqladmin' | 'mysqldump', Grammar>> = {
  mysql: myGrammar(MYSQL_SPECS.mysql),
  mysqladmin: myGrammar(MYSQL_SPECS.mysqladmin),
  mysqldump: myGrammar(MYSQL_SPECS.mysqldump),
};

type Family = keyof typeof MYSQL_GRAMMARS;

/** Options the release builds list but refuse ("This is a non-debug version"): an error, never a value taken. */
export const MYSQL_DISABLED: Readonly<Record<Family, ReadonlySet<string>>> = {
  mysql: new Set(['debug']), mysqladmin: new Set(), mysqldump: new Set(['debug']),
};

/** Executable → family; the groups each reads in its option files (`--help` lists them). */
const FAMILIES: Readonly<Record<string, Family>> = {
  mysql: 'mysql', mariadb: 'mysql', mysqladmin: 'mysqladmin', 'mariadb-admin': 'mysqladmin',
  mysqldump: 'mysqldump', 'mariadb-dump': 'mysqldump',
};
/** The option-file groups of each family (MariaDB 10.11 `--help`). */
export const MYSQL_GROUPS: Readonly<Record<Family, readonly string[]>> = {
  mysql: ['mysql', 'mariadb-client', 'client', 'client-server', 'client-mariadb'],
  mysqladmin: ['mysqladmin', 'mariadb-admin', 'client', 'client-server', 'client-mariadb'],
  mysqldump: ['mysqldump', 'mariadb-dump', 'client', 'client-server', 'client-mariadb'],
};

/** my_getopt's special prefixes, in its order (`special_opt_prefix`). */
const PREFIXES = ['skip', 'disable', 'enable', 'maximum', 'loose', 'autoset'] as const;
type Prefix = (typeof PREFIXES)[number];

/** A flag occurrence, from the command line (`index` ≥ 0) or an option file (`index` = -1, `file`/`line`). */
export interface MyFlag extends ParsedFlag {
  readonly file?: string;
  readonly line?: number;
  /** `skip`/`disable`/`enable`: the value is my_getopt's "0"/"" stand-in, not something the user typed. */
  readonly special?: 'skip' | 'disable' | 'enable';
}

/** An argv read by my_getopt (file options first, then the command line after the defaults arguments). */
export interface MyParsed extends ParsedArgs {
  readonly flags: readonly MyFlag[];
  /** Messages the client prints and goes on (loose unknown options, bad boolean values). */
  readonly warnings: readonly string[];
  /** `--help`/`-?`/`-I` or `--version`/`-V` was reached: the client prints and exits. */
  readonly exits?: string;
  /**
   * argv indices of the word after a bare `-p`/`--password` (or a rejected password-like option): the client takes
   * it as the database (or a mysqladmin command), but it is most likely the password typed the wrong way.
   */
  readonly secretWords: readonly number[];
}

interface LongName {
  readonly key: string;
  readonly name: string;
  readonly def: FlagDef;
}

interface GrammarIndex {
  readonly longs: readonly LongName[];
  readonly shorts: ReadonlyMap<string, FlagDef>;
}

const indexes = new WeakMap<Grammar, GrammarIndex>();

function indexOf(g: Grammar): GrammarIndex {
  let ix = indexes.get(g);
  if (!ix) {
    const longs: LongName[] = [];
    const shorts = new Map<string, FlagDef>();
    for (const def of g.flags) {
      for (const l of def.long ?? []) longs.push({ key: l.toLowerCase().replace(/-/g, '_'), name: l, def });
      if (def.short && !shorts.has(def.short)) shorts.set(def.short, def);
    }
    ix = { longs, shorts };
    indexes.set(g, ix);
  }
  return ix;
}

/** getopt_compare_strings as 10.11 behaves: `-` = `_`, letters in any case. */
function sameChar(a: string, b: string): boolean {
  return (a === '-' ? '_' : a.toLowerCase()) === b;
}

/** What findopt found: the option when exactly one name matched, how many names matched, which. */
interface Found {
  readonly def?: FlagDef;
  readonly count: number;
  readonly names: string[];
}

/** findopt: an exact name wins; else the distinct names `s[from, to)` is a prefix of (count > 1: ambiguous). */
function findOpt(ix: GrammarIndex, s: string, from: number, to: number): Found {
  const len = to - from;
  const names: string[] = [];
  let found: FlagDef | undefined;
  for (const l of ix.longs) {
    if (l.key.length < len) continue;
    let k = 0;
    while (k < len && sameChar(s[from + k], l.key[k])) k++;
    if (k < len) continue;
    if (l.key.length === len) return { def: l.def, count: 1, names: [l.name] };
    if (!names.includes(l.name)) names.push(l.name);
    found = l.def;
  }
  return { def: names.length === 1 ? found : undefined, count: names.length, names };
}

/** Whether `s` at `from` starts with `prefix` and a `-`/`_` (case-insensitive). */
function hasPrefix(s: string, from: number, prefix: string): boolean {
  if (s.length - from <= prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (s[from + k].toLowerCase() !== prefix[k]) return false;
  const c = s[from + prefix.length];
  return c === '-' || c === '_';
}

/** One argument as my_getopt sees it: from an option file (always `--name[=value]`) or the command line. */
interface Arg {
  readonly text: string;
  /** argv index, or -1 for an option-file line. */
  readonly index: number;
  readonly file?: string;
  readonly line?: number;
}

/** Help and version options exit the client while it reads its options. */
const EXIT_FLAGS: ReadonlySet<string> = new Set(['help', 'version']);

/**
 * Reads option-file options and the command line as my_getopt's handle_options does. Never throws; linear in the
 * input (prefix stripping works on offsets). What the client rejects (and then exits) is in `errors`.
 */
export function readMyGetopt(fileOptions: readonly FileOption[], argv: readonly string[], argvStart: number,
  g: Grammar, disabled: ReadonlySet<string> = new Set()): MyParsed {
  const ix = indexOf(g);
  const args: Arg[] = [
    ...fileOptions.map((o) => ({ text: `--${o.option}`, index: -1, file: o.file, line: o.line })),
    ...argv.slice(argvStart).map((text, k) => ({ text, index: argvStart + k })),
  ];
  const flags: MyFlag[] = [];
  const positionals: Array<{ value: string; index: number }> = [];
  const unknown: Array<{ raw: string; index: number }> = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const secrets = new Set<number>();
  const secretWords: number[] = [];
  // The argv index of the word after a bare password option: masked if it is read as a positional.
  let maskNext = -1;
  let exits: string | undefined;
  let endOfOptions = false;
  let dashAt = -1;
  const where = (a: Arg): string => (a.file ? ` (${a.file}:${a.line})` : '');
  const add = (def: FlagDef, a: Arg, value: string | undefined, valueArg?: Arg, special?: MyFlag['special']): void => {
    flags.push({
      name: def.name, value, index: a.index, ...(valueArg ? { valueIndex: valueArg.index } : {}),
      ...(a.file ? { file: a.file, line: a.line } : {}), ...(special ? { special } : {}),
    });
    if (def.secret && valueArg && valueArg.index >= 0) secrets.add(valueArg.index);
    if (EXIT_FLAGS.has(def.name) && !special && exits === undefined) exits = def.name;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const t = a.text;
    const masked = maskNext;
    maskNext = -1;
    if (t.length < 2 || t[0] !== '-' || endOfOptions) {
      if (a.index >= 0) positionals.push({ value: t, index: a.index });
      if (a.index >= 0 && a.index === masked) secretWords.push(a.index);
      continue;
    }
    if (t[1] !== '-') {
      // Short options: bundled until one takes a value (the rest of the word, else the next argument).
      for (let k = 1; k < t.length; k++) {
        const def = ix.shorts.get(t[k]);
        if (!def) {
          errors.push(`unknown option '-${t[k]}'`);
          unknown.push({ raw: `-${t[k]}`, index: a.index });
          break;
        }
        if (disabled.has(def.name)) {
          // Reported, and the rest of the word is read on as more letters (proven with `-#d:t`).
          errors.push(`option '-${t[k]}' used, but is disabled`);
          continue;
        }
        if (def.arg === 'none') {
          add(def, a, 'true', undefined);
          continue;
        }
        if (k + 1 < t.length) {
          add(def, a, t.slice(k + 1), a);
        } else if (def.arg === 'optional') {
          add(def, a, undefined, undefined);
          if (def.secret && a.index >= 0) maskNext = a.index + 1;
        } else if (i + 1 < args.length && args[i + 1].index >= 0) {
          i++;
          add(def, a, args[i].text, args[i]);
        } else {
          errors.push(`option '-${t[k]}' requires an argument`);
        }
        break;
      }
      continue;
    }
    if (t.length === 2) {
      if (a.index >= 0) {
        endOfOptions = true;
        dashAt = positionals.length;
      }
      continue;
    }
    // Long option: `--[struct.]name[=value]`; a dot after the first character and before `=` starts the name anew.
    let from = 2;
    const eqAll = t.indexOf('=');
    const end = eqAll < 0 ? t.length : eqAll;
    const dot = t.indexOf('.', 3);
    if (dot >= 0 && end - dot > 1) from = dot + 1;
    const eq = t.indexOf('=', from);
    const nameEnd = eq < 0 ? t.length : eq;
    const optend: string | undefined = eq < 0 ? undefined : t.slice(eq + 1);
    let found = findOpt(ix, t, from, nameEnd);
    let prefix: Prefix | undefined;
    let loose = false;
    let autoset = false;
    if (found.count === 0) {
      // my_getopt strips special prefixes, restarting after each, until a name is found; the last one stripped rules.
      let p = from;
      for (let guard = 0; guard < t.length; guard++) {
        const pre = PREFIXES.find((x) => hasPrefix(t, p, x));
        if (!pre) break;
        p += pre.length + 1;
        if (pre === 'loose') loose = true;
        if (pre === 'autoset') autoset = true;
        const f = findOpt(ix, t, p, nameEnd);
        if (f.count > 0) {
          found = f;
          prefix = pre;
          break;
        }
      }
    }
    // Messages name the option, never its value (a password, or a line of an option file).
    const shown = t.slice(0, nameEnd);
    // A mistyped or ambiguous password option still holds a password (`--passwrd=x`, `--pa=x`): never show it.
    const passwordLike = found.count === 0 ? /pass|pwd/i.test(shown)
      : found.count > 1 && ix.longs.some((l) => l.def.secret && found.names.includes(l.name));
    if (passwordLike && a.index >= 0) {
      if (optend !== undefined) secrets.add(a.index);
      else maskNext = a.index + 1;
    }
    if (found.count === 0) {
      const msg = `unknown ${optend !== undefined ? 'variable' : 'option'} '${shown}'${where(a)}`;
      if (loose) warnings.push(msg);
      else {
        errors.push(msg);
        unknown.push({ raw: shown, index: a.index });
      }
      continue;
    }
    if (found.count > 1 || !found.def) {
      errors.push(`ambiguous option '${shown}' (${found.names.join(', ')})${where(a)}`);
      unknown.push({ raw: shown, index: a.index });
      continue;
    }
    const def = found.def;
    if (def.secret && optend !== undefined && a.index >= 0) secrets.add(a.index);
    if (disabled.has(def.name)) {
      const msg = `option '${shown.slice(2)}' used, but is disabled${where(a)}`;
      if (loose) warnings.push(msg);
      else errors.push(msg);
      continue;
    }
    // skip-/disable- hand the option my_getopt's "disabled" marker ("0"), or "enabled" for `=0`; enable- the reverse.
    let special: MyFlag['special'];
    let enabled: boolean | undefined;
    if (prefix === 'skip' || prefix === 'disable' || prefix === 'enable') {
      special = prefix;
      enabled = (prefix === 'enable') !== (optend === '0');
    }
    if (def.arg === 'none') {
      if (EXIT_FLAGS.has(def.name) && (special || optend !== undefined)) {
        errors.push(`option '--${def.name}' cannot take an argument`);
        continue;
      }
      add(def, a, special ? (enabled ? 'true' : '0') : optend ?? 'true', undefined, special);
      continue;
    }
    if (autoset) {
      const msg = `automatic setup request is unsupported by option '--${def.name}'`;
      if (loose) warnings.push(msg);
      else errors.push(msg);
      continue;
    }
    // A string option set to the "enabled" marker becomes empty; the "disabled" marker is the string "0".
    const value = special ? (enabled ? '' : '0') : optend;
    if (value !== undefined) {
      add(def, a, value, eq >= 0 && !special ? a : undefined, special);
    } else if (def.arg === 'optional') {
      add(def, a, undefined, undefined);
      if (def.secret && a.index >= 0) maskNext = a.index + 1;
    } else if (a.index >= 0 && i + 1 < args.length) {
      i++;
      add(def, a, args[i].text, args[i]);
    } else {
      errors.push(`option '--${def.name}' requires an argument${where(a)}`);
    }
  }
  return {
    flags, positionals, dashAt: dashAt < 0 ? positionals.length : dashAt, unknown, errors, warnings,
    secrets: [...secrets].sort((x, y) => x - y), secretWords, ...(exits ? { exits } : {}),
  };
}

/** The last occurrence of a flag (files first, then the command line: the last wins). */
function last(p: MyParsed, name: string): MyFlag | undefined {
  for (let k = p.flags.length - 1; k >= 0; k--) if (p.flags[k].name === name) return p.flags[k];
  return undefined;
}

/** A boolean option's final state: bare or `1`/`true`/`on` is on (my_getopt `get_bool_argument`). */
function boolOn(f: MyFlag | undefined): boolean {
  if (!f) return false;
  if (f.value === undefined || f.value === 'true') return true;
  return /^(1|true|on)$/i.test(f.value);
}

/** Where a connection value came from, for the decision's explanation. */
function sourceOf(f: MyFlag, flagLabel: string): { source: string; line?: number } {
  return f.file ? { source: f.file, line: f.line } : { source: flagLabel };
}

/** find_type(…, FIND_TYPE_BASIC) over `names`: exact (trailing spaces allowed) or a unique prefix, any case. */
export function findType(x: string, names: readonly string[]): number {
  let count = 0;
  let at = -1;
  for (let pos = 0; pos < names.length; pos++) {
    const n = names[pos];
    let k = 0;
    while (k < x.length && k < n.length && x[k].toUpperCase() === n[k].toUpperCase()) k++;
    if (k === n.length && /^ *$/.test(x.slice(k))) return pos + 1;
    if (k === x.length) {
      count++;
      at = pos;
    }
  }
  if (count === 0 || x === '') return 0;
  return count === 1 ? at + 1 : -1;
}

/** Where the client connects: last host/port/socket/database/user of files then flags, then MYSQL_* variables. */
function resolveTarget(family: Family, p: MyParsed, ctx: ToolContext, files: OptionFilesResult,
  database: Database | undefined, dbShown: string | undefined, unresolved: readonly string[]): GuardTarget {
  const hostF = last(p, 'host');
  const portF = last(p, 'port');
  const sockF = last(p, 'socket');
  const userF = last(p, 'user');
  let protocol: string | undefined;
  for (const f of p.flags) {
    if (f.name === 'protocol' && f.value !== undefined) {
      const k = findType(f.value, ['TCP', 'SOCKET', 'PIPE', 'MEMORY']);
      protocol = k > 0 ? ['tcp', 'socket', 'pipe', 'memory'][k - 1] : f.value;
    } else if (f.name === 'port' && f.index >= 0) protocol = 'tcp'; // a port on the command line means TCP
    else if (f.name === 'socket' && f.index >= 0 && protocol !== 'pipe') protocol = 'socket';
  }
  let host: string;
  let hostSource: { source: string; line?: number };
  if (hostF && hostF.value !== undefined) {
    host = hostF.value;
    hostSource = sourceOf(hostF, '-h flag');
  } else if (family === 'mysql' && ctx.env.MYSQL_HOST !== undefined) {
    // Only the mysql client reads MYSQL_HOST (as its host option's default); mysqladmin and mysqldump do not.
    host = ctx.env.MYSQL_HOST;
    hostSource = { source: 'env:MYSQL_HOST' };
  } else {
    host = '';
    hostSource = { source: 'default (local socket)' };
  }
  if (host === '') host = 'localhost';
  const socket = sockF?.value ?? ctx.env.MYSQL_UNIX_PORT ?? ctx.env.MARIADB_UNIX_PORT; // MYSQL_ wins (proven)
  const portValue = portF?.value !== undefined && portF.value !== '0' ? portF.value : ctx.env.MYSQL_TCP_PORT;
  const viaSocket = host === 'localhost' && protocol !== 'tcp';
  const identifiers = [host];
  if (database && database.value) identifiers.push(database.value);
  if (viaSocket && socket) identifiers.push(socket);
  if (!viaSocket && portValue) identifiers.push(`${host}:${portValue}`);
  const details: Record<string, string> = { host };
  if (portValue && !viaSocket) details.port = portValue;
  if (viaSocket) details.socket = socket ?? '/run/mysqld/mysqld.sock';
  if (database?.value) details.database = dbShown ?? database.value;
  if (userF?.value) details.user = userF.value;
  if (protocol) details.protocol = protocol;
  if (files.files.length) details.optionFiles = files.files.join(', ');
  const name = database?.value ? `${host}/${dbShown ?? database.value}` : host;
  return {
    kind: 'database', name, identifiers, details, source: hostSource.source,
    ...(hostSource.line !== undefined ? { line: hostSource.line } : {}),
    ...(unresolved.length ? { unresolved: unresolved.join('; ') } : {}),
  };
}

// ---- Where a script moves the session: connect/\r, use/\u, a USE the server runs, also in sourced files ----
// The script is read by the SQL judge's own mysql client reader (sql/mysql.ts), which finds the client's commands
// exactly where the client does (at a line start, at every delimiter after comments are stripped, `\X` anywhere
// outside quotes); this module only sees each command with the text the client hands it and does what mysql.cc's
// com_connect/com_use/com_source do with that text.

/** The guard's bounds on one script: distinct places, sourced text, nesting (the client has none). */
const PLACE_LIMIT = 64;
/** connect/use/source commands read per script: a real script has a few, a hostile one millions (`\r;\r;…`). */
const COMMAND_LIMIT = 20000;
/** The largest script read a second time (without backslash escapes), within the time budget. */
const SECOND_READING_LIMIT = 16 * 1024 * 1024;
const SOURCE_BUDGET = 16 * 1024 * 1024;
const SOURCE_DEPTH = 16;
/** How much of its line each command copies (mysql.cc: com_connect `buff[256]`, com_use `FN_REFLEN + 1`). */
const CONNECT_BUFF = 254;
const USE_BUFF = 512;
/** A script that may turn backslash escapes off: it names NO_BACKSLASH_ESCAPES or sets sql_mode from an expression. */
const DROPS_ESCAPES = /no_backslash_escapes|sql_mode\s*:?=\s*[^'"@\s]/i;
/** Client commands that can move the session, searched for in a quote that never closes. */
const HIDDEN_COMMAND = /\\r|\\\.|\bconnect\b|\bsource\b/i;

function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

/** The first `max` characters of a command line, as strmake copies them (up to a NUL; a CR before LF dropped). */
function clientBuffer(raw: string, max: number): string {
  let s = raw.length > max ? raw.slice(0, max) : raw;
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  return s.includes('\r') ? s.replace(/\r(?=\n|$)/g, '') : s;
}

/**
 * mysql.cc get_arg: from `from`, skips the command word (GET) or starts after the previous argument (GET_NEXT),
 * then reads one argument: quoted (`'…'`, `"…"`, `` `…` ``) or up to a space (only a space: a tab stays in it);
 * a backslash takes the next character as is, a doubled quote is one (not in a `\X` command's first argument).
 * Returns the argument (undefined: none, or an unclosed quote) and where the next one may start.
 */
export function clientArg(buf: string, from: number, next: boolean): { value?: string; next: number } {
  const n = buf.length;
  let p = from;
  let short = false;
  if (!next) {
    while (p < n && isCSpace(buf[p])) p++;
    short = buf[p] === '\\';
    if (short) p += 2;
    else while (p < n && !isCSpace(buf[p])) p++;
  }
  if (p >= n) return { next: n };
  while (p < n && isCSpace(buf[p])) p++;
  let q = '';
  if (buf[p] === "'" || buf[p] === '"' || buf[p] === '`') q = buf[p++];
  const start = p;
  const stop = q || ' ';
  // Pieces between the characters get_arg removes, copied by slices (the buffer is at most a few hundred long).
  let out = '';
  let piece = p;
  for (;;) {
    let e = buf.indexOf(stop, p);
    if (e < 0) e = n;
    let b = buf.indexOf('\\', p);
    if (b < 0 || b + 1 >= n) b = n;
    if (!short && q && e + 1 < n && buf[e + 1] === q && e < b) {
      out += buf.slice(piece, e + 1);
      p = piece = e + 2;
      continue;
    }
    if (b < e) {
      out += buf.slice(piece, b) + buf[b + 1];
      p = piece = b + 2;
      continue;
    }
    if (e >= n) return { value: e !== start && !q ? out + buf.slice(piece, n) : undefined, next: n };
    return { value: e !== start ? out + buf.slice(piece, e) : undefined, next: e + 1 };
  }
}

/** How far into its line the guard looks for the space before a `source` file name. */
const SOURCE_SCAN = 8192;

/**
 * mysql.cc com_source: the file name is everything after the first space (at most FN_REFLEN), trailing blanks and
 * controls cut; '' when there is none (the client prints its usage), undefined when the space is beyond the guard's
 * reach.
 */
export function sourceName(raw: string): string | undefined {
  const s = clientBuffer(raw, SOURCE_SCAN + 512);
  let p = 0;
  while (p < s.length && isCSpace(s[p])) p++;
  const sp = s.indexOf(' ', p);
  if (sp < 0 || sp >= SOURCE_SCAN) return sp < 0 && s.length === raw.length ? '' : undefined;
  p = sp;
  while (p < s.length && isCSpace(s[p])) p++;
  if (p >= SOURCE_SCAN) return undefined;
  let e = Math.min(s.length, p + 511);
  while (e > p && (s.charCodeAt(e - 1) <= 32 || s.charCodeAt(e - 1) === 127)) e--;
  return s.slice(p, e);
}

/** Connector/C reads a host holding `;` as a connection string (`x;host=prod;port=3306`): its host names. */
function connectionStringHosts(host: string): string[] {
  const out: string[] = [];
  for (const part of host.split(';')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? '' : part.slice(0, eq).trim().toLowerCase();
    const value = (eq < 0 ? part : part.slice(eq + 1)).trim().replace(/^\{(.*)\}$/, '$1');
    if (value && (eq < 0 || key === 'host' || key === 'server')) out.push(value);
  }
  return out;
}

/** Where a session is: host (with why it is not fully known), database as used and as shown. */
interface Place {
  readonly host: string;
  readonly hostDoubt?: string;
  readonly hostIds?: readonly string[];
  readonly db?: string;
  readonly dbShown?: string;
}

/** A reading of the client that classifies no SQL: server texts are only looked at for a `USE`. */
class ScanJudge extends Judge {
  constructor(mode: LexMode, private readonly onServer: (text: string) => void) {
    super({ dialect: 'mysql', client: 'mysql' }, mode, Number.MAX_SAFE_INTEGER);
  }

  override serverText(text: string): void {
    this.onServer(text);
  }

  override note(): void {
    // The scan keeps no findings: the SQL judge judges the same text when it matters.
  }
}

const BACKSLASH_MODE: LexMode = { dialect: 'mysql', backslash: true, ansiQuotes: false };
const NO_BACKSLASH_MODE: LexMode = { dialect: 'mysql', backslash: false, ansiQuotes: false };

/** Options of one scan. */
interface ScanOptions {
  readonly delimiter: string;
  readonly namedCommands: boolean;
  /** Target names already listed: not listed again. */
  readonly taken: ReadonlySet<string>;
  /** Set for a second reading (NO_BACKSLASH_ESCAPES): every new place it finds is unresolved, for this reason. */
  readonly doubt?: string;
}

/** One reading of a script (and the files it sources) that lists every place the session moves to. */
class ClientScan {
  readonly targets: GuardTarget[] = [];
  readonly judge: ScanJudge;
  /** Some text names NO_BACKSLASH_ESCAPES or sets sql_mode from an expression. */
  mayDropEscapes = false;
  private readonly keys = new Set<string>();
  private readonly state: MysqlState;
  private place: Place;
  private from = '';
  private budget = SOURCE_BUDGET;
  private commands = 0;
  private lastServer = '';
  private readonly done = new Map<string, Place & { delimiter: string }>();
  private readonly read = new Set<string>();

  constructor(start: Place, private readonly ctx: ToolContext, mode: LexMode, private readonly opts: ScanOptions) {
    this.place = start;
    this.judge = new ScanJudge(mode, (text) => this.server(text));
    this.state = {
      delimiter: opts.delimiter, cwd: ctx.cwd, depth: 0, namedCommands: opts.namedCommands,
      onCommand: (name, raw) => this.command(name, raw),
    };
  }

  /** Reads a script (`from`: `-e`, `stdin`). */
  run(text: string, from: string): void {
    this.from = from;
    this.runText(text);
  }

  /** Reads SQL the server runs as it is (`--init-command`): only a `USE` in it moves the session. */
  runServer(text: string, from: string): void {
    this.from = from;
    this.server(text);
  }

  private runText(text: string): void {
    if (!this.mayDropEscapes && DROPS_ESCAPES.test(text)) this.mayDropEscapes = true;
    this.lastServer = '';
    const end = runMysql(this.judge, text, { from: this.from, source: text }, this.state);
    // A quote that never closes: the rest went to the server as one broken statement, unless the quote is read
    // wrongly here; a command hidden in it is a place the guard cannot rule out.
    const m = end.inString && !this.judge.stopped ? HIDDEN_COMMAND.exec(this.lastServer) : null;
    if (m) {
      // Where it would go if it ran: its own line read as com_connect reads it.
      const line = this.lastServer.slice(m.index, m.index + CONNECT_BUFF).split('\n')[0];
      const buf = clientBuffer(line, CONNECT_BUFF);
      const moves = m[0][1] !== '.' && !/^s/i.test(m[0]);
      const db = moves ? clientArg(buf, 0, false) : { next: 0 };
      const host = db.value ? clientArg(buf, db.next, true).value : undefined;
      const at: Place = {
        ...this.place, ...(db.value ? { db: db.value, dbShown: db.value } : {}),
        ...(host ? { host, hostDoubt: undefined, hostIds: undefined } : {}),
      };
      this.add(at, `\`${m[0]}\` in a quote that never closes (${this.from}): the guard cannot tell whether it runs`);
    }
  }

  private command(name: string, raw: string): boolean {
    if (name !== 'connect' && name !== 'use' && name !== 'source') return false;
    if (!this.count()) return true;
    if (name === 'connect') this.connect(raw);
    else if (name === 'use') {
      const db = clientArg(clientBuffer(raw, USE_BUFF), 0, false).value;
      if (db) this.moveTo({ ...this.place, db, dbShown: db });
    } else this.source(raw);
    return true;
  }

  /** Counts a command that may move the session; past the limit, one unresolved place and the scan stops. */
  private count(): boolean {
    if (++this.commands <= COMMAND_LIMIT) return true;
    this.add(this.place, `more than ${COMMAND_LIMIT} connect/use/source commands: the guard stopped reading`);
    this.judge.stopped = true;
    return false;
  }

  /** com_connect: `connect [db [host]]`; no database means a plain reconnect to the same place. */
  private connect(raw: string): void {
    const buf = clientBuffer(raw, CONNECT_BUFF);
    const db = clientArg(buf, 0, false);
    if (!db.value) return;
    const host = clientArg(buf, db.next, true).value;
    let place: Place = { ...this.place, db: db.value, dbShown: db.value };
    if (host !== undefined) {
      const hosts = host.includes(';') ? connectionStringHosts(host) : [host];
      place = {
        ...place, host: hosts[hosts.length - 1] ?? 'localhost', hostIds: hosts.slice(0, 8),
        hostDoubt: host.includes(';')
          ? 'the host holds `;`: the client library reads it as a connection string, which the guard does not follow'
          : undefined,
      };
    }
    this.moveTo(place);
  }

  /** com_source: reads the file (relative to the command's folder, `~/` in the home folder) as more script. */
  private source(raw: string): void {
    const name = sourceName(raw);
    if (name === undefined) {
      this.add(this.place, 'a source command whose file name the guard cannot find');
      return;
    }
    if (!name) return; // the client prints its usage or fails to open '': nothing runs
    let file: string;
    if (name === '~' || name.startsWith('~/')) file = path.join(this.ctx.home, name.slice(1));
    else if (name.startsWith('~')) {
      this.add(this.place, `source ${name}: ~user paths are not followed by the guard`);
      return;
    } else file = path.resolve(this.ctx.cwd, name);
    const key = [file, this.place.host, this.place.hostDoubt, this.place.db, this.state.delimiter].join('\0');
    const seen = this.done.get(key);
    if (seen) {
      // Read before from the same place: it moves the session the same way again.
      this.place = seen;
      this.state.delimiter = seen.delimiter;
      return;
    }
    if (this.state.depth >= SOURCE_DEPTH) {
      if (!this.read.has(file)) this.add(this.place, `source ${name}: nested deeper than the guard reads`);
      return;
    }
    const got = this.ctx.files.readText(file, SOURCE_BUDGET);
    if (!got.ok) {
      this.add(this.place, `source ${name}: ${got.message}`);
      return;
    }
    this.budget -= got.text.length;
    if (this.budget < 0) {
      this.add(this.place, 'sourced files larger than the guard reads');
      this.judge.stopped = true;
      return;
    }
    this.read.add(file);
    const outer = this.from;
    this.from = `source ${name}`;
    this.state.depth++;
    this.runText(got.text);
    this.state.depth--;
    this.from = outer;
    this.done.set(key, { ...this.place, delimiter: this.state.delimiter });
  }

  /** A statement the server runs: `USE db` in it (after `\g`, in `/*! … *\/`, after a custom delimiter) moves too. */
  private server(text: string): void {
    this.lastServer = text;
    if (!/\buse\b/i.test(text)) return;
    this.judge.eachStatement(text, (s) => {
      if (!s.is(0, 'USE') || s.n < 2 || this.judge.stopped || !this.count()) return;
      const raw = s.raw(1);
      const q = raw[0];
      const db = q === '`' || q === '"' ? raw.slice(1, -1).split(q + q).join(q) : raw;
      if (db) this.moveTo({ ...this.place, db, dbShown: db });
    });
  }

  private moveTo(place: Place): void {
    this.place = place;
    this.add(place, place.hostDoubt);
  }

  /** Lists a place once (a doubt makes it a place of its own); past the limit, one last unresolved place. */
  private add(place: Place, doubt?: string): void {
    const why = doubt ?? this.opts.doubt;
    const name = place.db !== undefined ? `${place.host}/${place.dbShown ?? place.db}` : place.host;
    if (!why && this.opts.taken.has(name)) return;
    if (this.opts.doubt && this.opts.taken.has(name)) return;
    const key = why ? `${name}\0${why}` : name;
    if (this.keys.has(key)) return;
    if (this.keys.size >= PLACE_LIMIT) {
      if (!this.judge.stopped) {
        this.targets.push({
          kind: 'database', name, identifiers: [place.host], details: { host: place.host }, source: this.from,
          unresolved: `the script moves the session to more than ${PLACE_LIMIT} places: the guard stopped reading`,
        });
      }
      this.judge.stopped = true;
      return;
    }
    this.keys.add(key);
    const ids = [place.host, ...(place.hostIds ?? []).filter((h) => h !== place.host)];
    if (place.db) ids.push(place.db);
    this.targets.push({
      kind: 'database', name, identifiers: ids,
      details: { host: place.host, ...(place.db ? { database: place.dbShown ?? place.db } : {}), via: this.from },
      source: `${this.from} (connect/use)`, ...(why ? { unresolved: why } : {}),
    });
  }
}

/**
 * Every place a mysql script moves the session to, read as the client reads it. When a quote holding a backslash
 * ends elsewhere without backslash escapes and the script may turn them off, the script is read that way too:
 * what only that reading finds is unresolved.
 */
function scriptTargets(text: string, from: string, start: Place, ctx: ToolContext,
  opts: Omit<ScanOptions, 'doubt'> & { initDropsEscapes: boolean }): GuardTarget[] {
  const first = new ClientScan(start, ctx, BACKSLASH_MODE, opts);
  first.run(text, from);
  const out = [...first.targets];
  if (first.judge.altSingle && (first.mayDropEscapes || opts.initDropsEscapes)) {
    const taken = new Set([...opts.taken, ...out.map((t) => t.name)]);
    const doubt = 'the script may turn backslash escapes off (NO_BACKSLASH_ESCAPES), and then the client reads a'
      + ' quoted backslash differently and moves the session here';
    if (text.length > SECOND_READING_LIMIT) {
      out.push({
        kind: 'database', name: start.host, identifiers: [start.host], details: { host: start.host }, source: from,
        unresolved: `${doubt.replace(/ and moves the session here$/, '')}: too large to read both ways`,
      });
      return out;
    }
    const second = new ClientScan(start, ctx, NO_BACKSLASH_MODE, { ...opts, taken, doubt });
    second.run(text, from);
    out.push(...second.targets);
  }
  return out;
}

/** A reader for `source FILE` in SQL, relative to the command's folder. */
function reader(ctx: ToolContext) {
  return (file: string) => {
    const r = ctx.files.readText(path.resolve(ctx.cwd, file), 64 * 1024 * 1024);
    return r.ok ? { ok: true as const, text: r.text } : { ok: false as const, message: `${file} ${r.message}` };
  };
}

/** mysqladmin's commands (client/mysqladmin.cc `command_names`, in order) and what each does. */
const ADMIN_COMMANDS: ReadonlyArray<readonly [string, 'readOnly' | 'mutating' | 'destructive', number]> = [
  ['create', 'mutating', 1], ['drop', 'destructive', 1], ['shutdown', 'destructive', 0], ['reload', 'mutating', 0],
  ['refresh', 'mutating', 0], ['version', 'readOnly', 0], ['processlist', 'readOnly', 0], ['status', 'readOnly', 0],
  ['kill', 'destructive', 1], ['debug', 'mutating', 0], ['variables', 'readOnly', 0], ['flush-logs', 'mutating', 0],
  ['flush-hosts', 'mutating', 0], ['flush-tables', 'mutating', 0], ['password', 'destructive', -1],
  ['ping', 'readOnly', 0], ['extended-status', 'readOnly', 0], ['flush-status', 'mutating', 0],
  ['flush-privileges', 'mutating', 0], ['start-slave', 'mutating', 0], ['stop-slave', 'mutating', 0],
  ['start-all-slaves', 'mutating', 0], ['stop-all-slaves', 'mutating', 0], ['flush-threads', 'mutating', 0],
  ['old-password', 'destructive', -1], ['flush-binary-log', 'mutating', 0], ['flush-engine-log', 'mutating', 0],
  ['flush-error-log', 'mutating', 0], ['flush-general-log', 'mutating', 0], ['flush-relay-log', 'mutating', 0],
  ['flush-slow-log', 'mutating', 0], ['flush-table-statistics', 'mutating', 0],
  ['flush-index-statistics', 'mutating', 0], ['flush-user-statistics', 'mutating', 0],
  ['flush-client-statistics', 'mutating', 0], ['flush-user-resources', 'mutating', 0],
  ['flush-all-status', 'mutating', 0], ['flush-all-statistics', 'mutating', 0], ['flush-ssl', 'mutating', 0],
];
/** Every mysqladmin command name, for find_type. */
export const ADMIN_COMMAND_NAMES: readonly string[] = ADMIN_COMMANDS.map((c) => c[0]);

/** `password` and `old-password` take the new password as their argument. */
function isPasswordCommand(name: string | undefined): boolean {
  return name === 'password' || name === 'old-password';
}

/** One mysqladmin command as the client will run it, with its argument. */
interface AdminStep {
  readonly name?: string;
  readonly word: string;
  readonly wordIndex: number;
  readonly arg?: string;
  readonly argIndex?: number;
  readonly code: Verdict['code'];
}

/** mysqladmin runs its commands in order until one is unknown or malformed; `shutdown` is always the last. */
function adminSteps(p: MyParsed): AdminStep[] {
  const words = p.positionals;
  const steps: AdminStep[] = [];
  for (let k = 0; k < words.length; k++) {
    const w = words[k].value;
    const wordIndex = words[k].index;
    const t = findType(w, ADMIN_COMMAND_NAMES);
    if (t <= 0) {
      steps.push({ word: w, wordIndex, code: 'unknown' });
      break;
    }
    const [name, code, args] = ADMIN_COMMANDS[t - 1];
    if (args === 1 || (args === -1 && k + 1 < words.length)) {
      if (k + 1 >= words.length) {
        steps.push({ name, word: w, wordIndex, code: 'unparseable' });
        break;
      }
      steps.push({ name, word: w, wordIndex, arg: words[k + 1].value, argIndex: words[k + 1].index, code });
      k++;
      continue;
    }
    steps.push({ name, word: w, wordIndex, code });
    if (name === 'shutdown') break;
  }
  return steps;
}

/** `--delimiter`: the client splits what it reads at it from the start; undefined for `;` or one not checked. */
function startDelimiter(p: MyParsed): string | undefined {
  const delim = last(p, 'delimiter');
  if (!delim || delim.value === undefined || delim.value === ';') return undefined;
  return delim.special || !/^\S+$/.test(delim.value) ? undefined : delim.value;
}

/** The SQL a mysql command runs: `--init-command` (last), then `-e` (all, joined by a space) or stdin. */
function judgeMysql(p: MyParsed, ctx: ToolContext, stdin: StdinInput, sql: SqlJudge): Verdict {
  const opts = { dialect: 'mysql' as const, client: 'mysql' as const, readFile: reader(ctx), cwd: ctx.cwd };
  const verdicts: Verdict[] = [];
  const init = last(p, 'init-command');
  if (init?.special && init.value) {
    verdicts.push(verdict('unparseable', `--${init.special}-init-command sends "0" as SQL`));
  }
  else if (init?.value) verdicts.push(sql(init.value, { ...opts, client: 'none', from: '--init-command' }));
  const exec = p.flags.filter((f) => f.name === 'execute');
  const delim = last(p, 'delimiter');
  const delimiter = startDelimiter(p);
  if (delim?.value !== undefined && delim.value !== ';' && delimiter === undefined) {
    verdicts.push(verdict('unparseable', `--delimiter=${JSON.stringify(delim.value)} is not checked by the guard`));
  }
  if (exec.some((f) => f.special)) {
    verdicts.push(verdict('unparseable', '--skip/--enable-execute sends a stand-in value as SQL'));
  }
  if (exec.length) {
    const text = exec.map((f) => f.value ?? '').join(' ');
    const from = exec.some((f) => f.file) ? `-e (with execute= from ${exec.find((f) => f.file)!.file})` : '-e';
    verdicts.push(sql(text, { ...opts, delimiter, from }));
  } else if (stdin.tooLarge) {
    verdicts.push(verdict('tooLarge', 'SQL on stdin larger than the guard reads'));
  } else if (stdin.text === undefined) {
    verdicts.push(verdict('interactive', 'an interactive mysql session'));
  } else {
    verdicts.push(sql(stdin.text, { ...opts, delimiter, from: 'stdin' }));
  }
  return sessionVerdict(verdicts, verdict('readOnly', 'no SQL'));
}

/** mysqladmin's commands as shown: a word that is probably a password (`-p PW status`) is `***`. */
function adminVerb(p: MyParsed, hidden: ReadonlySet<number>): string {
  return adminSteps(p).map((s) => (hidden.has(s.wordIndex) ? MASK : s.name ?? s.word)).join(' ');
}

function judgeAdmin(p: MyParsed, tool: string, hidden: ReadonlySet<number>): Verdict {
  const steps = adminSteps(p);
  if (!steps.length) return verdict('noEffect', `${tool} without a command prints its usage`);
  const verdicts = steps.map((s) => {
    const word = hidden.has(s.wordIndex) ? MASK : s.word;
    const arg = s.argIndex !== undefined && hidden.has(s.argIndex) ? MASK : s.arg;
    const shown = isPasswordCommand(s.name) ? s.name : [s.name ?? word, arg].filter(Boolean).join(' ');
    if (s.code === 'unknown') return verdict('unknown', `${tool} ${word}: not a known command`);
    if (s.code === 'unparseable') return verdict('unparseable', `${tool} ${word} needs an argument`);
    return verdict(s.code, `${tool} ${shown}`);
  });
  return worstVerdict(verdicts, verdict('noEffect', tool));
}

function judgeDump(p: MyParsed, tool: string): Verdict {
  if (boolOn(last(p, 'delete-master-logs'))) {
    return verdict('destructive', `${tool} --delete-master-logs purges the server's binary logs`);
  }
  const slave = last(p, 'dump-slave');
  if (slave && !slave.special && slave.value !== '0') {
    return verdict('mutating', `${tool} --dump-slave stops and restarts replication on the server`);
  }
  return verdict('readOnly', `${tool} (reads the database)`);
}

/** The database a command names, with where it came from (`index`: the argv word it is). */
interface Database {
  readonly value: string;
  readonly source: string;
  readonly line?: number;
  readonly index?: number;
}

/** The database a command names, with where it came from. */
function databaseOf(family: Family, p: MyParsed): Database | undefined {
  if (family === 'mysql') {
    const pos = p.positionals;
    if (pos.length === 1) return { value: pos[0].value, source: 'database argument', index: pos[0].index };
    const d = last(p, 'database');
    return d?.value !== undefined ? { value: d.value, ...sourceOf(d, '-D flag') } : undefined;
  }
  if (family === 'mysqldump') {
    if (boolOn(last(p, 'all-databases'))) return undefined;
    const first = p.positionals[0];
    return first ? { value: first.value, source: 'database argument', index: first.index } : undefined;
  }
  const step = adminSteps(p).find((s) => (s.name === 'create' || s.name === 'drop') && s.arg !== undefined);
  return step ? { value: step.arg!, source: `${step.name} argument`, index: step.argIndex } : undefined;
}

/**
 * The words after a bare `-p`/`--password` that the client reads as the database or a command: shown as `***`,
 * still classified by. A mysqladmin command name there is a command (`mysqladmin -p status`), not a password.
 */
function hiddenWords(family: Family, p: MyParsed): Set<number> {
  if (family !== 'mysqladmin') return new Set(p.secretWords);
  const words = new Map(p.positionals.map((w) => [w.index, w.value]));
  return new Set(p.secretWords.filter((k) => findType(words.get(k) ?? '', ADMIN_COMMAND_NAMES) <= 0));
}

/** Secret argv indices: password values (`-pX`, `--password=X`, `-p X`), mysqladmin's new password. */
function secretsOf(family: Family, p: MyParsed, hidden: ReadonlySet<number>): number[] {
  const out = new Set([...p.secrets, ...hidden]);
  if (family === 'mysqladmin') {
    for (const s of adminSteps(p)) if (isPasswordCommand(s.name) && s.argIndex !== undefined) out.add(s.argIndex);
    // mysqladmin itself masks any word after one that reads as `password` (mask_password), whatever consumed it.
    const pos = p.positionals;
    for (let k = 1; k < pos.length; k++) {
      const t = findType(pos[k - 1].value, ADMIN_COMMAND_NAMES);
      if (t > 0 && isPasswordCommand(ADMIN_COMMANDS[t - 1][0])) out.add(pos[k].index);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** How SQL is judged: `judgeSql`; unit tests pass a recorder to see exactly what text reaches it. */
export type SqlJudge = typeof judgeSql;

/** Reads one command of the family; `sql` judges the SQL it sends (the module uses `judgeSql`). */
export function analyzeMysql(tool: string, argv: readonly string[], ctx: ToolContext,
  sql: SqlJudge = judgeSql): ToolAnalysis {
  const family = FAMILIES[tool] ?? 'mysql';
  const defaults: DefaultsArgs = leadingDefaults(argv);
  const files = readOptionFiles({
    groups: MYSQL_GROUPS[family], defaults, env: ctx.env, home: ctx.home, cwd: ctx.cwd, files: ctx.files as OptionFiles,
  });
  const p = readMyGetopt(files.options, argv, defaults.consumed, MYSQL_GRAMMARS[family], MYSQL_DISABLED[family]);
  const unresolved = [...files.unresolved];
  if (files.fatal) unresolved.push(`the client stops on its option files: ${files.fatal}`);
  const cmdErrors = p.errors;
  if (cmdErrors.length) unresolved.push(`the client rejects its options: ${cmdErrors.slice(0, 3).join('; ')}`);
  const database = databaseOf(family, p);
  const hidden = hiddenWords(family, p);
  const dbShown = database?.index !== undefined && hidden.has(database.index) ? MASK : undefined;
  const target = resolveTarget(family, p, ctx, files, database, dbShown, unresolved);
  const targets: GuardTarget[] = [target];
  // `connect db host`, `\r`, `use db` in the SQL the client reads move the session: each place is a target too.
  const executes = family === 'mysql' ? p.flags.filter((f) => f.name === 'execute') : [];
  const initFlag = last(p, 'init-command');
  const init = family === 'mysql' && !initFlag?.special ? initFlag?.value ?? '' : '';
  const start: Place = { host: target.details.host, db: database?.value || undefined, dbShown };
  const scan = (text: string, from: string): GuardTarget[] => scriptTargets(text, from, start, ctx, {
    delimiter: startDelimiter(p) ?? ';', namedCommands: boolOn(last(p, 'named-commands')),
    taken: new Set(targets.map((t) => t.name)), initDropsEscapes: DROPS_ESCAPES.test(init),
  });
  if (init) {
    // The server runs --init-command at connect time: a USE in it is where the session is.
    const scanInit = new ClientScan(start, ctx, BACKSLASH_MODE,
      { delimiter: ';', namedCommands: false, taken: new Set([target.name]) });
    scanInit.runServer(init, '--init-command');
    targets.push(...scanInit.targets);
  }
  if (executes.length) {
    const from = executes.some((f) => f.file) ? `-e (with execute= from ${executes.find((f) => f.file)!.file})` : '-e';
    targets.push(...scan(executes.map((f) => f.value ?? '').join(' '), from));
  }
  const readsStdin = family === 'mysql' && !defaults.printDefaults && !p.exits && executes.length === 0;
  const verb = family === 'mysql' ? (executes.length ? '-e' : 'stdin')
    : family === 'mysqladmin' ? adminVerb(p, hidden) : 'dump';
  const problems = [
    ...files.unresolved.map((m) => ({ source: 'mysql option files', message: m })),
    ...(files.fatal ? [{ source: 'mysql option files', message: files.fatal }] : []),
  ];
  const judge = (stdin: StdinInput): Verdict => {
    if (defaults.printDefaults) return verdict('noEffect', `${tool} --print-defaults prints its options and exits`);
    if (p.exits) return verdict('noEffect', `${tool} --${p.exits} prints and exits`);
    if (files.fatal) return verdict('unparseable', `${tool} would stop on its option files: ${files.fatal}`);
    if (p.errors.length) {
      return verdict('unparseable', `${tool} would reject its options: ${p.errors.slice(0, 3).join('; ')}`);
    }
    if (family === 'mysql') {
      if (p.positionals.length > 1) {
        return verdict('unparseable', `${tool} takes one database argument, got ${p.positionals.length}`);
      }
      return judgeMysql(p, ctx, stdin, sql);
    }
    return family === 'mysqladmin' ? judgeAdmin(p, tool, hidden) : judgeDump(p, tool);
  };
  // A script piped into a development session can `connect` to production: its places are targets too.
  const stdinTargets = (stdin: StdinInput): GuardTarget[] =>
    (stdin.text === undefined ? [] : scan(stdin.text, 'stdin'));
  return { verb, targets, problems, judge, readsStdin, stdinTargets, secretArgs: secretsOf(family, p, hidden) };
}

/** mysql and mariadb clients, mysqladmin/mariadb-admin, and the read-only mysqldump/mariadb-dump. */
export const mysqlModule: ToolModule = {
  tools: Object.keys(FAMILIES),
  analyze(tool, argv, ctx) {
    try {
      return analyzeMysql(tool, argv, ctx);
    } catch (e) {
      // Never throw: a guard bug must ask, not let the command through or crash the shim.
      const what = `the guard could not read this ${tool} command (${(e as Error).message})`;
      return {
        verb: '', problems: [], readsStdin: false, secretArgs: argv.map((_a, k) => k),
        targets: [{
          kind: 'database', name: tool, identifiers: [], details: {}, source: 'arguments', unresolved: what,
        }],
        judge: () => verdict('unparseable', what),
      };
    }
  },
};
