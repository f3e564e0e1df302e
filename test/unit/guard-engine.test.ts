import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { extraDestructiveFromEnv, raiseRulesFromEnv, readGuardSettings, trustedSocket } from '../../src/cli/state';
import { nodeFiles } from '../../src/core/files';
import { auditEntry } from '../../src/core/guard/audit';
import { decide, type GuardInput } from '../../src/core/guard/decide';
import { explain } from '../../src/core/guard/explain';
import { parseConfirmRequest } from '../../src/core/guard/protocol';
import { SHIMMED_TOOLS, shimScript } from '../../src/core/guard/shims';
import { IPC_DIR, SETTINGS_FILE } from '../../src/core/guard/stateFiles';
import { GUARDED_TOOLS, moduleFor } from '../../src/core/guard/tools/index';
import { plainTranslate } from '../../src/core/describe';
import { ROOT, tempDir, writeTree } from './helpers';

const home = tempDir();
const env: NodeJS.ProcessEnv = { USER: 'me', PGSYSCONFDIR: home };
const at = (cwd: string, extra: Partial<GuardInput> = {}) => (argv: string[]) =>
  decide(argv, { env, home, cwd, files: nodeFiles, ...extra });

describe('guard engine: order, workspace labels, rules, patterns', () => {
  it('classifies first and judges only production or unresolved targets', () => {
    const d = at(tempDir())(['dropdb', '-h', 'dev-db', 'shop']);
    assert.deepStrictEqual([d.action, d.environment, d.verdict], ['run', 'development', undefined]);
    const p = at(tempDir())(['dropdb', '-h', 'db.prod.acme', 'shop']);
    assert.deepStrictEqual([p.action, p.verdict?.code, p.destructive], ['confirm', 'destructive', 'dropdb shop']);
  });

  it('every .prodguard.yaml from the folder up counts; the most severe label wins', () => {
    const ws = tempDir();
    writeTree(ws, {
      '.prodguard.yaml': 'environment: production\n',
      'svc/.prodguard.yaml': 'environment: development\n', // a nested file cannot shadow the parent's label
      'svc/deep/x': '',
    });
    const d = at(path.join(ws, 'svc', 'deep'))(['dropdb', '-h', 'dev-db', 'shop']);
    assert.strictEqual(d.environment, 'production');
    assert.strictEqual(d.action, 'confirm');
    assert.deepStrictEqual(d.reason, { code: 'workspaceLabel', file: path.join(ws, '.prodguard.yaml') });
    assert.deepStrictEqual(d.workspaceFiles, [path.join(ws, 'svc', '.prodguard.yaml'), path.join(ws, '.prodguard.yaml')]);
  });

  it('empty and invalid files, and folders named .prodguard.yaml, count for nothing and are reported', () => {
    for (const [tree, message] of [
      [{ '.prodguard.yaml': '' }, /is empty/],
      [{ '.prodguard.yaml': 'environment: [prod\n' }, /invalid YAML/],
      [{ '.prodguard.yaml/x': 'environment: production\n' }, /is a directory/],
      [{ '.prodguard.yaml': 'environment: productoin\n' }, /must be one of/],
    ] as const) {
      const ws = tempDir();
      writeTree(ws, tree as Record<string, string>);
      const d = at(ws)(['dropdb', '-h', 'dev-db', 'shop']);
      assert.strictEqual(d.action, 'run');
      assert.match(d.problems.map((p) => p.message).join('\n'), message);
    }
  });

  it('a label written `prod` labels production', () => {
    const ws = tempDir();
    writeTree(ws, { '.prodguard.yaml': 'environment: prod\n' });
    assert.strictEqual(at(ws)(['dropdb', '-h', 'dev-db', 'shop']).environment, 'production');
  });

  it('workspace rules raise but never lower; settings rules decide either way', () => {
    const ws = tempDir();
    writeTree(ws, { '.prodguard.yaml': 'rules:\n  - match: "db.prod.*"\n    environment: development\n  - match: "reporting-*"\n    environment: production\n' });
    assert.strictEqual(at(ws)(['dropdb', '-h', 'db.prod.acme', 'x']).environment, 'production');
    assert.strictEqual(at(ws)(['dropdb', '-h', 'reporting-eu', 'x']).environment, 'production');
    const mine = at(ws, { rules: [{ match: 'db.prod.*', environment: 'development', origin: { type: 'settings' } }] });
    assert.strictEqual(mine(['dropdb', '-h', 'db.prod.acme', 'x']).action, 'run');
  });

  it('PRODGUARD_RULES may raise, never lower; PRODGUARD_GUARD may add, never allow', () => {
    const raise = raiseRulesFromEnv({ PRODGUARD_RULES: JSON.stringify([
      { match: 'reporting-*', environment: 'production' }, { match: 'db.prod.*', environment: 'local' }, { bad: 1 },
    ]) });
    assert.strictEqual(raise.length, 2);
    const d = at(tempDir(), { raiseRules: raise });
    assert.strictEqual(d(['dropdb', '-h', 'reporting-eu', 'x']).action, 'confirm');
    assert.strictEqual(d(['dropdb', '-h', 'db.prod.acme', 'x']).action, 'confirm');
    assert.deepStrictEqual(extraDestructiveFromEnv({ PRODGUARD_GUARD: '{"destructive":{"psql":["-l"]},"allow":{"dropdb":["x"]}}' }), { psql: ['-l'] });
    assert.deepStrictEqual(raiseRulesFromEnv({ PRODGUARD_RULES: 'not json' }), []);
  });

  it('user allow patterns let a command through; destructive patterns from any source add confirmations', () => {
    const cwd = tempDir();
    const allow = at(cwd, { patterns: { destructive: {}, allow: { dropdb: ['dropdb'] } } })(['dropdb', '-h', 'db.prod.acme', '--if-exists', 'x']);
    assert.deepStrictEqual([allow.action, allow.pattern?.kind], ['run', 'allow']);
    // An allow pattern matches the verb, not any word: `-c` is psql's verb here, `\dt` a word of its SQL.
    const words = at(cwd, { patterns: { destructive: {}, allow: { psql: ['\\dt'] } } })(['psql', '-h', 'db.prod.acme', '-c', '\\dt', '-f', 'x.sql']);
    assert.strictEqual(words.action, 'confirm');
    const extra = at(cwd, { extraDestructive: { psql: ['--list'] } })(['psql', '-h', 'db.prod.acme', '--list']);
    assert.deepStrictEqual([extra.action, extra.destructive, extra.pattern?.origin], ['confirm', 'psql --list', 'env:PRODGUARD_GUARD']);
    const ws = tempDir();
    writeTree(ws, { '.prodguard.yaml': 'guard:\n  destructive:\n    psql: ["-l"]\n  allow:\n    dropdb: ["x"]\n' });
    assert.strictEqual(at(ws)(['psql', '-h', 'db.prod.acme', '-l']).action, 'confirm');
    assert.strictEqual(at(ws)(['dropdb', '-h', 'db.prod.acme', 'x']).action, 'confirm');
  });

  it('an unresolved target asks for a destructive command even outside production, and says why', () => {
    const d = decide(['dropdb', 'shop'], { env: { ...env, PGSERVICE: 'nosuch' }, home, cwd: tempDir(), files: nodeFiles });
    assert.strictEqual(d.action, 'confirm');
    assert.match(explain(d, ['dropdb', 'shop'], plainTranslate).why, /could not be resolved: service "nosuch" is not defined/);
    const read = decide(['pg_dump', 'shop'], { env: { ...env, PGSERVICE: 'nosuch' }, home, cwd: tempDir(), files: nodeFiles });
    assert.strictEqual(read.action, 'run');
  });

  it('tools without a module run untouched', () => {
    assert.strictEqual(at(tempDir())(['git', 'push', '--force']).action, 'run');
  });

  it('the audit entry names the target, its source and the verdict, secrets masked', () => {
    const argv = ['psql', 'postgresql://app:hunter2@db.prod.acme/shop', '-f', 'missing.sql'];
    const d = at(tempDir())(argv);
    const e = auditEntry(argv, d, 'refused', 'none', '/x', 'me');
    assert.deepStrictEqual([e.target?.name, e.why, e.environment], ['db.prod.acme/shop', 'unreadable', 'production']);
    assert.doesNotMatch(JSON.stringify(e), /hunter2/);
  });
});

