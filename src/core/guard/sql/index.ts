// SQL judged per dialect for the guard. Contract used by the tool modules (psql, mysql, aws athena/redshift).
//
// Parser choice (issue 7, item 5). Measured here (Node 20, 2 shared cores) with 40 PostgreSQL and 40 MySQL/MariaDB
// rows from the golden table (VACUUM ANALYZE, DO $$…$$, NOT VALID, data-modifying WITH, MERGE, COPY … TO STDOUT,
// backticks, executable comments, REPLACE, LOAD DATA, HANDLER, KILL…) and a 1 MB script of SELECT/INSERT/UPDATE:
//
//   package (version)              min. bundle          PG rows  MySQL rows  1 MB script
//   libpg-query 18 (WASM)          47 KB + 1.7 MB wasm  40/40    —           0.6 s
//   dt-sql-parser 4.5 (ANTLR)      7.4 MB (1.3 MB gz)   40/40    37/40       1.8 s
//   sql-parser-cst 0.42            717 KB (91 KB gz)    30/40    21/40       1.4 s
//   node-sql-parser 5.4            324 KB (71 KB gz)    17/40    25/40       1.4 s
//   pgsql-ast-parser 12 (the old)  252 KB (43 KB gz)    20/40    —           40 KB took 0.7 s; superlinear
//   this folder (lexers+classifier) 59 KB (20 KB gz)     40/40    40/40       0.03–0.1 s (20 MB: 0.5–1 s)
//
// No package wins on all counts: the one that accepts all PostgreSQL (the server's own parser compiled to WASM)
// is eight times the whole VSIX budget of 200 KB and knows no MySQL; the others reject valid SQL (which then
// asks) and none reads psql's or mysql's client syntax (`\gexec`, `:var`, `delimiter`, `source`), which decides
// what reaches the server. So the guard uses dialect-exact lexers (following scan.l, sql_lex.cc and Trino's
// lexer) and a statement-level classifier that needs only the structure it judges: it never rejects valid SQL,
// and what it cannot place is `unknown`. Linear: one pass per lexical reading, no regular expression over the
// input, every nesting bounded.
import type { Verdict } from '../types';
import { SEVERITY, unsafeMysqlCharset, unsafePgEncoding } from './classify';
import { badText, type Decision, Judge, type Origin } from './judge';
import type { LexMode } from './lexer';
import { runMysql } from './mysql';
import { mergeStates, type PsqlState, psqlState, runPsql, runPsqlCommand } from './psql';

/** Which server's SQL (lexical rules and statements differ: `$$`, backticks, `#` comments, executable comments). */
export type SqlDialect = 'postgres' | 'mysql' | 'trino';

/** How the SQL reaches the server, and what the client does before the server sees it. */
export interface SqlOptions {
  readonly dialect: SqlDialect;
  /**
   * The client that reads the text: `psql` (backslash meta-commands, `:var` interpolation), `mysql` (client
   * commands such as `source`, `delimiter`, `\!`), or `none` (the text goes to the server as is).
   */
  readonly client: 'psql' | 'mysql' | 'none';
  /** psql `-v name=value` variables, for `:name` interpolation. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Reads a file a script includes (`\i`, `\ir`, `source`), relative paths already resolved by the caller. */
  readonly readFile?: (file: string) => { ok: true; text: string } | { ok: false; message: string };
  /** Folder `\i` and `source` paths are relative to. */
  readonly cwd?: string;
  /** Where the text came from, for messages: `-c`, `-f migrate.sql`, `stdin`. */
  readonly from?: string;
  /**
   * psql only: the text is one `-c` value. psql sends it to the server as is (no `:var`, no meta-commands),
   * unless it starts with a backslash: then it is one meta-command.
   */
  readonly psqlCommand?: boolean;
  /** Path of the script when it is a file (`-f`): `\ir` paths are relative to its folder. */
  readonly file?: string;
  /** mysql `--delimiter`: the statement delimiter the client starts with (default `;`). */
  readonly delimiter?: string;
  /**
   * The client encoding in effect when the text starts (`PGCLIENTENCODING`, a conninfo `client_encoding`, mysql
   * `--default-character-set`). One whose characters may end in a backslash (SJIS, BIG5, GBK…) makes the text
   * unparseable: the client and server end quotes where a reader of Unicode text does not.
   */
  readonly clientEncoding?: string;
  /**
   * psql only: the session state carried from one input to the next (startup files, then each `-c` and `-f` in
   * order): variables and the working folder. Read at the start (instead of `variables`) and updated at the end.
   */
  readonly session?: PsqlSession;
}

