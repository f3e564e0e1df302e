import * as assert from 'assert';
import * as path from 'path';
import { detectAws, findAwsProfile } from '../../src/core/aws';
import { nodeFiles } from '../../src/core/files';
import { decide } from '../../src/core/guard/decide';
import { judgeSql } from '../../src/core/guard/sql';
import { awsModule, awsSqlOf, parseRawConfig, shlexSplit, worseVerdict } from '../../src/core/guard/tools/aws';
import { asks, type ToolContext, type Verdict, type VerdictCode } from '../../src/core/guard/types';
import { maskArgv } from '../../src/core/mask';
import type { Environment } from '../../src/core/types';
import { assertBounded, fixture, tempDir, writeTree } from './helpers';

const HOME = fixture('guard-aws', 'home');
/** Static keys in the environment (fake). */
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 's' };
const ALIASES = fixture('guard-aws', 'aliases');
const WORK = fixture('guard-aws', 'work');

/** Splits a row's command line like a shell (single and double quotes, no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|([^\s'"]+)/g;
  let cur: string | undefined;
  let last = -1;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const piece = m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3];
    if (m.index === last && cur !== undefined) cur += piece;
    else {
      if (cur !== undefined) out.push(cur);
      cur = piece;
    }
    last = re.lastIndex;
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

function ctx(env: NodeJS.ProcessEnv = {}, home = HOME): ToolContext {
  return { env, home, cwd: WORK, files: nodeFiles };
}

type Analysis = ReturnType<typeof awsModule.analyze>;

function run(line: string, env: NodeJS.ProcessEnv = {}, home = HOME): { v: Verdict; a: Analysis } {
  const a = awsModule.analyze('aws', words(line), ctx(env, home));
  return { v: a.judge({}), a };
}

/** [command line, verdict, target name (or several, comma-separated), env] */
type Row = [string, VerdictCode, string?, NodeJS.ProcessEnv?];

function table(title: string, rows: Row[], home = HOME): void {
  describe(title, () => {
    for (const [line, code, target, env] of rows) {
      const label = `${env ? `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} ` : ''}aws ${line}`;
      it(`${label} → ${code}${target ? ` @ ${target}` : ''}`, () => {
        const { v, a } = run(line, env, home);
        assert.strictEqual(v.code, code, `verdict ${v.code} (${v.what})`);
        if (target) assert.strictEqual(a.targets.map((t) => t.name).join(','), target);
      });
    }
  });
}

table('aws: operations judged by name', [
  ['ec2 describe-instances', 'readOnly', 'default'],
  ['ec2 describe-instances --filters Name=tag:env,Values=prod', 'readOnly'],
  ['s3api list-objects-v2 --bucket b', 'readOnly'],
  ['s3api get-object --bucket b --key k out.bin', 'readOnly'],
  ['s3api head-object --bucket b --key k', 'readOnly'],
  ['dynamodb batch-get-item --request-items file://items.json', 'readOnly'],
  ['dynamodb query --table-name t --key-condition-expression "pk = :v"', 'readOnly'],
  ['dynamodb scan --table-name t', 'readOnly'],
  ['dynamodb transact-get-items --transact-items file://x.json', 'readOnly'],
  ['cloudtrail lookup-events', 'readOnly'],
  ['logs filter-log-events --log-group-name g', 'readOnly'],
  ['logs tail /aws/lambda/f --follow', 'readOnly'],
  ['logs start-query --log-group-name g --start-time 1 --end-time 2 --query-string "fields @message"', 'readOnly'],
  ['cloudformation validate-template --template-body file://t.yaml', 'readOnly'],
  ['cloudformation estimate-template-cost --template-body file://t.yaml', 'readOnly'],
  ['iam simulate-principal-policy --policy-source-arn arn:aws:iam::1:user/x --action-names s3:GetObject', 'readOnly'],
  ['servicecatalog search-products', 'readOnly'],
  ['resource-explorer-2 search --query-string x', 'readOnly'],
  ['codecommit batch-describe-merge-conflicts --repository-name r', 'readOnly'],
  ['comprehend batch-detect-sentiment --text-list a --language-code en', 'readOnly'],
  ['rekognition detect-labels --image file://x', 'readOnly'],
  ['swf count-open-workflow-executions --domain d', 'readOnly'],
  ['sts get-caller-identity', 'readOnly'],
  ['sts assume-role --role-arn arn:aws:iam::1:role/x --role-session-name s', 'readOnly'],
  ['kms decrypt --ciphertext-blob fileb://c', 'readOnly'],
  ['route53 test-dns-answer --hosted-zone-id Z --record-name a --record-type A', 'readOnly'],
  ['events test-event-pattern --event-pattern "{}" --event "{}"', 'readOnly'],
  ['ec2 wait instance-terminated --instance-ids i-1', 'readOnly'],
  ['rds wait db-instance-available --db-instance-identifier d', 'readOnly'],
  ['emr describe-cluster --cluster-id j-1', 'readOnly'],
  ['eks get-token --cluster-name c', 'readOnly'],
  ['ddb select t', 'readOnly'],
  ['secretsmanager get-secret-value --secret-id s', 'readOnly'],
  ['ec2 run-instances --image-id ami-1', 'mutating'],
  ['ec2 create-tags --resources i-1 --tags Key=a,Value=b', 'mutating'],
  ['ec2 stop-instances --instance-ids i-1', 'mutating'],
  ['ec2 modify-instance-attribute --instance-id i-1 --no-source-dest-check', 'mutating'],
  ['ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 22 --cidr 0.0.0.0/0', 'mutating'],
  ['iam attach-role-policy --role-name r --policy-arn arn:aws:iam::aws:policy/AdministratorAccess', 'mutating'],
  ['iam put-role-policy --role-name r --policy-name p --policy-document file://p.json', 'mutating'],
  ['s3api put-bucket-policy --bucket b --policy file://p.json', 'mutating'],
  ['lambda update-function-code --function-name f --zip-file fileb://f.zip', 'mutating'],
  ['lambda invoke --function-name f out.json', 'mutating'],
  ['sqs receive-message --queue-url https://q', 'mutating'],
  ['sqs send-message --queue-url https://q --message-body x', 'mutating'],
  ['ssm send-command --document-name AWS-RunShellScript --targets Key=tag:env,Values=prod', 'mutating'],
  ['ssm start-session --target i-1', 'mutating'],
  ['ecs execute-command --cluster c --task t --interactive --command sh', 'mutating'],
  ['ecs update-service --cluster c --service s --desired-count 0', 'mutating'],
  ['autoscaling set-desired-capacity --auto-scaling-group-name g --desired-capacity 0', 'mutating'],
  ['rds reboot-db-instance --db-instance-identifier d', 'mutating'],
  ['rds failover-db-cluster --db-cluster-identifier c', 'mutating'],
  ['elasticache test-failover --replication-group-id g --node-group-id 0001', 'mutating'],
  ['apigateway test-invoke-method --rest-api-id a --resource-id r --http-method POST', 'mutating'],
  ['cloudformation deploy --template-file t.yaml --stack-name s', 'mutating'],
  ['cloudformation execute-change-set --change-set-name c', 'mutating'],
  ['dynamodb execute-statement --statement "DELETE FROM t"', 'mutating'],
  ['dynamodb batch-write-item --request-items file://w.json', 'mutating'],
  ['kinesis put-record --stream-name s --data x --partition-key k', 'mutating'],
  ['emr ssh --cluster-id j-1 --key-pair-file k.pem', 'mutating'],
  ['dynamodb wizard new-table', 'mutating'],
  ['license-manager check-in-license --license-consumption-token t', 'mutating'],
  ['support resolve-case --case-id c', 'mutating'],
  ['newservice frobnicate-widgets', 'mutating'],
  ['ec2 terminate-instances --instance-ids i-1', 'destructive'],
  ['ec2 delete-vpc --vpc-id vpc-1', 'destructive'],
  ['s3api delete-objects --bucket b --delete file://d.json', 'destructive'],
  ['s3api delete-bucket --bucket b', 'destructive'],
  ['rds delete-db-instance --db-instance-identifier d --skip-final-snapshot', 'destructive'],
  ['dynamodb delete-table --table-name t', 'destructive'],
  ['iam remove-role-from-instance-profile --instance-profile-name p --role-name r', 'destructive'],
  ['elbv2 deregister-targets --target-group-arn arn --targets Id=i-1', 'destructive'],
  ['glue batch-delete-table --database-name d --tables-to-delete t', 'destructive'],
  ['ecr batch-delete-image --repository-name r --image-ids imageTag=latest', 'destructive'],
  ['sqs purge-queue --queue-url https://q', 'destructive'],
  ['codeartifact dispose-package-versions --domain d --repository r --package p --versions 1', 'destructive'],
  ['kms schedule-key-deletion --key-id k', 'destructive'],
  ['organizations close-account --account-id 1', 'destructive'],
  ['emr terminate-clusters --cluster-ids j-1', 'destructive'],
  ['deploy deregister --instance-name i', 'destructive'],
  ['cloudformation delete-stack --stack-name s', 'destructive'],
]);

