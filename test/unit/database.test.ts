import * as assert from 'assert';
import * as path from 'path';
import { activeMode, connectionsInAppsettings, connectionsInDatabaseYml, connectionsInDotenv, dbFileKind } from '../../src/core/database';
import { detectDatabases } from '../../src/core/detect';
import { nodeFiles } from '../../src/core/files';
import { fixture, tempDir, writeTree } from './helpers';

describe('database files', () => {
  const kinds: Array<[string, string | undefined, string | null | undefined]> = [
    ['.env', 'dotenv', null], ['apps/web/.env.local', 'dotenv', null], ['.env.production', 'dotenv', 'production'],
    ['.env.production.local', 'dotenv', 'production'], ['.env.example', 'dotenv', 'example'], ['.env.sample.local', 'dotenv', 'example'],
    ['appsettings.json', 'appsettings', null], ['src/Api/appsettings.Production.json', 'appsettings', 'Production'],
    ['config/database.yml', 'database.yml', null], ['database.yml', undefined, undefined], ['env', undefined, undefined], ['x.env', undefined, undefined],
  ];
  for (const [rel, format, mode] of kinds) {
    it(`${rel} → ${format ?? 'ignored'}${mode ? ` (${mode})` : ''}`, () => {
      const k = dbFileKind(rel);
      assert.deepStrictEqual(k && [k.format, k.mode], format ? [format, mode] : undefined);
    });
  }
  it('dotenv: export, quotes, comments; line numbers; non-connection values ignored', () => {
    const text = '# c\nexport DATABASE_URL="postgres://u:p@h/db" # trailing\n\nX=1\nREDIS=\'redis://r:6379\'\n';
    const found = connectionsInDotenv(text, null);
    assert.deepStrictEqual(found.map((f) => [f.key, f.info.host, f.line]), [['DATABASE_URL', 'h', 2], ['REDIS', 'r', 5]]);
  });
  it('appsettings: ConnectionStrings with comments and trailing commas', () => {
    const found = connectionsInAppsettings(require('fs').readFileSync(fixture('db', 'dotnet', 'appsettings.json'), 'utf8'), null);
    assert.deepStrictEqual(found.map((f) => [f.key, f.info.host, f.info.database, f.line]), [['ConnectionStrings:Default', 'dev-sql.database.windows.net', 'shop', 5]]);
    assert.doesNotMatch(found[0].info.masked, /Dev P@ss/);
    assert.throws(() => connectionsInAppsettings('{ "a": ', null), /invalid JSON at line 1/);
  });
  it('database.yml: per-environment entries, anchors, ERB skipped', () => {
    const found = connectionsInDatabaseYml(require('fs').readFileSync(fixture('db', 'app', 'config', 'database.yml'), 'utf8'));
    assert.deepStrictEqual(found.map((f) => [f.key, f.info.host, f.info.database, f.mode, f.line]), [
      ['development', 'localhost', 'shop_development', 'development', 5],
      ['test', 'localhost', 'shop_test', 'test', 9],
      ['production', 'shop-prd-db.internal', 'shop_production', 'production', 13],
    ]);
  });
  it('database.yml: multi-database entries and url keys', () => {
    const found = connectionsInDatabaseYml('production:\n  primary:\n    url: postgres://u:p@main-prod/app\n  cache:\n    adapter: mysql2\n    host: cache-prod\n    database: c\n');
    assert.deepStrictEqual(found.map((f) => [f.key, f.info.host]), [['production.primary', 'main-prod'], ['production.cache', 'cache-prod']]);
  });
  it('active modes come from the variables each family reads', () => {
    assert.deepStrictEqual(activeMode('database.yml', {}), { mode: 'development', variable: 'RAILS_ENV (unset: Rails default)' });
    assert.deepStrictEqual(activeMode('dotenv', { NODE_ENV: 'Prod' }), { mode: 'production', variable: 'NODE_ENV' });
    assert.strictEqual(activeMode('appsettings', {}), undefined);
  });
});

