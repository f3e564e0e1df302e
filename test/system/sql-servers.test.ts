// The SQL judge against the real servers (the oracle): every golden row must be accepted by the server's parser
// (or be a listed syntax-error row), every row the judge calls read-only must run in a read-only transaction
// without the read-only error, and every row it calls a write must get that error (or be a listed, justified
// exception). Rows run read-only, so the fixture survives: PostgreSQL with default_transaction_read_only = on;
// MariaDB as a user without READ_ONLY ADMIN (nor SUPER, SHUTDOWN, CONNECTION ADMIN) with the server read_only and
// each request inside START TRANSACTION READ ONLY.
// Debian packages: postgresql (15), postgresql-client, mariadb-server, mariadb-client.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { judgeSql, type SqlOptions } from '../../src/core/guard/sql';
import type { VerdictCode } from '../../src/core/guard/types';
import { INCLUDED, MYSQL, MYSQL_CLIENT, POSTGRES, PSQL, type Row } from '../fixtures/sql/golden';
import { mariadbMissing, startMariadb, type Mariadb } from './mariadb';
import { startPostgres, which } from './support';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'sql');

/** Files some rows write on the (local) server or client, all named /tmp/pg-guard-oracle-*: removed around the run. */
function removeRowFiles(): void {
  for (const name of fs.readdirSync('/tmp')) {
    if (name.startsWith('pg-guard-oracle-')) fs.rmSync(path.join('/tmp', name), { force: true, recursive: true });
  }
}
const WRITES = new Set<VerdictCode>(['harmlessWrite', 'mutating', 'destructive']);

/** What one row did on the server: the error codes it raised. */
interface Outcome {
  readonly codes: string[];
  readonly output: string;
}

/** Rows the server rejects as syntax errors, on purpose (misspellings, unterminated literals, attacker spellings). */
const PG_SYNTAX_ERRORS = new Set([
  'VACCUM users', 'DR/**/OP TABLE users', 'DELET FROM users', 'FOO BAR', 'SELECT \'unterminated',
  'SELECT "unterminated', 'SELECT $$unterminated', 'SELECT 1 /* unterminated', 'SELECT (1; DROP TABLE users)',
  'EXPLAIN ANALYZE DROP TABLE users', 'SELECT \'unterminated;', '\\set q \'SELECT \\\'\'\n:q;',
  // The COPY fails in the read-only transaction, so psql reads its data lines as commands: the syntax errors are
  // the proof that the judge must read them too.
  'COPY users (id, name) FROM stdin;\n1\talice\n2\tbob\n\\.\nSELECT 1;',
  'COPY users (id, name) FROM stdin;\n1\talice; DELETE FROM users\n\\.\n',
]);

const PG_ALLOWED_READ_ONLY = 'PostgreSQL allows it in a read-only transaction';
/**
 * Rows the judge calls writes that PostgreSQL runs in a read-only transaction, or rejects before its read-only
 * check; each with why the judge is right to ask (or to call it a harmless write).
 */
