// Whole shell lines (what agents and shell hooks pass): every command in the line decided by the shims' engine.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { decideLine } from '../../src/core/guard/line';
import { parseShell, ShellSyntaxError } from '../../src/core/shell/parse';
import { walkLine } from '../../src/core/shell/walk';
import { C, LINES } from '../fixtures/shell/lines';
import { assertBounded, tempDir, writeTree } from './helpers';
import { lineWorld } from './lineWorld';

describe('shell lines: every command decided as the shims decide it', () => {
  const { home, cwd, env } = lineWorld();
  for (const [line, action, tool] of LINES) {
    it(`${JSON.stringify(line)} → ${action}${tool ? ` (${tool})` : ''}`, () => {
      const d = decideLine(line, { env, home, cwd, files: nodeFiles });
      const detail = JSON.stringify({ error: d.error, commands: d.commands.map((c) => [c.step.argv, c.step.cwd,
        c.decision?.environment, c.decision?.verdict?.code, c.decision?.target?.name]) });
      assert.strictEqual(d.action, action, detail);
      if (action === C && tool) assert.strictEqual(d.asking?.decision?.tool, tool, detail);
    });
  }
  it('has hundreds of rows', () => assert.ok(LINES.length >= 200, `${LINES.length} rows`));
  it('a line too deep, too long or too busy to follow asks, quickly (never a crash that lets it run)', () => {
    const del = 'kubectl --context prod-eu delete ns x';
    const loops = (n: number): string => `${'for a in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do '.repeat(n)}true`
      + `${'; done'.repeat(n)}`;
    for (const line of [
      `${del}; echo ${'${a:-'.repeat(2000)}x${'}'.repeat(2000)}`,
      `${del}; a=x; ${'a=$a$a; '.repeat(29)}`,
      `if false; then ${loops(5)}; fi; ${del}`,
      `K=kube; K+=ctl; ${'true; '.repeat(2001)}$K --context prod-eu delete ns x`,
      `f() { f x; f y; kubectl get pods; }; f; K=kube; K+=ctl; $K --context prod-eu delete ns x`,
    ]) {
      const t = Date.now();
      const d = decideLine(line, { env, home, cwd, files: nodeFiles });
      assertBounded(Date.now() - t, line.slice(0, 60));
      assert.strictEqual(d.action, C, `${line.slice(0, 80)}: ${d.error}`);
    }
  });
});

describe('shell lines: what the parser reads', () => {
  const cwd = '/w';
  const at = (line: string, env: NodeJS.ProcessEnv = {}) =>
    walkLine(line, { env: { HOME: '/home/u', ...env }, cwd, home: '/home/u' }).steps.map((s) => s.argv);
  it('expands variables, splits unquoted ones, keeps quoted ones whole', () => {
    assert.deepStrictEqual(at('A="x y"; cmd $A "$A" \'$A\''), [['cmd', 'x', 'y', 'x y', '$A']]);
    assert.deepStrictEqual(at('cmd "$HOME"/x ~/y ~other/z'), [['cmd', '/home/u/x', '/home/u/y', '~other/z']]);
    assert.deepStrictEqual(at('cmd $NOPE x'), [['cmd', 'x']]);
    assert.deepStrictEqual(at('cmd "$NOPE" x'), [['cmd', '', 'x']]);
  });
  it('keeps what it cannot know as written, marked opaque', () => {
    const r = walkLine('cmd $(date) *.sql $((1+1)) ${x#y}', { env: {}, cwd, home: '/' });
    assert.deepStrictEqual(r.steps.map((s) => [s.argv, s.opaque]), [
      [['date'], false],
      [['cmd', '$(date)', '*.sql', '$((1+1))', '${x#y}'], true],
    ]);
  });
  it('follows cd, and loses the folder where it cannot know it', () => {
    const cwds = (line: string) => walkLine(line, { env: { HOME: '/h' }, cwd, home: '/h' }).steps.map((s) => s.cwd);
    assert.deepStrictEqual(cwds('cd a && x; cd ../b; x; cd; x; cd /abs; x'), ['/w/a', '/w/b', '/h', '/abs']);
    assert.deepStrictEqual(cwds('cd "$(mktemp -d)"; x; cd /t; x'), [cwd, undefined, '/t']);
  });
  it('reads here-documents, here-strings and redirections as stdin', () => {
    const r = walkLine('psql <<A <<-"B"\n$HOME\nA\n\t$HOME\n\tB\ncat <<< "$HOME" ; psql < f.sql', { env: { HOME: '/h' },
      cwd, home: '/h' });
    assert.deepStrictEqual(r.steps.map((s) => s.stdin), [
      { kind: 'text', text: '$HOME\n' }, // the last here-document for fd 0 wins
      { kind: 'text', text: '/h\n' },
      { kind: 'file', path: '/w/f.sql' },
    ]);
  });
  it('rejects what bash rejects, and bounds its work', () => {
    for (const bad of ['echo "x', "echo 'x", 'echo $(x', 'if true; then x', 'for x in a; do y', 'x )', 'echo `x',
      'case x in', '( x', '{ x', 'echo ${x']) {
      assert.throws(() => parseShell(bad), ShellSyntaxError, bad);
    }
    let t = Date.now();
    assert.throws(() => parseShell('$('.repeat(5000)), ShellSyntaxError);
    assert.throws(() => parseShell('x'.repeat(300 * 1024)), ShellSyntaxError);
    const long = 'kubectl get pods && '.repeat(5000) + 'true';
    walkLine(long, { env: {}, cwd, home: '/' });
    assertBounded(Date.now() - t, 'deep and long lines');
    t = Date.now();
    const r = walkLine('f() { f; f; }; f', { env: {}, cwd, home: '/' });
    assert.ok(r.steps.length <= 2000);
    const loops = walkLine('for a in 1 2 3 4 5 6 7 8; do for b in 1 2 3 4 5 6 7 8; do for c in 1 2 3 4 5 6 7 8; do '
      + 'for d in 1 2 3 4 5 6 7 8; do x $a$b$c$d; done; done; done; done', { env: {}, cwd, home: '/' });
    assert.ok(loops.steps.length <= 2000 && loops.error !== undefined, String(loops.steps.length));
    assertBounded(Date.now() - t, 'recursive functions and nested loops');
  });
  it('names a relative path to a script by its folder', () => {
    const dir = tempDir();
    writeTree(dir, { 's/run.sh': 'kubectl --context prod-eu delete ns x\n' });
    const r = walkLine('bash s/run.sh', { env: {}, cwd: dir, home: '/', readFile: (f) => fs.readFileSync(f, 'utf8') });
    assert.deepStrictEqual(r.steps.map((s) => [s.argv[0], s.via]), [['kubectl', [`bash s/run.sh`]]]);
    assert.strictEqual(path.isAbsolute(dir), true);
  });
});