describe('state files: only the user\'s own private files are trusted', () => {
  it('reads rules and allow-lists from a 0600 file; ignores a world-writable one', () => {
    const dir = tempDir();
    const file = path.join(dir, SETTINGS_FILE);
    fs.writeFileSync(file, JSON.stringify({ rules: [{ match: 'x-*', environment: 'production' }], guard: { allow: { psql: ['-l'] } } }), { mode: 0o600 });
    const ok = readGuardSettings(dir);
    assert.deepStrictEqual([ok.settings?.rules.length, ok.settings?.guard.allow.psql], [1, ['-l']]);
    fs.chmodSync(file, 0o666);
    const bad = readGuardSettings(dir);
    assert.strictEqual(bad.settings, undefined);
    assert.match(bad.problems.join(), /not a private file/);
    assert.deepStrictEqual(readGuardSettings(undefined), { problems: [] });
  });

  it('trusts a socket only when the state folder lists it and it is a private socket', async () => {
    const dir = tempDir();
    const sock = path.join(dir, 's.sock');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      fs.chmodSync(sock, 0o600);
      assert.strictEqual(trustedSocket(dir, sock), false, 'not listed');
      fs.mkdirSync(path.join(dir, IPC_DIR), { mode: 0o700 });
      fs.writeFileSync(path.join(dir, IPC_DIR, 's.sock'), sock, { mode: 0o600 });
      assert.strictEqual(trustedSocket(dir, sock), true);
      assert.strictEqual(trustedSocket(undefined, sock), false, 'no state folder baked in');
      fs.chmodSync(sock, 0o666);
      assert.strictEqual(trustedSocket(dir, sock), false, 'a socket others can use');
    } finally {
      server.close();
    }
  });

  it('the IPC request parser answers malformed input with a message, never throws', () => {
    for (const line of ['', 'x', '[]', 'null', '{}', '{"token":"t"}', '{"token":1,"command":"c"}', '{"a":'.repeat(1000)]) {
      assert.strictEqual(typeof parseConfirmRequest(line), 'string', line.slice(0, 20));
    }
    const ok = { token: 't', command: 'c', cwd: '/', what: 'w', environment: 'production', why: 'y', confirmName: 'n', target: { kind: 'k', name: 'n', source: 's' } };
    assert.deepStrictEqual(parseConfirmRequest(JSON.stringify(ok)), ok);
  });
});

