// `npm test`: build, type check, lint, then every suite — unit (plain Node), integration (inside a real VS Code
// extension host) and e2e (a real browser on a real VS Code). Installs what the VS Code suites need first.
// Fails when any step fails or any suite runs no test; ends with one "N passed, N failed" line.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureInstalled, ROOT } from './lib/codeServer.mjs';

const results = path.join(ROOT, 'test-results');
fs.rmSync(results, { recursive: true, force: true });
fs.mkdirSync(results, { recursive: true });
const npx = (args, extraEnv = {}) => {
  console.log(`\n▶ ${args.join(' ')}`);
  const r = spawnSync(args[0], args.slice(1), { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return r.status ?? 1;
};
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0 };
const failedSteps = [];
const step = (name, args, resultFile) => {
  const code = npx(args);
  if (resultFile) {
    let r = { passed: 0, failed: 0 };
    try { r = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { /* suite crashed before writing */ }
    totals.passed += r.passed;
    totals.failed += r.failed;
    if (r.passed === 0) failedSteps.push(`${name} (ran no test)`);
    else if (code !== 0 || r.failed > 0) failedSteps.push(name);
  } else if (code !== 0) failedSteps.push(name);
};

step('build', ['node', 'scripts/build.mjs']);
step('typecheck', [bin('tsc'), '--noEmit', '-p', '.']);
step('lint', [bin('eslint'), 'src', 'test', 'scripts']);
step('compile tests', [bin('tsc'), '-p', 'tsconfig.test.json']);
let depsReady = true;
try {
  ensureInstalled();
} catch (e) {
  console.error(String(e));
  failedSteps.push('install test dependencies (scripts/install-test-deps.sh)');
  depsReady = false;
}
process.env.PRODGUARD_TEST_RESULTS = path.join(results, 'unit.json');
step('unit + system', [bin('mocha')], path.join(results, 'unit.json'));
delete process.env.PRODGUARD_TEST_RESULTS;
if (depsReady) {
  step('integration', ['node', 'scripts/vscode-tests.mjs', 'integration'], path.join(results, 'integration.json'));
  step('e2e', ['node', 'scripts/vscode-tests.mjs', 'e2e'], path.join(results, 'e2e.json'));
}

console.log(`\n${failedSteps.length ? `FAILED: ${failedSteps.join(', ')}` : 'all steps green'}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
