import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { decide } from '../../src/core/guard/decide';
import { PG_GRAMMARS } from '../../src/core/guard/tools/postgres';
import { tempDir, writeTree } from '../unit/helpers';
import { installShims, sh, startPostgres, which } from './support';

/** The options a PostgreSQL tool's `--help` lists: long name or short letter → takes a value / optional / none. */
function optionsFromHelp(help: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of help.split('\n')) {
    // pg_recvlogical prints `-F  --fsync-interval=SECS` without the comma.
    const line = raw.replace(/^(\s+-\S)\s{2,}(--)/, '$1, $2');
    const m = /^\s+(-\S.*?)(?:\s{2,}|$)/.exec(line);
    if (!m || /^\s+--help=(commands|variables)/.test(line)) continue;
    // `-v, --set=, --variable=NAME=VALUE`, `-1 ("one"), --single-transaction`, `-?, --help[=options]`
    const spec = m[1].replace(/\s*\("one"\)/, '');
    // The value kind is what follows the long name (`=X` required, `[=X]` optional); a short flag shares it.
    const lm0 = /--[a-z0-9-]+(\[=|=)?/.exec(spec);
    const kind = !lm0 ? (/^-\S\s+\S/.test(spec) ? 'required' : 'none') : lm0[1] === '[=' ? 'optional' : lm0[1] ? 'required' : 'none';
    for (const part of spec.split(/,\s*/)) {
      const lm = /^--([a-z0-9-]+)/.exec(part);
      const sm = /^-([^-\s])(?:\s|$)/.exec(`${part} `);
      if (lm) out.set(`--${lm[1]}`, kind);
      else if (sm) out.set(`-${sm[1]}`, kind);
    }
  }
  return out;
}

describe('PostgreSQL tools: the grammar is the installed binaries\' own', () => {
  for (const tool of Object.keys(PG_GRAMMARS)) {
    it(`${tool}: every option of --help, with its value kind, and no other`, function () {
      const bin = which(tool);
      if (!bin) this.skip();
      const help = spawnSync(bin!, ['--help'], { encoding: 'utf8' }).stdout;
      const fromHelp = optionsFromHelp(help);
      assert.ok(fromHelp.size > 8, `parsed ${fromHelp.size} options from ${tool} --help`);
      const fromGrammar = new Map<string, string>();
      for (const f of PG_GRAMMARS[tool].flags) {
        if (f.exactOnly) continue; // Debian's pg_wrapper option, not the tool's
        for (const l of f.long ?? []) fromGrammar.set(`--${l}`, f.arg);
        // pgbench's -s and -n are listed twice; a short flag's kind is its long flag's kind.
        if (f.short) fromGrammar.set(`-${f.short}`, f.arg);
      }
      assert.deepStrictEqual([...fromGrammar].sort(), [...fromHelp].sort());
    });
  }
});

