// The SQL judge against its golden table (test/fixtures/sql/golden.ts): every row's verdict code and `what`, per
// dialect and client; plus the properties no table row can show (bounds, masking, lines, sizes).
import * as assert from 'assert';
import { judgeSql, SQL_SIZE_LIMIT, type SqlOptions } from '../../src/core/guard/sql';
import { INCLUDED, MYSQL, MYSQL_CLIENT, POSTGRES, PSQL, TRINO, type Row } from '../fixtures/sql/golden';
import { assertBounded } from './helpers';

const CWD = '/work/scripts';
const readFile = (file: string): { ok: true; text: string } | { ok: false; message: string } => {
  const rel = file.startsWith(`${CWD}/`) ? file.slice(CWD.length + 1) : undefined;
  const text = rel !== undefined ? INCLUDED[rel] : undefined;
  return text !== undefined ? { ok: true, text } : { ok: false, message: 'ENOENT: no such file' };
};

/** The psql rows run with `-v v='DROP TABLE users' -v n=5`. */
const PSQL_VARS = { v: 'DROP TABLE users', n: '5' };

const TABLES: ReadonlyArray<readonly [string, readonly Row[], SqlOptions]> = [
  ['postgres (server)', POSTGRES, { dialect: 'postgres', client: 'none' }],
  ['mysql (server)', MYSQL, { dialect: 'mysql', client: 'none' }],
  ['trino', TRINO, { dialect: 'trino', client: 'none' }],
  ['psql script', PSQL, { dialect: 'postgres', client: 'psql', cwd: CWD, readFile, variables: PSQL_VARS }],
  ['mysql client', MYSQL_CLIENT, { dialect: 'mysql', client: 'mysql', cwd: CWD, readFile }],
];

describe('SQL judge: golden tables', () => {
  for (const [name, rows, options] of TABLES) {
    describe(`${name} (${rows.length} rows)`, () => {
      for (const [text, code, what] of rows) {
        it(`${JSON.stringify(text)} → ${code}${what ? ` (${what})` : ''}`, () => {
          const v = judgeSql(text, options);
          assert.strictEqual(v.code, code, `${JSON.stringify(text)}: got ${JSON.stringify(v)}`);
          if (what !== undefined) assert.strictEqual(v.what, what, `${JSON.stringify(text)}: got ${JSON.stringify(v)}`);
        });
      }
    });
  }
  it('has several hundred rows', () => {
    const total = TABLES.reduce((n, [, rows]) => n + rows.length, 0);
    assert.ok(POSTGRES.length >= 300 && MYSQL.length >= 250 && total >= 800, `rows: ${total}`);
  });
});