table('aws: local-only commands, help, version, skeletons', [
  ['configure', 'localOnly'],
  ['configure set region us-east-1', 'localOnly'],
  ['configure set aws_secret_access_key SECRET --profile prod', 'localOnly'],
  ['configure list-profiles', 'localOnly'],
  ['configure sso', 'localOnly'],
  ['configure export-credentials --profile prod', 'localOnly'],
  ['history list', 'localOnly'],
  ['sso login --profile prod', 'localOnly'],
  ['sso logout', 'localOnly'],
  ['eks update-kubeconfig --name c --profile prod', 'localOnly'],
  ['ecr get-login-password --region us-east-1', 'localOnly'],
  ['codeartifact login --tool npm --domain d --repository r', 'localOnly'],
  ['rds generate-db-auth-token --hostname h --port 5432 --username u', 'localOnly'],
  ['cloudfront sign --url https://x --key-pair-id K --private-key file://k.pem --date-less-than 2030', 'localOnly'],
  ['s3 presign s3://b/k --expires-in 60', 'localOnly'],
  ['help', 'noEffect'],
  ['help topics', 'noEffect'],
  ['ec2 help', 'noEffect'],
  ['ec2 terminate-instances help', 'noEffect'],
  ['ec2 terminate-instances help --instance-ids i-1', 'noEffect'],
  ['ec2 terminate-instances --instance-ids=i-1 help', 'noEffect'],
  ['ec2 terminate-instances --dry-run help', 'noEffect'],
  // A list option takes every following word: `help` is an instance id and the instances are terminated.
  ['ec2 terminate-instances --instance-ids i-1 help', 'destructive'],
  ['ec2 terminate-instances --instance-id i-1 help', 'destructive'],
  ['s3 rm help', 'noEffect'],
  ['s3 rm s3://b/k help', 'unparseable'],
  ['configure set help', 'noEffect'],
  ['--version', 'noEffect'],
  ['--version ec2 terminate-instances --instance-ids i-1', 'noEffect'],
  ['ec2 terminate-instances --instance-ids i-1 --version', 'noEffect'],
  ['ec2 terminate-instances --instance-ids i-1 --ver', 'noEffect'],
  ['ec2 terminate-instances --instance-ids i-1 --v', 'noEffect'],
  ['ec2 terminate-instances --instance-ids i-1 --generate-cli-skeleton', 'noEffect'],
  ['ec2 terminate-instances --instance-ids i-1 --generate-cli-skeleton output', 'noEffect'],
  ['ec2 terminate-instances --generate-cli-skeleton=yaml-input', 'noEffect'],
  ['rds delete-db-instance --db-instance-identifier d --generate-cli-skeleton input', 'noEffect'],
  // Abbreviated: the operation may have other --gen… options (cognito-idp --generate-secret).
  ['ec2 terminate-instances --instance-ids i-1 --generate-cli', 'destructive'],
]);

table('aws: dry runs as the CLI reads them', [
  ['ec2 terminate-instances --instance-ids i-1 --dry-run', 'noEffect'],
  ['ec2 --dry-run terminate-instances --instance-ids i-1', 'noEffect'],
  ['ec2 terminate-instances --dry-run --instance-ids i-1', 'noEffect'],
  ['ec2 terminate-instances --instance-ids i-1 --dry-run --no-dry-run', 'destructive'],
  ['ec2 terminate-instances --instance-ids i-1 --no-dry-run --dry-run', 'noEffect'],
  ['ec2 terminate-instances --instance-ids i-1 --dry-run --no-dry', 'destructive'],
  ['ec2 terminate-instances --instance-ids i-1 --dry-run --no-d', 'destructive'],
  ['ec2 terminate-instances --instance-ids i-1 --dr', 'destructive'],
  ['ec2 terminate-instances --instance-ids i-1 --dry-run=true', 'destructive'],
  ['ec2 terminate-instances --instance-ids i-1 --dryrun', 'destructive'],
  ['ec2 terminate-instances --instance-ids i-1 -- --dry-run', 'unparseable'],
  ['ec2 run-instances --image-id ami-1 --dry-run', 'noEffect'],
  ['ec2 terminate-instances --cli-input-json file://dry.json', 'noEffect'],
  ['ec2 terminate-instances --cli-input-json file://nodry.json', 'destructive'],
  ['ec2 terminate-instances --cli-input-json file://dry.json --no-dry-run', 'destructive'],
  ['ec2 terminate-instances --cli-input-json file://nodry.json --dry-run', 'noEffect'],
  ['ec2 terminate-instances --cli-input-yaml file://dry.yaml', 'noEffect'],
  ['ec2 terminate-instances --cli-input-json \'{"InstanceIds":["i-1"],"DryRun":true}\'', 'noEffect'],
  ['ec2 terminate-instances --cli-input-json=\'{"InstanceIds":["i-1"],"DryRun":true}\'', 'noEffect'],
  ['ec2 terminate-instances --cli-input-js \'{"InstanceIds":["i-1"],"DryRun":true}\'', 'noEffect'],
  ['ec2 terminate-instances --cli-input-json \'{"InstanceIds":["i-1"],"DryRun":"true"}\'', 'destructive'],
  ['ec2 terminate-instances --cli-input-json \'{"DryRun":true,"DryRun":false}\'', 'destructive'],
  ['ec2 terminate-instances --cli-input \'{"DryRun":true}\'', 'destructive'],
  ['ec2 terminate-instances --cli-input-json file://missing.json', 'destructive'],
  ['ec2 terminate-instances --cli-input-json \'{"DryRun": tru\'', 'destructive'],
]);

