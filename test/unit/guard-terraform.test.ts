import * as assert from 'assert';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { decide } from '../../src/core/guard/decide';
import { shellwords, terraformModule } from '../../src/core/guard/tools/terraform';
import { asks, type ToolContext, type Verdict, type VerdictCode } from '../../src/core/guard/types';
import type { Environment } from '../../src/core/types';
import { assertBounded, fixture, tempDir, writeTree } from './helpers';

const TF = fixture('guard-terraform');

/** Splits a row's command line like a shell (quotes, no expansion); `''` is an empty argument. */
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

function ctx(env: NodeJS.ProcessEnv = {}, cwd = path.join(TF, 'proj')): ToolContext {
  return { env, home: '/nonexistent-home', cwd, files: nodeFiles };
}

type Analysis = ReturnType<typeof terraformModule.analyze>;

function run(line: string, env: NodeJS.ProcessEnv = {}, cwd?: string): { v: Verdict; a: Analysis } {
  const a = terraformModule.analyze('terraform', words(line), ctx(env, cwd));
  return { v: a.judge({}), a };
}

/** [command line, verdict, target names, env] (cwd: fixtures/guard-terraform/proj, workspace "prod") */
type Row = [string, VerdictCode, string?, NodeJS.ProcessEnv?];

function table(title: string, rows: Row[]): void {
  describe(title, () => {
    for (const [line, code, target, env] of rows) {
      const vars = env ? Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)} `).join('') : '';
      const label = `${vars}terraform ${line}`;
      it(`${label} → ${code}${target ? ` @ ${target}` : ''}`, () => {
        const { v, a } = run(line, env);
        assert.strictEqual(v.code, code, `verdict ${v.code} (${v.what})`);
        if (target) assert.strictEqual(a.targets.map((t) => t.name).join(','), target);
      });
    }
  });
}

table('terraform: commands that only read or touch local files', [
  ['plan', 'readOnly', 'prod'],
  ['plan -destroy', 'readOnly'],
  ['plan -destroy -out=destroy.tfplan', 'readOnly'],
  ['plan -refresh-only -var-file=prod.tfvars -target=aws_instance.web', 'readOnly'],
  ['plan -var "instance_type=t3.large" -var "count=2" -lock=false -input=false -no-color', 'readOnly'],
  ['show', 'readOnly'],
  ['show -json plan.tfplan', 'readOnly'],
  ['output', 'readOnly'],
  ['output -raw db_endpoint', 'readOnly'],
  ['validate', 'readOnly'],
  ['validate -json -no-tests', 'readOnly'],
  ['providers', 'readOnly'],
  ['providers schema -json', 'readOnly'],
  ['graph -type=plan-destroy', 'readOnly'],
  ['console', 'readOnly'],
  ['state list', 'readOnly'],
  ['state list -id=i-123', 'readOnly'],
  ['state show aws_instance.web', 'readOnly'],
  ['state pull', 'readOnly'],
  ['workspace list', 'readOnly'],
  ['workspace show', 'readOnly'],
  ['env list', 'readOnly'],
  ['modules -json', 'readOnly'],
  ['metadata functions -json', 'readOnly'],
  ['version', 'noEffect'],
  ['version -json', 'noEffect'],
  ['state', 'noEffect'],
  ['state -lock=false rm aws_instance.web', 'noEffect'],
  ['workspace', 'noEffect'],
  ['metadata', 'noEffect'],
  ['', 'noEffect'],
  ['fmt', 'localOnly'],
  ['fmt -recursive -diff', 'localOnly'],
  ['get -update', 'localOnly'],
  ['login', 'localOnly'],
  ['logout app.terraform.io', 'localOnly'],
  ['providers lock -platform=linux_amd64', 'localOnly'],
  ['providers mirror ./mirror', 'localOnly'],
  ['workspace select staging', 'localOnly'],
  ['workspace select -or-create staging', 'localOnly'],
  ['env select staging', 'localOnly'],
  ['workspace new feature-x', 'harmlessWrite'],
  ['init', 'localOnly'],
  ['init -upgrade -input=false', 'localOnly'],
  ['init -reconfigure -backend-config=prod.hcl', 'localOnly'],
  ['init -migrate-state=false', 'localOnly'],
  ['init -migrate-state=f -force-copy=0', 'localOnly'],
  ['init -backend-config -migrate-state', 'localOnly'],
]);

table('terraform: commands that change infrastructure or state', [
  ['apply', 'mutating', 'prod'],
  ['apply -auto-approve', 'mutating'],
  ['apply -auto-approve -var-file=prod.tfvars -parallelism=20', 'mutating'],
  ['apply plan.tfplan', 'mutating'],
  ['apply -auto-approve destroy.tfplan', 'mutating'],
  ['apply -refresh-only -auto-approve', 'mutating'],
  ['apply -replace=aws_instance.web', 'mutating'],
  ['apply -destroy', 'destructive'],
  ['apply -destroy -auto-approve', 'destructive'],
  ['apply --destroy', 'destructive'],
  ['apply -destroy=true', 'destructive'],
  ['apply -destroy=1', 'destructive'],
  ['apply -destroy=T', 'destructive'],
  ['apply -destroy=TRUE', 'destructive'],
  ['apply --destroy=t', 'destructive'],
  ['apply -destroy=false', 'mutating'],
  ['apply -destroy=0', 'mutating'],
  ['apply -destroy -destroy=false', 'mutating'],
  ['apply -destroy=false -destroy', 'destructive'],
  ['apply -destroy=yes', 'unparseable'],
  ['apply -var x=1 -destroy', 'destructive'],
  ['apply -var -destroy', 'mutating'],
  ['apply -no-color -destroy', 'destructive'],
  ['apply -compact-warnings -destroy -no-color', 'destructive'],
  ['apply plan.tfplan -destroy', 'mutating'],
  ['apply -nosuchflag', 'unparseable'],
  ['apply -chdir=other', 'unparseable'],
  ['destroy', 'destructive'],
  ['destroy -auto-approve', 'destructive'],
  ['destroy -auto-approve -target=module.db', 'destructive'],
  ['destroy -destroy=false -auto-approve', 'destructive'],
  ['refresh', 'mutating'],
  ['import aws_instance.web i-123', 'mutating'],
  ['taint aws_instance.web', 'mutating'],
  ['untaint -allow-missing aws_instance.web', 'mutating'],
  ['state rm aws_instance.web', 'destructive'],
  ['state rm -lock=false aws_instance.web module.db', 'destructive'],
  ['state mv aws_instance.a aws_instance.b', 'mutating'],
  ['state push terraform.tfstate', 'destructive'],
  ['state push -force terraform.tfstate', 'destructive'],
  ['state replace-provider -auto-approve hashicorp/aws registry.acme.corp/acme/aws', 'mutating'],
  ['force-unlock -force 1234-5678', 'mutating'],
  ['workspace delete prod', 'destructive', 'prod,prod'],
  ['workspace delete -force staging', 'destructive', 'prod,staging'],
  ['env delete staging', 'destructive', 'prod,staging'],
  ['test', 'mutating'],
  ['test -filter=tests/main.tftest.hcl', 'mutating'],
  ['push', 'unknown'],
  ['init -migrate-state', 'mutating'],
  ['init -force-copy', 'mutating'],
  ['init -migrate-state -input=false -backend-config=bucket=x', 'mutating'],
  ['init -migrate-state=true', 'mutating'],
  ['0.12upgrade', 'unknown'],
  ['destory -auto-approve', 'unknown'],
  ['stacks deploy', 'unknown'],
]);

table('terraform: dry runs, help and version as terraform reads them', [
  ['state rm -dry-run aws_instance.web', 'noEffect'],
  ['state rm --dry-run aws_instance.web', 'noEffect'],
  ['state rm -dry-run=true aws_instance.web', 'noEffect'],
  ['state rm -lock=false -dry-run aws_instance.web', 'noEffect'],
  ['state rm -dry-run=false aws_instance.web', 'destructive'],
  ['state rm -dry-run -dry-run=0 aws_instance.web', 'destructive'],
  ['state rm aws_instance.web -dry-run', 'destructive'],
  // -no-color is dropped before the flags are parsed: -backup then takes "-dry-run" as its value.
  ['state rm -backup -no-color -dry-run aws_instance.web', 'destructive'],
  ['state rm -backup=b.tfstate -no-color -dry-run aws_instance.web', 'noEffect'],
  ['state mv -dry-run a b', 'noEffect'],
  ['state mv a b -dry-run', 'mutating'],
  ['destroy -help', 'noEffect'],
  ['destroy -auto-approve -h', 'noEffect'],
  ['destroy -auto-approve --help', 'noEffect'],
  ['apply plan.tfplan -help', 'noEffect'],
  ['-help destroy', 'noEffect'],
  ['destroy -auto-approve -- -help', 'destructive'],
  ['destroy -auto-approve -v', 'noEffect'],
  ['destroy -auto-approve -version', 'noEffect'],
  ['destroy -auto-approve --version', 'noEffect'],
  ['destroy -auto-approve -- -v', 'noEffect'],
  ['apply -var -v', 'noEffect'],
  ['-v', 'noEffect'],
  ['-version apply', 'noEffect'],
  ['destroy -auto-approve -install-autocomplete', 'localOnly'],
  ['-install-autocomplete', 'localOnly'],
  ['-uninstall-autocomplete', 'localOnly'],
  ['-install-autocomplete -uninstall-autocomplete', 'unparseable'],
]);

table('terraform: the subcommand as hashicorp/cli finds it (longest string prefix, unanchored check)', [
  // Checked with `terraform … -help` (the usage names the subcommand that would run): system test.
  ['state listx foo state list', 'readOnly'],
  ['state rmx aws_instance.web state rm', 'destructive'],
  ['state rmx aws_instance.web', 'noEffect'],
  ['state rmx', 'noEffect'],
  ['destroyx destroy', 'destructive'],
  ['destroyx -auto-approve', 'unknown'],
  ['destroyx -auto-approve destroy', 'unknown'],
  ['applyx apply', 'mutating'],
  ['workspace deletex staging workspace delete', 'destructive'],
  ['envx foo env list', 'noEffect'],
  ['state "rm x" aws_instance.web', 'noEffect'],
  ['"state rm" aws_instance.web', 'noEffect'],
  ['state rm aws_instance.web state rm', 'destructive'],
  ['state list rm', 'readOnly'],
]);

table('terraform: -chdir and words before the subcommand', [
  ['-chdir=sub apply', 'mutating', 'default'],
  ['-chdir=../plain destroy', 'destructive', 'default'],
  ['-chdir=../plain -chdir=../cloud destroy', 'unparseable'],
  ['-chdir ../plain destroy', 'unparseable'],
  ['-chdir= destroy', 'unparseable'],
  ['--chdir=../plain destroy', 'unparseable'],
  ['-foo destroy', 'unparseable'],
  ['- destroy', 'unparseable'],
  ["'' destroy -auto-approve", 'destructive'],
  ['-- destroy', 'noEffect'],
]);

table('terraform: TF_CLI_ARGS and TF_CLI_ARGS_<command>', [
  ['', 'destructive', undefined, { TF_CLI_ARGS: 'destroy -auto-approve' }],
  ['-chdir=../plain', 'destructive', 'default', { TF_CLI_ARGS: 'destroy -auto-approve' }],
  ['plan', 'readOnly', undefined, { TF_CLI_ARGS: '-destroy' }],
  ['apply', 'destructive', undefined, { TF_CLI_ARGS_apply: '-destroy' }],
  ['apply -destroy=false', 'mutating', undefined, { TF_CLI_ARGS_apply: '-destroy' }],
  // TF_CLI_ARGS_apply is inserted after `apply` last, so it lands before TF_CLI_ARGS: TF_CLI_ARGS wins.
  ['apply', 'mutating', undefined, { TF_CLI_ARGS: '-destroy=false', TF_CLI_ARGS_apply: '-destroy' }],
  ['apply', 'destructive', undefined, { TF_CLI_ARGS: '-destroy', TF_CLI_ARGS_apply: '-destroy=false' }],
  ['apply', 'unparseable', undefined, { TF_CLI_ARGS: '-chdir=/tmp' }],
  ['apply', 'unparseable', undefined, { TF_CLI_ARGS: 'a (b' }],
  ['apply', 'unparseable', undefined, { TF_CLI_ARGS: '"unterminated' }],
  ['apply', 'noEffect', undefined, { TF_CLI_ARGS: '-v' }],
  ['destroy', 'noEffect', undefined, { TF_CLI_ARGS_destroy: '-help' }],
  ['state rm aws_instance.web', 'noEffect', undefined, { TF_CLI_ARGS_state_rm: '-dry-run' }],
  ['state rm -dry-run aws_instance.web', 'destructive', undefined, { TF_CLI_ARGS_state_rm: 'aws_instance.db' }],
  ['state rm -dry-run aws_instance.web', 'noEffect', undefined, { TF_CLI_ARGS_state_rm: '-dry-run=false' }],
  ['workspace delete staging', 'destructive', undefined, { TF_CLI_ARGS_workspace_delete: '-force' }],
  ['force-unlock 1234', 'mutating', undefined, { TF_CLI_ARGS_force_unlock: '-force' }],
  ['plan', 'readOnly', undefined, { TF_CLI_ARGS_plan: '-out=x.tfplan; rm -rf /' }],
  ['apply', 'mutating', undefined, { TF_CLI_ARGS_plan: '-destroy' }],
]);

describe('terraform targets', () => {
  const targets = (line: string, env: NodeJS.ProcessEnv = {}, cwd?: string): Analysis['targets'] =>
    run(line, env, cwd).a.targets;
  it('the workspace from .terraform/environment, with file and line, folder and backend as identifiers', () => {
    const [t] = targets('apply');
    assert.strictEqual(t.name, 'prod');
    assert.strictEqual(t.source, path.join(TF, 'proj', '.terraform', 'environment'));
    assert.strictEqual(t.line, 1);
    assert.deepStrictEqual(t.identifiers.slice(0, 2), ['prod', 'proj']);
    for (const id of ['acme-tfstate-eu', 'network/terraform.tfstate', 'env']) assert.ok(t.identifiers.includes(id), id);
    assert.strictEqual(t.details.directory, path.join(TF, 'proj'));
    assert.strictEqual(t.details.backend, 's3');
    assert.strictEqual(t.unresolved, undefined);
  });
  it('TF_WORKSPACE wins; an invalid one is unresolved', () => {
    assert.strictEqual(targets('apply', { TF_WORKSPACE: 'live' })[0].name, 'live');
    assert.strictEqual(targets('apply', { TF_WORKSPACE: 'live' })[0].source, 'env:TF_WORKSPACE');
    assert.match(targets('apply', { TF_WORKSPACE: 'a/b' })[0].unresolved ?? '', /not a valid workspace/);
    assert.strictEqual(targets('apply', { TF_WORKSPACE: '' })[0].name, 'prod');
  });
  it('TF_DATA_DIR is read under the -chdir folder', () => {
    const [t] = targets('-chdir=sub apply', { TF_DATA_DIR: 'dd' });
    assert.strictEqual(t.name, 'staging');
    assert.strictEqual(t.source, path.join(TF, 'proj', 'sub', 'dd', 'environment'));
    assert.strictEqual(targets('-chdir=sub apply')[0].name, 'default');
    assert.strictEqual(targets('apply', { TF_DATA_DIR: path.join(TF, 'proj', 'sub', 'dd') })[0].name, 'staging');
  });
  it('no environment file: default; whitespace around the name is trimmed', () => {
    assert.strictEqual(targets('apply', {}, path.join(TF, 'plain'))[0].name, 'default');
    assert.strictEqual(targets('apply', {}, path.join(TF, 'spaced'))[0].name, 'qa-eu');
  });
  it('an environment file that cannot be read leaves the workspace unresolved', () => {
    assert.match(targets('apply', {}, path.join(TF, 'broken'))[0].unresolved ?? '', /directory/);
  });
  it('HCP Terraform: the remote workspace name is an identifier', () => {
    const [t] = targets('apply', {}, path.join(TF, 'cloud'));
    assert.ok(t.identifiers.includes('payments-live'));
    assert.ok(t.identifiers.includes('acme'));
  });
  it('var files, state files and a saved plan name the environment too', () => {
    const ids = targets('apply -var-file=envs/prod-eu.tfvars -state=states/live.tfstate')[0].identifiers;
    assert.ok(ids.includes('prod-eu.tfvars') && ids.includes('live.tfstate'));
    assert.ok(targets('apply out/production.tfplan')[0].identifiers.includes('production.tfplan'));
    assert.ok(targets('apply', { TF_CLI_ARGS_apply: '-var-file=live.tfvars' })[0].identifiers.includes('live.tfvars'));
  });
  it('the folder below the repository root is an identifier, the repository name is not', () => {
    const root = tempDir('pg-tf-prod-tools-');
    writeTree(root, { '.git/HEAD': 'ref: refs/heads/main\n', 'envs/live/vpc/main.tf': '' });
    const [t] = targets('apply', {}, path.join(root, 'envs', 'live', 'vpc'));
    assert.deepStrictEqual(t.identifiers, ['default', 'vpc', path.join('envs', 'live', 'vpc')]);
  });
});

describe('terraform targets: state, variable and backend files in another environment\'s folder', () => {
  let root: string;
  before(() => {
    root = tempDir('pg-tf-envs-');
    writeTree(root, {
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/tf/envs/dev/main.tf': '', 'repo/tf/envs/dev/dev.tfvars': '',
      'repo/tf/envs/prod/main.tf': '', 'repo/tf/envs/prod/terraform.tfstate': '{}',
      'repo/tf/envs/prod/terraform.tfvars': '', 'repo/tf/envs/prod/backend.hcl': '',
      'live/x.tfstate': '{}',
    });
  });
  // [command line, environment, action, env]: run from repo/tf/envs/dev (the workspace is "default").
  const rows: Array<[string, Environment, 'confirm' | 'run', NodeJS.ProcessEnv?]> = [
    ['destroy -auto-approve', 'development', 'run'],
    ['destroy -auto-approve -state=../prod/terraform.tfstate', 'production', 'confirm'],
    ['destroy -auto-approve -state ../prod/terraform.tfstate', 'production', 'confirm'],
    ['destroy -auto-approve --state=../prod/terraform.tfstate', 'production', 'confirm'],
    ['destroy -auto-approve -state=../../envs/prod/terraform.tfstate', 'production', 'confirm'],
    ['destroy -auto-approve', 'production', 'confirm', { TF_CLI_ARGS_destroy: '-state=../prod/terraform.tfstate' }],
    ['apply -auto-approve -var-file=../prod/terraform.tfvars', 'production', 'confirm'],
    ['apply -auto-approve -var-file=dev.tfvars', 'development', 'run'],
    ['apply -auto-approve -state-out=../prod/terraform.tfstate', 'production', 'confirm'],
    ['apply ../prod/saved.tfplan', 'production', 'confirm'],
    ['state rm -state=../prod/terraform.tfstate aws_instance.db', 'production', 'confirm'],
    ['state mv -state-out=../prod/terraform.tfstate aws_instance.a aws_instance.a', 'production', 'confirm'],
    ['taint -state=../prod/terraform.tfstate aws_instance.db', 'production', 'confirm'],
    ['import -config=../prod aws_instance.db i-123', 'production', 'confirm'],
    ['init -migrate-state -backend-config=../prod/backend.hcl', 'production', 'confirm'],
    ['init -migrate-state -backend-config=bucket=acme-prod-tfstate', 'production', 'confirm'],
    ['init -migrate-state -backend-config=key=prod/network.tfstate', 'production', 'confirm'],
    // A secret setting never becomes an identifier (it would be printed with the target).
    ['init -migrate-state -backend-config=secret_key=prod-looking-secret', 'development', 'run'],
    ['init -migrate-state -backend-config=conn_str=postgres://u:pw@prod-db/tf', 'production', 'confirm'],
    ['init -migrate-state -backend-config=conn_str=postgres://prod:pw@db/tf', 'development', 'run'],
    ['destroy -auto-approve -state=../../../../live/x.tfstate', 'production', 'confirm'],
    ['plan -state=../prod/terraform.tfstate', 'production', 'run'],
  ];
  for (const [line, environment, action, env = {}] of rows) {
    const vars = Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)} `).join('');
    it(`${vars}terraform ${line} (in envs/dev) → ${environment}, ${action}`, () => {
      const cwd = path.join(root, 'repo', 'tf', 'envs', 'dev');
      const d = decide(['terraform', ...words(line)], { env, home: '/nonexistent-home', cwd, files: nodeFiles });
      assert.strictEqual(d.environment, environment, d.targets.map((t) => t.identifiers.join(' ')).join(' | '));
      assert.strictEqual(d.action, action, d.verdict?.what);
    });
  }
  it('the path below the repository root, its folder names and its file name are identifiers', () => {
    const cwd = path.join(root, 'repo', 'tf', 'envs', 'dev');
    const a = terraformModule.analyze('terraform', ['destroy', '-state=../prod/terraform.tfstate'],
      { env: {}, home: '/nonexistent-home', cwd, files: nodeFiles });
    for (const id of [path.join('tf', 'envs', 'prod', 'terraform.tfstate'), 'prod', 'envs', 'terraform.tfstate']) {
      assert.ok(a.targets[0].identifiers.includes(id), id);
    }
    assert.ok(!a.targets[0].identifiers.some((id) => id.includes('repo')), 'the repository name is not read');
  });
  it('thousands of path flags cost one repository look-up each (bounded)', () => {
    const cwd = path.join(root, 'repo', 'tf', 'envs', 'dev');
    const argv = ['apply', ...Array.from({ length: 20_000 }, (_x, i) => `-var-file=../d${i}/x${i}.tfvars`),
      '-state=../prod/terraform.tfstate'];
    const t0 = Date.now();
    const d = decide(['terraform', ...argv], { env: {}, home: '/nonexistent-home', cwd, files: nodeFiles });
    assertBounded(Date.now() - t0, 'terraform with 20,000 -var-file paths');
    assert.strictEqual(d.environment, 'production');
  });
});

