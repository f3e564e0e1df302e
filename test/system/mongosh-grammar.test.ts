// mongosh against the real thing: the option table is compared with the one mongosh builds for yargs-parser from
// its own schema, the module's reading of thousands of command lines with mongosh's own parser and URI generator
// (@mongosh/arg-parser, the code the binary runs), and a few command lines with where the real binary connects
// (TCP listeners on 127.0.0.1). mongosh is installed from npm into a cache folder (scripts/install-test-deps.sh):
//   mkdir -p ~/.cache/prod-guard/mongosh && cd ~/.cache/prod-guard/mongosh && npm init -y && npm install mongosh@2
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { judgeMongoScript, MONGOSH_FLAGS, mongoshModule } from '../../src/core/guard/tools/mongosh';
import { asks, type GuardTarget, type ToolContext } from '../../src/core/guard/types';
import { rng } from '../unit/helpers';

const DIR = path.join(process.env.PRODGUARD_CACHE || path.join(os.homedir(), '.cache', 'prod-guard'), 'mongosh');
const MODULES = path.join(DIR, 'node_modules');
const BIN = path.join(MODULES, '.bin', 'mongosh');
const ARG_PARSER = path.join(MODULES, '@mongosh', 'arg-parser', 'lib');

interface YargsOptions {
  string: string[];
  boolean: string[];
  array: string[];
  alias: Record<string, string>;
  coerce: Record<string, unknown>;
}
interface ArgParser {
  createParseArgsWithCliOptions(): (a: { args: string[] }) => { parsed: Record<string, unknown> };
  generateYargsOptionsFromSchema(o: { schema: unknown }): YargsOptions;
  CliOptionsSchema: unknown;
}
interface UriGenerator {
  generateUri(o: Record<string, unknown>): string;
}

const ctx: ToolContext = { env: {}, home: os.tmpdir(), cwd: os.tmpdir(), files: nodeFiles };

/** Hosts and database of a mongodb:// URI as mongosh generated it. */
function uriParts(uri: string): { hosts: string[]; db: string } {
  const m = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)\/?([^?]*)/.exec(uri)!;
  return { hosts: m[1].split(','), db: decodeURIComponent(m[2]) };
}


const OPTION_PIECES: string[][] = [
  ['--nodb'], ['--nodb', 'true'], ['--nodb', 'false'], ['--nodb=false'], ['--nodb=true'], ['--nodb=1'], ['--no-nodb'],
  ['--shell'], ['--quiet'], ['--quiet', 'false'], ['--tls', 'false'], ['--tls'], ['--norc'], ['--verbose', 'TRUE'],
  ['--json=relaxed'], ['--json', 'canonical'], ['-p', 'pw'], ['--password=pw'], ['--p', 'pw'], ['-p'], ['-u', 'u'],
  ['--username', 'u'], ['--host', 'prod-a.example.com'], ['--host=prod-b'], ['-host', 'prod-c'], ['--host', 'h1:27018'],
  ['--host', 'rs0/h1:1,h2:2'], ['--host', 'h1,h2'], ['--host', ''], ['--no-host'], ['--port', '27019'],
  ['--port=27020'], ['--eval', 'db.c.find()'], ['--eval=db.c.drop()'], ['-eval', 'print(1)'], ['--eval'],
  ['-f', 'a.js'], ['--file', 'b.js'],
  ['--file=c.js'], ['--f', 'd.js'], ['-f'], ['--authenticationDatabase', 'admin'], ['--retryWrites=false'],
  ['--apiStrict'], ['--ssl'], ['--sslPEMKeyPassword', 'kp'], ['--build-info'], ['--evil'], ['-x'], ['--retry-writes'],
  ['-ppw'], ['--'], ['--tlsCAFile', 'ca.pem'], ['-hp', 'x'], ['---eval', 'db.c.drop()'], ['--eval/x', 'y'], ['-1'],
  ['--no-evil'], ['--host.x', 'y'], ['--eval', '--evil'], ['--eval', '-1'], ['--host', '-x'], ['-up'], ['---'],
];
const POSITIONALS = ['prod-db.example.com', 'prod', 'prod-db.example.com:27018/app', 'h1.example.com/app',
  'mongodb://h1:1,h2:2/app?replicaSet=rs', 'mongodb://u:p@prod.example.com/x', 'mongodb+srv://c.example.net/x',
  'a.js', 'b.mongodb', 'notes.txt', 'TRUE', 'mongodb://h/x.js', '-'];

