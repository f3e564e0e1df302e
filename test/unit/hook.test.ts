// `prod-guard hook <agent>` and `check --shell`, run as the agents run them: the built dist/cli.js as a process,
// the agent's documented JSON on stdin.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, tempDir } from './helpers';
import { lineWorld } from './lineWorld';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const world = lineWorld();
const audit = path.join(tempDir(), 'audit.jsonl');

function run(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: world.cwd, input, encoding: 'utf8',
    env: { ...world.env, PATH: process.env.PATH, PRODGUARD_AUDIT_LOG: audit, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Claude Code's PreToolUse input for the Bash tool, as its hooks reference documents it. */
function claude(command: string, mode = 'default', tool = 'Bash'): string {
  return JSON.stringify({
    session_id: 'abc123', transcript_path: '/home/u/.claude/projects/x/abc123.jsonl', cwd: world.cwd,
    permission_mode: mode, hook_event_name: 'PreToolUse', tool_name: tool,
    tool_input: tool === 'Bash' ? { command, description: 'Delete the namespace', timeout: 120000 }
      : { file_path: path.join(world.cwd, 'a.txt'), content: command },
    tool_use_id: 'toolu_01',
  });
}
/** Cursor's beforeShellExecution input, as its hooks page documents it. */
function cursor(command: string): string {
  return JSON.stringify({
    conversation_id: 'c1', generation_id: 'g1', hook_event_name: 'beforeShellExecution', command, cwd: world.cwd,
    workspace_roots: [world.cwd],
  });
}
/** Gemini CLI's BeforeTool input for its shell tool. */
function gemini(command: string): string {
  return JSON.stringify({
    session_id: 's', transcript_path: '/tmp/t.json', cwd: world.cwd, hook_event_name: 'BeforeTool',
    timestamp: '2026-11-25T10:00:00Z', tool_name: 'run_shell_command', tool_input: { command, description: 'x' },
  });
}

const PROD_DELETE = 'cd infra && kubectl --context prod-eu delete ns payments';

describe('prod-guard hook (agents\' pre-execution hooks)', function () {
  this.timeout(30000);
  before(function () {
    if (!fs.existsSync(CLI)) this.skip();
  });

  it('claude-code: asks for a production-destructive line, naming PRODUCTION and the target', () => {
    const r = run(['hook', 'claude-code'], claude(PROD_DELETE));
    assert.strictEqual(r.code, 0, r.err);
    const o = JSON.parse(r.out) as { hookSpecificOutput: Record<string, string> };
    assert.strictEqual(o.hookSpecificOutput.hookEventName, 'PreToolUse');
    assert.strictEqual(o.hookSpecificOutput.permissionDecision, 'ask');
    assert.match(o.hookSpecificOutput.permissionDecisionReason, /PRODUCTION/);
    assert.match(o.hookSpecificOutput.permissionDecisionReason, /kubernetes "prod-eu"/);
    assert.match(o.hookSpecificOutput.permissionDecisionReason, /kubectl --context prod-eu delete ns payments/);
    const last = JSON.parse(fs.readFileSync(audit, 'utf8').trim().split('\n').pop()!) as Record<string, unknown>;
    assert.deepStrictEqual([last.decision, last.channel, last.environment, last.cwd],
      ['asked', 'hook:claude-code', 'production', path.join(world.cwd, 'infra')]);
  });

  it('claude-code: denies where nobody can answer (bypassPermissions, dontAsk, --deny)', () => {
    for (const [args, mode] of [[[], 'bypassPermissions'], [[], 'dontAsk'], [['--deny'], 'default']] as const) {
      const r = run(['hook', 'claude-code', ...args], claude(PROD_DELETE, mode));
      const o = JSON.parse(r.out) as { hookSpecificOutput: Record<string, string> };
      assert.strictEqual(o.hookSpecificOutput.permissionDecision, 'deny', `${mode} ${args.join(' ')}`);
    }
  });

  it('claude-code: no opinion on harmless or non-production lines, and on other tools', () => {
    for (const line of ['kubectl get pods', 'kubectl delete pod x', 'ls -la && git status', 'kubectl --context prod-eu get ns']) {
      const r = run(['hook', 'claude-code'], claude(line));
      assert.deepStrictEqual([r.code, r.out], [0, ''], line);
    }
    const w = run(['hook', 'claude-code'], claude(PROD_DELETE, 'default', 'Write'));
    assert.deepStrictEqual([w.code, w.out], [0, '']);
  });

  it('cursor: ask, or allow when it has no objection', () => {
    const a = JSON.parse(run(['hook', 'cursor'], cursor(PROD_DELETE)).out) as Record<string, string>;
    assert.strictEqual(a.permission, 'ask');
    assert.match(a.user_message, /PRODUCTION/);
    assert.match(a.agent_message, /prod-eu/);
    assert.deepStrictEqual(JSON.parse(run(['hook', 'cursor'], cursor('kubectl get pods')).out), { permission: 'allow' });
  });

  it('gemini-cli: ask with a reason', () => {
    const g = JSON.parse(run(['hook', 'gemini-cli'], gemini('psql -h prod-db -c "DROP TABLE users"')).out) as
      Record<string, string>;
    assert.strictEqual(g.decision, 'ask');
    assert.match(g.reason, /DROP TABLE users/);
  });

  it('unreadable input: refused when it names a guarded tool, else no opinion; bad usage is exit 2', () => {
    const bad = run(['hook', 'claude-code'], '{"tool_name": "Bash", "tool_input": {"command": "kubectl delete ns x"');
    assert.strictEqual(bad.code, 0);
    assert.strictEqual((JSON.parse(bad.out) as { hookSpecificOutput: Record<string, string> }).hookSpecificOutput
      .permissionDecision, 'deny');
    assert.match(bad.err, /cannot read the claude-code hook input/);
    assert.deepStrictEqual(run(['hook', 'claude-code'], 'not json at all').out, '');
    assert.strictEqual(run(['hook', 'nope'], '{}').code, 2);
    assert.strictEqual(run(['hook'], '{}').code, 2);
  });

  it('never prints a secret', () => {
    const line = 'psql "postgres://app:hunter2@prod-db/shop" -c "DROP TABLE users"';
    const r = run(['hook', 'claude-code'], claude(line));
    assert.match(r.out, /"ask"/);
    assert.doesNotMatch(r.out + r.err + fs.readFileSync(audit, 'utf8'), /hunter2/);
  });
});

describe('prod-guard check --shell', function () {
  this.timeout(30000);
  before(function () {
    if (!fs.existsSync(CLI)) this.skip();
  });
  it('explains every command of the line; exit 3 when one asks, 0 when none does', () => {
    const r = run(['check', '--shell', 'for c in dev prod-eu; do kubectl --context $c delete ns x; done | tee log']);
    assert.strictEqual(r.code, 3, r.err);
    assert.match(r.out, /^ASKS: /);
    assert.match(r.out, /1\. kubectl --context dev delete ns x {2}→ runs/);
    assert.match(r.out, /2\. kubectl --context prod-eu delete ns x {2}→ ASKS/);
    assert.match(r.out, /3\. tee log {2}\(not guarded\)/);
    assert.strictEqual(run(['check', '--shell', 'kubectl get pods | wc -l']).code, 0);
  });
  it('--json lists each command with its decision', () => {
    const r = run(['check', '--shell', "sh -c 'psql -h prod-db -c \"TRUNCATE users\"'", '--json']);
    assert.strictEqual(r.code, 3, r.err);
    const j = JSON.parse(r.out) as { asks: boolean; commands: Array<{ argv: string[]; via: string[];
      decision: { action: string; verdict: { code: string } } }> };
    assert.strictEqual(j.asks, true);
    assert.deepStrictEqual(j.commands.map((c) => [c.argv[0], c.via, c.decision.action, c.decision.verdict.code]),
      [['psql', ['sh -c'], 'confirm', 'destructive']]);
  });
  it('never shows a secret of the line, in text or JSON (module-known spellings too: -pPW, -a TOKEN)', () => {
    const line = "mysql -h prod-db -phunter3 -e 'DROP TABLE t'; redis-cli -a tok3n -h prod-redis FLUSHALL; "
      + "psql 'postgres://app:s3cr%2Fet@db.prod.acme/shop' -c 'DROP TABLE t'";
    for (const args of [['check', '--shell', line], ['check', '--shell', line, '--json']]) {
      const r = run(args);
      assert.strictEqual(r.code, 3, r.err);
      assert.doesNotMatch(r.out + r.err, /hunter3|tok3n|s3cr/, args.join(' '));
    }
    const bad = run(['hook', 'claude-code'], '{"tool_input": {"command": "mysql -phunter3 -e \'DROP TABLE t\'"');
    assert.doesNotMatch(bad.out + bad.err, /hunter3/);
  });
  it('a line it cannot read says why', () => {
    const r = run(['check', '--shell', 'kubectl --context prod-eu delete ns "x']);
    assert.strictEqual(r.code, 3);
    assert.match(r.out, /cannot read the line: unterminated double quote/);
  });
});