describe('SQL judge: properties', () => {
  const pg: SqlOptions = { dialect: 'postgres', client: 'none' };
  const psql: SqlOptions = { dialect: 'postgres', client: 'psql', cwd: CWD, readFile };
  const my: SqlOptions = { dialect: 'mysql', client: 'mysql', cwd: CWD, readFile };

  it('the most severe statement decides, and the verdict says where it is', () => {
    const v = judgeSql('SELECT 1;\nDELETE FROM users WHERE id = 1;\n\nDROP TABLE orders;\nSELECT 2;', pg);
    const expected = { code: 'destructive', what: 'DROP TABLE orders', statement: 'DROP TABLE orders', line: 4 };
    assert.deepStrictEqual(v, expected);
    const w = judgeSql('\\set x 1\n\\dt\nSELECT 1;\n  TRUNCATE users;', { ...psql, from: '-f migrate.sql' });
    assert.deepStrictEqual([w.code, w.what, w.line, w.from], ['destructive', 'TRUNCATE users', 4, '-f migrate.sql']);
    const m = judgeSql('SELECT 1;\n-- x\nDELETE FROM users;', my);
    assert.deepStrictEqual([m.code, m.line], ['destructive', 3]);
  });

  it('names the included file and its line', () => {
    const v = judgeSql('SELECT 1;\n\\i drop.sql\n', psql);
    assert.deepStrictEqual([v.code, v.from, v.line], ['destructive', `${CWD}/drop.sql`, 2]);
    const m = judgeSql('source drop.sql', my);
    assert.deepStrictEqual([m.code, m.from, m.line], ['destructive', `${CWD}/drop.sql`, 2]);
    const r = judgeSql('\\ir drop.sql', { ...psql, cwd: '/elsewhere', file: `${CWD}/main.sql` });
    assert.strictEqual(r.code, 'destructive');
    assert.strictEqual(judgeSql('\\i drop.sql', { ...psql, readFile: undefined }).code, 'unreadable');
  });

  it('masks string literals near passwords and shortens long statements', () => {
    for (const [sql, options] of [
      ["ALTER ROLE app PASSWORD 's3cret-pw'", pg],
      ["CREATE USER u WITH PASSWORD 's3cret-pw'", pg],
      ["ALTER USER 'u'@'%' IDENTIFIED BY 's3cret-pw'", my],
      ["SET PASSWORD FOR 'u'@'%' = PASSWORD('s3cret-pw')", my],
      ["ALTER USER u IDENTIFIED VIA ed25519 USING PASSWORD('s3cret-pw')", my],
      ["SELECT dblink_exec('host=db password=s3cret-pw', 'DROP TABLE t')", pg],
    ] as const) {
      const v = judgeSql(sql, options);
      assert.ok(v.statement && !v.statement.includes('s3cret'), `${sql}: ${JSON.stringify(v)}`);
    }
    const long = `DROP TABLE ${'x'.repeat(500)}`;
    const v = judgeSql(long, pg);
    assert.ok(v.statement!.length <= 120, v.statement);
  });

  it('psql -c: SQL goes to the server as is; a leading backslash is one meta-command', () => {
    const c: SqlOptions = { dialect: 'postgres', client: 'psql', psqlCommand: true, variables: PSQL_VARS };
    assert.strictEqual(judgeSql('SELECT :v', c).code, 'readOnly');
    assert.strictEqual(judgeSql('SELECT 1; DROP TABLE users', c).code, 'destructive');
    assert.strictEqual(judgeSql('\\dt', c).code, 'readOnly');
    // psql -c '\echo a \\ DROP TABLE users' runs only \echo (checked with psql 15).
    assert.strictEqual(judgeSql('\\echo hi \\\\ DROP TABLE users', c).code, 'readOnly');
    assert.strictEqual(judgeSql('\\! rm -rf /', c).code, 'unknown');
    assert.strictEqual(judgeSql('SELECT 1 \\g', c).code, 'readOnly');
  });

  it('mysql --delimiter sets the starting delimiter', () => {
    assert.strictEqual(judgeSql('SELECT 1; DROP TABLE users//', { ...my, delimiter: '//' }).code, 'destructive');
    assert.strictEqual(judgeSql('SELECT 1//', { ...my, delimiter: '//' }).code, 'readOnly');
  });

  it('reads literals both ways when they end elsewhere (standard_conforming_strings, NO_BACKSLASH_ESCAPES)', () => {
    assert.strictEqual(judgeSql("SELECT '\\'; DROP TABLE users; --'", pg).code, 'destructive');
    assert.strictEqual(judgeSql("SELECT 'C:\\\\temp'; SELECT 1", pg).code, 'readOnly');
    assert.strictEqual(judgeSql("SELECT 'a\\\\'; SELECT 1", { dialect: 'mysql', client: 'none' }).code, 'readOnly');
  });

  it('refuses inputs over the size limit as too large', () => {
    const v = judgeSql(' '.repeat(SQL_SIZE_LIMIT + 1), pg);
    assert.strictEqual(v.code, 'tooLarge');
  });

  it('decides 20 MB scripts within 2 s (and prints the 1 MB figure)', function () {
    this.timeout(60000);
    const unit = "SELECT a, b FROM t WHERE id = 1;\nINSERT INTO t (a, b) VALUES (1, 'x''y');\n" +
      "UPDATE t SET a = 2 WHERE id = 3; -- c\n/* block */ DELETE FROM t WHERE id IN (1, 2, 3);\n";
    for (const mb of [1, 20]) {
      const text = unit.repeat(Math.ceil((mb * 1024 * 1024) / unit.length));
      for (const options of [pg, psql, my, { dialect: 'mysql', client: 'none' } as SqlOptions,
        { dialect: 'trino', client: 'none' } as SqlOptions]) {
        const t0 = process.hrtime.bigint();
        const v = judgeSql(text, options);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        console.log(`      ${mb} MB ${options.dialect}/${options.client}: ${ms.toFixed(0)} ms (${v.code})`);
        assert.strictEqual(v.code, 'harmlessWrite');
        assertBounded(ms, `${mb} MB`);
      }
    }
  });

  it('stays bounded on hostile inputs', function () {
    this.timeout(60000);
    const cases: Array<[string, string]> = [
      ['deep parentheses in WHERE', `DELETE FROM t WHERE ${'('.repeat(1e6)}1${')'.repeat(1e6)}`],
      ['unclosed parentheses', '('.repeat(5e6)],
      ['nested comment openers', '/*'.repeat(5e6)],
      ['dollar tags', '$a$'.repeat(3e6)],
      ['quotes', "'a''".repeat(3e6)],
      ['backslashes in literals', "SELECT 'a\\'';".repeat(1e6)],
      ['semicolons', ';'.repeat(2e7)],
      ['psql variables', ':x '.repeat(3e6)],
      ['psql meta-commands', '\\dt\n'.repeat(3e6)],
      ['mysql delimiters', 'delimiter ;\n'.repeat(1e6)],
      ['one long line', `SELECT ${'1+'.repeat(5e6)}1`],
    ];
    for (const [name, text] of cases) {
      for (const options of [pg, psql, my]) {
        const t0 = Date.now();
        judgeSql(text, options);
        const ms = Date.now() - t0;
        assertBounded(ms, `${name} (${options.client})`);
      }
    }
  });
});
