// End-to-end: what a user sees in the browser. A real VS Code (code-server) with the extension installed from
// its extensions dir, a real kubeconfig in the fake HOME; assertions on the DOM and computed colours.
import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { kubeconfig } from '../../scripts/lib/codeServer.mjs';
import { runCases } from './harness.mjs';

/** Finds Prod Guard's status bar item (a `.statusbar-item` whose id names our item). */
export async function statusItem(page) {
  const loc = page.locator('.statusbar-item[id$="prodGuard.status"]');
  await loc.first().waitFor({ state: 'visible', timeout: 60_000 });
  return loc.first();
}

/** The item's text and its computed background colour as [r, g, b, a]. */
export async function readItem(item) {
  return item.evaluate((el) => {
    const rgba = getComputedStyle(el).backgroundColor.match(/[\d.]+/g).map(Number);
    return { text: el.textContent.trim(), rgba: rgba.length === 3 ? [...rgba, 1] : rgba };
  });
}

const isRed = ([r, g, b, a]) => a > 0 && r > 150 && g < 110 && b < 110;

/** Runs the e2e cases; returns { passed, failed }. */
export async function runE2eTests({ server, browser, sandbox, shotDir }) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const kubeFile = path.join(sandbox.home, '.kube', 'config');
  const cases = [
    ['the status bar shows DEVELOPMENT on a plain background', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(sandbox.workspace)}`);
      const item = await statusItem(page);
      await page.waitForFunction(() => /DEVELOPMENT/.test(document.querySelector('.statusbar-item[id$="prodGuard.status"]')?.textContent ?? ''), null, { timeout: 60_000 });
      const { text, rgba } = await readItem(item);
      assert.match(text, /DEVELOPMENT · k8s dev-eu/);
      assert.ok(!isRed(rgba), `background should not be red, is rgba(${rgba})`);
    }],
    ['the status bar turns red after the kubeconfig switches to a production context', async () => {
      fs.writeFileSync(kubeFile, kubeconfig('prod-eu', ['dev-eu', 'prod-eu']));
      await page.waitForFunction(() => {
        const el = document.querySelector('.statusbar-item[id$="prodGuard.status"]');
        return el && /PRODUCTION/.test(el.textContent) && getComputedStyle(el).backgroundColor !== 'rgba(0, 0, 0, 0)';
      }, null, { timeout: 15_000 });
      const { text, rgba } = await readItem(await statusItem(page));
      assert.match(text, /PRODUCTION · k8s prod-eu/);
      assert.ok(isRed(rgba), `background should be red, is rgba(${rgba})`);
    }],
    ['hovering the item shows every signal with its environment, source line and reason', async () => {
      await (await statusItem(page)).hover();
      const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Prod Guard: PRODUCTION' });
      await hover.first().waitFor({ state: 'visible', timeout: 10_000 });
      const text = await hover.first().innerText();
      assert.match(text, /k8s prod-eu — production[^\n]*\n~\/\.kube\/config:3 · name "prod-eu" contains "prod"/);
      assert.match(text, /db localhost\/shop — local\n\.env:1 · /);
      assert.match(text, /db orders-prod\.db\.example\.com\/orders — production \(inactive\)[^\n]*active when NODE_ENV=production/);
      assert.doesNotMatch(text, /hunter2|Pr0dSecret/);
      await page.screenshot({ path: path.join(shotDir, 'statusbar-tooltip.png') });
      await page.mouse.move(640, 300);
    }],
    ['a one-time warning says the tools now point at production, and why', async () => {
      const toast = page.locator('.notification-toast', { hasText: 'now point at PRODUCTION' });
      await toast.first().waitFor({ state: 'visible', timeout: 15_000 });
      assert.match(await toast.first().textContent(), /k8s prod-eu \(name "prod-eu" contains "prod"\)/);
      await page.waitForTimeout(400); // let the toast's slide-in finish for the screenshot
      await page.screenshot({ path: path.join(shotDir, 'statusbar-production.png') });
      await toast.first().hover();
      await page.locator('.notification-toast .codicon-notifications-clear').first().click().catch(() => page.keyboard.press('Escape'));
    }],
    ['clicking the item lists the signals; picking the context opens the kubeconfig', async () => {
      await (await statusItem(page)).click();
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'k8s prod-eu' });
      await row.first().waitFor({ state: 'visible', timeout: 10_000 });
      const rows = await page.locator('.quick-input-widget .monaco-list-row').allTextContents();
      assert.ok(rows.some((r) => /db localhost\/shop/.test(r)), `rows: ${rows.join(' | ')}`);
      assert.ok(rows.every((r) => !/hunter2|Pr0dSecret/.test(r)));
      await row.first().click();
      await page.locator('.tab', { hasText: 'config' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    }],
  ];
  return runCases(page, cases, { label: 'e2e', shotDir });
}
