// End-to-end: tasks flagged destructive ask before their process runs in production, in every way a task runs —
// a folder's tasks.json, a .code-workspace file, an npm script, a dependsOn child, a launch configuration's
// preLaunchTask and a process task — with nothing written into the team's files. Each task appends a line to
// its own marker file outside the (git-tracked) demo workspace.
import assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { kubeconfig, writeFiles } from '../../scripts/lib/codeServer.mjs';
import { runCases, waitFor } from './harness.mjs';

const FLAG = { env: { PRODGUARD_DESTRUCTIVE: '1' } };

/** The demo workspace: a git repository with one folder, a workspace file, tasks, an npm script and a launch config. */
function makeDemo(base) {
  const demo = path.join(base, 'demo');
  const app = path.join(demo, 'app');
  const markers = path.join(base, 'markers');
  fs.mkdirSync(markers, { recursive: true });
  const m = (name) => path.join(markers, name);
  const append = (name) => `echo ran >> ${m(name)}`;
  writeFiles(app, {
    '.vscode/tasks.json': JSON.stringify({
      version: '2.0.0',
      tasks: [
        { label: 'wipe data', type: 'shell', command: append('folder'), options: FLAG, problemMatcher: [] },
        { label: 'wipe child', type: 'shell', command: append('child'), options: FLAG, problemMatcher: [] },
        { label: 'deploy all', dependsOn: ['wipe child'], problemMatcher: [] },
        { label: 'wipe before launch', type: 'shell', command: append('prelaunch'), options: FLAG, problemMatcher: [] },
        { label: 'wipe process', type: 'process', command: '${workspaceFolder}/scripts/wipe.sh', args: [m('process')], options: FLAG, problemMatcher: [] },
        { label: 'build', type: 'shell', command: append('build'), problemMatcher: [] },
        { label: 'wipe on open', type: 'shell', command: append('folderopen'), options: FLAG, runOptions: { runOn: 'folderOpen' }, problemMatcher: [] },
        { label: 'restart web', type: 'shell', command: `kubectl delete pod web-1 --request-timeout=2s </dev/null; ${append('kubectl')}`, problemMatcher: [] },
        { label: 'wipe under sh', type: 'shell', command: `sleep 3; ${append('sh')}`, options: { ...FLAG, shell: { executable: '/bin/sh' } }, problemMatcher: [] },
      ],
    }, null, 2),
    '.vscode/launch.json': JSON.stringify({
      version: '0.2.0',
      configurations: [{ name: 'Launch app', type: 'node', request: 'launch', program: '${workspaceFolder}/program.js', args: [m('program')], preLaunchTask: 'wipe before launch' }],
    }, null, 2),
    'package.json': JSON.stringify({ name: 'demo-app', version: '1.0.0', scripts: { 'db:wipe': append('npm'), 'db:list': 'true' } }, null, 2),
    'scripts/wipe.sh': '#!/bin/bash\necho ran >> "$1"\n',
    'program.js': "require('fs').appendFileSync(process.argv[2], 'ran\\n');\n",
  });
  fs.chmodSync(path.join(app, 'scripts', 'wipe.sh'), 0o755);
  // The user's own tasks (tasks.json in the user data folder), outside any repository.
  writeFiles(path.join(base, 'user-data', 'User'), {
    'tasks.json': JSON.stringify({ version: '2.0.0', tasks: [{ label: 'wipe user', type: 'shell', command: append('user'), options: FLAG, problemMatcher: [] }] }, null, 2),
  });
  const workspaceFile = path.join(demo, 'demo.code-workspace');
  writeFiles(demo, {
    'demo.code-workspace': JSON.stringify({
      folders: [{ path: 'app' }],
      settings: { 'prodGuard.destructiveTasks': ['db:wipe'], 'npm.autoDetect': 'on', 'task.problemMatchers.neverPrompt': true, 'task.allowAutomaticTasks': 'on' },
      tasks: { version: '2.0.0', tasks: [{ label: 'wipe workspace', type: 'shell', command: append('workspace'), options: FLAG, problemMatcher: [] }] },
    }, null, 2),
  });
  const git = (...a) => execFileSync('git', a, { cwd: demo, stdio: 'pipe' }).toString();
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'demo');
  return { demo, app, markers, m, workspaceFile, gitStatus: () => git('status', '--porcelain') };
}

/** Runs a palette command by its title. */
async function palette(page, title) {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const cmd = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await cmd.waitFor({ state: 'visible', timeout: 10_000 });
  await cmd.click();
}

/**
 * Tasks: Run Task, then the task: its row when listed at the first level (configured or recently used), else
 * its provider's group (`npm`), then the task in it.
 */
async function runTaskFromPicker(page, label, group) {
  await palette(page, 'Tasks: Run Task');
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 20_000 });
  await new Promise((r) => setTimeout(r, 500));
  const name = group ? `${group}: ${label}` : label;
  const direct = page.locator(`.quick-input-widget .monaco-list-row[aria-label^="${name},"], .quick-input-widget .monaco-list-row[aria-label="${name}"]`).first();
  if (await direct.isVisible()) {
    await direct.click();
    return;
  }
  await page.locator(`.quick-input-widget .monaco-list-row[aria-label="All ${group} tasks"]`).first().click();
  const row = page.locator(`.quick-input-widget .monaco-list-row[aria-label^="${name},"]`).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click();
}

