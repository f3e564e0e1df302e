// The AWS CLI, read the way the CLI reads itself: Python's argparse in three passes (global options anywhere,
// then the service, then the operation), unique-prefix abbreviations (`--prof`, `--dry`), aliases from
// `~/.aws/cli/alias`, parameters loaded from `file://`, `--cli-input-json/yaml`, and SQL sent through Athena,
// Redshift Data and RDS Data judged as SQL. Operations are judged by name (describe/list/get… only read);
// everything else asks in production. Tables below were taken from the installed CLI (awscli 2.9.19) and
// `test/system/aws-grammar.test.ts` compares them with it.
import * as path from 'path';
import { parseDocument } from 'yaml';
import { accountFromArn, awsPaths, findAwsProfile, webIdentityRole } from '../../aws';
import { parseIni, shlexSplit } from '../../ini';
import { isSecretKey } from '../../mask';
import type { Problem } from '../../types';
import { parseArgs, type FlagDef, type Grammar, type ParsedArgs } from '../grammar';
import { judgeSql, type SqlDialect } from '../sql';
import { asks, verdict } from '../types';
import { AWS_SECRET_NAME, AWS_SENSITIVE_PARAMS } from './awsSensitive';
import type { GuardTarget, StdinInput, ToolAnalysis, ToolContext, ToolModule, Verdict, VerdictCode } from '../types';

// ---------------------------------------------------------------------------------------------------------
// Grammar data
// ---------------------------------------------------------------------------------------------------------

const opt = (name: string, arg: FlagDef['arg'] = 'required', extra: Partial<FlagDef> = {}): FlagDef => ({
  name, long: [name], arg, ...extra,
});

/** The CLI's global options (`awscli/data/cli.json` plus `--version`), parsed before anything else. */
export const AWS_GLOBAL_GRAMMAR: Grammar = {
  style: 'argparse',
  abbreviations: true,
  flags: [
    opt('debug', 'none'), opt('endpoint-url'), opt('no-verify-ssl', 'none'), opt('no-paginate', 'none'), opt('output'),
    opt('query'), opt('profile'), opt('region'), opt('version', 'none'), opt('color'), opt('no-sign-request', 'none'),
    opt('ca-bundle'), opt('cli-read-timeout'), opt('cli-connect-timeout'), opt('cli-binary-format'),
    opt('no-cli-pager', 'none'), opt('cli-auto-prompt', 'none'), opt('no-cli-auto-prompt', 'none'),
  ],
};

/** Every top-level command of the installed CLI (services and customizations); aliases may shadow them. */
export const AWS_BUILTIN_COMMANDS: ReadonlySet<string> = new Set(`accessanalyzer account acm acm-pca alexaforbusiness
amp amplify amplifybackend amplifyuibuilder apigateway apigatewaymanagementapi apigatewayv2 appconfig appconfigdata
appflow appintegrations application-autoscaling application-insights applicationcostprofiler appmesh apprunner
appstream appsync arc-zonal-shift athena auditmanager autoscaling autoscaling-plans backup backup-gateway
backupstorage batch billingconductor braket budgets ce chime chime-sdk-identity chime-sdk-media-pipelines
chime-sdk-meetings chime-sdk-messaging chime-sdk-voice cleanrooms cli-dev cloud9 cloudcontrol clouddirectory
cloudformation cloudfront cloudhsm cloudhsmv2 cloudsearch cloudsearchdomain cloudtrail cloudwatch codeartifact
codebuild codecatalyst codecommit codeguru-reviewer codeguruprofiler codepipeline codestar codestar-connections
codestar-notifications cognito-identity cognito-idp cognito-sync comprehend comprehendmedical compute-optimizer
configservice configure connect connect-contact-lens connectcampaigns connectcases connectparticipant controltower cur
customer-profiles databrew dataexchange datapipeline datasync dax ddb deploy detective devicefarm devops-guru
directconnect discovery dlm dms docdb docdb-elastic drs ds dynamodb dynamodbstreams ebs ec2 ec2-instance-connect ecr
ecr-public ecs efs eks elastic-inference elasticache elasticbeanstalk elastictranscoder elb elbv2 emr emr-containers
emr-serverless es events evidently finspace finspace-data firehose fis fms forecast forecastquery frauddetector fsx
gamelift gamesparks glacier globalaccelerator glue grafana greengrass greengrassv2 groundstation guardduty health
healthlake help history honeycode iam identitystore imagebuilder importexport inspector inspector2 iot iot-data
iot-jobs-data iot-roborunner iot1click-devices iot1click-projects iotanalytics iotdeviceadvisor iotevents
iotevents-data iotfleethub iotfleetwise iotsecuretunneling iotsitewise iotthingsgraph iottwinmaker iotwireless ivs
ivschat kafka kafkaconnect kendra kendra-ranking keyspaces kinesis kinesis-video-archived-media kinesis-video-media
kinesis-video-signaling kinesis-video-webrtc-storage kinesisanalytics kinesisanalyticsv2 kinesisvideo kms
lakeformation lambda lex-models lex-runtime lexv2-models lexv2-runtime license-manager
license-manager-linux-subscriptions license-manager-user-subscriptions lightsail location logs lookoutequipment
lookoutmetrics lookoutvision m2 machinelearning macie macie2 managedblockchain marketplace-catalog
marketplace-entitlement marketplacecommerceanalytics mediaconnect mediaconvert medialive mediapackage mediapackage-vod
mediastore mediastore-data mediatailor memorydb meteringmarketplace mgh mgn migration-hub-refactor-spaces
migrationhub-config migrationhuborchestrator migrationhubstrategy mobile mq mturk mwaa neptune network-firewall
networkmanager nimble oam omics opensearch opensearchserverless opsworks opsworks-cm opsworkscm organizations outposts
panorama personalize personalize-events personalize-runtime pi pinpoint pinpoint-email pinpoint-sms-voice
pinpoint-sms-voice-v2 pipes polly pricing privatenetworks proton qldb qldb-session quicksight ram rbin rds rds-data
redshift redshift-data redshift-serverless rekognition resiliencehub resource-explorer-2 resource-groups
resourcegroupstaggingapi robomaker rolesanywhere route53 route53-recovery-cluster route53-recovery-control-config
route53-recovery-readiness route53domains route53resolver rum s3 s3api s3control s3outposts sagemaker
sagemaker-a2i-runtime sagemaker-edge sagemaker-featurestore-runtime sagemaker-geospatial sagemaker-metrics
sagemaker-runtime savingsplans scheduler schemas sdb secretsmanager securityhub securitylake serverlessrepo
service-quotas servicecatalog servicecatalog-appregistry servicediscovery ses sesv2 shield signer simspaceweaver sms
snow-device-management snowball sns sqs ssm ssm-contacts ssm-incidents ssm-sap sso sso-admin sso-oidc stepfunctions
storagegateway sts support support-app swf synthetics textract timestream-query timestream-write transcribe transfer
translate voice-id waf waf-regional wafv2 wellarchitected wisdom workdocs worklink workmail workmailmessageflow
workspaces workspaces-web xray`.split(/\s+/));

/**
 * Commands that are CLI customizations (argparse over their own table) rather than API operations: `help` is
 * only `… help` alone, and they have no `--dry-run`, `--generate-cli-skeleton` or `--cli-input-json`. Every
 * service's `wait` is one too.
 */
