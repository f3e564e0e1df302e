// Runs the test suites that need a real VS Code: `integration` (mocha inside the extension host of
// code-server) and `e2e` (what a user sees in the browser). Writes test-results/<suite>.json {passed, failed}.
import * as fs from 'fs';
import * as path from 'path';
import { ensureInstalled, launchBrowser, linkExtension, makeSandbox, ROOT, seedSandbox, startCodeServer, testUrl } from './lib/codeServer.mjs';

const suite = process.argv[2];
if (suite !== 'integration' && suite !== 'e2e') {
  console.error('usage: node scripts/vscode-tests.mjs integration|e2e');
  process.exit(2);
}
ensureInstalled();
fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });

const sandbox = makeSandbox(`pg-${suite}-`);
seedSandbox(sandbox);

let server;
let browser;
let code = 1;
try {
  if (suite === 'integration') code = await runIntegration();
  else code = await runE2e();
} catch (e) {
  console.error(`${suite}: ${e?.stack ?? e}`);
  if (server) console.error(`--- code-server log (tail) ---\n${server.log().slice(-4000)}`);
  code = 1;
} finally {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (code === 0 && !process.env.PRODGUARD_KEEP_SANDBOX) fs.rmSync(sandbox.base, { recursive: true, force: true });
  else console.error(`${suite}: sandbox kept at ${sandbox.base}`);
}
process.exit(code);

async function runIntegration() {
  server = await startCodeServer({ sandbox, smokeDriver: true, env: { PRODGUARD_TEST_RESULTS: path.join(ROOT, 'test-results', 'integration.json') } });
  browser = await launchBrowser();
  const page = await browser.newPage();
  let resolveExit;
  const exited = new Promise((r) => { resolveExit = r; });
  // The extension host's console (our reporter's lines) arrives here.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = (Array.isArray(args) ? args : [args]).map(String).join(' ');
    if ((type === 'error' && !/open-vsx|ENOTFOUND|github/i.test(text)) || /^\s+(✔|✗|\d+\)|\d+ passing)|^\s{5}/.test(text) || /passing,/.test(text)) console.log(text);
  });
  await page.exposeFunction('codeAutomationExit', (c) => resolveExit(c));
  fs.rmSync(path.join(ROOT, 'test-results', 'integration.json'), { force: true });
  await page.goto(testUrl(server, sandbox.workspace, ROOT, path.join(ROOT, 'out', 'test', 'integration', 'index')));
  const timeout = new Promise((_, rej) => setTimeout(() => rej(new Error('integration tests did not finish within 5 minutes')), 300_000).unref());
  const exitCode = await Promise.race([exited, timeout]);
  console.log(`integration: extension host exited with ${exitCode}`);
  return exitCode === 0 ? 0 : 1;
}

async function runE2e() {
  const { runE2eTests } = await import('../test/e2e/statusbar.e2e.mjs');
  const extId = linkExtension(sandbox.extensions);
  server = await startCodeServer({ sandbox, env: { SHELL: '/bin/bash' } });
  browser = await launchBrowser();
  const shotDir = path.join(ROOT, 'test-results');
  const a = await runE2eTests({ server, browser, sandbox, extId, shotDir });
  const { runGuardE2eTests } = await import('../test/e2e/guard.e2e.mjs');
  const b = await runGuardE2eTests({ server, browser, sandbox, shotDir });
  // The task suite opens a multi-root workspace with automatic tasks: its own server, sandbox and browser, as a
  // fresh start (after other windows, VS Code was seen to start the workspace's automatic tasks late or never).
  await server.stop();
  await browser.close();
  browser = await launchBrowser();
  const { allowAutomaticTasks, runTaskE2eTests } = await import('../test/e2e/tasks.e2e.mjs');
  const tasksSandbox = makeSandbox('pg-e2e-tasks-');
  seedSandbox(tasksSandbox);
  linkExtension(tasksSandbox.extensions);
  allowAutomaticTasks(tasksSandbox);
  server = await startCodeServer({ sandbox: tasksSandbox, env: { SHELL: '/bin/bash' } });
  const c = await runTaskE2eTests({ server, browser, sandbox: tasksSandbox, shotDir });
  if (c.failed === 0 && !process.env.PRODGUARD_KEEP_SANDBOX) fs.rmSync(tasksSandbox.base, { recursive: true, force: true });
  else console.error(`e2e: task sandbox kept at ${tasksSandbox.base}`);
  const results = { passed: a.passed + b.passed + c.passed, failed: a.failed + b.failed + c.failed };
  fs.writeFileSync(path.join(ROOT, 'test-results', 'e2e.json'), JSON.stringify(results));
  return results.failed === 0 && results.passed > 0 ? 0 : 1;
}