const PG_WRITE_EXCEPTIONS: Readonly<Record<string, string>> = {
  'VACUUM FULL users': `rewrites the table under an exclusive lock; ${PG_ALLOWED_READ_ONLY} (utility.c)`,
  'VACUUM (FULL) users': `the same; ${PG_ALLOWED_READ_ONLY}`,
  'REINDEX TABLE users': `rebuilds indexes; ${PG_ALLOWED_READ_ONLY}`,
  'REINDEX INDEX CONCURRENTLY users_email': `rebuilds an index; ${PG_ALLOWED_READ_ONLY}`,
  'CLUSTER users USING users_pkey': `rewrites the table; ${PG_ALLOWED_READ_ONLY}`,
  CHECKPOINT: `forces a checkpoint; ${PG_ALLOWED_READ_ONLY}`,
  'LOCK TABLE users IN ACCESS EXCLUSIVE MODE': `blocks every other session; ${PG_ALLOWED_READ_ONLY}`,
  "SELECT pg_notify('chan', 'x')": `sends a notification; ${PG_ALLOWED_READ_ONLY}`,
  "NOTIFY chan, 'payload'": `sends a notification; ${PG_ALLOWED_READ_ONLY}`,
  'PREPARE ins AS INSERT INTO t VALUES ($1)': 'judged as what EXECUTE will run; PREPARE itself writes nothing',
  'PREPARE d AS DELETE FROM users': 'judged as what EXECUTE will run; PREPARE itself writes nothing',
  'DO $$ BEGIN PERFORM 1; END $$': 'a DO block asks whatever it holds; this one only reads',
  "DO 'BEGIN NULL; END'": 'a DO block asks whatever it holds; this one does nothing',
  'DO LANGUAGE plpgsql $$ BEGIN NULL; END $$': 'a DO block asks whatever it holds; this one does nothing',
  'EXECUTE some_statement': 'a statement prepared elsewhere: unknown here, so nothing ran',
  'EXECUTE some_statement(1, 2)': 'a statement prepared elsewhere: unknown here, so nothing ran',
  'CALL p()': 'a procedure\'s body is not visible to the guard; the fixture\'s p only reads',
  'CALL app.cleanup(1)': 'a procedure\'s body is not visible to the guard; this one does not exist',
  "ALTER SYSTEM SET work_mem = '1GB'": `rewrites postgresql.auto.conf; ${PG_ALLOWED_READ_ONLY}`,
  'ALTER SYSTEM RESET ALL': `rewrites postgresql.auto.conf; ${PG_ALLOWED_READ_ONLY}`,
  "COPY users TO '/tmp/pg-guard-oracle-users.csv'": `overwrites a file on the server; ${PG_ALLOWED_READ_ONLY}`,
  "COPY users TO PROGRAM 'gzip > /tmp/pg-guard-oracle-u.gz'": `runs a shell on the server; ${PG_ALLOWED_READ_ONLY}`,
  'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = -1': `kills sessions; ${PG_ALLOWED_READ_ONLY}`,
  'SELECT pg_cancel_backend(12345)': `cancels queries; ${PG_ALLOWED_READ_ONLY}`,
  'select PG_TERMINATE_BACKEND(1)': `kills a session; ${PG_ALLOWED_READ_ONLY}`,
  'SELECT pg_catalog.pg_terminate_backend(1)': `kills a session; ${PG_ALLOWED_READ_ONLY}`,
  'SELECT "pg_terminate_backend"(1)': `kills a session; ${PG_ALLOWED_READ_ONLY}`,
  'SELECT U&"pg_terminate_backend"(1)': `kills a session; ${PG_ALLOWED_READ_ONLY}`,
  "SELECT cron.schedule('nightly', '0 3 * * *', 'DELETE FROM users')":
    'pg_cron is not installed here (no schema cron); where it is, it schedules the DELETE',
  'SELECT (1).pg_terminate_backend': `attribute notation calls the function: kills a session; ${PG_ALLOWED_READ_ONLY}`,
  'SELECT * FROM users WHERE pg_terminate_backend(1)': `kills a session; ${PG_ALLOWED_READ_ONLY}`,
  'SELECT 1; SELECT pg_terminate_backend(1)': `kills a session; ${PG_ALLOWED_READ_ONLY}`,
  "SELECT pg_drop_replication_slot('slot')": 'drops a replication slot (none exists in the fixture)',
  'SELECT lo_unlink(12345)': 'deletes a large object (none exists in the fixture)',
  "SELECT lo_export(12345, '/tmp/x')": 'writes a server file from a large object (none exists in the fixture)',
  'SELECT pg_reload_conf()': `reloads the server configuration; ${PG_ALLOWED_READ_ONLY}`,
  'SELECT pg_stat_reset()': `discards statistics; ${PG_ALLOWED_READ_ONLY}`,
  "COMMIT PREPARED 'tx1'": 'commits a prepared transaction of unknown content (none exists in the fixture)',
  "PREPARE TRANSACTION 'tx1'": 'outside a transaction it only warns; inside one it keeps its locks until committed',
  '\\lo_import /tmp/file': 'creates a large object from a local file (the file does not exist here)',
  '\\lo_unlink 123': 'deletes a large object (none exists in the fixture)',
  '\\if :zz\nDROP TABLE users;\n\\endif': 'psql skips the branch only because :zz is unset; a psqlrc may set it',
};

