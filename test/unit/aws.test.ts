import * as assert from 'assert';
import { accountFromArn, activeAwsProfile, detectAws } from '../../src/core/aws';
import { nodeFiles } from '../../src/core/files';
import { parseIni } from '../../src/core/ini';
import { fixture } from './helpers';

const files = { AWS_CONFIG_FILE: fixture('aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: fixture('aws', 'credentials') };

describe('AWS profile detection', () => {
  const order: Array<[NodeJS.ProcessEnv, string, string | undefined]> = [
    [{}, 'default', undefined],
    [{ AWS_DEFAULT_PROFILE: 'b', AWS_VAULT: 'c' }, 'b', 'AWS_DEFAULT_PROFILE'],
    [{ AWS_PROFILE: 'a', AWS_DEFAULT_PROFILE: 'b' }, 'a', 'AWS_PROFILE'],
    [{ AWS_VAULT: 'c', AWSUME_PROFILE: 'd' }, 'c', 'AWS_VAULT'],
    [{ AWSUME_PROFILE: 'd' }, 'd', 'AWSUME_PROFILE'],
    [{ AWS_PROFILE: '  ' }, 'default', undefined],
  ];
  for (const [env, name, variable] of order) {
    it(`${JSON.stringify(env)} → ${name}`, () => assert.deepStrictEqual(activeAwsProfile(env), variable ? { name, variable } : { name }));
  }
  it('reads the account from sso_account_id and the line of the [profile x] section', () => {
    const r = detectAws({ ...files, AWS_PROFILE: 'prod-admin' }, '/nohome', nodeFiles);
    const s = r.signals[0];
    assert.strictEqual(s.name, 'prod-admin');
    assert.strictEqual(s.source, fixture('aws', 'config'));
    assert.strictEqual(s.line, 5);
    assert.deepStrictEqual(s.identifiers, ['prod-admin', '111122223333']);
    assert.strictEqual(s.details.account, '111122223333');
    assert.strictEqual(s.details.region, 'eu-central-1');
  });
  it('reads the account from role_arn, dotted profile names intact', () => {
    const s = detectAws({ ...files, AWS_PROFILE: 'team.stg' }, '/nohome', nodeFiles).signals[0];
    assert.deepStrictEqual(s.identifiers, ['team.stg', '444455556666', 'arn:aws:iam::444455556666:role/Deploy']);
  });
  it('GRANTED_SSO_ACCOUNT_ID overrides the account', () => {
    const s = detectAws({ ...files, AWS_PROFILE: 'prod-admin', GRANTED_SSO_ACCOUNT_ID: '999988887777' }, '/nohome', nodeFiles).signals[0];
    assert.strictEqual(s.details.account, '999988887777');
  });
  it('finds credentials-only profiles ([name] in the credentials file) and never exposes keys', () => {
    const s = detectAws({ ...files, AWS_PROFILE: 'ci-bot' }, '/nohome', nodeFiles).signals[0];
    assert.strictEqual(s.source, fixture('aws', 'credentials'));
    assert.doesNotMatch(JSON.stringify(s), /secret|AKIA/);
  });
  it('the implicit default profile yields a signal only when it exists', () => {
    assert.strictEqual(detectAws(files, '/nohome', nodeFiles).signals[0].name, 'default');
    assert.deepStrictEqual(detectAws({}, '/nohome', nodeFiles).signals, []);
  });
  it('a profile named by a variable but defined nowhere still yields a signal, with a problem', () => {
    const r = detectAws({ AWS_PROFILE: 'prod-ghost' }, '/nohome', nodeFiles);
    assert.strictEqual(r.signals[0].source, 'env:AWS_PROFILE');
    assert.match(r.problems[0].message, /not defined/);
  });
  it('reports malformed INI lines with their line numbers and goes on', () => {
    const r = detectAws({ AWS_CONFIG_FILE: fixture('aws', 'malformed'), AWS_SHARED_CREDENTIALS_FILE: '/none' }, '/nohome', nodeFiles);
    assert.deepStrictEqual(r.problems.map((p) => p.line), [1, 2, 3]);
  });
  it('parses indented AWS sub-keys without taking them as profile keys', () => {
    const { sections } = parseIni('[profile x]\ns3 =\n  region = wrong\nregion = right\n');
    assert.strictEqual(sections[0].values.get('region')?.value, 'right');
  });
  it('extracts account ids from ARNs', () => {
    assert.strictEqual(accountFromArn('arn:aws:iam::123456789012:role/x'), '123456789012');
    assert.strictEqual(accountFromArn('arn:aws-us-gov:iam::123456789012:role/x'), '123456789012');
    assert.strictEqual(accountFromArn('not-an-arn'), undefined);
  });
});
