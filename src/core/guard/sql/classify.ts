// The statement classifier: what one SQL statement does, from its leading keywords and the few structures that
// decide it (a WHERE clause, the actions of an ALTER TABLE, EXPLAIN's ANALYZE option, a COPY's direction). It
// never rejects SQL: what it cannot place is `unknown`, which asks in production.
//
// Policy (the lists below are data; each entry says why):
// - readOnly: SELECT/TABLE/VALUES, EXPLAIN without ANALYZE, SHOW, DESCRIBE, ANALYZE (statistics), VACUUM,
//   `COPY … TO STDOUT`, SET/RESET of session settings, transaction control, USE, HANDLER … READ, cursors, LISTEN.
// - harmlessWrite: adds data or objects without touching what exists: INSERT, UPDATE/DELETE with a real WHERE,
//   CREATE TABLE/INDEX/VIEW/SEQUENCE/SCHEMA/TYPE/FUNCTION…, ADD COLUMN, ADD CONSTRAINT … NOT VALID, VALIDATE
//   CONSTRAINT, COMMENT, GRANT, `SELECT … FOR UPDATE` (row locks), COPY FROM STDIN, REFRESH, REINDEX, LOCK.
// - destructive (named in the message): DROP, TRUNCATE, DELETE/UPDATE without WHERE or with an always-true one,
//   DELETE/UPDATE/MERGE inside WITH, DO blocks, dynamic SQL, renames, column type changes, ALTER TABLE … DROP,
//   CREATE OR REPLACE, REPLACE, REVOKE, password changes, ALTER SYSTEM / SET GLOBAL, COPY … PROGRAM or TO a file,
//   LOAD DATA … REPLACE, KILL, SHUTDOWN, RESET MASTER, PURGE BINARY LOGS, MERGE … DELETE, CALL, dangerous
//   built-in functions anywhere in a statement.
// - mutating: other known writes whose effect is neither harmless nor destructive by itself (triggers, rules,
//   policies, roles, ALTER … OWNER, SET NOT NULL, validated constraints): they ask.
// - unknown: everything else.
import type { VerdictCode } from '../types';
import { T } from './lexer';
import type { Stmt } from './tokens';
import { whereStrength, type WhereScope, type WhereStrength } from './where';

/** What a statement does, for people. */
export interface Finding {
  readonly code: VerdictCode;
  readonly what: string;
}

/** What the classifier needs beyond the statement. */
export interface ClassifyContext {
  readonly dialect: 'postgres' | 'mysql' | 'trino';
  /** Statements prepared earlier in the script (`PREPARE p AS …`), by lower-cased name. */
  readonly prepared: Map<string, Finding>;
  /** Judges SQL found inside a statement as text (`PREPARE s FROM '…'`, `EXECUTE IMMEDIATE '…'`). */
  nested(sql: string): Finding;
}

/** How much a verdict code weighs when several statements compete: the heaviest decides. */
export const SEVERITY: Readonly<Record<VerdictCode, number>> = {
  readOnly: 0, noEffect: 0, interactive: 0, localOnly: 1, harmlessWrite: 2, mutating: 3, unknown: 4, unreadable: 5,
  unparseable: 6, destructive: 7, tooLarge: 8,
};

/** The heavier of two findings (the first on a tie). */
export function worst(a: Finding, b: Finding): Finding {
  return SEVERITY[b.code] > SEVERITY[a.code] ? b : a;
}

const f = (code: VerdictCode, what: string): Finding => ({ code, what });
const READ = (what: string): Finding => f('readOnly', what);

/** Built-in functions that destroy, disconnect or reconfigure whatever statement calls them. */
const DESTRUCTIVE_FUNCTIONS = new Set([
  // PostgreSQL: sessions, replication, large objects, remote execution, configuration, server files.
  'pg_terminate_backend', 'pg_cancel_backend', 'pg_drop_replication_slot', 'pg_replication_origin_drop',
  'pg_replication_slot_advance', 'pg_logical_slot_get_changes', 'pg_logical_slot_get_binary_changes', 'lo_unlink',
  'lo_export', 'lo_truncate', 'lo_truncate64', 'dblink_exec', 'dblink', 'dblink_send_query', 'dblink_open',
  'pg_reload_conf', 'pg_promote', 'pg_wal_replay_pause', 'pg_wal_replay_resume', 'pg_file_write', 'pg_file_unlink',
  'pg_file_rename', 'pg_truncate_visibility_map', 'setval', 'pg_stat_reset', 'pg_stat_reset_shared',
  'pg_stat_reset_single_table_counters', 'pg_stat_reset_single_function_counters', 'pg_stat_reset_slru',
  'pg_stat_reset_replication_slot', 'pg_stat_statements_reset', 'pg_replication_origin_session_reset',
  // Extensions that run SQL later or elsewhere: pg_cron (`cron.schedule`), pg_background.
  'schedule', 'schedule_in_database', 'alter_job', 'pg_background_launch',
  // MySQL/MariaDB user-defined functions of lib_mysqludf_sys: a shell on the server.
  'sys_exec', 'sys_eval',
]);

/** Built-in functions that write something but nothing existing (a sequence step, a notification). */
const WRITING_FUNCTIONS = new Map<string, VerdictCode>([
  ['nextval', 'harmlessWrite'], ['pg_notify', 'harmlessWrite'], ['lo_import', 'harmlessWrite'],
  ['lo_create', 'harmlessWrite'], ['lo_creat', 'harmlessWrite'], ['lo_from_bytea', 'harmlessWrite'],
  ['lo_put', 'mutating'], ['lowrite', 'mutating'], ['pg_switch_wal', 'mutating'],
  ['pg_create_restore_point', 'mutating'], ['pg_create_physical_replication_slot', 'mutating'],
  ['pg_create_logical_replication_slot', 'mutating'], ['pg_copy_physical_replication_slot', 'mutating'],
  ['pg_copy_logical_replication_slot', 'mutating'], ['pg_backup_start', 'mutating'], ['pg_backup_stop', 'mutating'],
  ['pg_start_backup', 'mutating'], ['pg_stop_backup', 'mutating'], ['pg_import_system_collations', 'mutating'],
  ['pg_replication_origin_create', 'mutating'], ['pg_replication_origin_advance', 'mutating'],
]);