describe('shims', () => {
  it('every guarded tool has a module, every shim a tool; read-only dump tools get none', () => {
    for (const t of GUARDED_TOOLS) assert.ok(moduleFor(t), t);
    assert.ok(SHIMMED_TOOLS.includes('psql') && !SHIMMED_TOOLS.includes('pg_dump'));
  });
  it('bake the runtime, the CLI and the state folder in: no environment variable redirects them', () => {
    const sh = shimScript('psql', '/opt/node', '/opt/cli.js', '/home/me/state');
    assert.match(sh, /^runtime='\/opt\/node'$/m);
    assert.match(sh, /run --real "\$real" --state '\/home\/me\/state' -- "\$tool" "\$@"/);
    assert.doesNotMatch(sh, /PRODGUARD_RUNTIME|PRODGUARD_CLI/);
    const r = spawnSync('sh', ['-n'], { input: sh });
    assert.strictEqual(r.status, 0, r.stderr?.toString());
  });
});

describe('prod-guard check', () => {
  const cli = path.join(ROOT, process.env.PRODGUARD_DIST || 'dist', 'cli.js');
  const check = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [cli, 'check', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home, ...env, ...extra }, input: '' });
  before(function () {
    if (!fs.existsSync(cli)) this.skip();
  });
  it('exits 3 when the command would ask, 0 when it would run, 2 on bad usage', () => {
    assert.strictEqual(check(['--', 'dropdb', '-h', 'db.prod.acme', 'shop']).status, 3);
    assert.strictEqual(check(['--', 'dropdb', '-h', 'dev-db', 'shop']).status, 0);
    assert.strictEqual(check([]).status, 2);
    assert.strictEqual(check(['--bogus', '--', 'psql']).status, 2);
  });
  it('a word that is both a target and a secret (mysql --password WORD) never shows', () => {
    const r = check(['--json', '--', 'mysql', '--no-defaults', '-h', 'db.prod.acme', '--password', 'S3cretWord', '-e', 'DROP TABLE t']);
    assert.strictEqual(r.status, 3);
    assert.doesNotMatch(r.stdout, /S3cretWord/);
  });
  it('--json gives the decision as data, masked, with the target\'s source file and line', () => {
    const svc = path.join(home, 'svc.conf');
    fs.writeFileSync(svc, '# x\n[prod]\nhost=db.prod.acme\ndbname=shop\n');
    const r = check(['--json', '--', 'dropdb', 'postgresql://u:hunter2@x/y'], { PGSERVICE: 'prod', PGSERVICEFILE: svc });
    const j = JSON.parse(r.stdout) as {
      tool: string; action: string; environment: string; verdict: { code: string }; target: { source: string; line: number };
    };
    assert.deepStrictEqual([j.tool, j.action, j.environment, j.verdict.code], ['dropdb', 'confirm', 'production', 'destructive']);
    assert.deepStrictEqual([j.target.source, j.target.line], [`service "prod" in ${svc}`, 3]);
    assert.doesNotMatch(r.stdout, /hunter2/);
    const text = check(['--', 'dropdb', 'postgresql://u:hunter2@x/y'], { PGSERVICE: 'prod', PGSERVICEFILE: svc }).stdout;
    assert.match(text, /^ASKS: dropdb .*\n {2}tool: +dropdb/);
    assert.match(text, new RegExp(`target: +database "db.prod.acme/postgresql://u:\\*\\*\\*@x/y" \\(from service "prod" in ${svc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3\\)`));
  });
});

