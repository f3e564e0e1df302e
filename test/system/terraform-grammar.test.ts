// The terraform module against the installed terraform binary: every flag of every command is probed (Go's
// flag package says "flag needs an argument: -x" for a value flag given last), the merged arguments are read
// from terraform's own log (TF_LOG=INFO prints them), the workspace from `terraform workspace show`, and the
// verdicts from what a local-state configuration (the built-in terraform_data resource, no provider, no
// network) still holds after the command ran.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { decide } from '../../src/core/guard/decide';
import {
  readTerraformLine, terraformGrammar, terraformModule, TF_COMMANDS,
} from '../../src/core/guard/tools/terraform';
import { asks, type ToolContext } from '../../src/core/guard/types';
import { tempDir, writeTree } from '../unit/helpers';
import { which } from './support';

const TERRAFORM = which('terraform');

function tfEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const rc = path.join(dir, '.terraformrc');
  if (!fs.existsSync(rc)) fs.writeFileSync(rc, '');
  return {
    PATH: process.env.PATH, HOME: dir, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', ...extra,
  };
}

/** Runs terraform with stdout and stderr in one stream, in the order written (usage texts go to stdout). */
function tf(args: string[], cwd: string, env: NodeJS.ProcessEnv): { code: number | null; out: string } {
  const r = spawnSync('/bin/sh', ['-c', 'exec "$0" "$@" 2>&1', TERRAFORM!, ...args], {
    cwd, env, encoding: 'utf8', input: '', timeout: 60_000,
  });
  return { code: r.status, out: r.stdout.replace(/\x1b\[[0-9;]*m/g, '') };
}

/** `NAME="value" ` for each variable, for test titles. */
function vars(env: NodeJS.ProcessEnv): string {
  return Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)} `).join('');
}

function skipWithout(ctx: Mocha.Context): void {
  if (!TERRAFORM) {
    console.log('    (skipped: terraform not found on PATH — install it from releases.hashicorp.com)');
    ctx.skip();
  }
}

describe('terraform grammar against the installed binary', function () {
  this.timeout(600_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(function () {
    skipWithout(this);
    dir = tempDir('pg-tf-probe-');
    env = tfEnv(dir, { TF_DATA_DIR: path.join(dir, '.tfdata') });
  });

  /** What the binary says about `-flag` given last: a value flag, a boolean, or no such flag. */
  function probe(command: string, flag: string): 'value' | 'bool' | 'undefined' {
    const words = command.split(' ');
    const one = tf([...words, `-${flag}`], dir, env).out;
    if (new RegExp(`flag needs an argument: -${flag}\\b`).test(one)) return 'value';
    if (new RegExp(`flag provided but not defined: -${flag}\\b`).test(one)) return 'undefined';
    // A few commands (import, login, logout) print only their usage on a parse error.
    if (/^\s*Usage: terraform/.test(one)) {
      return /^\s*Usage: terraform/.test(tf([...words, `-${flag}=0`], dir, env).out) ? 'undefined' : 'value';
    }
    return 'bool';
  }

  it('every command the module knows exists; every command terraform lists is known', () => {
    const listed = tf(['-help'], dir, env).out;
    for (const m of listed.matchAll(/^ {2}([a-z][a-z0-9-]*) {2,}/gm)) assert.ok(TF_COMMANDS.includes(m[1]), m[1]);
    for (const c of TF_COMMANDS) {
      if (c === 'push') continue; // known, and refused: "no longer supported"
      assert.doesNotMatch(tf([...c.split(' '), '-help'], dir, env).out, /has no command named/, c);
    }
  });

  const withFlags = TF_COMMANDS.filter((c) => terraformGrammar(c));
  for (const command of withFlags) {
    it(`${command}: the flags of \`-help\` and of the module, probed one by one`, () => {
      const g = terraformGrammar(command)!;
      const help = tf([...command.split(' '), '-help'], dir, env).out;
      const documented = [...help.matchAll(/^\s+-([a-z][a-z0-9-]*)/gm)].map((m) => m[1]).filter((f) => f !== 'help');
      for (const f of documented) {
        assert.ok(g.flags.some((d) => d.name === f), `-${f} is in \`terraform ${command} -help\``);
      }
      for (const f of g.flags) {
        const kind = probe(command, f.name);
        assert.strictEqual(kind, f.arg === 'none' ? 'bool' : 'value', `terraform ${command} -${f.name}`);
      }
      assert.strictEqual(probe(command, 'pg-no-such-flag'), 'undefined');
    });
  }
});

