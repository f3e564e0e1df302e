// The task hook in the real bash: BASH_ENV points at it, `setsid` makes bash a session leader as VS Code's task
// processes are, and a local socket plays the window (registered in the state folder as the extension does). The
// hook asks through the real `prod-guard task-hook` (dist/cli.js); the task's command runs only on "run" or
// "confirmed".
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { taskHookScript } from '../../src/core/tasks';
import { ROOT, tempDir, writeTree } from '../unit/helpers';
import { which } from './support';

const CLI = path.join(ROOT, process.env.PRODGUARD_DIST || 'dist', 'cli.js');

const socketName = (): string => path.join(os.tmpdir(), `pg-th-${process.pid}-${Math.random().toString(36).slice(2)}.sock`);

interface Window { socket: string; requests: Record<string, unknown>[]; answer: (req: Record<string, unknown>) => object | 'drop'; close(): Promise<void> }

/** A fake window on a private socket listed in the state folder, answering each request with `answer`. */
async function fakeWindow(stateDir: string, socket = socketName()): Promise<Window> {
  const w: Window = { socket, requests: [], answer: () => ({ decision: 'run' }), close: async () => undefined };
  const server = net.createServer((c) => {
    let buf = '';
    c.on('data', (d) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const req = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
      w.requests.push(req);
      c.write('{"status":"asking"}\n');
      const a = w.answer(req);
      if (a === 'drop') c.destroy();
      else c.end(JSON.stringify(a) + '\n');
    });
    c.on('error', () => undefined);
  });
  const mask = process.umask(0o177);
  await new Promise<void>((r) => server.listen(socket, r));
  process.umask(mask);
  fs.mkdirSync(path.join(stateDir, 'ipc'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(stateDir, 'ipc', path.basename(socket)), socket, { mode: 0o600 });
  w.close = () => new Promise((r) => server.close(() => r()));
  return w;
}

