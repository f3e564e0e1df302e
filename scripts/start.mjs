// `npm start`: builds the extension and opens it live in a real VS Code (code-server on 127.0.0.1) on a demo
// workspace whose fake home has a kubeconfig pointing at a production context. Prints the URL; Ctrl-C stops.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureInstalled, freePort, kubeconfig, linkExtension, ROOT, startCodeServer, writeFiles } from './lib/codeServer.mjs';

const build = spawnSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
console.log('Preparing a real VS Code (first run installs code-server and Chromium: a few minutes)…');
ensureInstalled();

const base = path.join(ROOT, '.demo');
const sandbox = { base, home: path.join(base, 'home'), workspace: path.join(base, 'workspace'), userData: path.join(base, 'user-data'), extensions: path.join(base, 'extensions') };
for (const d of Object.values(sandbox)) fs.mkdirSync(d, { recursive: true });
if (!fs.existsSync(path.join(sandbox.home, '.kube', 'config'))) {
  writeFiles(sandbox.home, {
    '.kube/config': kubeconfig('prod-eu', ['prod-eu', 'staging-eu', 'dev-eu', 'kind-local']),
    '.aws/config': '[default]\nregion = eu-west-1\n\n[profile prod-admin]\nsso_account_id = 111122223333\nsso_role_name = Admin\n\n[profile dev]\nsso_account_id = 444455556666\n',
    '.bashrc': 'PS1="demo \\w \\$ "\n',
  });
  writeFiles(sandbox.workspace, {
    'README.md': [
      '# Prod Guard demo', '',
      'The status bar (bottom left) says where your tools point. This workspace\'s fake HOME has a kubeconfig whose',
      'current context is `prod-eu`, so it is red. Hover it for the reasons; click it to jump to the source line.', '',
      'Try, in the integrated terminal (it uses the same fake HOME):', '',
      '```sh', 'kubectl config use-context dev-eu      # turns plain', 'kubectl config use-context staging-eu  # turns yellow',
      'kubectl config use-context prod-eu     # turns red again, with a warning',
      'kubectl delete pod web-1               # in production: Prod Guard asks first (Cancel, or type prod-eu)',
      'PRODGUARD_CONFIRM=prod-eu kubectl delete pod web-1   # scripted confirmation (logged)', '```', '',
      'The demo clusters do not exist, so a confirmed kubectl command then fails to connect: nothing is harmed.', '',
      'Edit `.env`, `.env.production`, `appsettings.json` or `.prodguard.yaml` and watch it change live.', '',
      'Terminal → Run Task… → `wipe demo data`: a task flagged destructive (`PRODGUARD_DESTRUCTIVE` in its',
      '`options.env`, see `.vscode/tasks.json`) asks before its command runs while you are in production.', '',
    ].join('\n'),
    '.vscode/tasks.json': JSON.stringify({ version: '2.0.0', tasks: [{ label: 'wipe demo data', type: 'shell',
      command: 'echo "(demo) the data would be wiped now"', options: { env: { PRODGUARD_DESTRUCTIVE: '1' } }, problemMatcher: [] }] }, null, 2),
    '.env': '# loaded by default: drives the color\nDATABASE_URL=postgres://shop:local-secret@localhost:5432/shop_dev\n',
    '.env.production': '# only when NODE_ENV=production\nDATABASE_URL=postgres://shop:Pr0d-Secret@orders-prd.db.example.com:5432/orders\n',
    'appsettings.json': '{\n  "ConnectionStrings": {\n    "Default": "Server=dev-sql.example.com;Database=Shop;User Id=app;Password=dev-pass"\n  }\n}\n',
    '.prodguard.yaml': '# Team rules for this repository (see the Prod Guard README)\nrules:\n  - match: "111122223333"   # the production AWS account\n    kind: aws\n    environment: production\n  - match: "*.corp.example.com"\n    kind: database\n    environment: staging\n',
  });
}
const settings = path.join(sandbox.userData, 'User', 'settings.json');
if (!fs.existsSync(settings)) {
  writeFiles(sandbox.userData, { 'User/settings.json': JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'workbench.colorTheme': 'Default Dark Modern', 'git.openRepositoryInParentFolders': 'never', 'chat.disableAIFeatures': true }, null, 2) });
}
linkExtension(sandbox.extensions);
const port = Number(process.env.PORT) || await freePort();
const server = await startCodeServer({ sandbox, port, env: { SHELL: '/bin/bash' } });
fs.writeFileSync(path.join(base, 'url.txt'), `${server.url}/?folder=${encodeURIComponent(sandbox.workspace)}\n`);
console.log(`\nProd Guard is running in VS Code:\n\n    ${server.url}/?folder=${encodeURIComponent(sandbox.workspace)}\n\nOpen it in a browser on this machine. Demo files: ${base} (delete the folder to reset). Ctrl-C stops.\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
