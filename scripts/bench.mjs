// `npm run bench`: figures, not assertions.
//  1. activation time in a real VS Code (median over several extension host starts)
//  2. switch-to-red latency: kubeconfig rewritten → status bar element changes (p50/p95 over ≥ 20 switches)
//  3. `prod-guard detect --json` whole-process time against `node -e 0`
//  4. workspace scan time on a generated 50 000-file tree
//  5. guard shim overhead: kubectl through the shim against the direct binary (non-destructive, and destructive
//     in a development context), against an API server on 127.0.0.1
//  6. guard decisions, whole process against `node -e 0`, interleaved: agent hook latency (a harmless line and a
//     production-destructive one), a 1 MB SQL script against production, a 100 KB argument full of secrets to mask
//  7. the task hook: a task's `bash -c true` with the hook asking a window (a local socket answering "run") and a
//     script's bash that the hook skips, each interleaved with plain `bash -c true`
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { ensureInstalled, kubeconfig, launchBrowser, linkExtension, makeSandbox, ROOT, startCodeServer, writeFiles } from './lib/codeServer.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('-'));
const want = (name) => only.length === 0 || only.includes(name);
const SWITCHES = Number(process.env.BENCH_SWITCHES ?? 40);
const STARTS = Number(process.env.BENCH_STARTS ?? 5);

const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
}
const fmt = (n) => `${n.toFixed(1)} ms`;
const rows = [];
const report = (what, value) => {
  rows.push([what, value]);
  console.log(`  ${what.padEnd(48)} ${value}`);
};

