import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { decide, type GuardDecision } from '../../src/core/guard/decide';
import { helmEarlyGlobals, helmModule } from '../../src/core/guard/tools/helm';
import { asks, type VerdictCode } from '../../src/core/guard/types';
import { fixture, tempDir, writeTree } from './helpers';

// helm is not installable here (no Debian or npm package): these rows follow helm.sh's documented flags and
// environment variables, and helm's source for --dry-run (install/upgrade: client|server|true are dry, a bare
// --dry-run is client; uninstall/rollback: a boolean).
const FIX = (name: string): string => fixture('kubectl', name);
const home = tempDir('helm-home-');
const cwd = tempDir('helm-cwd-');
const PROD = 'https://api.prod.example.com:6443';
const ctxOf = (env: NodeJS.ProcessEnv = {}) => ({ env, home, cwd, files: nodeFiles });
writeTree(home, { '.kube/config': fs.readFileSync(FIX('kubeconfig.yaml')) });

/** Splits a command line like a shell would for these rows: spaces, '…' and "…" quoting. */
function split(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let any = false;
  for (const c of line) {
    if (quote) {
      if (c === quote) quote = '';
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      any = true;
    } else if (c === ' ') {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else cur += c;
  }
  if (cur || any) out.push(cur);
  return out;
}

function run(line: string, env: NodeJS.ProcessEnv = {}): GuardDecision {
  return decide(split(line), { env, home, cwd, files: nodeFiles, judgeAlways: true });
}

type Row = [string, VerdictCode, string];

function table(title: string, rows: Row[], env: NodeJS.ProcessEnv = {}): void {
  describe(title, () => {
    for (const [line, code, target] of rows) {
      it(`${line} → ${code} @ ${target}`, () => {
        const d = run(line, env);
        assert.strictEqual(d.verdict?.code, code, JSON.stringify(d.verdict));
        assert.strictEqual(d.target?.name, target, d.targets.map((t) => t.name).join(', '));
      });
    }
  });
}

table('helm reads and local commands never ask', [
  ['helm list --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm ls -A --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm list --all-namespaces -o json --kube-context=prod-eu', 'readOnly', 'prod-eu'],
  ['helm status web --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm status web --revision 3 --show-resources --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm history web --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm hist web --max 5 --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm get values web --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm get all web --revision=2 --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm get manifest web --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm get notes web --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm get hooks web --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm get metadata web --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm show values bitnami/redis --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm show chart ./chart --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm inspect values ./chart --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm template web ./chart -f values.yaml --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm template web ./chart --validate --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm search repo redis --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm search hub redis --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm lint ./chart --strict --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm version --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm env --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm verify chart.tgz --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm diff upgrade web ./chart --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm repo add bitnami https://charts.example.com --kube-context prod-eu', 'localOnly', 'prod-eu'],
  ['helm repo update --kube-context prod-eu', 'localOnly', 'prod-eu'],
  ['helm repo ls', 'localOnly', 'dev'],
  ['helm repo rm bitnami', 'localOnly', 'dev'],
  ['helm dependency update ./chart --kube-context prod-eu', 'localOnly', 'prod-eu'],
  ['helm dep build ./chart', 'localOnly', 'dev'],
  ['helm pull bitnami/redis --untar --kube-context prod-eu', 'localOnly', 'prod-eu'],
  ['helm fetch bitnami/redis', 'localOnly', 'dev'],
  ['helm push chart.tgz oci://registry.example.com/charts', 'localOnly', 'dev'],
  ['helm package ./chart -d dist', 'localOnly', 'dev'],
  ['helm create mychart', 'localOnly', 'dev'],
  ['helm plugin install https://github.com/databus23/helm-diff', 'localOnly', 'dev'],
  ['helm plugin list', 'localOnly', 'dev'],
  ['helm registry login registry.example.com -u me -p pw', 'localOnly', 'dev'],
  ['helm completion bash', 'noEffect', 'dev'],
  ['helm help install', 'noEffect', 'dev'],
  ['helm', 'noEffect', 'dev'],
  ['helm get', 'noEffect', 'dev'],
  // Groups whose subcommands all read (or stay local) only print their help for an unknown word.
  ['helm get everything web --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm repo nuke --kube-context prod-eu', 'localOnly', 'prod-eu'],
  ['helm install --help --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm uninstall web -h --kube-context prod-eu', 'noEffect', 'prod-eu'],
]);

table('helm release changes ask in production', [
  ['helm install web ./chart --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm install web bitnami/redis -n shop --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm install --generate-name ./chart --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm upgrade web ./chart --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm upgrade --install web ./chart -f prod.yaml --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm upgrade -i web ./chart --atomic --wait --timeout 5m --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm upgrade web ./chart --reuse-values --set image.tag=2 --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm upgrade web ./chart --force --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm rollback web 3 --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm rollback web --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm test web --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm uninstall web --keep-history --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm un web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm delete web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm del web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --kube-context prod-eu uninstall web', 'destructive', 'prod-eu'],
  ['helm -n shop --kube-context=prod-eu uninstall web', 'destructive', 'prod-eu'],
  ['helm --debug --kube-context prod-eu delete web', 'destructive', 'prod-eu'],
  ['helm uninstall web --kube-context dev --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm uninstall web --kube-context prod-eu --kube-context dev', 'destructive', 'dev'],
]);

table('unknown helm verbs and plugins ask in production', [
  ['helm secrets upgrade web ./chart --kube-context prod-eu', 'unknown', 'prod-eu'],
  ['helm unintsall web --kube-context prod-eu', 'unknown', 'prod-eu'],
  ['helm mapkubeapis web --kube-context prod-eu', 'unknown', 'prod-eu'],
  ['helm Uninstall web --kube-context prod-eu', 'unknown', 'prod-eu'],
  // A flag helm has elsewhere (install's --atomic) takes the next word at the root, as cobra reads it: helm then
  // sees "web" as the command.
  ['helm --atomic uninstall web --kube-context prod-eu', 'unknown', 'prod-eu'],
]);

table('helm --dry-run as helm reads it', [
  ['helm install web ./chart --dry-run --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm install web ./chart --dry-run=client --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm install web ./chart --dry-run=server --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm install web ./chart --dry-run=true --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm install web ./chart --dry-run=none --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm install web ./chart --dry-run=false --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm install web ./chart --dry-run= --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm install web ./chart --dry-run=1 --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm install web ./chart --dry-run=True --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm install web ./chart --dry-run=Client --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm install web ./chart --dry-run none --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm upgrade --install web ./chart --dry-run --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm upgrade web ./chart --dry-run=server --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm upgrade web ./chart --dry-run=client --dry-run=none --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm upgrade web ./chart --dry-run=none --dry-run --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm uninstall web --dry-run --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm uninstall web --dry-run=true --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm uninstall web --dry-run=1 --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm uninstall web --dry-run=T --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm uninstall web --dry-run=false --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm uninstall web --dry-run=0 --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm uninstall web --dry-run=client --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm uninstall web --dry-run=none --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm rollback web 2 --dry-run --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm rollback web 2 --dry-run=False --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm test web --dry-run --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm uninstall web --dry_run --kube-context prod-eu', 'destructive', 'prod-eu'],
]);

// helm's hidden klog flags (pkg/cmd/flags.go addKlogFlags: klog/v2 InitFlags, `_` → `-`): Go booleans take a value
// only with `=`, so `helm --logtostderr uninstall list` uninstalls the release "list".
table('helm\'s hidden klog flags before the command', [
  ['helm --logtostderr uninstall list --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --alsologtostderr uninstall list --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --one-output uninstall list --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --skip-headers uninstall list --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --skip-log-headers uninstall list --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --add-dir-header uninstall list --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --logtostderr=false uninstall list --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm -v 4 uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm -v4 uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --v 4 uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --vmodule helm=4 uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --log-dir /tmp uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --log-file /tmp/h.log uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --log-file-max-size 10 uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --stderrthreshold ERROR uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --log-backtrace-at x.go:1 uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
  // A value flag takes the next word: "uninstall" is then -v's value and "list" the command.
  ['helm -v uninstall list --kube-context prod-eu', 'readOnly', 'prod-eu'],
  ['helm --logtostderr list --kube-context prod-eu', 'readOnly', 'prod-eu'],
  // helm does not turn `_` into `-`: --log_dir is unknown everywhere, so it is read both ways.
  ['helm --log_dir uninstall list --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm --brand-new-bool uninstall web --kube-context prod-eu', 'destructive', 'prod-eu'],
]);

table('unknown helm flags are read both ways', [
  ['helm uninstall web --frobnicate --dry-run --kube-context prod-eu', 'destructive', 'prod-eu'],
  ['helm uninstall web --frobnicate=1 --dry-run --kube-context prod-eu', 'noEffect', 'prod-eu'],
  ['helm install web ./chart --brand-new-flag --kube-context prod-eu', 'mutating', 'prod-eu'],
  ['helm list --brand-new-flag --kube-context prod-eu', 'readOnly', 'prod-eu'],
]);

table('-- ends helm flags', [
  ['helm uninstall -- web --kube-context prod-eu', 'destructive', 'dev'],
  ['helm uninstall --kube-context prod-eu -- web', 'destructive', 'prod-eu'],
  ['helm uninstall web --kube-context prod-eu -- --dry-run', 'destructive', 'prod-eu'],
]);

table('HELM_KUBECONTEXT is the default context; the flag wins', [
  ['helm uninstall web', 'destructive', 'prod-eu'],
  ['helm uninstall web --kube-context dev', 'destructive', 'dev'],
  ['helm uninstall web --kube-context=', 'destructive', 'dev'],
  ['helm list', 'readOnly', 'prod-eu'],
], { HELM_KUBECONTEXT: 'prod-eu' });

describe('helm target resolution', () => {
  const rows: Array<[string, NodeJS.ProcessEnv, string, string, string?]> = [
    ['helm uninstall web', {}, 'dev', path.join(home, '.kube', 'config')],
    ['helm uninstall web --kube-context prod-eu', {}, 'prod-eu', '--kube-context flag'],
    ['helm uninstall web', { HELM_KUBECONTEXT: 'staging' }, 'staging', 'env:HELM_KUBECONTEXT'],
    [`helm uninstall web --kube-apiserver ${PROD}`, {}, PROD, '--kube-apiserver flag'],
    ['helm uninstall web', { HELM_KUBEAPISERVER: PROD }, PROD, 'env:HELM_KUBEAPISERVER'],
    ['helm uninstall web --kubeconfig ' + FIX('second.yaml'), {}, 'live-us', FIX('second.yaml')],
    ['helm uninstall web', { KUBECONFIG: FIX('second.yaml') }, 'live-us', FIX('second.yaml')],
    ['helm uninstall web', { KUBECONFIG: FIX('malformed.yaml') }, 'kubectl', FIX('malformed.yaml'), 'invalid YAML'],
    ['helm uninstall web --kube-context nope', {}, 'nope', '--kube-context flag', 'is not defined'],
    ['helm uninstall web', { HELM_KUBECONTEXT: 'nope' }, 'nope', 'env:HELM_KUBECONTEXT', 'is not defined'],
  ];
  for (const [line, env, name, source, unresolved] of rows) {
    it(`${line} ${JSON.stringify(env)} → ${name}`, () => {
      const d = run(line, env);
      assert.strictEqual(d.target?.name, name, JSON.stringify(d.targets));
      assert.ok(d.target!.source.includes(source), d.target!.source);
      if (unresolved) assert.ok(d.target?.unresolved?.includes(unresolved), d.target?.unresolved);
      else assert.strictEqual(d.target?.unresolved, undefined);
    });
  }

  it('the namespace (-n, else HELM_NAMESPACE) is an identifier and a detail', () => {
    const a = helmModule.analyze('helm', split('uninstall web -n live-shop'), ctxOf());
    assert.ok(a.targets.some((t) => t.name === 'dev' && t.identifiers.includes('live-shop')));
    assert.strictEqual(a.targets[0].details.namespace, 'live-shop');
    const b = helmModule.analyze('helm', split('uninstall web'), ctxOf({ HELM_NAMESPACE: 'payments' }));
    assert.strictEqual(b.targets[0].details.namespace, 'payments');
    const c = helmModule.analyze('helm', split('uninstall web -n x'), ctxOf({ HELM_NAMESPACE: 'payments' }));
    assert.strictEqual(c.targets[0].details.namespace, 'x');
    assert.strictEqual(run('helm uninstall web -n live-shop').environment, 'production');
  });

  it('a dev context overridden by --kube-apiserver to production asks', () => {
    const d = decide(split(`helm uninstall web --kube-apiserver ${PROD}`), ctxOf());
    assert.strictEqual(d.environment, 'production');
    assert.strictEqual(d.action, 'confirm');
  });
});

describe('helm\'s early global-flag parse (pflag, unknown flags allowed) reaches what the command parse misses', () => {
  // [command line, env, a target that must be there (name), its source (substring)]
  const rows: Array<[string, NodeJS.ProcessEnv, string, string]> = [
    [`helm uninstall rel --description --kube-apiserver=${PROD} --kube-context dev`, {}, PROD, 'early'],
    ['helm uninstall rel --description --kube-context=prod-eu', {}, 'prod-eu', 'early'],
    ['helm uninstall rel --description --kube-context prod-eu', {}, 'prod-eu', 'early'],
    [`helm uninstall rel --description --kubeconfig=${FIX('second.yaml')}`, {}, 'live-us', FIX('second.yaml')],
    ['helm uninstall rel --description --kube-context=prod-eu', { HELM_KUBECONTEXT: 'dev' }, 'prod-eu', 'early'],
    ['helm upgrade rel ./c --description --kube-context=prod-eu', {}, 'prod-eu', 'early'],
    ['helm install rel ./c --post-renderer --kube-context=prod-eu', {}, 'prod-eu', 'early'],
    ['helm rollback rel 1 --timeout --kube-context=prod-eu', {}, 'prod-eu', 'early'],
  ];
  for (const [line, env, name, source] of rows) {
    it(`${line} ${JSON.stringify(env)} → ${name}`, () => {
      const d = run(line, env);
      const t = d.targets.find((x) => x.name === name);
      assert.ok(t, JSON.stringify(d.targets));
      assert.ok(t.source.includes(source), t.source);
      assert.strictEqual(d.environment, 'production');
      assert.strictEqual(d.action, 'confirm');
    });
  }

  // What pflag's early parse does not set: the command's own reading alone.
  const none: Array<[string, NodeJS.ProcessEnv, string]> = [
    ['helm uninstall rel --kube-context dev', {}, 'dev'],
    ['helm uninstall rel --description x --kube-context dev', {}, 'dev'],
    // An unknown flag of the early parse takes a word that does not start with `-`.
    ['helm uninstall rel --description prod-eu', {}, 'dev'],
    // `--` ends both parses; `--help` ends the early parse (helm shows help).
    ['helm uninstall rel -- --kube-context=prod-eu', {}, 'dev'],
    ['helm uninstall rel --description --help --description --kube-context=prod-eu', {}, 'dev'],
    // The command's own parse saw the flag again: its value is the one in force.
    ['helm uninstall rel --kube-context=prod-eu --kube-context dev', {}, 'dev'],
  ];
  for (const [line, env, name] of none) {
    it(`${line} → only ${name}`, () => {
      const d = run(line, env);
      assert.deepStrictEqual([...new Set(d.targets.map((t) => t.name))], [name], JSON.stringify(d.targets));
    });
  }

  it('pflag\'s early reading in detail', () => {
    const rows2: Array<[string, Record<string, string>]> = [
      ['uninstall rel --description --kube-apiserver=https://p --kube-context dev',
        { 'kube-apiserver': 'https://p', 'kube-context': 'dev' }],
      ['--kube-context --kube-apiserver=x', { 'kube-context': '--kube-apiserver=x' }],
      ['-n=shop uninstall x', { namespace: 'shop' }],
      ['-nshop uninstall x', { namespace: 'shop' }],
      // An unknown letter drops the next word when it does not start with `-`; then -n needs a value it lacks.
      ['-xn prod uninstall', { namespace: 'uninstall' }],
      ['-x=1 -n prod', { namespace: 'prod' }],
      ['--debug=maybe --kube-context prod', {}],
      ['---kube-context prod', {}],
      ['-h --kube-context prod', {}],
      ['--kube-context', {}],
      ['--kube-token=s3 --kube-context=a --kube-context=b', { 'kube-token': 's3', 'kube-context': 'b' }],
    ];
    for (const [line, expected] of rows2) {
      const { values } = helmEarlyGlobals(split(line));
      assert.deepStrictEqual(Object.fromEntries(values), expected, line);
    }
  });
});

describe('secrets in helm command lines', () => {
  const rows: Array<[string, number[]]> = [
    ['helm --kube-token s3cr3t list', [1]],
    ['helm list --kube-token=s3cr3t', [1]],
    ['helm install web ./c --password pw --username me', [4]],
    ['helm repo add r https://x --password=pw', [4]],
    ['helm registry login reg -u me -p pw', [6]],
    ['helm install web ./c --set db.password=hunter2 --set replicas=2', [4]],
    ['helm install web ./c --set-string auth.token=abc', [4]],
    ['helm install web ./c --set=apiKey=abc', [3]],
    ['helm install web ./c --kube-ca-file /etc/ca.pem', []],
    // Read as --description's value by the command, as the token by the early parse: masked.
    ['helm uninstall web --description --kube-token=s3cr3t', [3]],
    ['helm uninstall web --description -- --kube-token s3cr3t', [5]],
  ];
  for (const [line, expected] of rows) {
    it(`${line} → ${JSON.stringify(expected)}`, () => {
      const argv = split(line);
      assert.deepStrictEqual(helmModule.analyze('helm', argv.slice(1), ctxOf()).secretArgs, expected);
    });
  }
});

describe('helm fast path comes from the same grammar', () => {
  const fp = helmModule.fastPath!.helm;
  it('global flags; every fast-path verb never asks whatever follows', () => {
    for (const f of ['--kube-context', '-n', '--namespace', '--kubeconfig', '--kube-apiserver', '--kube-token']) {
      assert.ok(fp.valueFlags.includes(f), f);
    }
    assert.ok(fp.booleanFlags.includes('--debug'));
    for (const v of fp.readOnlyVerbs) {
      for (const tail of ['', 'x y', 'x --kube-context prod-eu']) {
        const d = run(`helm ${v} ${tail}`);
        assert.ok(!asks(d.verdict!), `${v} ${tail}: ${d.verdict?.code}`);
      }
    }
  });
});
