import * as assert from 'assert';
import * as path from 'path';
import { detectAll } from '../../src/core/detect';
import { nodeFiles } from '../../src/core/files';
import { DEFAULT_SETTINGS, sanitizeSettings } from '../../src/core/settings';
import { detectWorkspaceConfig } from '../../src/core/workspace';
import { tempDir, writeTree } from './helpers';

describe('.prodguard.yaml', () => {
  it('labels the workspace and reads rules with their origin', () => {
    const d = tempDir();
    writeTree(d, { '.prodguard.yaml': 'environment: production\nrules:\n  - match: "*-prd-*"\n    environment: production\n  - match: "*-tst-*"\n    kind: kubernetes\n    environment: staging\n' });
    const r = detectWorkspaceConfig(d, nodeFiles);
    assert.strictEqual(r.signals[0].kind, 'workspace');
    assert.strictEqual(r.signals[0].fixed?.environment, 'production');
    assert.strictEqual(r.signals[0].line, 1);
    assert.deepStrictEqual(r.rules.map((x) => [x.match, x.kind, x.environment, x.origin.file]), [
      ['*-prd-*', undefined, 'production', path.join(d, '.prodguard.yaml')],
      ['*-tst-*', 'kubernetes', 'staging', path.join(d, '.prodguard.yaml')],
    ]);
    assert.deepStrictEqual(r.problems, []);
  });
  const bad: Array<[string, RegExp, number | undefined]> = [
    ['environment: productoin\n', /"environment" must be one of/, 1],
    ['rules: nope\n', /"rules" must be a list/, 1],
    ['rules:\n  - match: x\n    environment: bogus\n', /must be one of production/, 2],
    ['rules:\n  - environment: production\n', /non-empty "match"/, 2],
    ['rules:\n  - match: x\n    environment: local\n    kind: gcp\n', /"kind" must be one of/, 2],
    ['colour: red\n', /unknown key "colour"/, 1],
    ['environment: [\n', /invalid YAML/, undefined],
    ['- a\n', /expected a mapping/, 1],
  ];
  for (const [text, message, line] of bad) {
    it(`reports ${JSON.stringify(text)}`, () => {
      const d = tempDir();
      writeTree(d, { '.prodguard.yaml': text });
      const r = detectWorkspaceConfig(d, nodeFiles);
      assert.match(r.problems[0]?.message ?? '', message);
      if (line !== undefined) assert.strictEqual(r.problems[0].line, line);
      assert.strictEqual(r.signals.length, 0);
    });
  }
  it('a missing file is no problem', () => {
    assert.deepStrictEqual(detectWorkspaceConfig(tempDir(), nodeFiles).problems, []);
  });
});

describe('settings', () => {
  it('sanitizes bad values to defaults with messages', () => {
    const values: Record<string, unknown> = { rules: [{ match: 'a', environment: 'production' }, { match: '' }, 'x'], 'scan.maxFileSizeKb': -4, notifyOnProduction: 'yes', 'statusBar.maxTargets': 99 };
    const { settings, problems } = sanitizeSettings((k) => values[k]);
    assert.deepStrictEqual(settings.rules, [{ match: 'a', environment: 'production' }]);
    assert.strictEqual(problems.length, 2);
    assert.strictEqual(settings.maxFileSizeKb, DEFAULT_SETTINGS.maxFileSizeKb);
    assert.strictEqual(settings.notifyOnProduction, true);
    assert.strictEqual(settings.statusBarMaxTargets, DEFAULT_SETTINGS.statusBarMaxTargets);
  });
});

describe('detectAll', () => {
  it('settings rules come before workspace rules, which come before heuristics', async () => {
    const home = tempDir();
    const ws = tempDir();
    writeTree(home, { '.kube/config': 'current-context: acme-tst-1\ncontexts:\n- name: acme-tst-1\n  context: {cluster: c}\n' });
    writeTree(ws, { '.prodguard.yaml': 'rules:\n  - match: "*-tst-*"\n    environment: staging\n' });
    const base = { env: {}, home, folders: [ws], files: nodeFiles };
    const a = await detectAll({ ...base, settings: DEFAULT_SETTINGS });
    assert.strictEqual(a.environment, 'staging');
    const b = await detectAll({ ...base, settings: { ...DEFAULT_SETTINGS, rules: [{ match: 'acme-*', environment: 'production' }] } });
    assert.strictEqual(b.environment, 'production');
    assert.strictEqual(b.signals[0].reason.code === 'ruleMatched' && b.signals[0].reason.rule.origin.type, 'settings');
    assert.ok(a.watched.includes(path.join(home, '.kube', 'config')));
  });
});