const run = (cmd, a) => {
  const r = spawnSync(cmd, a, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${a.join(' ')} failed`);
};
run('node', ['scripts/build.mjs']);
run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.test.json']);

if (want('vscode')) await benchVsCode();
if (want('cli')) benchCli();
if (want('scan')) await benchScan();
if (want('shim')) await benchShim();
if (want('guard')) benchGuard();
if (want('tasks')) await benchTasks();

console.log('\nSummary');
for (const [k, v] of rows) console.log(`  ${k.padEnd(48)} ${v}`);

async function benchVsCode() {
  ensureInstalled();
  console.log('\nReal VS Code (code-server + headless Chromium)');
  const sandbox = makeSandbox('pg-bench-');
  const kubeFile = path.join(sandbox.home, '.kube', 'config');
  writeFiles(sandbox.home, { '.kube/config': kubeconfig('dev-eu', ['dev-eu', 'prod-eu']) });
  writeFiles(sandbox.workspace, { '.env': 'DATABASE_URL=postgres://app:pw@localhost/shop\n' });
  linkExtension(sandbox.extensions);
  const server = await startCodeServer({ sandbox });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const url = `${server.url}/?folder=${encodeURIComponent(sandbox.workspace)}`;
    const itemSel = '.statusbar-item[id$="prodGuard.status"]';
    // Each page load starts a new extension host, which activates the extension again.
    for (let i = 0; i < STARTS; i++) {
      await page.goto(url);
      await page.waitForFunction((sel) => /DEVELOPMENT|PRODUCTION/.test(document.querySelector(sel)?.textContent ?? ''), itemSel, { timeout: 90_000 });
    }
    const logs = findFiles(path.join(sandbox.userData, 'logs'), (f) => f.endsWith('Prod Guard.log'));
    const activate = [];
    const load = [];
    for (const f of logs) {
      const m = /activated in ([\d.]+) ms(?:; bundle evaluated in ([\d.]+) ms)?/.exec(fs.readFileSync(f, 'utf8'));
      if (m) {
        activate.push(Number(m[1]));
        if (m[2]) load.push(Number(m[2]));
      }
    }
    report(`activate() work, median of ${activate.length} starts`, `${fmt(median(activate))} (max ${fmt(Math.max(...activate))}; goal ≤ 15 ms)`);
    if (load.length) report('bundle evaluation (require of dist/extension.js), median', fmt(median(load)));

    // Switch-to-red: a MutationObserver in the page stamps each change of the item; Node stamps the write.
    await page.evaluate((sel) => {
      window.__pg = [];
      const el = document.querySelector(sel);
      new MutationObserver(() => window.__pg.push({ t: Date.now(), text: el.textContent, bg: getComputedStyle(el).backgroundColor }))
        .observe(el, { subtree: true, childList: true, characterData: true, attributes: true });
    }, itemSel);
    const latencies = [];
    const back = [];
    for (let i = 0; i < SWITCHES; i++) {
      const target = i % 2 === 0 ? 'prod-eu' : 'dev-eu';
      const expect = target === 'prod-eu' ? 'PRODUCTION' : 'DEVELOPMENT';
      await new Promise((r) => setTimeout(r, 300)); // let the previous change settle
      const t0 = Date.now();
      fs.writeFileSync(kubeFile, kubeconfig(target, ['dev-eu', 'prod-eu']));
      const handle = await page.waitForFunction(([t, e]) => window.__pg.find((c) => c.t >= t && c.text.includes(e)), [t0, expect], { timeout: 10_000, polling: 50 });
      const change = await handle.jsonValue();
      (target === 'prod-eu' ? latencies : back).push(change.t - t0);
    }
    report(`switch to red latency p50 (${latencies.length} switches)`, `${fmt(quantile(latencies, 0.5))} (goal ≤ 250 ms)`);
    report('switch to red latency p95', fmt(quantile(latencies, 0.95)));
    report(`switch back to plain latency p50 / p95 (${back.length})`, `${fmt(quantile(back, 0.5))} / ${fmt(quantile(back, 0.95))}`);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(sandbox.base, { recursive: true, force: true });
  }
}

function findFiles(dir, pred, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) findFiles(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

function timeProcess(cmd, a, env, n, okCodes = [0], input = undefined) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, a, { env, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024 });
    if (!okCodes.includes(r.status)) throw new Error(`${cmd} ${a.join(' ')}: ${r.stderr}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times;
}

function benchCli() {
  console.log('\nCLI');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-bench-cli-'));
  writeFiles(home, { '.kube/config': kubeconfig('prod-eu'), '.aws/config': '[profile prod-admin]\nsso_account_id = 111122223333\n', 'ws/.env': 'DATABASE_URL=postgres://u:p@db-prd/app\n' });
  const env = { PATH: process.env.PATH, HOME: home, AWS_PROFILE: 'prod-admin' };
  const n = 25;
  const base = median(timeProcess(process.execPath, ['-e', '0'], env, n));
  const detect = median(timeProcess(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'detect', '--json', '--cwd', path.join(home, 'ws')], env, n));
  report(`node -e 0, median of ${n}`, fmt(base));
  report(`prod-guard detect --json, median of ${n}`, `${fmt(detect)} (${(detect / base).toFixed(2)}× node -e 0; +${fmt(detect - base)})`);
  fs.rmSync(home, { recursive: true, force: true });
}

async function benchScan() {
  console.log('\nWorkspace scan');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-bench-scan-'));
  // 50 000 files: 30 000 source files in 1 500 folders, 20 000 in node_modules (skipped), a few .env files.
  let count = 0;
  for (let d = 0; d < 1500; d++) {
    const dir = path.join(root, `pkg${d % 50}`, `mod${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 20; f++, count++) fs.writeFileSync(path.join(dir, `file${f}.ts`), 'export {};\n');
    if (d % 300 === 0) { fs.writeFileSync(path.join(dir, '.env'), 'DATABASE_URL=postgres://u:p@db-dev/app\n'); count++; }
  }
  for (let d = 0; count < 50_000; d++) {
    const dir = path.join(root, 'node_modules', `dep${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 50 && count < 50_000; f++, count++) fs.writeFileSync(path.join(dir, `f${f}.js`), '');
  }
  const { detectDatabases } = require(path.join(ROOT, 'out', 'src', 'core', 'detect.js'));
  const { nodeFiles } = require(path.join(ROOT, 'out', 'src', 'core', 'files.js'));
  const times = [];
  let signals = 0;
  let entries = 0;
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const r = await detectDatabases(root, {}, nodeFiles);
    times.push(performance.now() - t);
    signals = r.signals.length;
    entries = r.scanned;
  }
  report(`scan of ${count} files (median of ${times.length})`, `${fmt(median(times))} (${entries} entries visited, ${signals} connection strings)`);
  fs.rmSync(root, { recursive: true, force: true });
}

