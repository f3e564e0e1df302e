// How a task is flagged, whether the hook runs in its process, and the migration off the old variable gate.
import * as assert from 'assert';
import {
  envFlag, hookRunsIn, type RawTask, removeGates, TASK_GATE, taskCommandLine, taskFlag, type TaskProcess,
} from '../../src/core/tasks';

describe('tasks: flagging', () => {
  const judge = (line: string): string | undefined => (/DROP|destroy|delete/.test(line) ? `judged: ${line}` : undefined);
  const flag = (t: { names?: string[]; commands?: string[]; raw?: RawTask; env?: unknown }, globs: unknown[] = [], j = judge): string =>
    JSON.stringify(taskFlag({ names: t.names ?? ['task'], commands: t.commands ?? ['make'], cwd: '/w', raw: t.raw, env: t.env }, globs, j) ?? null);

  const rows: [string, Parameters<typeof flag>[0], unknown[], string][] = [
    ['PRODGUARD_DESTRUCTIVE in options.env', { raw: { options: { env: { PRODGUARD_DESTRUCTIVE: '1' } } } }, [], '{"by":"env"}'],
    ['PRODGUARD_DESTRUCTIVE=true in the process environment', { env: { PRODGUARD_DESTRUCTIVE: 'true' } }, [], '{"by":"env"}'],
    ['PRODGUARD_DESTRUCTIVE=0 flags nothing', { env: { PRODGUARD_DESTRUCTIVE: '0' } }, [], 'null'],
    ['PRODGUARD_DESTRUCTIVE=false flags nothing', { raw: { options: { env: { PRODGUARD_DESTRUCTIVE: 'false' } } } }, [], 'null'],
    ['PRODGUARD_DESTRUCTIVE empty flags nothing', { env: { PRODGUARD_DESTRUCTIVE: ' ' } }, [], 'null'],
    ['"destructive": true', { raw: { destructive: true } }, [], '{"by":"property"}'],
    ['"destructive": "yes" is not true', { raw: { destructive: 'yes' } }, [], 'null'],
    ['a glob on the label', { names: ['drop db'] }, ['drop *'], '{"by":"glob","glob":"drop *"}'],
    ['a glob on another name (npm: db:wipe)', { names: ['npm: db:wipe', 'db:wipe'] }, ['db:*'], '{"by":"glob","glob":"db:*"}'],
    ['a glob on the command line', { commands: ['./scripts/reset.sh --all'] }, ['*reset.sh*'], '{"by":"glob","glob":"*reset.sh*"}'],
    ['a glob that matches nothing', { names: ['build'] }, ['drop *'], 'null'],
    ['non-string globs are ignored', { names: ['build'] }, [3, null, { a: 1 }], 'null'],
    ['the guard finds the command destructive', { commands: ['psql -c "DROP TABLE x"'] }, [], '{"by":"guard","what":"judged: psql -c \\"DROP TABLE x\\""}'],
    ['the guard judges every command (the configured one and the one bash runs)', { commands: ['npm run wipe', 'terraform destroy'] }, [],
      '{"by":"guard","what":"judged: terraform destroy"}'],
    ['a read-only command is not flagged', { commands: ['kubectl get pods'] }, [], 'null'],
    ['the env flag wins over the others', { raw: { destructive: true, options: { env: { PRODGUARD_DESTRUCTIVE: 'yes' } } } }, ['*'], '{"by":"env"}'],
  ];
  for (const [name, t, globs, want] of rows) it(name, () => assert.strictEqual(flag(t, globs), want));

  it('a judge that throws flags nothing rather than crashing', () => {
    assert.strictEqual(flag({ commands: ['x'] }, [], () => { throw new Error('boom'); }), 'null');
  });

  it('envFlag reads only string values', () => {
    assert.deepStrictEqual([envFlag(undefined), envFlag({ PRODGUARD_DESTRUCTIVE: 1 }), envFlag({ PRODGUARD_DESTRUCTIVE: 'on' }), envFlag({ PRODGUARD_DESTRUCTIVE: 'OFF' })],
      [false, false, true, false]);
  });

  it('taskCommandLine quotes arguments as the shell gets them and drops the old gate', () => {
    assert.strictEqual(taskCommandLine({ command: `${TASK_GATE}psql`, args: ['-c', 'DROP TABLE x', { value: 'a b', quoting: 'strong' }] }),
      `psql -c 'DROP TABLE x' 'a b'`);
    assert.strictEqual(taskCommandLine({ command: { value: 'echo' }, args: ["it's"] }), `echo 'it'\\''s'`);
  });
});