describe('database detection over a folder', () => {
  it('default files are active; mode files only when their mode is; templates never; passwords never kept', async () => {
    const r = await detectDatabases(fixture('db'), {}, nodeFiles);
    const rows = r.signals.map((s) => [path.relative(fixture('db'), s.source), s.name, s.active]);
    assert.deepStrictEqual(rows, [
      ['app/.env', 'localhost/app_dev', true],
      ['app/.env', 'cache.internal/db0', true],
      ['app/.env.example', 'prod-db.example.com/app', false],
      ['app/.env.production', 'orders-prod.db.example.com/orders', false],
      ['app/config/database.yml', 'localhost/shop_development', true],
      ['app/config/database.yml', 'localhost/shop_test', false],
      ['app/config/database.yml', 'shop-prd-db.internal/shop_production', false],
      ['dotnet/appsettings.Production.json', 'sql-live-01/Shop', false],
      ['dotnet/appsettings.json', 'dev-sql.database.windows.net/shop', true],
    ]);
    assert.doesNotMatch(JSON.stringify(r), /s3cr3t|Pr0dPassw0rd|LivePwd|redispass|Dev P@ss/);
  });
  it('NODE_ENV, RAILS_ENV and ASPNETCORE_ENVIRONMENT switch mode files on', async () => {
    const r = await detectDatabases(fixture('db'), { NODE_ENV: 'production', RAILS_ENV: 'production', ASPNETCORE_ENVIRONMENT: 'Production' }, nodeFiles);
    const active = r.signals.filter((s) => s.active).map((s) => s.name);
    assert.deepStrictEqual(active, ['localhost/app_dev', 'cache.internal/db0', 'orders-prod.db.example.com/orders', 'shop-prd-db.internal/shop_production', 'sql-live-01/Shop', 'dev-sql.database.windows.net/shop']);
  });
  it('skips node_modules and excluded globs, caps file size, reports unreadable content', async () => {
    const d = tempDir();
    writeTree(d, {
      'node_modules/pkg/.env': 'DATABASE_URL=postgres://prod-db/x\n',
      'legacy/.env': 'DATABASE_URL=postgres://prod-db/legacy\n',
      'big/.env': `DATABASE_URL=postgres://prod-db/big\n${'#'.repeat(3000)}\n`,
      'bin/.env': Buffer.from([68, 0, 1]),
      'ok/.env': 'DATABASE_URL=postgres://dev-db/ok\n',
      'bad/appsettings.json': '{ "ConnectionStrings": { ',
    });
    require('fs').mkdirSync(path.join(d, 'binary'));
    require('fs').writeFileSync(path.join(d, 'binary', '.env'), Buffer.from([0, 0, 0]));
    const r = await detectDatabases(d, {}, nodeFiles, { scan: { exclude: ['legacy/**'], maxDepth: 10, maxEntries: 1000 }, maxFileBytes: 1000 });
    assert.deepStrictEqual(r.signals.map((s) => s.name), ['dev-db/ok']);
    const problems = r.problems.map((p) => `${path.relative(d, p.source)}: ${p.message}`);
    assert.strictEqual(problems.length, 3, problems.join('\n'));
    assert.match(problems.join('\n'), /bad\/appsettings.json: invalid JSON/);
    assert.match(problems.join('\n'), /big\/.env: is \d+ bytes, larger than/);
    assert.match(problems.join('\n'), /binary\/.env: looks binary/);
  });
  it('does not follow directory symlinks (no loops)', async () => {
    const d = tempDir();
    writeTree(d, { 'a/.env': 'DATABASE_URL=postgres://dev-db/a\n' });
    require('fs').symlinkSync(d, path.join(d, 'a', 'loop'));
    const r = await detectDatabases(d, {}, nodeFiles);
    assert.deepStrictEqual(r.signals.map((s) => s.name), ['dev-db/a']);
  });
});