export const AWS_CUSTOM_COMMANDS: ReadonlySet<string> = new Set([
  'cli-dev wizard-dev', 'cloudformation deploy', 'cloudformation package', 'cloudfront sign',
  'cloudtrail validate-logs',
  'codeartifact login', 'codecommit credential-helper', 'configservice get-status', 'configservice subscribe',
  'configure add-model', 'configure export-credentials', 'configure get', 'configure import', 'configure list',
  'configure list-profiles', 'configure set', 'configure sso', 'configure sso-session', 'configure wizard',
  'datapipeline create-default-roles', 'datapipeline list-runs', 'ddb put', 'ddb select', 'deploy deregister',
  'deploy install', 'deploy push', 'deploy register', 'deploy uninstall', 'dlm create-default-role', 'dynamodb wizard',
  'ecr get-login-password', 'ecr-public get-login-password', 'ecs deploy', 'ecs execute-command', 'eks get-token',
  'eks update-kubeconfig', 'emr add-instance-groups', 'emr add-steps', 'emr create-cluster', 'emr create-default-roles',
  'emr create-hbase-backup', 'emr describe-cluster', 'emr disable-hbase-backups', 'emr get', 'emr install-applications',
  'emr modify-cluster-attributes', 'emr put', 'emr restore-from-hbase-backup', 'emr schedule-hbase-backup', 'emr socks',
  'emr ssh', 'emr terminate-clusters', 'emr-containers update-role-trust-policy', 'events wizard',
  'gamelift get-game-session-log', 'gamelift upload-build', 'history list', 'history show', 'iam wizard',
  'lambda wizard', 'lightsail push-container-image', 'logs tail', 'opsworks register', 'rds generate-db-auth-token',
  's3 cp', 's3 ls', 's3 mb', 's3 mv', 's3 presign', 's3 rb', 's3 rm', 's3 sync', 's3 website',
  'servicecatalog generate',
  'ssm start-session', 'sso login', 'sso logout',
]);

/** Top-level customizations whose subcommands are all customizations. */
const CUSTOM_TOP = new Set(['s3', 'ddb', 'configure', 'history', 'cli-dev']);

/** `s3` high-level commands: their argparse tables from `awscli/customizations/s3/subcommands.py`. */
const s3 = (flags: FlagDef[]): Grammar => ({ style: 'argparse', abbreviations: true, flags });
const S3_TRANSFER: FlagDef[] = [
  opt('dryrun', 'none'), opt('quiet', 'none'), opt('include'), opt('exclude'), opt('acl'),
  opt('follow-symlinks', 'none'), opt('no-follow-symlinks', 'none'), opt('no-guess-mime-type', 'none'),
  // nargs='?' options: argparse takes the next argument when it is not an option (see the report on grammar.ts).
  opt('sse'), opt('sse-c'), opt('sse-c-key', 'required', { secret: true }), opt('sse-kms-key-id'),
  opt('sse-c-copy-source'), opt('sse-c-copy-source-key', 'required', { secret: true }), opt('storage-class'),
  opt('grants', 'required', { multi: true }), opt('website-redirect'), opt('content-type'), opt('cache-control'),
  opt('content-disposition'), opt('content-encoding'), opt('content-language'), opt('expires'), opt('source-region'),
  opt('only-show-errors', 'none'), opt('no-progress', 'none'), opt('page-size'), opt('ignore-glacier-warnings', 'none'),
  opt('force-glacier-transfer', 'none'), opt('request-payer'), opt('metadata'), opt('copy-props'),
  opt('metadata-directive'),
];
/** The `aws s3 <cmd>` option tables, by subcommand. */
export const AWS_S3_GRAMMARS: Readonly<Record<string, Grammar>> = {
  ls: s3([opt('recursive', 'none'), opt('page-size'), opt('human-readable', 'none'), opt('summarize', 'none'),
    opt('request-payer')]),
  website: s3([opt('index-document'), opt('error-document')]),
  cp: s3([...S3_TRANSFER, opt('expected-size'), opt('recursive', 'none')]),
  mv: s3([...S3_TRANSFER, opt('recursive', 'none')]),
  rm: s3([opt('dryrun', 'none'), opt('quiet', 'none'), opt('recursive', 'none'), opt('request-payer'), opt('include'),
    opt('exclude'), opt('only-show-errors', 'none'), opt('page-size')]),
  sync: s3([...S3_TRANSFER, opt('delete', 'none'), opt('exact-timestamps', 'none'), opt('size-only', 'none')]),
  mb: s3([]),
  rb: s3([opt('force', 'none')]),
  presign: s3([opt('expires-in')]),
};

/** Where an operation's SQL is: the CLI parameter, its `--cli-input-json` key, and the dialects to judge it in. */
interface SqlOperation {
  readonly grammar: Grammar;
  readonly param: string;
  readonly inputKey: string;
  readonly dialects: readonly SqlDialect[];
}
const FIXED_OP_FLAGS: FlagDef[] = [opt('cli-input-json'), opt('cli-input-yaml'), opt('generate-cli-skeleton')];
const sqlOp = (param: string, inputKey: string, dialects: SqlDialect[], flags: FlagDef[]): SqlOperation => ({
  grammar: { style: 'argparse', abbreviations: true, flags: [...flags, ...FIXED_OP_FLAGS] }, param, inputKey, dialects,
});
const list = (name: string): FlagDef => opt(name, 'required', { multi: true });
/** Operations that run SQL, with their full parameter tables (abbreviations resolve against them). */
export const AWS_SQL_OPERATIONS: Readonly<Record<string, SqlOperation>> = {
  'athena start-query-execution': sqlOp('query-string', 'QueryString', ['trino'], [
    opt('query-string'), opt('client-request-token'), opt('query-execution-context'), opt('result-configuration'),
    opt('work-group'), list('execution-parameters'), opt('result-reuse-configuration'),
  ]),
  'redshift-data execute-statement': sqlOp('sql', 'Sql', ['postgres'], [
    opt('client-token'), opt('cluster-identifier'), opt('database'), opt('db-user'), list('parameters'),
    opt('secret-arn'), opt('sql'), opt('statement-name'), opt('with-event', 'none'), opt('no-with-event', 'none'),
    opt('workgroup-name'),
  ]),
  'redshift-data batch-execute-statement': sqlOp('sqls', 'Sqls', ['postgres'], [
    opt('client-token'), opt('cluster-identifier'), opt('database'), opt('db-user'), opt('secret-arn'), list('sqls'),
    opt('statement-name'), opt('with-event', 'none'), opt('no-with-event', 'none'), opt('workgroup-name'),
  ]),
  // The RDS Data API serves Aurora PostgreSQL and Aurora MySQL; the command line does not say which.
  'rds-data execute-statement': sqlOp('sql', 'sql', ['postgres', 'mysql'], [
    opt('resource-arn'), opt('secret-arn'), opt('sql'), opt('database'), opt('schema'), list('parameters'),
    opt('transaction-id'), opt('include-result-metadata', 'none'), opt('no-include-result-metadata', 'none'),
    opt('continue-after-timeout', 'none'), opt('no-continue-after-timeout', 'none'), opt('result-set-options'),
    opt('format-records-as'),
  ]),
  'rds-data batch-execute-statement': sqlOp('sql', 'sql', ['postgres', 'mysql'], [
    opt('resource-arn'), opt('secret-arn'), opt('sql'), opt('database'), opt('schema'), list('parameter-sets'),
    opt('transaction-id'),
  ]),
};

// ---------------------------------------------------------------------------------------------------------
// Verdict tables
// ---------------------------------------------------------------------------------------------------------

/** Operation-name prefixes that only read (`describe-instances`, `batch-get-item`, `query`, `wait`). */
const READ_NAME = new RegExp('^(describe|list|get|head|batch-get|batch-describe|batch-detect|search|query|scan|lookup'
  + '|filter|validate|estimate|simulate|detect|count|is|read)(-|$)|^wait$');
/** Operation names that delete or terminate. */
const DESTRUCTIVE_NAME = /^(delete|terminate|remove|deregister|purge|dispose|batch-delete)(-|$)/;

