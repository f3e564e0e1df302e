import * as assert from 'assert';
import * as path from 'path';
import { parseArgs } from '../../src/core/guard/argv';
import { decide } from '../../src/core/guard/decide';
import { analyzeSql } from '../../src/core/guard/sql';
import { ANALYZERS, readsStdin } from '../../src/core/guard/tools';
import { SHIMMED_TOOLS, shimScript } from '../../src/core/guard/shims';
import { auditEntry } from '../../src/core/guard/audit';
import { nodeFiles } from '../../src/core/files';
import { fixture, tempDir, writeTree } from './helpers';

const KUBE = `${fixture('kube', 'b.yaml')}:${fixture('kube', 'a.yaml')}`; // current: dev; prod-eu defined in a.yaml

describe('argv parsing', () => {
  const spec = { long: new Set(['context', 'namespace']), short: new Set(['n']) };
  const table: Array<[string[], string[], Record<string, string[]>]> = [
    [['-n', 'x', 'delete', 'pod', 'p'], ['delete', 'pod', 'p'], { n: ['x'] }],
    [['delete', '--context=prod', 'pod'], ['delete', 'pod'], { context: ['prod'] }],
    [['--context', 'prod', 'delete'], ['delete'], { context: ['prod'] }],
    [['-nfoo', 'get'], ['get'], { n: ['foo'] }],
    [['-n=foo', 'get'], ['get'], { n: ['foo'] }],
    [['exec', '-it', 'pod', '--', 'rm', '--context', 'x'], ['exec', 'pod', 'rm', '--context', 'x'], { i: [''], t: [''] }],
    [['--all', 'delete'], ['delete'], { all: [''] }],
  ];
  for (const [argv, positionals, flags] of table) {
    it(argv.join(' '), () => {
      const p = parseArgs(argv, spec);
      assert.deepStrictEqual(p.positionals, positionals);
      assert.deepStrictEqual(Object.fromEntries(p.flags), flags);
    });
  }
});

describe('SQL', () => {
  const table: Array<[string, boolean, string?]> = [
    ['select * from users', false],
    ['DROP TABLE users', true, 'DROP TABLE'],
    ['truncate orders', true, 'TRUNCATE'],
    ['delete from orders', true, 'DELETE without WHERE'],
    ['delete from orders where id = 3', false],
    ['update users set admin = true', true, 'UPDATE without WHERE'],
    ['update users set admin = true where id = 1', false],
    ['alter table users drop column email', true, 'ALTER TABLE … DROP COLUMN'],
    ['alter table users add column email text', false],
    ['select 1; drop index i', true, 'DROP INDEX'],
    ['insert into t values (1)', false],
    ['DELETE FROM `t`', true, 'SQL that could not be parsed'],
    ['\\i dangerous.sql', true, 'SQL that could not be parsed'],
    ['', false],
  ];
  for (const [sql, destructive, what] of table) {
    it(`${JSON.stringify(sql)} → ${destructive ? what : 'safe'}`, () => {
      const v = analyzeSql(sql);
      assert.strictEqual(v.destructive, destructive);
      if (what) assert.strictEqual(v.what, what);
    });
  }
});

