import * as path from 'path';
import { classify, moreSevere, severity } from '../classify';
import type { Files } from '../files';
import type { GuardPatterns } from '../settings';
import type { Environment, Problem, Reason, SourcedRule } from '../types';
import { workspaceChain } from '../workspace';
import { isGuarded, moduleFor } from './tools/index';
import { asks, type GuardTarget, type StdinInput, type ToolAnalysis, type Verdict } from './types';

/** A user or workspace pattern that decided instead of the tool's table. */
export interface PatternMatch {
  readonly kind: 'allow' | 'destructive';
  readonly pattern: string;
  /** `settings`, or the `.prodguard.yaml` path, or `env:PRODGUARD_GUARD`. */
  readonly origin: string;
}

/** The outcome for one command line: data with reasons; the CLI, the modal and the audit log render it. */
export interface GuardDecision {
  /** The tool as invoked (basename of argv[0]). */
  readonly tool: string;
  /** The verb as the module read it (`delete`, `rollout restart`, `-c`). */
  readonly verb: string;
  /** The target that decided: the most severe one (or the unresolved one). */
  readonly target?: GuardTarget;
  /** Every target the command can reach. */
  readonly targets: readonly GuardTarget[];
  readonly environment: Environment;
  /** Why the target has its environment (rule, heuristic, workspace label). */
  readonly reason: Reason;
  /** What the command does; absent when the guard did not need to judge it (not production). */
  readonly verdict?: Verdict;
  /** A user or workspace pattern that overrode the table. */
  readonly pattern?: PatternMatch;
  /** The text that names the danger when it asks (`kubectl delete`, `DROP TABLE users`); else undefined. */
  readonly destructive?: string;
  /** `confirm`: asks before running. Anything else runs untouched. */
  readonly action: 'run' | 'confirm';
  readonly problems: readonly Problem[];
  /** argv indices (after the tool name) whose values are secrets. */
  readonly secretArgs: readonly number[];
  /** `.prodguard.yaml` files that took part, nearest first. */
  readonly workspaceFiles: readonly string[];
}

/** What `decide` reads: the environment and folder of the process that runs the command. */
export interface GuardInput {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly cwd: string;
  readonly files: Files;
  /** User rules (the user's own settings): tried first and may classify either way. */
  readonly rules?: readonly SourcedRule[];
  /** Rules that may only raise an environment (from `PRODGUARD_RULES`). */
  readonly raiseRules?: readonly SourcedRule[];
  /** User-level destructive and allowed patterns (settings). */
  readonly patterns?: GuardPatterns;
  /** Destructive patterns from the environment (`PRODGUARD_GUARD`): they may add, never allow. */
  readonly extraDestructive?: Readonly<Record<string, readonly string[]>>;
  /** The command's stdin, read only when the verdict needs it (production and a tool that reads stdin). */
  readonly stdin?: () => StdinInput;
  /** Judge the command even when the target is not production (`prod-guard check`). */
  readonly judgeAlways?: boolean;
}

/** Whether `run` appears as consecutive words of `words`. */
function containsRun(words: readonly string[], run: readonly string[]): boolean {
  if (run.length === 0) return false;
  for (let i = 0; i + run.length <= words.length; i++) if (run.every((w, j) => words[i + j] === w)) return true;
  return false;
}

/** The module's analysis, or an unresolved reading when the module itself failed (the guard fails closed). */
function safeAnalyze(tool: string, argv: readonly string[], input: GuardInput): ToolAnalysis {
  const mod = moduleFor(tool)!;
  try {
    return mod.analyze(tool, argv, { env: input.env, home: input.home, cwd: input.cwd, files: input.files });
  } catch (e) {
    const message = `the guard could not read this ${tool} command (${(e as Error).message ?? String(e)})`;
    return {
      verb: '',
      targets: [{ kind: 'workspace', name: tool, identifiers: [], details: {}, source: 'guard', unresolved: message }],
      problems: [{ source: tool, message }],
      readsStdin: false,
      secretArgs: [],
      judge: () => ({ code: 'unparseable', what: message }),
    };
  }
}

/**
 * Decides from the actual command line and the actual environment of the process that runs it — never from
 * the extension host's state. Order: resolve and classify the targets first; judge what the command does only
 * when a target is production or cannot be resolved; a command that is not known to be harmless then asks.
 */