async function benchShim() {
  console.log('\nGuard shims (kubectl against an API server on 127.0.0.1)');
  const { startKubeApi, kubeconfigFor } = require(path.join(ROOT, 'out', 'test', 'system', 'support.js'));
  const api = await startKubeApi();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-bench-shim-'));
  const shimDir = path.join(home, 'shims');
  writeFiles(home, { '.kube/config': kubeconfigFor(api.url, 'dev-eu', ['prod-eu']) });
  const inst = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'shims', 'install', shimDir], { encoding: 'utf8' });
  if (inst.status !== 0) throw new Error(inst.stderr);
  const real = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
  const env = { PATH: `${shimDir}${path.delimiter}${process.env.PATH}`, HOME: home, KUBECONFIG: path.join(home, '.kube', 'config'), PRODGUARD_AUDIT_LOG: path.join(home, 'audit.jsonl') };
  const n = Number(process.env.BENCH_SHIM_RUNS ?? 30);
  // Async: the API server lives in this process, so a blocking spawnSync would starve it.
  const timeOnce = (cmd, args) => new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t) / 1e6) : reject(new Error(`${cmd} ${args.join(' ')}: ${err}`))));
  });
  const pair = async (label, args) => {
    const direct = [];
    const shim = [];
    for (let i = 0; i < n; i++) {
      // Alternate, so drift in machine load hits both sides alike.
      direct.push(await timeOnce(real, args));
      shim.push(await timeOnce(path.join(shimDir, 'kubectl'), args));
    }
    const d = median(direct);
    const g = median(shim);
    report(`${label}: direct / shim, median of ${n}`, `${fmt(d)} / ${fmt(g)} (+${fmt(g - d)}, ${(g / d).toFixed(2)}×)`);
  };
  try {
    await pair('kubectl version --client (no network)', ['version', '--client']);
    await pair('kubectl get pod (non-destructive)', ['get', 'pod', 'web', '-o', 'name']);
    await pair('kubectl delete pod in dev (destructive, runs)', ['delete', 'pod', 'web', '--wait=false']);
  } finally {
    await api.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

function benchGuard() {
  console.log('\nGuard decisions (whole process, interleaved with node -e 0)');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-bench-guard-'));
  const stmt = "INSERT INTO orders (id, note) VALUES (1, 'a; DROP TABLE x -- not really'); UPDATE orders SET n = n + 1 WHERE id = 7;\n";
  writeFiles(home, {
    'big.sql': stmt.repeat(Math.ceil((1024 * 1024) / stmt.length)) + 'SELECT 1;\n',
    'huge.sql': stmt.repeat(Math.ceil((20 * 1024 * 1024) / stmt.length)) + 'SELECT 1;\n',
  });
  const secretArg = Array.from({ length: 2000 }, (_, i) => `host=db${i} password=s3cr3t${i} postgres://u:p${i}@h/x`).join(' ').slice(0, 100 * 1024);
  const env = { PATH: process.env.PATH, HOME: home, PGSYSCONFDIR: home };
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const n = Number(process.env.BENCH_GUARD_RUNS ?? 15);
  writeFiles(home, {
    '.kube/config': 'current-context: dev\ncontexts:\n- name: dev\n  context: {cluster: d}\n- name: prod-eu\n'
      + '  context: {cluster: p}\nclusters:\n- name: d\n  cluster: {server: "https://dev.k8s"}\n- name: p\n'
      + '  cluster: {server: "https://prod.k8s"}\n',
  });
  const claude = (command) => JSON.stringify({ session_id: 's', cwd: home, permission_mode: 'default',
    hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } });
  const cases = [
    ['hook claude-code, a non-destructive line (goal: < 50 ms added)', ['hook', 'claude-code'],
      claude('cd src && git status && kubectl get pods -o wide | grep api')],
    ['hook claude-code, a production-destructive line', ['hook', 'claude-code'],
      claude('kubectl --context prod-eu delete ns payments && echo done')],
    ['1 MB SQL script, production (check -f)', ['check', '--', 'psql', '-h', 'db-prod', '-f', path.join(home, 'big.sql')]],
    ['100 KB argument to mask (check --json)', ['check', '--json', '--', 'psql', '-h', 'db-prod', '-c', secretArg]],
    ['20 MB SQL script, production (goal: decided within 2 s)', ['check', '--', 'psql', '-h', 'db-prod', '-f', path.join(home, 'huge.sql')]],
  ];
  for (const [label, args, input] of cases) {
    const base = [];
    const guard = [];
    for (let i = 0; i < n + 2; i++) {
      const b = timeProcess(process.execPath, ['-e', '0'], env, 1, [0])[0];
      const g = timeProcess(process.execPath, [cli, ...args], env, 1, [0, 3], input)[0];
      if (i >= 2) { base.push(b); guard.push(g); } // two warm-up pairs
    }
    const b = median(base);
    const g = median(guard);
    report(`${label}, median of ${n}`, `${fmt(g)} (p95 ${fmt(quantile(guard, 0.95))}; ${(g / b).toFixed(2)}× node -e 0 at ${fmt(b)}; +${fmt(g - b)})`);
  }
  fs.rmSync(home, { recursive: true, force: true });
}