table('aws: global options anywhere, abbreviated, repeated', [
  ['--profile prod ec2 terminate-instances --instance-ids i-1', 'destructive', 'prod'],
  ['ec2 --profile prod terminate-instances --instance-ids i-1', 'destructive', 'prod'],
  ['ec2 terminate-instances --instance-ids i-1 --profile prod', 'destructive', 'prod'],
  ['ec2 terminate-instances --instance-ids --profile prod i-1', 'destructive', 'prod'],
  ['ec2 terminate-instances --instance-ids i-1 --profile=prod', 'destructive', 'prod'],
  ['ec2 terminate-instances --instance-ids i-1 --prof prod', 'destructive', 'prod'],
  ['ec2 terminate-instances --instance-ids i-1 --p prod', 'destructive', 'prod'],
  ['ec2 terminate-instances --instance-ids i-1 --pro=prod', 'destructive', 'prod'],
  ['--profile dev ec2 terminate-instances --instance-ids i-1 --profile prod', 'destructive', 'prod'],
  ['--profile prod ec2 terminate-instances --instance-ids i-1 --profile dev', 'destructive', 'dev'],
  ['--debug --output json --region us-east-1 --profile prod ec2 terminate-instances --instance-ids i-1', 'destructive',
    'prod'],
  ['--no-cli-pager --color off ec2 terminate-instances --instance-ids i-1 --query Reservations --profile prod',
    'destructive', 'prod'],
  ['--cli-read-timeout 5 --cli-connect-timeout 5 ec2 delete-vpc --vpc-id v --profile prod', 'destructive', 'prod'],
  ['--no-verify-ssl --no-paginate --no-sign-request s3 rb s3://b --profile prod', 'destructive', 'prod'],
  ['--d ec2 terminate-instances --instance-ids i-1 --profile prod', 'destructive', 'prod'],
  ['--endpoint-url https://ec2.us-east-1.amazonaws.com --profile prod ec2 terminate-instances --instance-ids i-1',
    'destructive', 'prod'],
  ['--endpoint https://ec2.example ec2 terminate-instances --instance-ids i-1', 'destructive'],
  // Errors the CLI stops on: asking costs nothing, the command would not run.
  ['--n ec2 terminate-instances --instance-ids i-1', 'unparseable'],
  ['--no-cli ec2 describe-instances', 'unparseable'],
  ['ec2 describe-instances --profile', 'unparseable'],
  ['--profile -x ec2 describe-instances', 'unparseable'],
  ['', 'unparseable'],
  ['--profile prod', 'unparseable'],
  ['ec2', 'unparseable'],
  ['-- ec2 describe-instances', 'unparseable'],
  // `-profile` is no option to argparse: `nosuch` becomes the command.
  ['-profile prod ec2 describe-instances', 'mutating'],
]);

table('aws s3 high-level commands', [
  ['s3 ls', 'readOnly'],
  ['s3 ls s3://b --recursive --human-readable --summarize', 'readOnly'],
  ['s3 cp s3://b/k ./k', 'readOnly'],
  ['s3 cp s3://b/k -', 'readOnly'],
  ['s3 cp s3://b/prefix . --recursive --exclude "*" --include "*.log"', 'readOnly'],
  ['s3 cp ./k s3://b/k', 'mutating'],
  ['s3 cp - s3://b/k', 'mutating'],
  ['s3 cp s3://a/k s3://b/k', 'mutating'],
  ['s3 cp --recursive ./dir s3://b/dir', 'mutating'],
  ['s3 cp ./k s3://b/k --dryrun', 'noEffect'],
  ['s3 cp ./k s3://b/k --dry', 'noEffect'],
  ['s3 cp ./k s3://b/k --sse aws:kms', 'mutating'],
  ['s3 cp ./k ./l', 'unparseable'],
  ['s3 cp s3://b/k', 'unparseable'],
  ['s3 cp s3://b/k ./k --no-such-flag', 'unparseable'],
  ['s3 sync s3://b ./dir', 'readOnly'],
  ['s3 sync s3://b ./dir --delete', 'localOnly'],
  ['s3 sync ./dir s3://b', 'mutating'],
  ['s3 sync ./dir s3://b --delete', 'destructive'],
  ['s3 sync ./dir s3://b --del', 'destructive'],
  ['s3 sync ./dir s3://b --delete --dryrun', 'noEffect'],
  ['s3 sync s3://a s3://b --delete --exact-timestamps', 'destructive'],
  ['s3 mv s3://b/k ./k', 'destructive'],
  ['s3 mv ./k s3://b/k', 'destructive'],
  ['s3 mv ./k s3://b/k --dryrun', 'noEffect'],
  ['s3 rm s3://b/k', 'destructive'],
  ['s3 rm s3://b --recursive', 'destructive'],
  ['s3 rm s3://b --recursive --dryrun', 'noEffect'],
  ['s3 rm s3://b --recursive --dr', 'noEffect'],
  ['s3 rm --dryrun s3://b --recursive', 'noEffect'],
  ['s3 rm s3://b --recursive --dry-run', 'unparseable'],
  ['s3 rb s3://b', 'destructive'],
  ['s3 rb s3://b --force', 'destructive'],
  ['s3 mb s3://b', 'mutating'],
  ['s3 website s3://b --index-document index.html', 'mutating'],
  ['s3 frob s3://b', 'unknown'],
]);