describe('tasks: where the hook runs', () => {
  const rows: [TaskProcess, boolean][] = [
    [{ type: 'shell', shell: '/bin/bash' }, true],
    [{ type: 'shell', shell: '/usr/bin/bash', shellArgs: ['-c'] }, true],
    [{ type: 'shell', shell: 'bash' }, true],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['-l', '-c'] }, false],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['--login', '-c'] }, false],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['-lc'] }, false],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['-i', '-c'] }, false],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['-e', '-o', 'pipefail', '-c'] }, true],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['--norc', '-xc'] }, true],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['-p', '-c'] }, false],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['-pc'] }, false],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['--posix', '-c'] }, false],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['-o', 'posix', '-c'] }, false],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['-o', 'privileged', '-c'] }, false],
    [{ type: 'shell', shell: '/bin/bash', shellArgs: ['--rcfile', 'x', '-c'] }, false],
    [{ type: 'shell', shell: '/bin/bash', env: { PRODGUARD_DESTRUCTIVE: '1', PGHOST: 'db' } }, true],
    [{ type: 'shell', shell: '/bin/bash', env: { BASH_ENV: '' } }, false],
    [{ type: 'shell', shell: '/bin/bash', env: { SHELLOPTS: 'posix' } }, false],
    [{ type: 'shell', shell: '/bin/bash', env: { POSIXLY_CORRECT: '1' } }, false],
    [{ type: 'process', program: '/bin/bash', env: { PRODGUARD_IPC: '/tmp/other.sock' } }, false],
    [{ type: 'process', program: './wipe.sh', firstLine: '#!/bin/bash', env: { PRODGUARD_IPC_TOKEN: 'x' } }, false],
    [{ type: 'shell', shell: '/bin/zsh' }, false],
    [{ type: 'shell', shell: '/usr/bin/fish' }, false],
    [{ type: 'shell', shell: '/bin/sh' }, false],
    [{ type: 'shell', shell: 'C:\\Program Files\\Git\\bin\\bash.exe' }, true],
    [{ type: 'process', program: '/bin/bash' }, true],
    [{ type: 'process', program: './wipe.sh', firstLine: '#!/bin/bash' }, true],
    [{ type: 'process', program: './wipe.sh', firstLine: '#!/usr/bin/env bash' }, true],
    [{ type: 'process', program: './wipe.sh', firstLine: '#! /bin/bash -e' }, true],
    [{ type: 'process', program: './wipe.sh', firstLine: '#!/bin/sh' }, false],
    [{ type: 'process', program: './wipe.sh', firstLine: '#!/bin/bash -p' }, false],
    [{ type: 'process', program: './wipe.sh', firstLine: '#!/usr/bin/env bash --posix' }, false],
    [{ type: 'process', program: './wipe.sh', firstLine: '#!/usr/bin/env' }, false],
    [{ type: 'process', program: './wipe.py', firstLine: '#!/usr/bin/env python3' }, false],
    [{ type: 'process', program: '/usr/bin/psql' }, false],
    [{ type: 'process', program: './wipe.sh' }, false],
    [{ type: 'custom' }, false],
  ];
  for (const [p, want] of rows) it(`${JSON.stringify(p)} → ${want}`, () => assert.strictEqual(hookRunsIn(p), want));
});

describe('tasks: removing the old gates', () => {
  const text = `{
  // team tasks
  "version": "2.0.0",
  "tasks": [
    { "label": "drop", "type": "shell", "command": "${TASK_GATE}./drop.sh" },
    { "label": "zsh drop", "type": "shell", "command": "${TASK_GATE}./drop.sh", "options": { "shell": { "executable": "zsh" } } },
    { "label": "quoted", "type": "shell", "command": { "value": "${TASK_GATE}./x.sh", "quoting": "escape" } },
    { "label": "build", "type": "shell", "command": "make" }
  ]
}`;
  it('removes the gate from the tasks the predicate accepts, keeping comments and the others', () => {
    const out = removeGates(text, (t) => t.label !== 'zsh drop')!;
    assert.match(out, /\/\/ team tasks/);
    assert.match(out, /"label": "drop", "type": "shell", "command": "\.\/drop\.sh"/);
    assert.match(out, /"value": "\.\/x\.sh"/);
    assert.strictEqual(out.split(TASK_GATE).length - 1, 1, 'the zsh task keeps its gate');
    assert.match(out, /"command": "make"/);
  });
  it('changes nothing when there is no gate, or no tasks array', () => {
    assert.strictEqual(removeGates('{"tasks": [{"label": "a", "command": "make"}]}', () => true), undefined);
    assert.strictEqual(removeGates('{"version": "2.0.0"}', () => true), undefined);
    assert.strictEqual(removeGates('not json', () => true), undefined);
  });
});