async function benchTasks() {
  console.log('\nTask hook (BASH_ENV), whole process, interleaved with plain bash -c true');
  const net = await import('net');
  const { taskHookScript } = require(path.join(ROOT, 'out', 'src', 'core', 'tasks.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-bench-tasks-'));
  const state = path.join(dir, 'state');
  const socket = path.join(dir, 'w.sock');
  fs.mkdirSync(path.join(state, 'ipc'), { recursive: true, mode: 0o700 });
  const server = net.createServer((c) => c.once('data', () => c.end('{"status":"asking"}\n{"decision":"run"}\n')));
  const mask = process.umask(0o177);
  await new Promise((r) => server.listen(socket, r));
  process.umask(mask);
  fs.writeFileSync(path.join(state, 'ipc', 'w.sock'), socket, { mode: 0o600 });
  const hook = path.join(state, 'task-hook.bash');
  fs.writeFileSync(hook, taskHookScript({ runtime: process.execPath, cli: path.join(ROOT, 'dist', 'cli.js'), stateDir: state }));
  const env = { PATH: process.env.PATH, HOME: dir, PRODGUARD_IPC: socket, PRODGUARD_IPC_TOKEN: 't' };
  // Async: the window lives in this process. stdin not a socket (bash would read ~/.bashrc instead of BASH_ENV).
  const timeOnce = (argv, e) => new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const p = spawn(argv[0], argv.slice(1), { env: e, stdio: 'ignore' });
    p.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t) / 1e6) : reject(new Error(`${argv.join(' ')}: exit ${code}`))));
  });
  const n = Number(process.env.BENCH_TASK_RUNS ?? 20);
  const pair = async (label, argv) => {
    const plain = [];
    const hooked = [];
    for (let i = 0; i < n + 2; i++) {
      const a = await timeOnce(argv, env);
      const b = await timeOnce(argv, { ...env, BASH_ENV: hook });
      if (i >= 2) { plain.push(a); hooked.push(b); }
    }
    const a = median(plain);
    const b = median(hooked);
    report(`${label}, median of ${n}`, `${fmt(b)} (p95 ${fmt(quantile(hooked, 0.95))}; plain ${fmt(a)}; +${fmt(b - a)})`);
  };
  try {
    await pair('task start: setsid bash -c true, hook asks the window', ['setsid', '-w', 'bash', '-c', 'true']);
    await pair('script in a terminal: bash -c true, hook skips', ['bash', '-c', 'true']);
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