describe('terraform command line: -chdir, TF_CLI_ARGS, -version as terraform merges them', function () {
  this.timeout(300_000);
  let dir: string;
  before(function () {
    skipWithout(this);
    dir = tempDir('pg-tf-args-');
  });
  // terraform logs the final arguments (`[INFO] CLI command args: []string{…}`) before running anything.
  const rows: Array<[string[], NodeJS.ProcessEnv]> = [
    [['workspace', 'show'], { TF_CLI_ARGS: '-a "b c" d\\ e' }],
    [['workspace', 'show'], { TF_CLI_ARGS: "x 'y z'" }],
    [['workspace', 'show'], { TF_CLI_ARGS: 'a;b c' }],
    [['workspace', 'show'], { TF_CLI_ARGS: '2>x y' }],
    [['workspace', 'show'], { TF_CLI_ARGS: 'a `b c` $(d e) f' }],
    [['workspace', 'show'], { TF_CLI_ARGS: 'a\\tb "c\\nd" \'e\\f\'' }],
    [['workspace', 'show'], { TF_CLI_ARGS: '-x', TF_CLI_ARGS_workspace_show: '-y' }],
    [['workspace', 'show', 'show'], { TF_CLI_ARGS_workspace_show: '-y' }],
    [['state', 'list'], { TF_CLI_ARGS_state_list: '-id=1', TF_CLI_ARGS_state: '-no' }],
    [[], { TF_CLI_ARGS: 'workspace show -x' }],
    [['-chdir=.'], { TF_CLI_ARGS: 'workspace show', TF_CLI_ARGS_: '-z' }],
    [['', 'workspace', 'show'], { TF_CLI_ARGS: '-x' }],
    [['workspace', 'show', '-v'], {}],
    [['workspace', 'show'], { TF_CLI_ARGS: '-version' }],
    [['-chdir=.', 'workspace', 'show', '--', '--version'], {}],
  ];
  for (const [argv, extra] of rows) {
    it(`${vars(extra)}terraform ${argv.map((a) => JSON.stringify(a)).join(' ')}`, () => {
      const out = tf(argv, dir, tfEnv(dir, { TF_LOG: 'INFO', ...extra })).out;
      const m = /CLI command args: \[\]string\{(.*)\}/.exec(out);
      assert.ok(m, out.slice(0, 400));
      const theirs = [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => JSON.parse(`"${x[1]}"`) as string);
      assert.deepStrictEqual(readTerraformLine(argv, extra).args, theirs);
    });
  }
  it('an unbalanced TF_CLI_ARGS stops terraform; the module reads it as unparseable', () => {
    const out = tf(['workspace', 'show'], dir, tfEnv(dir, { TF_CLI_ARGS: 'a (b' })).out;
    assert.match(out, /Error parsing extra CLI args from TF_CLI_ARGS/);
    assert.ok(readTerraformLine(['workspace', 'show'], { TF_CLI_ARGS: 'a (b' }).error);
  });
  it('-chdir: only `-chdir=DIR` before the subcommand', () => {
    assert.match(tf(['-chdir', '.', 'version'], dir, tfEnv(dir)).out, /must include an equals sign/);
    assert.match(tf(['--chdir=.', 'workspace', 'show'], dir, tfEnv(dir)).out, /Invalid flags before the subcommand/);
    assert.match(tf(['workspace', 'show', '-chdir=.'], dir, tfEnv(dir)).out, /flag provided but not defined: -chdir/);
    for (const argv of [['-chdir', '.', 'apply'], ['--chdir=.', 'apply'], ['apply', '-chdir=.']]) {
      const ctx: ToolContext = { env: {}, home: dir, cwd: dir, files: nodeFiles };
      assert.strictEqual(terraformModule.analyze('terraform', argv, ctx).judge({}).code, 'unparseable');
    }
  });
});

