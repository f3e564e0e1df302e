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
import { judgeSql } from '../sql/index';
import {
  type GuardTarget, type StdinInput, type ToolAnalysis, type ToolContext, type ToolModule, verdict, type Verdict,
  worstVerdict,
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
    if (t.length < 2 || t[0] !== '-' || endOfOptions) {
      if (a.index >= 0) positionals.push({ value: t, index: a.index });
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
    if (found.count === 0) {
      const msg = `unknown ${optend !== undefined ? 'variable' : 'option'} '${t}'${where(a)}`;
      if (loose) warnings.push(msg);
      else {
        errors.push(msg);
        unknown.push({ raw: t, index: a.index });
        // A mistyped password option still holds a password: never show it.
        if (a.index >= 0 && optend !== undefined && /pass|pwd/i.test(t.slice(0, nameEnd))) secrets.add(a.index);
      }
      continue;
    }
    if (found.count > 1 || !found.def) {
      errors.push(`ambiguous option '${t}' (${found.names.join(', ')})${where(a)}`);
      unknown.push({ raw: t, index: a.index });
      continue;
    }
    const def = found.def;
    if (def.secret && optend !== undefined && a.index >= 0) secrets.add(a.index);
    if (disabled.has(def.name)) {
      const msg = `option '${t.slice(2)}' used, but is disabled${where(a)}`;
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
    } else if (a.index >= 0 && i + 1 < args.length) {
      i++;
      add(def, a, args[i].text, args[i]);
    } else {
      errors.push(`option '--${def.name}' requires an argument${where(a)}`);
    }
  }
  return {
    flags, positionals, dashAt: dashAt < 0 ? positionals.length : dashAt, unknown, errors, warnings,
    secrets: [...secrets].sort((x, y) => x - y), ...(exits ? { exits } : {}),
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
  database: { value: string; source: string } | undefined, unresolved: readonly string[]): GuardTarget {
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
  if (database?.value) details.database = database.value;
  if (userF?.value) details.user = userF.value;
  if (protocol) details.protocol = protocol;
  if (files.files.length) details.optionFiles = files.files.join(', ');
  const name = database?.value ? `${host}/${database.value}` : host;
  return {
    kind: 'database', name, identifiers, details, source: hostSource.source,
    ...(hostSource.line !== undefined ? { line: hostSource.line } : {}),
    ...(unresolved.length ? { unresolved: unresolved.join('; ') } : {}),
  };
}

/** A place a script moves the session to: mysql's `connect [db [host]]` / `\r`, and `use db` / `\u` / `USE db`. */
interface Switch {
  readonly db?: string;
  readonly host?: string;
  readonly from: string;
}

/** One argument of a client command, as the client's get_arg takes it: a word or a quoted string. */
function clientArgs(rest: string, max: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (out.length < max) {
    while (i < rest.length && /[\s;]/.test(rest[i])) i++;
    if (i >= rest.length) break;
    const q = rest[i];
    if (q === "'" || q === '"' || q === '`') {
      const end = rest.indexOf(q, i + 1);
      out.push(rest.slice(i + 1, end < 0 ? rest.length : end));
      i = end < 0 ? rest.length : end + 1;
    } else {
      const s = i;
      while (i < rest.length && !/[\s;]/.test(rest[i])) i++;
      out.push(rest.slice(s, i));
    }
  }
  return out;
}

/** The guard's bound on switches and sourced files it follows in one script. */
const SWITCH_LIMIT = 64;

/**
 * The session switches and sourced files in a mysql script, read the way the client finds its own commands:
 * named commands (`connect`, `use`, `source`) at the start of a line, backslash commands (`\r`, `\u`, `\.`) anywhere
 * outside strings and comments, and the SQL `USE db` at a statement start. Linear in the text.
 */
function scanClientScript(text: string, from: string): { switches: Switch[]; sources: string[] } {
  const switches: Switch[] = [];
  const sources: string[] = [];
  let quote = '';
  let block = false;
  let lineStart = true;
  let stmtStart = true;
  const lineEnd = (i: number): number => {
    const e = text.indexOf('\n', i);
    return e < 0 ? text.length : e;
  };
  for (let i = 0; i < text.length && switches.length < SWITCH_LIMIT && sources.length < SWITCH_LIMIT; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      continue;
    }
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = '';
      lineStart = false;
      continue;
    }
    if (block) {
      if (c === '*' && text[i + 1] === '/') {
        block = false;
        i++;
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (lineStart || stmtStart) {
      const word = /^[A-Za-z]+/.exec(text.slice(i, i + 8))?.[0].toLowerCase();
      const named = lineStart && (word === 'connect' || word === 'source' || word === 'use');
      if (named || (word === 'use' && stmtStart)) {
        const e = lineEnd(i);
        const rest = text.slice(i + word!.length, e);
        if (/^(\s|;|$)/.test(rest)) {
          if (word === 'connect') {
            const [db, host] = clientArgs(rest, 2);
            switches.push({ db, host, from });
          } else if (word === 'use') {
            const [db] = clientArgs(rest, 1);
            if (db) switches.push({ db, from });
          } else {
            const f = rest.trim().replace(/[\s;]+$/, '');
            if (f) sources.push(f);
          }
          // The client goes on after the command's `;` (`connect db host; select …` runs the select).
          const semi = text.indexOf(';', i);
          i = semi >= 0 && semi < e ? semi : e - 1;
          lineStart = false;
          stmtStart = semi >= 0 && semi < e;
          continue;
        }
      }
    }
    lineStart = false;
    stmtStart = false;
    if (c === "'" || c === '"' || c === '`') quote = c;
    // `/*! … */` and `/*M! … */` are code the server runs, not comments.
    else if (c === '/' && text[i + 1] === '*' && !/^(!|M!)/.test(text.slice(i + 2, i + 4))) block = true;
    else if (c === '#' || (c === '-' && text[i + 1] === '-' && /\s/.test(text[i + 2] ?? ' '))) i = lineEnd(i) - 1;
    else if (c === ';') stmtStart = true;
    else if (c === '\\') {
      const cmd = text[i + 1];
      const e = lineEnd(i);
      if (cmd === 'r') {
        const [db, host] = clientArgs(text.slice(i + 2, e), 2);
        switches.push({ db, host, from });
      } else if (cmd === 'u') {
        const [db] = clientArgs(text.slice(i + 2, e), 1);
        if (db) switches.push({ db, from });
      } else if (cmd === '.') {
        const f = text.slice(i + 2, e).trim().replace(/[\s;]+$/, '');
        if (f) sources.push(f);
      }
      i++;
    }
  }
  return { switches, sources };
}

/** Every session switch in the SQL a mysql command runs (its -e text and the files it sources, bounded). */
function scriptSwitches(text: string, ctx: ToolContext): { switches: Switch[]; unreadable: string[] } {
  const switches: Switch[] = [];
  const unreadable: string[] = [];
  const seen = new Set<string>();
  const queue: Array<{ text: string; from: string; depth: number }> = [{ text, from: '-e', depth: 0 }];
  while (queue.length && seen.size < 32) {
    const item = queue.shift()!;
    const r = scanClientScript(item.text, item.from);
    switches.push(...r.switches);
    for (const f of r.sources) {
      const file = path.resolve(ctx.cwd, f);
      if (seen.has(file) || item.depth >= 8) continue;
      seen.add(file);
      const got = ctx.files.readText(file, 16 * 1024 * 1024);
      if (got.ok) queue.push({ text: got.text, from: `source ${f}`, depth: item.depth + 1 });
      else unreadable.push(`source ${f}: ${got.message}`);
    }
  }
  return { switches, unreadable };
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
    const t = findType(w, ADMIN_COMMAND_NAMES);
    if (t <= 0) {
      steps.push({ word: w, code: 'unknown' });
      break;
    }
    const [name, code, args] = ADMIN_COMMANDS[t - 1];
    if (args === 1 || (args === -1 && k + 1 < words.length)) {
      if (k + 1 >= words.length) {
        steps.push({ name, word: w, code: 'unparseable' });
        break;
      }
      steps.push({ name, word: w, arg: words[k + 1].value, argIndex: words[k + 1].index, code });
      k++;
      continue;
    }
    steps.push({ name, word: w, code });
    if (name === 'shutdown') break;
  }
  return steps;
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
  // --delimiter changes how the client splits what follows: the SQL reader starts with it.
  let delimiter: string | undefined;
  if (delim && delim.value !== undefined && delim.value !== ';') {
    if (delim.special || !/^\S+$/.test(delim.value)) {
      verdicts.push(verdict('unparseable', `--delimiter=${JSON.stringify(delim.value)} is not checked by the guard`));
    } else delimiter = delim.value;
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
  return worstVerdict(verdicts, verdict('readOnly', 'no SQL'));
}

function judgeAdmin(p: MyParsed, tool: string): Verdict {
  const steps = adminSteps(p);
  if (!steps.length) return verdict('noEffect', `${tool} without a command prints its usage`);
  const verdicts = steps.map((s) => {
    const shown = isPasswordCommand(s.name) ? s.name : [s.name ?? s.word, s.arg].filter(Boolean).join(' ');
    if (s.code === 'unknown') return verdict('unknown', `${tool} ${s.word}: not a known command`);
    if (s.code === 'unparseable') return verdict('unparseable', `${tool} ${s.word} needs an argument`);
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

/** The database a command names, with where it came from. */
function databaseOf(family: Family, p: MyParsed): { value: string; source: string; line?: number } | undefined {
  if (family === 'mysql') {
    const pos = p.positionals;
    if (pos.length === 1) return { value: pos[0].value, source: 'database argument' };
    const d = last(p, 'database');
    return d?.value !== undefined ? { value: d.value, ...sourceOf(d, '-D flag') } : undefined;
  }
  if (family === 'mysqldump') {
    if (boolOn(last(p, 'all-databases'))) return undefined;
    const first = p.positionals[0];
    return first ? { value: first.value, source: 'database argument' } : undefined;
  }
  const step = adminSteps(p).find((s) => (s.name === 'create' || s.name === 'drop') && s.arg !== undefined);
  return step ? { value: step.arg!, source: `${step.name} argument` } : undefined;
}

/** Secret argv indices: password values (`-pX`, `--password=X`), mysqladmin's new password. */
function secretsOf(family: Family, p: MyParsed): number[] {
  const out = new Set(p.secrets);
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
  // `connect db host`, `\r`, `use db` in the -e text move the session: each place it reaches is a target too.
  const executes = family === 'mysql' ? p.flags.filter((f) => f.name === 'execute') : [];
  const execText = executes.map((f) => f.value ?? '').join(' ');
  const script = execText ? scriptSwitches(execText, ctx) : { switches: [], unreadable: [] };
  unresolved.push(...script.unreadable);
  const target = resolveTarget(family, p, ctx, files, database, unresolved);
  const targets: GuardTarget[] = [target];
  const follow = (switches: typeof script.switches, into: GuardTarget[], startHost: string, startDb?: string): void => {
    let host = startHost;
    let db = startDb;
    for (const sw of switches) {
      host = sw.host || host;
      db = sw.db || db;
      const name = db ? `${host}/${db}` : host;
      if (targets.some((t) => t.name === name) || into.some((t) => t.name === name)) continue;
      into.push({
        kind: 'database', name, identifiers: [host, ...(db ? [db] : [])],
        details: { host, ...(db ? { database: db } : {}), via: sw.from }, source: `${sw.from} (connect/use)`,
      });
    }
  };
  follow(script.switches, targets, target.details.host, database?.value);
  const readsStdin = family === 'mysql' && !defaults.printDefaults && !p.exits && executes.length === 0;
  const verb = family === 'mysql' ? (p.flags.some((f) => f.name === 'execute') ? '-e' : 'stdin')
    : family === 'mysqladmin' ? adminSteps(p).map((s) => s.name ?? s.word).join(' ') : 'dump';
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
    return family === 'mysqladmin' ? judgeAdmin(p, tool) : judgeDump(p, tool);
  };
  // A script piped into a development session can `connect` to production: its switches are targets too.
  const stdinTargets = (stdin: StdinInput): GuardTarget[] => {
    if (stdin.text === undefined) return [];
    const piped = scriptSwitches(stdin.text, ctx);
    const out: GuardTarget[] = [];
    follow(piped.switches, out, target.details.host, database?.value);
    for (const u of piped.unreadable) {
      out.push({ kind: 'database', name: target.name, identifiers: [...target.identifiers], details: {},
        source: 'stdin', unresolved: u });
    }
    return out;
  };
  return { verb, targets, problems, judge, readsStdin, stdinTargets, secretArgs: secretsOf(family, p) };
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