const MY_NOT_IN_READ_ONLY = 'MariaDB allows it with read_only and in a read-only transaction';
const MY_PRIVILEGE = 'needs SUPER (or a privilege the oracle user lacks), denied before the read-only check';
/** Rows MariaDB rejects as syntax errors, on purpose. */
const MY_SYNTAX_ERRORS = new Set([
  'DELIMITER //', 'VACUUM users', 'DR/**/OP TABLE users', 'SELECT \'unterminated', 'SELECT `unterminated',
  'SELECT 1 /* unterminated', 'SET PERSIST max_connections = 1', 'SELECT 1 /*!; DROP TABLE users */',
  'exit;', 'SELECT 1 --\nDROP TABLE users;', 'SELECT \'unterminated;',
]);
/** Rows the judge calls read-only that MariaDB refuses in a read-only transaction anyway. */
const MY_READ_EXCEPTIONS: Readonly<Record<string, string>> = {
  'EXPLAIN DELETE FROM users': 'MariaDB checks the transaction when it opens tables for writing, even to explain',
  "EXPLAIN UPDATE users SET name = 'x'": 'the same',
  'ANALYZE TABLE users': 'statistics only; MariaDB refuses it in a read-only transaction',
  'ANALYZE NO_WRITE_TO_BINLOG TABLE users': 'statistics only; MariaDB refuses it in a read-only transaction',
};
/** Rows the judge calls writes that MariaDB runs read-only, or refuses before its read-only check. */
const MY_WRITE_EXCEPTIONS: Readonly<Record<string, string>> = {
  'SELECT * FROM users LOCK IN SHARE MODE': `locks rows; ${MY_NOT_IN_READ_ONLY}`,
  "SELECT * FROM users INTO OUTFILE '/tmp/pg-guard-oracle-users.txt'":
    `writes a file on the server; ${MY_NOT_IN_READ_ONLY}`,
  "SELECT 1 INTO DUMPFILE '/tmp/pg-guard-oracle-x'": `writes a file on the server; ${MY_NOT_IN_READ_ONLY}`,
  'CREATE DEFINER=`root`@`localhost` PROCEDURE p5() BEGIN IF 1 THEN SELECT 1; END IF; END': MY_PRIVILEGE,
  'FLUSH TABLES': `closes tables; ${MY_NOT_IN_READ_ONLY}`,
  'FLUSH PRIVILEGES': `reloads grants; ${MY_NOT_IN_READ_ONLY}`,
  'LOCK TABLES users READ': `blocks writers; ${MY_NOT_IN_READ_ONLY}`,
  'CACHE INDEX users IN hot_cache': 'assigns a key cache (none named so here)',
  'LOAD INDEX INTO CACHE users': `preloads an index; ${MY_NOT_IN_READ_ONLY}`,
  'BACKUP STAGE START': `blocks DDL until BACKUP STAGE END; ${MY_NOT_IN_READ_ONLY}`,
  'RESET QUERY CACHE': `empties the query cache; ${MY_NOT_IN_READ_ONLY}`,
  'REPAIR TABLE users': `may drop rows it cannot repair; ${MY_NOT_IN_READ_ONLY}`,
  'DROP SERVER IF EXISTS srv': MY_PRIVILEGE,
  'SET GLOBAL max_connections = 1': MY_PRIVILEGE,
  'SET @@global.read_only = 1': MY_PRIVILEGE,
  'SET @@GLOBAL.read_only = 1': MY_PRIVILEGE,
  "SET sql_mode = '', GLOBAL max_connections = 1": MY_PRIVILEGE,
  'KILL 42': `${MY_PRIVILEGE} (or no such connection)`,
  'KILL QUERY 42': `${MY_PRIVILEGE} (or no such connection)`,
  'KILL CONNECTION 42': `${MY_PRIVILEGE} (or no such connection)`,
  SHUTDOWN: MY_PRIVILEGE,
  'RESET MASTER': MY_PRIVILEGE,
  'RESET SLAVE': `${MY_PRIVILEGE} (no replication configured)`,
  "PURGE BINARY LOGS TO 'mysql-bin.000001'": MY_PRIVILEGE,
  'PURGE MASTER LOGS BEFORE NOW()': MY_PRIVILEGE,
  'STOP SLAVE': MY_PRIVILEGE,
  'START SLAVE': MY_PRIVILEGE,
  "CHANGE MASTER TO MASTER_HOST = 'h'": MY_PRIVILEGE,
  "SET DEFAULT ROLE r FOR 'app'@'%'": 'the role and the account do not exist here',
  'BINLOG \'base64\'': `${MY_PRIVILEGE} (and the event is not valid)`,
  'CALL p()': 'a procedure\'s body is not visible to the guard; the fixture\'s p only reads',
  'CALL fx.cleanup': 'a procedure\'s body is not visible to the guard; this one does not exist',
  "PREPARE s FROM 'DROP TABLE users'": 'judged as what EXECUTE will run; PREPARE itself writes nothing',
  "PREPARE s FROM 'DROP ' 'TABLE users'": 'judged as what EXECUTE will run; PREPARE itself writes nothing',
  "SET @sql = 'DROP TABLE users'; PREPARE s FROM @sql": 'dynamic SQL; PREPARE itself writes nothing',
  "PREPARE s FROM CONCAT('DROP TABLE ', 'users')": 'dynamic SQL; PREPARE itself writes nothing',
  'EXECUTE s': 'a statement prepared elsewhere: unknown here, so nothing ran',
  'BEGIN NOT ATOMIC SELECT 1; END': 'a compound block asks whatever it holds; this one only reads',
  'IF 1 THEN SELECT 1; END IF': 'a compound block asks whatever it holds; this one only reads',
  "SELECT sys_exec('rm -rf /')": 'a shell on the server where lib_mysqludf_sys is installed (not here)',
  "SELECT 'a\\'; DROP TABLE users; -- '": 'DROP runs under NO_BACKSLASH_ESCAPES (which a session can set)',
  'SELECT "a\\"; DROP TABLE users; -- "': 'DROP runs under NO_BACKSLASH_ESCAPES or ANSI_QUOTES; one string here',
  "SELECT 'it\\'s; DROP TABLE users; -- '": 'DROP runs under NO_BACKSLASH_ESCAPES; one string here',
  "SELECT 'it\\'s;DROP TABLE users;#';": 'DROP runs under NO_BACKSLASH_ESCAPES; one string here',
  'SELECT `a\\`; DROP TABLE users; -- `': 'the first statement fails here (no such column), which stops the request',
  'SELECT 1 --x\n; DROP TABLE users;': 'the first statement fails (no column x); the client stops unless --force',
};