/** Operations that only read although their names do not say so (reviewed one by one). */
const READ_OPS = new Set([
  'logs tail', 'logs start-query', 'logs stop-query', 'ddb select', 'sdb select', 's3api select-object-content',
  'sts assume-role', 'sts assume-role-with-saml', 'sts assume-role-with-web-identity',
  'sts decode-authorization-message',
  'dynamodb transact-get-items', 'ecr batch-check-layer-availability', 'ecr-public batch-check-layer-availability',
  'clouddirectory batch-read', 'rds download-db-log-file-portion', 'inspector preview-agents', 'eks get-token',
  'kms decrypt', 'kms encrypt', 'kms re-encrypt', 'kms sign', 'kms verify', 'kms verify-mac', 'kms generate-mac',
  'kms generate-random', 'kms generate-data-key', 'kms generate-data-key-pair',
  'kms generate-data-key-without-plaintext', 'kms generate-data-key-pair-without-plaintext',
  // test-* and check-* that only evaluate; the others invoke backends or fail over (elasticache test-failover).
  'cloudfront test-function', 'events test-event-pattern', 'evidently test-segment-pattern', 'iot test-authorization',
  'logs test-metric-filter', 'macie2 test-custom-data-identifier', 'route53 test-dns-answer',
  'ses test-render-template',
  'sesv2 test-render-email-template', 'workmail test-availability-configuration',
  'elasticbeanstalk check-dns-availability', 'glue check-schema-version-validity',
  'route53domains check-domain-availability',
  'route53domains check-domain-transferability', 'sns check-if-phone-number-is-opted-out', 'wafv2 check-capacity',
  'appsync evaluate-code', 'appsync evaluate-mapping-template', 'codecommit evaluate-pull-request-approval-rules',
  'datapipeline evaluate-expression',
  // Stateless analysis services.
  'textract analyze-document', 'textract analyze-expense', 'textract analyze-id', 'translate translate-text',
  'polly synthesize-speech', 'comprehend classify-document', 'comprehend contains-pii-entities',
  'rekognition compare-faces',
  'rekognition recognize-celebrities', 'machinelearning predict',
]);
/** Read-looking names that write: never read-only. */
const NOT_READ_OPS = new Set(['cloudformation detect-stack-set-drift']);
/** Commands that touch only local files or the CLI's own configuration. */
const LOCAL_OPS = new Set([
  'eks update-kubeconfig', 'ecr get-login-password', 'ecr-public get-login-password', 'codeartifact login', 'sso login',
  'sso logout', 'cloudfront sign', 'rds generate-db-auth-token', 'codecommit credential-helper', 's3 presign',
]);
const LOCAL_SERVICES = new Set(['configure', 'history', 'cli-dev']);
/** Destructive operations whose names do not start with a destructive verb. */
const DESTRUCTIVE_OPS = new Set([
  'kms schedule-key-deletion', 'organizations close-account', 'organizations leave-organization',
]);

/** The reviewed exceptions to the name rules, by table (the grammar test checks each names a real command). */
export const AWS_NAME_TABLES: Readonly<Record<string, ReadonlySet<string>>> = {
  read: READ_OPS, notRead: NOT_READ_OPS, local: LOCAL_OPS, destructive: DESTRUCTIVE_OPS,
};

/** The verdict an operation gets from its name alone (no arguments looked at). */
export function awsVerdictByName(service: string, op: string): Verdict {
  return byName(service, op);
}

/** The secret parameters of one operation (from `AWS_SENSITIVE_PARAMS`) and its exact names that prefix them. */
interface SecretParams {
  readonly secret: readonly string[];
  readonly exact: ReadonlySet<string>;
}
const sensitiveCache = new Map<string, ReadonlyMap<string, SecretParams>>();

/** The generated table of one service, read on first use. */
function secretParams(service: string, op: string): SecretParams | undefined {
  if (!Object.prototype.hasOwnProperty.call(AWS_SENSITIVE_PARAMS, service)) return undefined;
  let ops = sensitiveCache.get(service);
  if (!ops) {
    const map = new Map<string, SecretParams>();
    for (const entry of AWS_SENSITIVE_PARAMS[service].split(' ')) {
      const colon = entry.indexOf(':');
      const names = entry.slice(colon + 1).split(',');
      map.set(entry.slice(0, colon), {
        secret: names.filter((n) => !n.startsWith('=')),
        exact: new Set(names.filter((n) => n.startsWith('=')).map((n) => n.slice(1))),
      });
    }
    sensitiveCache.set(service, (ops = map));
  }
  return ops.get(op);
}

/**
 * Whether `--name` (as typed: argparse takes any unique prefix) names a secret parameter of the operation: the
 * name rule, or a prefix of a parameter the CLI's models mark sensitive (`--master-user-p`, `--plaintext`).
 */
function isSecretParam(name: string, params: SecretParams | undefined): boolean {
  if (AWS_SECRET_NAME.test(name)) return true;
  if (!params || name === '' || params.exact.has(name)) return false;
  return params.secret.some((p) => p.startsWith(name));
}

/** Whether a character may be part of a key (`Master_User.Password-2`). */
function isKeyChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
}

/**
 * Whether any key in the text (before a `=` or `:`, a closing quote and a few spaces allowed) passes `test`.
 * One pass with at most 64 characters looked back per delimiter (no regular expression that backtracks).
 */
function anyKey(text: string, test: (key: string) => boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '=' && c !== ':') continue;
    let end = i;
    while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t') && i - end < 4) end--;
    if (end > 0 && (text[end - 1] === '"' || text[end - 1] === "'")) end--;
    let start = end;
    while (start > 0 && isKeyChar(text.charCodeAt(start - 1)) && end - start < 64) start--;
    if (start < end && test(text.slice(start, end))) return true;
  }
  return false;
}

/**
 * Whether a value carries a secret under a key (`Password=…`, `Passwords=[…]`, `authKey=…`, `"SecretAccessKey":`),
 * as `maskSecrets` reads keys.
 */
function hasSecretKey(text: string): boolean {
  return anyKey(text, isSecretKey);
}

/** Whether the operation's input (JSON or YAML text) names one of its secret members (`"MasterUserPassword":`). */
function inputHasSecretMember(text: string, params: SecretParams | undefined): boolean {
  if (!params) return false;
  // The CLI names members with botocore's xform_name (`MasterUserPassword` → `master-user-password`).
  const members = new Set(params.secret.map((p) => p.replace(/-/g, '')));
  return anyKey(text, (key) => members.has(key.toLowerCase()));
}

// ---------------------------------------------------------------------------------------------------------
// Small readers: argparse's notion of a positional, shlex, configparser, expandvars
// ---------------------------------------------------------------------------------------------------------

/** Whether argparse (in a parser without options of its own) reads a token as a positional. */
function isPositional(a: string): boolean {
  return !a.startsWith('-') || a.length === 1 || /^-\d+$|^-\d*\.\d+$/.test(a) || a.includes(' ');
}

/** Python's `shlex.split` (POSIX mode, no comments): how alias values become arguments. */
export { shlexSplit };

/** Sections of an INI file as Python's `configparser.RawConfigParser` (strict) reads it, or why it fails. */
export function parseRawConfig(text: string):
  { sections: Map<string, Map<string, string>> } | { error: string; line: number } {
  const parsed = parseIni(text);
  if (parsed.errors.length) return { error: parsed.errors[0].message, line: parsed.errors[0].line };
  const sections = new Map<string, Map<string, string>>();
  for (const s of parsed.sections) {
    const values = new Map<string, string>();
    for (const [k, v] of parsed.defaults) values.set(k, v.value);
    for (const [k, v] of s.values) values.set(k, v.value);
    sections.set(s.name, values);
  }
  return { sections };
}

/** Python's `os.path.expanduser` then `expandvars`, as `file://` paths are read; `undefined` for `~user`. */
function expandPath(p: string, env: NodeJS.ProcessEnv, home: string): string | undefined {
  let out = p;
  if (out === '~' || out.startsWith('~/')) out = (env.HOME ?? home) + out.slice(1);
  else if (out.startsWith('~')) return undefined;
  return out.replace(/\$(\w+|\{[^}]*\})/g, (m, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name;
    return env[key] ?? m;
  });
}