describe('guard decisions', () => {
  const home = tempDir();
  const cwd = tempDir();
  writeTree(home, {
    '.aws/config': '[profile prod-admin]\nsso_account_id = 111122223333\n[profile dev]\nsso_account_id = 444455556666\n',
  });
  const env = { KUBECONFIG: KUBE, AWS_PROFILE: 'dev' };
  const run = (line: string[], extraEnv: NodeJS.ProcessEnv = {}, stdin?: string, dir = cwd) =>
    decide(line, { env: { ...env, ...extraEnv }, home, cwd: dir, files: nodeFiles, stdin });

  // [argv, expected action, destructive label (or undefined), target name]
  const table: Array<[string[], 'run' | 'confirm', string | undefined, string, NodeJS.ProcessEnv?]> = [
    [['kubectl', 'delete', 'pod', 'x'], 'run', 'kubectl delete', 'dev'],
    [['kubectl', '--context', 'prod-eu', 'delete', 'pod', 'x'], 'confirm', 'kubectl delete', 'prod-eu'],
    [['kubectl', '--context=prod-eu', 'delete', 'pod', 'x'], 'confirm', 'kubectl delete', 'prod-eu'],
    [['kubectl', '-n', 'x', 'delete', 'pod', '--context', 'prod-eu'], 'confirm', 'kubectl delete', 'prod-eu'],
    [['kubectl', 'delete', 'pod', 'x', '--context=prod-eu', '--dry-run=client'], 'run', undefined, 'prod-eu'],
    [['kubectl', 'delete', 'pod', 'x', '--context=prod-eu', '--dry-run=none'], 'confirm', 'kubectl delete', 'prod-eu'],
    [['kubectl', '--context=prod-eu', 'get', 'pods'], 'run', undefined, 'prod-eu'],
    [['kubectl', '--context=prod-eu', 'logs', 'delete'], 'run', undefined, 'prod-eu'],
    [['kubectl', '--context=prod-eu', 'rollout', 'restart', 'deploy/x'], 'confirm', 'kubectl rollout restart', 'prod-eu'],
    [['kubectl', '--context=prod-eu', 'rollout', 'status', 'deploy/x'], 'run', undefined, 'prod-eu'],
    [['kubectl', '--context=prod-eu', 'exec', '-it', 'p', '--', 'sh'], 'confirm', 'kubectl exec', 'prod-eu'],
    [['kubectl', 'delete', 'pod', 'x'], 'confirm', 'kubectl delete', 'prod-eu', { KUBECONFIG: fixture('kube', 'a.yaml') }],
    [['kubectl', '--kubeconfig', fixture('kube', 'a.yaml'), 'apply', '-f', 'x.yaml'], 'confirm', 'kubectl apply', 'prod-eu'],
    [['kubectl', '--context=nonprod', 'delete', 'ns', 'x'], 'run', 'kubectl delete', 'nonprod'],
    [['helm', 'uninstall', 'web', '--kube-context', 'prod-eu'], 'confirm', 'helm uninstall', 'prod-eu'],
    [['helm', 'upgrade', 'web', 'chart', '--kube-context=prod-eu', '--dry-run'], 'run', undefined, 'prod-eu'],
    [['helm', 'list', '--kube-context=prod-eu'], 'run', undefined, 'prod-eu'],
    [['aws', 's3', 'rb', 's3://b', '--profile', 'prod-admin'], 'confirm', 'aws s3 rb', 'prod-admin'],
    [['aws', '--profile=prod-admin', 'ec2', 'terminate-instances', '--instance-ids', 'i-1'], 'confirm', 'aws ec2 terminate-instances', 'prod-admin'],
    [['aws', 'ec2', 'terminate-instances', '--dry-run', '--profile', 'prod-admin'], 'run', undefined, 'prod-admin'],
    [['aws', 's3', 'ls', '--profile', 'prod-admin'], 'run', undefined, 'prod-admin'],
    [['aws', 'iam', 'put-role-policy', '--role-name', 'r'], 'confirm', 'aws iam put-role-policy', 'prod-admin', { AWS_PROFILE: 'prod-admin' }],
    [['aws', 'dynamodb', 'delete-table', '--table-name', 't'], 'run', 'aws dynamodb delete-table', 'dev'],
    [['terraform', 'destroy'], 'confirm', 'terraform destroy', 'production', { TF_WORKSPACE: 'production' }],
    [['terraform', 'plan', '-destroy'], 'run', undefined, 'production', { TF_WORKSPACE: 'production' }],
    [['terraform', 'state', 'rm', 'x'], 'confirm', 'terraform state rm', 'prd', { TF_WORKSPACE: 'prd' }],
    [['terraform', 'apply'], 'run', 'terraform apply', 'default'],
    [['psql', '-h', 'orders-prd.db', '-c', 'DROP TABLE users'], 'confirm', 'SQL: DROP TABLE', 'orders-prd.db'],
    [['psql', 'postgres://u:p@orders-prd.db/orders', '-c', 'select 1'], 'run', undefined, 'orders-prd.db/orders'],
    [['psql', '--command=delete from t', 'host=db-prod dbname=shop'], 'confirm', 'SQL: DELETE without WHERE', 'db-prod/shop'],
    [['psql', '-c', 'DROP TABLE users'], 'confirm', 'SQL: DROP TABLE', 'pg-prod-1', { PGHOST: 'pg-prod-1' }],
    [['psql', '-c', 'DROP TABLE users', 'app'], 'run', 'SQL: DROP TABLE', 'localhost/app'],
    [['dropdb', '-h', 'prod-db', 'shop'], 'confirm', 'dropdb', 'prod-db/shop'],
    [['mysql', '-h', 'mysql-live', '-e', 'TRUNCATE t'], 'confirm', 'SQL: TRUNCATE', 'mysql-live'],
    [['redis-cli', '-h', 'cache-prod', 'FLUSHALL'], 'confirm', 'redis-cli flushall', 'cache-prod'],
    [['redis-cli', '-h', 'cache-prod', 'GET', 'k'], 'run', undefined, 'cache-prod'],
    [['mongosh', 'mongodb+srv://u:p@prod.cluster.mongodb.net/app', '--eval', 'db.users.drop()'], 'confirm', 'mongosh drop()', 'prod.cluster.mongodb.net/app'],
    [['git', 'push', '--force'], 'run', undefined, ''],
  ];
  for (const [argv, action, destructive, target, extra] of table) {
    it(`${argv.join(' ')}${extra ? ` (${JSON.stringify(extra)})` : ''} → ${action}`, () => {
      const d = run(argv, extra);
      assert.strictEqual(d.action, action);
      assert.strictEqual(d.destructive, destructive);
      assert.strictEqual(d.target?.name ?? '', target);
    });
  }

  it('SQL on stdin is read (psql without -c)', () => {
    assert.strictEqual(run(['psql', '-h', 'db-prod'], {}, 'BEGIN; DROP TABLE t; COMMIT;').action, 'confirm');
    assert.strictEqual(run(['psql', '-h', 'db-prod'], {}, 'select 1;').action, 'run');
    assert.strictEqual(readsStdin('psql', ['-h', 'x']), true);
    assert.strictEqual(readsStdin('psql', ['-c', 'select 1']), false);
    assert.strictEqual(readsStdin('psql', ['-f', '-']), true);
  });
  it('SQL files given with -f are read; unreadable ones count as unparseable', () => {
    const d = tempDir();
    writeTree(d, { 'm.sql': 'ALTER TABLE t DROP CONSTRAINT c;' });
    assert.strictEqual(run(['psql', '-h', 'db-prod', '-f', 'm.sql'], {}, undefined, d).destructive, 'SQL: ALTER TABLE … DROP CONSTRAINT');
    assert.strictEqual(run(['psql', '-h', 'db-prod', '-f', 'missing.sql'], {}, undefined, d).action, 'confirm');
  });
  it('the target of psql is its database, not the kube context', () => {
    const d = run(['psql', '-h', 'localhost', '-c', 'DROP TABLE t'], { KUBECONFIG: fixture('kube', 'a.yaml') });
    assert.strictEqual(d.action, 'run');
    assert.strictEqual(d.target?.kind, 'database');
  });
  it('terraform reads .terraform/environment under -chdir', () => {
    const d = tempDir();
    writeTree(d, { 'envs/live/.terraform/environment': 'blue\n' });
    const r = run(['terraform', `-chdir=${path.join(d, 'envs', 'live')}`, 'apply'], {}, undefined, d);
    assert.strictEqual(r.target?.name, 'blue');
    assert.strictEqual(r.action, 'confirm'); // the folder "live" is production
  });
  it('extra destructive patterns from settings and .prodguard.yaml; allow-lists only from settings', () => {
    const prod = ['kubectl', '--context=prod-eu'];
    const d = (argv: string[], patterns?: Parameters<typeof decide>[1]['patterns'], dir = cwd) =>
      decide([...prod, ...argv], { env, home, cwd: dir, files: nodeFiles, patterns });
    assert.strictEqual(d(['port-forward', 'svc/db', '5432']).action, 'run');
    assert.strictEqual(d(['port-forward', 'svc/db', '5432'], { destructive: { kubectl: ['port-forward'] }, allow: {} }).destructive, 'kubectl port-forward');
    assert.strictEqual(d(['rollout', 'pause', 'deploy/x'], { destructive: { kubectl: ['rollout pause'] }, allow: {} }).action, 'confirm');
    assert.strictEqual(d(['exec', 'p', '--', 'ls'], { destructive: {}, allow: { kubectl: ['exec'] } }).action, 'run');
    const w = tempDir();
    writeTree(w, { '.prodguard.yaml': 'guard:\n  destructive:\n    kubectl: ["port-forward"]\n  allow:\n    kubectl: ["delete"]\n' });
    const r = d(['port-forward', 'x'], undefined, w);
    assert.strictEqual(r.action, 'confirm');
    assert.strictEqual(d(['delete', 'pod', 'x'], undefined, w).action, 'confirm');
    assert.match(r.problems.map((p) => p.message).join(), /"guard.allow" is ignored here/);
  });
  it('audit entries mask secrets in the command line', () => {
    const argv = ['psql', 'postgres://app:hunter2@db-prod/shop', '-c', 'DROP TABLE t'];
    const d = decide(argv, { env, home, cwd, files: nodeFiles });
    const e = auditEntry(argv, d, 'refused', 'none', cwd, 'me');
    assert.strictEqual(e.command, "psql postgres://app:***@db-prod/shop -c 'DROP TABLE t'");
    assert.deepStrictEqual([e.decision, e.channel, e.environment, e.target?.name], ['refused', 'none', 'production', 'db-prod/shop']);
    assert.doesNotMatch(JSON.stringify(e), /hunter2/);
  });
  it('shims skip Node for calls without a destructive word and refuse when the guard is missing', () => {
    const sh = shimScript('kubectl', '/opt/node', '/opt/cli.js');
    assert.match(sh, /delete\|apply\|create/);
    assert.match(sh, /exec "\$real" "\$@"/);
    assert.match(sh, /exit 126/);
    assert.match(shimScript('psql', '/n', '/c'), /\nguard=1\n/);
  });
  it('every shimmed tool has an analyzer', () => {
    for (const tool of SHIMMED_TOOLS) assert.ok(ANALYZERS[tool], tool);
  });
  it('a workspace labelled production makes its commands production; rules in it may raise only', () => {
    const d = tempDir();
    writeTree(d, { '.prodguard.yaml': 'environment: production\n', 'sub/x': '' });
    assert.strictEqual(run(['kubectl', 'delete', 'pod', 'x'], {}, undefined, path.join(d, 'sub')).action, 'confirm');
    const e = tempDir();
    writeTree(e, { '.prodguard.yaml': 'rules:\n  - match: "prod-*"\n    environment: development\n' });
    assert.strictEqual(run(['kubectl', '--context=prod-eu', 'delete', 'pod', 'x'], {}, undefined, e).action, 'confirm');
  });
});