export function decide(argv: readonly string[], input: GuardInput): GuardDecision {
  const tool = path.basename(argv[0] ?? '');
  if (!isGuarded(tool)) {
    return {
      tool, verb: '', targets: [], environment: 'unknown', reason: { code: 'noMatch' }, action: 'run', problems: [],
      secretArgs: [], workspaceFiles: [],
    };
  }
  const args = argv.slice(1);
  const analysis = safeAnalyze(tool, args, input);
  // Stdin is read at most once (it is a stream): for the targets it switches to, then for the verdict.
  let stdinRead: StdinInput | undefined;
  const stdin = (): StdinInput => (stdinRead ??= input.stdin ? input.stdin() : {});
  let targets = analysis.targets;
  if (analysis.readsStdin && analysis.stdinTargets && input.stdin && !stdin().opaque) {
    try {
      targets = [...targets, ...analysis.stdinTargets(stdin())];
    } catch (e) {
      const unresolved = `the guard could not read stdin (${(e as Error).message})`;
      targets = [...targets, { kind: 'database', name: tool, identifiers: [], details: {}, source: 'stdin',
        unresolved }];
    }
  }
  // A tool that works in another folder (terraform -chdir) answers to that folder's labels too; the graver wins.
  const ws = workspaceChain(analysis.workDir ? [input.cwd, analysis.workDir] : input.cwd, input.files);
  const problems: Problem[] = [...analysis.problems, ...ws.problems];
  const rules = [...(input.rules ?? []), ...ws.rules, ...(input.raiseRules ?? [])];

  // Classify every target; the most severe decides, an unresolved one counts as production-grade doubt.
  let target: GuardTarget | undefined;
  let environment: Environment = 'unknown';
  let reason: Reason = { code: 'noMatch' };
  for (const t of targets) {
    const c = classify(t.identifiers, t.kind, rules);
    const graver = severity(c.environment) > severity(environment);
    if (!target || graver || (t.unresolved && !target.unresolved && c.environment === environment)) {
      target = t;
      ({ environment, reason } = c);
    }
  }
  // A folder labelled production makes every command run from it production; a label never lowers.
  const label = ws.signals[0]?.fixed;
  if (label && moreSevere(environment, label.environment) !== environment) ({ environment, reason } = label);
  const unresolved = targets.length === 0 || targets.some((t) => t.unresolved);

  const words = args.map((a) => a.toLowerCase());
  const matches = (pattern: string): boolean => containsRun(words, pattern.split(/\s+/));
  // An allow pattern covers the verb as the module read it (`exec`, `rollout restart`), never a word that merely
  // appears somewhere (`kubectl -n logs delete …` is a delete, not `logs`).
  const verbWords = analysis.verb.toLowerCase().split(/\s+/).filter(Boolean);
  const allows = (pattern: string): boolean => {
    const pw = pattern.split(/\s+/);
    return pw.length <= verbWords.length && pw.every((w, i) => verbWords[i] === w);
  };
  const allow = (input.patterns?.allow[tool] ?? []).find(allows);
  const extra: PatternMatch | undefined = (() => {
    const fromSettings = (input.patterns?.destructive[tool] ?? []).find(matches);
    if (fromSettings) return { kind: 'destructive', pattern: fromSettings, origin: 'settings' };
    const fromWs = (ws.guard.destructive[tool] ?? []).find(matches);
    if (fromWs) return { kind: 'destructive', pattern: fromWs, origin: ws.files.join(', ') };
    const fromEnv = (input.extraDestructive?.[tool] ?? []).find(matches);
    if (fromEnv) return { kind: 'destructive', pattern: fromEnv, origin: 'env:PRODGUARD_GUARD' };
    return undefined;
  })();

  const base = {
    tool, verb: analysis.verb, target, targets, environment, reason, problems,
    secretArgs: analysis.secretArgs, workspaceFiles: ws.files,
  };
  const mustJudge = environment === 'production' || unresolved;
  if (!mustJudge && !input.judgeAlways) return { ...base, action: 'run' };

  let verdict: Verdict;
  try {
    const opaque = analysis.readsStdin ? stdin().opaque : undefined;
    verdict = opaque ? { code: 'unknown', what: `${tool} reading ${opaque}, which the guard cannot see before it runs` }
      : analysis.judge(analysis.readsStdin ? stdin() : {});
  } catch (e) {
    const what = `the guard could not judge this command (${(e as Error).message ?? String(e)})`;
    verdict = { code: 'unparseable', what };
  }
  let pattern: PatternMatch | undefined;
  let asking = asks(verdict);
  if (allow) {
    pattern = { kind: 'allow', pattern: allow, origin: 'settings' };
    asking = false;
  } else if (extra && !asking) {
    pattern = extra;
    asking = true;
  }
  const destructive = asking ? (pattern ? `${tool} ${pattern.pattern}` : verdict.what) : undefined;
  return { ...base, verdict, pattern, destructive, action: asking && mustJudge ? 'confirm' : 'run' };
}
