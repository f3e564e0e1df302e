import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isatty } from 'tty';
import { describeReason, plainTranslate as t } from '../core/describe';
import { nodeFiles } from '../core/files';
import { decide, type GuardDecision } from '../core/guard/decide';
import { displayCommand, explain, maskedCommand, visible } from '../core/guard/explain';
import type * as LineModule from '../core/guard/line';
import { SHIM_MARKER } from '../core/guard/shims';
import type { StdinInput } from '../core/guard/types';
import { maskArgv, maskDeep, maskSecrets } from '../core/mask';
import { guardInputs, readStdinBounded, REFUSED_EXIT } from './run';

/** Exit codes of `check`: the command would run unasked, would ask (the `run` refusal code), bad usage. */
export const CHECK_EXIT = { runs: 0, asks: REFUSED_EXIT, usage: 2 } as const;

/** The JSON shape of `check --json`: the decision as data, every string masked. */
export function decisionJson(d: GuardDecision, argv: readonly string[]): unknown {
  const x = explain(d, argv, t);
  const tg = d.target;
  // A module may classify by a word that is also a secret (mysql's `--password WORD` is a database): never show it.
  const secrets = new Set(d.secretArgs.map((i) => argv[i + 1]).filter((v): v is string => !!v));
  const shown = (ids: readonly string[]): string[] => ids.map((id) => (secrets.has(id) ? '***' : id));
  return {
    tool: d.tool,
    verb: d.verb,
    command: x.command,
    action: d.action,
    asks: d.action === 'confirm',
    environment: d.environment,
    classifiedBy: { code: d.reason.code, text: describeReason(d.reason, t) },
    target: tg ? {
      kind: tg.kind, name: tg.name, source: tg.source, ...(tg.line ? { line: tg.line } : {}),
      identifiers: shown(tg.identifiers), ...(tg.unresolved ? { unresolved: tg.unresolved } : {}),
    } : null,
    targets: d.targets.map((g) => ({
      kind: g.kind, name: g.name, source: g.source, ...(g.line ? { line: g.line } : {}),
    })),
    verdict: d.verdict ?? null,
    ...(d.pattern ? { pattern: d.pattern } : {}),
    explanation: { what: x.what, target: x.target, from: x.targetSource, why: x.why, confirmName: x.confirmName },
    workspaceFiles: d.workspaceFiles,
    problems: d.problems,
  };
}

const USAGE = 'usage: prod-guard check [--json] [--state DIR] -- COMMAND [ARGS…]\n'
  + '       prod-guard check [--json] [--state DIR] --shell \'LINE\'\n';