table('aws targets: profiles, environment credentials, endpoints', [
  ['ec2 delete-vpc --vpc-id v', 'destructive', 'prod', { AWS_PROFILE: 'prod' }],
  ['ec2 delete-vpc --vpc-id v', 'destructive', 'prod', { AWS_DEFAULT_PROFILE: 'prod' }],
  ['ec2 delete-vpc --vpc-id v', 'destructive', 'dev,prod', { AWS_PROFILE: 'dev', AWS_DEFAULT_PROFILE: 'prod' }],
  ['ec2 delete-vpc --vpc-id v', 'destructive', 'prod', { AWS_PROFILE: 'prod', AWS_DEFAULT_PROFILE: 'prod' }],
  ['ec2 delete-vpc --vpc-id v --profile dev', 'destructive', 'dev', { AWS_PROFILE: 'prod' }],
  ['ec2 delete-vpc --vpc-id v', 'destructive', 'environment credentials', KEYS],
  ['ec2 delete-vpc --vpc-id v', 'destructive', 'prod', { ...KEYS, AWS_VAULT: 'prod' }],
  ['ec2 delete-vpc --vpc-id v', 'destructive', 'dev', { ...KEYS, AWS_PROFILE: 'dev' }],
  ['ec2 delete-vpc --vpc-id v --profile prod', 'destructive', 'prod', KEYS],
  ['ec2 delete-vpc --vpc-id v --profile "quoted name"', 'destructive', 'quoted name'],
  // An empty --profile is no profile (`if args.profile:`): the environment's profile is used.
  ['ec2 delete-vpc --vpc-id v --profile ""', 'destructive', 'prod', { AWS_PROFILE: 'prod' }],
  ['ec2 delete-vpc --vpc-id v --profile dev --profile=', 'destructive', 'prod', { AWS_PROFILE: 'prod' }],
  ['--profile= ec2 delete-vpc --vpc-id v', 'destructive', 'default'],
]);