/** psql's state carried across the inputs of one psql run (see `SqlOptions.session`). */
export interface PsqlSession {
  /** Variables: a value, or undefined when set but unknown to the guard. */
  vars: Map<string, string | undefined>;
  /** psql's working folder; undefined when unknown. */
  cwd: string | undefined;
}

/** The state a psql run starts with: psql's own variables, then the `-v` ones, in the command's folder. */
export function psqlSession(variables: Readonly<Record<string, string>> = {}, cwd?: string): PsqlSession {
  const vars = new Map<string, string | undefined>(Object.entries(PSQL_BUILTIN_VARS));
  for (const [k, v] of Object.entries(variables)) vars.set(k, v);
  return { vars, cwd };
}

/** Inputs larger than this are not judged: `tooLarge` (asks in production). Sized to stay within 2 s. */
export const SQL_SIZE_LIMIT = 32 * 1024 * 1024;
/** Characters the other lexical readings may re-judge (each reading is a full pass). */
const VARIANT_WORK_LIMIT = 40 * 1024 * 1024;

/**
 * psql's own variables: their values are names and numbers, never SQL (the run-time ones are unknown in
 * meta-commands, see psql.ts). LAST_ERROR_MESSAGE is left out: a server's error message may hold anything.
 */
const PSQL_BUILTIN_VARS: Readonly<Record<string, string>> = {
  DBNAME: 'dbname', USER: 'username', HOST: 'localhost', PORT: '5432', ENCODING: 'UTF8', VERSION: "'version'",
  VERSION_NAME: "'15'", VERSION_NUM: '150000', SERVER_VERSION_NAME: "'15'", SERVER_VERSION_NUM: '150000',
  ROW_COUNT: '0', LASTOID: '0', SQLSTATE: "'00000'", LAST_ERROR_SQLSTATE: "'00000'",
  ERROR: 'false', SHELL_ERROR: 'false', SHELL_EXIT_CODE: '0',
};

/** The lexical readings to try: the default first; the others only when a literal reads differently in them. */
function modes(dialect: SqlDialect): LexMode[] {
  if (dialect === 'postgres') {
    // standard_conforming_strings on (the default since 9.1), then off.
    return [{ dialect, backslash: false, ansiQuotes: false }, { dialect, backslash: true, ansiQuotes: false }];
  }
  if (dialect === 'mysql') {
    // Default sql_mode, then NO_BACKSLASH_ESCAPES, then ANSI_QUOTES.
    return [
      { dialect, backslash: true, ansiQuotes: false },
      { dialect, backslash: false, ansiQuotes: false },
      { dialect, backslash: true, ansiQuotes: true },
    ];
  }
  return [{ dialect, backslash: false, ansiQuotes: false }];
}

/**
 * Judges SQL text: `readOnly` (SELECT, EXPLAIN, SHOW…), `harmlessWrite` (INSERT, UPDATE with a real WHERE…),
 * `destructive` (DROP, TRUNCATE, DELETE whose WHERE is always true, DO blocks…), `unknown`/`unparseable`
 * (what is not known to be read-only), `tooLarge`. Linear in the input; bounded for any size.
 */
