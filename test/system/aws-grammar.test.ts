// The aws module against the installed AWS CLI v2 (Debian package `awscli`): its option tables are read from
// the CLI's own Python objects, and its behaviour is observed with `--debug` against an endpoint on 127.0.0.1
// that refuses connections (the request the CLI would send is logged before it fails; nothing leaves the host).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findAwsProfile } from '../../src/core/aws';
import { nodeFiles } from '../../src/core/files';
import { decide } from '../../src/core/guard/decide';
import type { Grammar } from '../../src/core/guard/grammar';
import {
  AWS_BUILTIN_COMMANDS, AWS_CUSTOM_COMMANDS, AWS_GLOBAL_GRAMMAR, AWS_NAME_TABLES, AWS_S3_GRAMMARS, AWS_SQL_OPERATIONS,
  awsModule, awsSqlOf, awsVerdictByName,
} from '../../src/core/guard/tools/aws';
import { asks, type ToolContext } from '../../src/core/guard/types';
import { parseIni } from '../../src/core/ini';
import { fixture, ROOT, tempDir, writeTree } from '../unit/helpers';

/** The AWS CLI v2 binary: Debian's /usr/bin/aws first (PATH may start with a pyenv v1 `aws`). */
function findAws(major: 1 | 2): string | undefined {
  const dirs = ['/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(path.delimiter)];
  for (const d of dirs) {
    const p = path.join(d, 'aws');
    if (!fs.existsSync(p)) continue;
    const r = spawnSync(p, ['--version'], { encoding: 'utf8', env: { ...process.env, HOME: '/nonexistent' } });
    if (`${r.stdout}${r.stderr}`.startsWith(`aws-cli/${major}.`)) return p;
  }
  return undefined;
}

/** The Python interpreter of a script entry point (`#!/usr/bin/python3`), if it is one. */
function pythonOf(bin: string): string | undefined {
  const head = fs.readFileSync(bin).subarray(0, 200).toString('utf8');
  const m = /^#!\s*(\S*python[0-9.]*)/.exec(head);
  return m ? m[1] : undefined;
}

/** Dumps what the CLI itself would parse with: global options, command tables, s3 and SQL option tables. */
const DUMP = String.raw`
import json, sys, os, glob
from awscli.clidriver import create_clidriver
from botocore import xform_name
d = create_clidriver()
ct = d._get_command_table()
def kind(a):
    action = getattr(a, '_action', None) or getattr(a, 'action', None)
    nargs = getattr(a, 'nargs', None)
    if action in ('store_true', 'store_false', 'version') or type(a).__name__ == 'BooleanArgument':
        return 'none'
    if nargs in ('+', '*'):
        return 'multi'
    if nargs == '?':
        return 'optional'
    return 'required'
out = {'globals': {k: kind(v) for k, v in d._get_argument_table().items()}, 'commands': sorted(list(ct) + ['help'])}
custom = []
for name, cmd in ct.items():
    subs = getattr(cmd, 'subcommand_table', {}) or {}
    for sub, obj in subs.items():
        cls = type(obj).__name__
        if sub == 'wait' or cls == 'ServiceHelpCommand':
            continue
        if type(cmd).__name__ != 'ServiceCommand' or cls != 'ServiceOperation':
            custom.append(name + ' ' + sub)
out['custom'] = sorted(custom)
s3 = {}
for sub, cmd in ct['s3'].subcommand_table.items():
    cmd.subcommand_table
    cmd._arg_table = None
    s3[sub] = {k: kind(v) for k, v in cmd.arg_table.items() if not getattr(v, 'positional_arg', False)}
out['s3'] = s3
sql = {}
for key in sys.argv[1:]:
    svc, op = key.split(' ')
    t = ct[svc].subcommand_table[op].arg_table
    sql[key] = {k: kind(v) for k, v in t.items()}
out['sql'] = sql
ops = {}
for name, cmd in ct.items():
    if type(cmd).__name__ != 'ServiceCommand':
        continue
    ops[name] = sorted(cmd.subcommand_table)
out['ops'] = ops
# Every operation input member whose CLI name starts like the dry-run switches, from the service models.
dry = []
for name, cmd in ct.items():
    if type(cmd).__name__ != 'ServiceCommand':
        continue
    model = cmd._get_service_model()
    for opname in model.operation_names:
        om = model.operation_model(opname)
        if om.input_shape is None:
            continue
        members = {xform_name(m, '-'): s.type_name for m, s in om.input_shape.members.items()}
        prefixes = ('dry', 'no-dry', 'generate-cli', 'cli-input')
        odd = {m: t for m, t in members.items() if m.startswith(prefixes)}
        if odd:
            dry.append([name, xform_name(opname, '-'), odd])
out['dry'] = dry
json.dump(out, sys.stdout)
`;

interface Dump {
  globals: Record<string, string>;
  commands: string[];
  custom: string[];
  s3: Record<string, Record<string, string>>;
  sql: Record<string, Record<string, string>>;
  ops: Record<string, string[]>;
  dry: Array<[string, string, Record<string, string>]>;
}

/** The CLI's kinds with `nargs='?'` read as taking a value, as the module does. */
function asModule(t: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(t).map(([n, kind]) => [n, kind === 'optional' ? 'required' : kind]));
}

