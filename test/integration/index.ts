import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/**
 * One preformatted line per event: the extension host forwards console calls to the page, where mocha's
 * format-string reporters arrive garbled.
 */
class PlainReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner) {
    super(runner);
    const failures: Array<{ title: string; err: Error }> = [];
    runner.on('pass', (t) => console.log(`  ✔ ${t.fullTitle()} (${t.duration ?? 0} ms)`));
    runner.on('fail', (t, err: Error) => {
      failures.push({ title: t.fullTitle(), err });
      console.log(`  ✗ ${t.fullTitle()}`);
    });
    runner.once('end', () => {
      failures.forEach((f, i) => console.log(`\n  ${i + 1}) ${f.title}\n${String(f.err.stack ?? f.err).split('\n').slice(0, 12).map((l) => `     ${l}`).join('\n')}`));
      console.log(`\n  ${runner.stats?.passes ?? 0} passing, ${runner.stats?.failures ?? 0} failing`);
    });
  }
}

/** Entry point the extension host calls (same contract as @vscode/test-electron): runs every *.test.js here. */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: PlainReporter });
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  const stats = await new Promise<{ passed: number; failed: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
  });
  const out = process.env.PRODGUARD_TEST_RESULTS;
  if (out) fs.writeFileSync(out, JSON.stringify(stats));
  if (stats.failed > 0) throw new Error(`${stats.failed} integration test(s) failed`);
  if (stats.passed === 0) throw new Error('no integration test ran');
}
