import * as assert from 'assert';
import { plainTranslate as t } from '../../src/core/describe';
import { buildDetection } from '../../src/core/classify';
import type { RawSignal } from '../../src/core/types';
import { escapeMarkdown, statusView } from '../../src/core/view';

const raw = (kind: RawSignal['kind'], name: string, extra: Partial<RawSignal> = {}): RawSignal =>
  ({ kind, name, source: `/cfg/${kind}`, line: 3, active: true, identifiers: [name], details: {}, ...extra });

describe('status bar view', () => {
  it('production: flame, red, the production targets named', () => {
    const v = statusView(buildDetection([raw('kubernetes', 'prod-eu'), raw('aws', 'prod-admin'), raw('database', 'localhost/app')], [], []), 2, t);
    assert.strictEqual(v.text, '$(flame) PRODUCTION · k8s prod-eu · aws prod-admin');
    assert.strictEqual(v.background, 'error');
  });
  it('staging is yellow; extra targets are counted', () => {
    const v = statusView(buildDetection([raw('kubernetes', 'stg-1'), raw('aws', 'uat'), raw('database', 'qa-db/x')], [], []), 1, t);
    assert.strictEqual(v.text, '$(warning) STAGING · k8s stg-1 · +2');
    assert.strictEqual(v.background, 'warning');
  });
  it('development, local and unknown are plain', () => {
    for (const [name, text] of [['dev', '$(tools) DEVELOPMENT · k8s dev'], ['minikube', '$(home) LOCAL · k8s minikube'], ['alpha', '$(shield) UNKNOWN · k8s alpha']]) {
      const v = statusView(buildDetection([raw('kubernetes', name)], [], []), 2, t);
      assert.strictEqual(v.text, text);
      assert.strictEqual(v.background, undefined);
    }
  });
  it('inactive signals do not color the item but are listed in the tooltip', () => {
    const v = statusView(buildDetection([raw('database', 'prod-db/x', { active: false }), raw('kubernetes', 'dev')], [], []), 2, t);
    assert.strictEqual(v.background, undefined);
    assert.match(v.tooltip, /production \(inactive\)/);
  });
  it('the tooltip names source (a link to the line) and reason for every signal', () => {
    const v = statusView(buildDetection([raw('kubernetes', 'prod-eu'), raw('aws', 'x', { source: 'env:AWS_PROFILE', line: undefined })], [], [{ source: '/a', message: 'bad' }]), 2, t);
    assert.match(v.tooltip, /\[\/cfg\/kubernetes:3\]\(file:\/\/\/cfg\/kubernetes#L3\)/);
    assert.match(v.tooltip, /name "prod-eu" contains "prod"/);
    assert.match(v.tooltip, /environment variable AWS\\_PROFILE/);
    assert.match(v.tooltip, /1 problem/);
  });
  it('escapes markdown in names', () => {
    assert.strictEqual(escapeMarkdown('[x](command:evil)|*'), '\\[x\\](command:evil)\\|\\*');
  });
  it('before the first detection it says it is checking', () => {
    assert.match(statusView(undefined, 2, t).text, /loading~spin/);
  });
});