function run(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    // stdin not a socket: Debian's bash reads ~/.bashrc instead of BASH_ENV when stdin is one (as under rshd);
    // VS Code's task processes have a terminal.
    const p = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('the task hook in real bash (BASH_ENV)', function () {
  this.timeout(60_000);
  let dir: string;
  let state: string;
  let hook: string;
  let win: Window;
  let env: NodeJS.ProcessEnv;
  const marker = (): string => path.join(dir, 'marker');
  const read = (): string => (fs.existsSync(marker()) ? fs.readFileSync(marker(), 'utf8') : '');

  before(async function () {
    if (!which('bash') || !which('setsid') || !fs.existsSync(CLI)) this.skip();
    dir = tempDir('task-hook-');
    state = path.join(dir, 'state');
    fs.mkdirSync(state, { mode: 0o700 });
    writeTree(dir, {
      'previous-env.bash': `echo "previous sourced in $$" >> ${path.join(dir, 'marker')}\n`,
      'wipe.sh': `#!/bin/bash\necho "script ran: $*" >> ${path.join(dir, 'marker')}\n`,
    });
    fs.chmodSync(path.join(dir, 'wipe.sh'), 0o755);
    hook = path.join(state, 'task-hook.bash');
    fs.writeFileSync(hook, taskHookScript({ runtime: process.execPath, cli: CLI, stateDir: state }));
    win = await fakeWindow(state);
    env = { PATH: process.env.PATH, HOME: dir, BASH_ENV: hook, PRODGUARD_IPC: win.socket, PRODGUARD_IPC_TOKEN: 'tok' };
  });
  after(async () => win?.close());
  beforeEach(() => {
    if (dir) fs.rmSync(marker(), { force: true });
    if (win) win.requests.length = 0;
  });

  const task = (cmd: string, extra: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> =>
    run(['setsid', '-w', 'bash', '-c', cmd], { ...env, ...extra }, dir);

  it('cancelled: the command never runs, bash exits 3, the request names the process and the exact command line', async () => {
    win.answer = () => ({ decision: 'cancelled' });
    const cmd = `echo ran >> ${marker()}`;
    const r = await task(cmd, { PRODGUARD_DESTRUCTIVE: '1' });
    assert.strictEqual(r.code, 3);
    assert.match(r.err, /task cancelled in VS Code; nothing ran/);
    assert.strictEqual(read(), '');
    assert.strictEqual(win.requests.length, 1);
    const req = win.requests[0] as { token: string; task: { pid: number; command: string; cwd: string; flagged: boolean } };
    assert.strictEqual(req.token, 'tok');
    assert.deepStrictEqual([req.task.command, req.task.cwd, req.task.flagged], [cmd, dir, true]);
    assert.ok(Number.isSafeInteger(req.task.pid) && req.task.pid > 1);
  });

  it('no secret of the task\'s command line reaches the window', async () => {
    win.answer = () => ({ decision: 'cancelled' });
    const r = await task(`PGPASSWORD=hunter2 true postgres://app:s3cr3t@db.prod.acme/shop --password=Sup3r; echo ran >> ${marker()}`);
    assert.strictEqual(r.code, 3);
    const sent = JSON.stringify(win.requests[0]);
    for (const secret of ['hunter2', 's3cr3t', 'Sup3r']) assert.ok(!sent.includes(secret), `${secret} in ${sent}`);
    assert.match(sent, /db\.prod\.acme/);
  });

  it('run: the command runs once, with no nonce', async () => {
    win.answer = () => ({ decision: 'run' });
    const r = await task(`echo "ran nonce=[$PRODGUARD_TASK_NONCE]" >> ${marker()}`);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(read(), 'ran nonce=[]\n');
    assert.strictEqual((win.requests[0] as { task: { flagged: boolean } }).task.flagged, false);
  });

  it('confirmed: the command runs once and sees the nonce the shims pass back', async () => {
    win.answer = () => ({ decision: 'confirmed', nonce: 'n0nce' });
    const r = await task(`echo "ran nonce=[$PRODGUARD_TASK_NONCE]" >> ${marker()}; bash -c 'echo "child nonce=[$PRODGUARD_TASK_NONCE]" >> ${marker()}'`);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(read(), 'ran nonce=[n0nce]\nchild nonce=[n0nce]\n');
    assert.strictEqual(win.requests.length, 1, 'the nested bash is not a task: it does not ask again');
  });

  it('a window that drops the question after acknowledging it means cancelled', async () => {
    win.answer = () => 'drop';
    const r = await task(`echo ran >> ${marker()}`);
    assert.strictEqual(r.code, 3);
    assert.strictEqual(read(), '');
  });

  it('a bash that is not a session leader (a script typed into a terminal) does not ask', async () => {
    win.answer = () => ({ decision: 'cancelled' });
    const r = await run(['bash', '-c', `echo ran >> ${marker()}`], env, dir);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(read(), 'ran\n');
    assert.strictEqual(win.requests.length, 0);
  });

  it('a process task running a bash script asks with the script and its arguments, quoted', async () => {
    win.answer = () => ({ decision: 'cancelled' });
    const r = await run(['setsid', '-w', path.join(dir, 'wipe.sh'), 'a b', "it's"], env, dir);
    assert.strictEqual(r.code, 3);
    assert.strictEqual(read(), '');
    assert.strictEqual((win.requests[0] as { task: { command: string } }).task.command, `${path.join(dir, 'wipe.sh')} a\\ b it\\'s`);
  });

  it('the user\'s own BASH_ENV is sourced after the hook, and is what the task\'s children get', async () => {
    const prev = path.join(dir, 'previous-env.bash');
    const withPrev = path.join(state, 'task-hook-prev.bash');
    fs.writeFileSync(withPrev, taskHookScript({ runtime: process.execPath, cli: CLI, stateDir: state, previous: prev }));
    win.answer = () => ({ decision: 'run' });
    const r = await task(`echo "child BASH_ENV=$BASH_ENV" >> ${marker()}`, { BASH_ENV: withPrev });
    assert.strictEqual(r.code, 0, r.err);
    assert.match(read(), /^previous sourced in \d+\nchild BASH_ENV=.*previous-env\.bash\n$/);
  });

  it('with no window to ask: a task flagged by PRODGUARD_DESTRUCTIVE is refused, any other runs', async () => {
    const gone = { PRODGUARD_IPC: path.join(dir, 'no-such.sock') };
    const refused = await task(`echo ran >> ${marker()}`, { ...gone, PRODGUARD_DESTRUCTIVE: '1' });
    assert.strictEqual(refused.code, 3);
    assert.match(refused.err, /refused: this task is flagged destructive \(PRODGUARD_DESTRUCTIVE\) and no VS Code window answered/);
    assert.strictEqual(read(), '');
    const ran = await task(`echo ran >> ${marker()}`, gone);
    assert.strictEqual(ran.code, 0, ran.err);
    assert.strictEqual(read(), 'ran\n');
  });

  it('a task started before the window\'s socket is up (runOn: folderOpen) waits for it, then asks', async () => {
    const late = socketName();
    const started = task(`echo ran >> ${marker()}`, { PRODGUARD_IPC: late });
    await new Promise((r) => setTimeout(r, 1500));
    const w = await fakeWindow(state, late);
    w.answer = () => ({ decision: 'cancelled' });
    try {
      const r = await started;
      assert.strictEqual(r.code, 3, r.err);
      assert.strictEqual(w.requests.length, 1);
      assert.strictEqual(read(), '');
    } finally {
      await w.close();
    }
  });

  it('a socket not registered in the state folder is not asked (it could answer anything)', async () => {
    const rogue = await fakeWindow(path.join(dir, 'elsewhere'));
    rogue.answer = () => ({ decision: 'confirmed', nonce: 'x' });
    try {
      const r = await task(`echo ran >> ${marker()}`, { PRODGUARD_IPC: rogue.socket, PRODGUARD_DESTRUCTIVE: '1' });
      assert.strictEqual(r.code, 3);
      assert.strictEqual(rogue.requests.length, 0);
      assert.strictEqual(read(), '');
    } finally {
      await rogue.close();
    }
  });
});
