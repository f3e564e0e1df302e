// The gcloud detector's table, from the documented files (checked against the real gcloud in
// test/system/gcloud-real.test.ts): which configuration is active, its project and account, and every way the
// folder can be wrong.
import * as assert from 'assert';
import * as path from 'path';
import { detectAll } from '../../src/core/detect';
import { nodeFiles } from '../../src/core/files';
import { detectGcloud, gcloudConfigDir } from '../../src/core/gcloud';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { tempDir, writeTree } from './helpers';

describe('gcloud detection', () => {
  const home = tempDir('gcloud-unit-');
  const dir = path.join(home, '.config', 'gcloud');
  writeTree(dir, {
    active_config: 'prod-eu',
    'configurations/config_prod-eu': '[core]\nproject = acme-prod-1\naccount = ops@acme.example\n\n[compute]\nregion = europe-west1\n',
    'configurations/config_dev': '[core]\naccount = me@acme.example\nproject = acme-dev\n',
    'configurations/config_broken': '[core]\nproject acme\n',
    'configurations/config_empty': '[core]\n',
    properties: '[core]\nproject = legacy-stg\n',
  });
  const detect = (env: NodeJS.ProcessEnv = {}): ReturnType<typeof detectGcloud> => detectGcloud(env, home, nodeFiles);
  const summary = (env: NodeJS.ProcessEnv = {}): unknown => {
    const r = detect(env);
    const s = r.signals[0];
    return s ? [s.name, s.details.configuration, s.details.account, s.source.replace(home, '~'), s.line] : r.problems.map((p) => p.message);
  };

  const rows: [string, NodeJS.ProcessEnv, unknown][] = [
    ['active_config names the configuration', {}, ['acme-prod-1', 'prod-eu', 'ops@acme.example', '~/.config/gcloud/configurations/config_prod-eu', 2]],
    ['CLOUDSDK_ACTIVE_CONFIG_NAME wins over active_config', { CLOUDSDK_ACTIVE_CONFIG_NAME: 'dev' },
      ['acme-dev', 'dev', 'me@acme.example', '~/.config/gcloud/configurations/config_dev', 3]],
    ['an empty CLOUDSDK_ACTIVE_CONFIG_NAME is unset', { CLOUDSDK_ACTIVE_CONFIG_NAME: '' }, ['acme-prod-1', 'prod-eu', 'ops@acme.example', '~/.config/gcloud/configurations/config_prod-eu', 2]],
    ['CLOUDSDK_CORE_PROJECT overrides the project, and is the source', { CLOUDSDK_CORE_PROJECT: 'acme-other' },
      ['acme-other', 'prod-eu', 'ops@acme.example', 'env:CLOUDSDK_CORE_PROJECT', undefined]],
    ['CLOUDSDK_CORE_ACCOUNT overrides the account', { CLOUDSDK_CORE_ACCOUNT: 'bot@acme.example' },
      ['acme-prod-1', 'prod-eu', 'bot@acme.example', '~/.config/gcloud/configurations/config_prod-eu', 2]],
    ['a configuration with nothing set points at nothing', { CLOUDSDK_ACTIVE_CONFIG_NAME: 'empty' }, []],
    ['a missing configuration is a problem', { CLOUDSDK_ACTIVE_CONFIG_NAME: 'nope' },
      [`gcloud configuration "nope" does not exist (no ${path.join(dir, 'configurations', 'config_nope')})`]],
    ['a configuration gcloud refuses is a problem', { CLOUDSDK_ACTIVE_CONFIG_NAME: 'broken' }, [/^.+$/]],
    ['a name with a path in it is refused, never read', { CLOUDSDK_ACTIVE_CONFIG_NAME: '../../etc/passwd' },
      ['"../../etc/passwd" is not a gcloud configuration name: gcloud runs with no project set']],
    ['a name with a trailing newline is not the configuration (gcloud does not trim)', { CLOUDSDK_ACTIVE_CONFIG_NAME: 'prod-eu\n' },
      ['"prod-eu\\n" is not a gcloud configuration name: gcloud runs with no project set']],
    ['CLOUDSDK_CONFIG moves the folder', { CLOUDSDK_CONFIG: path.join(home, 'elsewhere') }, []],
  ];
  for (const [name, env, want] of rows) {
    it(name, () => {
      const got = summary(env);
      if (Array.isArray(want) && want[0] instanceof RegExp) {
        assert.ok(Array.isArray(got) && got.length === 1 && typeof got[0] === 'string', JSON.stringify(got));
        assert.strictEqual(detect(env).problems[0].line, 2);
      } else assert.deepStrictEqual(got, want);
    });
  }

  it('no active_config: the legacy properties file gcloud rebuilds the default configuration from', () => {
    const other = tempDir('gcloud-unit-legacy-');
    writeTree(path.join(other, '.config', 'gcloud'), { properties: '[core]\nproject = legacy-stg\n', 'configurations/config_default': '[core]\nproject = stale\n' });
    const s = detectGcloud({}, other, nodeFiles).signals[0];
    assert.deepStrictEqual([s.name, s.details.configuration], ['legacy-stg', 'default']);
    // A machine without gcloud: nothing, no problem; the files it would read are watched.
    const none = tempDir('gcloud-unit-none-');
    const r = detectGcloud({}, none, nodeFiles);
    assert.deepStrictEqual([r.signals, r.problems], [[], []]);
    assert.deepStrictEqual(r.watched, [path.join(gcloudConfigDir({}, none), 'active_config'), path.join(none, '.config', 'gcloud', 'properties')]);
  });

  it('identifiers are the configuration, the project and the account; "prod" in the project makes it production', async () => {
    assert.deepStrictEqual(detect().signals[0].identifiers, ['prod-eu', 'acme-prod-1', 'ops@acme.example']);
    const d = await detectAll({ env: { CLOUDSDK_ACTIVE_CONFIG_NAME: 'dev' }, home, folders: [], settings: DEFAULT_SETTINGS, files: nodeFiles });
    assert.strictEqual(d.signals.find((s) => s.kind === 'gcloud')?.environment, 'development');
    const p = await detectAll({ env: {}, home, folders: [], settings: DEFAULT_SETTINGS, files: nodeFiles });
    assert.strictEqual(p.environment, 'production');
    // A rule for the gcloud kind only, on the configuration name.
    const settings = { ...DEFAULT_SETTINGS, rules: [{ match: 'dev', kind: 'gcloud' as const, environment: 'production' as const }] };
    const r = await detectAll({ env: { CLOUDSDK_ACTIVE_CONFIG_NAME: 'dev' }, home, folders: [], settings, files: nodeFiles });
    assert.strictEqual(r.signals.find((s) => s.kind === 'gcloud')?.environment, 'production');
  });
});
