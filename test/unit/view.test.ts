import * as assert from 'assert';
import { describeReason, plainTranslate as t, shortPath } from '../../src/core/describe';
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
    assert.match(v.tooltip, /\[\/cfg\/kubernetes:3\]\(file:\/\/\/cfg\/kubernetes#L3 "\/cfg\/kubernetes"\)/);
    assert.match(v.tooltip, /name "prod-eu" contains "prod"/);
    assert.match(v.tooltip, /environment variable AWS\\_PROFILE/);
    assert.match(v.tooltip, /1 problem/);
  });
  it('shortens paths under the home folder and workspace folders', () => {
    const v = statusView(buildDetection([raw('kubernetes', 'prod-eu', { source: '/home/u/.kube/config' }), raw('database', 'h/d', { source: '/w/app/.env' })], [], []), 2, t, { home: '/home/u', folders: ['/w'] });
    assert.match(v.tooltip, /\[\\~\/\.kube\/config:3\]/);
    assert.match(v.tooltip, /\[app\/\.env:3\]/);
  });
  const paths: Array<[string, string]> = [['/home/u/.kube/config', '~/.kube/config'], ['/w/a/.env', 'a/.env'], ['/w2/x', '/w2/x'], ['/home/user2/x', '/home/user2/x'], ['/w/nested/.env', 'nested/.env']];
  for (const [input, expected] of paths) {
    it(`shortPath ${input} → ${expected}`, () => assert.strictEqual(shortPath(input, '/home/u', ['/w', '/w/nested-not']), expected));
  }
  it('reasons name the rule and where it was written', () => {
    const rule = { match: '*-prd-*', environment: 'production' as const };
    assert.strictEqual(describeReason({ code: 'ruleMatched', rule: { ...rule, origin: { type: 'workspace', file: '/src/shop/.prodguard.yaml' } }, value: 'eu-prd-1' }, t),
      'rule "*-prd-*" in shop/.prodguard.yaml matched "eu-prd-1"');
    assert.strictEqual(describeReason({ code: 'ruleMatched', rule: { ...rule, origin: { type: 'settings' } }, value: 'eu-prd-1' }, t),
      'rule "*-prd-*" in setting prodGuard.rules matched "eu-prd-1"');
    assert.strictEqual(describeReason({ code: 'loopbackHost', value: '127.0.0.2' }, t), '"127.0.0.2" is this machine (loopback)');
  });
  it('escapes markdown in names', () => {
    assert.strictEqual(escapeMarkdown('[x](command:evil)|*'), '\\[x\\](command:evil)\\|\\*');
    assert.strictEqual(escapeMarkdown('$(flame)'), '\\$(flame)');
    const v = statusView(buildDetection([raw('kubernetes', 'prod-$(check)')], [], []), 2, t);
    assert.strictEqual(v.text, '$(flame) PRODUCTION · k8s prod-\\$(check)');
  });
  it('before the first detection it says it is checking', () => {
    assert.match(statusView(undefined, 2, t).text, /loading~spin/);
  });
});