// ---------------------------------------------------------------------------------------------------------
// The three argparse passes
// ---------------------------------------------------------------------------------------------------------

/** One argument with its index in the command's argv (-1 when it came from an alias). */
interface Arg {
  readonly v: string;
  readonly i: number;
}

/** The main parser's reading: global options, the command, and what it hands on. */
interface MainReading {
  readonly parsed: ParsedArgs;
  readonly command?: Arg;
  readonly rest: Arg[];
  /** A `--` was given: the CLI's later passes read it differently from argparse's usual rule. */
  readonly dashdash: boolean;
}

function readMain(args: readonly Arg[]): MainReading {
  const parsed = parseArgs(args.map((a) => a.v), AWS_GLOBAL_GRAMMAR);
  const used = new Set<number>();
  for (const f of parsed.flags) {
    used.add(f.index);
    if (f.valueIndex !== undefined) used.add(f.valueIndex);
  }
  const dash = args.findIndex((a, k) => a.v === '--' && !used.has(k));
  const first = parsed.positionals.find((p) => p.index !== dash);
  const rest: Arg[] = [];
  args.forEach((a, k) => {
    if (!used.has(k) && k !== first?.index && k !== dash) rest.push(a);
  });
  return { parsed, command: first ? args[first.index] : undefined, rest, dashdash: dash >= 0 };
}

