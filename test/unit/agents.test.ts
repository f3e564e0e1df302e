// The edits "Prod Guard: Protect AI Agents" makes to each agent's user settings, in the formats their docs give.
import * as assert from 'assert';
import { parse } from 'jsonc-parser';
import { addHook, agentTargets, type AgentTarget, hookCommandLine, removeHook } from '../../src/core/agents';

const [claude, cursor, gemini] = agentTargets('/home/u');
const cmd = (t: AgentTarget): string => hookCommandLine('/home/u/.vscode-server/data/User/globalStorage/x/shims/prod-guard',
  t.agent, '/home/u/state dir');
const ok = (r: ReturnType<typeof addHook>): string => {
  assert.ok(r.ok, JSON.stringify(r));
  return r.text;
};

describe('AI agent hooks in user settings', () => {
  it('quotes the launcher and state folder for the agent\'s shell', () => {
    assert.strictEqual(cmd(claude), "/home/u/.vscode-server/data/User/globalStorage/x/shims/prod-guard hook claude-code "
      + "--state '/home/u/state dir'");
  });

  it('Claude Code: a PreToolUse Bash hook, beside the user\'s own settings and hooks, comments kept', () => {
    const before = '{\n  // my settings\n  "model": "opus",\n  "hooks": {\n    "PreToolUse": [\n      { "matcher": "Write", '
      + '"hooks": [{ "type": "command", "command": "lint.sh" }] }\n    ]\n  }\n}\n';
    const after = ok(addHook(claude, before, cmd(claude)));
    assert.match(after, /\/\/ my settings/);
    const j = parse(after) as { model: string; hooks: { PreToolUse: Array<{ matcher: string; hooks: Array<{ command: string }> }> } };
    assert.strictEqual(j.model, 'opus');
    assert.deepStrictEqual(j.hooks.PreToolUse.map((g) => [g.matcher, g.hooks[0].command]),
      [['Write', 'lint.sh'], ['Bash', cmd(claude)]]);
    // Twice: nothing more.
    const again = addHook(claude, after, cmd(claude));
    assert.deepStrictEqual([again.ok, again.ok && again.changed], [true, false]);
    // A moved launcher replaces the old entry instead of adding one.
    const moved = ok(addHook(claude, after, cmd(claude).replace('/x/', '/y/')));
    assert.strictEqual((parse(moved) as typeof j).hooks.PreToolUse.length, 2);
    // Removal leaves the user's hook.
    const removed = ok(removeHook(claude, moved));
    assert.deepStrictEqual((parse(removed) as typeof j).hooks.PreToolUse.map((g) => g.matcher), ['Write']);
    assert.match(removed, /\/\/ my settings/);
  });

  it('a missing or empty file gets a fresh one', () => {
    for (const t of [claude, cursor, gemini]) {
      const text = ok(addHook(t, '', cmd(t)));
      assert.match(text, /hook (claude-code|cursor|gemini-cli)/);
      assert.ok(typeof parse(text) === 'object');
    }
    assert.deepStrictEqual(parse(ok(addHook(cursor, '', cmd(cursor)))), {
      version: 1, hooks: { beforeShellExecution: [{ command: cmd(cursor) }] },
    });
    assert.deepStrictEqual((parse(ok(addHook(gemini, '', cmd(gemini)))) as { hooks: unknown }).hooks, {
      BeforeTool: [{ matcher: 'run_shell_command', hooks: [{ type: 'command', command: cmd(gemini) }] }],
    });
  });

  it('Cursor: beside other beforeShellExecution hooks; removal keeps them', () => {
    const before = JSON.stringify({ version: 1, hooks: { beforeShellExecution: [{ command: './audit.sh' }],
      afterFileEdit: [{ command: './fmt.sh' }] } }, null, 2);
    const after = ok(addHook(cursor, before, cmd(cursor)));
    const j = parse(after) as { hooks: { beforeShellExecution: Array<{ command: string }>; afterFileEdit: unknown[] } };
    assert.deepStrictEqual(j.hooks.beforeShellExecution.map((h) => h.command), ['./audit.sh', cmd(cursor)]);
    const removed = parse(ok(removeHook(cursor, after))) as typeof j;
    assert.deepStrictEqual(removed.hooks.beforeShellExecution.map((h) => h.command), ['./audit.sh']);
    assert.strictEqual(removed.hooks.afterFileEdit.length, 1);
  });

  it('a file that is not a JSON object is reported, never overwritten', () => {
    for (const bad of ['{ "hooks": ', '[1, 2]', '{"hooks": {"PreToolUse": 3}}']) {
      const r = addHook(claude, bad, cmd(claude));
      assert.strictEqual(r.ok, false, bad);
    }
  });
});