describe('terraform workspace: the module names what `terraform workspace show` prints', function () {
  this.timeout(120_000);
  let root: string;
  before(function () {
    skipWithout(this);
    root = tempDir('pg-tf-ws-');
    writeTree(root, {
      'a/.terraform/environment': '  prod \n',
      'a/sub/dd/environment': 'staging',
      'b/.terraform/environment': '',
      'c/main.tf': '',
    });
  });
  const rows: Array<[string, string[], NodeJS.ProcessEnv]> = [
    ['a', [], {}],
    ['.', ['-chdir=a'], {}],
    ['a', ['-chdir=sub'], { TF_DATA_DIR: 'dd' }],
    ['a', [], { TF_WORKSPACE: 'qa' }],
    ['a', [], { TF_WORKSPACE: '' }],
    ['b', [], {}],
    ['c', [], {}],
    ['c', [], { TF_DATA_DIR: '../a/sub/dd' }],
  ];
  for (const [cwd, pre, extra] of rows) {
    it(`in ${cwd}: ${vars(extra)}terraform ${pre.join(' ')} workspace show`, () => {
      const dir = path.join(root, cwd);
      const out = tf([...pre, 'workspace', 'show'], dir, tfEnv(root, extra)).out.trim().split('\n').pop();
      const ctx: ToolContext = { env: extra, home: root, cwd: dir, files: nodeFiles };
      assert.strictEqual(terraformModule.analyze('terraform', [...pre, 'apply'], ctx).targets[0].name, out);
    });
  }
});

describe('terraform verdicts against what a real local state still holds afterwards', function () {
  this.timeout(600_000);
  let root: string;
  let proj: string;
  before(function () {
    skipWithout(this);
    root = tempDir('pg-tf-state-');
    proj = path.join(root, 'proj');
    writeTree(proj, { 'main.tf': 'resource "terraform_data" "x" {\n  input = "a"\n}\n' });
    const init = tf(['init', '-input=false'], proj, tfEnv(root));
    assert.strictEqual(init.code, 0, init.out);
  });
  /** Applies (one resource in the state), runs the row, and says whether the resource is still there. */
  function survives(argv: string[], cwd: string, extra: NodeJS.ProcessEnv): boolean {
    const env = tfEnv(root);
    assert.strictEqual(tf(['apply', '-auto-approve', '-input=false'], proj, env).code, 0);
    tf(argv, cwd, { ...env, ...extra });
    return tf(['state', 'list'], proj, env).out.includes('terraform_data.x');
  }
  // [argv, where, env]: every row is judged by the module and run for real. (Not -install-autocomplete: it edits
  // the real user's ~/.bashrc whatever HOME says.)
  const rows: Array<[string[], string, NodeJS.ProcessEnv]> = [
    [['destroy', '-auto-approve'], 'proj', {}],
    [['destroy', '-auto-approve', '-v'], 'proj', {}],
    [['destroy', '-auto-approve', '--', '-v'], 'proj', {}],
    [['destroy', '-auto-approve', '-help'], 'proj', {}],
    [['destroy', '-auto-approve', '-h'], 'proj', {}],
    [['destroy', '-auto-approve', '--', '-help'], 'proj', {}],
    [['', 'destroy', '-auto-approve'], 'proj', {}],
    [['-chdir=proj', 'destroy', '-auto-approve'], '.', {}],
    [['-chdir', 'proj', 'destroy', '-auto-approve'], '.', {}],
    [['-chdir=proj'], '.', { TF_CLI_ARGS: 'destroy -auto-approve' }],
    [[], 'proj', { TF_CLI_ARGS: 'destroy -auto-approve' }],
    [['apply', '-auto-approve'], 'proj', { TF_CLI_ARGS_apply: '-destroy' }],
    [['apply', '-auto-approve', '-destroy=f'], 'proj', {}],
    [['apply', '-auto-approve', '-destroy'], 'proj', {}],
    [['plan', '-destroy'], 'proj', {}],
    [['plan'], 'proj', { TF_CLI_ARGS: '-destroy' }],
    [['state', 'rm', 'terraform_data.x'], 'proj', {}],
    [['state', 'rm', '-dry-run', 'terraform_data.x'], 'proj', {}],
    [['state', 'rm', '-dry-run=false', 'terraform_data.x'], 'proj', {}],
    [['state', 'rm', '-backup', '-no-color', '-dry-run', 'terraform_data.x'], 'proj', {}],
    [['state', 'rm', 'terraform_data.x'], 'proj', { TF_CLI_ARGS_state_rm: '-dry-run' }],
    [['state', '-dry-run', 'rm', 'terraform_data.x'], 'proj', {}],
    [['state', 'list'], 'proj', {}],
  ];
  for (const [argv, where, extra] of rows) {
    it(`${vars(extra)}terraform ${argv.map((a) => (a === '' ? "''" : a)).join(' ')} (in ${where})`, () => {
      const cwd = path.join(root, where);
      const v = terraformModule.analyze('terraform', argv, { env: extra, home: root, cwd, files: nodeFiles }).judge({});
      const kept = survives(argv, cwd, extra);
      // A pass must keep the resource; a removal must have been asked for. (Asking for a command that fails
      // is allowed: unparseable lines.)
      if (!asks(v)) assert.ok(kept, `module: ${v.code} (${v.what}), but the resource is gone`);
      if (!kept) assert.ok(asks(v), `resource removed, module: ${v.code}`);
    });
  }
});

