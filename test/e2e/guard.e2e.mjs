// End-to-end: the guard as a user meets it. A real kubectl typed into VS Code's integrated terminal against an
// API server on 127.0.0.1 (which records every request), and a flagged task; the modal is answered in the page.
import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { ROOT } from '../../scripts/lib/codeServer.mjs';
import { runCases, waitFor } from './harness.mjs';

const require = createRequire(import.meta.url);
const { startKubeApi, kubeconfigFor } = require(path.join(ROOT, 'out', 'test', 'system', 'support.js'));

async function terminalText(page) {
  return page.evaluate(() => [...document.querySelectorAll('.terminal .xterm-rows')].map((e) => e.innerText).join('\n'));
}

async function typeInTerminal(page, line) {
  await page.locator('.terminal .xterm-helper-textarea').first().focus();
  await page.keyboard.type(line, { delay: 5 });
  await page.keyboard.press('Enter');
}

/** Answers Prod Guard's modal: "Type the name…", then the target's name in the input box. */
async function confirmByTyping(page, name) {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 20_000 });
  await dialog.getByRole('button', { name: /Type the name/ }).click();
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  await input.press('Enter');
}

/** Tasks: Run Task from the command palette, then the task with this label. */
async function runTaskFromPalette(page, label) {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('>Tasks: Run Task');
  const runTask = page.locator('.quick-input-widget .monaco-list-row', { hasText: /Tasks: Run Task/ }).first();
  await runTask.waitFor({ state: 'visible', timeout: 10_000 });
  await runTask.click();
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/** Runs the guard cases; returns { passed, failed }. */
export async function runGuardE2eTests({ server, browser, sandbox, shotDir }) {
  const api = await startKubeApi();
  fs.writeFileSync(path.join(sandbox.home, '.kube', 'config'), kubeconfigFor(api.url, 'prod-eu', ['dev-eu']));
  const marker = path.join(sandbox.workspace, 'wiped.txt');
  fs.mkdirSync(path.join(sandbox.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(sandbox.workspace, '.vscode', 'tasks.json'), JSON.stringify({
    version: '2.0.0',
    tasks: [{ label: 'wipe data', type: 'shell', command: `\${command:prodGuard.confirmTask}touch ${marker}`, destructive: true, problemMatcher: [] }],
  }, null, 2));
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const dialog = page.locator('.monaco-dialog-box');
  const deletes = () => api.requests.filter((r) => r.method === 'DELETE');
  const cases = [
    ['kubectl delete in the integrated terminal under a production kubeconfig opens the modal; Cancel sends nothing', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(sandbox.workspace)}`);
      await page.waitForFunction(() => /PRODUCTION/.test(document.querySelector('.statusbar-item[id$="prodGuard.status"]')?.textContent ?? ''), null, { timeout: 60_000 });
      await page.keyboard.press('Control+Backquote');
      await page.locator('.terminal .xterm-helper-textarea').first().waitFor({ state: 'attached', timeout: 30_000 });
      await waitFor(async () => /[$#]\s*$/m.test(await terminalText(page)), 'a shell prompt');
      await typeInTerminal(page, 'kubectl delete pod web-1');
      await dialog.waitFor({ state: 'visible', timeout: 20_000 });
      const text = await dialog.innerText();
      assert.match(text, /Run "kubectl delete pod web-1" against PRODUCTION kubernetes "prod-eu"\?/);
      assert.match(text, /What: destructive: .*delete/);
      assert.match(text, /Why: production: name "prod-eu" contains "prod"/);
      await page.screenshot({ path: path.join(shotDir, 'guard-modal.png') });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await waitFor(async () => /cancelled in VS Code/.test(await terminalText(page)), 'the terminal says it was cancelled');
      assert.deepStrictEqual(api.requests, []);
      const log = fs.readFileSync(path.join(sandbox.home, '.local', 'state', 'prod-guard', 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.deepStrictEqual(log.map((e) => [e.command, e.decision, e.channel, e.target.name]), [['kubectl delete pod web-1', 'cancelled', 'vscode', 'prod-eu']]);
    }],
    ['typing the context name in VS Code runs it: the DELETE reaches the API server', async () => {
      await typeInTerminal(page, 'kubectl delete pod web-1');
      await confirmByTyping(page, 'prod-eu');
      await waitFor(async () => deletes().length === 1, 'the DELETE request');
      assert.strictEqual(deletes()[0].url, '/api/v1/namespaces/default/pods/web-1');
      await waitFor(async () => /pod "web-1" deleted/.test(await terminalText(page)), 'kubectl output in the terminal');
    }],
    ['a read in production runs without a dialog', async () => {
      api.requests.length = 0;
      await typeInTerminal(page, 'kubectl get pod web-2 -o name');
      await waitFor(async () => /pod\/web-2/.test(await terminalText(page)), 'kubectl get output');
      assert.strictEqual(await dialog.count() === 0 || !(await dialog.isVisible()), true);
    }],
    ['a task flagged destructive asks first; Cancel leaves its marker file unwritten', async () => {
      await page.locator('.monaco-workbench').first().click({ position: { x: 640, y: 200 } });
      await runTaskFromPalette(page, 'wipe data');
      await dialog.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await dialog.innerText(), /Run task "wipe data" while your tools point at PRODUCTION\?/);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await new Promise((r) => setTimeout(r, 2000));
      assert.strictEqual(fs.existsSync(marker), false, 'the task must not have run');
    }],
    ['confirming the task by typing the target name runs it', async () => {
      await runTaskFromPalette(page, 'wipe data');
      await confirmByTyping(page, 'prod-eu');
      await waitFor(async () => fs.existsSync(marker), 'the task wrote its marker');
    }],
    ['Prod Guard offers to remove the gate it wrote earlier; after that the task still asks, through the hook', async () => {
      const tasksFile = path.join(sandbox.workspace, '.vscode', 'tasks.json');
      await page.keyboard.press('Control+Shift+P');
      await page.locator('.quick-input-widget input').fill('>Notifications: Show Notifications');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Notifications: Show Notifications' }).first().click();
      const offer = page.locator('.notifications-center .notification-list-item', { hasText: /Remove the \$\{command:prodGuard\.confirmTask\} gate\(s\) it added earlier \(wipe data\)/ });
      await offer.first().waitFor({ state: 'visible', timeout: 20_000 });
      await offer.first().getByRole('button', { name: 'Remove them' }).click();
      await waitFor(async () => !fs.readFileSync(tasksFile, 'utf8').includes('confirmTask'), 'the gate removed from tasks.json');
      assert.match(fs.readFileSync(tasksFile, 'utf8'), new RegExp(`"command": "touch ${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
      fs.rmSync(marker);
      await page.keyboard.press('Escape');
      await runTaskFromPalette(page, 'wipe data');
      await dialog.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await dialog.innerText(), /Run task "wipe data" while your tools point at PRODUCTION\?\s*Command: touch /);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await new Promise((r) => setTimeout(r, 2000));
      assert.strictEqual(fs.existsSync(marker), false, 'the task must not have run');
    }],
  ];
  try {
    return await runCases(page, cases, { label: 'guard e2e', shotDir, onFailure: async () => `terminal: ${(await terminalText(page)).slice(-600)}` });
  } finally {
    await api.close();
    await page.close();
  }
}

