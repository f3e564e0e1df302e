// Interactive sessions on production: the plan the shim runs them with (test/system/sessions.test.ts drives the
// real clients through a terminal).
import * as assert from 'assert';
import { nodeFiles } from '../../src/core/files';
import { decide } from '../../src/core/guard/decide';
import { sessionPlan } from '../../src/core/guard/session';
import { tempDir } from './helpers';

const home = tempDir();
/** The plan for `argv` typed at a terminal (stdin: a terminal, so no text). */
function plan(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const d = decide(argv, { env: { HOME: home, PGSYSCONFDIR: home, ...env }, home, cwd: home, files: nodeFiles,
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