describe('aws targets: details', () => {
  const target = (line: string, env: NodeJS.ProcessEnv = {}, home = HOME): Analysis['targets'] =>
    run(line, env, home).a.targets;
  it('--profile prod: account, file and line of the section, region', () => {
    const [t] = target('--profile prod s3 ls');
    assert.deepStrictEqual(t.identifiers, ['prod', '111111111111']);
    assert.strictEqual(t.source, fixture('guard-aws', 'home', '.aws', 'config'));
    assert.strictEqual(t.line, 5);
    assert.strictEqual(t.details.region, 'us-east-1');
    assert.strictEqual(t.unresolved, undefined);
  });
  it('a role profile carries the role ARN and its account', () => {
    const [t] = target('--profile stage-deploy s3 ls');
    assert.deepStrictEqual(t.identifiers, ['stage-deploy', '222222222222', 'arn:aws:iam::222222222222:role/Deploy']);
  });
  it('a profile that does not exist is unresolved', () => {
    assert.match(target('--profile nosuch s3 ls')[0].unresolved ?? '', /not defined/);
    assert.match(target('s3 ls', { AWS_PROFILE: 'ghost' })[0].unresolved ?? '', /not defined/);
    assert.match(target('s3 ls', { AWS_PROFILE: '' })[0].unresolved ?? '', /not defined/);
  });
  it('a profile without credentials of its own, or no configuration at all, is unresolved (instance roles)', () => {
    assert.match(target('--profile regiononly s3 ls')[0].unresolved ?? '', /instance or container role/);
    assert.match(target('s3 ls', {}, fixture('guard-aws', 'work'))[0].unresolved ?? '', /no AWS profile/);
  });
  it('environment keys without a named source are unresolved; the env profile still counts as an identifier', () => {
    const [t] = target('s3 ls', { ...KEYS, AWS_PROFILE: 'prod' });
    assert.match(t.unresolved ?? '', /cannot tie to an account/);
    assert.ok(t.identifiers.includes('prod'));
    assert.doesNotMatch(JSON.stringify(t), /AKIAX/);
  });
  it('aws-vault and awsume name the keys they export', () => {
    assert.strictEqual(target('s3 ls', { ...KEYS, AWS_VAULT: 'prod' })[0].unresolved, undefined);
    assert.strictEqual(target('s3 ls', { ...KEYS, AWSUME_PROFILE: 'prod' })[0].name, 'prod');
  });
  it('endpoint URLs (flag, env, without user info) and S3 buckets are identifiers', () => {
    const line = '--endpoint-url https://u:pw@prod-gw.example.com s3 rm s3://live-assets/k --profile dev';
    const [t] = target(line, { AWS_ENDPOINT_URL_S3: 'https://s3.example' });
    assert.ok(t.identifiers.includes('https://prod-gw.example.com'));
    assert.ok(t.identifiers.includes('https://s3.example'));
    assert.ok(t.identifiers.includes('live-assets'));
    assert.doesNotMatch(JSON.stringify(t), /pw@/);
  });
  it('region: --region, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile', () => {
    const region = (line: string, env: NodeJS.ProcessEnv = {}): string | undefined =>
      target(line, env)[0].details.region;
    assert.strictEqual(region('--profile prod --region eu-north-1 s3 ls', { AWS_REGION: 'x' }), 'eu-north-1');
    assert.strictEqual(region('--profile prod s3 ls', { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'y' }),
      'ap-south-1');
    assert.strictEqual(region('--profile prod s3 ls', { AWS_DEFAULT_REGION: 'sa-east-1' }), 'sa-east-1');
    assert.strictEqual(region('--profile prod s3 ls'), 'us-east-1');
  });
  it('AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE move the files', () => {
    const env = {
      AWS_CONFIG_FILE: fixture('aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: fixture('aws', 'credentials'),
    };
    const [t] = target('--profile prod-admin s3 ls', env);
    assert.deepStrictEqual(t.identifiers, ['prod-admin', '111122223333']);
  });
});

// The engine's decision (classification included) for a command line: what the user sees.
const CFG = fixture('guard-aws', 'cfg');
const CFG_DEFAULT = fixture('guard-aws', 'cfgdefault');
/** A web identity token file (its content is never read by the guard). */
const TOKEN = fixture('guard-aws', 'work', 'dry.json');
const PROD_ROLE = 'arn:aws:iam::999999999999:role/prod-admin';
const DEV_ROLE = 'arn:aws:iam::121212121212:role/dev-web';

/** [command line, environment, action, target names, env, home] */
type DecisionRow = [string, Environment, 'confirm' | 'run', string, NodeJS.ProcessEnv?, string?];

function decisions(title: string, rows: DecisionRow[]): void {
  describe(title, () => {
    for (const [line, environment, action, names, env = {}, home = CFG] of rows) {
      const vars = Object.entries(env).map(([k, v]) => `${k}=${v} `).join('');
      it(`${vars}aws ${line} (${path.basename(home)}) → ${environment}, ${action} @ ${names}`, () => {
        const d = decide(['aws', ...words(line)], { env, home, cwd: WORK, files: nodeFiles });
        assert.strictEqual(d.targets.map((t) => t.name).join(','), names);
        assert.strictEqual(d.environment, environment, JSON.stringify(d.targets.map((t) => t.identifiers)));
        assert.strictEqual(d.action, action, d.verdict?.what);
      });
    }
  });
}

// Each profile below was checked with `aws configure get role_arn --profile …` (v1 and v2) and the AssumeRole
// call the CLI makes: test/system/aws-grammar.test.ts repeats that against the installed CLIs.
decisions('aws targets: ~/.aws/config read as configparser reads it (a dev-looking name assuming a prod role)', [
  ['--profile indented sqs delete-queue --queue-url q', 'production', 'confirm', 'indented'],
  ['sqs delete-queue --queue-url q', 'production', 'confirm', 'indented', { AWS_PROFILE: 'indented' }],
  ['--profile colon sqs delete-queue --queue-url q', 'production', 'confirm', 'colon'],
  ['--profile twice sqs delete-queue --queue-url q', 'production', 'confirm', 'twice'],
  ['--profile dev2 sqs delete-queue --queue-url q', 'production', 'confirm', 'dev2'],
  ['--profile tabbed sqs delete-queue --queue-url q', 'production', 'confirm', 'tabbed'],
  ['--profile credwins sqs delete-queue --queue-url q', 'production', 'confirm', 'credwins'],
  ['--profile commented sqs delete-queue --queue-url q', 'production', 'confirm', 'commented'],
  ['--profile MixedCase sqs delete-queue --queue-url q', 'production', 'confirm', 'MixedCase'],
  // `[ profile notaprofile ]` is no profile to botocore: the CLI says it does not exist.
  ['--profile notaprofile sqs delete-queue --queue-url q', 'unknown', 'confirm', 'notaprofile'],
  ['--profile dev sqs delete-queue --queue-url q', 'development', 'run', 'dev'],
  ['--profile webid sqs delete-queue --queue-url q', 'development', 'run', 'webid'],
  ['--profile indented sqs list-queues', 'production', 'run', 'indented'],
  ['--profile dev sqs delete-queue --queue-url q', 'production', 'confirm', 'dev', {}, CFG_DEFAULT],
  // No [default] section: [DEFAULT] keys reach sections only, and the CLI falls back to instance roles.
  ['sqs delete-queue --queue-url q', 'unknown', 'confirm', 'default', {}, CFG_DEFAULT],
]);

decisions('aws targets: a web identity role in the environment replaces the profile\'s credentials', [
  ['sqs delete-queue --queue-url q', 'production', 'confirm', PROD_ROLE,
    { AWS_PROFILE: 'dev', AWS_ROLE_ARN: PROD_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }],
  // No profile named: the default one (region only) is replaced too.
  ['sqs delete-queue --queue-url q', 'production', 'confirm', PROD_ROLE,
    { AWS_ROLE_ARN: PROD_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }],
  // AWS_ROLE_ARN replaces the role of a profile that has its own token file.
  ['sqs delete-queue --queue-url q', 'production', 'confirm', PROD_ROLE,
    { AWS_PROFILE: 'webid', AWS_ROLE_ARN: PROD_ROLE }],
  // Web identity comes before the shared credentials file: base's static keys are not used.
  ['sqs delete-queue --queue-url q', 'development', 'run', DEV_ROLE,
    { AWS_PROFILE: 'base', AWS_ROLE_ARN: DEV_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }],
  ['sqs delete-queue --queue-url q', 'production', 'confirm', 'dev',
    { AWS_PROFILE: 'dev', AWS_ROLE_ARN: DEV_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }, CFG_DEFAULT],
  // --profile disables the variables.
  ['--profile dev sqs delete-queue --queue-url q', 'development', 'run', 'dev',
    { AWS_ROLE_ARN: PROD_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }],
  // A profile with a role_arn of its own: botocore's assume-role provider runs before web identity.
  ['sqs delete-queue --queue-url q', 'production', 'confirm', 'indented',
    { AWS_PROFILE: 'indented', AWS_ROLE_ARN: DEV_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }],
  // Static keys in the environment come first of all (and cannot be tied to an account: unresolved).
  ['sqs delete-queue --queue-url q', 'development', 'confirm', 'dev',
    { AWS_PROFILE: 'dev', AWS_ROLE_ARN: DEV_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN, ...KEYS }],
  ['sqs list-queues', 'development', 'run', 'dev',
    { AWS_PROFILE: 'dev', AWS_ROLE_ARN: DEV_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN, ...KEYS }],
  // An empty token variable turns web identity off (`if not token_path`), even the profile's own.
  ['sqs delete-queue --queue-url q', 'development', 'run', 'dev',
    { AWS_PROFILE: 'dev', AWS_ROLE_ARN: PROD_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: '' }],
  // A token without a role: the CLI stops (InvalidConfigError); the guard cannot name a target.
  ['sqs delete-queue --queue-url q', 'unknown', 'confirm', 'regiononly (web identity)',
    { AWS_PROFILE: 'regiononly', AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }, HOME],
  ['sqs delete-queue --queue-url q', 'unknown', 'confirm', PROD_ROLE.replace('prod-admin', 'ops'),
    { AWS_PROFILE: 'ghost', AWS_ROLE_ARN: PROD_ROLE.replace('prod-admin', 'ops'), AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }],
  // v1 reads AWS_DEFAULT_PROFILE first: both readings are targets.
  ['sqs delete-queue --queue-url q', 'production', 'confirm', `${DEV_ROLE},indented`,
    { AWS_PROFILE: 'dev', AWS_DEFAULT_PROFILE: 'indented', AWS_ROLE_ARN: DEV_ROLE,
      AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }],
]);

describe('aws targets: a file the CLI reads that the guard cannot read leaves the target unresolved', () => {
  const big = `# ${'x'.repeat(1024 * 1024)}\n[profile dev]\nrole_arn = ${PROD_ROLE}\nsource_profile = dev\n`;
  const creds = '[dev]\naws_access_key_id = AKIAFIXTURE\naws_secret_access_key = s\n';
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['a config file over 1 MB (the profile is in the credentials file)', { config: big, credentials: creds },
      /larger than/],
    ['a binary credentials file (the profile is in the config file)',
      { config: '[profile dev]\nregion = eu-west-1\n', credentials: `${creds}\u0000` }, /binary/],
    ['a config file the CLI refuses (a repeated section)',
      { config: '[profile dev]\nregion = x\n[profile dev]\nregion = y\n', credentials: creds }, /cannot be parsed/],
    ['a value continued on lines without "=" (botocore refuses it)',
      { config: `[profile dev]\nrole_arn =\n  ${PROD_ROLE}\n`, credentials: creds }, /cannot be parsed/],
    ['a line before any section', { config: `role_arn = ${PROD_ROLE}\n[profile dev]\n`, credentials: creds },
      /cannot be parsed/],
  ];
  for (const [title, files, why] of cases) {
    it(title, () => {
      const home = tempDir('pg-aws-big-');
      writeTree(home, { '.aws/config': files.config, '.aws/credentials': files.credentials });
      const d = decide(['aws', 'sqs', 'delete-queue', '--queue-url', 'q'],
        { env: { AWS_PROFILE: 'dev' }, home, cwd: home, files: nodeFiles });
      assert.match(d.targets[0].unresolved ?? '', why);
      assert.strictEqual(d.action, 'confirm');
      const read = decide(['aws', 'sqs', 'list-queues'],
        { env: { AWS_PROFILE: 'dev' }, home, cwd: home, files: nodeFiles });
      assert.strictEqual(read.action, 'run');
    });
  }
});