describe('terraform secrets', () => {
  const rows: Array<[string, number[]]> = [
    ['apply -var "db_password=hunter2"', [2]],
    ['apply -var=api_token=abc -var env=prod', [1]],
    ['apply --var "SECRET_KEY=x"', [2]],
    ['init -backend-config="access_key=AKIA" -backend-config="secret_key=s" -backend-config=bucket=b', [1, 2]],
    ['plan -var region=eu-west-1', []],
    ['-chdir=sub apply -var db_password=x', [3]],
  ];
  for (const [line, idx] of rows) {
    it(`terraform ${line} → ${JSON.stringify(idx)}`, () => assert.deepStrictEqual(run(line).a.secretArgs, idx));
  }
  it('secrets from TF_CLI_ARGS are not argv indices', () => {
    assert.deepStrictEqual(run('apply -var x=1', { TF_CLI_ARGS_apply: '-var db_password=x' }).a.secretArgs, []);
  });
});

describe('terraform: go-shellwords', () => {
  // Each row was checked against terraform 1.11.4 (TF_LOG=INFO prints the merged arguments).
  const rows: Array<[string, string[] | undefined]> = [
    ['-a "b c" d\\ e', ['-a', 'b c', 'd e']],
    ["x 'y z'", ['x', 'y z']],
    ['a;b c', ['a']],
    ['a > b', ['a']],
    ['2>x y', []],
    ['a `b` c', ['a', '`b`', 'c']],
    ['a $(b) c', ['a', '$(b)', 'c']],
    ['a (b) c', undefined],
    ['a\\tb "c\\nd"', ['atb', 'cnd']],
    ['$HOME x', ['$HOME', 'x']],
    ['a ) b', undefined],
    ['"" x', ['', 'x']],
    ['\'a\'b"c"', ['abc']],
    ['a`b c`d', ['a`b c`d']],
    ['x$(y z)w', ['x$(y z)w']],
    ['a 12>f', ['a']],
    ['a\\', undefined],
    ["'a", undefined],
    ['a&&b', ['a']],
    ['\\;a b', [';a', 'b']],
    ['"a;b" c', ['a;b', 'c']],
    ['a\nb', ['a', 'b']],
    ['$(a', undefined],
    ['`a', undefined],
  ];
  for (const [input, expected] of rows) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.deepStrictEqual(shellwords(input), expected);
    });
  }
});

