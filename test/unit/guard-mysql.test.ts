// Golden tables for the mysql/mariadb module: command lines (with attacker spellings), option-file worlds and
// environments → target, verdict, the exact SQL text handed to the SQL judge, secrets. Every MariaDB behaviour
// relied on here is proven against the real 10.11 binaries in test/system/mysql-real.test.ts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import type { SqlOptions } from '../../src/core/guard/sql/index';
import { judgeSql } from '../../src/core/guard/sql/index';
import { type StdinInput, type ToolContext, verdict, type Verdict, type VerdictCode } from '../../src/core/guard/types';
import { analyzeMysql, findType, MYSQL_GRAMMARS, MYSQL_GROUPS, mysqlModule, readMyGetopt } from '../../src/core/guard/tools/mysql';
import { leadingDefaults, type OptionFiles, readOptionFiles } from '../../src/core/guard/tools/mysqlOptions';
import {
  ADMIN, DROP, DUMP, ENV, FILES, GRAMMAR, HOME, home, memFiles, type Row, SECRET_ROWS, shellWords, SWITCH, type World,
} from '../fixtures/guard-mysql/rows';
import { fixture } from './helpers';

/** A stand-in SQL judge that records the text it gets, so rows pin exactly what reaches the real one. */
function recorder(): { judge: typeof judgeSql; seen: Array<{ text: string; client: string; from?: string }> } {
  const seen: Array<{ text: string; client: string; from?: string }> = [];
  const judge = (text: string, o: SqlOptions): Verdict => {
    seen.push({ text, client: o.client, from: o.from });
    if (/\b(drop|truncate|delete)\b/i.test(text)) return verdict('destructive', 'recorded');
    if (/\b(insert|update|create|alter)\b/i.test(text)) return verdict('mutating', 'recorded');
    return verdict('readOnly', 'recorded');
  };
  return { judge, seen };
}

function ctxFor(row: Row): ToolContext {
  return { env: { HOME, ...(row.env ?? {}) }, home: HOME, cwd: '/work', files: memFiles(row.world ?? {}, { noListDir: row.noListDir }) };
}

function stdinFor(row: Row): StdinInput {
  if (row.stdin === 'TOO_LARGE') return { tooLarge: true };
  return row.stdin === undefined ? {} : { text: row.stdin };
}

function runRow(row: Row): void {
  const [tool, ...argv] = shellWords(row.cmd);
  const rec = recorder();
  const a = analyzeMysql(tool, argv, ctxFor(row), rec.judge);
  const t = a.targets[0];
  // The engine adds the places a piped script moves to (stdinTargets) when the command reads stdin.
  const all = [...a.targets, ...(a.readsStdin && a.stdinTargets ? a.stdinTargets(stdinFor(row)) : [])];
  const v = a.judge(stdinFor(row));
  const where = `${row.cmd} ${JSON.stringify(row.world ?? {}).slice(0, 300)} ${JSON.stringify(row.env ?? {})}`;
  assert.strictEqual(t.name, row.target, `target of ${where}`);
  assert.strictEqual(v.code, row.code, `verdict of ${row.cmd}: ${v.what}`);
  assert.strictEqual(Boolean(t.unresolved), Boolean(row.unresolved), `unresolved of ${row.cmd}: ${t.unresolved}`);
  if (row.sql) assert.deepStrictEqual(rec.seen.map((s) => s.text), row.sql, `SQL of ${row.cmd}`);
  if (row.secrets) assert.deepStrictEqual(a.secretArgs, row.secrets, `secrets of ${row.cmd}`);
  if (row.readsStdin !== undefined) assert.strictEqual(a.readsStdin, row.readsStdin, `readsStdin of ${row.cmd}`);
  for (const id of row.ids ?? []) assert.ok(t.identifiers.includes(id), `${id} in ${t.identifiers.join(', ')}`);
  if (row.more) assert.deepStrictEqual(all.slice(1).map((x) => x.name), row.more, `more targets of ${where}`);
  const doubts = all.slice(1).filter((x) => x.unresolved).map((x) => x.name);
  if (row.more) assert.deepStrictEqual(doubts, row.doubts ?? [], `unresolved targets of ${where}`);
  if (row.via) for (const x of all.slice(1)) assert.strictEqual(x.source, row.via, `source of ${x.name}`);
}