describe('aws targets: what botocore skips is absent to the guard too', () => {
  it('a config path that is a folder (os.path.isfile) leaves the credentials file\'s profile resolved', () => {
    const home = tempDir('pg-aws-dir-');
    writeTree(home, { '.aws/config/x': '', '.aws/credentials': '[dev]\naws_access_key_id = AKIAX\n' });
    const d = decide(['aws', 'sqs', 'delete-queue', '--queue-url', 'q'],
      { env: { AWS_PROFILE: 'dev' }, home, cwd: home, files: nodeFiles });
    assert.deepStrictEqual([d.targets[0].name, d.targets[0].unresolved, d.environment, d.action],
      ['dev', undefined, 'development', 'run']);
  });
});

describe('aws detection (status bar) reads ~/.aws/config as the CLI and the guard do', () => {
  const rows: Array<[string, string, Environment, NodeJS.ProcessEnv?]> = [
    [CFG, 'indented', 'production'],
    [CFG, 'colon', 'production'],
    [CFG, 'twice', 'production'],
    [CFG, 'credwins', 'production'],
    [CFG, 'dev2', 'production'],
    [CFG, 'dev', 'development'],
    [CFG_DEFAULT, 'dev', 'production'],
    [CFG, 'dev', 'production', { AWS_ROLE_ARN: PROD_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }],
  ];
  for (const [home, profile, environment, extra] of rows) {
    const label = `${path.basename(home)}: AWS_PROFILE=${profile}${extra ? ' + web identity variables' : ''}`;
    it(`${label} → ${environment}`, () => {
      const r = detectAws({ AWS_PROFILE: profile, ...extra }, home, nodeFiles);
      const ids = r.signals[0].identifiers;
      const prod = ids.some((id) => /prod/.test(id));
      assert.strictEqual(prod, environment === 'production', ids.join(' '));
    });
  }
  it('the section in effect is reported: the last one for the profile', () => {
    const look = findAwsProfile('twice', {}, CFG, nodeFiles);
    assert.strictEqual(look.found?.line, 23);
    assert.strictEqual(look.values.get('role_arn'), PROD_ROLE);
  });
});

table('aws CLI aliases (~/.aws/cli/alias)', [
  ['whoami', 'readOnly'],
  ['nuke --instance-ids i-1', 'destructive'],
  ['nuke --instance-ids i-1 --dry-run', 'noEffect'],
  ['prodwho', 'readOnly'],
  ['shell i-1', 'unknown'],
  ['withprofile', 'unparseable'],
  ['loop1', 'unparseable'],
  ['multi', 'readOnly'],
  ['localstack rb s3://b', 'destructive'],
  ['ec2 instances', 'readOnly'],
  ['ec2 kill i-1', 'destructive'],
  ['ec2 dry', 'noEffect'],
  // Named like an operation: v2 runs the real `list-running`… which does not exist; the alias value terminates.
  ['ec2 list-running', 'destructive'],
  // Shadows terminate-instances with --dry-run: v1 (no such aliases) would terminate.
  ['ec2 terminate-instances --instance-ids i-1', 'destructive'],
  ['ec2 describe-instances', 'readOnly'],
  ['s3 wipe s3://b', 'destructive'],
  ['s3 wipe s3://b --dryrun', 'noEffect'],
  ['WHOAMI', 'unparseable'],
], ALIASES);

table('aws: an alias file the CLI refuses makes every command unreadable', [
  ['ec2 describe-instances', 'unreadable'],
  ['whoami', 'unreadable'],
], fixture('guard-aws', 'badalias'));

table('aws auto-prompt: the command may be edited before it runs', [
  ['--cli-auto-prompt ec2 describe-instances', 'unknown'],
  ['ec2 describe-instances', 'unknown', undefined, { AWS_CLI_AUTO_PROMPT: 'on' }],
  ['ec2 describe-instances', 'unknown', undefined, { AWS_CLI_AUTO_PROMPT: 'on-partial' }],
  ['ec2 describe-instances', 'readOnly', undefined, { AWS_CLI_AUTO_PROMPT: 'off' }],
  ['--profile promptme ec2 describe-instances', 'unknown'],
  ['--profile promptme ec2 describe-instances --no-cli-auto-prompt', 'readOnly'],
  ['--cli-auto-prompt ec2 help', 'noEffect'],
  ['--cli-auto-prompt --no-cli-auto-prompt ec2 describe-instances', 'unparseable'],
  ['--cli-auto ec2 describe-instances', 'readOnly'],
]);

