// The kubectl grammar, target resolution and dry-run reading checked against the installed kubectl itself:
// its help output (every command, every flag, value vs boolean), its behaviour for flags that take a value only
// with `=` (NoOptDefVal), and what it really sends to an API server on 127.0.0.1. The binary is called directly.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { kubectlGrammarOf, kubectlModule, KUBECTL_COMMANDS } from '../../src/core/guard/tools/kubectl';
import type { ToolAnalysis } from '../../src/core/guard/types';
import { assertBounded, fixture, tempDir, writeTree } from '../unit/helpers';
import { kubeconfigFor, startKubeApi, which } from './support';

const KUBECTL = which('kubectl');
/** The release the grammar was taken from: with it, the command and flag lists must match exactly. */
const GRAMMAR_MINOR = '1.32';

interface Run { code: number | null; out: string; err: string }

/** Runs the real binary (never through the shims) without blocking the event loop (the API server is here). */
function kubectl(args: readonly string[], env: NodeJS.ProcessEnv, bin = KUBECTL!): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(bin, [...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

interface HelpFlag { short?: string; long: string; bool: boolean }

/** Reads kubectl's help layout: `Available Commands:`/group sections, `Aliases:`, and `Options:` entries. */
function parseHelp(text: string): { subs: string[]; flags: HelpFlag[]; aliases: string[] } {
  const subs: string[] = [];
  const flags: HelpFlag[] = [];
  let aliases: string[] = [];
  let section = '';
  for (const l of text.split('\n')) {
    if (/^\S.*:$/.test(l)) {
      section = l;
      continue;
    }
    if (section === 'Aliases:' && l.trim()) {
      aliases = l.split(',').map((s) => s.trim()).filter(Boolean);
      section = '';
      continue;
    }
    const m = /^ {2}([a-z][a-z0-9-]*)\s{2,}\S/.exec(l);
    if (m && /Commands/.test(section)) {
      subs.push(m[1]);
      continue;
    }
    // `    -n, --namespace='':` (1.2x: `  -n, --namespace='': text` on one line) — booleans show an unquoted
    // true/false default, everything else a value.
    const f = /^ +(?:-(\w), )?--([\w-]+)=('[^']*'|\[[^\]]*\]|[^\s:]*):(?: |$)/.exec(l);
    if (f && /options/i.test(section)) {
      flags.push({ short: f[1], long: f[2], bool: f[3] === 'true' || f[3] === 'false' });
    }
  }
  return { subs, flags, aliases };
}

/**
 * Why a help entry and a grammar flag disagree, or undefined. A boolean never takes the next word, nor does a
 * NoOptDefVal flag (`=?`): pflag parses both alike (older kubectl had `--validate` as a boolean). Which value
 * flags are NoOptDefVal is proven by behaviour below.
 */
function compare(f: HelpFlag, def: { arg: string; short?: string } | undefined, exact: boolean): string | undefined {
  if (!def) return 'missing from the grammar';
  if (f.bool ? def.arg === 'required' : def.arg === 'none') {
    return `binary ${f.bool ? 'boolean' : 'takes a value'}, grammar ${def.arg}`;
  }
  const [a, b] = [f.short ?? '', def.short ?? ''];
  // Another release may add a shorthand (1.20 had no `run -q`); a different letter is always wrong.
  if (a !== b && (exact || (a !== '' && b !== ''))) return `shorthand -${a} (binary) vs -${b} (grammar)`;
  return undefined;
}

async function pool<T>(items: readonly T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

/** A kubectl with kuberc support: gcloud's kubectl package ships kubectl.1.NN next to its dispatcher. */
async function kubercKubectl(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const dir = path.dirname(fs.realpathSync(KUBECTL!));
  const candidates = [KUBECTL!, ...['1.36', '1.35', '1.34', '1.33'].map((v) => path.join(dir, `kubectl.${v}`))];
  for (const c of candidates) {
    if (!fs.existsSync(c)) continue;
    if ((await kubectl(['options'], { ...env, KUBECTL_KUBERC: 'true' }, c)).out.includes('--kuberc')) return c;
  }
  return undefined;
}

const FIXTURES = fixture('kubectl');

const describeKubectl = KUBECTL ? describe : describe.skip;
if (!KUBECTL) console.log('kubectl-grammar: kubectl is not installed (Debian: kubectl or kubernetes-client); skipped');

describeKubectl('kubectl grammar oracle: the installed binary against the module', function () {
  this.timeout(180_000);
  const env = { HOME: tempDir('kube-oracle-'), KUBECONFIG: '/nonexistent-kubeconfig' };
  let exact = false;
  const binary = new Map<string, { flags: HelpFlag[]; aliases: string[] }>();
  let global: HelpFlag[] = [];

  before(async () => {
    const v = await kubectl(['version', '--client'], env);
    exact = new RegExp(`Client Version: v${GRAMMAR_MINOR.replace('.', '\\.')}\\.`).test(v.out);
    if (!exact) console.log(`kubectl-grammar: ${v.out.split('\n')[0]}; comparing the value/boolean split only`);
    const crawl = async (p: string[]): Promise<void> => {
      const h = parseHelp((await kubectl([...p, '--help'], env)).out);
      binary.set(p.join(' '), { flags: h.flags, aliases: h.aliases });
      for (const s of h.subs) await crawl([...p, s]);
    };
    await crawl([]);
    for (const hidden of ['alpha', 'options', 'help']) if (!binary.has(hidden)) await crawl([hidden]);
    global = parseHelp(`Options:\n${(await kubectl(['options'], env)).out}`).flags;
  });

  it('finds the commands and flags in the help output', () => {
    assert.ok(binary.size > 50, `${binary.size} commands`);
    assert.ok(global.length > 20, `${global.length} global flags`);
    assert.ok(global.some((f) => f.long === 'context' && !f.bool));
  });

  it('global flags: same names, shorthands and value/boolean split', () => {
    const g = kubectlGrammarOf('')!;
    const mismatches: string[] = [];
    for (const f of global) {
      const def = g.flags.find((d) => d.long?.includes(f.long));
      if (!def && !exact) continue; // another release's flag: read both ways as an unknown flag
      const m = compare(f, def, exact);
      if (m) mismatches.push(`--${f.long}: ${m}`);
    }
    if (exact) {
      const known = new Set(global.map((f) => f.long));
      for (const d of g.flags) {
        if (d.long?.some((l) => !known.has(l) && !['help', 'kuberc'].includes(l))) {
          mismatches.push(`--${d.name}: in the grammar, not in kubectl options`);
        }
      }
    }
    assert.deepStrictEqual(mismatches, []);
  });

  it('every command: flags, shorthands, value/boolean split; the command lists match', () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const [p, b] of binary) {
      const g = kubectlGrammarOf(p);
      if (!g) {
        if (exact) mismatches.push(`${p || '(root)'}: command missing from the grammar`);
        continue;
      }
      for (const f of b.flags) {
        const def = g.flags.find((d) => d.long?.includes(f.long));
        if (!def && !exact) continue;
        compared++;
        const m = compare(f, def, exact);
        if (m) mismatches.push(`${p} --${f.long}: ${m}`);
      }
      if (exact) {
        const own = new Set([...b.flags.map((f) => f.long), ...global.map((f) => f.long), 'help', 'kuberc']);
        for (const d of g.flags) {
          if (d.long?.some((l) => !own.has(l))) mismatches.push(`${p} --${d.name}: in the grammar, not in the help`);
        }
        const parent = p.split(' ').slice(0, -1).join(' ');
        const name = p.split(' ').pop()!;
        for (const a of b.aliases.filter((x) => x !== name)) {
          if (kubectlGrammarOf(parent ? `${parent} ${a}` : a) !== g) mismatches.push(`${p}: alias ${a} missing`);
        }
      }
    }
    if (exact) {
      for (const p of Object.keys(KUBECTL_COMMANDS)) {
        if (!binary.has(p)) mismatches.push(`${p}: in the grammar, not in kubectl`);
      }
    }
    console.log(`kubectl-grammar: ${binary.size} commands, ${global.length} global flags, ${compared} command flags`);
    assert.ok(compared > (exact ? 800 : 300), `${compared} flags compared`);
    assert.deepStrictEqual(mismatches, []);
  });

  it('flags that take a value only with = (NoOptDefVal), proven by behaviour for every value flag', async () => {
    // `kubectl CMD --help --flag`: a flag that needs its value fails ("flag needs an argument"); a NoOptDefVal
    // flag parses and the help is shown. Nothing reaches a server either way.
    const jobs: Array<[string, string]> = [];
    for (const [p, b] of binary) for (const f of b.flags) if (!f.bool) jobs.push([p, f.long]);
    for (const f of global) if (!f.bool) jobs.push(['', f.long]);
    const mismatches: string[] = [];
    const optional: string[] = [];
    await pool(jobs, 2, async ([p, flag]) => {
      const r = await kubectl([...p.split(' ').filter(Boolean), '--help', `--${flag}`], env);
      const noOpt = r.code === 0;
      if (!noOpt && !/needs an argument/.test(r.err)) mismatches.push(`${p} --${flag}: ${r.err.slice(0, 99)}`);
      if (noOpt) optional.push(`${p} --${flag}`);
      const def = kubectlGrammarOf(p)?.flags.find((d) => d.long?.includes(flag));
      if (def && (def.arg === 'optional') !== noOpt) {
        mismatches.push(`${p} --${flag}: binary ${noOpt ? 'NoOptDefVal' : 'needs a value'}, grammar ${def.arg}`);
      }
    });
    console.log(`kubectl-grammar: ${jobs.length} value flags probed, ${optional.length} take a value only with '='`);
    assert.ok(optional.some((o) => o === 'delete --dry-run'), 'delete --dry-run is NoOptDefVal');
    assert.deepStrictEqual(mismatches, []);
  });
});

describeKubectl('kubectl itself agrees with the guard\'s reading (API server on 127.0.0.1)', function () {
  this.timeout(120_000);
  let api: Awaited<ReturnType<typeof startKubeApi>>;
  let prod: Awaited<ReturnType<typeof startKubeApi>>;
  let home: string;
  let kc: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    api = await startKubeApi();
    prod = await startKubeApi();
    home = tempDir('kube-real-');
    // dev → api; prod-eu → prod (another server), so where a request lands tells which target kubectl used.
    const text = kubeconfigFor(api.url, 'dev', ['prod-eu'])
      .replace(/(- name: prod-eu\n {2}cluster:\n {4}server: )\S+/, `$1${prod.url}`);
    writeTree(home, { '.kube/config': text });
    kc = path.join(home, '.kube', 'config');
    env = { HOME: home, KUBECONFIG: kc };
  });
  after(async () => {
    await api.close();
    await prod.close();
  });
  beforeEach(() => {
    api.requests.length = 0;
    prod.requests.length = 0;
  });
  const deletes = (s: typeof api): string[] => s.requests.filter((r) => r.method === 'DELETE').map((r) => r.url);
  const analyze = (args: string[], e: NodeJS.ProcessEnv = env): ToolAnalysis =>
    kubectlModule.analyze('kubectl', args, { env: e, home, cwd: home, files: nodeFiles });

  it('--dry-run: every spelling the guard calls a real run sends the DELETE, every dry one does not', async () => {
    const spellings = ['--dry-run', '--dry-run=client', '--dry-run=server', '--dry-run=none', '--dry-run=unchanged',
      '--dry-run=1', '--dry-run=t', '--dry-run=T', '--dry-run=TRUE', '--dry-run=true', '--dry-run=True',
      '--dry-run=0', '--dry-run=f', '--dry-run=F', '--dry-run=FALSE', '--dry-run=false', '--dry-run=False',
      '--dry_run=none', '--dry-run=client --dry-run=0', '--dry-run=0 --dry-run', '--cascade',
      '--cascade=orphan --force'];
    const table: string[] = [];
    for (const [i, s] of spellings.entries()) {
      const name = `p${i}`;
      api.requests.length = 0;
      const args = ['delete', 'pod', name, ...s.split(' ')];
      // -v=8 logs the request body: a server-side dry run is a DELETE whose body says dryRun.
      const r = await kubectl([...args, '-v=8'], env);
      const sent = deletes(api).some((u) => u.endsWith(`/pods/${name}`)) && !/"dryRun":\["All"\]/.test(r.err);
      const guardReal = analyze(args).judge({}).code === 'destructive';
      table.push(`${s}: kubectl ${sent ? 'deleted' : 'did not delete'} (exit ${r.code}), `
        + `guard ${guardReal ? 'asks' : 'passes'}`);
      assert.strictEqual(guardReal, sent, `${s}: ${r.err}`);
    }
    console.log(`kubectl-grammar: dry-run spellings\n  ${table.join('\n  ')}`);
  });

  it('invalid --dry-run values: kubectl refuses them, the guard treats them as real (asks)', async () => {
    for (const s of ['--dry-run=', '--dry-run=Client', '--dry-run=yes']) {
      const r = await kubectl(['delete', 'pod', 'q', s], env);
      assert.notStrictEqual(r.code, 0);
      assert.deepStrictEqual(deletes(api), []);
      assert.strictEqual(analyze(['delete', 'pod', 'q', s]).judge({}).code, 'destructive');
    }
  });

  it('--server and --cluster override the context: the request goes there, the guard\'s target too', async () => {
    const r = await kubectl(['delete', 'pod', 'a', '--server', prod.url], env);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(deletes(api), []);
    assert.deepStrictEqual(deletes(prod), ['/api/v1/namespaces/default/pods/a']);
    const a = analyze(['delete', 'pod', 'a', '--server', prod.url]);
    assert.ok(a.targets.some((t) => t.identifiers.includes(prod.url)));
    prod.requests.length = 0;
    const c = await kubectl(['--cluster', 'prod-eu', 'delete', 'pod', 'b'], env);
    assert.strictEqual(c.code, 0, c.err);
    assert.deepStrictEqual(deletes(prod), ['/api/v1/namespaces/default/pods/b']);
    const b = analyze(['--cluster', 'prod-eu', 'delete', 'pod', 'b']);
    assert.ok(b.targets.some((t) => t.name === 'prod-eu' && t.identifiers.includes(prod.url)));
  });

  it('-n=foo, -nfoo, --namespace foo and -n before the verb are namespaces', async () => {
    for (const args of [['-n=foo'], ['-nfoo'], ['--namespace', 'foo'], ['--namespace=foo']]) {
      api.requests.length = 0;
      await kubectl(['delete', 'pod', 'n1', ...args], env);
      assert.deepStrictEqual(deletes(api), ['/api/v1/namespaces/foo/pods/n1'], args.join(' '));
      assert.strictEqual(analyze(['delete', 'pod', 'n1', ...args]).targets[0].details.namespace, 'foo');
    }
    api.requests.length = 0;
    // `-n delete get pods`: "delete" is the namespace, get is the verb.
    await kubectl(['-n', 'delete', 'get', 'pods'], env);
    assert.ok(api.requests.some((q) => q.url.startsWith('/api/v1/namespaces/delete/pods')));
    assert.deepStrictEqual(deletes(api), []);
    assert.strictEqual(analyze(['-n', 'delete', 'get', 'pods']).judge({}).code, 'readOnly');
  });

  it('-- and -h: kubectl acts exactly where the guard says it does', async () => {
    const cases: Array<[string[], boolean]> = [
      [['delete', '--', 'pod', 'd1'], true],
      [['--', 'delete', 'pod', 'd2'], false],
      [['delete', 'pod', 'd3', '-h'], false],
      [['delete', '-ih', 'pod', 'd4'], false],
      [['delete', 'pod', 'd5', '--help=false'], true],
      [['--force', 'delete', 'pod', 'd6'], false], // a boolean command flag before the verb swallows it
      [['delete', 'pod', 'd7', '--dry-run', 'none'], false],
      // cobra reads a flag unknown at the root as taking the next word: kubectl refuses the line.
      [['--frobnicate', 'delete', 'pod', 'd8'], false],
    ];
    for (const [args, deleted] of cases) {
      api.requests.length = 0;
      await kubectl(args, env);
      assert.strictEqual(deletes(api).length > 0, deleted, `${args.join(' ')}: ${JSON.stringify(api.requests)}`);
      const code = analyze(args).judge({}).code;
      if (deleted) assert.strictEqual(code, 'destructive', args.join(' '));
      else assert.notStrictEqual(code, 'readOnly', args.join(' ')); // no effect, or asks for what kubectl refuses
    }
  });

  it('kubeconfig reading: duplicate keys (last wins), first file wins, a malformed file stops kubectl', async () => {
    const dir = tempDir('kube-kc-');
    const dup = path.join(dir, 'dup');
    const rest = fs.readFileSync(kc, 'utf8').replace(/^.*current-context.*$/m, '');
    fs.writeFileSync(dup, `current-context: dev\ncurrent-context: prod-eu\n${rest}`);
    await kubectl(['delete', 'pod', 'k1'], { ...env, KUBECONFIG: dup });
    assert.deepStrictEqual(deletes(prod), ['/api/v1/namespaces/default/pods/k1']);
    assert.strictEqual(analyze(['delete', 'pod', 'k1'], { ...env, KUBECONFIG: dup }).targets[0].name, 'prod-eu');
    const first = path.join(dir, 'first');
    fs.writeFileSync(first, 'apiVersion: v1\nkind: Config\ncurrent-context: prod-eu\n');
    prod.requests.length = 0;
    await kubectl(['delete', 'pod', 'k2'], { ...env, KUBECONFIG: `${first}:${kc}` });
    assert.deepStrictEqual(deletes(prod), ['/api/v1/namespaces/default/pods/k2']);
    const k2 = analyze(['delete', 'pod', 'k2'], { ...env, KUBECONFIG: `${first}:${kc}` });
    assert.strictEqual(k2.targets[0].name, 'prod-eu');
    const bad = path.join(dir, 'bad');
    fs.writeFileSync(bad, 'current-context: [\n');
    const r = await kubectl(['delete', 'pod', 'k3'], { ...env, KUBECONFIG: `${bad}:${kc}` });
    assert.notStrictEqual(r.code, 0);
    assert.deepStrictEqual([...deletes(api), ...deletes(prod)], ['/api/v1/namespaces/default/pods/k2']);
    assert.ok(analyze(['delete', 'pod', 'k3'], { ...env, KUBECONFIG: `${bad}:${kc}` }).targets[0].unresolved);
  });

  it('YAML merge keys apply in document order: the DELETE lands where the guard says', async () => {
    const dir = tempDir('kube-merge-');
    const cases: Array<[string, string]> = [
      ['merge-after-key.yaml', ''], ['merge-top.yaml', ''], ['merge-top.yaml', 'dev'], ['merge-server.yaml', ''],
      ['merge-list.yaml', ''], ['merge-list.yaml', 'last-merge'], ['merge-list.yaml', 'key-after'],
      ['merge-key.yaml', ''],
    ];
    const table: string[] = [];
    for (const [i, [name, context]] of cases.entries()) {
      const file = path.join(dir, `${i}-${name}`);
      fs.writeFileSync(file, fs.readFileSync(path.join(FIXTURES, name), 'utf8')
        .replace(/https:\/\/api\.dev\.example\.com:6443/g, api.url)
        .replace(/https:\/\/api\.prod\.example\.com:6443/g, prod.url));
      api.requests.length = 0;
      prod.requests.length = 0;
      const args = ['delete', 'pod', `m${i}`, '--wait=false', ...(context ? ['--context', context] : [])];
      const e = { ...env, KUBECONFIG: file };
      const r = await kubectl(args, e);
      assert.strictEqual(r.code, 0, `${name}: ${r.err}`);
      const landed = deletes(prod).length ? prod.url : deletes(api).length ? api.url : 'nowhere';
      const a = analyze(args, e);
      table.push(`${name}${context ? ` --context ${context}` : ''}: ${landed === prod.url ? 'prod' : 'dev'}`);
      assert.strictEqual(a.targets[0].details.server, landed, `${name}: ${JSON.stringify(a.targets)}`);
      assert.strictEqual(a.judge({}).code, 'destructive');
    }
    console.log(`kubectl-grammar: merge keys (where kubectl sent the DELETE)\n  ${table.join('\n  ')}`);
  });

  it('a merge-key bomb: kubectl refuses the kubeconfig, the guard calls it too complex, in time', async () => {
    const e = { ...env, KUBECONFIG: path.join(FIXTURES, 'merge-bomb.yaml') };
    const r = await kubectl(['delete', 'pod', 'b1', '--context', 'dev'], e);
    assert.notStrictEqual(r.code, 0);
    assert.match(r.err, /excessive aliasing/);
    const t0 = Date.now();
    const a = analyze(['delete', 'pod', 'b1', '--context', 'dev'], e);
    assertBounded(Date.now() - t0, 'merge-key bomb');
    assert.ok(a.targets[0].unresolved?.includes('too complex'), a.targets[0].unresolved);
  });

  it('kuberc documents (kubectl 1.33): the first valid v1alpha1 one is used, as the guard reads it',
    async function () {
      const bin = await kubercKubectl(env);
      if (!bin) {
        console.log('kubectl-grammar: no kubectl with kuberc support installed; kuberc documents not checked');
        this.skip();
      }
      const e = { ...env, KUBECTL_KUBERC: 'true' };
      const dir = tempDir('kube-krdocs-');
      const A1 = 'apiVersion: kubectl.config.k8s.io/v1alpha1\nkind: Preference\n';
      const B1 = 'apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\n';
      const prodDelete = (key: string, flags: string): string =>
        `${key}:\n- command: delete\n  ${flags}:\n  - name: context\n    default: prod-eu\n`;
      // [kuberc text, the server the DELETE must reach]
      const cases: Array<[string, string, 'dev' | 'prod']> = [
        ['two-docs', fs.readFileSync(path.join(FIXTURES, 'kuberc-two-docs.yaml'), 'utf8'), 'dev'],
        ['skipped', fs.readFileSync(path.join(FIXTURES, 'kuberc-skipped.yaml'), 'utf8'), 'prod'],
        ['beta-then-alpha', `${B1}${prodDelete('defaults', 'options')}---\n${A1}`, 'dev'],
        ['alpha-then-beta', `${A1}${prodDelete('overrides', 'flags')}---\n${B1}`, 'prod'],
        ['unknown-field', `${A1}bogus: 1\n---\n${A1}${prodDelete('overrides', 'flags')}`, 'dev'],
        ['merge-after-key', `${A1}overrides:\n- command: delete\n  flags:\n  - name: context\n    default: dev\n`
          + '    <<: {default: prod-eu}\n', 'prod'],
      ];
      const table: string[] = [];
      for (const [i, [name, text, where]] of cases.entries()) {
        const rc = path.join(dir, name);
        fs.writeFileSync(rc, text);
        api.requests.length = 0;
        prod.requests.length = 0;
        const args = ['delete', 'pod', `k${i}`, '--wait=false', `--kuberc=${rc}`];
        const r = await kubectl([...args, '-v=8'], e, bin);
        const server = where === 'prod' ? prod : api;
        const sent = deletes(server).some((u) => u.endsWith(`/pods/k${i}`));
        assert.ok(sent && !/"dryRun":\["All"\]/.test(r.err), `${name}: kubectl did not delete on ${where}: ${r.err}`);
        assert.deepStrictEqual(deletes(where === 'prod' ? api : prod), [], name);
        const a = analyze(args, e);
        assert.strictEqual(a.judge({}).code, 'destructive', name);
        assert.ok(a.targets.some((t) => t.details.server === server.url), `${name}: ${JSON.stringify(a.targets)}`);
        table.push(`${name}: ${where}`);
      }
      console.log(`kubectl-grammar: kuberc documents (where kubectl 1.33 sent the DELETE)\n  ${table.join('\n  ')}`);
    });

  it('kuberc aliases and defaults (kubectl ≥ 1.33; skipped when no installed kubectl has kuberc)', async function () {
    const bin = await kubercKubectl(env);
    if (!bin) {
      console.log('kubectl-grammar: no kubectl with kuberc support installed; kuberc behaviour not checked');
      this.skip();
    }
    const rc = path.join(home, 'kuberc.yaml');
    fs.writeFileSync(rc, ['apiVersion: kubectl.config.k8s.io/v1alpha1', 'kind: Preference', 'aliases:', '- name: rmp',
      '  command: delete', '  prependArgs: [pod]', 'overrides:', '- command: delete', '  flags:', '  - name: context',
      '    default: prod-eu', ''].join('\n'));
    const e = { ...env, KUBECTL_KUBERC: 'true' };
    await kubectl(['rmp', 'r1', `--kuberc=${rc}`], e, bin);
    assert.deepStrictEqual(deletes(api), ['/api/v1/namespaces/default/pods/r1']);
    assert.strictEqual(analyze(['rmp', 'r1', `--kuberc=${rc}`], e).judge({}).code, 'destructive');
    await kubectl(['delete', 'pod', 'r2', `--kuberc=${rc}`], e, bin);
    assert.deepStrictEqual(deletes(prod), ['/api/v1/namespaces/default/pods/r2']);
    assert.ok(analyze(['delete', 'pod', 'r2', `--kuberc=${rc}`], e).targets.some((t) => t.name === 'prod-eu'));
    await kubectl(['delete', 'pod', 'r3', '--context', 'dev', `--kuberc=${rc}`], e, bin);
    assert.deepStrictEqual(deletes(api), ['/api/v1/namespaces/default/pods/r1', '/api/v1/namespaces/default/pods/r3']);
  });
});
