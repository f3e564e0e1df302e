import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Detection } from '../../src/core/types';
import type { ProdGuardApi } from '../../src/extension/extension';
import { createStatusBar } from '../../src/extension/statusBar';
import { addGate, flaggedTasks, removeCoveredGates } from '../../src/extension/taskGate';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { contextMetaFile } from '../../src/core/docker';

const EXT_ID = 'prodguard.prod-guard';
const home = process.env.HOME ?? '';
const kubeFile = path.join(home, '.kube', 'config');
const folder = (): string => vscode.workspace.workspaceFolders![0].uri.fsPath;

function kubeconfig(current: string): string {
  return `apiVersion: v1\nkind: Config\ncurrent-context: ${current}\ncontexts:\n- name: ${current}\n  context:\n    cluster: ${current}-cluster\nclusters:\n- name: ${current}-cluster\n  cluster:\n    server: https://${current}.example.com\n`;
}

let api: ProdGuardApi;

/** Waits until the detection satisfies `pred` (driven by the extension's own update event, with a deadline). */
async function until(pred: (d: Detection) => boolean, what: string, ms = 10_000): Promise<Detection> {
  const now = api.detection();
  if (now && pred(now)) return now;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(api.statusView().text)}`));
    }, ms);
    const sub = api.onDidUpdate((d) => {
      if (pred(d)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(d);
      }
    });
  });
}

describe('Prod Guard in a real VS Code', () => {
  before(async () => {
    const ext = vscode.extensions.getExtension<ProdGuardApi>(EXT_ID);
    assert.ok(ext, `${EXT_ID} is not loaded`);
    api = await ext.activate();
    await until((d) => d.signals.length > 0, 'first detection');
  });

  it('activates with the fake HOME and shows the development context, plain background', () => {
    const d = api.detection()!;
    assert.strictEqual(d.environment, 'development');
    assert.strictEqual(api.statusView().text, '$(tools) DEVELOPMENT · k8s dev-eu');
    assert.strictEqual(api.statusView().background, undefined);
    const k8s = d.signals.find((s) => s.kind === 'kubernetes')!;
    assert.strictEqual(k8s.source, kubeFile);
    assert.ok(d.signals.some((s) => s.kind === 'database' && s.name === 'localhost/shop' && s.environment === 'local' && s.active));
    assert.ok(d.signals.some((s) => s.name === 'orders-prod.db.example.com/orders' && !s.active));
    assert.doesNotMatch(JSON.stringify(d) + api.statusView().tooltip, /hunter2|Pr0dSecret/);
  });

  it('turns red when the kubeconfig switches to a production context', async () => {
    fs.writeFileSync(kubeFile, kubeconfig('prod-eu'));
    await until((d) => d.environment === 'production', 'production after kubeconfig rewrite');
    assert.strictEqual(api.statusView().text, '$(flame) PRODUCTION · k8s prod-eu');
    assert.strictEqual(api.statusView().background, 'error');
    assert.match(api.statusView().tooltip, /name "prod-eu" contains "prod"/);
  });

  it('a .prodguard.yaml rule reclassifies live, and a staging target turns the item yellow', async () => {
    fs.writeFileSync(kubeFile, kubeconfig('acme-tst-1'));
    await until((d) => d.signals.some((s) => s.name === 'acme-tst-1'), 'context acme-tst-1');
    assert.strictEqual(api.detection()!.environment, 'local'); // unknown context + local database
    const label = path.join(folder(), '.prodguard.yaml');
    fs.writeFileSync(label, 'rules:\n  - match: "*-tst-*"\n    kind: kubernetes\n    environment: staging\n');
    try {
      const d = await until((x) => x.environment === 'staging', 'staging from the workspace rule');
      assert.strictEqual(api.statusView().background, 'warning');
      const k8s = d.signals.find((s) => s.kind === 'kubernetes')!;
      assert.strictEqual(k8s.reason.code, 'ruleMatched');
      assert.match(api.statusView().tooltip, /rule "\\\*-tst-\\\*" in .*prodguard\.yaml matched "acme-tst-1"/);
    } finally {
      fs.rmSync(label, { force: true });
    }
    await until((d) => d.environment === 'local', 'back to local after the label file is deleted');
  });

  it('a production connection string added to .env drives the color', async () => {
    const env = path.join(folder(), '.env');
    const before = fs.readFileSync(env, 'utf8');
    fs.writeFileSync(env, before + 'ORDERS_DB=postgres://svc:TopS3cret@orders-prd.db.example.com/orders\n');
    try {
      const d = await until((x) => x.environment === 'production', 'production from .env');
      assert.ok(d.signals.some((s) => s.kind === 'database' && s.name === 'orders-prd.db.example.com/orders' && s.line === 2));
      assert.doesNotMatch(JSON.stringify(d) + api.statusView().tooltip, /TopS3cret/);
    } finally {
      fs.writeFileSync(env, before);
    }
    await until((d) => d.environment === 'local', 'back to local after .env is restored');
  });

  it('a malformed kubeconfig is reported, never crashes, and recovery is live', async () => {
    fs.writeFileSync(kubeFile, 'current-context: [oops\n');
    const d = await until((x) => x.problems.some((p) => p.source === kubeFile), 'problem for the malformed kubeconfig');
    assert.match(d.problems.find((p) => p.source === kubeFile)!.message, /invalid YAML/);
    assert.ok(!d.signals.some((s) => s.kind === 'kubernetes'));
    fs.writeFileSync(kubeFile, kubeconfig('dev-eu'));
    await until((x) => x.environment === 'development' && !x.problems.some((p) => p.source === kubeFile), 'recovery to dev-eu');
  });

  it('notices AWS files created in a folder that did not exist at startup (~/.aws)', async () => {
    const awsDir = path.join(home, '.aws');
    assert.ok(!fs.existsSync(awsDir), 'the test home starts without ~/.aws');
    fs.mkdirSync(awsDir);
    fs.writeFileSync(path.join(awsDir, 'config'), '[default]\nsso_account_id = 123456789012\nregion = eu-west-1\n');
    try {
      const d = await until((x) => x.signals.some((s) => s.kind === 'aws'), 'an AWS signal after ~/.aws/config was created');
      const aws = d.signals.find((s) => s.kind === 'aws')!;
      assert.strictEqual(aws.name, 'default');
      assert.strictEqual(aws.details.account, '123456789012');
    } finally {
      fs.rmSync(awsDir, { recursive: true, force: true });
    }
    await until((x) => !x.signals.some((s) => s.kind === 'aws'), 'the AWS signal gone after ~/.aws was removed');
  });

  it('switching the gcloud configuration turns its signal production and back, live', async () => {
    const gdir = path.join(home, '.config', 'gcloud');
    assert.ok(!fs.existsSync(gdir), 'the test home starts without gcloud');
    const gcloudSignal = (d: Detection) => d.signals.find((s) => s.kind === 'gcloud');
    try {
      fs.mkdirSync(path.join(gdir, 'configurations'), { recursive: true });
      fs.writeFileSync(path.join(gdir, 'configurations', 'config_shop-live'), '[core]\nproject = shop-prod-7\naccount = ops@shop.example\n');
      fs.writeFileSync(path.join(gdir, 'configurations', 'config_shop-dev'), '[core]\nproject = shop-dev-7\n');
      fs.writeFileSync(path.join(gdir, 'active_config'), 'shop-live');
      const d = await until((x) => gcloudSignal(x)?.environment === 'production', 'the production gcloud project');
      assert.strictEqual(gcloudSignal(d)!.name, 'shop-prod-7');
      assert.strictEqual(gcloudSignal(d)!.source, path.join(gdir, 'configurations', 'config_shop-live'));
      // At once: the watcher on the new folder has just started (the monitor re-reads once it surely runs).
      fs.writeFileSync(path.join(gdir, 'active_config'), 'shop-dev');
      const back = await until((x) => gcloudSignal(x)?.name === 'shop-dev-7', 'the development gcloud project');
      assert.strictEqual(gcloudSignal(back)!.environment, 'development');
    } finally {
      fs.rmSync(path.join(home, '.config', 'gcloud'), { recursive: true, force: true });
    }
    await until((x) => !gcloudSignal(x), 'the gcloud signal gone with its folder');
  });

  it('switching the docker context (docker context use) turns its signal production and back, live', async () => {
    const ddir = path.join(home, '.docker');
    assert.ok(!fs.existsSync(ddir), 'the test home starts without ~/.docker');
    const dockerSignal = (d: Detection) => d.signals.find((s) => s.kind === 'docker');
    const meta = (name: string, host: string): void => {
      const file = contextMetaFile(ddir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
    };
    const use = (name: string): void => fs.writeFileSync(path.join(ddir, 'config.json'), JSON.stringify({ auths: {}, currentContext: name }, null, '\t'));
    try {
      meta('shop-live', 'ssh://deploy@docker-prod-1.shop.example');
      meta('laptop', 'unix:///var/run/docker.sock');
      use('shop-live');
      const d = await until((x) => dockerSignal(x)?.environment === 'production', 'the production docker context');
      assert.strictEqual(dockerSignal(d)!.details.endpoint, 'ssh://deploy@docker-prod-1.shop.example');
      assert.match(api.statusView().text, /PRODUCTION/);
      use('laptop');
      await until((x) => dockerSignal(x)?.name === 'laptop', 'the laptop docker context');
      use('default');
      await until((x) => !dockerSignal(x), 'no docker signal on the default context');
    } finally {
      fs.rmSync(ddir, { recursive: true, force: true });
    }
  });

  it('selecting a Terraform workspace in a folder (terraform workspace select) turns its signal production and back, live', async () => {
    const tfDir = path.join(folder(), '.terraform');
    const tfSignal = (d: Detection) => d.signals.find((s) => s.kind === 'terraform');
    try {
      fs.mkdirSync(tfDir);
      fs.writeFileSync(path.join(tfDir, 'environment'), 'prod-eu');
      const d = await until((x) => tfSignal(x)?.environment === 'production', 'the production terraform workspace');
      assert.deepStrictEqual([tfSignal(d)!.name, tfSignal(d)!.source, tfSignal(d)!.line], ['prod-eu', path.join(tfDir, 'environment'), 1]);
      fs.writeFileSync(path.join(tfDir, 'environment'), 'dev');
      await until((x) => tfSignal(x)?.name === 'dev', 'the dev workspace');
    } finally {
      fs.rmSync(tfDir, { recursive: true, force: true });
    }
    await until((x) => !tfSignal(x), 'no terraform signal once .terraform is gone');
  });

  it('integrated terminals get the shims first on PATH and a confirmation socket only the user can use', async () => {
    const { socket, shimDir } = await api.terminalGuard();
    const out = path.join(folder(), 'term-env.txt');
    const term = vscode.window.createTerminal({ name: 'pg-test', shellPath: '/bin/sh', shellArgs: ['-c', `printf '%s\\n' "$PATH" "$PRODGUARD_IPC" "$(command -v kubectl)" "\${PRODGUARD_RULES-unset}" > ${out}`] });
    try {
      for (let i = 0; i < 100 && !(fs.existsSync(out) && fs.readFileSync(out, 'utf8').split('\n').length > 4); i++) await new Promise((r) => setTimeout(r, 100));
      const [envPath, ipc, kubectl, rules] = fs.readFileSync(out, 'utf8').split('\n');
      assert.strictEqual(rules, 'unset'); // user rules travel in a private file, not in the environment
      assert.strictEqual(envPath.split(':')[0], shimDir);
      assert.strictEqual(ipc, socket);
      assert.strictEqual(kubectl, path.join(shimDir, 'kubectl'));
      assert.strictEqual(fs.statSync(socket).mode & 0o777, 0o600);
    } finally {
      term.dispose();
      fs.rmSync(out, { force: true });
    }
  });

  it('a confirmation request with a wrong token, or a malformed one, gets an error and no dialog', async () => {
    const { socket } = await api.terminalGuard();
    const ask = (line: string): Promise<string> => new Promise<string>((resolve) => {
      let got = '';
      const c = net.connect(socket, () => c.write(line + '\n'));
      c.on('data', (d) => { got += d.toString(); });
      c.on('close', () => resolve(got));
      c.on('error', () => resolve(got));
    });
    const request = {
      token: 'guess', command: 'kubectl delete pod x', cwd: '/', what: 'destructive: kubectl delete',
      target: { kind: 'kubernetes', name: 'prod-eu', source: '' }, environment: 'production', why: 'x', confirmName: 'prod-eu',
    };
    assert.deepStrictEqual(JSON.parse(await ask(JSON.stringify(request))), { error: 'wrong token' });
    assert.match((JSON.parse(await ask('{"token": 1}')) as { error: string }).error, /malformed request/);
    assert.match((JSON.parse(await ask('not json')) as { error: string }).error, /malformed request/);
  });

  it('the user\'s guard settings and the socket registry are private files the shims know, not environment', async () => {
    const { socket, shimDir } = await api.terminalGuard();
    const state = path.dirname(shimDir);
    const entry = path.join(state, 'ipc', path.basename(socket));
    assert.strictEqual(fs.readFileSync(entry, 'utf8'), socket);
    assert.strictEqual(fs.statSync(entry).mode & 0o777, 0o600);
    const settings = path.join(state, 'guard-settings.json');
    assert.strictEqual(fs.statSync(settings).mode & 0o777, 0o600);
    assert.deepStrictEqual(Object.keys(JSON.parse(fs.readFileSync(settings, 'utf8')) as object), ['rules', 'guard']);
    assert.match(fs.readFileSync(path.join(shimDir, 'kubectl'), 'utf8'), new RegExp(`--state '${state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`));
  });

  it('the one-click fix adds the confirmation gate to a flagged task, keeping comments', async () => {
    const file = path.join(folder(), '.vscode', 'tasks.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{\n  // my tasks\n  "version": "2.0.0",\n  "tasks": [\n    { "label": "drop db", "type": "shell", "command": "./drop.sh", "destructive": true },\n    { "label": "build", "type": "shell", "command": "make" }\n  ]\n}\n');
    try {
      for (let i = 0; i < 50 && flaggedTasks().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      const [task] = flaggedTasks();
      assert.deepStrictEqual([task.label, task.gated], ['drop db', false]);
      assert.strictEqual(await addGate(task), true);
      const text = fs.readFileSync(file, 'utf8');
      assert.match(text, /\/\/ my tasks/);
      assert.match(text, /"command": "\$\{command:prodGuard\.confirmTask\}\.\/drop\.sh"/);
      assert.match(text, /"command": "make"/);
      for (let i = 0; i < 50 && !flaggedTasks()[0]?.gated; i++) await new Promise((r) => setTimeout(r, 100));
      assert.strictEqual(flaggedTasks()[0].gated, true);
      // Migration: the task runs under bash, where the hook asks; the gate Prod Guard wrote comes out again.
      assert.strictEqual(flaggedTasks()[0].hooked, true);
      assert.deepStrictEqual(await removeCoveredGates(), [file]);
      const migrated = fs.readFileSync(file, 'utf8');
      assert.match(migrated, /\/\/ my tasks/);
      assert.match(migrated, /"command": "\.\/drop\.sh"/);
      assert.ok(!migrated.includes('confirmTask'));
      assert.ok(await addGate(flaggedTasks()[0]));
      // Outside production the gate lets the task run without asking.
      assert.strictEqual(await vscode.commands.executeCommand('prodGuard.confirmTask'), '');
      // A label glob in prodGuard.destructiveTasks flags a task too.
      await vscode.workspace.getConfiguration('prodGuard').update('destructiveTasks', ['bu*'], vscode.ConfigurationTarget.Workspace);
      assert.deepStrictEqual(flaggedTasks().map((t) => [t.label, t.gated]), [['drop db', true], ['build', false]]);
      await vscode.workspace.getConfiguration('prodGuard').update('destructiveTasks', undefined, vscode.ConfigurationTarget.Workspace);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('tasks are flagged by a glob on their command, and by the guard when their command is destructive', async () => {
    const file = path.join(folder(), '.vscode', 'tasks.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ version: '2.0.0', tasks: [
      { label: 'reset db', type: 'shell', command: 'psql', args: ['-h', 'db.prod.acme', '-c', 'DROP TABLE users'] },
      { label: 'teardown', type: 'shell', command: 'cd infra && terraform destroy -auto-approve' },
      { label: 'list pods', type: 'shell', command: 'kubectl get pods | grep api' },
      { label: 'wipe cache', type: 'process', command: 'redis-cli', args: ['-h', 'cache', 'FLUSHALL'] },
      { label: 'custom', type: 'shell', command: './scripts/nuke.sh --all' },
    ] }, null, 2));
    try {
      const cli = path.join(vscode.extensions.getExtension(EXT_ID)!.extensionPath, 'dist', 'cli.js');
      const { judgeTaskLine } = require(cli) as { judgeTaskLine: (l: string, c: string) => string | undefined };
      for (let i = 0; i < 50 && flaggedTasks(judgeTaskLine).length < 3; i++) await new Promise((r) => setTimeout(r, 100));
      const flagged = flaggedTasks(judgeTaskLine);
      assert.deepStrictEqual(flagged.map((t) => [t.label, t.why.by]),
        [['reset db', 'guard'], ['teardown', 'guard'], ['wipe cache', 'guard']]);
      assert.match((flagged[0].why as { what: string }).what, /DROP TABLE users/);
      assert.strictEqual(flagged[0].command, "psql -h db.prod.acme -c 'DROP TABLE users'");
      // A glob in prodGuard.destructiveTasks may match the command line, not only the label.
      await vscode.workspace.getConfiguration('prodGuard').update('destructiveTasks', ['*nuke.sh*'], vscode.ConfigurationTarget.Workspace);
      assert.deepStrictEqual(flaggedTasks().map((t) => [t.label, t.why.by]), [['custom', 'glob']]);
      await vscode.workspace.getConfiguration('prodGuard').update('destructiveTasks', undefined, vscode.ConfigurationTarget.Workspace);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('a task flagged with PRODGUARD_DESTRUCTIVE in options.env raises no tasks.json diagnostic ("destructive": true does)', async () => {
    const file = path.join(folder(), '.vscode', 'tasks.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const write = (task: object): void => fs.writeFileSync(file, JSON.stringify({ version: '2.0.0', tasks: [task] }, null, 2));
    const diagnostics = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(vscode.Uri.file(file));
    const wait = async (pred: () => boolean, what: string, ms = 30_000): Promise<void> => {
      for (const end = Date.now() + ms; !pred(); await new Promise((r) => setTimeout(r, 200))) {
        if (Date.now() > end) throw new Error(`timed out: ${what}; diagnostics: ${JSON.stringify(diagnostics().map((d) => d.message))}`);
      }
    };
    try {
      // The control: the old property is unknown to VS Code's tasks schema, so the JSON service reports it.
      write({ label: 'drop db', type: 'shell', command: './drop.sh', destructive: true });
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc);
      await wait(() => diagnostics().some((d) => /destructive/.test(d.message)), 'the schema warning on "destructive"');
      write({ label: 'drop db', type: 'shell', command: './drop.sh', options: { env: { PRODGUARD_DESTRUCTIVE: '1' } } });
      await wait(() => doc.getText().includes('PRODGUARD_DESTRUCTIVE') && diagnostics().length === 0, 'no diagnostics');
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepStrictEqual(diagnostics().map((d) => d.message), []);
      await wait(() => flaggedTasks().length === 1, 'the task flagged');
      assert.deepStrictEqual(flaggedTasks().map((t) => [t.label, t.why.by, t.hooked]), [['drop db', 'env', true]]);
      // A task whose own environment sets BASH_ENV takes the hook out of its process: it is not counted as asked.
      write({ label: 'drop db', type: 'shell', command: './drop.sh', options: { env: { PRODGUARD_DESTRUCTIVE: '1', BASH_ENV: '' } } });
      await wait(() => flaggedTasks()[0]?.hooked === false, 'the task counted as not hooked');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('every command in package.json is registered, and only those', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string; category: string }> } };
    const declared = pkg.contributes.commands.map((c) => c.command).sort();
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('prodGuard.')).sort();
    assert.deepStrictEqual(registered, declared);
    for (const c of pkg.contributes.commands) assert.ok(c.category, `${c.command} has a category`);
  });

  it('"Protect AI Agents" writes a working hook into the agents found, twice without harm; "Remove" takes it out', async () => {
    const agentHome = fs.mkdtempSync(path.join(home, 'agents-'));
    try {
      fs.mkdirSync(path.join(agentHome, '.claude'));
      fs.mkdirSync(path.join(agentHome, '.cursor'));
      fs.writeFileSync(path.join(agentHome, '.claude', 'settings.json'), '{\n  // mine\n  "model": "opus"\n}\n');
      const written = await vscode.commands.executeCommand<string[]>('prodGuard.protectAgents', { home: agentHome, confirm: true });
      assert.deepStrictEqual(written.sort(), [path.join(agentHome, '.claude', 'settings.json'), path.join(agentHome, '.cursor', 'hooks.json')]);
      assert.ok(!fs.existsSync(path.join(agentHome, '.gemini')), 'an agent that is not installed is left alone');
      const claude = fs.readFileSync(path.join(agentHome, '.claude', 'settings.json'), 'utf8');
      assert.match(claude, /\/\/ mine/);
      const command = (JSON.parse(claude.replace(/\/\/ mine\n/, '')) as { hooks: { PreToolUse: Array<{ hooks: Array<{ command: string }> }> } })
        .hooks.PreToolUse[0].hooks[0].command;
      // The hook the agent will run answers as documented: ask for a production-destructive line.
      const { shimDir } = await api.terminalGuard();
      assert.ok(command.startsWith(path.join(shimDir, 'prod-guard')), command);
      const input = JSON.stringify({ tool_name: 'Bash', cwd: folder(), permission_mode: 'default', hook_event_name: 'PreToolUse',
        tool_input: { command: 'kubectl --context prod-eu delete ns payments' } });
      const out = require('child_process').execSync(command, { input, encoding: 'utf8' }) as string;
      assert.strictEqual((JSON.parse(out) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision, 'ask');
      // Twice: nothing to change.
      assert.deepStrictEqual(await vscode.commands.executeCommand('prodGuard.protectAgents', { home: agentHome, confirm: true }), []);
      const removed = await vscode.commands.executeCommand<string[]>('prodGuard.unprotectAgents', { home: agentHome, confirm: true });
      assert.strictEqual(removed.length, 2);
      assert.doesNotMatch(fs.readFileSync(path.join(agentHome, '.claude', 'settings.json'), 'utf8'), /prod-guard/);
      assert.match(fs.readFileSync(path.join(agentHome, '.claude', 'settings.json'), 'utf8'), /"model": "opus"/);
    } finally {
      fs.rmSync(agentHome, { recursive: true, force: true });
    }
  });

  it('"Open Workspace Label" creates a commented .prodguard.yaml that changes nothing, and opens it', async () => {
    const label = path.join(folder(), '.prodguard.yaml');
    try {
      await vscode.commands.executeCommand('prodGuard.openWorkspaceConfig');
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, label);
      const d = await api.refresh();
      assert.deepStrictEqual(d.problems.filter((p) => p.source === label), []);
      assert.strictEqual(d.environment, 'development');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(label, { force: true });
    }
  });

  it('refresh re-reads everything and resolves with the new detection', async () => {
    const d = await vscode.commands.executeCommand('prodGuard.refresh').then(() => api.detection()!);
    assert.strictEqual(d.environment, 'development');
  });

  it('a status bar created from a monitor stops rendering once disposed', () => {
    const emitter = new vscode.EventEmitter<Detection>();
    const fake = { current: undefined, onDidChange: emitter.event, settings: DEFAULT_SETTINGS };
    const bar = createStatusBar(fake, 'prodGuard.showDetails');
    const prod: Detection = { environment: 'production', problems: [], signals: [{ kind: 'kubernetes', name: 'prod-x', environment: 'production', reason: { code: 'noMatch' }, source: '/x', active: true, identifiers: ['prod-x'], details: {} }] };
    emitter.fire(prod);
    assert.match(bar.item.text, /PRODUCTION/);
    bar.dispose();
    emitter.fire({ environment: 'staging', problems: [], signals: [] });
    assert.match(bar.view.text, /PRODUCTION/);
    emitter.dispose();
  });
});