describe('stdin that switches servers: a script piped into a development session cannot reach production unjudged', () => {
  // [argv, stdin, action]
  const rows: Array<[string[], string, 'run' | 'confirm']> = [
    [['redis-cli', '-h', 'cache-dev'], 'connect cache-prod 6379\nFLUSHALL\n', 'confirm'],
    [['redis-cli', '-h', 'cache-dev'], 'GET k\nFLUSHALL\n', 'run'],
    [['mysql', '--no-defaults', '-h', 'db-dev'], 'connect shop db-prod\nDROP TABLE users;\n', 'confirm'],
    [['mysql', '--no-defaults', '-h', 'db-dev'], 'DROP TABLE users;\n', 'run'],
    [['mongosh', 'mongodb://mongo-dev/app'], 'db = connect("mongodb://mongo-prod/app"); db.users.drop()\n', 'confirm'],
    [['mongosh', 'mongodb://mongo-dev/app'], 'db.users.drop()\n', 'run'],
  ];
  for (const [argv, text, action] of rows) {
    it(`${argv.join(' ')} <<< ${JSON.stringify(text)} → ${action}`, () => {
      const d = decide(argv, { env, home, cwd: tempDir(), files: nodeFiles, stdin: () => ({ text }) });
      assert.strictEqual(d.action, action, JSON.stringify([d.target, d.verdict]));
    });
  }
});