describe('mongosh: the module against mongosh 2\'s own parser and binary', function () {
  this.timeout(120_000);
  let parser: ArgParser;
  let uris: UriGenerator;
  before(function () {
    if (!fs.existsSync(path.join(ARG_PARSER, 'arg-parser.js')) || !fs.existsSync(BIN)) {
      console.log(`    (skipped: mongosh not installed in ${DIR}; npm install mongosh@2 there, `
        + 'see scripts/install-test-deps.sh)');
      this.skip();
    }
    parser = require(path.join(ARG_PARSER, 'arg-parser.js')) as ArgParser;
    uris = require(path.join(ARG_PARSER, 'uri-generator.js')) as UriGenerator;
  });

  it('declares every option mongosh declares, with the same kind and aliases', () => {
    const o = parser.generateYargsOptionsFromSchema({ schema: parser.CliOptionsSchema });
    const kindOf = (name: string): string =>
      o.array.includes(name) ? 'array' : o.boolean.includes(name) ? 'boolean'
        : o.string.includes(name) ? 'string' : 'loose';
    const theirs = new Set([...o.string, ...o.boolean, ...o.array, ...Object.keys(o.coerce)]);
    const mine = new Map(MONGOSH_FLAGS.map((f) => [f.name, f]));
    const problems: string[] = [];
    for (const name of theirs) {
      const f = mine.get(name);
      if (!f) problems.push(`${name}: missing (mongosh: ${kindOf(name)})`);
      else if (f.kind !== kindOf(name)) problems.push(`${name}: module ${f.kind}, mongosh ${kindOf(name)}`);
    }
    for (const name of mine.keys()) if (!theirs.has(name)) problems.push(`${name}: mongosh does not declare it`);
    const theirAliases = Object.entries(o.alias).map(([a, n]) => `${a}→${n}`).sort();
    const myAliases = MONGOSH_FLAGS.flatMap((f) => (f.aliases ?? []).map((a) => `${a}→${f.name}`)).sort();
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(myAliases, theirAliases);
    assert.ok(theirs.size >= 60, `${theirs.size} options`);
  });

  it('reads 5000 generated command lines as mongosh does: address, scripts, --nodb, refusals', () => {
    const parse = parser.createParseArgsWithCliOptions();
    const next = rng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const problems: string[] = [];
    let accepted = 0;
    for (let n = 0; n < 5000 && problems.length < 10; n++) {
      const argv: string[] = [];
      const parts = 1 + Math.floor(next() * 5);
      for (let k = 0; k < parts; k++) {
        if (next() < 0.4) argv.push(pick(POSITIONALS));
        else argv.push(...pick(OPTION_PIECES));
      }
      let parsed: Record<string, unknown> | undefined;
      let uri: string | undefined;
      try {
        parsed = parse({ args: [...argv] }).parsed;
        uri = uris.generateUri(parsed);
      } catch {
        parsed = undefined; // mongosh refuses the line: nothing runs, whatever the module says
      }
      const a = mongoshModule.analyze('mongosh', argv, ctx);
      if (!parsed || uri === undefined) continue;
      accepted++;
      const line = JSON.stringify(argv);
      if (a.problems.length && argv.some((x) => /^--?[a-zA-Z]+\./.test(x)) && parsed.nodb) {
        // Dot notation on a real option (`--host.x y`) only survives with --nodb; the module asks rather than read it.
        continue;
      }
      if (a.problems.length) {
        problems.push(`${line}: mongosh accepts it, the module calls it odd (${a.problems[0].message})`);
        continue;
      }
      const real = a.targets.filter((t: GuardTarget) => !t.name.startsWith('(a server'));
      if (parsed.nodb) {
        if (!(real.length === 1 && real[0].name.startsWith('(no server'))) {
          problems.push(`${line}: --nodb, module: ${real.map((t) => t.name)}`);
        }
        continue;
      }
      const want = uriParts(uri);
      const got = real.map((t) => `${t.details.hosts}/${t.details.database ?? ''}`);
      if (!got.includes(`${want.hosts.join(',')}/${want.db}`)) {
        problems.push(`${line}: mongosh ${uri}, module ${got.join(' | ')}`);
      }
      const evals = ((parsed.eval as unknown[] | undefined) ?? []).map(String);
      const files = ((parsed.fileNames as unknown[] | undefined) ?? []).map(String);
      const interactive = (evals.length === 0 && files.length === 0) || !!parsed.shell;
      if (a.readsStdin !== (interactive && !parsed.help && !parsed.version && !parsed.buildInfo)) {
        problems.push(`${line}: interactive ${interactive}, module readsStdin ${a.readsStdin}`);
      }
      // A script file named like a secret (`mongodb://u:p@h` read as a file) is not shown.
      const shownFile = a.secretArgs.some((i) => argv[i] === files[0]) ? '(a script file)' : files[0];
      const scriptVerb = evals.length ? '--eval' : files.length ? shownFile : '(interactive)';
      if (a.verb !== scriptVerb) {
        problems.push(`${line}: scripts ${JSON.stringify({ evals, files })}, module verb ${a.verb}`);
      }
    }
    assert.deepStrictEqual(problems, []);
    assert.ok(accepted > 1200, `${accepted} lines accepted by mongosh`);
  });

  describe('where the binary connects (TCP listeners on 127.0.0.1)', () => {
    const listeners: Array<{ server: net.Server; port: number; hits: number }> = [];
    let home: string;
    before(async () => {
      home = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-mongosh-home-'));
      for (let k = 0; k < 3; k++) {
        const l = { server: net.createServer(), port: 0, hits: 0 };
        l.server.on('connection', (c) => {
          l.hits++;
          c.destroy();
        });
        await new Promise<void>((r) => l.server.listen(0, '127.0.0.1', r));
        l.port = (l.server.address() as net.AddressInfo).port;
        listeners.push(l);
      }
    });
    after(() => {
      for (const l of listeners) l.server.close();
      fs.rmSync(home, { recursive: true, force: true });
    });
    const runMongosh = (args: string[]): Promise<void> => new Promise((resolve) => {
      const p = spawn(BIN, ['--norc', ...args], { stdio: 'ignore',
        env: { PATH: process.env.PATH, HOME: home, DO_NOT_TRACK: '1' } });
      const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
      p.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // argv with P1..P3 for the listeners' ports, and which listeners get a connection.
    const ROWS: Array<[string[], number[]]> = [
      [['127.0.0.1:P1/app', '--eval', '1'], [0]],
      [['--eval', '1', '127.0.0.1:P2'], [1]],
      [['--host', '127.0.0.1', '--port', 'P2', '--eval', '1'], [1]],
      [['--host', '127.0.0.1:P3', 'app', '--eval', '1'], [2]],
      [['mongodb://127.0.0.1:P3/x', '--eval', '1'], [2]],
      [['--host', 'rs0/127.0.0.1:P1,127.0.0.1:P2', 'mongodb://127.0.0.1:P3/x', '--eval', '1'], [0, 1]],
      [['--port', 'P2', '127.0.0.1:P1/app', '--eval', '1'], []],
      [['--nodb', '127.0.0.1:P1', '--eval', '1'], []],
    ];
    for (const [argv, expect] of ROWS) {
      const title = `mongosh ${argv.join(' ')} connects to ${expect.map((k) => `P${k + 1}`).join(', ') || 'nothing'}`;
      it(title, async () => {
        const args = argv.map((x) => x.replace(/P([123])/g, (_m, d: string) => String(listeners[Number(d) - 1].port)));
        for (const l of listeners) l.hits = 0;
        await runMongosh(args);
        const hit = listeners.map((l, k) => (l.hits > 0 ? k : -1)).filter((k) => k >= 0);
        assert.deepStrictEqual(hit, expect);
        const a = mongoshModule.analyze('mongosh', args, ctx);
        const named = a.targets.flatMap((t) => (t.details.hosts ?? '').split(','));
        for (const k of expect) assert.ok(named.includes(`127.0.0.1:${listeners[k].port}`), `${named} lacks P${k + 1}`);
      });
    }
  });

  describe('scripts: whenever the binary runs a hidden call, the guard asks', () => {
    // Each script holds CALL: the binary runs it as print("@@" + "k") (printed as @@k, a text the source never
    // holds, so an error message that quotes the line cannot fake a run); the guard judges it as db.dropDatabase().
    const CRAFTED_SCRIPT = [
      'if (1) /"/; CALL; //"/', '{} /"/; CALL; //"/', 'let a = 1; a++ /2; CALL; a = 1/1',
      'let of = 2; of /2; CALL; of/1', '<!-- `\nCALL\n<!-- `', 'x = 1\n--> `\nCALL\n--> `', 'let a\n/"/; CALL; //"/',
      'for (let i = 0; i < 1; i++) { if (i > 5) break\n/"/; CALL; //"/\n}', 'print(this.x?.delete /2); CALL; x/1',
      'x = 1 /*\n*/ --> `\nCALL\n--> `',
    ];
    const CRAFTED_PIPED = [
      'x = 1\n/"/; CALL; //"/', 'if if `\nCALL\n`', '@ `\nCALL\n`', 'print(`\n.break\nCALL\n`)', '.x `\nCALL\n`',
      "if if 'a\\\nCALL\n'", 'if if /*\nCALL\n*/', '`${1\nx x\n/"/; CALL; //"/\n}`',
    ];
    const CTX = ['a', '1', '"s"', 'x.y', 'f()', '(a)', '[1]', 'a++', 'a--', '{}', '`t`', '/re/', 'x.delete', 'of',
      'let q', 'if (1)', 'while (0)', 'for (;0;)', 'do', 'typeof', 'new', 'function g() {}', '() =>', 'a = b', 'L: ',
      'x.', 'x = (', 'if if', '@', '.foo', 'use', '{ a: 1 }', 'print(', 'x = `a${', '}', 'a +', 'a ? b :', 'x.if'];
    const SEP = ['', ' ', '\n', '/* c */', '/*\n*/', '// c\n', ';', ';\n'];
    const HIDE = [(m: string) => `/"/; ${m}; //"/`, (m: string) => `/ 2; ${m}; x /g`,
      (m: string) => `<!-- \`\n${m}\n<!-- \``, (m: string) => `/"/\n${m}\n//"/`, (m: string) => `/'/; ${m}; //'/`,
      (m: string) => m];
    const OPEN = ['`', '/*', "'a\\", '`${', '/"/;', ''];
    const CLOSE = ['`', '*/', "'", '}`', '//"/', ''];
    const DOT = ['.break', '.clear', '.help', '.foo'];
    // Unfinished input before a line that starts with a template, comment or string (the REPL may or may not join).
    const PRE = ['x = (', 'x = {', 'x = {a: 1,', 'x.', 'a?.', 'class A {', 'class A { x', 'class A { static',
      'class A { [k]', 'class A { m() {', 'function f(', 'let [', 'let', 'if (1)', 'a +', '[', 'print(', 'f(a, a'];
    const generate = (seed: number, n: number, piped: boolean): string[] => {
      const next = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
      const out: string[] = [];
      while (out.length < n) {
        if (!piped || next() < 0.3) {
          out.push(pick(CTX) + pick(SEP) + pick(HIDE)('CALL'));
          continue;
        }
        if (next() < 0.3) {
          const o = Math.floor(next() * (OPEN.length - 1));
          out.push([pick(PRE), OPEN[o] + (next() < 0.5 ? ' x' : ''), 'CALL', CLOSE[o]].join('\n'));
          continue;
        }
        const o = Math.floor(next() * OPEN.length);
        const lines = [pick(CTX) + (next() < 0.5 ? ' ' : '') + OPEN[o]];
        if (next() < 0.3) lines.push(pick(DOT));
        if (next() < 0.3) lines.push(pick(CTX));
        lines.push(next() < 0.7 ? 'CALL' : pick(HIDE)('CALL'));
        lines.push((next() < 0.5 ? pick(CTX) : '') + CLOSE[o]);
        out.push(lines.join('\n'));
      }
      return out;
    };
    const marker = (k: number): string => `print("@@" + "${k}")`;
    const runBatch = (args: string[], input?: string): Set<number> => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-mongosh-home-'));
      try {
        const r = spawnSync(BIN, ['--nodb', '--norc', '--quiet', ...args], { input, encoding: 'utf8', timeout: 90_000,
          maxBuffer: 256 * 1024 * 1024, env: { PATH: process.env.PATH, HOME: home, DO_NOT_TRACK: '1' } });
        return new Set([...`${r.stdout}${r.stderr}`.matchAll(/@@(\d+)/g)].map((m) => Number(m[1])));
      } finally {
        fs.rmSync(home, { recursive: true, force: true });
      }
    };
    const check = (scripts: string[], ran: Set<number>, piped: boolean, crafted: number): void => {
      const holes: string[] = [];
      const notRun = scripts.slice(0, crafted).filter((_s, k) => !ran.has(k));
      scripts.forEach((text, k) => {
        if (!ran.has(k)) return;
        const v = judgeMongoScript(text.replace('CALL', 'db.dropDatabase()'), piped ? 'stdin' : 'file', piped).verdict;
        if (!asks(v)) holes.push(`${JSON.stringify(text)} → ${v.code}`);
      });
      assert.deepStrictEqual(notRun, [], 'the crafted scripts run their hidden call in mongosh');
      assert.deepStrictEqual(holes.slice(0, 10), []);
      assert.ok(ran.size > crafted + 60, `${ran.size} scripts ran the call`);
    };

    it('files and --eval (one script each, as JavaScript reads it): crafted and 300 generated', () => {
      const scripts = [...CRAFTED_SCRIPT, ...generate(21, 300, false)];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-mongosh-scripts-'));
      try {
        const files = scripts.map((text, k) => {
          const f = path.join(dir, `s${k}.js`);
          fs.writeFileSync(f, text.replace('CALL', marker(k)));
          return f;
        });
        // load() reads each file as one script, as mongosh reads a file argument; a syntax error stops only it.
        const ran = runBatch(['--eval', `for (const f of ${JSON.stringify(files)}) { try { load(f) } catch (e) {} }`]);
        check(scripts, ran, false, CRAFTED_SCRIPT.length);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('piped into the shell (read line by line): crafted and 300 generated', () => {
      const scripts = [...CRAFTED_PIPED, ...generate(22, 300, true)];
      // .break empties whatever the REPL holds: each script starts afresh.
      const input = scripts.map((text, k) => `${text.replace('CALL', marker(k))}\n.break\n`).join('');
      check(scripts, runBatch([], input), true, CRAFTED_PIPED.length);
    });
  });

  describe('~/.mongoshrc.js: loaded whenever the session is interactive (commands piped in too)', () => {
    let listener: net.Server;
    let port = 0;
    let hits = 0;
    before(async () => {
      listener = net.createServer((c) => {
        hits++;
        c.destroy();
      });
      await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
      port = (listener.address() as net.AddressInfo).port;
    });
    after(() => listener.close());
    // [arguments, stdin]: the rc connects to the listener; with --nodb nothing else does.
    const ROWS: Array<[string[], string | undefined, boolean]> = [
      [[], 'print(1)\n', true],
      [['--shell', '--eval', 'print(1)'], 'print(2)\n', true],
      [['--eval', 'print(1)'], undefined, false],
      [['--norc'], 'print(1)\n', false],
      [['x.js'], undefined, false],
    ];
    for (const [args, stdin, loads] of ROWS) {
      const runs = loads ? 'runs' : 'does not run';
      const title = `mongosh --nodb ${args.join(' ')}${stdin ? ' <<< …' : ''} ${runs} the rc file`;
      it(title, async () => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-mongosh-rc-'));
        try {
          fs.writeFileSync(path.join(home, '.mongoshrc.js'), `db = connect("mongodb://127.0.0.1:${port}/app")\n`);
          fs.writeFileSync(path.join(home, 'x.js'), 'print(1)\n');
          hits = 0;
          // Asynchronously: the listener lives in this process and must accept while mongosh runs.
          await new Promise<void>((resolve) => {
            const p = spawn(BIN, ['--nodb', ...args], { cwd: home, stdio: ['pipe', 'ignore', 'ignore'],
              env: { PATH: process.env.PATH, HOME: home, DO_NOT_TRACK: '1' } });
            const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
            p.on('close', () => {
              clearTimeout(timer);
              resolve();
            });
            p.stdin.end(stdin ?? '');
          });
          assert.strictEqual(hits > 0, loads, `${hits} connections`);
          // The same command against a development server: the rc may switch it, so the guard adds a target it
          // cannot name (judged like production) exactly when mongosh runs the rc.
          const rcCtx: ToolContext = { env: {}, home, cwd: home, files: nodeFiles };
          const a = mongoshModule.analyze('mongosh', ['mongodb://dev-db/app', ...args], rcCtx);
          assert.strictEqual(a.targets.some((t) => t.name === '(a server the script chooses)'), loads);
        } finally {
          fs.rmSync(home, { recursive: true, force: true });
        }
      });
    }
  });
});
