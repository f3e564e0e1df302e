import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir, writeTree } from '../unit/helpers';
import { installShims, kubeconfigFor, sh, startKubeApi, startPostgres } from './support';

/** Environment of a shell that has the shims first on PATH, a fake home and its own audit log. */
function shellEnv(PATH: string, home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH, HOME: home, PRODGUARD_AUDIT_LOG: path.join(home, 'audit.jsonl'), ...extra };
}

function audit(home: string): Array<Record<string, unknown>> {
  const f = path.join(home, 'audit.jsonl');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

describe('guard with a real kubectl against an API server on 127.0.0.1', function () {
  this.timeout(30_000);
  let api: Awaited<ReturnType<typeof startKubeApi>>;
  let shims: ReturnType<typeof installShims>;
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    api = await startKubeApi();
    shims = installShims();
    home = tempDir();
    writeTree(home, { '.kube/config': kubeconfigFor(api.url, 'prod-eu', ['dev-eu']) });
    env = shellEnv(shims.PATH, home, { KUBECONFIG: path.join(home, '.kube', 'config') });
  });
  after(async () => api.close());
  beforeEach(() => { api.requests.length = 0; });
  const deletes = (): string[] => api.requests.filter((r) => r.method === 'DELETE').map((r) => r.url);

  it('refuses kubectl delete in production when nobody can confirm: non-zero exit, not one request sent', async () => {
    const r = await sh('kubectl delete pod web-1', env);
    assert.strictEqual(r.code, 3);
    assert.match(r.err, /refused: kubectl delete pod web-1\n/);
    assert.match(r.err, /what: +destructive: .*delete/);
    assert.match(r.err, /target: kubernetes "prod-eu" \(from .*config:\d+\)/);
    assert.match(r.err, /why: +production: name "prod-eu" contains "prod"/);
    assert.match(r.err, /PRODGUARD_CONFIRM=prod-eu kubectl delete pod web-1/);
    assert.deepStrictEqual(api.requests, []);
    assert.deepStrictEqual(audit(home).pop(), { ...audit(home).pop(), decision: 'refused', channel: 'none', environment: 'production', command: 'kubectl delete pod web-1' });
  });
  it('flags before the verb and --context=value do not slip through', async () => {
    for (const cmd of ['kubectl -n default delete pod web-1', 'kubectl --context=dev-eu --context=prod-eu delete pod web-1', 'kubectl --context dev-eu delete pod web-1 --context=prod-eu']) {
      const r = await sh(cmd, env);
      assert.strictEqual(r.code, 3, cmd);
    }
    assert.deepStrictEqual(api.requests, []);
  });
  it('PRODGUARD_CONFIRM with another value refuses; with the target name the DELETE is sent', async () => {
    const wrong = await sh('PRODGUARD_CONFIRM=yes kubectl delete pod web-1', env);
    assert.strictEqual(wrong.code, 3);
    assert.deepStrictEqual(api.requests, []);
    const ok = await sh('PRODGUARD_CONFIRM=prod-eu kubectl delete pod web-1', env);
    assert.strictEqual(ok.code, 0, ok.err);
    assert.match(ok.out, /pod "web-1" deleted/);
    assert.deepStrictEqual(deletes(), ['/api/v1/namespaces/default/pods/web-1']);
    assert.strictEqual(audit(home).pop()?.decision, 'bypassed');
  });
  it('runs destructive commands in a development context without asking', async () => {
    const r = await sh('kubectl --context dev-eu delete pod web-2', env);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(deletes(), ['/api/v1/namespaces/default/pods/web-2']);
  });
  it('passes reads through untouched: arguments with spaces, quotes, $ and backticks; exit codes', async () => {
    const name = 'a b$HOME`x`"q\'';
    const r = await sh(`kubectl get configmap 'missing ${name.replace(/'/g, `'\\''`)}'`, env);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /not found/);
    const get = api.requests.find((q) => q.url.includes('/configmaps/'));
    assert.strictEqual(decodeURIComponent(get!.url.split('/configmaps/')[1].split('?')[0]), `missing ${name}`);
    const ok = await sh('kubectl get pod web-3 -o name', env);
    assert.strictEqual(ok.code, 0, ok.err);
    assert.strictEqual(ok.out.trim(), 'pod/web-3');
  });
  it('a dry run is not destructive', async () => {
    const r = await sh('kubectl delete pod web-4 --dry-run=client', env);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(deletes(), []);
  });
  it('Ctrl-C reaches a confirmed command that is running', async () => {
    api.hang.add('slow');
    const p = spawn('/bin/sh', ['-c', 'exec kubectl delete pod slow'], { env: { ...env, PRODGUARD_CONFIRM: 'prod-eu' }, detached: true, stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => p.on('exit', (code, signal) => r({ code, signal })));
    for (let i = 0; i < 100 && !api.requests.some((q) => q.url.endsWith('/pods/slow')); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(api.requests.some((q) => q.method === 'DELETE' && q.url.endsWith('/pods/slow')), 'the DELETE was sent');
    const t0 = Date.now();
    process.kill(-p.pid!, 'SIGINT'); // what the terminal does on Ctrl-C: the whole foreground group
    const r = await exited;
    assert.ok(r.signal === 'SIGINT' || r.code === 130, `ended by SIGINT, got ${JSON.stringify(r)}`);
    assert.ok(Date.now() - t0 < 5000);
  });
  it('prompts on the terminal when there is one: typing the name runs it, anything else cancels', async () => {
    // Answers only once the question is on screen: what was typed before it is thrown away (see the next test).
    const script = (answer: string): Promise<{ out: string; code: number | null }> => new Promise((resolve) => {
      const p = spawn('script', ['-qec', 'kubectl delete pod web-5', '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let answered = false;
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (!answered && /Type prod-eu to run it/.test(out)) {
          answered = true;
          p.stdin.write(`${answer}\n`);
        }
      });
      p.on('close', (code) => resolve({ out, code }));
    });
    const no = await script('yes');
    assert.match(no.out, /Type prod-eu to run it/);
    assert.match(no.out, /target: +kubernetes "prod-eu"/);
    assert.deepStrictEqual(deletes(), []);
    assert.strictEqual(audit(home).pop()?.decision, 'cancelled');
    const yes = await script('prod-eu');
    assert.match(yes.out, /pod "web-5" deleted/);
    assert.deepStrictEqual(deletes(), ['/api/v1/namespaces/default/pods/web-5']);
    assert.deepStrictEqual([audit(home).pop()?.decision, audit(home).pop()?.channel], ['confirmed', 'terminal']);
  });
  it('an answer typed (or pasted) before the question appears does not confirm it', async () => {
    const r = await sh(`script -qec "kubectl delete pod web-6" /dev/null`, env, { input: 'prod-eu\n' });
    assert.match(r.out, /Type prod-eu to run it/);
    assert.deepStrictEqual(deletes(), []);
    assert.strictEqual(audit(home).pop()?.decision, 'cancelled');
  });
});

describe('guard with a real psql against PostgreSQL on 127.0.0.1', function () {
  this.timeout(60_000);
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  let shims: ReturnType<typeof installShims>;
  let home: string;
  let ws: string;
  let env: NodeJS.ProcessEnv;
  let conn: string;
  const count = async (): Promise<string> => (await sh(`${pg.psql} ${conn} -Atc 'select count(*) from orders'`, env)).out.trim();
  before(async () => {
    pg = await startPostgres();
    shims = installShims();
    home = tempDir();
    ws = tempDir();
    // This repository says its database on 127.0.0.1 is production (workspace rules may raise).
    writeTree(ws, { '.prodguard.yaml': 'rules:\n  - match: "127.0.0.1"\n    kind: database\n    environment: production\n' });
    env = shellEnv(shims.PATH, home);
    conn = `-h 127.0.0.1 -p ${pg.port} -U postgres -d postgres`;
    await sh(`${pg.psql} ${conn} -c 'create table orders(id int); insert into orders values (1),(2),(3)'`, env);
  });
  after(async () => pg?.stop());

  it('refuses DROP TABLE given with -c: the table and its rows stay', async () => {
    const r = await sh(`psql ${conn} -c 'DROP TABLE orders'`, env, { cwd: ws });
    assert.strictEqual(r.code, 3);
    assert.match(r.err, /refused: psql .* -c 'DROP TABLE orders'\n/);
    assert.match(r.err, /what: +destructive: DROP TABLE/);
    assert.match(r.err, /target: database "127.0.0.1\/postgres" \(from -h flag\)/);
    assert.strictEqual(await count(), '3');
  });
  it('refuses destructive SQL on stdin and in -f files', async () => {
    const r = await sh(`psql ${conn}`, env, { cwd: ws, input: 'BEGIN; DELETE FROM orders; COMMIT;\n' });
    assert.strictEqual(r.code, 3);
    writeTree(ws, { 'm.sql': 'TRUNCATE orders;' });
    const f = await sh(`psql ${conn} -f m.sql`, env, { cwd: ws });
    assert.strictEqual(f.code, 3);
    assert.strictEqual(await count(), '3');
  });
  it('passes safe SQL through with stdin, arguments and exit codes intact', async () => {
    const r = await sh(`psql ${conn} -At`, env, { cwd: ws, input: 'select count(*) from orders;\n' });
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(r.out.trim(), '3');
    const q = await sh(`psql ${conn} -At -c "select 'a b \\$x \\\`y\\\` \\"q\\"' as v"`, env, { cwd: ws });
    assert.strictEqual(q.out.trim(), 'a b $x `y` "q"');
    const fail = await sh(`psql ${conn} -c 'select 1/0'`, env, { cwd: ws });
    assert.strictEqual(fail.code, 1);
    assert.match(fail.err, /division by zero/);
  });
  it('runs it when PRODGUARD_CONFIRM names the target, and records the bypass', async () => {
    const r = await sh(`PRODGUARD_CONFIRM=127.0.0.1/postgres psql ${conn} -c 'DELETE FROM orders WHERE id = 1; DROP TABLE orders'`, env, { cwd: ws });
    assert.strictEqual(r.code, 0, r.err);
    const gone = await sh(`${pg.psql} ${conn} -Atc "select to_regclass('orders') is null"`, env);
    assert.strictEqual(gone.out.trim(), 't');
    const last = audit(home).pop()!;
    assert.deepStrictEqual([last.decision, last.channel, (last.target as { name: string }).name], ['bypassed', 'env', '127.0.0.1/postgres']);
  });
});