describe('guard: mysql/mariadb module', () => {
  const tables = {
    grammar: GRAMMAR, 'session switches': SWITCH, environment: ENV, 'option files': FILES, mysqladmin: ADMIN,
    mysqldump: DUMP, 'passwords as separate words': SECRET_ROWS,
  };
  for (const [name, rows] of Object.entries(tables)) {
    describe(`${name} (${rows.length} rows)`, () => {
      for (const row of rows) {
        const label = `${row.cmd.slice(0, 110)}${row.world ? ` [${Object.keys(row.world).length} file(s)]` : ''}${row.env ? ` ${JSON.stringify(row.env)}` : ''}`;
        it(label, () => runRow(row));
      }
    });
  }

  it('no secret ever appears in a target name, detail, problem, verb or verdict', () => {
    for (const row of [...GRAMMAR, ...ADMIN, ...DUMP, ...SECRET_ROWS]) {
      const [tool, ...argv] = shellWords(row.cmd);
      const a = analyzeMysql(tool, argv, ctxFor(row), recorder().judge);
      const v = a.judge(stdinFor(row));
      const shown = [a.verb, v.what, JSON.stringify(a.problems), ...a.targets.flatMap((t) =>
        [t.name, t.source, t.unresolved ?? '', ...Object.values(t.details)])];
      for (const k of a.secretArgs) {
        const raw = argv[k];
        const secret = raw.startsWith('--') ? raw.slice(raw.indexOf('=') + 1)
          : raw.startsWith('-') ? raw.slice(raw.indexOf('p') + 1) : raw;
        for (const s of shown) assert.ok(!s.includes(secret), `${row.cmd}: secret shown in ${s}`);
      }
    }
  });

  // A password typed as a separate word (`-p PW`) is the database to the client: shown as ***, classified by.
  it('the word after a bare -p/--password is masked and shown as ***, yet still classifies the target', () => {
    for (const row of SECRET_ROWS) {
      const [tool, ...argv] = shellWords(row.cmd);
      const a = analyzeMysql(tool, argv, ctxFor(row), recorder().judge);
      const all = JSON.stringify({ verb: a.verb, v: a.judge({}), p: a.problems, t: a.targets.map((t) => ({ ...t,
        identifiers: [] })) });
      assert.ok(!all.includes('S3cret'), `${row.cmd}: ${all}`);
      if (row.ids) for (const id of row.ids) assert.ok(a.targets[0].identifiers.includes(id), `${row.cmd}: ids`);
    }
  });

  it('options the client rejects are named without their value (command line and option files)', () => {
    const cases: Array<[string, World?]> = [
      ["mysql --pa=S3cret -e 'select 1'"], ["mysql --passwrd=S3cret -e 'select 1'"],
      ["mysql --password1=S3cret -e 'select 1'"], ["mysql --PASSWORD1=S3cret -e 'select 1'"],
      ["mysql --x.passwrd=S3cret -e 'select 1'"], ["mysql --loose-passwrd=S3cret -e 'select 1'"],
      ["mysql --skip-passwrd=S3cret -e 'select 1'"], ["mysql --p=S3cret -e 'select 1'"],
      ["mysql --hostx=S3cret -e 'select 1'"], ["mysql --debug=S3cret -e 'select 1'"],
      ['mysqladmin --passwrd=S3cret status'], ['mysqladmin --passwor1=S3cret status'],
      ['mysqldump --passwrd=S3cret appdb'], ['mysqldump --p=S3cret appdb'],
      ["mysql -e 'select 1'", home('[client]\npassword1=S3cret\n')],
      ["mysql -e 'select 1'", home('[client]\npa=S3cret\n')],
      ["mysql -e 'select 1'", home('[client]\nbogus="S3cret"\n')],
      ["mysql -e 'select 1'", home('[mysql]\ndebug=S3cret\n')],
    ];
    for (const [cmd, world] of cases) {
      const [tool, ...argv] = shellWords(cmd);
      const a = analyzeMysql(tool, argv, ctxFor({ cmd, target: '', code: 'noEffect', world }), recorder().judge);
      const v = a.judge({});
      const all = JSON.stringify({ verb: a.verb, v, p: a.problems, t: a.targets });
      assert.ok(!all.includes('S3cret'), `${cmd}: ${all}`);
      assert.ok(a.targets[0].unresolved || v.code === 'unparseable' || /loose/.test(cmd), `${cmd}: not refused`);
      const at = argv.findIndex((x) => x.includes('S3cret'));
      if (at >= 0 && /pass|--pa=|--p=/i.test(argv[at])) assert.ok(a.secretArgs.includes(at), `${cmd}: not masked`);
    }
  });

  it('the SQL sources are handed over with the right client mode', () => {
    const rec = recorder();
    const a = analyzeMysql('mysql', ['--init-command=SET x=1', '-e', 'source /tmp/x.sql'], ctxFor({ cmd: '', target: '', code: 'noEffect' }), rec.judge);
    a.judge({});
    assert.deepStrictEqual(rec.seen.map((s) => s.client), ['none', 'mysql']);
    assert.deepStrictEqual(rec.seen.map((s) => s.from), ['--init-command', '-e']);
  });

  it('any order of the flags around a destructive production command reads the same target and SQL', () => {
    const groups = [['-h', 'prod-db'], ['-sN'], ['-e', 'DROP TABLE users'], ['appdb'], ['--port=3306'], ['-uadmin'], ['--connect-timeout', '5']];
    const perms = (xs: string[][]): string[][][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
    let n = 0;
    for (const p of perms(groups)) {
      const rec = recorder();
      const a = analyzeMysql('mysql', p.flat(), ctxFor({ cmd: '', target: '', code: 'noEffect' }), rec.judge);
      assert.strictEqual(a.targets[0].name, 'prod-db/appdb', p.flat().join(' '));
      assert.strictEqual(a.judge({}).code, 'destructive', p.flat().join(' '));
      assert.deepStrictEqual(rec.seen.map((s) => s.text), ['DROP TABLE users']);
      n++;
    }
    assert.strictEqual(n, 5040);
  });

  it('decides within 2 s for 1 MB arguments, a 1 MB option file and prefix chains', () => {
    const start = Date.now();
    const big = ['-h', 'prod-db', '-e', `SELECT '${'x'.repeat(1024 * 1024)}'`, ...Array.from({ length: 20000 }, () => '--hos=prod-db')];
    analyzeMysql('mysql', big, ctxFor({ cmd: '', target: '', code: 'noEffect' }), recorder().judge).judge({});
    analyzeMysql('mysql', [`--${'skip-'.repeat(200000)}host=prod`], ctxFor({ cmd: '', target: '', code: 'noEffect' }), recorder().judge);
    analyzeMysql('mysql', [`--${'x.'.repeat(200000)}host=prod`, `-${'s'.repeat(500000)}`], ctxFor({ cmd: '', target: '', code: 'noEffect' }), recorder().judge);
    analyzeMysql('mysqladmin', Array.from({ length: 100000 }, (_, i) => (i % 2 ? 'status' : '-p')),
      ctxFor({ cmd: '', target: '', code: 'noEffect' }), recorder().judge).judge({});
    const file = `[client]\n${'host=prod-db\n'.repeat(80000)}`;
    const a = analyzeMysql('mysql', ['-e', 'select 1'], ctxFor({ cmd: '', target: '', code: 'noEffect', world: home(file) }), recorder().judge);
    assert.strictEqual(a.targets[0].name, 'prod-db');
    const long = `[client]\n#${'a'.repeat(1000000)}\n`;
    analyzeMysql('mysql', [], ctxFor({ cmd: '', target: '', code: 'noEffect', world: home(long) }), recorder().judge);
    assert.ok(Date.now() - start < 2000, `took ${Date.now() - start} ms`);
  });

  it('reads any script within 2 s: millions of commands without arguments, `\\r;` runs, a 30 MB dump', () => {
    const MB = 1024 * 1024;
    const dump = "INSERT INTO t VALUES (1,'O\\'Brien','a\\r\\nb'),(2,'use this; connect x y;');\n";
    const inputs: Array<[string, string]> = [
      ['use\\n', 'use\n'.repeat(MB)], ['source\\n', 'source\n'.repeat(MB / 2)], ['connect;', 'connect;'.repeat(MB / 2)],
      ['\\r;', '\\r;'.repeat(MB)], ['\\u x;', '\\u x;'.repeat(MB)], ['\\. x;', '\\. x;'.repeat(MB)],
      ['use x\\g', 'use x\\g'.repeat(MB / 2)],
      ['connect distinct', Array.from({ length: 200000 }, (_, i) => `connect a h${i};`).join('\n')],
      ['dump', dump.repeat(30 * MB / dump.length)], ['open quote', `select '${'\\r x connect y '.repeat(MB)}`],
      ['one long connect', `connect ${'a'.repeat(4 * MB)};`], ['use `', 'use `'.repeat(MB)],
    ];
    const none = ctxFor({ cmd: '', target: '', code: 'noEffect' });
    for (const [name, text] of inputs) {
      let start = Date.now();
      const piped = analyzeMysql('mysql', ['-h', 'dev-db'], none, recorder().judge).stdinTargets!({ text });
      assert.ok(Date.now() - start < 2000, `${name} on stdin: took ${Date.now() - start} ms`);
      start = Date.now();
      const e = analyzeMysql('mysql', ['-h', 'dev-db', '-e', text], none, recorder().judge);
      assert.ok(Date.now() - start < 2000, `${name} in -e: took ${Date.now() - start} ms`);
      // Bounded output too: at most 64 places and one that says the guard stopped.
      assert.ok(piped.length <= 65 && e.targets.length <= 66, `${name}: ${piped.length} targets`);
    }
  });

  it('never throws: odd input becomes a verdict', () => {
    for (const argv of [[''], ['-'], ['--'], ['--='], ['---'], ['-\u0000'], ['--\u00e9t\u00e9=1'], ['-p'], ['--password']]) {
      const a = mysqlModule.analyze('mysql', argv, ctxFor({ cmd: '', target: '', code: 'noEffect' }));
      assert.ok(a.targets.length === 1);
      a.judge({});
    }
  });

  it('leadingDefaults reads only the leading arguments, each once', () => {
    assert.deepStrictEqual(leadingDefaults(['--defaults-file=/a', '--defaults-extra-file=/b', '--defaults-group-suffix=-x', '--print-defaults', '-h']),
      { noDefaults: false, defaultsFile: '/a', extraFile: '/b', groupSuffix: '-x', printDefaults: true, consumed: 4 });
    assert.strictEqual(leadingDefaults(['-h', 'x', '--defaults-file=/a']).defaultsFile, undefined);
    assert.strictEqual(leadingDefaults(['--defaults-file=/a', '--defaults-file=/b']).consumed, 1);
    assert.deepStrictEqual(leadingDefaults(['--no-defaults', '--defaults-file=/a']).consumed, 1);
  });

  it('findType is MariaDB find_type: exact (trailing spaces), unique prefix, any case', () => {
    const names = ['create', 'drop', 'status', 'start-slave', 'stop-slave'];
    assert.strictEqual(findType('drop', names), 2);
    assert.strictEqual(findType('DR', names), 2);
    assert.strictEqual(findType('status  ', names), 3);
    assert.strictEqual(findType('st', names), -1);
    assert.strictEqual(findType('', names), 0);
    assert.strictEqual(findType('dropx', names), 0);
  });

  it('readMyGetopt keeps option-file options before the command line and marks where they came from', () => {
    const p = readMyGetopt([{ option: 'host=file-host', file: '/f.cnf', line: 2 }], ['-h', 'cli-host'], 0, MYSQL_GRAMMARS.mysql);
    assert.deepStrictEqual(p.flags.map((f) => [f.name, f.value, f.index, f.file]), [['host', 'file-host', -1, '/f.cnf'], ['host', 'cli-host', 0, undefined]]);
  });

  it('reads the fixture worlds from real files (rooted Files with listDir and mode)', () => {
    const root = fixture('guard-mysql', 'world');
    const rooted: OptionFiles = {
      readText: (p, max) => nodeFiles.readText(path.join(root, p), max),
      listDir: (d) => {
        try {
          return { ok: true, names: fs.readdirSync(path.join(root, d)) };
        } catch (e) {
          return { ok: false, missing: (e as NodeJS.ErrnoException).code === 'ENOENT', message: String((e as Error).message) };
        }
      },
      mode: (p) => {
        try {
          return fs.statSync(path.join(root, p)).mode & 0o7777;
        } catch {
          return undefined;
        }
      },
    };
    const r = readOptionFiles({ groups: MYSQL_GROUPS.mysql, defaults: leadingDefaults([]), env: { HOME: '/home/dev' }, home: '/home/dev', cwd: '/', files: rooted });
    assert.deepStrictEqual(r.unresolved, []);
    assert.deepStrictEqual(r.options.map((o) => o.option), ['socket=/run/mysqld/mysqld.sock', 'host=staging-db', 'host=prod-db.internal', 'database=orders']);
    assert.deepStrictEqual(r.files, ['/etc/mysql/my.cnf', '/etc/mysql/conf.d/10-staging.cnf', '/etc/mysql/conf.d/20-prod.cnf', '/home/dev/.my.cnf']);
  });
});

describe('guard: mysql module with the real SQL judge', () => {
  const realJudge = judgeSql('DROP TABLE t', { dialect: 'mysql', client: 'mysql' }).code === 'destructive';
  const rows: Array<[string, VerdictCode]> = [
    [`mysql -h prod-db -sNe ${DROP}`, 'destructive'],
    ["mysql -h prod-db -e 'SELECT 1'", 'readOnly'],
    ["mysql -h prod-db -e 'select 1 -- ' -e 'DROP TABLE t'", 'readOnly'],
    ["mysql -h prod-db -e 'select 1;' -e 'DROP TABLE t'", 'destructive'],
    ["mysql -h prod-db --init-command='DROP TABLE t' -e 'SELECT 1'", 'destructive'],
    ["mysql -h prod-db --delimiter=// -e 'DROP TABLE t//'", 'destructive'],
    ["mysql -h prod-db -e 'SHOW TABLES'", 'readOnly'],
    ["mysql -h prod-db -e 'TRUNCATE users'", 'destructive'],
  ];
  for (const [cmd, code] of rows) {
    it(cmd, function () {
      if (!realJudge) this.skip(); // src/core/guard/sql is implemented by another helper
      const [tool, ...argv] = shellWords(cmd);
      const v = mysqlModule.analyze(tool, argv, ctxFor({ cmd, target: '', code })).judge({});
      assert.strictEqual(v.code, code, v.what);
    });
  }
});