const UNSAFE = new RegExp([
  '\\\\!', '`', '\\|\\s*\\w', '\\\\e\\b', '\\\\ef', '\\\\password', '\\\\c\\b', '\\\\connect', 'PROGRAM',
  '\\bsystem\\b', '\\\\r\\b', '\\bconnect\\b', '\\bedit\\b', 'pager\\s+\\w', '\\\\setenv',
].join('|'), 'i');
/** Rows not sent to a server at all: they would run a shell, an editor, a prompt, or connect elsewhere. */
function unsafeClientRow(text: string): boolean {
  return UNSAFE.test(text);
}

/** The judge's readFile over the real disk. */
function readDisk(file: string): { ok: true; text: string } | { ok: false; message: string } {
  return fs.existsSync(file) ? { ok: true, text: fs.readFileSync(file, 'utf8') } : { ok: false, message: 'ENOENT' };
}

/** SQLSTATEs (PostgreSQL, from VERBOSITY=verbose) in psql's output. */
function pgCodes(output: string): string[] {
  return [...output.matchAll(/ERROR:\s+([0-9A-Z]{5}):/g)].map((m) => m[1]);
}

/** MariaDB error numbers in the client's output. */
function myCodes(output: string): string[] {
  return [...output.matchAll(/ERROR (\d+) \(/g)].map((m) => m[1]);
}

/** Checks one table of rows against what the server did; returns the failures, one line each. */
function check(rows: readonly Row[], options: SqlOptions, outcome: (row: Row) => Outcome | undefined,
  syntax: { errors: ReadonlySet<string>; is: (codes: string[]) => boolean },
  readOnlyError: (codes: string[]) => boolean, exceptions: Readonly<Record<string, string>>,
  readExceptions: Readonly<Record<string, string>> = {}): string[] {
  const failures: string[] = [];
  for (const row of rows) {
    const [text] = row;
    const o = outcome(row);
    if (!o) continue;
    const verdict = judgeSql(text, options).code;
    const syntaxError = syntax.is(o.codes);
    if (syntaxError !== syntax.errors.has(text)) {
      const why = syntaxError ? 'syntax error not listed' : 'listed syntax error accepted';
      failures.push(`${JSON.stringify(text)}: ${why}: ${o.output.trim().slice(0, 200)}`);
      continue;
    }
    if (syntaxError) continue;
    const ro = readOnlyError(o.codes);
    if (verdict === 'readOnly' && ro !== (readExceptions[text] !== undefined)) {
      const why = ro ? 'server: read-only error' : 'listed, but ran read-only';
      failures.push(`${JSON.stringify(text)}: judged readOnly, ${why}`);
    }
    if (WRITES.has(verdict)) {
      const listed = exceptions[text] !== undefined;
      const shown = JSON.stringify(text);
      if (!ro && !listed) failures.push(`${shown}: judged ${verdict}, ran read-only: ${o.output.trim().slice(0, 200)}`);
      if (ro && listed) failures.push(`${shown}: listed exception, but the server raised the read-only error`);
    }
  }
  return failures;
}

describe('SQL judge against real PostgreSQL 15 (oracle)', function () {
  this.timeout(600000);
  let pg: Awaited<ReturnType<typeof startPostgres>> | undefined;
  let dir: string;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, PGOPTIONS: '-c default_transaction_read_only=on',
    PGHOST: '127.0.0.1', PGPORT: String(pg!.port), PGUSER: 'postgres', PGDATABASE: 'fx', PSQLRC: '/dev/null' });

  before(async function () {
    if (!which('initdb') || !which('postgres') || !which('psql')) {
      console.log('      skipped: PostgreSQL server binaries not installed (Debian: postgresql)');
      this.skip();
    }
    removeRowFiles();
    pg = await startPostgres();
    const base = ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-X', '-v', 'ON_ERROR_STOP=1'];
    const created = spawnSync(pg.psql, [...base, '-c', 'CREATE DATABASE fx'], { encoding: 'utf8' });
    assert.strictEqual(created.status, 0, created.stderr);
    const loaded = spawnSync(pg.psql, [...base, '-d', 'fx', '-f', path.join(FIXTURES, 'postgres-fixture.sql')],
      { encoding: 'utf8' });
    assert.strictEqual(loaded.status, 0, loaded.stderr);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-sql-oracle-'));
    for (const [name, text] of Object.entries(INCLUDED)) fs.writeFileSync(path.join(dir, name), text);
  });

  after(async () => {
    await pg?.stop();
    removeRowFiles();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs server SQL exactly as `psql -c` sends it; statements that need a transaction block get one. */
  function runServer(text: string): Outcome {
    const args = ['-X', '-q', '-v', 'VERBOSITY=verbose'];
    let r = spawnSync(pg!.psql, [...args, '-c', text], { encoding: 'utf8', env: env(), timeout: 30000 });
    let output = `${r.stdout}${r.stderr}`;
    if (pgCodes(output).includes('25P01')) {
      r = spawnSync(pg!.psql, [...args, '-c', 'BEGIN', '-c', text, '-c', 'ROLLBACK'],
        { encoding: 'utf8', env: env(), timeout: 30000 });
      output = `${r.stdout}${r.stderr}`;
    }
    return { codes: pgCodes(output), output };
  }

  it('accepts every server row, and read-only verdicts run read-only while writes do not', () => {
    // A NUL cannot travel in an argument (psql would stop reading there): those rows are the judge's alone.
    const failures = check(POSTGRES, { dialect: 'postgres', client: 'none' },
      ([text]) => (text.includes('\0') ? undefined : runServer(text)),
      { errors: PG_SYNTAX_ERRORS, is: (c) => c.includes('42601') }, (c) => c.includes('25006'), PG_WRITE_EXCEPTIONS);
    console.log(`      ${POSTGRES.length} rows; ${Object.keys(PG_WRITE_EXCEPTIONS).length} listed write exceptions`);
    if (failures.length > 0) console.log(failures.map((x) => `      ✗ ${x}`).join("\n"));
    assert.deepStrictEqual(failures, []);
  });

  it('psql scripts: the same, with psql reading the script (meta-commands, variables, includes)', () => {
    const options: SqlOptions = { dialect: 'postgres', client: 'psql', cwd: dir, readFile: readDisk,
      variables: { v: 'DROP TABLE users', n: '5' } };
    const failures = check(PSQL, options, ([text, code]) => {
      if (unsafeClientRow(text) || code === 'unknown' || code === 'unreadable') return undefined;
      const vars = ['-v', 'v=DROP TABLE users', '-v', 'n=5'];
      const r = spawnSync(pg!.psql, ['-X', '-q', '-v', 'VERBOSITY=verbose', ...vars, '-f', '-'],
        { encoding: 'utf8', env: env(), cwd: dir, input: text, timeout: 30000 });
      const output = `${r.stdout}${r.stderr}`;
      return { codes: pgCodes(output), output };
    }, { errors: PG_SYNTAX_ERRORS, is: (c) => c.includes('42601') }, (c) => c.includes('25006'), PG_WRITE_EXCEPTIONS);
    if (failures.length > 0) console.log(failures.map((x) => `      ✗ ${x}`).join("\n"));
    assert.deepStrictEqual(failures, []);
  });

  it('the fixture survived', () => {
    const r = runServer('SELECT count(*) FROM users JOIN orders ON orders.user_id = users.id');
    assert.deepStrictEqual(r.codes, [], r.output);
  });
});

describe('SQL judge against real MariaDB (oracle)', function () {
  this.timeout(600000);
  let db: Mariadb | undefined;
  let dir: string;

  before(async function () {
    const missing = mariadbMissing();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    removeRowFiles();
    db = await startMariadb();
    const root = (input: string): void => {
      const r = spawnSync(db!.client, ['--no-defaults', '-S', db!.socket, '-uroot'], { encoding: 'utf8', input });
      assert.strictEqual(r.status, 0, r.stderr);
    };
    root(fs.readFileSync(path.join(FIXTURES, 'mariadb-fixture.sql'), 'utf8'));
    // Everything but what bypasses read_only or stops the server.
    root("CREATE USER ro@localhost; GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, FILE, "
      + 'REFERENCES, INDEX, ALTER, SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, CREATE VIEW, '
      + 'SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER ON *.* TO ro@localhost '
      + 'WITH GRANT OPTION; '
      + 'SET GLOBAL read_only = ON;');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-sql-oracle-'));
    for (const [name, text] of Object.entries(INCLUDED)) fs.writeFileSync(path.join(dir, name), text);
  });

  after(async () => {
    await db?.stop();
    removeRowFiles();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function run(input: string, extra: string[] = []): Outcome {
    const r = spawnSync(db!.client, ['--no-defaults', '-S', db!.socket, '-uro', ...extra, 'fx'],
      { encoding: 'utf8', input, cwd: dir, timeout: 30000 });
    const output = `${r.stdout}${r.stderr}`;
    return { codes: myCodes(output), output };
  }

  const readOnlyError = (c: string[]): boolean => c.includes('1792') || c.includes('1290');
  const mySyntax = { errors: MY_SYNTAX_ERRORS, is: (c: string[]): boolean => c.includes('1064') };

  it('accepts every server row, and read-only verdicts run read-only while writes do not', () => {
    // One request, as the judge's `client: none` means: a delimiter that never occurs.
    const failures = check(MYSQL, { dialect: 'mysql', client: 'none' },
      // The delimiter on a line of its own: a `#` or `-- ` comment ending the row must not hide it.
      ([text]) => run(`START TRANSACTION READ ONLY\n~~~~\n${text}\n~~~~\nROLLBACK\n~~~~\n`,
        ['--comments', '--delimiter=~~~~']),
      mySyntax, readOnlyError, MY_WRITE_EXCEPTIONS, MY_READ_EXCEPTIONS);
    console.log(`      ${MYSQL.length} rows; ${Object.keys(MY_WRITE_EXCEPTIONS).length} listed write exceptions`);
    if (failures.length > 0) console.log(failures.map((x) => `      ✗ ${x}`).join("\n"));
    assert.deepStrictEqual(failures, []);
  });

  it('mysql client scripts: the same, with the mariadb client reading the script', () => {
    const options: SqlOptions = { dialect: 'mysql', client: 'mysql', cwd: dir, readFile: readDisk };
    const failures = check(MYSQL_CLIENT, options, ([text, code]) => {
      if (unsafeClientRow(text) || code === 'unknown' || code === 'unreadable') return undefined;
      return run(`START TRANSACTION READ ONLY;\n${text}\n`);
    }, mySyntax, readOnlyError, MY_WRITE_EXCEPTIONS, MY_READ_EXCEPTIONS);
    if (failures.length > 0) console.log(failures.map((x) => `      ✗ ${x}`).join("\n"));
    assert.deepStrictEqual(failures, []);
  });

  it('the fixture survived', () => {
    const r = run('SELECT COUNT(*) FROM users JOIN orders ON orders.user_id = users.id;');
    assert.deepStrictEqual(r.codes, [], r.output);
  });
});
