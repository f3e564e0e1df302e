// redis-cli against the real binary and real servers on 127.0.0.1: the module's grammar is compared with what
// redis-cli 7 itself accepts, target resolution with where commands really land (two servers), the command table
// with a live server's, and the guard (`cli.js run`) with a real FLUSHALL. Debian packages: redis-tools, redis-server.
import * as assert from 'assert';
import { type ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { DEBUG_SUBCOMMANDS, REDIS_CLI_GRAMMAR, redisModule, splitArgs } from '../../src/core/guard/tools/redis';
import { type ToolContext, asks } from '../../src/core/guard/types';
import { ROOT } from '../unit/helpers';

function which(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, bin);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

const CLI = which('redis-cli');
const SERVER = which('redis-server');

interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

function cli(args: string[], input = '', env: NodeJS.ProcessEnv = {}): Ran {
  const r = spawnSync(CLI!, args, { input, encoding: 'utf8', timeout: 10_000,
    env: { PATH: process.env.PATH, ...env } });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

interface Server {
  readonly port: number;
  readonly dir: string;
  readonly proc: ChildProcess;
}

async function startServer(): Promise<Server> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-redis-'));
  // DEBUG is refused unless enabled (7.0): `local` lets these tests ask the server for its DEBUG subcommands.
  const proc = spawn(SERVER!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--unixsocket', path.join(dir, 'redis.sock'), '--enable-debug-command', 'local'],
  { stdio: 'ignore' });
  for (let k = 0; k < 100; k++) {
    if (cli(['-p', String(port), 'PING']).out.trim() === 'PONG') return { port, dir, proc };
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  throw new Error(`redis-server did not start on ${port}`);
}

function stopServer(s: Server | undefined): void {
  if (!s) return;
  s.proc.kill('SIGKILL');
  fs.rmSync(s.dir, { recursive: true, force: true });
}

const ctx: ToolContext = { env: {}, home: os.tmpdir(), cwd: os.tmpdir(), files: nodeFiles };

/** The argv tokens that spell a grammar flag: `-h`, `--pass`. */
function tokensOf(f: (typeof REDIS_CLI_GRAMMAR.flags)[number]): string[] {
  return [...(f.short ? [`-${f.short}`] : []), ...(f.long ?? []).map((l) => `--${l}`)];
}

describe('redis-cli: the module against the real binary', function () {
  this.timeout(120_000);
  before(function () {
    if (!CLI || !SERVER) {
      console.log('    (skipped: redis-cli / redis-server not installed; Debian packages redis-tools, redis-server)');
      this.skip();
    }
  });

  describe('grammar oracle: every option redis-cli knows, value-taking or not, as the binary reads it', () => {
    // Asked of the binary with nothing listening on 127.0.0.1:1: `F -zz` complains about -zz when F takes no value,
    // about F when redis-cli does not know F, and about neither when F took -zz as its value.
    function classify(flag: string): 'value' | 'none' | 'unknown' | 'prints' {
      const r = cli(['-p', '1', flag, '-zz']);
      const text = r.out + r.err;
      if (text.includes(`for: '-zz'`)) return 'none';
      if (text.includes(`for: '${flag}'`)) return 'unknown';
      if (/^redis-cli \d/m.test(text) || /Usage: redis-cli/.test(text)) return 'prints';
      return 'value';
    }
    const candidates = (): string[] => {
      const binary = fs.readFileSync(CLI!).toString('latin1');
      const longs = new Set(binary.match(/--[a-z][a-z0-9-]+/g) ?? []);
      const shorts = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'].map((c) => `-${c}`);
      const ours = REDIS_CLI_GRAMMAR.flags.flatMap(tokensOf);
      return [...new Set([...shorts, ...longs, ...ours])].sort();
    };
    const kindOf = new Map<string, string>();
    for (const f of REDIS_CLI_GRAMMAR.flags) {
      for (const t of tokensOf(f)) kindOf.set(t, f.arg);
    }

    it('agrees with redis-cli on every option it knows and every one it refuses', () => {
      const disagree: string[] = [];
      let values = 0;
      let booleans = 0;
      for (const flag of candidates()) {
        const real = classify(flag);
        const mine = kindOf.get(flag);
        if (real === 'unknown') {
          if (mine !== undefined) disagree.push(`${flag}: redis-cli does not know it, the module does`);
          continue;
        }
        if (real === 'prints') {
          if (!['-v', '--version', '--help'].includes(flag)) {
            disagree.push(`${flag}: only prints, not in the module's list`);
          }
          continue;
        }
        if (flag === '--cluster-weight') {
          // Takes every following `n=w` argument: `x=1 y=2 -zz` leaves only -zz.
          const r = cli(['-p', '1', flag, 'x=1', 'y=2', '-zz']);
          if (!(r.out + r.err).includes(`for: '-zz'`) || real !== 'none') {
            disagree.push(`${flag}: does not take n=w arguments`);
          }
          if (!REDIS_CLI_GRAMMAR.flags.find((f) => f.name === 'cluster-weight')?.multi) {
            disagree.push(`${flag}: module not multi`);
          }
          continue;
        }
        if (real === 'value') values++;
        else booleans++;
        const want = real === 'value' ? 'required' : 'none';
        if (mine !== want) {
          const says = real === 'value' ? 'takes a value' : 'takes none';
          disagree.push(`${flag}: redis-cli ${says}, module: ${mine ?? 'unknown'}`);
        }
      }
      assert.deepStrictEqual(disagree, []);
      assert.ok(values >= 30 && booleans >= 30, `${values} value options, ${booleans} boolean options`);
    });

    it('a value option as the last argument is refused (nothing is sent), -h and --cluster print usage', () => {
      for (const flag of ['-p', '-n', '-u', '--eval', '--rdb', '--pass']) {
        assert.match(cli(['-p', '1', flag]).err, /Unrecognized option or bad number of args/, flag);
        assert.strictEqual(redisModule.analyze('redis-cli', ['-p', '1', flag], ctx).judge({}).code, 'noEffect', flag);
      }
      assert.match(cli(['-h']).out + cli(['-h']).err, /Usage: redis-cli/);
    });
  });

  describe('where commands land: two servers on 127.0.0.1', () => {
    let a: Server | undefined;
    let b: Server | undefined;
    before(async () => {
      a = await startServer();
      b = await startServer();
    });
    after(() => {
      stopServer(a);
      stopServer(b);
    });
    beforeEach(() => {
      cli(['-p', String(a!.port), 'FLUSHALL']);
      cli(['-p', String(b!.port), 'FLUSHALL']);
    });
    const keysOn = (s: Server, db = 0): string[] =>
      cli(['-p', String(s.port), '-n', String(db), '--raw', 'KEYS', '*']).out.split('\n').filter(Boolean).sort();
    const modulePort = (args: string[]): string => {
      const t = redisModule.analyze('redis-cli', args, ctx).targets;
      assert.strictEqual(t.length, 1, JSON.stringify(t));
      return `${t[0].details.port}/${t[0].details.db}`;
    };

    // Each row: argv with A and B standing for the two ports; the server (and db) the key lands on.
    const ROWS: Array<[string[], 'A' | 'B', number]> = [
      [['-p', 'A', 'SET', 'k', 'v'], 'A', 0],
      [['-p', 'A', '-p', 'B', 'SET', 'k', 'v'], 'B', 0],
      [['-u', 'redis://127.0.0.1:A', '-p', 'B', 'SET', 'k', 'v'], 'B', 0],
      [['-p', 'B', '-u', 'redis://127.0.0.1:A', 'SET', 'k', 'v'], 'A', 0],
      [['-h', '127.0.0.2', '-u', 'redis://127.0.0.1:A', 'SET', 'k', 'v'], 'A', 0],
      [['-p', 'A', '-u', 'redis://127.0.0.1', 'SET', 'k', 'v'], 'A', 0],
      [['-p', 'A', '-u', 'redis://', 'SET', 'k', 'v'], 'A', 0],
      [['-u', 'redis://127.0.0.1:A/3', 'SET', 'k', 'v'], 'A', 3],
      [['-u', 'redis://127.0.0.1:A/3', '-n', '5', 'SET', 'k', 'v'], 'A', 5],
      [['-n', '5', '-u', 'redis://127.0.0.1:A/3', 'SET', 'k', 'v'], 'A', 3],
      [['-u', 'redis://user:pw@127.0.0.1:B/2', '--no-auth-warning', 'SET', 'k', 'v'], 'B', 2],
      [['-p', 'A', '-n', '4', 'SET', 'k', 'v'], 'A', 4],
    ];
    for (const [argv, where, db] of ROWS) {
      it(`redis-cli ${argv.join(' ')} → ${where} db ${db}, and the module says so`, () => {
        const args = argv.map((x) => x.replace(/\bA\b/, String(a!.port)).replace(/\bB\b/, String(b!.port)));
        const r = cli(args);
        // A server without the user answers an auth error but still has no key: only rows that work are kept.
        if (argv.some((x) => x.includes('user:pw'))) {
          assert.match(r.out + r.err, /WRONGPASS|invalid username-password|AUTH/i);
          assert.strictEqual(modulePort(args), `${b!.port}/2`);
          return;
        }
        assert.strictEqual(r.code, 0, r.err);
        const s = where === 'A' ? a! : b!;
        assert.deepStrictEqual(keysOn(s, db), ['k']);
        assert.strictEqual(modulePort(args), `${s.port}/${db}`);
      });
    }

    it('stops at the first non-option: `DEL k -h … -p B` runs on the first server with -p B as arguments', () => {
      const args = ['-p', String(a!.port), 'RPUSH', 'list', '-p', String(b!.port)];
      assert.strictEqual(cli(args).code, 0);
      assert.deepStrictEqual(
        cli(['-p', String(a!.port), '--raw', 'LRANGE', 'list', '0', '-1']).out.split('\n').filter(Boolean),
        ['-p', String(b!.port)]);
      assert.deepStrictEqual(keysOn(b!), []);
      assert.strictEqual(modulePort(args), `${a!.port}/0`);
    });

    it('-s wins over -h/-p in any order: the command goes to the socket', () => {
      const sock = path.join(a!.dir, 'redis.sock');
      cli(['-s', sock, '-p', String(b!.port), 'SET', 's1', 'v']);
      cli(['-p', String(b!.port), '-s', sock, 'SET', 's2', 'v']);
      assert.deepStrictEqual(keysOn(a!), ['s1', 's2']);
      assert.deepStrictEqual(keysOn(b!), []);
      const t = redisModule.analyze('redis-cli', ['-p', String(b!.port), '-s', sock, 'SET', 's2', 'v'], ctx).targets;
      assert.deepStrictEqual(t.map((x) => x.name), [sock]);
    });

    it('reads one command a line from stdin (with its own quoting) when no command is given', () => {
      const input = 'SET k1 v\n"SET" k2 v\nS"ET" k3 v\n"S"ET k4 v\n2 RPUSH l x\nquit\nSET k5 v\n';
      const r = cli(['-p', String(a!.port)], input);
      assert.strictEqual(r.code, 0, r.err);
      // S"ET" is SET; "S"ET is refused (a closing quote must end the word); quit ends the session.
      assert.deepStrictEqual(keysOn(a!), ['k1', 'k2', 'k3', 'l']);
      assert.deepStrictEqual(input.split('\n').slice(0, 4).map((l) => splitArgs(l)?.[0]),
        ['SET', 'SET', 'SET', undefined]);
      const v = redisModule.analyze('redis-cli', ['-p', String(a!.port)], ctx).judge({ text: 'SET k1 v\n' });
      assert.strictEqual(v.code, 'mutating');
    });

    it('`connect` on stdin switches servers (the module asks)', () => {
      cli(['-p', String(a!.port)], `connect 127.0.0.1 ${b!.port}\nSET moved v\n`);
      assert.deepStrictEqual(keysOn(b!), ['moved']);
      const v = redisModule.analyze('redis-cli', ['-p', String(a!.port)], ctx)
        .judge({ text: `connect 127.0.0.1 ${b!.port}\nGET x\n` });
      assert.strictEqual(v.code, 'unknown');
    });

    it('`connect` spellings on stdin: the module lists the server exactly when redis-cli switches to it', () => {
      const B = String(b!.port);
      // Each line is piped to redis-cli started against a port where nothing listens, then `SET moved v`.
      const spellings = [`connect 127.0.0.1 ${B}`, `CONNECT 127.0.0.1 ${B}`, `con"nect" 127.0.0.1 ${B}`,
        `con'nect' 127.0.0.1 ${B}`, `"\\x63onnect" 127.0.0.1 ${B}`, `  connect  127.0.0.1 \t ${B} \r`,
        `connect "127.0.0.1" '${B}'`, `connect 127.0.0.1 ${B}abc`, `connect 127.0.0.1 ' ${B}'`,
        `1 connect 127.0.0.1 ${B}`, `connect 127.0.0.1 ${B} extra`, `"con\\nect" 127.0.0.1 ${B}`,
        `connect "127.0.0.1 ${B}`];
      const disagree: string[] = [];
      for (const line of spellings) {
        cli(['-p', B, 'FLUSHALL']);
        const input = `${line}\nSET moved v\n`;
        cli(['-h', '127.0.0.1', '-p', '1'], input);
        const switched = keysOn(b!).includes('moved');
        const analysis = redisModule.analyze('redis-cli', ['-h', '127.0.0.1', '-p', '1'], ctx);
        const listed = (analysis.stdinTargets?.({ text: input }) ?? []).some((t) => t.name === `127.0.0.1:${B}`);
        if (switched !== listed) disagree.push(`${JSON.stringify(line)}: redis-cli ${switched ? 'switches' : 'stays'}`);
      }
      assert.deepStrictEqual(disagree, []);
    });

    it('`connect` with -s keeps using the socket: the module adds no server', () => {
      const sock = path.join(a!.dir, 'redis.sock');
      const input = `connect 127.0.0.1 ${b!.port}\nSET viasock v\n`;
      cli(['-s', sock], input);
      assert.deepStrictEqual(keysOn(a!), ['viasock']);
      assert.deepStrictEqual(keysOn(b!), []);
      assert.deepStrictEqual(redisModule.analyze('redis-cli', ['-s', sock], ctx).stdinTargets?.({ text: input }), []);
    });

    it('Lua: a computed command name and a comment ended by \\r run writes; the module asks for both', () => {
      const scripts: Array<[string, string[]]> = [
        ["return redis.call('GET'..'DEL', KEYS[1])", ['1', 'keep']],
        ["return redis.call('GET'..ARGV[1], KEYS[1])", ['1', 'keep', 'DEL']],
        ["redis.call('GET', KEYS[1]) -- read it\rredis.call('DEL', KEYS[1])\nreturn 'done'", ['1', 'keep']],
        ["return redis.call([[\rDEL]], KEYS[1])", ['1', 'keep']],
        ["--[[ x [[ y ]] redis.call('DEL', KEYS[1]) return 1", ['1', 'keep']],
      ];
      for (const [script, rest] of scripts) {
        cli(['-p', String(a!.port), 'SET', 'keep', 'v']);
        const args = ['-p', String(a!.port), 'EVAL', script, ...rest];
        const r = cli(args);
        assert.deepStrictEqual(keysOn(a!), [], `${script}: ${r.out}${r.err}`);
        const v = redisModule.analyze('redis-cli', args, ctx).judge({});
        assert.ok(asks(v), `${script}: ${JSON.stringify(v)}`);
      }
    });

    it('no-writes and EVAL_RO only stop writes: SLOWLOG RESET still runs, and the module asks', () => {
      for (const [cmd, script] of [['EVAL', "#!lua flags=no-writes\nreturn redis.call('SLOWLOG', 'RESET')"],
        ['EVAL_RO', "return redis.call('SLOWLOG', 'RESET')"]]) {
        const args = ['-p', String(a!.port), cmd, script, '0'];
        assert.strictEqual(cli(args).out.trim(), 'OK', cmd);
        assert.strictEqual(redisModule.analyze('redis-cli', args, ctx).judge({}).code, 'mutating', cmd);
      }
      cli(['-p', String(a!.port), 'SET', 'keep', 'v']);
      const args = ['-p', String(a!.port), 'EVAL', "#!lua flags=no-writes\nreturn redis.call('DEL', KEYS[1])", '1',
        'keep'];
      assert.match(cli(args).out, /Write commands are not allowed/);
      assert.deepStrictEqual(keysOn(a!), ['keep']);
      assert.strictEqual(redisModule.analyze('redis-cli', args, ctx).judge({}).code, 'readOnly');
    });

    it('DEBUG: the module knows exactly the subcommands the server lists, and DEBUG OBJECT only reads', () => {
      const help = cli(['-p', String(a!.port), '--raw', 'DEBUG', 'HELP']).out;
      // After the `DEBUG <subcommand> …` header, each subcommand starts a line; its description is indented.
      const body = help.split('\n').slice(1).join('\n');
      const listed = [...body.matchAll(/^([A-Z][A-Z0-9-]+)(?= |$)/gm)].map((m) => m[1].toLowerCase());
      assert.ok(listed.length > 30, help);
      assert.deepStrictEqual([...new Set(listed)].sort(), Object.keys(DEBUG_SUBCOMMANDS).sort());
      cli(['-p', String(a!.port), 'SET', 'k', 'v']);
      const args = ['-p', String(a!.port), 'DEBUG', 'OBJECT', 'k'];
      assert.match(cli(args).out, /encoding:/);
      assert.strictEqual(cli(['-p', String(a!.port), 'GET', 'k']).out.trim(), 'v');
      assert.strictEqual(redisModule.analyze('redis-cli', args, ctx).judge({}).code, 'readOnly');
    });

    it('modes run and exit before any command is sent (the module judges the mode)', () => {
      const modes = [['--scan'], ['--bigkeys'], ['--memkeys'], ['--pipe'], ['--intrinsic-latency', '0'], ['--latency']];
      for (const mode of modes) {
        const args = ['-p', String(a!.port), ...mode, 'RPUSH', 'marker', 'x'];
        cli(args, '');
        assert.deepStrictEqual(keysOn(a!), [], mode.join(' '));
        const code = redisModule.analyze('redis-cli', args, ctx).judge({ text: '' }).code;
        assert.notStrictEqual(code, 'mutating', mode.join(' '));
      }
    });

    it('--pipe sends stdin as protocol: the module reads the same commands', () => {
      const input = '*3\r\n$3\r\nSET\r\n$2\r\np1\r\n$1\r\nv\r\nSET p2 v\r\n';
      cli(['-p', String(a!.port), '--pipe'], input);
      assert.deepStrictEqual(keysOn(a!), ['p1', 'p2']);
      assert.strictEqual(redisModule.analyze('redis-cli', ['--pipe'], ctx).judge({ text: input }).code, 'mutating');
    });

    it('-x and -X put stdin into the command', () => {
      cli(['-p', String(a!.port), '-x', 'SET', 'fromstdin'], 'v');
      cli(['-p', String(a!.port), '-X', 'T', 'SET', 'T', 'v'], 'tagged');
      assert.deepStrictEqual(keysOn(a!), ['fromstdin', 'tagged']);
    });

    it('--quoted-input unquotes command words: "FLUSH\\x41LL" is FLUSHALL', () => {
      cli(['-p', String(a!.port), 'SET', 'q', 'v']);
      cli(['-p', String(a!.port), '--quoted-input', '"FLUSH\\x41LL"']);
      assert.deepStrictEqual(keysOn(a!), []);
      const v = redisModule.analyze('redis-cli', ['--quoted-input', '"FLUSH\\x41LL"'], ctx).judge({});
      assert.strictEqual(v.code, 'destructive');
    });

    it('the server enforces what the module trusts: EVAL_RO and #!lua flags=no-writes refuse writes', () => {
      cli(['-p', String(a!.port), 'SET', 'keep', 'v']);
      const ro = cli(['-p', String(a!.port), 'EVAL_RO', "return redis.call('DEL', KEYS[1])", '1', 'keep']);
      assert.match(ro.out + ro.err, /Write commands are not allowed/);
      const nw = cli(['-p', String(a!.port), 'EVAL', "#!lua flags=no-writes\nreturn redis.call('DEL', KEYS[1])", '1',
        'keep']);
      assert.match(nw.out + nw.err, /Write commands are not allowed/);
      assert.deepStrictEqual(keysOn(a!), ['keep']);
    });
  });

  it('the committed command table is the live redis-server\'s (scripts/gen-redis-commands.mjs --check)', () => {
    const gen = path.join(ROOT, 'scripts', 'gen-redis-commands.mjs');
    const r = spawnSync(process.execPath, [gen, '--check', '--server', SERVER!],
      { encoding: 'utf8', timeout: 30_000 });
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
  });

  describe('the guard in front of the server (dist cli `run`)', () => {
    const dist = path.join(ROOT, process.env.PRODGUARD_DIST || 'dist', 'cli.js');
    let s: Server | undefined;
    let work: string;
    let home: string;
    before(async function () {
      if (!fs.existsSync(dist)) {
        console.log(`    (skipped: ${dist} not built; PRODGUARD_DIST=dist-x node scripts/build.mjs)`);
        this.skip();
      }
      s = await startServer();
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-redis-work-'));
      home = path.join(work, 'home');
      fs.mkdirSync(path.join(work, 'prod'), { recursive: true });
      fs.mkdirSync(home, { recursive: true });
      fs.writeFileSync(path.join(work, 'prod', '.prodguard.yaml'), 'environment: production\n');
    });
    after(() => {
      stopServer(s);
      if (work) fs.rmSync(work, { recursive: true, force: true });
    });
    const guarded = (args: string[], input = ''): Ran => {
      const r = spawnSync(process.execPath, [dist, 'run', '--', 'redis-cli', '-p', String(s!.port), ...args],
        { cwd: path.join(work, 'prod'), input, encoding: 'utf8', timeout: 20_000,
          env: { PATH: process.env.PATH, HOME: home, PRODGUARD_AUDIT_LOG: path.join(home, 'audit.jsonl') } });
      return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
    };
    const keys = (): string[] =>
      cli(['-p', String(s!.port), '--raw', 'KEYS', '*']).out.split('\n').filter(Boolean).sort();

    it('refuses FLUSHALL in production without a terminal, in every spelling, and the keys stay', () => {
      cli(['-p', String(s!.port), 'MSET', 'a', '1', 'b', '2']);
      const tries: Array<[string[], string]> = [[['FLUSHALL'], ''], [['flushall', 'ASYNC'], ''],
        [['--quoted-input', '"FLUSH\\x41LL"'], ''], [[], 'GET a\nFLUSHALL\n'], [['-x', 'FLUSHALL'], 'x'],
        [['--pipe'], '*1\r\n$8\r\nFLUSHALL\r\n'], [['EVAL', "return redis.call('flushall')", '0'], ''],
        [['-r', '2', 'DEL', 'a'], ''], [['DEL', 'a', '-h', 'elsewhere'], '']];
      for (const [args, input] of tries) {
        const r = guarded(args, input);
        assert.notStrictEqual(r.code, 0, `${args.join(' ')}: ${r.out}${r.err}`);
      }
      assert.deepStrictEqual(keys(), ['a', 'b']);
    });

    it('never echoes a piped line it cannot split (a password in `AUTH "pw` stays out of output and audit)', () => {
      const r = guarded([], 'GET a\nAUTH "S3cret" x"\n');
      assert.notStrictEqual(r.code, 0, r.out + r.err);
      assert.ok(!(r.out + r.err).includes('S3cret'), r.out + r.err);
      assert.match(r.out + r.err, /cannot split, line 2/);
      const audit = path.join(home, 'audit.jsonl');
      if (fs.existsSync(audit)) assert.ok(!fs.readFileSync(audit, 'utf8').includes('S3cret'));
    });

    it('runs reads in production without asking', () => {
      cli(['-p', String(s!.port), 'SET', 'r', 'hello']);
      const r = guarded(['GET', 'r']);
      assert.strictEqual(r.code, 0, r.err);
      assert.strictEqual(r.out.trim(), 'hello');
      assert.strictEqual(guarded(['--scan']).code, 0);
      assert.strictEqual(guarded([], 'GET r\nTTL r\n').code, 0);
    });
  });
});