/** Object kinds CREATE may make without asking. */
const HARMLESS_CREATE = new Set([
  'TABLE', 'INDEX', 'VIEW', 'SEQUENCE', 'SCHEMA', 'DATABASE', 'TYPE', 'DOMAIN', 'FUNCTION', 'PROCEDURE', 'STATISTICS',
  'MATERIALIZED', 'COLLATION', 'FULLTEXT', 'SPATIAL', 'PACKAGE',
]);
/** Object kinds CREATE makes that change what later writes or logins do: they ask. */
const MUTATING_CREATE = new Set([
  'TRIGGER', 'RULE', 'EVENT', 'POLICY', 'ROLE', 'USER', 'GROUP', 'EXTENSION', 'SERVER', 'FOREIGN', 'PUBLICATION',
  'SUBSCRIPTION', 'TABLESPACE', 'CAST', 'OPERATOR', 'AGGREGATE', 'LANGUAGE', 'CONVERSION', 'ACCESS', 'TEXT',
  'TRANSFORM', 'LOGFILE', 'CONNECTION', 'SYNONYM', 'ALIAS', 'RESOURCE', 'CATALOG',
]);
/** Words between CREATE and the object kind. */
const CREATE_MODIFIERS = new Set([
  'TEMP', 'TEMPORARY', 'UNLOGGED', 'GLOBAL', 'LOCAL', 'UNIQUE', 'RECURSIVE', 'TRUSTED', 'PROCEDURAL', 'DEFAULT',
  'CONSTRAINT', 'ONLINE', 'OFFLINE', 'NONEDITIONABLE', 'EDITIONABLE', 'TRANSACTIONAL', 'SECURE', 'EXTERNAL',
  'SQL', 'SECURITY', 'DEFINER', 'INVOKER', 'ALGORITHM', 'UNDEFINED', 'MERGE', 'TEMPTABLE', 'CURRENT_USER',
  'IF', 'NOT', 'EXISTS',
]);
/** Object kinds as they appear after DROP/ALTER, for naming the statement. */
const OBJECT_WORDS = new Set([
  ...HARMLESS_CREATE, ...MUTATING_CREATE, 'OWNED', 'MAPPING', 'DATA', 'WRAPPER', 'METHOD', 'SEARCH', 'PARSER',
  'DICTIONARY', 'TEMPLATE', 'CONFIGURATION', 'FAMILY', 'CLASS', 'LARGE', 'OBJECT', 'ROUTINE', 'PREPARE', 'BODY',
  'PARTITION', 'KEYS', 'PLUGIN', 'SONAME', 'TABLES', 'BRANCH', 'TAG', 'ONLY',
]);
const KW_FULL = new Set(['FULL']);
const KW_FOR = new Set(['FOR']);
const KW_FROM = new Set(['FROM']);
const KW_WHERE = new Set(['WHERE']);
const KW_AS = new Set(['AS']);
const KW_AS_FROM = new Set(['AS', 'FROM']);
const KW_INTO = new Set(['INTO']);
const KW_ON = new Set(['ON']);
const KW_USING = new Set(['USING']);
const KW_SET = new Set(['SET']);
const KW_DO = new Set(['DO']);
const KW_WHEN = new Set(['WHEN']);
const INSERT_MODIFIERS = ['INTO', 'IGNORE', 'LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'OVERWRITE', 'TABLE'];

/** Classifies the statement held in `s` (its tokens, without the terminating `;`). */
export function classify(s: Stmt, ctx: ClassifyContext): Finding {
  if (s.n === 0) return f('noEffect', 'empty statement');
  const head = headFinding(s, 0, ctx, 0);
  // PostgreSQL's EXPLAIN only plans (volatile functions are not run); MariaDB's runs derived tables to plan
  // (`EXPLAIN SELECT * FROM (SELECT SETVAL(s, 5000)) x` resets the sequence), so its functions count.
  if (head.code === 'readOnly' && head.what === 'EXPLAIN' && ctx.dialect !== 'mysql') return head;
  return worst(head, scan(s, ctx));
}

/**
 * Looks at every token for what is dangerous wherever it appears: dangerous built-in functions (by any spelling:
 * `"lo_unlink"(…)`, `U&"pg_terminate_backend"(…)`, PostgreSQL's attribute notation `(pid).pg_terminate_backend`),
 * data-modifying statements inside parentheses (`WITH d AS (DELETE …)`, `COPY (DELETE … RETURNING *) TO STDOUT`,
 * and the main statement of a nested `(WITH x AS (…) DELETE …)`), and a client encoding change.
 */
function scan(s: Stmt, ctx: ClassifyContext): Finding {
  let found = READ('');
  const pg = ctx.dialect === 'postgres';
  for (let i = 0; i < s.n; i++) {
    const k = s.kind[i];
    if (k === T.LPAREN && i + 1 < s.n && s.kind[i + 1] === T.WORD) {
      let w = s.w(i + 1);
      if (w === 'WITH') w = withMain(s, i + 1);
      if (w === 'DELETE' || w === 'UPDATE' || w === 'MERGE') {
        found = worst(found, f('destructive', `${w} inside WITH`));
      } else if (w === 'INSERT' && pg) {
        found = worst(found, f('harmlessWrite', 'INSERT inside WITH'));
      }
      continue;
    }
    if (k !== T.WORD && k !== T.QIDENT) {
      continue;
    }
    const next = s.kind[i + 1];
    const call = next === T.LPAREN || (k === T.QIDENT && s.is(i + 1, 'UESCAPE'));
    const attribute = pg && i > 0 && s.kind[i - 1] === T.DOT;
    if (!call && !attribute) {
      if (k === T.WORD && ctx.dialect === 'mysql' && s.seq(i, 'NEXT', 'VALUE', 'FOR')) {
        found = worst(found, f('harmlessWrite', 'NEXT VALUE FOR'));
      }
      continue;
    }
    const len = s.end[i] - s.start[i];
    if ((len < 4 && ctx.prepared.size === 0) || (k === T.WORD && len > 42) || len > 400) continue;
    const id = k === T.WORD ? { name: s.raw(i).toLowerCase(), next: i + 1 } : s.ident(i);
    if (!id) continue;
    if (id.next < s.n && s.kind[id.next] !== T.LPAREN && !attribute) continue;
    const name = id.name;
    const made = ctx.prepared.get(`fn:${name}`);
    if (made && made.code !== 'readOnly' && !attribute && !DEFINING.has(s.w(0))) {
      found = worst(found, f(made.code, `${name}(), created above with ${made.what}`));
    }
    if (DESTRUCTIVE_FUNCTIONS.has(name)) found = worst(found, f('destructive', `${name}()`));
    else if (WRITING_FUNCTIONS.has(name)) found = worst(found, f(WRITING_FUNCTIONS.get(name)!, `${name}()`));
    else if (pg && name === 'set_config' && s.kind[id.next] === T.LPAREN) {
      found = worst(found, setConfig(s, id.next));
    }
  }
  return found;
}

/** The keyword of the main statement of the WITH at `i` (its CTE list skipped), or '' when it does not read. */
function withMain(s: Stmt, i: number): string {
  let k = i + 1;
  if (s.is(k, 'RECURSIVE')) k++;
  for (let guard = 0; guard < s.n; guard++) {
    k = s.name(k).next;
    if (s.kind[k] === T.LPAREN) k = s.skipGroup(k);
    if (!s.is(k, 'AS')) return '';
    k++;
    if (s.is(k, 'NOT')) k++;
    if (s.is(k, 'MATERIALIZED')) k++;
    if (s.kind[k] !== T.LPAREN) return '';
    k = s.skipGroup(k);
    while (k < s.n && (s.is(k, 'SEARCH') || s.is(k, 'CYCLE'))) {
      while (k < s.n && s.kind[k] !== T.COMMA && !isMainKeyword(s.w(k))) k++;
    }
    if (s.kind[k] !== T.COMMA) break;
    k++;
  }
  return s.w(k);
}

/**
 * `set_config('client_encoding', …)` switches psql's lexer to that encoding (it follows the server's report):
 * an encoding whose characters may end in a backslash, or one the guard cannot read, makes the rest unparseable.
 */
function setConfig(s: Stmt, open: number): Finding {
  const name = stringValue(s, open + 1);
  if (name === undefined) return f('unparseable', 'set_config of a setting named by an expression');
  if (name.toLowerCase() !== 'client_encoding') return READ('');
  const value = s.kind[open + 2] === T.COMMA ? stringValue(s, open + 3) : undefined;
  if (value !== undefined && !unsafePgEncoding(value)) return READ('');
  const shown = `set_config('client_encoding', ${value ?? '…'})`;
  return f('unparseable', `${shown}: quotes may end elsewhere than the guard sees`);
}

/** The text of a plain string literal or name token at `k` ('…', E'…' without escapes, "…", a word). */
function stringValue(s: Stmt, k: number): string | undefined {
  const raw = s.raw(k);
  if (s.kind[k] === T.WORD || s.kind[k] === T.QIDENT) return s.ident(k)?.name;
  if (s.kind[k] === T.NUMBER) return raw;
  if (s.kind[k] !== T.STRING) return undefined;
  const body = /^[eEnN]'/.test(raw) ? raw.slice(1) : raw;
  if (!body.startsWith("'") || body.includes('\\')) return undefined;
  return body.slice(1, -1).split("''").join("'");
}

/** PostgreSQL client encodings in which a multibyte character may end in 0x5C (`\\`), by their cleaned names. */
const UNSAFE_PG_ENCODINGS = new Set([
  'big5', 'win950', 'windows950', 'gbk', 'win936', 'windows936', 'gb18030', 'sjis', 'shiftjis', 'mskanji', 'win932',
  'windows932', 'shiftjis2004', 'uhc', 'win949', 'windows949', 'johab',
]);

/**
 * Whether a PostgreSQL client encoding name (cleaned as the server cleans it: letters and digits, lower case)
 * is one whose characters may end in a backslash: psql and the server then end quotes elsewhere than a reader of
 * Unicode text. `PGCLIENTENCODING=SJIS psql -c "SELECT E'\x95\\'; DROP TABLE users; --'"` drops the table.
 */
export function unsafePgEncoding(name: string): boolean {
  return UNSAFE_PG_ENCODINGS.has(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** MySQL/MariaDB client character sets in which a multibyte character may end in 0x5C (`\\`). */
const UNSAFE_CHARSETS = new Set(['big5', 'cp932', 'gbk', 'sjis', 'gb18030']);

/**
 * Whether a MySQL/MariaDB client character set name lets a multibyte character end in a backslash: the client and
 * server then end quotes where the guard, reading the text as Unicode, does not (`SET NAMES sjis`, `charset gbk`).
 */
export function unsafeMysqlCharset(name: string): boolean {
  return UNSAFE_CHARSETS.has(name.trim().replace(/^['"`]|['"`]$/g, '').toLowerCase());
}

/** Whether the statement is `COPY … FROM STDIN`: psql then sends the lines that follow it as the data. */
export function copyFromStdin(s: Stmt): boolean {
  if (!s.is(0, 'COPY')) return false;
  let k = 1;
  if (s.kind[k] === T.LPAREN) return false;
  k = s.name(k).next;
  if (s.kind[k] === T.LPAREN) k = s.skipGroup(k);
  return s.is(k, 'FROM') && s.is(k + 1, 'STDIN');
}

/** Classifies the statement that starts at token `i` (also used for EXPLAIN ANALYZE, PREPARE … AS, WITH …). */
function headFinding(s: Stmt, i: number, ctx: ClassifyContext, depth: number): Finding {
  if (depth > 20) return f('unknown', 'deeply nested statement');
  const d = ctx.dialect;
  const k = s.kind[i];
  if (i >= s.n) return f('unknown', 'incomplete statement');
  if (k === T.LPAREN) return query(s, i, ctx);
  if (k !== T.WORD) {
    return f('unknown', `statement starting with ${JSON.stringify(shorten(s.raw(i), 20))}`);
  }
  const head = s.w(i);
  // A MySQL label `name: BEGIN … END` starts a compound statement.
  if (d === 'mysql' && s.kind[i + 1] === T.OP && s.raw(i + 1) === ':') {
    return f('destructive', 'compound statement (BEGIN … END block)');
  }
  switch (head) {
    case 'SELECT': case 'TABLE': case 'VALUES':
      return query(s, i, ctx);
    case 'WITH':
      return withStatement(s, i, ctx, depth);
    case 'INSERT':
      return insert(s, i, ctx);
    case 'UPDATE': case 'DELETE':
      return updateDelete(s, i, ctx);
    case 'MERGE':
      return merge(s, i, ctx);
    case 'REPLACE':
      if (d !== 'mysql') return unknown(s, i);
      return f('destructive', `REPLACE INTO ${target(s, i + 1, ['INTO', 'LOW_PRIORITY', 'DELAYED'])}`);
    case 'CREATE':
      return create(s, i, ctx);
    case 'DROP':
      return drop(s, i, ctx);
    case 'TRUNCATE':
      return f('destructive', `TRUNCATE ${target(s, i + 1, ['TABLE', 'ONLY'])}`);
    case 'ALTER':
      return alter(s, i, ctx);
    case 'RENAME':
      return f('destructive', `RENAME ${s.w(i + 1) || ''}`.trim());
    case 'COMMENT':
      return d === 'mysql' ? unknown(s, i) : f('harmlessWrite', 'COMMENT');
    case 'GRANT':
      // MariaDB `GRANT … IDENTIFIED BY 'pw'` also sets the account's password.
      for (let k = i + 1; k < s.n; k++) {
        if (s.is(k, 'IDENTIFIED')) return f('destructive', 'GRANT … IDENTIFIED BY (sets a password)');
      }
      return f('harmlessWrite', 'GRANT');
    case 'REVOKE': case 'DENY':
      return f('destructive', head);
    case 'EXPLAIN':
      return explain(s, i, ctx, depth);
    case 'DESCRIBE': case 'DESC':
      return READ(head);
    case 'ANALYZE': case 'ANALYSE':
      return analyze(s, i, ctx, depth);
    case 'VACUUM':
      if (d === 'mysql') return unknown(s, i);
      if (d === 'trino') return f('mutating', 'VACUUM (expires snapshots)');
      if (s.find(i + 1, KW_FULL) >= 0 || hasOption(s, i + 1, 'full')) return f('harmlessWrite', 'VACUUM FULL');
      return READ('VACUUM');
    case 'SHOW':
      return READ('SHOW');
    case 'SET':
      return set(s, i, ctx, depth);
    case 'RESET':
      return reset(s, i, ctx);
    case 'BEGIN':
      if (d === 'mysql' && s.seq(i + 1, 'NOT', 'ATOMIC')) return f('destructive', 'BEGIN NOT ATOMIC block');
      return READ('BEGIN');
    case 'START':
      if (s.is(i + 1, 'TRANSACTION')) return READ('START TRANSACTION');
      return f('mutating', `START ${s.w(i + 1)}`.trim());
    case 'COMMIT': case 'ROLLBACK':
      if (s.is(i + 1, 'PREPARED')) return f('mutating', `${head} PREPARED`);
      return READ(head);
    case 'SAVEPOINT': case 'RELEASE': case 'END': case 'ABORT': case 'XA':
      return READ(head);
    case 'PREPARE':
      return prepare(s, i, ctx, depth);
    case 'EXECUTE':
      return execute(s, i, ctx);
    case 'DEALLOCATE':
      return READ('DEALLOCATE');
    case 'USE':
      return READ('USE');
    case 'HANDLER':
      return READ('HANDLER');
    case 'LISTEN': case 'UNLISTEN':
      return READ(head);
    case 'NOTIFY':
      return f('harmlessWrite', 'NOTIFY');
    case 'DECLARE': {
      if (d !== 'postgres') return unknown(s, i);
      const at = s.find(i + 1, KW_FOR);
      return at < 0 ? f('unknown', 'DECLARE') : headFinding(s, at + 1, ctx, depth + 1);
    }
    case 'FETCH': case 'MOVE': case 'CLOSE':
      return d === 'postgres' ? READ(head) : unknown(s, i);
    case 'DISCARD':
      return READ('DISCARD');
    case 'DO':
      // PostgreSQL's DO runs a procedural block; MySQL's DO evaluates expressions and discards the result.
      if (d === 'mysql') return READ('DO');
      return d === 'postgres' ? f('destructive', 'DO block') : unknown(s, i);
    case 'CALL':
      return f('destructive', `CALL ${s.name(i + 1).text || 'procedure'}`);
    case 'COPY':
      return copy(s, i, ctx, depth);
    case 'LOCK':
      return f('harmlessWrite', `LOCK ${s.w(i + 1) || 'TABLE'}`);
    case 'UNLOCK':
      return READ('UNLOCK');
    case 'REFRESH': case 'REINDEX': case 'CLUSTER': case 'CHECKPOINT': case 'OPTIMIZE': case 'FLUSH': case 'CACHE':
    case 'BACKUP': case 'MSCK':
      return f('harmlessWrite', head === 'REFRESH' ? 'REFRESH MATERIALIZED VIEW' : head);
    case 'CHECK': case 'CHECKSUM': case 'HELP': case 'SIGNAL': case 'RESIGNAL': case 'GET':
      return d === 'mysql' ? READ(head) : unknown(s, i);
    case 'LOAD':
      return load(s, i);
    case 'KILL': case 'SHUTDOWN': case 'PURGE': case 'BINLOG': case 'UNINSTALL':
      return f('destructive', head === 'PURGE' ? `PURGE ${s.w(i + 1)} LOGS` : head);
    case 'REPAIR': case 'INSTALL': case 'STOP': case 'CHANGE': case 'SECURITY': case 'IMPORT': case 'REASSIGN':
    case 'UNLOAD':
      return f('mutating', `${head} ${s.w(i + 1)}`.trim());
    case 'EXIT': case 'QUIT': case 'GO': case 'EGO':
      // mysql client words the client sends on when they end a statement (`exit;`): the server rejects them.
      return d === 'mysql' && s.n === 1 ? f('noEffect', `${head} (not SQL: the server rejects it)`) : unknown(s, i);
    case 'IF': case 'WHILE': case 'LOOP': case 'REPEAT': case 'FOR': case 'CASE':
      return d === 'mysql' ? f('destructive', `compound statement (${head} … END ${head})`) : unknown(s, i);
    default:
      return unknown(s, i);
  }
}

function unknown(s: Stmt, i: number): Finding {
  return f('unknown', `${s.w(i) || shorten(s.raw(i), 20)} statement`);
}

/**
 * Whether a parenthesised option list right after `i` names `option` (lower case) and does not turn it off:
 * `VACUUM (FULL, …)`, `EXPLAIN ("analyze")`. Names are read as the server folds them (`"analyze"`, `U&"…"`); a
 * name that is not a plain word or identifier makes the answer yes (fail closed).
 */
function hasOption(s: Stmt, i: number, ...options: string[]): boolean {
  if (s.kind[i] !== T.LPAREN) return false;
  const close = s.skipGroup(i);
  let k = i + 1;
  while (k < close - 1) {
    const id = s.ident(k);
    if (!id) return true;
    // The value runs to the next comma at this level.
    let e = id.next;
    while (e < close - 1 && s.kind[e] !== T.COMMA) e = s.kind[e] === T.LPAREN ? s.skipGroup(e) : e + 1;
    if (options.includes(id.name)) {
      if (e === id.next) return true;
      const v = e === id.next + 1 ? stringValue(s, id.next) : undefined;
      // defGetBoolean: 0, false and off turn it off (any other value is on, or an error before anything runs).
      if (v === undefined || !['0', 'false', 'off', 'no'].includes(v.toLowerCase())) return true;
    }
    k = e + 1;
  }
  return false;
}

/** The first name after `i`, skipping the given modifier keywords, for messages. */
function target(s: Stmt, i: number, skip: readonly string[]): string {
  let k = i;
  while (k < s.n && skip.includes(s.w(k))) k++;
  return s.name(k).text || '…';
}

/** SELECT, TABLE, VALUES and parenthesised queries: reads, unless they lock rows or write a table or a file. */
function query(s: Stmt, i: number, ctx: ClassifyContext): Finding {
  let found = READ('SELECT');
  let depth = 0;
  for (let k = i; k < s.n; k++) {
    const kind = s.kind[k];
    if (kind === T.LPAREN) depth++;
    else if (kind === T.RPAREN) depth--;
    else if (kind === T.WORD) {
      const w = s.w(k);
      if (w === 'INTO' && depth === 0) {
        if (ctx.dialect === 'mysql') {
          const next = s.w(k + 1);
          if (next === 'OUTFILE' || next === 'DUMPFILE') found = worst(found, f('mutating', `SELECT … INTO ${next}`));
        } else if (ctx.dialect === 'postgres') {
          const name = target(s, k + 1, ['TEMP', 'TEMPORARY', 'UNLOGGED', 'TABLE']);
          found = worst(found, f('harmlessWrite', `SELECT INTO ${name}`));
        }
      } else if (w === 'FOR') {
        const a = s.w(k + 1);
        const b = s.w(k + 2);
        if (a === 'UPDATE' || a === 'SHARE' || (a === 'NO' && b === 'KEY') || (a === 'KEY' && b === 'SHARE')) {
          const mode = a === 'NO' ? 'NO KEY UPDATE' : a === 'KEY' ? 'KEY SHARE' : a;
          found = worst(found, f('harmlessWrite', `SELECT … FOR ${mode}`));
        }
      } else if (w === 'LOCK' && s.is(k + 1, 'IN') && s.is(k + 2, 'SHARE')) {
        found = worst(found, f('harmlessWrite', 'SELECT … LOCK IN SHARE MODE'));
      }
    }
  }
  return found;
}

/** `WITH … <main statement>`: the main statement decides; data-modifying CTEs are caught by `scan`. */
function withStatement(s: Stmt, i: number, ctx: ClassifyContext, depth: number): Finding {
  let k = i + 1;
  if (s.is(k, 'RECURSIVE')) k++;
  for (;;) {
    // name [(columns)] AS [NOT] [MATERIALIZED] ( … )
    k = s.name(k).next;
    if (s.kind[k] === T.LPAREN) k = s.skipGroup(k);
    if (!s.is(k, 'AS')) return f('unknown', 'WITH statement');
    k++;
    if (s.is(k, 'NOT')) k++;
    if (s.is(k, 'MATERIALIZED')) k++;
    if (s.kind[k] !== T.LPAREN) return f('unknown', 'WITH statement');
    k = s.skipGroup(k);
    // Trino/PostgreSQL SEARCH/CYCLE clauses.
    while (k < s.n && (s.is(k, 'SEARCH') || s.is(k, 'CYCLE'))) {
      while (k < s.n && s.kind[k] !== T.COMMA && !isMainKeyword(s.w(k))) k++;
    }
    if (s.kind[k] === T.COMMA) {
      k++;
      continue;
    }
    break;
  }
  if (k >= s.n) return f('unknown', 'WITH statement');
  return headFinding(s, k, ctx, depth + 1);
}

function isMainKeyword(w: string): boolean {
  return w === 'SELECT' || w === 'INSERT' || w === 'UPDATE' || w === 'DELETE' || w === 'MERGE' || w === 'VALUES' ||
    w === 'TABLE' || w === 'REPLACE';
}

const CLAUSE_END = new Set(['RETURNING', 'ORDER', 'LIMIT']);
/** Words that end a table reference's alias, or the list of table references. */
const NOT_ALIAS = new Set([
  'ON', 'USING', 'WHERE', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'CROSS', 'NATURAL', 'FULL', 'OUTER', 'STRAIGHT_JOIN',
  'SET', 'ORDER', 'LIMIT', 'PARTITION', 'RETURNING', 'GROUP', 'HAVING', 'WINDOW', 'UNION', 'FOR', 'LATERAL', 'FROM',
  'TABLESAMPLE', 'WITH', 'USE', 'IGNORE', 'FORCE', 'WHEN', 'AS',
]);
const JOIN_END = new Set([
  'JOIN', 'INNER', 'LEFT', 'RIGHT', 'CROSS', 'NATURAL', 'FULL', 'STRAIGHT_JOIN', 'WHERE', 'SET', 'ORDER', 'LIMIT',
  'RETURNING', 'USING', 'WHEN', 'GROUP', 'HAVING',
]);

/** One table reference: the table's folded name and its alias. */
interface TableRef {
  readonly table: string;
  readonly alias?: string;
}

/** The folded last part of the name at `k` (`public.users` → users), as `Stmt.ident` folds it. */
function lastName(s: Stmt, k: number, mysql: boolean): { name?: string; next: number } {
  const n = s.name(k);
  if (n.next === k) return { next: k };
  const id = s.ident(n.next - 1);
  return { name: id && (mysql ? id.name.toLowerCase() : id.name), next: n.next };
}

/** A table reference at `k`: `name [*] [[AS] alias]`, or a subquery `(…) [AS] alias`. */
function tableRef(s: Stmt, k: number, mysql: boolean): { ref?: TableRef; next: number } {
  let table: string | undefined;
  if (s.kind[k] === T.LPAREN) k = s.skipGroup(k);
  else {
    const n = lastName(s, k, mysql);
    table = n.name;
    k = n.next;
    if (s.kind[k] === T.OP && s.raw(k) === '*') k++;
  }
  if (s.is(k, 'AS')) k++;
  let alias: string | undefined;
  if ((s.kind[k] === T.WORD && !NOT_ALIAS.has(s.w(k))) || s.kind[k] === T.QIDENT) {
    const id = s.ident(k);
    alias = id && (mysql ? id.name.toLowerCase() : id.name);
    k++;
  }
  if (table === undefined && alias === undefined) return { next: k };
  return { ref: { table: table ?? alias!, alias }, next: k };
}

/** The table references of a FROM/USING list from `k` to `to`, and the spans of its inner joins' ON conditions. */
function tableRefs(s: Stmt, k: number, to: number, mysql: boolean): { refs: TableRef[]; ons: Array<[number, number]> } {
  const refs: TableRef[] = [];
  const ons: Array<[number, number]> = [];
  let expect = true;
  let outer = false;
  while (k < to) {
    if (expect) {
      const r = tableRef(s, k, mysql);
      if (r.ref) refs.push(r.ref);
      expect = false;
      k = Math.max(r.next, k + 1);
      continue;
    }
    const w = s.w(k);
    if (s.kind[k] === T.COMMA || w === 'JOIN' || w === 'STRAIGHT_JOIN') {
      expect = true;
      k++;
      continue;
    }
    if (w === 'LEFT' || w === 'RIGHT' || w === 'FULL') outer = true;
    else if (w === 'INNER' || w === 'CROSS') outer = false;
    if (w === 'ON') {
      let e = k + 1;
      while (e < to && !JOIN_END.has(s.w(e)) && s.kind[e] !== T.COMMA) {
        e = s.kind[e] === T.LPAREN ? s.skipGroup(e) : e + 1;
      }
      // A LEFT/RIGHT/FULL join keeps the rows that do not match: its ON limits nothing.
      if (!outer) ons.push([k + 1, e]);
      outer = false;
      k = e;
      continue;
    }
    k = s.kind[k] === T.LPAREN ? s.skipGroup(k) : k + 1;
  }
  return { refs, ons };
}

/** The names that qualify the target's columns: each target table's name and alias. */
function qualifiers(refs: readonly TableRef[]): Set<string> {
  const out = new Set<string>();
  for (const r of refs) {
    out.add(r.table);
    if (r.alias) out.add(r.alias);
  }
  return out;
}

/**
 * What several conditions that must all hold do together (a WHERE and a join's ON): none holds → never; one ties
 * target rows to values → real; all always hold → always; else weak. Undefined when there is none.
 */
function combine(list: readonly WhereStrength[]): WhereStrength | undefined {
  if (list.length === 0) return undefined;
  if (list.includes('never')) return 'never';
  if (list.includes('real')) return 'real';
  return list.every((x) => x === 'always') ? 'always' : 'weak';
}

/**
 * UPDATE and DELETE: a real WHERE (see where.ts) is a harmless write; none, or one that is always true, destroys;
 * one that ties no target column to a value (`WHERE 1/2 = 0`, `WHERE id IS NOT NULL`) may touch every row: it asks.
 * An inner join's ON limits the rows too (MySQL `DELETE u FROM users u JOIN banned b ON b.id = u.id`).
 */
function updateDelete(s: Stmt, i: number, ctx: ClassifyContext): Finding {
  const verb = s.w(i);
  const mysql = ctx.dialect === 'mysql';
  let name: string;
  let k = i + 1;
  while (s.is(k, 'LOW_PRIORITY') || s.is(k, 'QUICK') || s.is(k, 'IGNORE') || s.is(k, 'ONLY')) k++;
  const where = s.find(i + 1, KW_WHERE);
  const end = where >= 0 ? where : s.n;
  let targets: TableRef[] = [];
  let multi = false;
  let ons: Array<[number, number]> = [];
  // Every table the statement names, to find the target joined with itself (`USING users u2`).
  const seen: TableRef[] = [];
  const collect = <R extends { refs: TableRef[] }>(r: R): R => {
    seen.push(...r.refs);
    return r;
  };
  if (verb === 'DELETE') {
    const from = s.find(i + 1, KW_FROM);
    name = from >= 0 ? target(s, from + 1, ['ONLY']) : target(s, k, ['LOW_PRIORITY', 'QUICK', 'IGNORE']);
    if (from > k) {
      // MySQL `DELETE t1, t2 FROM refs`: the names before FROM are the targets.
      const listed = collect(tableRefs(s, k, from, mysql)).refs;
      const refs = collect(tableRefs(s, from + 1, end, mysql));
      targets = resolve(listed, refs.refs);
      ons = refs.ons;
      multi = true;
    } else if (from >= 0) {
      const using = s.find(from + 1, KW_USING, end);
      const refs = collect(tableRefs(s, from + 1, using >= 0 && using < end ? using : end, mysql));
      targets = refs.refs;
      ons = refs.ons;
      multi = refs.refs.length > 1 || refs.ons.length > 0;
      if (using >= 0 && using < end) {
        const other = collect(tableRefs(s, using + 1, end, mysql));
        ons = ons.concat(other.ons);
        multi = true;
        if (mysql) targets = resolve(targets, other.refs);
      }
    }
  } else {
    name = target(s, i + 1, ['ONLY', 'LOW_PRIORITY', 'IGNORE']);
    const set = s.find(i + 1, KW_SET);
    const refs = collect(tableRefs(s, k, set >= 0 ? set : end, mysql));
    targets = refs.refs;
    ons = refs.ons;
    multi = refs.refs.length > 1 || refs.ons.length > 0;
    const from = set >= 0 ? s.find(set + 1, KW_FROM, end) : -1;
    if (from >= 0) {
      const other = collect(tableRefs(s, from + 1, end, mysql));
      ons = ons.concat(other.ons);
      multi = true;
    }
    if (mysql && multi && set >= 0) targets = setTargets(s, set + 1, end, targets, mysql);
  }
  const label = verb === 'DELETE' ? `DELETE FROM ${name}` : `UPDATE ${name}`;
  if (where >= 0 && s.is(where + 1, 'CURRENT') && s.is(where + 2, 'OF')) return f('harmlessWrite', label);
  // A copy of a target table under another name is the same rows: comparing with it ties nothing down.
  const tables = new Set(targets.map((t) => t.table));
  const mine = qualifiers(targets);
  const selves = new Set(seen.filter((r) => tables.has(r.table)).map((r) => r.alias ?? r.table)
    .filter((q) => !mine.has(q)));
  const scope: WhereScope = { mysql, targets: mine, multi, selves };
  const found: WhereStrength[] = ons.map(([a, b]) => whereStrength(s, a, b, scope));
  if (where >= 0) {
    let stop = s.find(where + 1, CLAUSE_END);
    if (stop < 0) stop = s.n;
    found.push(whereStrength(s, where + 1, stop, scope));
  }
  const strength = combine(found);
  if (strength === 'real') return f('harmlessWrite', label);
  if (strength === 'never') return f('harmlessWrite', `${label} (its WHERE holds for no row)`);
  if (strength === undefined) return f('destructive', `${label} without WHERE`);
  if (strength === 'always') return f('destructive', `${label} with an always-true WHERE`);
  return f('mutating', `${label} whose WHERE may match every row`);
}

/** MySQL multi-table DELETE: the listed names (aliases or tables) with the tables they stand for. */
function resolve(listed: readonly TableRef[], refs: readonly TableRef[]): TableRef[] {
  const out: TableRef[] = [];
  for (const l of listed) {
    const r = refs.find((x) => x.alias === l.table || (x.alias === undefined && x.table === l.table));
    out.push(r ?? l);
  }
  return out;
}

/** MySQL multi-table UPDATE: the tables its SET assigns to (by their qualifiers), else all of them. */
function setTargets(s: Stmt, k: number, end: number, refs: readonly TableRef[], mysql: boolean): TableRef[] {
  const out = new Set<TableRef>();
  let expect = true;
  for (let j = k; j < end; j++) {
    if (s.kind[j] === T.LPAREN) {
      j = s.skipGroup(j) - 1;
      continue;
    }
    if (s.kind[j] === T.COMMA) expect = true;
    else if (expect) {
      expect = false;
      if (s.kind[j + 1] !== T.DOT) return [...refs];
      const q = s.ident(j);
      const name = q && (mysql ? q.name.toLowerCase() : q.name);
      const r = refs.find((x) => x.alias === name || x.table === name);
      if (!r) return [...refs];
      out.add(r);
    }
  }
  return out.size > 0 ? [...out] : [...refs];
}

/**
 * INSERT: adds rows. An upsert that overwrites (`ON CONFLICT … DO UPDATE`, MySQL `ON DUPLICATE KEY UPDATE`) fed by
 * a query rather than a list of rows may rewrite every row of the target: without a WHERE on the query or on the
 * update, it asks.
 */
function insert(s: Stmt, i: number, ctx: ClassifyContext): Finding {
  const name = target(s, i + 1, INSERT_MODIFIERS);
  const label = `INSERT INTO ${name}`;
  const on = s.find(i + 1, KW_ON);
  if (on < 0) return f('harmlessWrite', label);
  const update = s.is(on + 1, 'DUPLICATE') ? on + 4 : s.find(on + 1, KW_DO);
  if (update < 0 || !(s.is(on + 1, 'DUPLICATE') || s.is(update + 1, 'UPDATE'))) return f('harmlessWrite', label);
  // The source: what follows the target name, its alias and its column list.
  let k = i + 1;
  while (k < s.n && INSERT_MODIFIERS.includes(s.w(k))) k++;
  k = s.name(k).next;
  if (s.is(k, 'PARTITION')) k = s.skipGroup(k + 1);
  if (s.is(k, 'AS')) k += 2;
  if (s.kind[k] === T.LPAREN && !isQueryHead(s.w(k + 1))) k = s.skipGroup(k);
  if (s.is(k, 'OVERRIDING')) k += 3;
  const head = s.kind[k] === T.LPAREN ? s.w(k + 1) : s.w(k);
  if (!isQueryHead(head)) return f('harmlessWrite', label);
  const scope: WhereScope = { mysql: ctx.dialect === 'mysql', targets: new Set(), multi: false };
  const limited = (from: number, to: number): boolean => {
    const where = s.find(from, KW_WHERE, to);
    return where >= 0 && whereStrength(s, where + 1, to, scope) !== 'always';
  };
  if (limited(k, on) || limited(update + 1, s.n)) return f('harmlessWrite', label);
  const what = s.is(on + 1, 'DUPLICATE') ? 'ON DUPLICATE KEY UPDATE' : 'ON CONFLICT … DO UPDATE';
  return f('mutating', `${label} … SELECT … ${what} (may rewrite every row)`);
}

function isQueryHead(w: string): boolean {
  return w === 'SELECT' || w === 'WITH' || w === 'TABLE';
}

/**
 * MERGE: `WHEN MATCHED THEN DELETE` deletes; an update of matched rows is a harmless write when the ON condition
 * ties target rows to the source (see where.ts), destructive when ON is always true (every row matches), and asks
 * when it ties nothing.
 */
function merge(s: Stmt, i: number, ctx: ClassifyContext): Finding {
  const mysql = ctx.dialect === 'mysql';
  const name = target(s, i + 1, ['INTO', 'ONLY']);
  let k = i + 1;
  if (s.is(k, 'INTO')) k++;
  if (s.is(k, 'ONLY')) k++;
  const into = tableRef(s, k, mysql);
  let updates = false;
  for (let j = i; j < s.n; j++) {
    if (s.is(j, 'THEN') && s.is(j + 1, 'DELETE')) return f('destructive', `MERGE INTO ${name} … DELETE`);
    if (s.is(j, 'THEN') && s.is(j + 1, 'UPDATE')) updates = true;
  }
  if (!updates) return f('harmlessWrite', `MERGE INTO ${name}`);
  const on = s.find(into.next, KW_ON);
  const when = on >= 0 ? s.find(on + 1, KW_WHEN) : -1;
  if (on < 0 || when < 0) return f('unknown', `MERGE INTO ${name}`);
  const scope: WhereScope = { mysql, targets: qualifiers(into.ref ? [into.ref] : []), multi: true };
  const strength = whereStrength(s, on + 1, when, scope);
  if (strength === 'always') return f('destructive', `MERGE INTO ${name} … ON a condition every row meets`);
  if (strength === 'weak') return f('mutating', `MERGE INTO ${name} … ON a condition that may match every row`);
  return f('harmlessWrite', `MERGE INTO ${name}`);
}

/** The object kind words and name after DROP/ALTER/CREATE at `k`, e.g. `TABLE users`. */
function objectPhrase(s: Stmt, k: number): string {
  const words: string[] = [];
  while (k < s.n && s.kind[k] === T.WORD && OBJECT_WORDS.has(s.w(k)) && words.length < 4) words.push(s.w(k++));
  while (s.is(k, 'IF') || s.is(k, 'EXISTS') || s.is(k, 'NOT') || s.is(k, 'CONCURRENTLY') || s.is(k, 'ONLY')) k++;
  const name = s.name(k).text;
  return [...words, name].filter(Boolean).join(' ');
}

function create(s: Stmt, i: number, ctx: ClassifyContext): Finding {
  let k = i + 1;
  let orReplace = false;
  if (s.is(k, 'OR') && s.is(k + 1, 'REPLACE')) {
    orReplace = true;
    k += 2;
  }
  // Skip modifiers, including MySQL's `DEFINER = user@host` and `ALGORITHM = x`.
  while (k < s.n) {
    const kind = s.kind[k];
    const w = s.w(k);
    if (kind === T.WORD && CREATE_MODIFIERS.has(w)) {
      k++;
      if (s.kind[k] === T.OP && s.raw(k) === '=') {
        // DEFINER = user@host | CURRENT_USER[()]; ALGORITHM = MERGE; SQL SECURITY = …
        k++;
        if (s.is(k, 'CURRENT_USER')) {
          k++;
          if (s.kind[k] === T.LPAREN) k = s.skipGroup(k);
        } else {
          k++;
          if (s.kind[k] === T.VARIABLE) k++;
        }
      }
      continue;
    }
    if (kind !== T.WORD) {
      k++;
      continue;
    }
    break;
  }
  const kind = s.w(k);
  if (kind === 'FUNCTION') rememberFunction(s, k, ctx);
  const phrase = `CREATE ${objectPhrase(s, k)}`.trim();
  if (orReplace) return f('destructive', `CREATE OR REPLACE ${objectPhrase(s, k)}`.trim());
  if (ctx.dialect === 'trino' && kind === 'TABLE' && (s.find(k, KW_AS) >= 0)) return f('harmlessWrite', phrase);
  if (HARMLESS_CREATE.has(kind)) return f('harmlessWrite', phrase);
  if (MUTATING_CREATE.has(kind)) return f('mutating', phrase);
  return f('unknown', phrase || 'CREATE statement');
}

function drop(s: Stmt, i: number, ctx: ClassifyContext): Finding {
  if (ctx.dialect === 'mysql') {
    // `DROP PREPARE s` is MySQL's DEALLOCATE; `DROP TEMPORARY TABLE` cannot drop a permanent table.
    if (s.is(i + 1, 'PREPARE')) return READ('DROP PREPARE');
    if (s.is(i + 1, 'TEMPORARY')) return f('harmlessWrite', `DROP TEMPORARY ${objectPhrase(s, i + 2)}`.trim());
  }
  return f('destructive', `DROP ${objectPhrase(s, i + 1)}`.trim());
}

function alter(s: Stmt, i: number, ctx: ClassifyContext): Finding {
  let k = i + 1;
  let ignore = false;
  while (s.is(k, 'ONLINE') || s.is(k, 'OFFLINE') || s.is(k, 'IGNORE')) {
    if (s.is(k, 'IGNORE')) ignore = true;
    k++;
  }
  const kind = s.w(k);
  const phrase = `ALTER ${objectPhrase(s, k)}`.trim();
  if (kind === 'SYSTEM') return f('destructive', 'ALTER SYSTEM');
  if (kind === 'TABLE') {
    return alterTable(s, k + 1, ctx, ignore ? phrase.replace('ALTER', 'ALTER IGNORE') : phrase, ignore);
  }
  const anywhere = (word: string): boolean => {
    for (let j = k; j < s.n; j++) if (s.is(j, word)) return true;
    return false;
  };
  if (kind === 'USER' || kind === 'ROLE' || kind === 'GROUP') {
    if (anywhere('PASSWORD') || anywhere('IDENTIFIED')) return f('destructive', `${phrase} … PASSWORD`);
  }
  if (kind === 'DEFAULT' && anywhere('REVOKE')) return f('destructive', 'ALTER DEFAULT PRIVILEGES … REVOKE');
  for (let j = k; j < s.n; j++) {
    const w = s.w(j);
    if (w === 'RENAME') return f('destructive', `${phrase} RENAME`);
    if (w === 'DROP') return f('destructive', `${phrase} DROP`);
  }
  return f('mutating', phrase);
}

/** ALTER TABLE: each comma-separated action is judged; the worst decides. */
function alterTable(s: Stmt, k: number, ctx: ClassifyContext, phrase: string, ignore: boolean): Finding {
  while (s.is(k, 'IF') || s.is(k, 'EXISTS') || s.is(k, 'ONLY')) k++;
  k = s.name(k).next;
  if (s.kind[k] === T.OP && s.raw(k) === '*') k++;
  if (k >= s.n) return f('mutating', phrase);
  let found: Finding | undefined;
  let start = k;
  let depth = 0;
  for (let j = k; j <= s.n; j++) {
    const kind = j < s.n ? s.kind[j] : T.COMMA;
    if (kind === T.LPAREN) depth++;
    else if (kind === T.RPAREN) depth--;
    else if (kind === T.COMMA && depth <= 0) {
      if (j > start) {
        const action = alterAction(s, start, j, ctx, phrase, ignore);
        found = found ? worst(found, action) : action;
      }
      start = j + 1;
    }
  }
  return found ?? f('mutating', phrase);
}

function alterAction(s: Stmt, a: number, b: number, ctx: ClassifyContext, phrase: string,
  ignore: boolean): Finding {
  const w = s.w(a);
  const w1 = s.w(a + 1);
  const has = (word: string): boolean => {
    for (let j = a; j < b; j++) if (s.is(j, word)) return true;
    return false;
  };
  const mysql = ctx.dialect === 'mysql';
  switch (w) {
    case 'ADD': {
      let k = a + 1;
      if (s.is(k, 'COLUMN')) return f('harmlessWrite', `${phrase} ADD COLUMN`);
      if (s.is(k, 'IF') && s.is(k + 1, 'NOT')) k += 3;
      const x = s.w(k);
      if (mysql && ignore && (x === 'UNIQUE' || x === 'PRIMARY' || (x === 'CONSTRAINT' && (has('UNIQUE') ||
        has('PRIMARY'))))) {
        // MariaDB: ALTER IGNORE keeps the first row of each duplicate and deletes the others.
        const what = x === 'PRIMARY' || has('PRIMARY') ? 'PRIMARY KEY' : 'UNIQUE';
        return f('destructive', `${phrase} ADD ${what} (deletes duplicate rows)`);
      }
      if (x === 'CONSTRAINT' || x === 'CHECK' || x === 'FOREIGN' || x === 'PRIMARY' || x === 'UNIQUE' ||
        x === 'EXCLUDE') {
        if (has('VALID') && has('NOT')) return f('harmlessWrite', `${phrase} ADD CONSTRAINT … NOT VALID`);
        if (has('USING') && has('INDEX')) return f('harmlessWrite', `${phrase} ADD CONSTRAINT … USING INDEX`);
        if (mysql && x === 'UNIQUE') return f('harmlessWrite', `${phrase} ADD UNIQUE`);
        return f('mutating', `${phrase} ADD ${x} (checks every row under lock)`);
      }
      if (mysql && (x === 'INDEX' || x === 'KEY' || x === 'FULLTEXT' || x === 'SPATIAL')) {
        return f('harmlessWrite', `${phrase} ADD INDEX`);
      }
      if (x === 'PARTITION') return f('mutating', `${phrase} ADD PARTITION`);
      return f('harmlessWrite', `${phrase} ADD COLUMN`);
    }
    case 'DROP':
      return f('destructive', `${phrase} DROP ${w1 === 'COLUMN' || w1 === 'CONSTRAINT' || w1 === 'INDEX' ||
        w1 === 'PARTITION' || w1 === 'PRIMARY' || w1 === 'FOREIGN' || w1 === 'CHECK' || w1 === 'KEY' ? w1 : 'COLUMN'}`);
    case 'RENAME':
      return f('destructive', `${phrase} RENAME`);
    case 'MODIFY': case 'CHANGE':
      return mysql ? f('destructive', `${phrase} ${w} COLUMN`) : f('unknown', `${phrase} ${w}`);
    case 'ALTER': {
      if (has('TYPE')) return f('destructive', `${phrase} ALTER COLUMN … TYPE`);
      if (has('DROP')) return f('destructive', `${phrase} ALTER COLUMN … DROP`);
      return f('mutating', `${phrase} ALTER ${w1 === 'COLUMN' ? 'COLUMN' : w1 || ''}`.trim());
    }
    case 'VALIDATE':
      return f('harmlessWrite', `${phrase} VALIDATE CONSTRAINT`);
    case 'SET':
      if (w1 === 'SCHEMA') return f('destructive', `${phrase} SET SCHEMA`);
      if (has('TYPE')) return f('destructive', `${phrase} SET DATA TYPE`);
      return f('mutating', `${phrase} SET ${w1}`.trim());
    case 'ALGORITHM': case 'LOCK':
      // MySQL execution hints: they change how, not what.
      return f('harmlessWrite', phrase);
    case 'CONVERT':
      return f('destructive', `${phrase} CONVERT TO CHARACTER SET`);
    case 'DISCARD':
      return f('destructive', `${phrase} DISCARD TABLESPACE`);
    case 'TRUNCATE':
      return f('destructive', `${phrase} TRUNCATE PARTITION`);
    case 'REMOVE':
      return f('mutating', `${phrase} REMOVE PARTITIONING`);
    case 'EXECUTE':
      return f('mutating', `${phrase} EXECUTE`);
    default:
      return f('mutating', `${phrase} ${w}`.trim());
  }
}

/** EXPLAIN only plans, unless it ANALYZEs: then the statement runs. */
function explain(s: Stmt, i: number, ctx: ClassifyContext, depth: number): Finding {
  let k = i + 1;
  let analyze = false;
  if (ctx.dialect === 'mysql') {
    // EXPLAIN table = DESCRIBE; EXPLAIN [EXTENDED|PARTITIONS|FORMAT=…] statement; MySQL 8 EXPLAIN ANALYZE runs it.
    for (;;) {
      const w = s.w(k);
      if (w === 'ANALYZE') { analyze = true; k++; continue; }
      if (w === 'EXTENDED' || w === 'PARTITIONS') { k++; continue; }
      if (w === 'FORMAT') { k += 3; continue; }
      break;
    }
    return analyze ? prefixed('EXPLAIN ANALYZE', headFinding(s, k, ctx, depth + 1)) : READ('EXPLAIN');
  }
  if (s.kind[k] === T.LPAREN) {
    analyze = hasOption(s, k, 'analyze', 'analyse');
    k = s.skipGroup(k);
  } else {
    for (;;) {
      const w = s.w(k);
      if (w === 'ANALYZE' || w === 'ANALYSE') { analyze = true; k++; continue; }
      if (w === 'VERBOSE') { k++; continue; }
      if (ctx.dialect === 'trino' && s.kind[k] === T.LPAREN) { k = s.skipGroup(k); continue; }
      break;
    }
  }
  return analyze ? prefixed('EXPLAIN ANALYZE', headFinding(s, k, ctx, depth + 1)) : READ('EXPLAIN');
}

function prefixed(prefix: string, inner: Finding): Finding {
  if (inner.code === 'readOnly') return READ(prefix);
  return f(inner.code, `${prefix} ${inner.what}`);
}

/** PostgreSQL/Trino ANALYZE collects statistics; MariaDB's `ANALYZE <statement>` runs the statement. */
function analyze(s: Stmt, i: number, ctx: ClassifyContext, depth: number): Finding {
  if (ctx.dialect !== 'mysql') return READ('ANALYZE');
  let k = i + 1;
  while (s.is(k, 'NO_WRITE_TO_BINLOG') || s.is(k, 'LOCAL')) k++;
  if (s.is(k, 'TABLE') || s.is(k, 'TABLES')) return READ('ANALYZE TABLE');
  if (s.is(k, 'FORMAT')) k += 3;
  if (k >= s.n) return READ('ANALYZE');
  return prefixed('ANALYZE', headFinding(s, k, ctx, depth + 1));
}

/**
 * The client encoding a SET switches to, judged: a name that may end a character in a backslash (or a value the
 * guard cannot read) makes what follows unparseable; undefined when the SET does not change it.
 */
function setEncoding(s: Stmt, k: number, ctx: ClassifyContext, what: string): Finding | undefined {
  if (s.kind[k] === T.OP && (s.raw(k) === '=' || s.raw(k) === ':=')) k++;
  else if (s.is(k, 'TO')) k++;
  if (s.is(k, 'DEFAULT')) return undefined;
  const value = stringValue(s, k);
  const unsafe = value === undefined || (ctx.dialect === 'mysql' ? unsafeMysqlCharset(value) : unsafePgEncoding(value));
  if (!unsafe) return undefined;
  return f('unparseable', `${what} ${value ?? '(an expression)'}: a client encoding whose characters may end in a ` +
    'backslash (quotes end elsewhere than the guard sees)');
}

function set(s: Stmt, i: number, ctx: ClassifyContext, depth: number): Finding {
  if (ctx.dialect === 'postgres') {
    let k = i + 1;
    if (s.is(k, 'SESSION') || s.is(k, 'LOCAL')) k++;
    if (s.is(k, 'NAMES')) return setEncoding(s, k + 1, ctx, 'SET NAMES') ?? READ('SET');
    if (s.ident(k)?.name === 'client_encoding') return setEncoding(s, k + 1, ctx, 'SET client_encoding') ?? READ('SET');
    return READ('SET');
  }
  if (ctx.dialect !== 'mysql') return READ('SET');
  for (let k = i + 1, d = 0; k < s.n; k++) {
    if (s.kind[k] === T.LPAREN) d++;
    else if (s.kind[k] === T.RPAREN) d--;
    else if (d === 0) {
      const w = s.w(k);
      const v = s.kind[k] === T.VARIABLE ? s.raw(k).toLowerCase().replace(/^@@(session\.|local\.)?/, '') : '';
      let found: Finding | undefined;
      if (w === 'NAMES' || w === 'CHARSET') found = setEncoding(s, k + 1, ctx, `SET ${w}`);
      else if (w === 'CHARACTER' && s.is(k + 1, 'SET')) found = setEncoding(s, k + 2, ctx, 'SET CHARACTER SET');
      else if (w === 'CHARACTER_SET_CLIENT' || v === 'character_set_client') {
        found = setEncoding(s, k + 1, ctx, 'SET character_set_client');
      }
      if (found) return found;
    }
  }
  if (s.is(i + 1, 'PASSWORD')) return f('destructive', 'SET PASSWORD');
  if (s.is(i + 1, 'DEFAULT') && s.is(i + 2, 'ROLE')) return f('mutating', 'SET DEFAULT ROLE');
  if (s.is(i + 1, 'STATEMENT')) {
    // MariaDB `SET STATEMENT var = value [, …] FOR <statement>`.
    const at = s.find(i + 2, KW_FOR);
    return at < 0 ? f('unknown', 'SET STATEMENT') : headFinding(s, at + 1, ctx, depth + 1);
  }
  let depthP = 0;
  for (let k = i + 1; k < s.n; k++) {
    const kind = s.kind[k];
    if (kind === T.LPAREN) depthP++;
    else if (kind === T.RPAREN) depthP--;
    else if (depthP === 0) {
      const w = s.w(k);
      if (w === 'GLOBAL' || w === 'PERSIST' || w === 'PERSIST_ONLY') return f('destructive', `SET ${w}`);
      if (kind === T.VARIABLE) {
        const v = s.raw(k).toLowerCase();
        if (v.startsWith('@@global.') || v.startsWith('@@persist')) return f('destructive', 'SET GLOBAL');
      }
      if (w === 'PASSWORD' && s.kind[k + 1] === T.OP) return f('destructive', 'SET PASSWORD');
    }
  }
  return READ('SET');
}

function reset(s: Stmt, i: number, ctx: ClassifyContext): Finding {
  if (ctx.dialect !== 'mysql') return READ('RESET');
  const w = s.w(i + 1);
  if (w === 'QUERY') return f('harmlessWrite', 'RESET QUERY CACHE');
  if (w === 'MASTER' || w === 'SLAVE' || w === 'REPLICA' || w === 'BINARY') return f('destructive', `RESET ${w}`);
  return f('unknown', `RESET ${w}`.trim());
}

/** The string value of consecutive literals at `k` (MySQL concatenates them), or undefined. */
const KW_LANGUAGE = new Set(['LANGUAGE']);
/** Statements that name a function without calling it (`CREATE TRIGGER … EXECUTE FUNCTION f()`, `DROP FUNCTION`). */
const DEFINING = new Set(['CREATE', 'ALTER', 'DROP', 'COMMENT', 'GRANT', 'REVOKE', 'SECURITY']);
const KW_BEGIN = new Set(['BEGIN']);
const KW_ATOMIC = new Set(['ATOMIC']);

/**
 * `CREATE FUNCTION name …` (at `k`, on FUNCTION): what its body does, kept in `ctx.prepared` under `fn:name` so
 * that a later call in the same script is judged by it (`SELECT f()` is no read when f, created above, deletes).
 * A SQL body is judged as SQL; a procedural one (plpgsql, a MySQL BEGIN … END) runs anything, as a DO block.
 */
function rememberFunction(s: Stmt, k: number, ctx: ClassifyContext): void {
  let k2 = k + 1;
  if (s.is(k2, 'IF') && s.is(k2 + 1, 'NOT') && s.is(k2 + 2, 'EXISTS')) k2 += 3;
  let id = s.ident(k2);
  if (!id) return;
  while (s.kind[id.next] === T.DOT && s.ident(id.next + 1)) id = s.ident(id.next + 1)!;
  const n = id.next;
  let body: Finding;
  if (ctx.dialect === 'mysql') {
    body = s.find(n, KW_BEGIN) >= 0 ? f('destructive', 'a BEGIN … END body') : READ('');
  } else {
    const at = s.find(n, KW_LANGUAGE);
    const word = s.kind[at + 1] === T.STRING ? s.raw(at + 1).slice(1, -1) : s.raw(at + 1);
    const lang = at < 0 ? 'sql' : word.toLowerCase();
    const atomic = s.find(n, KW_ATOMIC);
    const as = s.find(n, KW_AS);
    const text = as >= 0 ? bodyText(s, as + 1) : undefined;
    if (lang !== 'sql') body = f('destructive', `a ${lang} body`);
    else if (text !== undefined) body = ctx.nested(text);
    else if (atomic >= 0) body = ctx.nested(s.span(atomic + 1, s.n - 2));
    else body = READ('');
  }
  ctx.prepared.set(`fn:${id.name}`, body);
}

/** A function body: a string (`'…'`, `E'…'`) or a dollar-quoted one (`$$…$$`, `$fn$…$fn$`). */
function bodyText(s: Stmt, k: number): string | undefined {
  if (s.kind[k] !== T.STRING) return undefined;
  const raw = s.raw(k);
  const tag = /^\$[A-Za-z_0-9]*\$/.exec(raw);
  if (tag) return raw.slice(tag[0].length, raw.length - tag[0].length);
  return literalText(s, k)?.text;
}

function literalText(s: Stmt, k: number): { text: string; next: number } | undefined {
  let text = '';
  let j = k;
  while (j < s.n && s.kind[j] === T.STRING) {
    const raw = s.raw(j);
    if (!raw.startsWith("'") && !raw.startsWith('"')) return undefined;
    const q = raw[0];
    let out = '';
    for (let p = 1; p < raw.length - 1; p++) {
      const ch = raw[p];
      if (ch === '\\') {
        const e = raw[++p];
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '0' ? '\0' : e === 'Z' ? '\x1a' : e;
      } else if (ch === q && raw[p + 1] === q) {
        out += q;
        p++;
      } else out += ch;
    }
    text += out;
    j++;
  }
  return j === k ? undefined : { text, next: j };
}

function prepare(s: Stmt, i: number, ctx: ClassifyContext, depth: number): Finding {
  if (s.is(i + 1, 'TRANSACTION')) return f('harmlessWrite', 'PREPARE TRANSACTION');
  const name = s.raw(i + 1).toLowerCase();
  let found: Finding;
  if (ctx.dialect === 'mysql') {
    const from = s.find(i + 2, KW_FROM);
    const lit = from >= 0 ? literalText(s, from + 1) : undefined;
    found = lit && lit.next === s.n ? ctx.nested(lit.text) : f('destructive', '… FROM an expression (dynamic SQL)');
  } else {
    const at = s.find(i + 2, KW_AS_FROM);
    found = at < 0 ? f('unknown', 'PREPARE') : headFinding(s, at + 1, ctx, depth + 1);
    if (found.code === 'readOnly') found = READ('PREPARE');
  }
  ctx.prepared.set(name, found);
  return found.code === 'readOnly' ? READ('PREPARE') : f(found.code, `PREPARE ${found.what}`);
}

function execute(s: Stmt, i: number, ctx: ClassifyContext): Finding {
  if (s.is(i + 1, 'IMMEDIATE')) {
    const lit = literalText(s, i + 2);
    if (lit && (lit.next === s.n || s.is(lit.next, 'USING'))) {
      const inner = ctx.nested(lit.text);
      return inner.code === 'readOnly' ? READ('EXECUTE IMMEDIATE') : f(inner.code, `EXECUTE IMMEDIATE ${inner.what}`);
    }
    return f('destructive', 'EXECUTE IMMEDIATE (dynamic SQL)');
  }
  const name = s.raw(i + 1).toLowerCase();
  const known = ctx.prepared.get(name);
  if (known) return known.code === 'readOnly' ? READ('EXECUTE') : f(known.code, `EXECUTE ${known.what}`);
  return f('destructive', `EXECUTE ${s.raw(i + 1)} (dynamic SQL prepared elsewhere)`);
}

/** COPY: TO STDOUT reads; FROM STDIN inserts; PROGRAM runs a shell on the server; a file path writes one. */
function copy(s: Stmt, i: number, ctx: ClassifyContext, depth: number): Finding {
  if (ctx.dialect !== 'postgres') return unknown(s, i);
  let k = i + 1;
  let inner: Finding = READ('COPY');
  let name = '';
  if (s.kind[k] === T.LPAREN) {
    const close = s.skipGroup(k);
    inner = headFinding(s, k + 1, ctx, depth + 1);
    k = close;
  } else {
    const n = s.name(k);
    name = n.text;
    k = n.next;
    if (s.kind[k] === T.LPAREN) k = s.skipGroup(k);
  }
  const dir = s.w(k);
  const src = s.w(k + 1);
  const what = `COPY ${name || '(query)'} ${dir}`;
  if (s.is(k + 1, 'PROGRAM')) return f('destructive', `${what} PROGRAM`);
  if (dir === 'FROM') return f('harmlessWrite', `${what} ${src === 'STDIN' ? 'STDIN' : 'file'}`);
  if (dir === 'TO') {
    if (src === 'STDOUT') return inner.code === 'readOnly' ? READ(`COPY … TO STDOUT`) : inner;
    return f('destructive', `${what} file`);
  }
  return f('unknown', 'COPY');
}

/** MySQL LOAD DATA/XML: REPLACE overwrites rows with the same key; PostgreSQL LOAD loads a server library. */
function load(s: Stmt, i: number): Finding {
  const w = s.w(i + 1);
  if (w === 'DATA' || w === 'XML') {
    const into = s.find(i + 2, KW_INTO);
    for (let k = i + 2; k < (into < 0 ? s.n : into); k++) {
      if (s.is(k, 'REPLACE')) return f('destructive', `LOAD ${w} … REPLACE`);
    }
    return f('harmlessWrite', `LOAD ${w} INTO ${into >= 0 ? target(s, into + 1, ['TABLE']) : '…'}`);
  }
  if (w === 'INDEX') return f('harmlessWrite', 'LOAD INDEX INTO CACHE');
  return f('unknown', 'LOAD (a server library)');
}

/** Shortens text for messages: whitespace collapsed, at most `max` characters. */
export function shorten(text: string, max: number): string {
  let out = '';
  let space = false;
  for (let i = 0; i < text.length && out.length <= max; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32) {
      space = out.length > 0;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += text[i];
  }
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
