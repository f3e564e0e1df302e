import * as path from 'path';
import { classify, moreSevere } from '../classify';
import type { Files } from '../files';
import type { GuardPatterns } from '../settings';
import type { Environment, Problem, Reason, SourcedRule } from '../types';
import { nearestWorkspaceConfig } from '../workspace';
import { ANALYZERS, type GuardTarget } from './tools';

/** The outcome for one command line. */
export interface GuardDecision {
  /** The tool as invoked (basename of argv[0]). */
  readonly tool: string;
  /** What makes it destructive (`kubectl delete`, `SQL: DROP TABLE`); undefined when it is not. */
  readonly destructive?: string;
  readonly target?: GuardTarget;
  readonly environment: Environment;
  readonly reason: Reason;
  /** `confirm`: destructive against production. Anything else runs untouched. */
  readonly action: 'run' | 'confirm';
  readonly problems: readonly Problem[];
}

/** What `decide` reads: the environment and folder of the process that runs the command. */
export interface GuardInput {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly cwd: string;
  readonly files: Files;
  /** User rules (settings); workspace rules are read from the nearest `.prodguard.yaml` above `cwd`. */
  readonly rules?: readonly SourcedRule[];
  /** User-level extra destructive / allowed patterns (settings); the workspace file may add destructive ones. */
  readonly patterns?: GuardPatterns;
  readonly stdin?: string;
}

/** Whether `run` appears as consecutive words of `words`. */
function containsRun(words: readonly string[], run: readonly string[]): boolean {
  if (run.length === 0) return false;
  for (let i = 0; i + run.length <= words.length; i++) if (run.every((w, j) => words[i + j] === w)) return true;
  return false;
}

/**
 * Decides from the actual command line and the actual environment of the process that runs it — never from
 * the extension host's state. Destructive and production → confirm; everything else → run.
 */
export function decide(argv: readonly string[], input: GuardInput): GuardDecision {
  const tool = path.basename(argv[0] ?? '');
  const analyze = ANALYZERS[tool];
  if (!analyze) return { tool, environment: 'unknown', reason: { code: 'noMatch' }, action: 'run', problems: [] };
  const analysis = analyze(argv.slice(1), { env: input.env, home: input.home, cwd: input.cwd, files: input.files, stdin: input.stdin });
  const problems = [...analysis.problems];
  const ws = nearestWorkspaceConfig(input.cwd, input.files);
  if (ws) problems.push(...ws.problems);
  const rules = [...(input.rules ?? []), ...(ws?.rules ?? [])];
  const words = argv.slice(1).map((a) => a.toLowerCase());
  const matches = (pattern: string): boolean => containsRun(words, pattern.split(/\s+/));
  let destructive = analysis.destructive;
  const allowed = (input.patterns?.allow[tool] ?? []).find(matches);
  if (destructive && allowed) destructive = undefined;
  if (!destructive) {
    const extra = [...(input.patterns?.destructive[tool] ?? []), ...(ws?.guard.destructive[tool] ?? [])].find(matches);
    if (extra) destructive = `${tool} ${extra}`;
  }
  let { environment, reason } = analysis.target
    ? classify(analysis.target.identifiers, analysis.target.kind, rules)
    : { environment: 'unknown' as Environment, reason: { code: 'noMatch' } as Reason };
  // A workspace labelled production makes every target run from it production.
  const label = ws?.signals[0]?.fixed;
  if (label && moreSevere(environment, label.environment) !== environment) ({ environment, reason } = label);
  return {
    tool,
    destructive,
    target: analysis.target,
    environment,
    reason,
    action: destructive && environment === 'production' ? 'confirm' : 'run',
    problems,
  };
}
