// Interactive database sessions on production, driven through a real terminal (tmux): psql and the MariaDB
// client start read-only through the shims, a confirmed writable session keeps changes only after COMMIT, and
// development sessions are untouched. Debian packages: tmux, postgresql, mariadb-server, mariadb-client.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tempDir, writeTree } from '../unit/helpers';
import { mariadbMissing, startMariadb, type Mariadb } from './mariadb';
import { installShims, startPostgres, Terminal, which } from './support';

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const exportLines = (env: NodeJS.ProcessEnv): string =>
  Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `export ${k}=${q(v!)}`).join('\n');

describe('interactive PostgreSQL sessions on production (psql in tmux, through the shims)', function () {
  this.timeout(90_000);
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  let home: string;
  let env: NodeJS.ProcessEnv;
  const terminals: Terminal[] = [];
  const count = (): string => spawnSync(pg.psql, ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', 'postgres',
    '-Atc', 'select count(*) from orders'], { encoding: 'utf8' }).stdout.trim() || 'no table';
  const open = (line: string, extra: NodeJS.ProcessEnv = {}): Terminal => {
    const t = new Terminal(`${exportLines({ ...env, ...extra })}\ncd ${q(home)}\n${line}`, home);
    terminals.push(t);
    return t;
  };
  const audit = (): Array<Record<string, unknown>> => fs.readFileSync(path.join(home, 'audit.jsonl'), 'utf8').trim()
    .split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

  before(async function () {
    if (!which('tmux') || !which('initdb') || !which('psql')) this.skip();
    pg = await startPostgres();
    home = tempDir('sessions-');
    const shims = installShims();
    writeTree(home, {
      '.pg_service.conf': `[prod]\nhost=127.0.0.1\nport=${pg.port}\nuser=postgres\ndbname=postgres\n`
        + `[dev]\nhost=127.0.0.1\nport=${pg.port}\nuser=postgres\ndbname=postgres\n`,
    });
    // A startup file that only reads, as many users have: it must not hide that the session is interactive.
    writeTree(home, { 'psqlrc': '\\set ON_ERROR_STOP on\n\\timing off\n' });
    env = { PATH: shims.PATH, HOME: home, PGSYSCONFDIR: home, PSQLRC: path.join(home, 'psqlrc'), TERM: 'xterm',
      PRODGUARD_AUDIT_LOG: path.join(home, 'audit.jsonl'), PAGER: 'cat' };
  });
  beforeEach(() => {
    spawnSync(pg.psql, ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', 'postgres', '-c',
      'drop table if exists orders; create table orders(id int); insert into orders values (1),(2),(3)']);
  });
  afterEach(() => {
    for (const t of terminals.splice(0)) t.close();
  });
  after(async () => pg?.stop());

  it('a production session is read-only: DROP TABLE fails with the server\'s error, the table stays', async () => {
    const t = open('PGSERVICE=prod psql');
    const banner = await t.waitFor(/PRODUCTION read-only/, 'the PRODUCTION prompt');
    assert.match(banner, /prod-guard: PRODUCTION: database "127\.0\.0\.1\/postgres"/);
    assert.match(banner, /PRODGUARD_WRITABLE=1 psql/);
    t.type('DROP TABLE orders;');
    await t.waitFor(/cannot execute DROP TABLE in a read-only transaction/, 'the read-only error');
    t.type('DELETE FROM orders;');
    await t.waitFor(/cannot execute DELETE in a read-only transaction/, 'the read-only error');
    t.type('SELECT count(*) AS n FROM orders;');
    await t.waitFor(/\n\s+3\n/, 'a read');
    assert.strictEqual(count(), '3');
    t.type('\\q');
    await t.waitFor(/\[exited 0\]/, 'psql exits');
    const last = audit().pop()!;
    assert.deepStrictEqual([last.decision, last.environment, last.why], ['read-only', 'production', 'interactive']);
  });

  it('a writable session is confirmed first, then changes stay only after COMMIT', async () => {
    const t = open('PGSERVICE=prod PRODGUARD_WRITABLE=1 psql');
    await t.waitFor(/Type .*127\.0\.0\.1\/postgres.* to run it/s, 'the confirmation prompt');
    t.type('127.0.0.1/postgres');
    await t.waitFor(/PRODUCTION%?.*=[#>]|PRODUCTION postgres@/, 'the writable prompt');
    t.type('DELETE FROM orders;');
    await t.waitFor(/DELETE 3/, 'the delete');
    assert.strictEqual(count(), '3', 'not committed yet');
    t.type('COMMIT;');
    await t.waitFor(/COMMIT/, 'the commit');
    assert.strictEqual(count(), '0');
    t.type('\\q');
    const entries = audit();
    assert.strictEqual(entries.pop()!.decision, 'confirmed');
  });

  it('a writable session that is not confirmed does not start', async () => {
    const t = open('PGSERVICE=prod PRODGUARD_WRITABLE=1 psql');
    await t.waitFor(/to run it/, 'the confirmation prompt');
    t.type('no');
    await t.waitFor(/\[exited 3\]/, 'the refusal');
    assert.strictEqual(audit().pop()!.decision, 'cancelled');
  });

  it('a development session is untouched', async () => {
    const t = open('PGSERVICE=dev psql');
    await t.waitFor(/postgres=#/, 'the usual prompt');
    t.type('SHOW default_transaction_read_only;');
    await t.waitFor(/\n\s+off\n/, 'read-write');
    t.type('DELETE FROM orders;');
    await t.waitFor(/DELETE 3/, 'the delete');
    assert.strictEqual(count(), '0');
    assert.doesNotMatch(t.screen(), /PRODUCTION|prod-guard/);
  });
});

describe('interactive MariaDB sessions on production (mariadb in tmux, through the shims)', function () {
  this.timeout(90_000);
  let db: Mariadb | undefined;
  let home: string;
  let env: NodeJS.ProcessEnv;
  const terminals: Terminal[] = [];
  const root = (sql: string): string => spawnSync(db!.client, ['--no-defaults', '-S', db!.socket, '-uroot', '-N', '-e', sql],
    { encoding: 'utf8' }).stdout.trim();

  before(async function () {
    const missing = mariadbMissing();
    if (missing || !which('tmux')) this.skip();
    db = await startMariadb();
    home = tempDir('sessions-my-');
    installShims();
    const shims = installShims();
    env = { PATH: shims.PATH, HOME: home, TERM: 'xterm', PRODGUARD_AUDIT_LOG: path.join(home, 'audit.jsonl') };
    root("CREATE DATABASE IF NOT EXISTS app; CREATE USER IF NOT EXISTS 'app'@'localhost'; "
      + "GRANT ALL ON app.* TO 'app'@'localhost'");
  });
  beforeEach(() => {
    root('DROP TABLE IF EXISTS app.orders; CREATE TABLE app.orders (id INT PRIMARY KEY); INSERT INTO app.orders VALUES (1),(2),(3)');
  });
  afterEach(() => {
    for (const t of terminals.splice(0)) t.close();
  });
  after(async () => db?.stop());

  /** The MariaDB client through the shim, with a production (or development) option file. */
  const open = (envName: string, extra: NodeJS.ProcessEnv = {}): Terminal => {
    const cnf = path.join(home, `${envName}.cnf`);
    fs.writeFileSync(cnf, `[client]\nsocket=${db!.socket}\nuser=app\nhost=localhost\n[mysql]\ndatabase=app\n`);
    // The host is the socket's; the option file's name does not classify: a .prodguard.yaml labels the folder.
    const dir = path.join(home, envName);
    writeTree(dir, { '.prodguard.yaml': `environment: ${envName === 'prod' ? 'production' : 'development'}\n` });
    const t = new Terminal(`${exportLines({ ...env, ...extra })}\ncd ${q(dir)}\nmariadb --defaults-file=${q(cnf)}`, home);
    terminals.push(t);
    return t;
  };

  it('a production session is read-only with safe updates: DROP TABLE fails, the table stays', async () => {
    const t = open('prod');
    await t.waitFor(/PRODUCTION read-only/, 'the PRODUCTION prompt');
    t.type('DROP TABLE orders;');
    await t.waitFor(/READ ONLY transaction/i, 'the read-only error');
    assert.strictEqual(root('SELECT COUNT(*) FROM app.orders'), '3');
    t.type('SELECT @@sql_safe_updates, @@tx_read_only;');
    await t.waitFor(/\|\s+1 \|\s+1 \|/, 'safe updates and read-only');
    t.type('exit');
    await t.waitFor(/\[exited 0\]/, 'the client exits');
  });

  it('a confirmed writable session keeps changes only after COMMIT; safe updates refuse a DELETE without a key', async () => {
    const t = open('prod', { PRODGUARD_WRITABLE: '1' });
    await t.waitFor(/to run it/, 'the confirmation prompt');
    const name = /Type (\S+) to run it/.exec(t.screen())?.[1] ?? '';
    t.type(name.replace(/^["']|["']$/g, ''));
    await t.waitFor(/PRODUCTION/, 'the writable prompt');
    t.type('DELETE FROM orders;');
    await t.waitFor(/safe update mode/i, 'safe updates');
    t.type('DELETE FROM orders WHERE id = 1;');
    await t.waitFor(/Query OK, 1 row affected/, 'the delete');
    assert.strictEqual(root('SELECT COUNT(*) FROM app.orders'), '3', 'not committed yet');
    t.type('COMMIT;');
    await t.waitFor(/Query OK, 0 rows affected[\s\S]*Query OK, 0 rows affected|COMMIT[\s\S]*Query OK/, 'the commit');
    for (let i = 0; i < 50 && root('SELECT COUNT(*) FROM app.orders') !== '2'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(root('SELECT COUNT(*) FROM app.orders'), '2');
  });

  it('a development session is untouched', async () => {
    const t = open('dev');
    await t.waitFor(/\[app\]>/, 'the usual prompt');
    t.type('DELETE FROM orders;');
    await t.waitFor(/Query OK, 3 rows affected/, 'the delete');
    assert.strictEqual(root('SELECT COUNT(*) FROM app.orders'), '0');
    assert.doesNotMatch(t.screen(), /PRODUCTION|prod-guard/);
  });
});

describe('interactive redis-cli and mongosh sessions on production ask first (in tmux, through the shims)', function () {
  this.timeout(60_000);
  const terminals: Terminal[] = [];
  after(() => {
    for (const t of terminals.splice(0)) t.close();
  });
  for (const tool of ['redis-cli', 'mongosh']) {
    it(`${tool}: the session opens only when confirmed`, async function () {
      // mongosh comes from npm into the test cache (scripts/install-test-deps.sh), not from Debian.
      const cached = path.join(process.env.PRODGUARD_CACHE || path.join(os.homedir(), '.cache', 'prod-guard'), 'mongosh',
        'node_modules', '.bin');
      const bin = which(tool) ?? (fs.existsSync(path.join(cached, tool)) ? path.join(cached, tool) : undefined);
      if (!which('tmux') || !bin) this.skip();
      const home = tempDir('sessions-ask-');
      writeTree(home, { 'app/.prodguard.yaml': 'environment: production\n' });
      const shims = installShims();
      const env = { PATH: `${shims.PATH}${path.delimiter}${path.dirname(bin!)}`, HOME: home, TERM: 'xterm', PRODGUARD_AUDIT_LOG: path.join(home, 'audit.jsonl') };
      const t = new Terminal(`${exportLines(env)}\ncd ${q(path.join(home, 'app'))}\n${tool}`, home);
      terminals.push(t);
      await t.waitFor(/has no read-only mode[\s\S]*to run it/, 'the confirmation prompt');
      t.type('no');
      await t.waitFor(/\[exited 3\]/, 'the refusal');
      const last = JSON.parse(fs.readFileSync(path.join(home, 'audit.jsonl'), 'utf8').trim().split('\n').pop()!) as
        Record<string, unknown>;
      assert.deepStrictEqual([last.decision, last.environment], ['cancelled', 'production']);
    });
  }
});
