// The shell-line parser against the real bash (the oracle): every golden line (test/fixtures/shell/lines.ts) runs
// in bash with recording stubs in place of the guarded tools. Every tool bash really starts must be a command
// the guard decided, with the same words, folder, environment and stdin; a line bash rejects (`bash -n`) is one
// the parser rejects; and where the line has no conditions, every command the guard found did run.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseShell } from '../../src/core/shell/parse';
import { walkLine, type Step } from '../../src/core/shell/walk';
import { toolOf } from '../../src/core/guard/line';
import { GUARDED_TOOLS } from '../../src/core/guard/tools/index';
import { LINES } from '../fixtures/shell/lines';
import { tempDir } from '../unit/helpers';
import { lineWorld } from '../unit/lineWorld';
import { which } from './support';

/** Tools that read stdin: their stub records it. */
const READS_STDIN = new Set(['psql', 'mysql', 'redis-cli']);
/**
 * What makes a line's commands conditional: bash may skip some the guard still decides (`env -i` loses PATH, a
 * missing input file fails the redirection).
 */
const CONDITIONAL = /\benv -i\b|missing\.sql|\|\||\bfalse\b|\bif\b|\bcase\b|\buntil\b|\bwhile\b|\(\)|\bfunction\b|\[\[|\(\(|&(?!&)|\bf\b|\bcommand -v\b|\bxargs\b/;

interface Ran {
  readonly tool: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly argv: string[];
  readonly stdin?: string;
}

const ENV_KEYS = ['AWS_PROFILE', 'PGHOST', 'KUBECONFIG', 'CTX'];

describe('shell lines against the real bash (oracle)', function () {
  this.timeout(120000);
  const bash = which('bash');
  let stubs: string;
  let logs: string;
  const world = lineWorld();

  before(function () {
    if (!bash) this.skip();
    stubs = tempDir('line-stubs-');
    logs = tempDir('line-logs-');
    const record = [
      '#!/bin/sh',
      'f="$PRODGUARD_ORACLE_LOG/$(date +%s%N)-$$"',
      `{ printf '%s\\0' "$(basename "$0")" "$PWD" ${ENV_KEYS.map((k) => `"\${${k}-}"`).join(' ')}; printf '%s\\0' "$@"; } > "$f"`,
    ];
    for (const tool of GUARDED_TOOLS) {
      const body = READS_STDIN.has(tool) ? [...record, 'cat > "$f.stdin"', 'exit 0'] : [...record, 'exit 0'];
      fs.writeFileSync(path.join(stubs, tool), body.join('\n') + '\n', { mode: 0o755 });
    }
    // No network: the piped "download" is a fixed script.
    fs.writeFileSync(path.join(stubs, 'curl'), '#!/bin/sh\necho "DROP TABLE users;"\n', { mode: 0o755 });
  });

  function runInBash(line: string): Ran[] {
    for (const f of fs.readdirSync(logs)) fs.rmSync(path.join(logs, f));
    spawnSync(bash!, ['-c', line], {
      cwd: world.cwd, input: '', timeout: 20000, encoding: 'utf8',
      env: { ...world.env, PATH: `${stubs}:/usr/bin:/bin`, PRODGUARD_ORACLE_LOG: logs },
    });
    return fs.readdirSync(logs).filter((f) => !f.endsWith('.stdin')).sort().map((f) => {
      const parts = fs.readFileSync(path.join(logs, f), 'utf8').split('\0');
      parts.pop();
      const [tool, cwd, ...rest] = parts;
      const env = Object.fromEntries(ENV_KEYS.map((k, i) => [k, rest[i]]));
      const stdinFile = path.join(logs, `${f}.stdin`);
      return { tool, cwd, env, argv: rest.slice(ENV_KEYS.length),
        ...(fs.existsSync(stdinFile) ? { stdin: fs.readFileSync(stdinFile, 'utf8') } : {}) };
    });
  }

  const stdinText = (s: Step): string | undefined => {
    if (!s.stdin) return '';
    if (s.stdin.kind === 'text') return s.stdin.text;
    if (s.stdin.kind === 'file') return fs.existsSync(s.stdin.path) ? fs.readFileSync(s.stdin.path, 'utf8') : undefined;
    return undefined;
  };
  /** A command name the guard cannot know (`${K,,}`, `$K`): decided as every guarded tool (guard/line.ts). */
  const unnamed = (s: Step): boolean => s.opaque && /[$`*?[{]/.test(s.argv[0] ?? '');
  // A value the guard cannot know is kept as `$NAME` (the tool then sees a name it cannot resolve); a folder a
  // `cd` may or may not have reached is among the step's alternatives.
  const same = (r: Ran, s: Step): boolean =>
    (toolOf(s) === r.tool || unnamed(s)) && JSON.stringify(s.argv.slice(1)) === JSON.stringify(r.argv)
    && (s.cwd === undefined || s.cwd === r.cwd || (s.altCwds ?? []).includes(r.cwd))
    && ENV_KEYS.every((k) => (s.env[k] ?? '') === r.env[k] || s.env[k] === `$${k}`)
    && (r.stdin === undefined || s.stdin?.kind === 'opaque' || stdinText(s) === r.stdin);

  it('every tool bash starts is a command the guard decided, with the same words, folder, env and stdin', () => {
    const failures: string[] = [];
    let compared = 0;
    for (const [line] of LINES) {
      // Absolute paths and wrappers not installed here would run something else than the stubs.
      if (/(^|[\s;&|(`])\.?\/[a-z]/.test(line) || /\b(sudo|aws-vault|watch)\b/.test(line)) continue;
      const walked = walkLine(line, { env: world.env, cwd: world.cwd, home: world.home,
        readFile: (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined) });
      const ran = runInBash(line);
      compared++;
      const guarded = walked.steps.filter((s) => GUARDED_TOOLS.includes(toolOf(s)) || unnamed(s));
      for (const r of ran) {
        if (!guarded.some((s) => same(r, s) || (s.opaque && toolOf(s) === r.tool))) {
          failures.push(`${JSON.stringify(line)}: bash ran ${r.tool} ${JSON.stringify(r.argv)} in ${r.cwd} `
            + `${JSON.stringify(r.env)}${r.stdin !== undefined ? ` <<< ${JSON.stringify(r.stdin)}` : ''}; the guard saw `
            + JSON.stringify(guarded.map((s) => [s.argv, s.cwd, stdinText(s)])));
        }
      }
      if (!CONDITIONAL.test(line) && !walked.error) {
        for (const s of guarded) {
          if (!s.opaque && !ran.some((r) => same(r, s))) {
            failures.push(`${JSON.stringify(line)}: the guard saw ${JSON.stringify(s.argv)}, bash did not run it`);
          }
        }
      }
    }
    console.log(`      ${compared} lines run in ${bash}`);
    assert.deepStrictEqual(failures, []);
  });

  it('the parser rejects exactly the lines bash -n rejects', () => {
    const failures: string[] = [];
    for (const [line] of LINES) {
      const b = spawnSync(bash!, ['-n', '-c', line], { encoding: 'utf8' });
      let ours = true;
      try {
        parseShell(line);
      } catch {
        ours = false;
      }
      if ((b.status === 0) !== ours) failures.push(`${JSON.stringify(line)}: bash ${b.status === 0 ? 'accepts' : 'rejects'}`);
    }
    assert.deepStrictEqual(failures, []);
  });

  it('sh -c, zsh -c and dash -c run what the guard found inside them', function () {
    const shells = ['sh', 'dash', 'zsh'].filter((s) => which(s));
    if (shells.length === 0) this.skip();
    for (const sh of shells) {
      const line = `${sh} -c 'cd infra && kubectl --context prod-eu delete ns x'`;
      const ran = runInBash(line);
      const walked = walkLine(line, { env: world.env, cwd: world.cwd, home: world.home });
      assert.deepStrictEqual(ran.map((r) => [r.tool, r.argv, r.cwd]), walked.steps.map((s) => [path.basename(s.argv[0]),
        s.argv.slice(1), s.cwd]), sh);
    }
  });
});
