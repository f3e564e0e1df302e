import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fixture, ROOT, tempDir, writeTree } from './helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('prod-guard CLI (the built dist/cli.js, as a process)', () => {
  it('detect --json reads HOME, KUBECONFIG, AWS_* and the --cwd workspace like the tools do', () => {
    const home = tempDir();
    const ws = tempDir();
    writeTree(home, {
      '.kube/config': 'current-context: prod-eu\ncontexts:\n- name: prod-eu\n  context: {cluster: eks}\nclusters:\n- name: eks\n  cluster: {server: "https://eks.example.com"}\n',
      '.aws/config': '[profile dev-admin]\nsso_account_id = 123456789012\n',
    });
    writeTree(ws, { '.env': 'DATABASE_URL=postgres://app:hunter2@orders-stg.db/orders\n' });
    const r = run(['detect', '--json', '--cwd', ws], { HOME: home, AWS_PROFILE: 'dev-admin' });
    assert.strictEqual(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { environment: string; signals: Array<Record<string, unknown>> };
    assert.strictEqual(j.environment, 'production');
    assert.deepStrictEqual(j.signals.map((s) => [s.kind, s.name, s.environment, s.source]), [
      ['kubernetes', 'prod-eu', 'production', path.join(home, '.kube', 'config')],
      ['aws', 'dev-admin', 'development', path.join(home, '.aws', 'config')],
      ['database', 'orders-stg.db/orders', 'staging', path.join(ws, '.env')],
    ]);
    assert.strictEqual(j.signals[0].reason, 'name "prod-eu" contains "prod"');
    assert.doesNotMatch(r.out, /hunter2/);
  });
  it('KUBECONFIG with several files and the human summary', () => {
    const r = run(['detect', '--cwd', fixture('db', 'dotnet')], { HOME: '/nonexistent', KUBECONFIG: `${fixture('kube', 'b.yaml')}:${fixture('kube', 'a.yaml')}` });
    assert.strictEqual(r.code, 0);
    assert.match(r.out, /^Environment: DEVELOPMENT\n/);
    assert.match(r.out, /kubernetes +dev {2}→ {2}development/);
    assert.match(r.out, /sql-live-01\/Shop {2}→ {2}production \(inactive\)/);
    assert.match(r.out, /^Environment: DEVELOPMENT/);
    assert.doesNotMatch(r.out, /LivePwd|Dev P@ss/);
  });
  it('malformed files are reported as problems, exit code still 0', () => {
    const r = run(['detect', '--json', '--cwd', tempDir()], { HOME: '/nonexistent', KUBECONFIG: fixture('kube', 'malformed.yaml'), AWS_CONFIG_FILE: fixture('aws', 'malformed') });
    assert.strictEqual(r.code, 0);
    const j = JSON.parse(r.out) as { environment: string; problems: Array<{ source: string; message: string }> };
    assert.strictEqual(j.environment, 'unknown');
    assert.deepStrictEqual([...new Set(j.problems.map((p) => path.basename(p.source)))], ['malformed.yaml', 'malformed']);
  });
  it('an unreadable kubeconfig is a "permission denied" problem, not a crash', function () {
    // Root reads everything: run the CLI as an unprivileged user when we are root, else as ourselves.
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status !== 0) this.skip();
    const d = tempDir();
    fs.chmodSync(d, 0o755);
    const file = path.join(d, 'config');
    fs.writeFileSync(file, 'current-context: prod\n', { mode: 0o600 });
    if (!asRoot) fs.chmodSync(file, 0o000);
    // A copy of the self-contained bundle beside it: the checkout itself may sit below a folder nobody cannot enter.
    const cli = path.join(d, 'cli.js');
    fs.copyFileSync(CLI, cli);
    fs.chmodSync(cli, 0o755);
    const cmd = asRoot ? ['runuser', '-u', 'nobody', '--', process.execPath] : [process.execPath];
    const r = spawnSync(cmd[0], [...cmd.slice(1), cli, 'detect', '--json', '--cwd', d], { env: { PATH: process.env.PATH, HOME: d, KUBECONFIG: file }, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { problems: Array<{ source: string; message: string }> };
    assert.deepStrictEqual(j.problems, [{ source: file, message: 'kubeconfig permission denied' }]);
  });
  it('bad usage exits 2 with a message', () => {
    assert.strictEqual(run(['frobnicate'], {}).code, 2);
    assert.match(run(['detect', '--cwd', '/definitely/missing'], {}).err, /no such directory/);
    assert.match(run(['detect', '--bogus'], {}).err, /unknown option "--bogus"/);
    assert.strictEqual(run(['--help'], {}).code, 0);
  });
});
