// A whole shell line, as AI agents and shell hooks pass it: every program the line runs is decided by the same
// engine as the shims (`decide`), with the environment, folder and stdin the line gives it. The line asks when
// any of its commands asks; a line the guard cannot parse asks only when it names a guarded tool.
import * as path from 'path';
import { maskSecrets } from '../mask';
import { walkLine, type Step } from '../shell/walk';
import { decide, type GuardDecision, type GuardInput } from './decide';
import { GUARDED_TOOLS, isGuarded } from './tools/index';
import type { StdinInput } from './types';

/** One executable per tool family: a command name the guard cannot know is read as each of them. */
const FAMILY_HEADS = ['kubectl', 'helm', 'aws', 'terraform', 'psql', 'mysql', 'redis-cli', 'mongosh'];
/** The most a script or stdin file named in the line is read for the decision. */
const FILE_LIMIT = 8 * 1024 * 1024;

export interface LineCommand {
  readonly step: Step;
  /** Undefined for programs the guard does not know (they run untouched). */
  readonly decision?: GuardDecision;
}

export interface LineDecision {
  readonly line: string;
  readonly commands: readonly LineCommand[];
  /** The command that asks (the first one), if any. */
  readonly asking?: LineCommand;
  readonly action: 'run' | 'confirm';
  /** Why the line could not be read, when it could not. */
  readonly error?: string;
  readonly notes: readonly string[];
}

/** The guarded tools a line names as whole words (for lines that cannot be parsed). */
export function toolsNamed(line: string): string[] {
  const found = new Set<string>();
  for (const m of line.matchAll(/[A-Za-z0-9_.+-]+/g)) {
    const name = path.basename(m[0]);
    if (GUARDED_TOOLS.includes(name)) found.add(name);
  }
  return [...found];
}

/**
 * The executable a step runs, by basename. A command name the guard cannot know before it runs
 * (`` `which kubectl` ``, `$(command -v psql)`) is taken for the one guarded tool it names.
 */
export function toolOf(step: Step): string {
  const tool = path.basename(step.argv[0] ?? '');
  if (!isGuarded(tool) && step.opaque) {
    const named = toolsNamed(step.argv[0] ?? '');
    if (named.length === 1) return named[0];
  }
  return tool;
}

/** Decides every command of `line`, run from `input.cwd` with `input.env`. The guard's own failure asks. */
export function decideLine(line: string, input: GuardInput): LineDecision {
  try {
    return decideEach(line, input);
  } catch (e) {
    return { line, commands: [], action: 'confirm', notes: [],
      error: `the guard could not follow this line (${(e as Error).message ?? String(e)})` };
  }
}

function decideEach(line: string, input: GuardInput): LineDecision {
  const readFile = (file: string): string | undefined => {
    const r = input.files.readText(file, FILE_LIMIT);
    return r.ok ? r.text : undefined;
  };
  const walked = walkLine(line, { env: input.env, cwd: input.cwd, home: input.home, readFile });
  const commands: LineCommand[] = [];
  for (const step of walked.steps) {
    const tool = toolOf(step);
    const stdin = (): StdinInput => stdinOf(step, input);
    // Every folder the command may run in (a `cd` that may not have run); the one that asks decides.
    const folders = [...new Set([step.cwd ?? input.cwd, ...(step.altCwds ?? [])])];
    const decideAs = (t: string): GuardDecision => {
      let first: GuardDecision | undefined;
      for (const cwd of folders) {
        const d = decide([t, ...step.argv.slice(1)], { ...input, env: step.env, cwd, stdin });
        if (d.action === 'confirm') return d;
        first ??= d;
      }
      return first!;
    };
    if (isGuarded(tool)) {
      commands.push({ step, decision: decideAs(tool) });
      continue;
    }
    // A command name the guard cannot know (`${K,,}`, a glob, an array): whichever guarded tool it may be, the
    // words decide — a destructive reading asks.
    if (step.opaque && /[$`*?[{]/.test(step.argv[0] ?? '')) {
      const found = FAMILY_HEADS.map(decideAs).find((d) => d.action === 'confirm' && d.verdict?.code === 'destructive');
      if (found) {
        commands.push({ step, decision: found });
        continue;
      }
    }
    commands.push({ step });
  }
  const asking = commands.find((c) => c.decision?.action === 'confirm');
  if (walked.limited) {
    return { line, commands, asking, action: 'confirm', error: walked.error, notes: walked.notes };
  }
  if (walked.error) {
    const named = toolsNamed(line);
    return { line, commands, asking, action: asking || named.length > 0 ? 'confirm' : 'run', error: walked.error,
      notes: walked.notes };
  }
  return { line, commands, asking, action: asking ? 'confirm' : 'run', notes: walked.notes };
}

function stdinOf(step: Step, input: GuardInput): StdinInput {
  const s = step.stdin;
  if (!s) return {};
  if (s.kind === 'text') return { text: s.text };
  if (s.kind === 'opaque') return { opaque: s.what };
  const r = input.files.readText(s.path, FILE_LIMIT);
  if (r.ok) return { text: r.text };
  if (/larger|too large|size/i.test(r.message)) return { tooLarge: true };
  return { opaque: `${s.path} (${r.message})` };
}

/**
 * The line for display with every secret masked: what `maskSecrets` finds, and the values the tools' modules
 * name as secrets (`mysql -pPW`, `redis-cli -a TOKEN`), wherever they stand in the line's text.
 */
export function maskedLine(d: LineDecision): string {
  const secrets = new Set<string>();
  for (const c of d.commands) {
    for (const i of c.decision?.secretArgs ?? []) {
      const a = c.step.argv[i + 1];
      if (!a) continue;
      const eq = a.indexOf('=');
      const value = !a.startsWith('-') ? a : a.startsWith('--') ? (eq > 0 ? a.slice(eq + 1) : '') : a.slice(2);
      if (value.length >= 3) secrets.add(value);
    }
  }
  let text = d.line;
  for (const v of [...secrets].sort((a, b) => b.length - a.length)) text = text.split(v).join('***');
  return maskSecrets(text);
}
