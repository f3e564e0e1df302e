#!/usr/bin/env node
// Generates src/core/guard/tools/awsSensitive.ts from the installed AWS CLI v2's own service models, so the guard
// knows which operation parameters hold secrets without shipping botocore's models (tens of megabytes): per
// operation, the parameters whose shape botocore marks `"sensitive": true` (or that contain such a member:
// `--advanced-security-options MasterUserOptions={MasterUserPassword=…}`) and the ones the name rule below calls
// secret. The guard resolves argparse abbreviations (`--master-user-p`) against these lists.
//
//   node scripts/gen-aws-sensitive.mjs           writes the table
//   node scripts/gen-aws-sensitive.mjs --check   exits 1 when the committed table differs from the installed CLI's
//   --aws PATH   the AWS CLI v2 entry point (default: /usr/bin/aws, Debian's `awscli` package)
//
// The CLI's Python objects are read (its argument tables, with the CLI's renames), nothing is run against AWS.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'src/core/guard/tools/awsSensitive.ts');

/**
 * Parameter names whose value is a secret whatever the model says (JavaScript and Python read it alike). The
 * guard applies it to every typed name too, so it is written into the generated file as the one copy.
 */
const SECRET_NAME = 'pass|secret(?!-(arn|id|name)$)|token|private-key|key-material|sse-c(-copy-source)?-key'
  + '|customer-key|credential';
/** Names that match the rule but are request or page tokens, ARNs, ids or digests: most of the table, no secret. */
const NOT_SECRET = '^(next|starting|client|client-request|change|page|idempotency|next-page|amzn-client|pagination'
  + '|continuation|start|sequence|update|lock|conditional|retry|request|grant)-tokens?$|-(arn|arns|id|ids|md5|name)$';

const DUMP = String.raw`
import json, re, sys
import awscli
from awscli.clidriver import create_clidriver
secret_name = re.compile(sys.argv[1])
not_secret = re.compile(sys.argv[2])
d = create_clidriver()
ct = d._get_command_table()
NOT_TEXT = ('integer', 'long', 'float', 'double', 'boolean', 'timestamp')
def sensitive(shape, seen):
    if shape is None:
        return False
    if shape.metadata.get('sensitive'):
        return True
    if shape.name in seen:
        return False
    seen = seen | {shape.name}
    t = shape.type_name
    if t == 'structure':
        return any(sensitive(m, seen) for m in shape.members.values())
    if t == 'list':
        return sensitive(shape.member, seen)
    if t == 'map':
        return sensitive(shape.key, seen) or sensitive(shape.value, seen)
    return False
out = {}
for name in sorted(ct):
    cmd = ct[name]
    if type(cmd).__name__ != 'ServiceCommand':
        continue
    for op in sorted(cmd.subcommand_table):
        oc = cmd.subcommand_table[op]
        if type(oc).__name__ != 'ServiceOperation':
            continue
        table = oc.arg_table
        secret = []
        for arg_name, arg in table.items():
            if type(arg).__name__ == 'BooleanArgument':
                continue
            model = getattr(arg, 'argument_model', None)
            scalar = model is not None and model.type_name in NOT_TEXT
            by_name = secret_name.search(arg_name) and not not_secret.search(arg_name) and not scalar
            if (model is not None and sensitive(model, frozenset())) or by_name:
                secret.append(arg_name)
        if not secret:
            continue
        # Exact names that are also prefixes of a secret one: argparse takes an exact match first.
        exact = [a for a in table if a not in secret and any(s.startswith(a) for s in secret)]
        out[name + ' ' + op] = [sorted(secret), sorted(exact)]
json.dump({'version': awscli.__version__, 'ops': out}, sys.stdout)
`;

/** The Python interpreter of a script entry point (`#!/usr/bin/python3`). */
function pythonOf(bin) {
  const head = fs.readFileSync(bin).subarray(0, 200).toString('utf8');
  const m = /^#!\s*(\S*python[0-9.]*)/.exec(head);
  if (!m) throw new Error(`${bin} is not a Python entry point (Debian's awscli package)`);
  return m[1];
}

/** Reads the sensitive parameters of every API operation from the CLI at `bin`. */
export function dump(bin) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-aws-gen-'));
  try {
    const r = spawnSync(pythonOf(bin), ['-c', DUMP, SECRET_NAME, NOT_SECRET], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { PATH: process.env.PATH, HOME: home },
    });
    if (r.status !== 0) throw new Error(`${bin}: ${r.stderr.slice(-2000)}`);
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

const q = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** `  'key': 'op:a,b op2:c',` wrapped after a space or a comma so that no line passes 120 characters. */
function entry(key, ops) {
  const value = ops.join(' ');
  const one = `  ${q(key)}: ${q(value)},`;
  if (one.length <= 120) return [one];
  const tokens = value.match(/[^ ,]+[ ,]?/g);
  const lines = [`  ${q(key)}:`];
  let piece = '';
  for (const token of tokens) {
    if (piece && q(piece + token).length + 8 > 120) {
      lines.push(`    ${q(piece)} +`);
      piece = '';
    }
    piece += token;
  }
  lines.push(`    ${q(piece)},`);
  return lines;
}

/** The generated TypeScript text. */
export function generate(data) {
  const byService = new Map();
  for (const key of Object.keys(data.ops).sort()) {
    const [service, op] = key.split(' ');
    const [secret, exact] = data.ops[key];
    if (!byService.has(service)) byService.set(service, []);
    byService.get(service).push(`${op}:${[...secret, ...exact.map((e) => `=${e}`)].join(',')}`);
  }
  const rows = [...byService].flatMap(([service, ops]) => entry(service, ops));
  return [
    `// Generated by scripts/gen-aws-sensitive.mjs from the AWS CLI ${data.version} (its service models): do not edit.`,
    '',
    '/** The AWS CLI version this table was generated from. */',
    `export const AWS_SENSITIVE_VERSION = ${q(data.version)};`,
    '',
    '/** Parameter names whose value is a secret (matched on the CLI name as typed, abbreviations included). */',
    'export const AWS_SECRET_NAME =',
    `  /${SECRET_NAME}/;`,
    '',
    '/**',
    ' * Per service, `operation:param,param,=name …`: the parameters whose value is secret — the shape (or a member',
    ' * in it) is `sensitive` in botocore\'s model, or `AWS_SECRET_NAME` matches (request and page tokens, ARNs and',
    ' * ids left out). `=name`: an exact name that is also the prefix of a secret one (argparse takes the exact',
    ' * match, not an abbreviation).',
    ' */',
    'export const AWS_SENSITIVE_PARAMS: Readonly<Record<string, string>> = {',
    ...rows,
    '};',
    '',
  ].join('\n');
}

function main() {
  const args = process.argv.slice(2);
  const ai = args.indexOf('--aws');
  const bin = ai >= 0 ? args[ai + 1] : '/usr/bin/aws';
  const text = generate(dump(bin));
  if (args.includes('--check')) {
    const committed = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (committed === text) {
      console.log(`awsSensitive.ts matches ${bin}`);
      return;
    }
    const a = new Set(committed.split('\n'));
    const b = new Set(text.split('\n'));
    for (const l of committed.split('\n')) if (!b.has(l)) console.log(`- ${l}`);
    for (const l of text.split('\n')) if (!a.has(l)) console.log(`+ ${l}`);
    console.log(`awsSensitive.ts differs from ${bin}: run node scripts/gen-aws-sensitive.mjs`);
    process.exitCode = 1;
    return;
  }
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(ROOT, OUT)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