describe('aws SQL: the text that reaches the server', () => {
  const rows: Array<[string, string[] | string, string?]> = [
    ['athena start-query-execution --query-string "SELECT 1"', ['SELECT 1'], 'trino'],
    ['athena start-query-execution --query-string "DROP TABLE t" --work-group primary', ['DROP TABLE t']],
    ['athena start-query-execution --query-s "DROP TABLE t"', ['DROP TABLE t']],
    ['athena start-query-execution --query-string="DROP TABLE t"', ['DROP TABLE t']],
    ['athena start-query-execution --query-string "SELECT 1" --query-str "DROP TABLE t"', ['DROP TABLE t']],
    ['athena start-query-execution --query-string file://drop.sql', ['DROP TABLE orders;\n']],
    ['athena start-query-execution --query-string file://$PWD/drop.sql', ['DROP TABLE orders;\n']],
    ['athena start-query-execution --cli-input-json file://athena-drop.json', ['DROP TABLE t']],
    ['athena start-query-execution --query-string "SELECT 1" --cli-input-json file://athena-drop.json', ['SELECT 1']],
    ['--profile prod athena start-query-execution --query-string "DROP TABLE t" --region us-east-1', ['DROP TABLE t']],
    ['redshift-data execute-statement --cluster-identifier c --sql "DELETE FROM t"', ['DELETE FROM t'], 'postgres'],
    ['redshift-data execute-statement --sq "TRUNCATE t" --database d', ['TRUNCATE t']],
    ['redshift-data batch-execute-statement --sqls "SELECT 1" "DROP TABLE t"', ['SELECT 1', 'DROP TABLE t']],
    ['redshift-data batch-execute-statement --database d --sqls "SELECT 1" --sqls "DROP TABLE w"', ['DROP TABLE w']],
    ['redshift-data batch-execute-statement --sqls \'["SELECT 1","DROP TABLE z"]\'', ['SELECT 1', 'DROP TABLE z']],
    // No shorthand splitting on commas: one statement.
    ['redshift-data batch-execute-statement --sqls "SELECT \'a\' AS x --,DROP TABLE y"',
      ["SELECT 'a' AS x --,DROP TABLE y"]],
    ['redshift-data batch-execute-statement --database d --sqls file://sqls-list.json', ['SELECT 1', 'TRUNCATE t']],
    ['redshift-data batch-execute-statement --cli-input-json file://sqls.json', ['SELECT 1', 'DELETE FROM t']],
    ['rds-data execute-statement --resource-arn a --sql "DROP DATABASE x"', ['DROP DATABASE x'], 'postgres,mysql'],
    ['rds-data batch-execute-statement --resource-arn a --secret-arn s --sql "DELETE FROM t"', ['DELETE FROM t']],
    ['rds-data execute-statement --cli-input-json \'{"sql":"DROP TABLE t","resourceArn":"a"}\'', ['DROP TABLE t']],
    // Not SQL: the global --query is a JMESPath filter.
    ['athena start-query-execution --query "DROP TABLE t"', 'unknown'],
    ['athena start-query-execution --work-group w', 'unknown'],
    ['athena start-query-execution --query-string "SELECT 1" --bogus x', 'unparseable'],
    ['athena start-query-execution --query-string file://nonexistent.sql', 'unreadable'],
    ['athena start-query-execution --query-string https://example.com/q.sql', 'unreadable'],
    ['athena start-query-execution --query-string file:///dev/fd/63', 'unreadable'],
    ['redshift-data execute-statement --database d --sql file://~nobody/q.sql', 'unreadable'],
    ['redshift-data batch-execute-statement --database d --sqls \'["SELECT 1", 2]\'', 'unparseable'],
    ['rds-data execute-statement --cli-input-json \'{"sql":["x"]}\'', 'unparseable'],
  ];
  for (const [line, expected, dialects] of rows) {
    it(`aws ${line} → ${Array.isArray(expected) ? JSON.stringify(expected) : expected}`, () => {
      const r = awsSqlOf(words(line), ctx({ PWD: WORK }));
      assert.ok(r, 'an SQL operation');
      if (Array.isArray(expected)) {
        assert.ok(r.ok, r.ok ? '' : r.verdict.what);
        assert.deepStrictEqual(r.texts, expected);
        if (dialects) assert.strictEqual(r.dialects?.join(','), dialects);
      } else {
        assert.strictEqual(r.ok, false);
        if (!r.ok) assert.strictEqual(r.verdict.code, expected);
      }
    });
  }
  it('SQL from stdin (file:///dev/stdin) needs stdin, and stdin too large is tooLarge', () => {
    const a = awsModule.analyze('aws', words('athena start-query-execution --query-string file:///dev/stdin'), ctx());
    assert.strictEqual(a.readsStdin, true);
    const line = words('athena start-query-execution --query-string file:///dev/stdin');
    const r = awsSqlOf(line, ctx(), { text: 'DROP TABLE t' });
    assert.deepStrictEqual(r && r.ok && r.texts, ['DROP TABLE t']);
    assert.strictEqual(a.judge({ tooLarge: true }).code, 'tooLarge');
  });
  it('the verdict is judgeSql over every statement and dialect, the worse one', () => {
    const line = 'rds-data execute-statement --resource-arn a --sql "SELECT `a` FROM t"';
    const v = awsModule.analyze('aws', words(line), ctx()).judge({});
    const expected = worseVerdict(judgeSql('SELECT `a` FROM t', { dialect: 'postgres', client: 'none' }),
      judgeSql('SELECT `a` FROM t', { dialect: 'mysql', client: 'none' }));
    assert.strictEqual(v.code, expected.code);
  });
  const sqlReady = judgeSql('SELECT 1', { dialect: 'postgres', client: 'none' }).code === 'readOnly';
  const verdictRows: Array<[string, VerdictCode]> = [
    ['athena start-query-execution --query-string "SELECT * FROM logs LIMIT 10"', 'readOnly'],
    ['athena start-query-execution --query-string "DROP TABLE logs"', 'destructive'],
    ['redshift-data execute-statement --database d --sql "SELECT count(*) FROM t"', 'readOnly'],
    ['redshift-data batch-execute-statement --database d --sqls "SELECT 1" "DROP TABLE t"', 'destructive'],
    ['rds-data execute-statement --resource-arn a --sql "DROP TABLE users"', 'destructive'],
    ['redshift-data execute-statement --database d --sql "SELECT 1" --generate-cli-skeleton', 'noEffect'],
    ['athena start-query-execution help', 'noEffect'],
  ];
  for (const [line, code] of verdictRows) {
    it(`aws ${line} → ${code}`, function () {
      if (!sqlReady && code !== 'noEffect') this.skip(); // judgeSql (another module) is not implemented yet
      assert.strictEqual(awsModule.analyze('aws', words(line), ctx()).judge({}).code, code);
    });
  }
});

describe('aws secrets are reported by argv index', () => {
  const rows: Array<[string, number[]]> = [
    ['configure set aws_secret_access_key SECRET', [3]],
    ['configure set aws_session_token TOKEN --profile p', [3]],
    ['configure set profile.prod.aws_secret_access_key SECRET', [3]],
    ['configure set region us-east-1', []],
    ['rds create-db-instance --db-instance-identifier d --master-user-password hunter2', [5]],
    ['rds create-db-instance --master-user-pass=hunter2', [2]],
    ['redshift create-cluster --master-user-password hunter2 --cluster-identifier c', [3]],
    ['secretsmanager put-secret-value --secret-id s --secret-string "{\\"password\\":\\"x\\"}"', [5]],
    ['secretsmanager get-secret-value --secret-id s', []],
    ['s3 cp ./k s3://b/k --sse-c AES256 --sse-c-key KEY', [7]],
    ['iam create-login-profile --user-name u --password P', [5]],
    ['glue create-connection --connection-input Name=c,ConnectionProperties={PASSWORD=x}', [3]],
    ['rds create-db-instance --cli-input-json \'{"MasterUserPassword":"x"}\'', [3]],
    ['--endpoint-url https://u:pw@host ec2 describe-instances', [1]],
    ['--endpoint-url https://host ec2 describe-instances', []],
    ['elasticache create-replication-group --auth-token T', [3]],
    // Abbreviations resolve against the operation's own parameters (the CLI accepts any unique prefix).
    ['rds create-db-instance --db-instance-identifier d --master-user-p hunter2', [5]],
    ['rds create-db-instance --master-user-pa=hunter2 --db-instance-identifier d', [2]],
    ['rds modify-db-instance --db-instance-identifier d --master-user-passw hunter2 --apply-immediately', [5]],
    ['secretsmanager create-secret --name n --secret-s hunter2', [5]],
    ['iam create-login-profile --user-name u --pass hunter2', [5]],
    // Values botocore marks sensitive, whatever their names.
    ['ssm put-parameter --name n --type SecureString --value hunter2', [7]],
    ['ssm put-parameter --name n --val hunter2 --type SecureString', [5]],
    ['ssm put-parameter --name n --value=hunter2', [4]],
    ['kms encrypt --key-id k --plaintext hunter2', [5]],
    ['kms encrypt --key-id k --pl hunter2', [5]],
    ['opensearch create-domain --domain-name d --advanced-security-options '
      + 'Enabled=true,MasterUserOptions={MasterUserName=a,MasterUserPassword=hunter2}', [5]],
    // The model marks ClientIdType sensitive too.
    ['cognito-idp initiate-auth --auth-flow USER_PASSWORD_AUTH --client-id c --auth-parameters USERNAME=u,PASS=hunter2',
      [5, 7]],
    ['ssm put-parameter --cli-input-json \'{"Name":"n","Value":"hunter2","Type":"SecureString"}\'', [3]],
    ['kms encrypt --cli-input-yaml "Plaintext: hunter2"', [3]],
    // Shorthand keys inside a value (`mask.ts` masks them in free text; the guard reports the argument).
    ['elasticache modify-user --user-id u --authentication-mode Type=password,Passwords=hunter2', [5]],
    ['directconnect create-bgp-peer --virtual-interface-id v --new-bgp-peer asn=65000,authKey=hunter2', [5]],
    // Not secrets: exact names that only prefix a secret one, values that are sensitive in other operations.
    ['s3api copy-object --copy-source b/k --bucket b --key k', []],
    ['s3api copy-object --copy-source b/k --bucket b --key k --copy-source-sse-c K', [9]],
    ['cloudwatch put-metric-data --namespace n --metric-name m --value 5', []],
    ['ssm get-parameter --name n --with-decryption', []],
    ['kms decrypt --ciphertext-blob fileb://c', []],
  ];
  for (const [line, idx] of rows) {
    it(`aws ${line} → ${JSON.stringify(idx)}`, () => {
      const argv = words(line);
      const secretArgs = awsModule.analyze('aws', argv, ctx()).secretArgs;
      assert.deepStrictEqual(secretArgs, idx);
      // What check, the refusal and the audit log print.
      assert.doesNotMatch(maskArgv(['aws', ...argv], secretArgs, 1).join(' '), /hunter2/);
    });
  }
});