describe('terraform: the subcommand hashicorp/cli picks, as `-help` shows it', function () {
  this.timeout(300_000);
  let dir: string;
  before(function () {
    skipWithout(this);
    dir = tempDir('pg-tf-sub-');
  });
  // `-help` anywhere prints the usage of the subcommand that would run (nothing runs).
  const rows: string[][] = [
    ['state', 'listx', 'foo', 'state', 'list'], ['state', 'rmx', 'a.b', 'state', 'rm'], ['state', 'rmx', 'a.b'],
    ['state', 'rmx'], ['destroyx', 'destroy'], ['applyx', 'apply'], ['destroyx'], ['state', 'list', 'rm'],
    ['workspace', 'deletex', 'w', 'workspace', 'delete'], ['state', 'rm x', 'a.b'], ['providers', 'lockx', 'lock'],
    ['state', ...Array.from({ length: 2000 }, () => 'x'), 'state', 'rm'], ['state', 'rm', 'a.b', 'state', 'rm'],
    ['workspace', 'show', 'x'], ['metadata', 'functionsx', 'functions'], ['plan', 'destroy'],
  ];
  for (const argv of rows) {
    const label = argv.length > 12 ? `${argv.slice(0, 3).join(' ')} … (${argv.length} words)` : argv.join(' ');
    it(`terraform ${label} -help`, () => {
      const out = tf([...argv, '-help'], dir, tfEnv(dir)).out;
      const usage = /Usage: terraform \[global options\] ([a-z][a-z -]*?)(?: (?:\[|<|NAME)|$)/m.exec(out);
      const theirs = usage ? usage[1] : 'none';
      const mine = readTerraformLine([...argv, '-help'], {}).command;
      assert.strictEqual(TF_COMMANDS.includes(mine) ? mine : 'none', theirs, out.slice(0, 300));
    });
  }
});

describe('terraform: -state in another environment\'s folder (real local states)', function () {
  this.timeout(600_000);
  let root: string;
  before(function () {
    skipWithout(this);
    root = tempDir('pg-tf-envs-');
    const main = 'resource "terraform_data" "x" {\n  input = "a"\n}\n';
    writeTree(root, { 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/envs/dev/main.tf': main,
      'repo/envs/prod/main.tf': main });
    for (const e of ['dev', 'prod']) {
      const cwd = path.join(root, 'repo', 'envs', e);
      assert.strictEqual(tf(['init', '-input=false'], cwd, tfEnv(root)).code, 0);
    }
  });
  const rows: Array<[string[], string]> = [
    [['destroy', '-auto-approve', '-state=../prod/terraform.tfstate'], 'prod'],
    [['destroy', '-auto-approve', '-state', '../prod/terraform.tfstate'], 'prod'],
    [['destroy', '-auto-approve'], 'dev'],
  ];
  for (const [argv, hit] of rows) {
    it(`in envs/dev: terraform ${argv.join(' ')} removes ${hit}'s resource; the guard names ${hit}`, () => {
      const env = tfEnv(root);
      const state = (e: string): string => tf(['state', 'list'], path.join(root, 'repo', 'envs', e), env).out;
      for (const e of ['dev', 'prod']) {
        const applied = tf(['apply', '-auto-approve', '-input=false'], path.join(root, 'repo', 'envs', e), env);
        assert.strictEqual(applied.code, 0, applied.out);
      }
      const cwd = path.join(root, 'repo', 'envs', 'dev');
      const d = decide(['terraform', ...argv], { env: {}, home: root, cwd, files: nodeFiles });
      assert.strictEqual(tf(argv, cwd, env).code, 0);
      assert.doesNotMatch(state(hit), /terraform_data\.x/, `${hit} still holds its resource`);
      assert.strictEqual(d.environment, hit === 'prod' ? 'production' : 'development');
      assert.strictEqual(d.action, hit === 'prod' ? 'confirm' : 'run');
    });
  }
});