const lines = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).length : 0);

/** Lets automatic tasks (`runOn: folderOpen`) run in this sandbox; call before the server starts. */
export function allowAutomaticTasks(sandbox) {
  const file = path.join(sandbox.userData, 'User', 'settings.json');
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), 'task.allowAutomaticTasks': 'on' }, null, 2));
}

/**
 * Runs the task cases; returns { passed, failed }. The server must run with `task.allowAutomaticTasks: "on"` in
 * the user settings (see `allowAutomaticTasks`), as for a user who lets trusted folders run tasks on open.
 */
export async function runTaskE2eTests({ server, browser, sandbox, shotDir }) {
  const d = makeDemo(sandbox.base);
  const kubeFile = path.join(sandbox.home, '.kube', 'config');
  const auditFile = path.join(sandbox.home, '.local', 'state', 'prod-guard', 'audit.jsonl');
  const audit = () => (fs.existsSync(auditFile) ? fs.readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []);
  fs.writeFileSync(kubeFile, kubeconfig('prod-eu', ['dev-eu', 'prod-eu']));
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const dialog = page.locator('.monaco-dialog-box');

  const answer = async (button, timeout = 30_000) => {
    await dialog.waitFor({ state: 'visible', timeout });
    const text = await dialog.innerText();
    await dialog.getByRole('button', { name: button }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    return text;
  };
  const confirm = async (name) => {
    const text = await answer(/Type the name/);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(name);
    await input.press('Enter');
    return text;
  };
  /** Cancel, then: the marker never appears, the audit log names the task, the modal named label, command, folder. */
  const cancelCase = async (start, label, marker, folderPattern, commandPattern = /Command: echo ran >> /) => {
    const before = audit().length;
    await start();
    const text = await answer('Cancel');
    assert.match(text, new RegExp(`Run task "${label}" while your tools point at PRODUCTION\\?`));
    assert.match(text, commandPattern);
    assert.match(text, folderPattern);
    assert.match(text, /Target: k8s prod-eu/);
    assert.match(text, /Why: production: name "prod-eu" contains "prod"/);
    await waitFor(() => audit().length > before, 'the audit entry');
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(fs.existsSync(d.m(marker)), false, `task "${label}" must not have run`);
    const e = audit().at(-1);
    assert.deepStrictEqual([e.task?.label, e.decision, e.channel, e.target?.name], [label, 'cancelled', 'task', 'prod-eu']);
  };
  const confirmCase = async (start, marker) => {
    await start();
    await confirm('prod-eu');
    await waitFor(() => lines(d.m(marker)) >= 1, `marker ${marker}`);
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(lines(d.m(marker)), 1, 'the task ran exactly once');
    assert.strictEqual(audit().at(-1).decision, 'confirmed');
  };
  const runTask = (label, group) => () => runTaskFromPicker(page, label, group);
  const folderRe = new RegExp(`Folder: ${d.app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

  const cases = [
    ['the demo workspace opens in production', async () => {
      await page.goto(`${server.url}/?workspace=${encodeURIComponent(d.workspaceFile)}`);
      await page.waitForFunction(() => /PRODUCTION/.test(document.querySelector('.statusbar-item[id$="prodGuard.status"]')?.textContent ?? ''), null, { timeout: 60_000 });
    }],
    ['runOn folderOpen: the automatic task asks as the window opens; Cancel stops it', async () => {
      const text = await answer('Cancel', 60_000);
      assert.match(text, /Run task "wipe on open" while your tools point at PRODUCTION\?/);
      await waitFor(() => audit().some((e) => e.task?.label === 'wipe on open'), 'the audit entry');
      await new Promise((r) => setTimeout(r, 1500));
      assert.strictEqual(fs.existsSync(d.m('folderopen')), false, 'the automatic task must not have run');
      assert.deepStrictEqual(audit().filter((e) => e.task?.label === 'wipe on open').map((e) => e.decision), ['cancelled']);
    }],
    ['folder tasks.json: Cancel stops the task before its command; the audit names it', () =>
      cancelCase(runTask('wipe data'), 'wipe data', 'folder', folderRe)],
    ['folder tasks.json: typing the context name runs it once', () => confirmCase(runTask('wipe data'), 'folder')],
    ['.code-workspace task: Cancel stops it', () =>
      cancelCase(runTask('wipe workspace'), 'wipe workspace', 'workspace', /Folder: .*demo\.code-workspace/)],
    ['.code-workspace task: confirming runs it once', () => confirmCase(runTask('wipe workspace'), 'workspace')],
    ['user task: Cancel stops it', () => cancelCase(runTask('wipe user'), 'wipe user', 'user', /Folder: user tasks/)],
    ['user task: confirming runs it once', () => confirmCase(runTask('wipe user'), 'user')],
    ['npm script task (flagged by a prodGuard.destructiveTasks glob): Cancel stops it', () =>
      cancelCase(runTask('db:wipe', 'npm'), 'db:wipe', 'npm', folderRe, /Command: npm run db:wipe/)],
    ['npm script task: confirming runs it once', () => confirmCase(runTask('db:wipe', 'npm'), 'npm')],
    ['dependsOn child: Cancel stops the child', () => cancelCase(runTask('deploy all'), 'wipe child', 'child', folderRe)],
    ['dependsOn child: confirming runs it once', () => confirmCase(runTask('deploy all'), 'child')],
    ['process task (a bash script): Cancel stops it', () => cancelCase(runTask('wipe process'), 'wipe process', 'process', folderRe, /Command: \S*scripts\/wipe\.sh /)],
    ['process task: confirming runs it once', () => confirmCase(runTask('wipe process'), 'process')],
    ['preLaunchTask: Cancel stops the task, and the launch with it', async () => {
      await cancelCase(() => palette(page, 'Debug: Start Debugging'), 'wipe before launch', 'prelaunch', folderRe);
      // VS Code reports the failed preLaunchTask; abort the launch.
      const abort = dialog.getByRole('button', { name: /Abort|Cancel/ });
      await abort.first().waitFor({ state: 'visible', timeout: 15_000 });
      await abort.first().click();
      await new Promise((r) => setTimeout(r, 1500));
      assert.strictEqual(fs.existsSync(d.m('program')), false, 'the program must not have been launched');
    }],
    ['preLaunchTask: confirming runs it once, then the program', async () => {
      await confirmCase(() => palette(page, 'Debug: Start Debugging'), 'prelaunch');
      await waitFor(() => lines(d.m('program')) === 1, 'the launched program');
    }],
    ['a flagged task under sh, where no hook can ask, is stopped as it starts in production', async () => {
      const before = audit().length;
      await runTask('wipe under sh')();
      await dialog.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await dialog.innerText(), /Prod Guard stopped task "wipe under sh" as it started: .* runs under sh/);
      await dialog.getByRole('button', { name: 'OK' }).click();
      await new Promise((r) => setTimeout(r, 4000));
      assert.strictEqual(fs.existsSync(d.m('sh')), false, 'the stopped task must not have reached its write');
      const e = audit().slice(before).at(-1);
      assert.deepStrictEqual([e?.task?.label, e?.decision], ['wipe under sh', 'refused']);
    }],
    ['a task the guard flags (kubectl delete) asks once: the shim inside the confirmed task does not ask again', async () => {
      await runTask('restart web')();
      const text = await confirm('prod-eu');
      assert.match(text, /Run task "restart web" while your tools point at PRODUCTION\?/);
      assert.match(text, /Flagged: its command is destructive \(kubectl: .*delete/);
      await waitFor(() => lines(d.m('kubectl')) === 1, 'the task finished');
      assert.strictEqual(await dialog.isVisible(), false, 'no second dialog from the kubectl shim');
      const entries = audit();
      assert.deepStrictEqual(entries.filter((e) => e.task?.label === 'restart web').map((e) => e.decision), ['confirmed']);
      // The shim records its own run, confirmed by the task's confirmation.
      assert.deepStrictEqual(entries.at(-1).command, 'kubectl delete pod web-1 --request-timeout=2s');
      assert.deepStrictEqual(entries.at(-1).decision, 'confirmed');
    }],
    ['an unflagged task runs without asking in production', async () => {
      await runTask('build')();
      await waitFor(() => lines(d.m('build')) === 1, 'build marker');
      assert.strictEqual(await dialog.isVisible(), false);
    }],
    ['in development nothing asks: every flagged task runs at once', async () => {
      fs.writeFileSync(kubeFile, kubeconfig('dev-eu', ['dev-eu', 'prod-eu']));
      await page.waitForFunction(() => /DEVELOPMENT/.test(document.querySelector('.statusbar-item[id$="prodGuard.status"]')?.textContent ?? ''), null, { timeout: 20_000 });
      for (const [start, marker] of [[runTask('wipe data'), 'folder'], [runTask('wipe workspace'), 'workspace'], [runTask('db:wipe', 'npm'), 'npm'],
        [runTask('deploy all'), 'child'], [runTask('wipe process'), 'process']]) {
        await start();
        await waitFor(() => lines(d.m(marker)) === 2, `${marker} ran in development`);
        assert.strictEqual(await dialog.isVisible(), false, 'no dialog in development');
      }
    }],
    ['git status of the demo workspace stays clean', async () => {
      assert.strictEqual(d.gitStatus(), '');
    }],
  ];
  try {
    return await runCases(page, cases, {
      label: 'task e2e', shotDir,
      // A failed case must not leave a dialog or a picker open for the next one.
      onFailure: async () => {
        for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
        if (await dialog.isVisible()) await dialog.getByRole('button', { name: /Cancel|Abort/ }).first().click().catch(() => {});
        return '';
      },
    });
  } finally {
    await page.close();
  }
}
