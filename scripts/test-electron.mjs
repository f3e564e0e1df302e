// The integration suite on desktop VS Code via @vscode/test-electron, for machines that can download VS Code
// (this project's CI cannot: it runs the same suite in code-server, see scripts/vscode-tests.mjs).
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { makeSandbox, ROOT, seedSandbox } from './lib/codeServer.mjs';

const sandbox = makeSandbox('pg-electron-');
seedSandbox(sandbox);
try {
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index'),
    launchArgs: [sandbox.workspace, '--disable-extensions', '--user-data-dir', sandbox.userData, '--skip-welcome', '--disable-workspace-trust'],
    extensionTestsEnv: { HOME: sandbox.home, PRODGUARD_TEST_RESULTS: path.join(ROOT, 'test-results', 'integration.json') },
  });
} catch (e) {
  console.error(`integration (desktop VS Code): ${e}`);
  process.exit(1);
}
