import * as assert from 'assert';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { decide } from '../../src/core/guard/decide';
import { parseConninfo, parseConnUri } from '../../src/core/guard/tools/libpq';
import { postgresModule } from '../../src/core/guard/tools/postgres';
import { tempDir, writeTree } from './helpers';

const home = tempDir();
const cwd = tempDir();
const sysconf = tempDir();
writeTree(home, {
  '.pg_service.conf': [
    '# services of this user',
    '[prod]',
    'host=orders-prd.db.internal',
    'dbname=orders',
    'port=5433',
    '',
    '[dev]',
    'host=orders-dev.db.internal',
    'dbname=orders',
    '[broken]',
    'host = spaced.db',
    '[hostless]',
    'dbname=reports',
  ].join('\n'),
  'other-services.conf': '[prod]\nhost=analytics-prod\n[alt]\nhost=alt-dev\n',
});
writeTree(sysconf, { 'pg_service.conf': '[sysonly]\nhost=warehouse-live\ndbname=dw\n[prod]\nhost=never-read-dev\n' });
const base: NodeJS.ProcessEnv = { USER: 'me', PGSYSCONFDIR: sysconf };

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return decide(argv, { env: { ...base, ...env }, home, cwd, files: nodeFiles, judgeAlways: true });
}

describe('libpq target resolution, as libpq resolves it', () => {
  // [argv, extra env, target name, source (substring), unresolved (substring) or undefined]
  const rows: Array<[string[], NodeJS.ProcessEnv, string, string, string?]> = [
    [['psql', '-h', 'orders-prd.db', '-c', 'x'], {}, 'orders-prd.db/me', '-h flag'],
    [['psql', '--host=orders-prd.db', 'shop'], {}, 'orders-prd.db/shop', '-h flag'],
    [['psql', '-horders-prd.db', 'shop', 'alice'], {}, 'orders-prd.db/shop', '-h flag'],
    [['psql', '--ho', 'orders-prd.db', 'shop'], {}, 'orders-prd.db/shop', '-h flag'], // getopt abbreviation
    [['psql', 'shop'], {}, 'localhost/shop', 'local Unix socket'],
    [['psql'], {}, 'localhost/me', 'local Unix socket'],
    [['psql'], { PGHOST: 'pg-prod-1', PGDATABASE: 'app' }, 'pg-prod-1/app', 'env:PGHOST'],
    [['psql', '-h', 'dev-db'], { PGHOST: 'pg-prod-1' }, 'dev-db/me', '-h flag'],
    // A connection string in the dbname argument overrides -h given before or after it.
    [['psql', '-h', 'dev-db', 'host=prod-db dbname=shop'], {}, 'prod-db/shop', 'connection string'],
    [['psql', 'host=prod-db dbname=shop', '-h', 'dev-db'], {}, 'prod-db/shop', 'connection string'],
    [['psql', '-d', 'postgresql://u:pw@prod-db:5432/shop', '-h', 'dev-db'], {}, 'prod-db/shop', 'connection string'],
    [['psql', 'postgres://prod-db/shop?sslmode=require'], {}, 'prod-db/shop', 'connection string'],
    [['psql', 'postgresql://u@[2001:db8::1]:5432/shop'], {}, '2001:db8::1/shop', 'connection string'],
    [['psql', 'postgresql://%2Fvar%2Frun%2Fpostgresql/shop'], {}, '/var/run/postgresql/shop', 'connection string'],
    [['psql', 'postgresql://a-dev,b-prod:5433/shop'], {}, 'a-dev,b-prod/shop', 'connection string'],
    [['psql', "host='prod db' dbname='sh\\'op'"], {}, 'prod db/sh\'op', 'connection string'],
    [['psql', 'hostaddr=10.0.0.5 dbname=shop'], {}, '10.0.0.5/shop', 'connection string'],
    [['psql', 'dbname=shop'], { PGHOST: 'pg-live' }, 'pg-live/shop', 'env:PGHOST'],
    [['psql', '-h', '/cloudsql/acme-prod:europe-west1:orders', 'shop'], {}, '/cloudsql/acme-prod:europe-west1:orders/shop', '-h flag'],
    // Services: the user's file first, then the system file; explicit values win over the service's.
    [['psql', 'service=prod'], {}, 'orders-prd.db.internal/orders', `service "prod" in ${path.join(home, '.pg_service.conf')}`],
    [['psql'], { PGSERVICE: 'prod' }, 'orders-prd.db.internal/orders', 'service "prod"'],
    [['psql', '-d', 'service=prod'], {}, 'orders-prd.db.internal/orders', 'service "prod"'],
    [['psql', 'service=prod host=dev-db'], {}, 'dev-db/orders', 'connection string'],
    [['psql', '-h', 'dev-db', 'service=prod'], {}, 'dev-db/orders', '-h flag'],
    [['psql'], { PGSERVICE: 'prod', PGHOST: 'dev-db' }, 'orders-prd.db.internal/orders', 'service "prod"'], // service beats env
    [['psql'], { PGSERVICE: 'sysonly' }, 'warehouse-live/dw', `${sysconf}`],
    [['psql'], { PGSERVICE: 'prod', PGSERVICEFILE: path.join(home, 'other-services.conf') }, 'analytics-prod/me', 'other-services.conf'],
    [['psql'], { PGSERVICE: 'alt', PGSERVICEFILE: path.join(home, 'missing.conf') }, 'localhost/me', 'local Unix socket', 'missing.conf not found'],
    [['psql'], { PGSERVICE: 'prod', PGSERVICEFILE: path.relative(cwd, path.join(home, 'other-services.conf')) }, 'analytics-prod/me', 'other-services.conf'], // relative to the command's folder
    [['psql'], { PGSERVICE: 'hostless', PGHOST: 'pg-prod' }, 'pg-prod/reports', 'env:PGHOST'],
    [['psql'], { PGSERVICE: 'nosuch' }, 'localhost/me', 'local Unix socket', 'service "nosuch" is not defined'],
    [['psql'], { PGSERVICE: 'broken' }, 'localhost/me', 'local Unix socket', 'syntax error in service file'],
    [['psql', 'host=prod-db dbname'], {}, 'localhost/me', 'local Unix socket', 'missing "="'],
    [['psql', "host='prod-db"], {}, 'localhost/me', 'local Unix socket', 'unterminated'],
    [['psql', 'postgresql://u:pa/ss@prod-db/x'], {}, 'prod-db', 'connection string', 'does not read as the end of the user name'],
    [['psql', 'postgresql://u:p@ss@prod-db/x'], {}, 'prod-db', 'connection string', 'does not read as the end of the user name'],
    [['psql', 'postgresql://u@prod-db.example/d%FFb'], {}, 'prod-db.example/d\ufffdb', 'connection string'],
    [['psql', 'postgresql://prod-db/d%00b'], {}, 'localhost/me', 'local Unix socket', 'percent-encoding'],
    [['psql', "host='' dbname=shop"], { PGHOST: 'pg-prod' }, 'localhost/shop', 'local Unix socket'], // empty host: the socket
    [['psql', '-h', '', 'shop'], { PGHOST: 'pg-prod' }, 'pg-prod/shop', 'env:PGHOST'], // an empty flag overrides nothing
    [['psql', '-p', `${' '.repeat(100000)}x`, '-h', 'db'], {}, 'db/me', '-h flag', 'invalid port'],
    [['psql', 'bogus=1'], {}, 'localhost/me', 'local Unix socket', 'invalid connection option'],
    // Other tools.
    [['dropdb', '-h', 'prod-db', 'shop'], {}, 'prod-db/shop', '-h flag'],
    [['dropdb', '--maintenance-db=host=prod-db dbname=postgres', 'shop'], {}, 'prod-db/shop', 'connection string'],
    [['createdb', '-h', 'db-live', 'x'], {}, 'db-live/x', '-h flag'],
    [['pg_restore', '-d', 'postgresql://prod-db/shop', 'dump.custom'], {}, 'prod-db/shop', 'connection string'],
    [['pg_dump', '-h', 'prod-db', 'shop'], {}, 'prod-db/shop', '-h flag'],
    [['vacuumdb', '-h', 'prod-db', '-d', 'shop'], {}, 'prod-db/shop', '-h flag'],
    [['pgbench', '-i', '-h', 'prod-db', 'bench'], {}, 'prod-db/bench', '-h flag'],
  ];
  for (const [argv, env, name, source, unresolved] of rows) {
    it(`${argv.join(' ')} ${Object.keys(env).length ? JSON.stringify(env) : ''}`, () => {
      const d = run(argv, env);
      assert.strictEqual(d.target?.name, name);
      assert.ok(d.target?.source.includes(source), `source: ${d.target?.source}`);
      if (unresolved) assert.match(d.target?.unresolved ?? '', new RegExp(unresolved.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      else assert.strictEqual(d.target?.unresolved, undefined);
    });
  }
  it('reports the service file line', () => {
    assert.strictEqual(run(['psql', 'service=prod']).target?.line, 3);
  });
  it('never shows a password typed into the wrong place', () => {
    const d = run(['psql', 'postgresql://u:s3cr3t/x@prod-db/x']);
    assert.doesNotMatch(JSON.stringify([d.target, d.problems]), /s3cr3t/);
  });
  it('parses conninfo and URIs like libpq', () => {
    assert.deepStrictEqual(parseConninfo("host = a  dbname='x y' user=\\'q"), [['host', 'a'], ['dbname', 'x y'], ['user', "'q"]]);
    assert.deepStrictEqual(parseConnUri('postgresql://u:p@h1:1,h2:2/db?application_name=x'), [
      ['user', 'u'], ['host', 'h1,h2'], ['port', '1,2'], ['dbname', 'db'], ['application_name', 'x'],
    ]);
    assert.deepStrictEqual(parseConnUri('postgres://'), []);
  });
});

describe('PostgreSQL tools: what each does to its target', () => {
  writeTree(cwd, { 'uses-v.sql': ':v;\n' });
  // [argv, verdict code]; the targets here are production (the host names say so).
  const rows: Array<[string[], string]> = [
    [['psql', '-h', 'prod-db', '-l'], 'readOnly'],
    [['psql', '-h', 'prod-db', '--list'], 'readOnly'],
    [['psql', '-h', 'prod-db', '--version'], 'noEffect'],
    [['psql', '-h', 'prod-db', '-?'], 'noEffect'],
    [['psql', '-h', 'prod-db', '--help=commands'], 'noEffect'],
    [['psql', '-h', 'prod-db', '-f', 'no-such-file.sql'], 'unreadable'],
    [['psql', '-h', 'prod-db', '--bogus', '-c', 'select 1'], 'unparseable'],
    [['psql', '-h', 'prod-db'], 'interactive'],
    [['dropdb', '-h', 'prod-db', 'shop'], 'destructive'],
    [['dropdb', '-h', 'prod-db', '--if-exists', '-f', 'shop'], 'destructive'],
    [['dropdb', '-h', 'prod-db', '--help'], 'noEffect'],
    [['dropuser', '-h', 'prod-db', 'alice'], 'destructive'],
    [['createdb', '-h', 'prod-db', 'x'], 'mutating'],
    [['createuser', '-h', 'prod-db', '-s', 'eve'], 'mutating'],
    [['pg_restore', '-h', 'prod-db', '-d', 'shop', 'dump'], 'mutating'],
    [['pg_restore', '-h', 'prod-db', '-d', 'shop', '--clean', 'dump'], 'destructive'],
    [['pg_restore', '-h', 'prod-db', '-cd', 'shop', 'dump'], 'destructive'],
    [['pg_restore', '-h', 'prod-db', '--cl', '-d', 'shop', 'dump'], 'destructive'],
    [['pg_restore', '-h', 'prod-db', 'dump'], 'noEffect'],
    [['pg_restore', '-h', 'prod-db', '-l', '-d', 'shop', 'dump'], 'noEffect'],
    [['pg_dump', '-h', 'prod-db', '--clean', 'shop'], 'readOnly'],
    [['pg_dumpall', '-h', 'prod-db', '-c'], 'readOnly'],
    [['vacuumdb', '-h', 'prod-db', '-z', 'shop'], 'harmlessWrite'],
    [['vacuumdb', '-h', 'prod-db', '-fz', 'shop'], 'harmlessWrite'],
    [['reindexdb', '-h', 'prod-db', 'shop'], 'harmlessWrite'],
    [['clusterdb', '-h', 'prod-db', 'shop'], 'harmlessWrite'],
    [['pgbench', '-h', 'prod-db', '-i', 'shop'], 'destructive'],
    [['pgbench', '-h', 'prod-db', '--initi', 'shop'], 'destructive'],
    [['pgbench', '-h', 'prod-db', '--init', 'shop'], 'unparseable'], // pgbench: ambiguous (--initialize, --init-steps)
    [['pgbench', '-h', 'prod-db', '-S', 'shop'], 'readOnly'],
    [['pgbench', '-h', 'prod-db', 'shop'], 'mutating'],
    [['pgbench', '-h', 'prod-db', '-S', '-f', 'x.sql', 'shop'], 'mutating'],
    [['pgbench', '-h', 'prod-db', '-S', '-N', 'shop'], 'mutating'],
    [['pgbench', '-h', 'prod-db', '-b', 'se', 'shop'], 'readOnly'],
    [['pgbench', '-h', 'prod-db', '-b', 'select-only@5', '-b', 'simple@1', 'shop'], 'mutating'],
    [['vacuumlo', '-h', 'prod-db', 'shop'], 'destructive'],
    [['vacuumlo', '-h', 'prod-db', '-n', 'shop'], 'readOnly'],
    [['pg_recvlogical', '-h', 'prod-db', '-d', 'shop', '-S', 's', '--drop-slot'], 'destructive'],
    [['pg_recvlogical', '-h', 'prod-db', '-d', 'shop', '-S', 's', '--create-slot'], 'mutating'],
    [['pg_recvlogical', '-h', 'prod-db', '-d', 'shop', '-S', 's', '--start', '-f', '-'], 'mutating'],
    [['pg_receivewal', '-h', 'prod-db', '-S', 's', '--drop-slot'], 'destructive'],
    [['pg_receivewal', '-h', 'prod-db', '-D', '/tmp/wal'], 'readOnly'],
    [['pg_basebackup', '-h', 'prod-db', '-D', '/tmp/b', '-C', '-S', 's'], 'mutating'],
    [['pg_isready', '-h', 'prod-db'], 'readOnly'],
    [['psql', '-h', 'prod-db', '-f', '/dev/null'], 'unreadable'], // a device is not a script file the guard can read
    // One session through every input, in order: a variable set by one -c is seen by the next -f.
    [['psql', '-h', 'prod-db', '-c', "\\set v 'DROP TABLE users'", '-f', 'uses-v.sql'], 'destructive'],
    [['psql', '-h', 'prod-db', '-c', "\\set v 'SELECT 1'", '-f', 'uses-v.sql'], 'readOnly'],
    [['psql', '-h', 'prod-db', '-v', 'v=DROP TABLE users', '-f', 'uses-v.sql'], 'destructive'],
    [['psql', '-h', 'prod-db', '-f', 'uses-v.sql'], 'unknown'], // :v unset: psql sends ":v" literally, an error
    [['psql', '-h', 'prod-db', '-c', '\\getenv v HOME', '-f', 'uses-v.sql'], 'unknown'],
    // A client encoding whose characters may end in a backslash: quotes may end elsewhere than the guard sees.
    [['psql', '-h', 'prod-db', 'client_encoding=SJIS', '-c', 'select 1'], 'unparseable'],
  ];
  for (const [argv, code] of rows) {
    it(`${argv.join(' ')} → ${code}`, () => {
      const d = run(argv);
      assert.strictEqual(d.environment, 'production');
      assert.strictEqual(d.verdict?.code, code, JSON.stringify(d.verdict));
    });
  }
  it('psql runs -c and -f in order and judges each; stdin only when neither is given', () => {
    const a = postgresModule.analyze('psql', ['-c', 'select 1', '-f', '-'], { env: {}, home, cwd, files: nodeFiles });
    assert.strictEqual(a.readsStdin, true);
    assert.strictEqual(postgresModule.analyze('psql', ['-c', 'x'], { env: {}, home, cwd, files: nodeFiles }).readsStdin, false);
    assert.strictEqual(postgresModule.analyze('psql', ['-h', 'x'], { env: {}, home, cwd, files: nodeFiles }).readsStdin, true);
  });
  it('PGCLIENTENCODING and PGOPTIONS set the client encoding psql starts with', () => {
    for (const env of [{ PGCLIENTENCODING: 'SJIS' }, { PGOPTIONS: '-c client_encoding=BIG5' }]) {
      assert.strictEqual(run(['psql', '-h', 'prod-db', '-c', 'select 1'], env).verdict?.code, 'unparseable', JSON.stringify(env));
    }
    assert.strictEqual(run(['psql', '-h', 'prod-db', '-c', 'select 1'], { PGCLIENTENCODING: 'UTF8' }).verdict?.code, 'readOnly');
  });
  it('stdin larger than the guard reads is too large to check', () => {
    const d = decide(['psql', '-h', 'prod-db'], { env: base, home, cwd, files: nodeFiles, stdin: () => ({ tooLarge: true }) });
    assert.strictEqual(d.verdict?.code, 'tooLarge');
    assert.strictEqual(d.action, 'confirm');
  });
  it('a dev target is not judged; its stdin is read once, for the \\connects it holds', () => {
    let read = 0;
    const d = decide(['psql', '-h', 'dev-db'], { env: base, home, cwd, files: nodeFiles, stdin: () => { read++; return { text: 'DROP TABLE t' }; } });
    assert.deepStrictEqual([d.action, d.verdict, read], ['run', undefined, 1]);
    const j = decide(['psql', '-h', 'db.prod.acme'], { env: base, home, cwd, files: nodeFiles, stdin: () => { read++; return { text: 'DROP TABLE t' }; } });
    assert.deepStrictEqual([j.action, read], ['confirm', 2]);
  });
});

describe('psql \\connect, startup files and Debian pg_wrapper move the target; the guard follows', () => {
  writeTree(cwd, { 'connects.sql': 'select 1;\nselect 2; \\c app_prod\n' });
  const rc = tempDir();
  writeTree(rc, {
    'prodrc': '\\set ON_ERROR_STOP on\n\\c app_prod\n',
    '.postgresqlrc': '# version cluster database\n15 db.live.acme:5433 orders\n',
  });
  // [argv, env, stdin, the deciding target's name, action]
  const rows: Array<[string[], NodeJS.ProcessEnv, string | undefined, string, 'run' | 'confirm']> = [
    [['psql', '-h', 'dev-db', 'app_dev', '-c', '\\c app_prod', '-c', 'DROP TABLE users'], {}, undefined, 'dev-db/app_prod', 'confirm'],
    [['psql', '-h', 'dev-db', 'app_dev', '-c', 'select 1 \\c app_prod'], {}, undefined, 'dev-db/app_dev', 'run'], // -c: all SQL
    [['psql', '-h', 'dev-db', 'app_dev', '-f', 'connects.sql'], {}, undefined, 'dev-db/app_prod', 'confirm'],
    [['psql', '-h', 'dev-db', 'app_dev', '-c', '\\x \\c app_prod'], {}, undefined, 'dev-db/app_dev', 'run'], // -c: first command only
    [['psql', '-h', 'dev-db', 'app_dev', '-c', '\\connect - - db.prod.acme'], {}, undefined, 'db.prod.acme/app_dev', 'confirm'],
    [['psql', '-h', 'dev-db', 'app_dev', '-c', "\\c 'host=db.prod.acme dbname=x'"], {}, undefined, 'db.prod.acme/x', 'confirm'],
    [['psql', '-h', 'dev-db', 'app_dev', '-c', '\\c host=db.prod.acme'], {}, undefined, 'db.prod.acme/me', 'confirm'],
    [['psql', '-h', 'dev-db', 'app_dev', '-v', 'T=app_prod', '-c', '\\c :T'], {}, undefined, 'dev-db/app_dev', 'run'], // -c: no :var
    [['psql', '-h', 'dev-db', 'app_dev', '-v', 'T=app_prod'], {}, '\\c :T\n', 'dev-db/app_prod', 'confirm'],
    [['psql', '-h', 'dev-db', 'app_dev', '-c', "select '\\c app_prod'"], {}, undefined, 'dev-db/app_dev', 'run'],
    [['psql', '-h', 'dev-db', 'app_dev', '-c', '\\c `cat db`'], {}, undefined, 'dev-db/app_dev', 'confirm'],
    [['psql', '-h', 'dev-db', 'app_dev'], {}, '\\c app_prod\nDROP TABLE users;\n', 'dev-db/app_prod', 'confirm'],
    [['psql', '-h', 'dev-db', 'app_dev'], {}, '$$ \\c app_prod $$;\n', 'dev-db/app_dev', 'run'],
    [['psql', '-h', 'dev-db', 'app_dev', '-c', 'select 1'], { PSQLRC: path.join(rc, 'prodrc') }, undefined, 'dev-db/app_prod', 'confirm'],
    [['psql', '-X', '-h', 'dev-db', 'app_dev', '-c', 'select 1'], { PSQLRC: path.join(rc, 'prodrc') }, undefined, 'dev-db/app_dev', 'run'],
    [['psql', '-h', 'db.prod.acme', '-c', 'select 1'], { PSQLRC: '/dev/null' }, undefined, 'db.prod.acme/me', 'run'], // off
    [['psql', '--cluster', '15/db.prod.acme:5432', '-c', 'DROP TABLE users'], {}, undefined, 'db.prod.acme/me', 'confirm'],
    [['psql', '--cluster=15/db.prod.acme:5432', '-c', 'DROP TABLE users'], {}, undefined, 'db.prod.acme/me', 'confirm'],
    [['psql', '-c', 'DROP TABLE users'], { PGCLUSTER: '15/db.prod.acme:5432' }, undefined, 'db.prod.acme/me', 'confirm'],
    [['psql', '-h', 'dev-db', '-c', 'DROP TABLE users'], { PGCLUSTER: '15/db.prod.acme:5432' }, undefined, 'dev-db/me', 'run'],
    [['psql', '-c', 'DROP TABLE users'], { HOME: rc }, undefined, 'db.live.acme/orders', 'confirm'],
    [['psql', '-p', '5432', '-c', 'DROP TABLE users'], { HOME: rc }, undefined, 'localhost/me', 'run'],
  ];
  for (const [argv, env, stdin, name, action] of rows) {
    it(`${argv.join(' ')} ${JSON.stringify(env)}${stdin ? ` <<< ${JSON.stringify(stdin)}` : ''} → ${action}`, () => {
      const d = decide(argv, { env: { ...base, ...env }, home, cwd, files: nodeFiles, stdin: () => (stdin === undefined ? {} : { text: stdin }) });
      assert.strictEqual(d.target?.name, name);
      assert.strictEqual(d.action, action);
    });
  }
});

describe('property: any order and spelling of psql flags around a destructive production command asks', () => {
  // A small seeded generator, so a failure names a reproducible case.
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];
  const host = [['-h', 'db.prod.acme'], ['-hdb.prod.acme'], ['--host=db.prod.acme'], ['--host', 'db.prod.acme'], ['--ho', 'db.prod.acme']];
  const sql = [['-c', 'DROP TABLE users'], ['-cDROP TABLE users'], ['--command=DROP TABLE users'], ['--comm', 'DROP TABLE users'],
    ['-tAc', 'DROP TABLE users'], ['-qXc', 'DROP TABLE users']];
  const others = [['-U', 'me'], ['-p', '5432'], ['-X'], ['-q'], ['-v', 'ON_ERROR_STOP=1'], ['--set=A=1'], ['-tA'], ['--csv'],
    ['-e'], ['--no-psqlrc'], ['-1'], ['shop'], ['-o', '/dev/null'], ['-P', 'pager=off']];
  for (let n = 0; n < 300; n++) {
    const groups = [pick(host), pick(sql), ...Array.from({ length: rand(5) }, () => pick(others))];
    for (let i = groups.length - 1; i > 0; i--) {
      const j = rand(i + 1);
      [groups[i], groups[j]] = [groups[j], groups[i]];
    }
    const argv = ['psql', ...groups.flat()];
    it(argv.join(' '), () => {
      const d = run(argv);
      assert.strictEqual(d.action, 'confirm');
      assert.match(d.target?.name ?? '', /^db\.prod\.acme\//);
    });
  }
});