describe('terraform: a destructive command asks whatever harmless flags surround it (property)', () => {
  let seed = 0x1f123bb5;
  const rand = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const flags: string[][] = [
    ['-no-color'], ['-compact-warnings'], ['-input=false'], ['-lock=false'], ['-lock-timeout=30s'],
    ['-lock-timeout', '5m'], ['-parallelism=4'], ['-var', 'x=1'], ['-var=y=2'], ['-var-file=prod.tfvars'],
    ['--var-file', 'common.tfvars'], ['-target=module.db'], ['-refresh=false'], ['-auto-approve'], ['--auto-approve'],
    ['-state=prod.tfstate'], ['-json'],
  ];
  const commands: string[][] = [['destroy'], ['apply', '-destroy'], ['apply', '--destroy=true']];
  for (let n = 0; n < 150; n++) {
    const [cmd, ...must] = commands[rand(commands.length)];
    const units: string[][] = must.map((m) => [m]);
    for (let k = rand(6); k > 0; k--) units.splice(rand(units.length + 1), 0, flags[rand(flags.length)]);
    const argv = [...(rand(2) ? ['-chdir=.'] : []), cmd, ...units.flat()];
    it(`terraform ${argv.join(' ')}`, () => {
      const a = terraformModule.analyze('terraform', argv, ctx());
      const v = a.judge({});
      assert.ok(asks(v), `${v.code}: ${v.what}`);
      assert.strictEqual(v.code, 'destructive');
      assert.strictEqual(a.targets[0].name, 'prod');
    });
  }
  it('finds the subcommand among 150,000 words in bounded time (`terraform apply $(yes x | head -150000)`)', () => {
    const argv = ['apply', ...Array.from({ length: 150_000 }, () => 'x')];
    const t0 = Date.now();
    assert.strictEqual(terraformModule.analyze('terraform', argv, ctx()).judge({}).code, 'mutating');
    const tail = ['state', ...Array.from({ length: 150_000 }, () => 'x'), 'state', 'rm'];
    assert.strictEqual(terraformModule.analyze('terraform', tail, ctx()).judge({}).code, 'noEffect');
    assertBounded(Date.now() - t0, 'terraform subcommand search');
  });
  it('decides a 1 MB argument list in bounded time', () => {
    const argv = ['apply', ...Array.from({ length: 40_000 }, (_x, i) => `-var=v${i}=${'x'.repeat(20)}`), '-destroy'];
    const t0 = Date.now();
    assert.strictEqual(terraformModule.analyze('terraform', argv, ctx()).judge({}).code, 'destructive');
    assertBounded(Date.now() - t0, 'terraform decision');
  });
});

