// The aws module against the installed AWS CLI v2 (Debian package `awscli`): its option tables are read from
// the CLI's own Python objects, and its behaviour is observed with `--debug` against an endpoint on 127.0.0.1
// that refuses connections (the request the CLI would send is logged before it fails; nothing leaves the host).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import type { Grammar } from '../../src/core/guard/grammar';
import {
  AWS_BUILTIN_COMMANDS, AWS_CUSTOM_COMMANDS, AWS_GLOBAL_GRAMMAR, AWS_NAME_TABLES, AWS_S3_GRAMMARS, AWS_SQL_OPERATIONS,
  awsModule, awsSqlOf, awsVerdictByName,
} from '../../src/core/guard/tools/aws';
import { asks, type ToolContext } from '../../src/core/guard/types';
import { tempDir, writeTree } from '../unit/helpers';

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
