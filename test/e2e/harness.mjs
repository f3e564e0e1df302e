// Shared by the e2e suites: runs named cases in order on one page, with a screenshot for each failure.
import * as path from 'path';

/**
 * Runs `cases` ([name, async fn] pairs); a failure is reported with its stack (and `onFailure`'s extra text)
 * and a screenshot `<label>-failure-N.png`; the next case still runs. Returns { passed, failed }.
 */
export async function runCases(page, cases, { label, shotDir, onFailure = async () => '' }) {
  let passed = 0;
  let failed = 0;
  for (const [name, fn] of cases) {
    try {
      await fn();
      passed++;
      console.log(`  ✔ ${name}`);
    } catch (e) {
      failed++;
      console.log(`  ✗ ${name}\n    ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n    ')}`);
      const extra = await onFailure().catch(() => '');
      if (extra) console.log(`    ${extra}`);
      await page.screenshot({ path: path.join(shotDir, `${label}-failure-${passed + failed}.png`) }).catch(() => {});
    }
  }
  console.log(`\n  ${label}: ${passed} passing, ${failed} failing`);
  return { passed, failed };
}

/** Polls `pred` (sync or async) every 100 ms until it holds; throws "timed out: <what>" after `ms`. */
export async function waitFor(pred, what, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out: ${what}`);
}