describe('aws: a destructive production command asks whatever the global flags around it (property)', () => {
  // A small deterministic PRNG: the same permutations on every run, many shapes.
  let seed = 0x2545f491;
  const rand = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const globals: string[][] = [
    ['--region', 'us-east-1'], ['--reg', 'eu-west-1'], ['--region=us-west-2'], ['--output', 'json'], ['--out', 'text'],
    ['--debug'], ['--no-cli-pager'], ['--no-paginate'], ['--color', 'off'], ['--query', 'Reservations'],
    ['--cli-read-timeout', '5'], ['--cli-connect-timeout=3'], ['--ca-bundle', '/tmp/ca.pem'], ['--no-verify-ssl'],
    ['--endpoint-url', 'https://ec2.us-east-1.amazonaws.com'], ['--cli-binary-format', 'raw-in-base64-out'],
  ];
  const profiles: string[][] = [
    ['--profile', 'prod'], ['--profile=prod'], ['--prof', 'prod'], ['--pro=prod'], ['--p', 'prod'],
  ];
  const commands: string[][] = [
    ['ec2', 'terminate-instances', '--instance-ids', 'i-1', 'i-2'],
    ['rds', 'delete-db-instance', '--db-instance-identifier', 'db', '--skip-final-snapshot'],
    ['s3', 'rb', 's3://bucket', '--force'],
    ['s3', 'rm', 's3://bucket', '--recursive'],
    ['dynamodb', 'delete-table', '--table-name', 't'],
  ];
  for (let n = 0; n < 300; n++) {
    const cmd = commands[rand(commands.length)];
    const units: string[][] = [profiles[rand(profiles.length)]];
    for (let k = rand(5); k > 0; k--) units.push(globals[rand(globals.length)]);
    // Insert whole options (an option and its value stay together) anywhere between the command's words.
    const slots: string[][] = cmd.map((w) => [w]);
    for (const unit of units) slots.splice(rand(slots.length + 1), 0, unit);
    const argv = slots.flat();
    // A global option between an option and its value is still read first by the CLI: allowed.
    it(`aws ${argv.join(' ')}`, () => {
      const a = awsModule.analyze('aws', argv, ctx());
      const v = a.judge({});
      assert.ok(asks(v), `${v.code}: ${v.what}`);
      assert.strictEqual(v.code, 'destructive');
      assert.deepStrictEqual(a.targets.map((t) => t.name), ['prod']);
    });
  }
  it('the same through an alias and an environment profile', () => {
    for (let n = 0; n < 50; n++) {
      const slots: string[][] = [['nuke'], ['--instance-ids'], ['i-1']];
      for (let k = rand(4); k >= 0; k--) slots.splice(rand(slots.length + 1), 0, globals[rand(globals.length)]);
      const argv = slots.flat();
      const a = awsModule.analyze('aws', argv, ctx({ AWS_PROFILE: 'prod' }, ALIASES));
      assert.strictEqual(a.judge({}).code, 'destructive', argv.join(' '));
      assert.strictEqual(a.targets[0].name, 'prod');
    }
  });
});

describe('aws readers', () => {
  it('shlexSplit follows Python shlex (POSIX)', () => {
    const split = shlexSplit('a "b c" \'d e\' f\\ g "h\\"i" "j\\k"');
    assert.deepStrictEqual(split, ['a', 'b c', 'd e', 'f g', 'h"i', 'j\\k']);
    assert.deepStrictEqual(shlexSplit('a #b'), ['a', '#b']);
    assert.strictEqual(shlexSplit('"open'), undefined);
  });
  it('parseRawConfig follows configparser: continuation lines, DEFAULT, lower-case keys, strictness', () => {
    const r = parseRawConfig('[DEFAULT]\nx = 1\n[toplevel]\nWhoAmI = sts\n  get-caller-identity\n; c\nother: y\n');
    assert.ok(!('error' in r));
    if ('error' in r) return;
    assert.strictEqual(r.sections.get('toplevel')?.get('whoami'), 'sts\nget-caller-identity');
    assert.strictEqual(r.sections.get('toplevel')?.get('other'), 'y');
    assert.strictEqual(r.sections.get('toplevel')?.get('x'), '1');
    assert.ok('error' in parseRawConfig('[a]\nx=1\nx=2\n'));
    assert.ok('error' in parseRawConfig('x=1\n'));
    assert.ok('error' in parseRawConfig('[a]\n[a]\n'));
  });
  it('finds secrets in 1 MB values in bounded time (shorthand keys, --cli-input-json members)', () => {
    const shorthand = `${'Aa_'.repeat(100_000)}=${'x:'.repeat(200_000)}Passwords=hunter2`;
    const input = `{${'"Name": "n", '.repeat(50_000)}"Value": "hunter2"}`;
    const t0 = Date.now();
    const a = awsModule.analyze('aws', ['elasticache', 'modify-user', '--authentication-mode', shorthand], ctx());
    const b = awsModule.analyze('aws', ['ssm', 'put-parameter', '--cli-input-json', input], ctx());
    assertBounded(Date.now() - t0, 'aws secrets in 1 MB values');
    assert.deepStrictEqual([a.secretArgs, b.secretArgs], [[3], [3]]);
  });
  it('decides a 1 MB argument list in bounded time', () => {
    const ids = Array.from({ length: 50_000 }, (_x, i) => `i-${i}`);
    const argv = ['ec2', 'terminate-instances', '--instance-ids', ...ids, '--profile', 'prod'];
    const t0 = Date.now();
    const a = awsModule.analyze('aws', argv, ctx());
    assert.strictEqual(a.judge({}).code, 'destructive');
    assertBounded(Date.now() - t0, 'aws decision');
  });
});