/** The state folder baked into the first Prod Guard shim folder on PATH, if any. */
export function stateFromShims(envPath: string): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir || !fs.existsSync(path.join(dir, SHIM_MARKER))) continue;
    try {
      const shim = fs.readFileSync(path.join(dir, 'psql'), 'utf8');
      const m = / --state '((?:[^']|'\\'')*)'/.exec(shim);
      return m ? m[1].replace(/'\\''/g, "'") : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `prod-guard check [--json] -- CMD…`: the decision, without running anything. */
export function checkCommand(
  argv: readonly string[], env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void,
): number {
  let json = false;
  let stateDir: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '--json') json = true;
    else if (a === '--shell' || a.startsWith('--shell=')) {
      const line = a === '--shell' ? argv[++i] : a.slice(8);
      if (line === undefined || i + 1 < argv.length && !argv.slice(i + 1).every((x) => x === '--json')) {
        err(USAGE);
        return CHECK_EXIT.usage;
      }
      json ||= argv.slice(i + 1).includes('--json');
      return checkShell(line, json, stateDir, env, out);
    } else if (a === '--state') stateDir = argv[++i];
    else if (a.startsWith('--state=')) stateDir = a.slice(8);
    else if (a.startsWith('-')) {
      err(`prod-guard check: unknown option "${a}"\n${USAGE}`);
      return CHECK_EXIT.usage;
    } else break;
  }
  const command = argv.slice(i);
  if (command.length === 0) {
    err(USAGE);
    return CHECK_EXIT.usage;
  }
  const home = env.HOME || os.homedir();
  // Without --state, use the one the shims on PATH carry (VS Code's terminals): check then sees what run sees.
  stateDir ??= stateFromShims(env.PATH ?? '');
  const inputs = guardInputs(env, stateDir);
  const readIn = (): StdinInput => {
    if (isatty(0)) return {};
    const r = readStdinBounded();
    return r.truncated ? { tooLarge: true } : { text: r.data.toString('utf8') };
  };
  const d = decide([path.basename(command[0]), ...command.slice(1)], {
    env, home, cwd: process.cwd(), files: nodeFiles, ...inputs, stdin: readIn, judgeAlways: true,
  });
  if (json) out(JSON.stringify(maskDeep(decisionJson(d, command)), null, 2) + '\n');
  else {
    const x = explain(d, command, t);
    const lines = [
      `${d.action === 'confirm' ? 'ASKS' : 'RUNS'}: ${x.command}`,
      `  tool:        ${d.tool}${d.verb ? ` (${d.verb})` : ''}`,
      `  what:        ${x.what}`,
      `  target:      ${x.target}${x.targetSource ? ` (from ${x.targetSource})` : ''}`,
      `  environment: ${x.why}`,
    ];
    if (d.action === 'confirm') {
      lines.push(`  to confirm:  type ${x.confirmName}, or PRODGUARD_CONFIRM=${x.confirmName}`);
    }
    for (const p of d.problems) lines.push(`  problem:     ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    for (const p of inputs.problems) lines.push(`  problem:     ${p}`);
    if (!stateDir) {
      lines.push('  note:        your VS Code rules and allow-lists were not read '
        + '(no Prod Guard shims on PATH; pass --state DIR)');
    }
    out(maskSecrets(lines.join('\n')) + '\n');
  }
  return d.action === 'confirm' ? CHECK_EXIT.asks : CHECK_EXIT.runs;
}

/** `check --shell 'LINE'`: the decision for every command the line runs. */
function checkShell(line: string, json: boolean, stateDir: string | undefined, env: NodeJS.ProcessEnv,
  out: (s: string) => void): number {
  const { decideLine, maskedLine } = require('../core/guard/line') as typeof LineModule;
  const home = env.HOME || os.homedir();
  stateDir ??= stateFromShims(env.PATH ?? '');
  const inputs = guardInputs(env, stateDir);
  const d = decideLine(line, { env, home, cwd: process.cwd(), files: nodeFiles, ...inputs, judgeAlways: true });
  const exit = d.action === 'confirm' ? CHECK_EXIT.asks : CHECK_EXIT.runs;
  if (json) {
    out(JSON.stringify(maskDeep({
      line: maskedLine(d), action: d.action, asks: d.action === 'confirm', ...(d.error ? { error: d.error } : {}),
      notes: d.notes,
      commands: d.commands.map((c) => ({
        argv: maskArgv(c.step.argv, c.decision?.secretArgs ?? [], 1), cwd: c.step.cwd ?? null, via: c.step.via,
        opaque: c.step.opaque,
        ...(c.step.stdin ? { stdin: c.step.stdin.kind === 'text' ? 'text' : c.step.stdin.kind === 'file'
          ? c.step.stdin.path : c.step.stdin.what } : {}),
        decision: c.decision ? decisionJson(c.decision, c.step.argv) : null,
      })),
    }), null, 2) + '\n');
    return exit;
  }
  const masked = maskedLine(d);
  const shown = visible(masked.length > 200 ? `${masked.slice(0, 200)}…` : masked);
  const lines = [`${d.action === 'confirm' ? 'ASKS' : 'RUNS'}: ${shown}`];
  if (d.error) lines.push(`  cannot read the line: ${d.error}`);
  d.commands.forEach((c, n) => {
    const cmd = c.decision ? maskedCommand(c.step.argv, c.decision) : displayCommand(c.step.argv);
    const head = `  ${n + 1}. ${cmd}`;
    if (!c.decision) {
      lines.push(`${head}  (not guarded)`);
      return;
    }
    const x = explain(c.decision, c.step.argv, t);
    lines.push(`${head}  → ${c.decision.action === 'confirm' ? 'ASKS' : 'runs'}`);
    lines.push(`       what:        ${x.what}`);
    lines.push(`       target:      ${x.target}${x.targetSource ? ` (from ${x.targetSource})` : ''}`);
    lines.push(`       environment: ${x.why}`);
    if (c.step.via.length) lines.push(`       through:     ${c.step.via.join(' → ')}`);
    if (c.step.cwd && c.step.cwd !== process.cwd()) lines.push(`       folder:      ${c.step.cwd}`);
  });
  if (d.commands.length === 0 && !d.error) lines.push('  (no command)');
  for (const note of d.notes) lines.push(`  note: ${note}`);
  out(maskSecrets(lines.join('\n')) + '\n');
  return exit;
}