describe('terraform fast path: a subcommand given first that the shim lets through never asks', () => {
  const fast = terraformModule.fastPath?.terraform;
  const tails: string[][] = [[], ['-destroy'], ['-auto-approve'], ['lock'], ['mirror', 'dir'], ['schema', '-json'],
    ['functions', '-json'], ['-var', 'x=1'], ['destroy'], ['-no-color', '-recursive']];
  const envs: NodeJS.ProcessEnv[] = [{}, { TF_CLI_ARGS: '-destroy' }, { TF_CLI_ARGS: 'destroy -auto-approve' }];
  for (const verb of fast?.readOnlyVerbs ?? []) {
    it(`terraform ${verb} …`, () => {
      for (const tail of tails) {
        for (const env of envs) {
          const v = terraformModule.analyze('terraform', [verb, ...tail], ctx(env)).judge({});
          // `unparseable`: terraform itself refuses the line, so letting it through changes nothing.
          const label = `${verb} ${tail.join(' ')} ${JSON.stringify(env)}: ${v.code}`;
          assert.ok(!asks(v) || v.code === 'unparseable', label);
        }
      }
    });
  }
  it('lists no value or boolean flags: anything before the subcommand goes to the full guard', () => {
    assert.deepStrictEqual([fast?.valueFlags, fast?.booleanFlags], [[], []]);
  });
});
