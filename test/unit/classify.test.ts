import * as assert from 'assert';
import { buildDetection, classify, globMatches, heuristic } from '../../src/core/classify';
import type { Environment, RawSignal, SourcedRule } from '../../src/core/types';
import { assertBounded } from './helpers';

describe('heuristics', () => {
  const table: Array<[string, Environment | undefined]> = [
    ['prod', 'production'], ['prod-eu', 'production'], ['eks_PRD_1', 'production'], ['production', 'production'],
    ['live-orders', 'production'], ['nonprod', undefined], ['product-analytics', undefined], ['production-like', 'production'],
    ['eu-preprod', 'staging'], ['staging', 'staging'], ['stg.cluster', 'staging'], ['uat', 'staging'], ['qa-1', 'staging'], ['stage', 'staging'],
    ['dev', 'development'], ['team-dev-2', 'development'], ['test', 'development'], ['sandbox', 'development'], ['development', 'development'],
    ['kind-demo', 'local'], ['k3d-mycluster', 'local'], ['minikube', 'local'], ['docker-desktop', 'local'], ['rancher-desktop', 'local'],
    ['orbstack', 'local'], ['localhost', 'local'], ['127.0.0.1', 'local'], ['::1', 'local'], ['https://127.0.0.1:6443', 'local'],
    ['https://[::1]:6443', 'local'], ['local', 'local'],
    ['kindness', undefined], ['devops-tools', undefined], ['testing', undefined], ['latest', undefined], ['', undefined],
    ['prod-dev', 'production'], ['arn:aws:iam::123456789012:role/Admin', undefined],
    ['pg-prod01.corp', 'production'], ['prod1-db', 'production'], ['db-prd2', 'production'], ['app_production2', 'production'],
    ['test1', 'development'], ['k8s', undefined], ['s3-bucket', undefined], ['v2', undefined],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} → ${expected ?? 'no match'}`, () => {
      assert.strictEqual(heuristic(value)?.environment, expected);
    });
  }
});

describe('rules', () => {
  const rules: SourcedRule[] = [
    { match: '*-prd-*', environment: 'production', origin: { type: 'settings' } },
    { match: '*-tst-*', kind: 'kubernetes', environment: 'staging', origin: { type: 'workspace', file: '/w/.prodguard.yaml' } },
    { match: '111122223333', environment: 'production', origin: { type: 'settings' } },
    { match: '*.corp.example.com', environment: 'staging', origin: { type: 'settings' } },
  ];
  it('first matching rule wins over heuristics', () => {
    const c = classify(['eu-prd-1', 'dev-cluster'], 'kubernetes', rules);
    assert.strictEqual(c.environment, 'production');
    assert.deepStrictEqual(c.reason.code === 'ruleMatched' && [c.reason.rule.match, c.reason.value], ['*-prd-*', 'eu-prd-1']);
  });
  it('globs are anchored: "*-prd-*" does not match "prd-eu"', () => {
    assert.strictEqual(classify(['prd-eu'], 'aws', rules).reason.code, 'heuristic');
    assert.strictEqual(globMatches('prod', 'nonprod'), false);
    assert.strictEqual(globMatches('prod', 'PROD'), true);
  });
  it('a kind-restricted rule skips other kinds', () => {
    assert.strictEqual(classify(['x-tst-y'], 'aws', rules).environment, 'unknown');
    assert.strictEqual(classify(['x-tst-y'], 'kubernetes', rules).environment, 'staging');
  });
  it('matches any identifier (account id) and lets "*" cross "/" and "." in URLs and hosts', () => {
    assert.strictEqual(classify(['admin', '111122223333'], 'aws', rules).environment, 'production');
    assert.strictEqual(classify(['db1.corp.example.com'], 'database', rules).environment, 'staging');
    assert.strictEqual(globMatches('*prod*', 'https://prod.example.com:6443/x'), true);
  });
  it('the most severe identifier wins when only heuristics apply', () => {
    assert.strictEqual(classify(['dev-admin', 'prod-cluster', 'https://127.0.0.1'], 'kubernetes', []).environment, 'production');
  });
  it('a workspace rule may raise the environment but never lower it; a user rule may', () => {
    const lower: SourcedRule = { match: 'prod-*', environment: 'development', origin: { type: 'workspace', file: '/w/.prodguard.yaml' } };
    assert.strictEqual(classify(['prod-eu'], 'kubernetes', [lower]).environment, 'production');
    assert.strictEqual(classify(['prod-eu'], 'kubernetes', [{ ...lower, origin: { type: 'settings' } }]).environment, 'development');
    const raise: SourcedRule = { match: 'dev-*', environment: 'production', origin: { type: 'workspace', file: '/w/.prodguard.yaml' } };
    assert.strictEqual(classify(['dev-eu'], 'kubernetes', [raise]).environment, 'production');
  });
  it('rules from repositories and the environment never lower each other: the most severe match counts', () => {
    const parent: SourcedRule = { match: 'db1.corp.example', environment: 'production', origin: { type: 'workspace', file: '/w/.prodguard.yaml' } };
    const nested: SourcedRule = { match: '*', environment: 'development', origin: { type: 'workspace', file: '/w/sub/.prodguard.yaml' } };
    assert.strictEqual(classify(['db1.corp.example'], 'database', [nested, parent]).environment, 'production');
    const env: SourcedRule = { match: 'db1.*', environment: 'production', origin: { type: 'environment' } };
    assert.strictEqual(classify(['db1.corp.example'], 'database', [nested, env]).environment, 'production');
    assert.strictEqual(classify(['db2.corp.example'], 'database', [nested]).environment, 'development');
  });
  it('globs: ?, classes, braces, escapes; a pathological pattern stays fast', () => {
    const rows: Array<[string, string, boolean]> = [
      ['db?.prod', 'db7.prod', true], ['db[0-9].prod', 'db7.prod', true], ['db[!0-9].prod', 'db7.prod', false],
      ['{eu,us}-prd-*', 'us-prd-1', true], ['{eu,us}-prd-*', 'ap-prd-1', false], ['\\*x', '*x', true], ['\\*x', 'ax', false],
      ['**prod**', 'a/prod/b', true], ['PROD-*', 'prod-eu', true],
    ];
    for (const [g, v, m] of rows) assert.strictEqual(globMatches(g, v), m, `${g} ~ ${v}`);
    const t0 = Date.now();
    assert.strictEqual(globMatches('*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(4000)), false);
    assertBounded(Date.now() - t0, 'a pathological glob');
  });
  it('no match is unknown', () => {
    assert.deepStrictEqual(classify(['alpha'], 'aws', []), { environment: 'unknown', reason: { code: 'noMatch' } });
  });
});

describe('overall environment', () => {
  const sig = (name: string, active: boolean): RawSignal => ({ kind: 'database', name, source: '/x', active, identifiers: [name], details: {} });
  const table: Array<[RawSignal[], Environment]> = [
    [[], 'unknown'],
    [[sig('alpha', true)], 'unknown'],
    [[sig('alpha', true), sig('localhost', true)], 'local'],
    [[sig('dev', true), sig('stg', true), sig('localhost', true)], 'staging'],
    [[sig('dev', true), sig('prod', false)], 'development'],
    [[sig('prod', true), sig('stg', true)], 'production'],
  ];
  for (const [signals, expected] of table) {
    it(`${signals.map((s) => `${s.name}${s.active ? '' : '(inactive)'}`).join(', ') || '(none)'} → ${expected}`, () => {
      assert.strictEqual(buildDetection(signals, [], []).environment, expected);
    });
  }
});