export function judgeSql(text: string, options: SqlOptions): Verdict {
  if (text.length > SQL_SIZE_LIMIT) {
    spoil(options.session);
    return withFrom({ code: 'tooLarge', what: `SQL larger than ${SQL_SIZE_LIMIT / 1024 / 1024} MB` }, options);
  }
  // What the client reads differently from the guard, whatever the text says.
  const bad = badText(text) ?? badEncoding(options);
  if (bad) {
    spoil(options.session);
    return withFrom({ code: 'unparseable', what: `SQL with ${bad}` }, options);
  }
  options = { ...options, readFile: cacheReads(options.readFile) };
  const [main, ...others] = modes(options.dialect);
  const first = new Judge(options, main, SQL_SIZE_LIMIT);
  const end = run(first, text, options);
  let result: Decision = first.best;
  // Other readings only when some literal really ends elsewhere in them (mysqldump's 'O\'Brien' does; 'C:\\x'
  // does not): NO_BACKSLASH_ESCAPES (or standard_conforming_strings = off) for any literal, ANSI_QUOTES for "…".
  const needed = others.filter((m) => (m.ansiQuotes ? first.altDouble : first.altSingle || first.altDouble));
  if (needed.length > 0 && result.code !== 'tooLarge') {
    if (text.length * needed.length > VARIANT_WORK_LIMIT) {
      const what = 'SQL that reads differently under NO_BACKSLASH_ESCAPES/ANSI_QUOTES, too large to judge both ways';
      if (SEVERITY.unknown > SEVERITY[result.code]) result = { code: 'unknown', what };
    } else {
      for (const mode of needed) {
        const judge = new Judge(options, mode, SQL_SIZE_LIMIT, true);
        const other = run(judge, text, options);
        if (end && other) mergeStates(end, other);
        if (SEVERITY[judge.best.code] > SEVERITY[result.code]) result = judge.best;
      }
    }
  }
  if (options.session) {
    if (end && result.code !== 'tooLarge') {
      options.session.vars = end.vars;
      options.session.cwd = end.cwd;
    } else spoil(options.session);
  }
  return toVerdict(result, options);
}

/** Runs one reading; for psql, returns the state it leaves. */
function run(judge: Judge, text: string, options: SqlOptions): PsqlState | undefined {
  const origin: Origin = { from: options.from, source: text, base: 0 };
  if (options.client === 'psql') {
    const start = options.session ?? psqlSession(options.variables, options.cwd);
    const state = psqlState(start.vars, start.cwd);
    if (options.psqlCommand) runPsqlCommand(judge, text, origin, state);
    else runPsql(judge, text, origin, options.file ? dirname(options.file) : state.cwd, state);
    return state;
  }
  if (options.client === 'mysql') {
    runMysql(judge, text, origin, { delimiter: options.delimiter || ';', cwd: options.cwd, depth: 0 });
  } else {
    judge.serverText(text, origin);
  }
  return undefined;
}

/** A text the guard did not judge may have set anything: every variable and the folder become unknown. */
function spoil(session: PsqlSession | undefined): void {
  if (!session) return;
  for (const k of session.vars.keys()) session.vars.set(k, undefined);
  session.cwd = undefined;
}

/** Whether the SQL judge refuses a client encoding (see `SqlOptions.clientEncoding`). */
export function unsafeClientEncoding(dialect: SqlDialect, name: string): boolean {
  return dialect === 'mysql' ? unsafeMysqlCharset(name) : dialect === 'postgres' && unsafePgEncoding(name);
}

/** Why the starting client encoding makes the text unreadable to the guard, or undefined. */
function badEncoding(options: SqlOptions): string | undefined {
  const enc = options.clientEncoding;
  if (enc === undefined) return undefined;
  if (!unsafeClientEncoding(options.dialect, enc)) return undefined;
  return `client encoding ${enc} (its characters may end in a backslash: quotes end elsewhere)`;
}

/** Reads each included file once per judgment (a script that includes one file many times reads the disk once). */
function cacheReads(read: SqlOptions['readFile']): SqlOptions['readFile'] {
  if (!read) return read;
  const seen = new Map<string, ReturnType<NonNullable<SqlOptions['readFile']>>>();
  return (file) => {
    let r = seen.get(file);
    if (!r) {
      r = read(file);
      if (seen.size < 4096) seen.set(file, r);
    }
    return r;
  };
}

function dirname(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i <= 0 ? (i === 0 ? '/' : '.') : file.slice(0, i);
}

function toVerdict(d: Decision, options: SqlOptions): Verdict {
  const v: { -readonly [K in keyof Verdict]: Verdict[K] } = { code: d.code, what: d.what };
  if (d.statement) v.statement = d.statement;
  if (d.line !== undefined) v.line = d.line;
  const from = d.from ?? options.from;
  if (from !== undefined) v.from = from;
  return v;
}

function withFrom(v: Verdict, options: SqlOptions): Verdict {
  return options.from !== undefined ? { ...v, from: options.from } : v;
}
