// Interactive sessions on production: the plan the shim runs them with (test/system/sessions.test.ts drives the
// real clients through a terminal).
import * as assert from 'assert';
import { nodeFiles } from '../../src/core/files';
import { decide } from '../../src/core/guard/decide';
import { sessionPlan } from '../../src/core/guard/session';
import { tempDir, writeTree } from './helpers';

const home = tempDir();
/** The plan for `argv` typed at a terminal (stdin: a terminal, so no text). */
function plan(argv: string[], env: NodeJS.ProcessEnv = {}, h = home) {
  const d = decide(argv, { env: { HOME: h, PGSYSCONFDIR: h, ...env }, home: h, cwd: h, files: nodeFiles,
    stdin: () => ({}) });
  return sessionPlan(d, argv.slice(1), env, 'T', argv.join(' '));
}

describe('interactive sessions on production', () => {
  it('psql: read-only through PGOPTIONS (kept and extended), a PRODUCTION prompt, a banner that says how to write', () => {
    const p = plan(['psql', '-h', 'db.prod.acme'], { PGOPTIONS: '-c search_path=app' })!;
    assert.strictEqual(p.kind, 'readOnly');
    assert.deepStrictEqual(p.env, { PGOPTIONS: '-c search_path=app -c default_transaction_read_only=on' });
    assert.match(p.args.join(' '), /PROMPT1=.*PRODUCTION read-only/);
    assert.deepStrictEqual(p.args.slice(-2), ['-h', 'db.prod.acme']);
    assert.match(p.banner.join('\n'), /PRODGUARD_WRITABLE=1 psql -h db\.prod\.acme/);
  });
  it('psql writable: confirmed first, AUTOCOMMIT off, no read-only option', () => {
    const p = plan(['psql', '-h', 'db.prod.acme'], { PRODGUARD_WRITABLE: '1' })!;
    assert.strictEqual(p.kind, 'writable');
    assert.strictEqual(p.verdict.code, 'mutating');
    assert.ok(p.args.includes('AUTOCOMMIT=off'));
    assert.deepStrictEqual(p.env, {});
  });
  it('mysql and mariadb: read-only init command, safe updates, the prompt; writable: autocommit off', () => {
    for (const tool of ['mysql', 'mariadb']) {
      const p = plan([tool, '-h', 'db.prod.acme'])!;
      assert.deepStrictEqual([p.kind, ...p.args.slice(2, 4)], ['readOnly', '--init-command=SET SESSION TRANSACTION READ ONLY',
        '--safe-updates']);
      const w = plan([tool, '-h', 'db.prod.acme'], { PRODGUARD_WRITABLE: '1' })!;
      assert.deepStrictEqual([w.kind, ...w.args.slice(2, 4)], ['writable', '--init-command=SET autocommit=0', '--safe-updates']);
    }
  });
  it('mysql: the user\'s own --init-command still runs, before the read-only one', () => {
    const p = plan(['mysql', '-h', 'db.prod.acme', '--init-command=SET NAMES utf8mb4;'])!;
    assert.strictEqual(p.args[3], '--init-command=SET NAMES utf8mb4\n;SET SESSION TRANSACTION READ ONLY');
    const q = plan(['mysql', '--init_command', 'SET @a=1 -- mine', '-h', 'db.prod.acme', '--', 'app'])!;
    // A trailing comment cannot swallow ours; our options stay before `--`.
    assert.deepStrictEqual(q.args.slice(-5), ['--init-command=SET @a=1 -- mine\n;SET SESSION TRANSACTION READ ONLY',
      '--safe-updates', q.args[q.args.length - 3], '--', 'app']);
  });
  it('a startup file that only reads does not hide that the session is interactive; one that writes asks', () => {
    const rcHome = tempDir();
    writeTree(rcHome, { '.psqlrc': '\\set ON_ERROR_STOP on\n\\timing on\nSELECT 1;\n' });
    assert.strictEqual(plan(['psql', '-h', 'db.prod.acme'], {}, rcHome)?.kind, 'readOnly');
    writeTree(rcHome, { '.psqlrc': 'DROP TABLE users;\n' });
    const d = decide(['psql', '-h', 'db.prod.acme'], { env: { HOME: rcHome }, home: rcHome, cwd: rcHome, files: nodeFiles,
      stdin: () => ({}) });
    assert.deepStrictEqual([d.action, d.verdict?.code], ['confirm', 'destructive']);
  });
  it('psql whose connection sets its own options (PGOPTIONS would be ignored) asks instead', () => {
    for (const argv of [['psql', 'host=db.prod.acme options=-csearch_path=app'],
      ['psql', 'postgresql://db.prod.acme/shop?options=-csearch_path%3Dapp']]) {
      const p = plan(argv)!;
      assert.deepStrictEqual([p.kind, p.verdict.code], ['confirm', 'mutating'], argv.join(' '));
    }
  });
  it('mongosh and redis-cli have no read-only mode: opening the session asks', () => {
    for (const argv of [['redis-cli', '-h', 'prod-redis'], ['mongosh', 'mongodb://db.prod.acme/app']]) {
      const p = plan(argv)!;
      assert.strictEqual(p.kind, 'confirm', argv.join(' '));
      assert.match(p.verdict.what, /no read-only mode/);
    }
  });
  it('nothing changes in development, nor for commands and scripts', () => {
    assert.strictEqual(plan(['psql', '-h', 'dev-db']), undefined);
    assert.strictEqual(plan(['mysql', '-h', 'dev-db']), undefined);
    assert.strictEqual(plan(['redis-cli', '-h', 'dev-redis']), undefined);
    assert.strictEqual(plan(['psql', '-h', 'db.prod.acme', '-c', 'select 1']), undefined);
    assert.strictEqual(plan(['mysql', '-h', 'db.prod.acme', '-e', 'select 1']), undefined);
  });
});
