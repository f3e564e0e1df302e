// The gcloud detector against the real Google Cloud CLI: for each state of a config folder (written by gcloud
// itself or by hand in its format) and environment, the project, account and active configuration the
// detector reports are the ones `gcloud config list` reports, and where gcloud refuses the folder or runs with
// no project, the detector reports a problem and no signal. Skips (saying so) where gcloud is not installed.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { detectGcloud } from '../../src/core/gcloud';
import { tempDir, writeTree } from '../unit/helpers';
import { which } from './support';

interface GcloudView { ok: boolean; config?: string; project?: string; account?: string }

/** What gcloud itself says: `gcloud config list` and the active one of `gcloud config configurations list`. */
function gcloudSays(env: NodeJS.ProcessEnv): GcloudView {
  const r = spawnSync('gcloud', ['config', 'list', '--format=json'], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return { ok: false };
  const core = (JSON.parse(r.stdout) as { core?: { project?: string; account?: string } }).core ?? {};
  const active = spawnSync('gcloud', ['config', 'configurations', 'list', '--filter=is_active=true', '--format=value(name)'],
    { env, encoding: 'utf8', timeout: 60_000 });
  return { ok: true, config: active.stdout.trim() || undefined, project: core.project, account: core.account };
}

describe('gcloud detector against the real gcloud', function () {
  this.timeout(120_000);
  let home: string;
  let dir: string;
  before(function () {
    if (!which('gcloud')) {
      console.log('      (gcloud is not installed here: skipped)');
      this.skip();
    }
    home = tempDir('gcloud-');
    dir = path.join(home, '.config', 'gcloud');
  });
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH, HOME: home, CLOUDSDK_CORE_DISABLE_PROMPTS: '1', CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1', ...extra,
  });
  const check = (what: string, extra: NodeJS.ProcessEnv, expect: 'signal' | 'none'): void => {
    const g = gcloudSays(env(extra));
    const d = detectGcloud(env(extra), home, nodeFiles);
    const s = d.signals[0];
    if (expect === 'signal') {
      assert.ok(g.ok, `${what}: gcloud should load`);
      assert.ok(s, `${what}: a signal (gcloud: ${JSON.stringify(g)}; problems: ${JSON.stringify(d.problems)})`);
      assert.deepStrictEqual([s.details.configuration, s.details.project, s.details.account], [g.config, g.project, g.account], what);
    } else {
      assert.strictEqual(s, undefined, `${what}: no signal, as gcloud has no project (${JSON.stringify(g)})`);
      assert.ok(!g.ok || g.project === undefined, `${what}: gcloud ${JSON.stringify(g)}`);
    }
  };

  it('a fresh HOME: gcloud has no project, and there is no signal', () => check('fresh', {}, 'none'));

  it('configurations created and activated by gcloud itself', () => {
    const run = (...a: string[]): void => {
      const r = spawnSync('gcloud', a, { env: env(), encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
    };
    run('config', 'configurations', 'create', 'prod-eu', '--no-activate');
    run('config', 'set', 'project', 'acme-prod-1', '--configuration', 'prod-eu');
    run('config', 'set', 'account', 'ops@acme.example', '--configuration', 'prod-eu');
    run('config', 'configurations', 'create', 'dev', '--no-activate');
    run('config', 'set', 'project', 'acme-dev', '--configuration', 'dev');
    run('config', 'configurations', 'activate', 'prod-eu');
    check('activated prod-eu', {}, 'signal');
    const d = detectGcloud(env(), home, nodeFiles);
    assert.deepStrictEqual([d.signals[0].name, d.signals[0].source, d.signals[0].line], ['acme-prod-1', path.join(dir, 'configurations', 'config_prod-eu'), 2]);
  });

  it('CLOUDSDK_ACTIVE_CONFIG_NAME and CLOUDSDK_CORE_PROJECT win over the files', () => {
    check('env config dev', { CLOUDSDK_ACTIVE_CONFIG_NAME: 'dev' }, 'signal');
    check('env project', { CLOUDSDK_CORE_PROJECT: 'acme-override' }, 'signal');
    assert.strictEqual(detectGcloud(env({ CLOUDSDK_CORE_PROJECT: 'acme-override' }), home, nodeFiles).signals[0].source, 'env:CLOUDSDK_CORE_PROJECT');
  });

  it('a configuration name gcloud cannot load (trailing newline, leading space, missing): a problem, no signal', () => {
    fs.writeFileSync(path.join(dir, 'active_config'), 'prod-eu\n');
    check('trailing newline', {}, 'none');
    assert.match(detectGcloud(env(), home, nodeFiles).problems[0].message, /not a gcloud configuration name/);
    fs.writeFileSync(path.join(dir, 'active_config'), 'prod-eu');
    check('env names a missing configuration', { CLOUDSDK_ACTIVE_CONFIG_NAME: 'nope' }, 'none');
    assert.match(detectGcloud(env({ CLOUDSDK_ACTIVE_CONFIG_NAME: 'nope' }), home, nodeFiles).problems[0].message, /"nope" does not exist/);
    check('env name with a space', { CLOUDSDK_ACTIVE_CONFIG_NAME: ' prod-eu' }, 'none');
  });

  it('a configuration file gcloud refuses (configparser errors): a problem with its line, no signal', () => {
    const file = path.join(dir, 'configurations', 'config_prod-eu');
    const good = fs.readFileSync(file, 'utf8');
    for (const bad of ['[core]\nproject acme\n', '[core]\nproject = a\n[core]\nproject = b\n']) {
      fs.writeFileSync(file, bad);
      check(JSON.stringify(bad), {}, 'none');
      const d = detectGcloud(env(), home, nodeFiles);
      assert.strictEqual(d.problems[0].source, file);
      assert.ok(d.problems[0].line! >= 2, JSON.stringify(d.problems));
    }
    fs.writeFileSync(file, good);
  });

  it('no active_config: gcloud rebuilds the default configuration from the legacy properties file', () => {
    fs.rmSync(path.join(dir, 'active_config'));
    // config_default's own content does not count: gcloud's next run rewrites it (empty without `properties`).
    writeTree(dir, { 'configurations/config_default': '[core]\nproject = acme-stale\n' });
    assert.strictEqual(detectGcloud(env(), home, nodeFiles).signals.length, 0);
    check('no active_config, no properties', {}, 'none');
    fs.rmSync(path.join(dir, 'active_config'));
    writeTree(dir, { properties: '[core]\nproject = legacy-prod\naccount = old@acme.example\n' });
    const d = detectGcloud(env(), home, nodeFiles);
    check('no active_config, legacy properties', {}, 'signal');
    assert.deepStrictEqual([d.signals[0].name, d.signals[0].source], ['legacy-prod', path.join(dir, 'properties')]);
  });
});