function grammarKinds(g: Grammar): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of g.flags) out[f.name] = f.arg === 'none' ? 'none' : f.multi ? 'multi' : f.arg;
  return out;
}

const V2 = findAws(2);

describe('aws grammar and tables against the installed AWS CLI v2', function () {
  this.timeout(180_000);
  let dump: Dump;
  before(function () {
    if (!V2) {
      console.log('    (skipped: no AWS CLI v2 binary found — install the Debian package awscli)');
      this.skip();
    }
    const py = pythonOf(V2!);
    assert.ok(py, `${V2} is not the Python entry point of Debian's awscli package: the tables cannot be read`);
    const home = tempDir('pg-aws-dump-');
    const r = spawnSync(py!, ['-c', DUMP, ...Object.keys(AWS_SQL_OPERATIONS)], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { PATH: process.env.PATH, HOME: home },
    });
    assert.strictEqual(r.status, 0, r.stderr);
    dump = JSON.parse(r.stdout) as Dump;
  });

  it('global options: the same names, the same value-taking ones', () => {
    assert.deepStrictEqual(grammarKinds(AWS_GLOBAL_GRAMMAR), dump.globals);
  });
  it('top-level commands: the same set (aliases shadowing a built-in run the built-in)', () => {
    assert.deepStrictEqual([...AWS_BUILTIN_COMMANDS].sort(), dump.commands);
  });
  it('customizations (own argparse table, no --dry-run/--generate-cli-skeleton): the same set', () => {
    assert.deepStrictEqual([...AWS_CUSTOM_COMMANDS].sort(), dump.custom);
  });
  it('s3 high-level commands: the same options, the same kinds (nargs=? read as taking a value)', () => {
    const mine: Record<string, Record<string, string>> = {};
    for (const [k, g] of Object.entries(AWS_S3_GRAMMARS)) mine[k] = grammarKinds(g);
    const theirs: Record<string, Record<string, string>> = {};
    for (const [k, t] of Object.entries(dump.s3)) theirs[k] = asModule(t);
    assert.deepStrictEqual(mine, theirs);
  });
  it('SQL operations: the full parameter tables, so abbreviations resolve as the CLI resolves them', () => {
    for (const [key, spec] of Object.entries(AWS_SQL_OPERATIONS)) {
      assert.deepStrictEqual(grammarKinds(spec.grammar), asModule(dump.sql[key]), key);
    }
  });
  it('every reviewed exception names a real command of the CLI', () => {
    const ops = Object.entries(dump.ops).flatMap(([s, list]) => list.map((o) => `${s} ${o}`));
    const all = new Set([...dump.custom, ...ops]);
    for (const [table, keys] of Object.entries(AWS_NAME_TABLES)) {
      for (const key of keys) assert.ok(all.has(key), `${table}: ${key}`);
    }
  });
  it('`--dry-run` is exact or an error wherever it matters: DryRun is boolean, no --dry-run-… prefix trap', () => {
    for (const [service, op, members] of dump.dry) {
      if (members['dry-run'] !== undefined) assert.strictEqual(members['dry-run'], 'boolean', `${service} ${op}`);
      const traps = Object.keys(members).filter((m) => m !== 'dry-run' && /^(dry-run|no-dry-run)/.test(m));
      if (traps.length && members['dry-run'] === undefined) {
        assert.ok(!asks(awsVerdictByName(service, op)), `${service} ${op}: --dry-run would mean --${traps[0]}`);
      }
      // Members the CLI's own switches would collide with.
      assert.ok(!Object.keys(members).some((m) => /^(generate-cli|cli-input)/.test(m)), `${service} ${op}`);
    }
  });
  it('the name rules on the whole command table: counts for the record', () => {
    const counts: Record<string, number> = {};
    for (const [service, ops] of Object.entries(dump.ops)) {
      for (const op of ops) {
        const code = awsVerdictByName(service, op).code;
        counts[code] = (counts[code] ?? 0) + 1;
      }
    }
    console.log(`      operations by name: ${JSON.stringify(counts)}`);
    assert.ok(counts.readOnly > 4000 && counts.destructive > 1500 && counts.mutating > 3000);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Behaviour: what the real CLI sends
// ---------------------------------------------------------------------------------------------------------

const KEYS: Record<string, string> = {
  default: 'AKIAORACLEDEFAULT000', prod: 'AKIAORACLEPROD000000', dev: 'AKIAORACLEDEV0000000',
};

function oracleHome(): string {
  const home = tempDir('pg-aws-oracle-');
  writeTree(home, {
    '.aws/config': '[default]\nregion = us-east-1\n[profile prod]\nregion = us-east-1\n'
      + '[profile dev]\nregion = eu-west-1\n',
    '.aws/credentials': Object.entries(KEYS)
      .map(([p, k]) => `[${p}]\naws_access_key_id = ${k}\naws_secret_access_key = s/${p}\n`).join(''),
    '.aws/cli/alias': [
      '[toplevel]', 'whoami = sts get-caller-identity', 'nuke = ec2 terminate-instances',
      '[command ec2]', 'kill = terminate-instances --instance-ids', 'instances = describe-instances', '',
    ].join('\n'),
    'work/drop.sql': 'DROP TABLE orders;\n',
    'work/in.json': '{"InstanceIds":["i-9"],"DryRun":true}',
  });
  return home;
}

interface Seen {
  /** The operation the CLI sent (`TerminateInstances`), if it sent one. */
  op?: string;
  body: string;
  key?: string;
  err: string;
}

function runAws(bin: string, home: string, argv: string[], env: NodeJS.ProcessEnv = {}): Seen {
  const r = spawnSync(bin, ['--debug', '--endpoint-url', 'http://127.0.0.1:9', ...argv], {
    encoding: 'utf8', cwd: path.join(home, 'work'), timeout: 60_000,
    env: {
      PATH: process.env.PATH, HOME: home, AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
      ...env,
    },
  });
  const all = `${r.stdout}${r.stderr}`;
  const m = /Making request for OperationModel\(name=(\w+)\) with params: (.*)/.exec(all);
  const err = all.split('\n').filter((l) => !/ - DEBUG - /.test(l)).slice(-5).join('\n');
  return { op: m?.[1], body: m?.[2] ?? '', key: /Credential=(AKIA\w+)/.exec(all)?.[1], err };
}

/** CamelCase operation name the CLI sends for a CLI operation name (`terminate-instances` → `TerminateInstances`). */
function camel(op: string): string {
  return op.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

describe('aws behaviour: the module reads command lines the way the real CLI v2 does', function () {
  this.timeout(300_000);
  let home: string;
  let c: (env?: NodeJS.ProcessEnv) => ToolContext;
  before(function () {
    if (!V2) {
      console.log('    (skipped: no AWS CLI v2 binary found — install the Debian package awscli)');
      this.skip();
    }
    home = oracleHome();
    c = (env = {}) => ({ env: { HOME: home, ...env }, home, cwd: path.join(home, 'work'), files: nodeFiles });
  });

  // Each row: the CLI must send nothing when the module says it reaches nothing, and must send the operation
  // the module names (with the credentials of the profile the module names) when it says it asks or reads.
  const rows: Array<[string, NodeJS.ProcessEnv?]> = [
    ['--prof prod sts get-caller-identity'],
    ['sts get-caller-identity --p dev'],
    ['sts --profile=dev get-caller-identity'],
    ['sts get-caller-identity', { AWS_PROFILE: 'dev', AWS_DEFAULT_PROFILE: 'prod' }],
    ['sts get-caller-identity', { AWS_DEFAULT_PROFILE: 'prod' }],
    ['sts get-caller-identity --profile dev', { AWS_PROFILE: 'prod' }],
    ['sts get-caller-identity --profile dev --profile=', { AWS_PROFILE: 'prod' }],
    ['sts get-caller-identity --profile ""', { AWS_DEFAULT_PROFILE: 'prod' }],
    ['ec2 terminate-instances --instance-ids i-1'],
    ['ec2 terminate-instances --instance-ids i-1 --dry-run'],
    ['ec2 --dry-run terminate-instances --instance-ids i-1'],
    ['ec2 terminate-instances --instance-ids i-1 --dry-run --no-dry-run'],
    ['ec2 terminate-instances --instance-ids i-1 --dry-run --no-dry'],
    ['ec2 terminate-instances --instance-ids i-1 --dr'],
    ['ec2 terminate-instances --cli-input-json file://in.json'],
    ['ec2 terminate-instances --cli-input-json file://in.json --no-dry-run'],
    ['ec2 terminate-instances --cli-input-js file://in.json'],
    ['ec2 terminate-instances help'],
    ['ec2 terminate-instances --instance-ids i-1 help'],
    ['ec2 terminate-instances --instance-ids=i-1 help'],
    ['ec2 terminate-instances --instance-ids i-1 --generate-cli-skeleton output'],
    ['ec2 terminate-instances --instance-ids i-1 --ver'],
    ['ec2 terminate-instances --instance-ids i-1 -- --dry-run'],
    ['-- ec2 terminate-instances --instance-ids i-1'],
    ['--instance-ids i-1 ec2 terminate-instances'],
    ['ec2 describe-instances --query Reservations --output text --region us-west-2'],
    ['s3 rm s3://bucket/key --dry'],
    ['s3 rm s3://bucket/key'],
    ['s3 ls s3://bucket'],
    ['s3 rm s3://bucket/key help'],
    ['whoami'],
    ['nuke --instance-ids i-1'],
    ['ec2 kill i-1'],
    ['ec2 instances'],
    ['ec2 terminate-instances --instance-ids i-1', { AWS_PROFILE: 'prod' }],
    ['athena start-query-execution --query-string file://drop.sql --work-group w'],
    ['athena start-query-execution --query-s "SELECT 1" --work-group w'],
    ['redshift-data batch-execute-statement --database d --cluster-identifier c --sqls "SELECT 1" --sqls "DROP w"'],
    ['redshift-data execute-statement --database d --cluster-identifier c --sq "DELETE FROM t"'],
    ['rds-data execute-statement --resource-arn a --secret-arn s --cli-input-json \'{"sql":"DROP TABLE u"}\''],
  ];
  for (const [line, env] of rows) {
    it(`${env ? `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} ` : ''}aws ${line}`, () => {
      const argv = splitRow(line);
      const a = awsModule.analyze('aws', argv, c(env));
      const v = a.judge({});
      const seen = runAws(V2!, home, argv, env);
      const dry = /'DryRun': 'true'/.test(seen.body);
      if (!asks(v)) {
        // A verdict that passes must be right: nothing sent, a dry run, or a read of the named operation.
        if (v.code === 'noEffect') {
          assert.ok(seen.op === undefined || dry, `module: noEffect, CLI sent ${seen.op} ${seen.body.slice(0, 200)}`);
        }
        else if (v.code === 'readOnly') {
          assert.ok(seen.op, `module: readOnly, CLI sent nothing\n${seen.err}`);
          const op = a.verb.split(' ')[1] ?? '';
          if (!['ls', 'cp', 'sync'].includes(op)) assert.strictEqual(seen.op, camel(op));
        } else assert.fail(`unexpected verdict ${v.code} in this table`);
      } else if (seen.op && !dry) {
        // Asking: the CLI sends the operation the module named (s3 commands send their own API calls).
        const op = a.verb.split(' ')[1] ?? '';
        if (a.verb.split(' ')[0] !== 's3') assert.strictEqual(seen.op, camel(op), `verb ${a.verb}`);
      }
      if (seen.op) {
        const names = a.targets.map((t) => t.name);
        const key = Object.entries(KEYS).find(([, k]) => k === seen.key)?.[0];
        assert.ok(key && names.includes(key), `CLI used ${key}'s keys, module names ${names.join(',')}`);
      }
      // SQL: the statements the CLI sent are the ones the module judged.
      const sql = awsSqlOf(argv, c(env));
      if (sql?.ok && seen.op) {
        const body = seen.body.replace(/\\'/g, "'").replace(/\\\\/g, '\\');
        for (const text of sql.texts) {
          assert.ok(body.includes(JSON.stringify(text).slice(1, -1)), `${JSON.stringify(text)} not in ${body}`);
        }
      }
    });
  }
  it('a [command ec2] alias named like an operation runs that operation with the alias words (v2)', () => {
    const h = oracleHome();
    const alias = '[command ec2]\nterminate-instances = terminate-instances --dry-run\n';
    fs.writeFileSync(path.join(h, '.aws', 'cli', 'alias'), alias);
    const seen = runAws(V2!, h, ['ec2', 'terminate-instances', '--instance-ids', 'i-1']);
    assert.match(seen.body, /'DryRun': 'true'/);
    // The module still asks: CLI v1 has no [command …] aliases and would terminate.
    const ctxH: ToolContext = { env: { HOME: h }, home: h, cwd: h, files: nodeFiles };
    const argv = ['ec2', 'terminate-instances', '--instance-ids', 'i-1'];
    assert.strictEqual(awsModule.analyze('aws', argv, ctxH).judge({}).code, 'destructive');
  });
  it('abbreviations are the CLI\'s: `--prof nosuch` is --profile (the CLI says the profile is missing)', () => {
    const env = { PATH: process.env.PATH, HOME: home };
    const r = spawnSync(V2!, ['--prof', 'nosuch', 'sts', 'get-caller-identity'], { encoding: 'utf8', env });
    assert.match(`${r.stdout}${r.stderr}`, /The config profile \(nosuch\) could not be found/);
    const a = awsModule.analyze('aws', ['--prof', 'nosuch', 'sts', 'get-caller-identity'], c());
    assert.strictEqual(a.targets[0].name, 'nosuch');
    assert.match(a.targets[0].unresolved ?? '', /not defined/);
  });
  it('an ambiguous prefix is refused by the CLI and read as unparseable', () => {
    const argv = ['--n', 'sts', 'get-caller-identity'];
    const r = spawnSync(V2!, argv, { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } });
    assert.match(`${r.stdout}${r.stderr}`, /ambiguous option: --n could match/);
    assert.strictEqual(awsModule.analyze('aws', argv, c()).judge({}).code, 'unparseable');
  });
});

describe('aws behaviour: where CLI v1 reads differently', function () {
  this.timeout(120_000);
  const V1 = findAws(1);
  it('v1 takes AWS_DEFAULT_PROFILE before AWS_PROFILE: the module names both profiles', function () {
    if (!V1) {
      console.log('    (skipped: no AWS CLI v1 on PATH; v2 is the tested client)');
      this.skip();
    }
    const home = oracleHome();
    const env = { AWS_PROFILE: 'dev', AWS_DEFAULT_PROFILE: 'prod' };
    const v1 = runAws(V1!, home, ['sts', 'get-caller-identity'], env);
    const v2 = V2 ? runAws(V2, home, ['sts', 'get-caller-identity'], env) : undefined;
    assert.strictEqual(v1.key, KEYS.prod);
    if (v2) assert.strictEqual(v2.key, KEYS.dev);
    const ctx: ToolContext = { env: { HOME: home, ...env }, home, cwd: home, files: nodeFiles };
    const names = awsModule.analyze('aws', ['sts', 'get-caller-identity'], ctx).targets.map((t) => t.name);
    assert.deepStrictEqual(names, ['dev', 'prod']);
  });
});

/** Splits a row like a shell (single and double quotes). */
function splitRow(line: string): string[] {
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

// ---------------------------------------------------------------------------------------------------------
// ~/.aws/config and the credential chain: what the real CLIs read and whom they run as
// ---------------------------------------------------------------------------------------------------------

/** Both installed CLIs (v2 first): v1 reads the files with the same botocore rules and is checked too. */
function clis(): string[] {
  return [findAws(2), findAws(1)].filter((x): x is string => !!x);
}

/** The role the CLI assumes (from its --debug log) and the access key its request is signed with. */
function whoRuns(bin: string, home: string, argv: string[], env: NodeJS.ProcessEnv = {}):
  { role?: string; call?: string; key?: string; err: string } {
  // Every connection goes to a refused port on 127.0.0.1 (STS too, through the proxy): nothing leaves the host.
  const r = spawnSync(bin, ['--debug', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9', ...argv], {
    encoding: 'utf8', cwd: home, timeout: 60_000,
    env: {
      PATH: process.env.PATH, HOME: home, AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
      HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '', ...env,
    },
  });
  const all = `${r.stdout}${r.stderr}`;
  const m = /OperationModel\(name=(AssumeRole\w*)\) with params: .*?'RoleArn': '((?:[^'\\]|\\.)*)'/.exec(all);
  const err = all.split('\n').filter((l) => !/ - DEBUG - /.test(l)).slice(-3).join('\n');
  return { call: m?.[1], role: m?.[2], key: /Credential=(AKIA\w+)\//.exec(all)?.[1], err };
}

describe('aws: ~/.aws/config as the installed CLIs read it (configparser, botocore)', function () {
  this.timeout(300_000);
  before(function () {
    if (!V2) {
      console.log('    (skipped: no AWS CLI v2 binary found — install the Debian package awscli)');
      this.skip();
    }
  });
  const CFG = fixture('guard-aws', 'cfg');
  const CFG_DEFAULT = fixture('guard-aws', 'cfgdefault');
  const profiles: Array<[string, string]> = [
    ...['base', 'dev', 'indented', 'colon', 'twice', 'dev2', 'tabbed', 'notaprofile', 'credwins', 'commented',
      'MixedCase', 'webid', 'default'].map((p): [string, string] => [CFG, p]),
    [CFG_DEFAULT, 'dev'], [CFG_DEFAULT, 'base'], [CFG_DEFAULT, 'default'],
  ];
  for (const [home, profile] of profiles) {
    it(`${path.basename(home)}: \`aws configure get role_arn --profile ${profile}\` is the guard's role_arn`, () => {
      const mine = findAwsProfile(profile, {}, home, nodeFiles).values.get('role_arn') ?? '';
      for (const bin of clis()) {
        const r = spawnSync(bin, ['configure', 'get', 'role_arn', '--profile', profile],
          { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } });
        assert.strictEqual(r.stdout.trim(), mine, `${bin}: ${r.stderr}`);
      }
    });
  }
  // [profile, env, home]: the CLI's AssumeRole (or signing key) is the guard's target.
  const PROD_ROLE = 'arn:aws:iam::999999999999:role/prod-admin';
  const DEV_ROLE = 'arn:aws:iam::121212121212:role/dev-web';
  const TOKEN = fixture('guard-aws', 'work', 'dry.json');
  const runs: Array<[string[], NodeJS.ProcessEnv, string]> = [
    [['--profile', 'indented'], {}, CFG],
    [['--profile', 'colon'], {}, CFG],
    [['--profile', 'twice'], {}, CFG],
    [['--profile', 'dev2'], {}, CFG],
    [['--profile', 'credwins'], {}, CFG],
    [['--profile', 'dev'], {}, CFG],
    [['--profile', 'dev'], {}, CFG_DEFAULT],
    [[], { AWS_PROFILE: 'dev', AWS_ROLE_ARN: PROD_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }, CFG],
    [[], { AWS_PROFILE: 'base', AWS_ROLE_ARN: DEV_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }, CFG],
    [[], { AWS_ROLE_ARN: PROD_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }, CFG],
    [[], { AWS_PROFILE: 'webid', AWS_ROLE_ARN: PROD_ROLE }, CFG],
    [['--profile', 'dev'], { AWS_ROLE_ARN: PROD_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }, CFG],
    [[], { AWS_PROFILE: 'indented', AWS_ROLE_ARN: DEV_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN }, CFG],
    [[], { AWS_PROFILE: 'dev', AWS_ROLE_ARN: PROD_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: '' }, CFG],
  ];
  for (const [pre, env, home] of runs) {
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v === TOKEN ? 'TOKEN' : v} `).join('');
    const title = `${path.basename(home)}: ${vars}aws ${pre.join(' ')} sqs delete-queue`;
    it(`${title}: the CLI runs as the guard's target`, () => {
      const argv = [...pre, 'sqs', 'delete-queue', '--queue-url', 'http://127.0.0.1:9/q'];
      const targets = awsModule.analyze('aws', argv, { env, home, cwd: home, files: nodeFiles }).targets;
      for (const bin of clis()) {
        const seen = whoRuns(bin, home, argv, env);
        if (seen.role !== undefined) {
          // The guard names the role the CLI assumes (or one of its readings does).
          assert.ok(targets.some((t) => t.identifiers.includes(seen.role!)),
            `${bin} assumed ${seen.role} (${seen.call}); guard: ${JSON.stringify(targets.map((t) => t.identifiers))}`);
        } else {
          assert.ok(seen.key, `${bin} sent nothing:\n${seen.err}`);
          const creds = fs.readFileSync(path.join(home, '.aws', 'credentials'), 'utf8');
          const owners = [...creds.matchAll(/^\[([^\]]+)\]\naws_access_key_id = (\S+)/gm)];
          const owner = owners.find((m) => m[2] === seen.key);
          assert.ok(owner && targets.some((t) => t.name === owner[1]), `${bin} signed with ${owner?.[1]}'s key`);
          assert.ok(targets.every((t) => !t.details.roleArn), 'no role named when the CLI assumes none');
        }
      }
    });
  }
  it('a config file over 1 MB: the CLI reads it and assumes its role; the guard leaves the target unresolved', () => {
    const home = tempDir('pg-aws-big-');
    writeTree(home, {
      '.aws/config': `# ${'x'.repeat(1024 * 1024)}\n[profile dev]\nrole_arn = ${PROD_ROLE}\nsource_profile = dev\n`,
      '.aws/credentials': '[dev]\naws_access_key_id = AKIAORACLEDEV0000000\naws_secret_access_key = s\n',
    });
    const argv = ['sqs', 'delete-queue', '--queue-url', 'http://127.0.0.1:9/q'];
    assert.strictEqual(whoRuns(V2!, home, argv, { AWS_PROFILE: 'dev' }).role, PROD_ROLE);
    const d = decide(['aws', ...argv], { env: { AWS_PROFILE: 'dev' }, home, cwd: home, files: nodeFiles });
    assert.match(d.targets[0].unresolved ?? '', /larger than/);
    assert.strictEqual(d.action, 'confirm');
  });
  it('a config path that is a folder is no config to the CLI (os.path.isfile), nor to the guard', () => {
    const home = tempDir('pg-aws-dir-');
    writeTree(home, {
      '.aws/config/x': '',
      '.aws/credentials': '[dev]\naws_access_key_id = AKIAORACLEDEV0000000\naws_secret_access_key = s\n',
    });
    const argv = ['sqs', 'delete-queue', '--queue-url', 'http://127.0.0.1:9/q'];
    assert.strictEqual(whoRuns(V2!, home, argv, { AWS_PROFILE: 'dev' }).key, 'AKIAORACLEDEV0000000');
    const ctx: ToolContext = { env: { AWS_PROFILE: 'dev' }, home, cwd: home, files: nodeFiles };
    const [t] = awsModule.analyze('aws', argv, ctx).targets;
    assert.deepStrictEqual([t.name, t.unresolved], ['dev', undefined]);
  });
  it('a file configparser or botocore refuses stops the CLI; the guard reads it as refused too', () => {
    const texts = [
      '[profile dev]\nregion = x\n[profile dev]\n', 'region = x\n[profile dev]\n', '[profile dev]\nbogus line\n',
      `[profile dev]\nrole_arn =\n  ${PROD_ROLE}\n`, '[profile dev]\nregion = x\nREGION = y\n',
      '[DEFAULT]\na = 1\nA = 2\n[profile dev]\n',
    ];
    for (const text of texts) {
      const home = tempDir('pg-aws-bad-');
      writeTree(home, { '.aws/config': text });
      const r = spawnSync(V2!, ['configure', 'get', 'region', '--profile', 'dev'],
        { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } });
      assert.match(`${r.stdout}${r.stderr}`, /Unable to parse config file/, text);
      assert.match(findAwsProfile('dev', {}, home, nodeFiles).unreadable ?? '', /cannot be parsed/, text);
    }
  });
  it('parseIni reads INI text as Python\'s configparser does (1500 generated files)', () => {
    const pieces = ['[profile dev]', '[profile "dev"]', '[ profile x ]', '[DEFAULT]', '[a]', '[a] ; c', '[b]]', '[]',
      '[', 'role_arn = arn:aws:iam::1:role/x', '  role_arn = y', '\trole_arn: z', 'key', 'KEY = v', 'a:b = c', '= v',
      ' : v', '# c', '  ; c', '', '   ', 'x = 1 # not a comment', '  cont', '\tcont2', 'k =', '    nested = 1',
      'role_arn=\u00a0v', '\u00a0k = v', 'k\u00a0= v', 'k = v\u00a0', '\u2003[s]', 'x=1', 'X=2', '\u001ck = v'];
    let seed = 0x5eed;
    const rand = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const cases: string[] = [];
    for (let n = 0; n < 1500; n++) {
      const lines: string[] = [];
      for (let k = rand(8) + 1; k > 0; k--) lines.push(pieces[rand(pieces.length)]);
      const sep = ['\n', '\r\n', '\r'][rand(3)];
      cases.push(lines.join(sep) + (rand(2) ? sep : ''));
    }
    const py = String.raw`
import configparser, io, json, sys
out = []
for t in json.load(sys.stdin):
    cp = configparser.RawConfigParser()
    try:
        cp.read_file(io.StringIO(t, newline=None))
        out.append({s: {o: cp.get(s, o) for o in cp.options(s)} for s in cp.sections()})
    except configparser.Error:
        out.append('ERROR')
json.dump(out, sys.stdout)
`;
    const r = spawnSync(pythonOf(V2!)!, ['-c', py], { input: JSON.stringify(cases), encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const theirs = JSON.parse(r.stdout) as unknown[];
    cases.forEach((text, k) => {
      const p = parseIni(text);
      const mine = p.errors.length ? 'ERROR' : Object.fromEntries(p.sections.map((sec) => [sec.name, Object.fromEntries(
        [...p.defaults, ...sec.values].map(([key, v]) => [key, v.value]))]));
      assert.deepStrictEqual(mine, theirs[k], JSON.stringify(text));
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Secret parameters
// ---------------------------------------------------------------------------------------------------------

describe('aws secrets: abbreviations and sensitive members as the CLI v2 reads them', function () {
  this.timeout(300_000);
  before(function () {
    if (!V2) {
      console.log('    (skipped: no AWS CLI v2 binary found — install the Debian package awscli)');
      this.skip();
    }
  });
  it('the committed sensitive-parameter table is the installed CLI\'s (scripts/gen-aws-sensitive.mjs --check)', () => {
    const gen = path.join(ROOT, 'scripts', 'gen-aws-sensitive.mjs');
    const r = spawnSync(process.execPath, [gen, '--check', '--aws', V2!], { encoding: 'utf8', timeout: 120_000 });
    assert.strictEqual(r.status, 0, r.stdout.slice(-4000) + r.stderr);
  });
  // [command line, the request member the CLI fills with the secret]
  const rows: Array<[string, string]> = [
    ['rds create-db-instance --db-instance-identifier d --db-instance-class c --engine e --master-user-p hunter2',
      'MasterUserPassword'],
    ['rds create-db-instance --db-instance-identifier d --db-instance-class c --engine e --master-user-pa=hunter2',
      'MasterUserPassword'],
    ['ssm put-parameter --name n --type SecureString --val hunter2', 'Value'],
    ['kms encrypt --key-id k --pl hunter2', 'Plaintext'],
    ['secretsmanager create-secret --name n --secret-s hunter2', 'SecretString'],
    ['elasticache modify-user --user-id u --authentication-mode Type=password,Passwords=hunter2', 'AuthenticationMode'],
    ['ssm put-parameter --cli-input-json \'{"Name":"n","Value":"hunter2","Type":"SecureString"}\'', 'Value'],
  ];
  const home = tempDir('pg-aws-secret-');
  writeTree(home, {
    '.aws/credentials': '[default]\naws_access_key_id = AKIAORACLEDEFAULT000\naws_secret_access_key = s\n',
    'work/.keep': '',
  });
  for (const [line, member] of rows) {
    it(`aws ${line}: the CLI sends it as ${member}; the guard reports the argument`, () => {
      const argv = splitRow(line);
      const seen = runAws(V2!, home, ['--region', 'us-east-1', '--cli-binary-format', 'raw-in-base64-out', ...argv]);
      // Query protocols log `'Member.x': 'hunter2'`, JSON ones `"Member": "…"` (blobs in base64).
      const sent = new RegExp(`['"]${member}[^'"]*['"]: ['"](hunter2|aHVudGVyMg==)['"]`);
      assert.match(seen.body, sent, `${seen.op}: ${seen.body.slice(0, 400)}`);
      const ctx: ToolContext = { env: {}, home, cwd: home, files: nodeFiles };
      const secret = awsModule.analyze('aws', argv, ctx).secretArgs;
      const at = argv.findIndex((a) => a.includes('hunter2'));
      assert.ok(secret.includes(at), `argument ${at} (${argv[at]}) not reported: ${JSON.stringify(secret)}`);
    });
  }
  it('`prod-guard check` prints none of them (dist cli)', function () {
    const dist = path.join(ROOT, process.env.PRODGUARD_DIST || 'dist', 'cli.js');
    if (!fs.existsSync(dist)) {
      console.log(`    (skipped: ${dist} not built; PRODGUARD_DIST=dist-x node scripts/build.mjs)`);
      this.skip();
    }
    for (const [line] of rows) {
      const r = spawnSync(process.execPath, [dist, 'check', '--', 'aws', ...splitRow(line)],
        { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home }, cwd: home });
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, /hunter2/, line);
      const json = spawnSync(process.execPath, [dist, 'check', '--json', '--', 'aws', ...splitRow(line)],
        { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home }, cwd: home });
      assert.doesNotMatch(`${json.stdout}${json.stderr}`, /hunter2/, line);
    }
  });
});