describe('PostgreSQL: the guard resolves targets and reads flags as the real psql does', function () {
  this.timeout(60_000);
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  let home: string;
  let svc: string;
  const psql = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(pg.psql, args, { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home, PGCONNECT_TIMEOUT: '2', ...env } });
  const target = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    decide(['psql', ...args], { env: { HOME: home, ...env }, home, cwd: home, files: nodeFiles, judgeAlways: true }).target!;
  before(async function () {
    if (!which('initdb') || !which('psql')) this.skip();
    pg = await startPostgres();
    home = tempDir();
    svc = path.join(home, 'services.conf');
    writeTree(home, { 'services.conf': `[live]\nhost=127.0.0.1\nport=${pg.port}\nuser=postgres\ndbname=postgres\n` });
  });
  after(async () => pg?.stop());

  it('a connection string in the dbname argument overrides -h, before or after it', () => {
    const conninfo = `host=127.0.0.1 port=${pg.port} user=postgres dbname=postgres`;
    for (const args of [['-h', '127.0.0.3', conninfo], [conninfo, '-h', '127.0.0.3'], ['-h', '127.0.0.3', '-d', conninfo]]) {
      const r = psql([...args, '-Atc', 'select 42']);
      assert.strictEqual(r.stdout.trim(), '42', `${args.join(' ')}: ${r.stderr}`);
      assert.strictEqual(target(args).name, '127.0.0.1/postgres');
    }
  });
  it('a service supplies what the command line does not; explicit values win; the service beats PG* variables', () => {
    const env = { PGSERVICEFILE: svc };
    const ok = psql(['-Atc', 'select 7'], { ...env, PGSERVICE: 'live', PGHOST: '127.0.0.3' });
    assert.strictEqual(ok.stdout.trim(), '7', ok.stderr);
    assert.strictEqual(target([], { ...env, PGSERVICE: 'live', PGHOST: '127.0.0.3' }).name, '127.0.0.1/postgres');
    const explicit = psql(['service=live host=127.0.0.3', '-Atc', 'select 1'], env);
    assert.notStrictEqual(explicit.status, 0, 'explicit host 127.0.0.3 wins over the service and is not reachable');
    assert.strictEqual(target(['service=live host=127.0.0.3'], env).name, '127.0.0.3/postgres');
    const missing = psql(['-Atc', 'select 1'], { ...env, PGSERVICE: 'nosuch', PGSYSCONFDIR: home });
    assert.match(missing.stderr, /definition of service "nosuch" not found/);
    assert.match(target([], { ...env, PGSERVICE: 'nosuch', PGSYSCONFDIR: home }).unresolved ?? '', /not defined/);
  });
  it('\\connect in -c moves the session, and the guard counts the new target', () => {
    psql(['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', 'postgres', '-c', 'create database app_prod']);
    const args = ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', 'postgres', '-c', '\\c app_prod', '-Atc', 'select current_database()'];
    assert.match(psql(args).stdout, /app_prod/);
    const d = decide(['psql', ...args], { env: { HOME: home }, home, cwd: home, files: nodeFiles });
    assert.deepStrictEqual(d.targets.map((x) => x.name), ['127.0.0.1/postgres', '127.0.0.1/app_prod']);
    assert.strictEqual(d.environment, 'production');
  });
  it('Debian pg_wrapper: --cluster VERSION/host:port sets the host the real psql connects to', function () {
    if (!fs.realpathSync(pg.psql).includes('pg_wrapper')) this.skip();
    const r = psql(['--cluster', `15/127.0.0.1:${pg.port}`, '-U', 'postgres', '-d', 'postgres', '-Atc', 'select 9']);
    assert.strictEqual(r.stdout.trim(), '9', r.stderr);
    assert.strictEqual(target(['--cluster', `15/127.0.0.1:${pg.port}`, '-U', 'postgres', '-d', 'postgres']).name, '127.0.0.1/postgres');
    const bad = psql(['--cluster', '15/127.0.0.3:1', '-U', 'postgres', '-d', 'postgres', '-Atc', 'select 9']);
    assert.match(bad.stderr, /127\.0\.0\.3/);
    assert.strictEqual(target(['--cluster', '15/127.0.0.3:1', '-d', 'postgres']).name, '127.0.0.3/postgres');
  });
  it('abbreviated long options and bundled short flags mean what getopt_long makes of them', () => {
    const conn = ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', 'postgres'];
    assert.strictEqual(psql([...conn, '-tAc', 'select 5']).stdout.trim(), '5');
    assert.strictEqual(psql([...conn, '--comm=select 6', '--tuples', '--no-al']).stdout.trim(), '6');
    assert.match(psql([...conn, '--c', 'select 1']).stderr, /ambiguous/);
    assert.strictEqual(psql(['--ho', '127.0.0.1', '--po', String(pg.port), '-U', 'postgres', 'postgres', '-Atc', 'select 8']).stdout.trim(), '8');
  });
});

describe('PostgreSQL through the shims: PGSERVICE=prod', function () {
  this.timeout(60_000);
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  let home: string;
  let env: NodeJS.ProcessEnv;
  const count = async (): Promise<string> =>
    (await sh(`${pg.psql} -h 127.0.0.1 -p ${pg.port} -U postgres -d postgres -Atc 'select count(*) from orders'`, env)).out.trim();
  before(async function () {
    if (!which('initdb') || !which('psql')) this.skip();
    pg = await startPostgres();
    home = tempDir();
    const shims = installShims();
    writeTree(home, { '.pg_service.conf': `[prod]\nhost=127.0.0.1\nport=${pg.port}\nuser=postgres\ndbname=postgres\n` });
    env = { PATH: shims.PATH, HOME: home, PGSYSCONFDIR: home, PRODGUARD_AUDIT_LOG: path.join(home, 'audit.jsonl') };
    await sh(`${pg.psql} -h 127.0.0.1 -p ${pg.port} -U postgres -d postgres -c 'create table orders(id int); insert into orders values (1),(2),(3)'`, env);
  });
  after(async () => pg?.stop());

  it('refuses DROP TABLE against the service named prod: the table stays, the message names the service file', async () => {
    const r = await sh(`PGSERVICE=prod psql -c 'DROP TABLE orders'`, env, { cwd: home });
    assert.strictEqual(r.code, 3, r.err);
    assert.match(r.err, new RegExp(`target: database "127.0.0.1/postgres" \\(from service "prod" in ${path.join(home, '.pg_service.conf').replace(/\./g, '\\.')}:2\\)`));
    assert.strictEqual(await count(), '3');
    const audit = fs.readFileSync(path.join(home, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { decision: string });
    assert.strictEqual(audit.pop()?.decision, 'refused');
  });
  it('a development service runs the same command without asking', async () => {
    writeTree(home, { '.pg_service.conf': `[prod]\nhost=127.0.0.1\nport=${pg.port}\nuser=postgres\ndbname=postgres\n[dev]\nhost=127.0.0.1\nport=${pg.port}\nuser=postgres\ndbname=postgres\n` });
    const r = await sh(`PGSERVICE=dev psql -Atc 'select count(*) from orders'`, env, { cwd: home });
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(r.out.trim(), '3');
  });
});