/** The last value of a global option, in CLI order; an empty one counts as absent (`if args.profile:`). */
function globalValue(p: ParsedArgs, name: string): string | undefined {
  for (let k = p.flags.length - 1; k >= 0; k--) if (p.flags[k].name === name) return p.flags[k].value || undefined;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Aliases
// ---------------------------------------------------------------------------------------------------------

/** The alias file as the CLI loads it: `[toplevel]` and `[command <path>]` sections. */
interface Aliases {
  readonly toplevel: ReadonlyMap<string, string>;
  readonly sub: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly file: string;
}

function loadAliases(ctx: ToolContext): { aliases?: Aliases; problem?: Problem } {
  const file = path.join(ctx.env.HOME || ctx.home, '.aws', 'cli', 'alias');
  const r = ctx.files.readText(file);
  if (!r.ok) {
    // configparser silently skips a file it cannot open; a binary or huge one we cannot vouch for.
    if (r.missing || /permission denied/.test(r.message)) return {};
    return { problem: { source: file, message: `alias file ${r.message}` } };
  }
  const parsed = parseRawConfig(r.text);
  if ('error' in parsed) {
    const message = `alias file: ${parsed.error} (the AWS CLI refuses every command)`;
    return { problem: { source: file, line: parsed.line, message } };
  }
  const sub = new Map<string, Map<string, string>>();
  for (const [name, values] of parsed.sections) {
    if (name.startsWith('command ')) sub.set(name.split(/\s+/).slice(1).join(' '), values);
  }
  return { aliases: { toplevel: parsed.sections.get('toplevel') ?? new Map(), sub, file } };
}

// ---------------------------------------------------------------------------------------------------------
// The reading of one command line
// ---------------------------------------------------------------------------------------------------------

/** What the CLI would run, after aliases: enough to judge it and to find its target. */
interface Reading {
  readonly service?: Arg;
  readonly op?: Arg;
  /** Arguments after the operation (the operation's own parser reads them). */
  readonly opArgs: Arg[];
  /** Global options set by alias values (they override the command line's). */
  readonly aliasGlobals: Record<string, string>;
  /** Why the reading cannot be trusted (an alias error, `--`): judged `unparseable`. */
  readonly broken?: string;
  /** An external (`!`) alias runs a shell command. */
  readonly external?: string;
  /** Aliases that were expanded, for messages. */
  readonly via: string[];
}

const MAX_ALIAS_DEPTH = 8;

interface Expanded {
  readonly command?: Arg;
  readonly rest: Arg[];
  readonly broken?: string;
  readonly external?: string;
}

function expandTop(command: Arg | undefined, rest: Arg[], aliases: Aliases | undefined, depth: number,
  out: { globals: Record<string, string>; via: string[] }): Expanded {
  if (!command || !aliases) return { command, rest };
  const value = aliases.toplevel.get(command.v);
  if (value === undefined) return { command, rest };
  if (depth >= MAX_ALIAS_DEPTH) return { command, rest, broken: `alias "${command.v}" expands into itself` };
  if (!out.via.includes(command.v)) out.via.push(command.v);
  if (value.startsWith('!')) return { command, rest, external: externalAlias(command.v, value) };
  const words = shlexSplit(value);
  if (!words) return { command, rest, broken: `alias "${command.v}" cannot be split into words` };
  const m = readMain(words.map((v) => ({ v, i: -1 })));
  const bad = aliasGlobalsProblem(m.parsed, command.v);
  if (bad || m.dashdash || m.parsed.errors.length) {
    return { command, rest, broken: bad ?? `alias "${command.v}" cannot be parsed` };
  }
  for (const f of m.parsed.flags) if (f.value) out.globals[f.name] = f.value;
  if (!m.command) return { command, rest, broken: `alias "${command.v}" names no command` };
  const next = [...m.rest, ...rest];
  // An alias that shadows a built-in command and names it runs the built-in one.
  if (m.command.v === command.v && AWS_BUILTIN_COMMANDS.has(command.v)) return { command: m.command, rest: next };
  return expandTop(m.command, next, aliases, depth + 1, out);
}

function externalAlias(name: string, value: string): string {
  return `alias "${name}" runs a shell command (${value.slice(1, 80)})`;
}

function aliasGlobalsProblem(p: ParsedArgs, alias: string): string | undefined {
  const f = p.flags.find((x) => x.name === 'profile' || x.name === 'debug');
  return f ? `alias "${alias}" sets --${f.name}, which the CLI refuses in aliases` : undefined;
}

/** One-word operation names of the installed CLI (hyphenated names are all taken as possible operations). */
const ONE_WORD_OPS = new Set(`cp decrypt deploy deregister disable enable encrypt generate get import install invoke
list login logout ls mb mv package ping predict presign publish push put query rb register rescore rm scan search select
set show sign socks ssh sso subscribe suggest sync tag tail uninstall unsubscribe untag verify wait website
wizard`.split(/\s+/));

/** Whether an alias name may be a real operation, which a `[command …]` alias of that name shadows. */
function couldBeOperation(name: string): boolean {
  return /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(name) || ONE_WORD_OPS.has(name);
}

function readCommand(argv: readonly string[], aliases: Aliases | undefined):
  { main: MainReading; readings: Reading[] } {
  const main = readMain(argv.map((v, i) => ({ v, i })));
  const out = { globals: {} as Record<string, string>, via: [] as string[] };
  if (main.dashdash) {
    const broken = '"--" changes how the AWS CLI reads the rest of the line';
    const op = firstPositional(main.rest);
    return { main, readings: [{ service: main.command, op, opArgs: [], aliasGlobals: {}, via: [], broken }] };
  }
  const top = expandTop(main.command, main.rest, aliases, 0, out);
  const base = { aliasGlobals: out.globals, via: out.via, broken: top.broken, external: top.external };
  const op = firstPositional(top.rest);
  const opArgs = top.rest.filter((a) => a !== op);
  const readings: Reading[] = [];
  const subAliases = top.command && op ? aliases?.sub.get(top.command.v) : undefined;
  const subValue = op ? subAliases?.get(op.v) : undefined;
  if (subValue === undefined || !top.command || !op) {
    readings.push({ ...base, service: top.command, op, opArgs });
    return { main, readings };
  }
  // `[command <service>]` aliases (AWS CLI v2): the value's global options apply, its words replace the
  // operation. An alias named like an operation runs that operation with the value's words after the first
  // (v2) — or, on v1, which has no such aliases, the operation as typed. Every reading is judged.
  const via = [...out.via, `${top.command.v} ${op.v}`];
  const service = top.command;
  if (subValue.startsWith('!')) {
    return { main, readings: [{ ...base, via, service, op, opArgs, external: externalAlias(op.v, subValue) }] };
  }
  const words = shlexSplit(subValue);
  const m = words ? readMain([service.v, ...words].map((v) => ({ v, i: -1 }))) : undefined;
  const bad = m ? aliasGlobalsProblem(m.parsed, op.v) : undefined;
  if (!m || bad || m.dashdash || m.parsed.errors.length) {
    const broken = bad ?? `alias "${op.v}" cannot be parsed`;
    return { main, readings: [{ ...base, via, service, op, opArgs, broken }] };
  }
  const globals = { ...out.globals };
  for (const f of m.parsed.flags) if (f.value) globals[f.name] = f.value;
  const expanded = [...m.rest, ...opArgs];
  const newOp = firstPositional(expanded);
  const newArgs = expanded.filter((a) => a !== newOp);
  readings.push({ ...base, via, aliasGlobals: globals, service, op: newOp, opArgs: newArgs });
  if (couldBeOperation(op.v)) {
    readings.push({ ...base, via, aliasGlobals: globals, service, op, opArgs: [...m.rest.slice(1), ...opArgs] });
    readings.push({ ...base, via, service, op, opArgs });
  }
  return { main, readings };
}

function firstPositional(args: readonly Arg[]): Arg | undefined {
  return args.find((a) => isPositional(a.v));
}

// ---------------------------------------------------------------------------------------------------------
// Parameter values: file://, cli-input
// ---------------------------------------------------------------------------------------------------------

/** Larger SQL or input files than this are not read: `tooLarge`. */
const MAX_PARAM_FILE = 16 * 1024 * 1024;

type Loaded = { ok: true; text: string; from: string } | { ok: false; verdict: Verdict };

/** A parameter value as the CLI loads it: `file://` and `fileb://` are read (stdin too), v1 fetches URLs. */
function loadParam(value: string, flag: string, ctx: ToolContext, stdin: StdinInput | undefined): Loaded {
  const fail = (code: VerdictCode, why: string): Loaded => ({
    ok: false, verdict: verdict(code, `${flag} ${value.slice(0, 80)}: ${why}`),
  });
  const m = /^(file|fileb):\/\/(.*)$/s.exec(value);
  if (!m) {
    if (/^https?:\/\//.test(value)) return fail('unreadable', 'AWS CLI v1 downloads URL parameters');
    return { ok: true, text: value, from: flag };
  }
  const p = expandPath(m[2], ctx.env, ctx.home);
  if (p === undefined) return fail('unreadable', "another user's home folder");
  const abs = path.resolve(ctx.cwd, p);
  if (['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0'].includes(abs)) {
    if (stdin?.tooLarge) return fail('tooLarge', 'stdin is too large to check');
    if (stdin?.text === undefined) return fail('unreadable', 'stdin cannot be read');
    return { ok: true, text: stdin.text, from: `${flag} stdin` };
  }
  // Pipes and devices (`file://<(…)`) would be consumed or block: the guard does not read them.
  if (abs.startsWith('/dev/') || abs.startsWith('/proc/')) return fail('unreadable', 'a device or pipe, not read');
  const r = ctx.files.readText(abs, MAX_PARAM_FILE);
  if (!r.ok) return fail(/larger than/.test(r.message) ? 'tooLarge' : 'unreadable', r.message);
  return { ok: true, text: r.text, from: `${flag} ${value}` };
}

/** `--cli-input-json` / `--cli-input-yaml` as a map, or why it cannot be read. */
function loadCliInput(args: readonly Arg[], ctx: ToolContext, stdin: StdinInput | undefined):
  { ok: true; input?: Record<string, unknown> } | { ok: false; verdict: Verdict } {
  const bad = (why: string): { ok: false; verdict: Verdict } => ({ ok: false, verdict: verdict('unparseable', why) });
  let found: { kind: 'json' | 'yaml'; value?: string } | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k].v;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    let kind: 'json' | 'yaml' | 'ambiguous' | undefined;
    if (name.length > 'cli-input-'.length && 'cli-input-json'.startsWith(name)) kind = 'json';
    else if (name.length > 'cli-input-'.length && 'cli-input-yaml'.startsWith(name)) kind = 'yaml';
    else if (name.length >= 'cli-i'.length && 'cli-input-'.startsWith(name)) kind = 'ambiguous';
    if (!kind) continue;
    if (kind === 'ambiguous') return bad(`${a}: ambiguous option`);
    if (found && found.kind !== kind) return bad('both --cli-input-json and --cli-input-yaml');
    const value = eq >= 0 ? a.slice(eq + 1) : args[k + 1] && isPositional(args[k + 1].v) ? args[k + 1].v : undefined;
    found = { kind, value };
  }
  if (!found) return { ok: true };
  if (found.value === undefined) return bad(`--cli-input-${found.kind} needs a value`);
  const loaded = loadParam(found.value, `--cli-input-${found.kind}`, ctx, stdin);
  if (!loaded.ok) return loaded;
  let data: unknown;
  try {
    if (found.kind === 'json') data = JSON.parse(loaded.text);
    else {
      const doc = parseDocument(loaded.text);
      if (doc.errors.length) throw new Error(doc.errors[0].message);
      data = doc.toJS();
    }
  } catch (e) {
    return bad(`--cli-input-${found.kind}: ${(e as Error).message.slice(0, 120)}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return bad(`--cli-input-${found.kind} is not a map`);
  return { ok: true, input: data as Record<string, unknown> };
}

// ---------------------------------------------------------------------------------------------------------
// Judging
// ---------------------------------------------------------------------------------------------------------

const RANK: Record<VerdictCode, number> = {
  destructive: 12, mutating: 11, unknown: 10, unparseable: 9, unreadable: 8, tooLarge: 7, interactive: 6,
  harmlessWrite: 3, readOnly: 2, localOnly: 1, noEffect: 0,
};

/** The verdict that weighs more (any asking verdict over any other; destructive first). */
export function worseVerdict(a: Verdict, b: Verdict): Verdict {
  return RANK[b.code] > RANK[a.code] ? b : a;
}

/** Whether the operation's last dry-run switch is exactly `--dry-run` (abbreviations may resolve elsewhere). */
function dryRunFlag(args: readonly Arg[]): boolean | undefined {
  let last: string | undefined;
  for (const a of args) {
    if (!a.v.startsWith('--') || a.v.includes(' ')) continue;
    const name = a.v.slice(2).split('=')[0];
    if (name.length >= 2 && 'dry-run'.startsWith(name)) last = a.v;
    else if (name.length >= 4 && 'no-dry-run'.startsWith(name)) last = a.v;
  }
  return last === undefined ? undefined : last === '--dry-run';
}

/**
 * Whether argparse gives `help` to the operation's `help` positional: it takes the first positional word that
 * no option consumed. `--x=v` and the dry-run switches consume nothing; after any other option the guard cannot
 * tell (a list option takes every following word: `--instance-ids i-1 help` terminates `help` too).
 */
function helpPositional(args: readonly Arg[]): boolean {
  for (const a of args) {
    if (isPositional(a.v)) return a.v === 'help';
    if (!a.v.includes('=') && a.v !== '--dry-run' && a.v !== '--no-dry-run') return false;
  }
  return false;
}

/** The operation's verdict from its name alone. */
function byName(service: string, op: string): Verdict {
  const key = `${service} ${op}`;
  const what = `aws ${key}`;
  if (LOCAL_SERVICES.has(service) || LOCAL_OPS.has(key)) return verdict('localOnly', what);
  if (DESTRUCTIVE_OPS.has(key) || DESTRUCTIVE_NAME.test(op)) return verdict('destructive', what);
  if (!NOT_READ_OPS.has(key) && (READ_OPS.has(key) || READ_NAME.test(op))) return verdict('readOnly', what);
  return verdict('mutating', what);
}

function judgeSqlText(texts: readonly string[], from: string, dialects: readonly SqlDialect[]): Verdict {
  let worst: Verdict | undefined;
  for (const text of texts) {
    for (const dialect of dialects) {
      const v = judgeSql(text, { dialect, client: 'none', from });
      worst = worst ? worseVerdict(worst, v) : v;
    }
  }
  return worst ?? verdict('unknown', `no SQL given (${from})`);
}

/** The SQL texts an operation would send, or why they cannot be known. */
type SqlInput = { ok: true; texts: string[]; from: string } | { ok: false; verdict: Verdict };

function extractSql(key: string, spec: SqlOperation, args: readonly Arg[], ctx: ToolContext,
  stdin: StdinInput | undefined): SqlInput {
  const what = `aws ${key}`;
  const bad = (why: string): SqlInput => ({ ok: false, verdict: verdict('unparseable', `${what}: ${why}`) });
  const p = parseArgs(args.map((a) => a.v), spec.grammar);
  if (p.errors.length || p.unknown.length) return bad(parseProblem(p));
  const occurrences = p.flags.filter((f) => f.name === spec.param);
  if (occurrences.length) {
    // argparse keeps the last occurrence; a list parameter keeps the values of its last occurrence.
    const lastIndex = occurrences[occurrences.length - 1].index;
    const values = occurrences.filter((f) => f.index === lastIndex).map((f) => f.value ?? '');
    const isList = spec.grammar.flags.find((f) => f.name === spec.param)?.multi;
    let from = `--${spec.param}`;
    let texts = values;
    // The CLI loads `file://` only for a single value; a single value starting with `[` is a JSON list.
    if (values.length === 1) {
      const l = loadParam(values[0], from, ctx, stdin);
      if (!l.ok) return l;
      from = l.from;
      texts = [l.text];
      if (isList && l.text.trimStart().startsWith('[')) {
        const list = parseStringList(l.text);
        if (!list) return bad(`--${spec.param} is not a JSON list of strings`);
        texts = list;
      }
    }
    return { ok: true, texts, from };
  }
  const input = loadCliInput(args, ctx, stdin);
  if (!input.ok) return input;
  const v = input.input?.[spec.inputKey];
  const from = `--cli-input ${spec.inputKey}`;
  if (typeof v === 'string') return { ok: true, texts: [v], from };
  const isList = spec.grammar.flags.find((f) => f.name === spec.param)?.multi;
  if (isList && Array.isArray(v) && v.length && v.every((x) => typeof x === 'string')) {
    return { ok: true, texts: v as string[], from };
  }
  if (v !== undefined) return bad(`${spec.inputKey} in --cli-input is not SQL text`);
  return { ok: false, verdict: verdict('unknown', `${what} without SQL`) };
}

function judgeSqlOperation(key: string, spec: SqlOperation, args: readonly Arg[], ctx: ToolContext,
  stdin: StdinInput | undefined): Verdict {
  const input = extractSql(key, spec, args, ctx, stdin);
  if (!input.ok) return input.verdict;
  const v = judgeSqlText(input.texts, input.from, spec.dialects);
  return { ...v, what: `aws ${key}: ${v.what}`, from: v.from ?? input.from };
}

/** The SQL an AWS command line would send (Athena, Redshift Data, RDS Data), as the guard reads it. */
export function awsSqlOf(argv: readonly string[], ctx: ToolContext, stdin: StdinInput = {}):
  (SqlInput & { dialects?: readonly SqlDialect[] }) | undefined {
  const { readings } = readCommand(argv, loadAliases(ctx).aliases);
  for (const r of readings) {
    const key = `${r.service?.v} ${r.op?.v}`;
    const spec = AWS_SQL_OPERATIONS[key];
    if (spec) {
      const x = extractSql(key, spec, r.opArgs, ctx, stdin);
      return x.ok ? { ...x, dialects: spec.dialects } : x;
    }
  }
  return undefined;
}

function parseProblem(p: ParsedArgs): string {
  return p.errors[0] ?? `unknown option ${p.unknown[0].raw}`;
}

function parseStringList(text: string): string[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** `aws s3 …`: the high-level S3 commands, by direction (`s3://` paths) and switches. */
function judgeS3(sub: string, args: readonly Arg[]): Verdict {
  const what = `aws s3 ${sub}`;
  const g = AWS_S3_GRAMMARS[sub];
  if (!g) return verdict('unknown', what);
  if (args.length === 1 && args[0].v === 'help') return verdict('noEffect', `${what} help`);
  const p = parseArgs(args.map((a) => a.v), g);
  if (p.errors.length || p.unknown.length) return verdict('unparseable', `${what}: ${parseProblem(p)}`);
  const paths = p.positionals.map((x) => x.value);
  const dry = p.flags.some((f) => f.name === 'dryrun');
  const isS3 = (x: string | undefined): boolean => !!x && x.startsWith('s3://');
  // argparse: `ls` takes an optional path, `cp`/`mv`/`sync` exactly two, the others exactly one.
  const wanted = sub === 'ls' ? [0, 1] : ['cp', 'mv', 'sync'].includes(sub) ? [2] : [1];
  if (!wanted.includes(paths.length)) return verdict('unparseable', `${what}: ${paths.length} paths given`);
  switch (sub) {
    case 'ls': return verdict('readOnly', what);
    case 'presign': return verdict('localOnly', what);
    case 'mb': case 'website': return verdict('mutating', what);
    case 'rb': return verdict('destructive', p.flags.some((f) => f.name === 'force') ? `${what} --force` : what);
    case 'rm': return dry ? verdict('noEffect', `${what} --dryrun`) : verdict('destructive', what);
    default: break;
  }
  if (dry) return verdict('noEffect', `${what} --dryrun`);
  const [src, dst] = paths;
  if (sub === 'mv') return verdict('destructive', `${what} (moves ${isS3(src) ? 'S3 objects' : 'files into S3'})`);
  const del = sub === 'sync' && p.flags.some((f) => f.name === 'delete');
  if (isS3(dst)) return verdict(del ? 'destructive' : 'mutating', `${what}${del ? ' --delete' : ''} into ${dst}`);
  if (isS3(src)) return verdict(del ? 'localOnly' : 'readOnly', `${what} from S3 to local files`);
  return verdict('unparseable', `${what} between two local paths`);
}

function judgeReading(r: Reading, autoPrompt: string | undefined, ctx: ToolContext,
  stdin: StdinInput | undefined): Verdict {
  if (r.external) return verdict('unknown', r.external);
  if (r.broken) return verdict('unparseable', r.broken);
  const service = r.service?.v;
  if (service === undefined) return verdict('unparseable', 'aws without a command');
  if (service === 'help') return verdict('noEffect', 'aws help');
  if (autoPrompt) return verdict('unknown', `auto-prompt (${autoPrompt}) lets the command be edited before it runs`);
  const op = r.op?.v;
  if (op === 'help') return verdict('noEffect', `aws ${service} help`);
  if (op === undefined) {
    if (service === 'configure') return verdict('localOnly', 'aws configure');
    return verdict('unparseable', `aws ${service} without an operation`);
  }
  const key = `${service} ${op}`;
  const custom = CUSTOM_TOP.has(service) || AWS_CUSTOM_COMMANDS.has(key) || op === 'wait';
  if (custom) {
    if (r.opArgs.length === 1 && r.opArgs[0].v === 'help') return verdict('noEffect', `aws ${key} help`);
    if (service === 's3') return judgeS3(op, r.opArgs);
    return byName(service, op);
  }
  // An API operation: `help` as its help positional, a skeleton request or a dry run never reach the service.
  if (helpPositional(r.opArgs)) return verdict('noEffect', `aws ${key} help`);
  if (r.opArgs.some((a) => a.v === '--generate-cli-skeleton' || a.v.startsWith('--generate-cli-skeleton='))) {
    return verdict('noEffect', `aws ${key} --generate-cli-skeleton`);
  }
  const sql = AWS_SQL_OPERATIONS[key];
  if (sql) return judgeSqlOperation(key, sql, r.opArgs, ctx, stdin);
  const named = byName(service, op);
  if (!asks(named)) return named;
  const dry = dryRunFlag(r.opArgs);
  if (dry === true) return verdict('noEffect', `aws ${key} --dry-run`);
  if (dry === undefined && r.opArgs.some((a) => /^--cli-i/.test(a.v))) {
    const input = loadCliInput(r.opArgs, ctx, stdin);
    if (!input.ok) return worseVerdict(named, input.verdict);
    if (input.input?.DryRun === true) return verdict('noEffect', `aws ${key} (DryRun in --cli-input)`);
  }
  return named;
}

// ---------------------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------------------

/** Profile keys that give a profile credentials of its own (without them botocore falls back to instance roles). */
const CREDENTIAL_KEYS = ['aws_access_key_id', 'role_arn', 'sso_start_url', 'sso_session', 'sso_account_id',
  'credential_process', 'web_identity_token_file', 'credential_source', 'source_profile'];

/** How a profile was found: defined with credentials, without, not at all, or in a file that cannot be read. */
type ProfileStatus = 'ok' | 'noCredentials' | 'missing' | 'none' | 'unreadable';

/**
 * The target of one profile. `env` holds the variables botocore's providers may read instead of the profile
 * (undefined under `--profile`, which disables them): a web identity role from AWS_ROLE_ARN and
 * AWS_WEB_IDENTITY_TOKEN_FILE replaces the credentials of a profile without a `role_arn` of its own.
 */
function profileTarget(name: string, setBy: string, ctx: ToolContext, extra: { region?: string; endpoint?: string },
  env: NodeJS.ProcessEnv | undefined):
  { target: GuardTarget; own: GuardTarget; problems: Problem[]; values: ReadonlyMap<string, string>;
    status: ProfileStatus } {
  const look = findAwsProfile(name, ctx.env, ctx.home, ctx.files);
  const roleArn = look.values.get('role_arn');
  const account = look.values.get('sso_account_id') || (roleArn ? accountFromArn(roleArn) : undefined);
  const details: Record<string, string> = { profile: name, setBy };
  if (account) details.account = account;
  if (roleArn) details.roleArn = roleArn;
  const region = extra.region ?? (ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || look.values.get('region'));
  if (region) details.region = region;
  const endpoints = endpointIdentifiers(ctx.env, look.values, extra.endpoint);
  if (endpoints.length) details.endpoint = endpoints[0];
  const paths = awsPaths(ctx.env, ctx.home);
  let unresolved: string | undefined;
  let status: ProfileStatus = 'ok';
  const web = webIdentityRole(look.values, env);
  if (look.unreadable) {
    // The CLI reads a file the guard cannot (too large, binary…) or refuses one: found or not, the profile may
    // be defined differently there.
    status = 'unreadable';
    unresolved = `profile "${name}" may be defined ${look.found ? 'differently ' : ''}in ${look.unreadable}`;
  } else if (!look.found) {
    if (setBy !== 'default') {
      status = 'missing';
      unresolved = `profile "${name}" (${setBy}) is not defined in ${paths.config} or ${paths.credentials}`;
    } else if (!web?.viaEnv) {
      status = 'none';
      unresolved = 'no AWS profile is configured: credentials would come from an instance or container role';
    }
  } else if (!CREDENTIAL_KEYS.some((k) => look.values.has(k)) && !web?.viaEnv) {
    status = 'noCredentials';
    unresolved = `profile "${name}" has no credentials of its own: the CLI would use an instance or container role`;
  }
  const own: GuardTarget = {
    kind: 'aws', name, details,
    identifiers: [name, account, roleArn, ...endpoints].filter((x): x is string => !!x),
    source: look.found?.file ?? (setBy.startsWith('env:') ? setBy : paths.config),
    line: look.found?.line,
    unresolved,
  };
  const result = { own, problems: [...look.problems], values: look.values, status };
  if (!web?.viaEnv) return { ...result, target: own };
  // botocore: environment keys, then the profile's role_arn, then web identity (its variables first), then SSO
  // and the shared credentials: the role in AWS_ROLE_ARN is whom the command runs as.
  const webAccount = accountFromArn(web.roleArn);
  const webDetails: Record<string, string> = { ...details, credentials: 'web identity (AWS_ROLE_ARN)' };
  delete webDetails.account;
  if (webAccount) webDetails.account = webAccount;
  if (web.roleArn) webDetails.roleArn = web.roleArn;
  const target: GuardTarget = {
    kind: 'aws', name: web.roleArn || `${name} (web identity)`, details: webDetails,
    identifiers: [web.roleArn, webAccount, ...endpoints].filter((x): x is string => !!x),
    source: 'AWS_ROLE_ARN' in (env ?? {}) ? 'env:AWS_ROLE_ARN' : 'env:AWS_WEB_IDENTITY_TOKEN_FILE',
    unresolved: unresolved ?? (web.roleArn ? undefined
      : 'AWS_WEB_IDENTITY_TOKEN_FILE is set without a role (AWS_ROLE_ARN): the CLI stops'),
  };
  return { ...result, target };
}

function endpointIdentifiers(env: NodeJS.ProcessEnv, values: ReadonlyMap<string, string>,
  flag: string | undefined): string[] {
  // AWS CLI 2.13+ also reads AWS_ENDPOINT_URL[_SERVICE] and endpoint_url: they can only add identifiers.
  const out = [flag, env.AWS_ENDPOINT_URL, values.get('endpoint_url')];
  for (const [k, v] of Object.entries(env)) if (k.startsWith('AWS_ENDPOINT_URL_')) out.push(v);
  return [...new Set(out.filter((x): x is string => !!x?.trim()).map(stripUserinfo))];
}

function stripUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

interface TargetResult {
  readonly targets: GuardTarget[];
  readonly problems: Problem[];
  /** The `cli_auto_prompt` settings of the profiles involved. */
  readonly autoPrompt: string[];
}

function awsTargets(main: MainReading, reading: Reading, ctx: ToolContext, buckets: readonly string[]): TargetResult {
  const env = ctx.env;
  const region = reading.aliasGlobals.region ?? globalValue(main.parsed, 'region');
  const endpoint = reading.aliasGlobals['endpoint-url'] ?? globalValue(main.parsed, 'endpoint-url');
  const extra = { region, endpoint };
  const problems: Problem[] = [];
  const autoPrompt: string[] = [];
  const add = (t: GuardTarget): GuardTarget => ({ ...t, identifiers: [...t.identifiers, ...buckets] });
  const flag = globalValue(main.parsed, 'profile');
  if (flag !== undefined) {
    const r = profileTarget(flag, '--profile', ctx, extra, undefined);
    problems.push(...r.problems);
    const envProfile = env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE;
    if (envProfile !== undefined) {
      const e = findAwsProfile(envProfile, env, ctx.home, ctx.files);
      if (e.values.get('cli_auto_prompt')) autoPrompt.push(e.values.get('cli_auto_prompt')!);
    }
    if (r.values.get('cli_auto_prompt')) autoPrompt.push(r.values.get('cli_auto_prompt')!);
    return { targets: [add(r.target)], problems, autoPrompt };
  }
  // v2 reads AWS_PROFILE first, v1 AWS_DEFAULT_PROFILE first: when they differ, both are possible targets.
  const pick = (vars: string[]): [string, string] | undefined => {
    const v = vars.find((x) => env[x] !== undefined);
    return v ? [env[v]!, `env:${v}`] : undefined;
  };
  const v2 = pick(['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']);
  const v1 = pick(['AWS_DEFAULT_PROFILE', 'AWS_PROFILE']);
  const names: Array<[string, string]> = v2 ? [v2] : [['default', 'default']];
  if (v1 && v1[0] !== v2?.[0]) names.push(v1);
  // botocore takes environment credentials when AWS_ACCESS_KEY_ID is set (and fails without the secret).
  const keys = !!env.AWS_ACCESS_KEY_ID;
  const targets: GuardTarget[] = [];
  for (const [name, setBy] of names) {
    const r = profileTarget(name, setBy, ctx, extra, env);
    problems.push(...r.problems);
    if (r.values.get('cli_auto_prompt')) autoPrompt.push(r.values.get('cli_auto_prompt')!);
    if (!keys) {
      targets.push(add(r.target));
      continue;
    }
    // Keys in the environment win over a profile named by a variable (not over --profile).
    const named = env.AWS_VAULT || env.AWSUME_PROFILE;
    const granted = env.GRANTED_SSO_ACCOUNT_ID;
    const source = env.AWS_VAULT ? 'env:AWS_VAULT'
      : env.AWSUME_PROFILE ? 'env:AWSUME_PROFILE' : 'env:AWS_ACCESS_KEY_ID';
    // The profile named by the variable must still exist (the CLI stops otherwise); its credentials do not count.
    const profileMissing = r.status === 'missing' || r.status === 'unreadable' ? r.own.unresolved : undefined;
    const roleAccount = env.AWS_ROLE_ARN ? accountFromArn(env.AWS_ROLE_ARN) : undefined;
    const ids = [named, granted, ...r.own.identifiers, env.AWS_ROLE_ARN, roleAccount];
    const details: Record<string, string> = { ...r.own.details, credentials: 'environment (AWS_ACCESS_KEY_ID)' };
    if (granted) details.account = granted;
    targets.push(add({
      kind: 'aws',
      name: named || (setBy === 'default' ? 'environment credentials' : name),
      identifiers: ids.filter((x): x is string => !!x),
      details,
      source,
      unresolved: profileMissing ?? (named || granted ? undefined
        : 'credentials come from AWS_ACCESS_KEY_ID in the environment, which the guard cannot tie to an account'),
    }));
  }
  return { targets, problems, autoPrompt };
}

/** Bucket names an `aws s3 …` command touches: identifiers too (`s3://prod-backups`). */
function s3Buckets(r: Reading): string[] {
  if (r.service?.v !== 's3') return [];
  const out = new Set<string>();
  for (const a of r.opArgs) {
    const m = /^s3:\/\/([^/]+)/.exec(a.v);
    if (m) out.add(m[1]);
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------------------

function awsSecrets(main: MainReading, readings: readonly Reading[]): number[] {
  const out = new Set<number>();
  for (const f of main.parsed.flags) {
    const withPassword = /^[a-z][a-z0-9+.-]*:\/\/[^@/]*:[^@/]*@/i;
    if (f.name !== 'endpoint-url' || f.valueIndex === undefined) continue;
    if (f.value && withPassword.test(f.value)) out.add(f.valueIndex);
  }
  for (const r of readings) {
    const args = r.opArgs;
    const params = r.service && r.op ? secretParams(r.service.v, r.op.v) : undefined;
    const inputSecret = (v: string): boolean => hasSecretKey(v) || inputHasSecretMember(v, params);
    for (let k = 0; k < args.length; k++) {
      const a = args[k];
      if (a.i >= 0 && isPositional(a.v) && hasSecretKey(a.v)) out.add(a.i);
      if (!a.v.startsWith('--')) continue;
      const eq = a.v.indexOf('=');
      const name = a.v.slice(2, eq < 0 ? undefined : eq).toLowerCase();
      // `--cli-input-json` and its abbreviations (`--cli-i` is ambiguous, and so refused, but masked all the same).
      const secretInput = name.length >= 5 && ['cli-input-json', 'cli-input-yaml'].some((o) => o.startsWith(name));
      if (!secretInput && !isSecretParam(name, params)) continue;
      if (eq >= 0) {
        if (a.i >= 0 && (!secretInput || inputSecret(a.v))) out.add(a.i);
        continue;
      }
      for (let j = k + 1; j < args.length && isPositional(args[j].v); j++) {
        if (args[j].i >= 0 && (!secretInput || inputSecret(args[j].v))) out.add(args[j].i);
      }
    }
    // `aws configure set aws_secret_access_key VALUE`
    if (r.service?.v === 'configure' && r.op?.v === 'set') {
      const pos = args.filter((a) => isPositional(a.v));
      if (pos.length >= 2 && /secret|token|password/i.test(pos[0].v) && pos[1].i >= 0) out.add(pos[1].i);
    }
  }
  return [...out].sort((x, y) => x - y);
}

// ---------------------------------------------------------------------------------------------------------
// The module
// ---------------------------------------------------------------------------------------------------------

/** Whether auto-prompt would let the user edit the command before it runs, and which setting says so. */
function autoPromptMode(argv: readonly string[], env: NodeJS.ProcessEnv,
  profileSettings: readonly string[]): string | undefined {
  // The CLI checks exact words, before any parsing.
  if (argv.includes('help') || argv.includes('--version') || argv.includes('--no-cli-auto-prompt')) return undefined;
  if (argv.includes('--cli-auto-prompt')) return '--cli-auto-prompt';
  const setting = env.AWS_CLI_AUTO_PROMPT ?? profileSettings.find((s) => s.trim());
  const mode = setting?.trim().toLowerCase();
  return mode === 'on' || mode === 'on-partial' ? `cli_auto_prompt = ${mode}` : undefined;
}

function analyzeAws(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const { aliases, problem: aliasProblem } = loadAliases(ctx);
  const { main, readings } = readCommand(argv, aliases);
  const problems: Problem[] = [];
  if (aliasProblem) problems.push(aliasProblem);
  const first = readings[0];
  const { targets, problems: targetProblems, autoPrompt } = awsTargets(main, first, ctx, s3Buckets(first));
  problems.push(...targetProblems);
  const version = main.parsed.flags.some((f) => f.name === 'version');
  const verb = first.service ? [first.service.v, first.op?.v].filter(Boolean).join(' ') : version ? '--version' : '';
  const prompt = autoPromptMode(argv, ctx.env, autoPrompt);
  const needsStdin = argv.some((a) => /(^|=)fileb?:\/\/(\/dev\/stdin|\/dev\/fd\/0|\/proc\/self\/fd\/0)$/.test(a));
  return {
    verb,
    targets,
    problems,
    readsStdin: needsStdin,
    secretArgs: awsSecrets(main, readings),
    judge(stdin: StdinInput): Verdict {
      if (argv.includes('--cli-auto-prompt') && argv.includes('--no-cli-auto-prompt')) {
        return verdict('unparseable', 'both --cli-auto-prompt and --no-cli-auto-prompt');
      }
      if (version) return verdict('noEffect', 'aws --version');
      // Any command may be an alias (even `ec2`): without the alias file the guard cannot tell what runs.
      if (aliasProblem) return verdict('unreadable', `${aliasProblem.source}: ${aliasProblem.message}`);
      if (main.parsed.errors.length) return verdict('unparseable', `aws: ${main.parsed.errors[0]}`);
      let worst: Verdict | undefined;
      for (const r of readings) {
        const v = judgeReading(r, prompt, ctx, stdin);
        const named = r.via.length ? { ...v, what: `${v.what} (alias ${r.via.join(' → ')})` } : v;
        worst = worst ? worseVerdict(worst, named) : named;
      }
      return worst!;
    },
  };
}

/** aws: AWS CLI v2 (and v1 where it reads differently). */
export const awsModule: ToolModule = {
  tools: ['aws'],
  analyze(tool, argv, ctx) {
    void tool;
    return analyzeAws(argv, ctx);
  },
};
