// The data every guarded-tool module produces and the engine (`decide`) consumes. One module per tool family
// lives in `tools/`: its flag grammar (as data, parsed by `grammar.ts`), its target resolution and its table of
// what is read-only and what asks.
import type { Files } from '../files';
import type { Problem, SignalKind } from '../types';

/** What a guarded command points at, classified like a detection signal. */
export interface GuardTarget {
  readonly kind: SignalKind;
  /** What the user knows it by and types to confirm: context, profile, `host/database`. Never a secret. */
  readonly name: string;
  /** Every value rules and heuristics look at (context, cluster, server URL, host, database, account…). */
  readonly identifiers: readonly string[];
  readonly details: Readonly<Record<string, string>>;
  /** Where the target came from: a file path, `--context flag`, `env:PGHOST`, `default (local socket)`. */
  readonly source: string;
  /** 1-based line in `source` when it is a file. */
  readonly line?: number;
  /**
   * Set when the guard cannot tell where the command goes (an unreadable option file, a service that is not
   * defined, a malformed kubeconfig): the command then asks whatever the classification says, and this text
   * says why.
   */
  readonly unresolved?: string;
}

/** Why a command does or does not ask; the renderers (CLI, modal, audit) turn codes into text. */
export type VerdictCode =
  /** Known to only read: never asks. */
  | 'readOnly'
  /** A write the table knows to be harmless enough (SQL INSERT, UPDATE … WHERE id = 1, CREATE INDEX). */
  | 'harmlessWrite'
  /** Touches only local files or the tool's own configuration, never the target (kubectl config, aws configure). */
  | 'localOnly'
  /** A dry run, help or version request: nothing reaches the target. */
  | 'noEffect'
  /** In the tool's destructive table (delete, DROP TABLE, FLUSHALL, terraform destroy…). */
  | 'destructive'
  /** A mutating verb or operation (kubectl apply, aws … update-*). */
  | 'mutating'
  /** Not known to the tables: in production, what is not known to be read-only asks. */
  | 'unknown'
  /** The input could not be read as the tool would read it (bad SQL, unknown flag in a place that matters). */
  | 'unparseable'
  /** A script or file the command runs could not be read. */
  | 'unreadable'
  /** The input is larger than the guard checks within its time budget. */
  | 'tooLarge'
  /** No command given: an interactive session (guarded separately). */
  | 'interactive';

/** The codes that make a production command ask. */
export const ASKING_CODES: ReadonlySet<VerdictCode> = new Set([
  'destructive', 'mutating', 'unknown', 'unparseable', 'unreadable', 'tooLarge',
]);

/** What a tool module found the command does. */
export interface Verdict {
  readonly code: VerdictCode;
  /** What the guard read as the action, for people: `kubectl delete`, `DROP TABLE users`, `FLUSHALL`. */
  readonly what: string;
  /** The statement or command that decided it (SQL statement, Redis command, script line), shortened. */
  readonly statement?: string;
  /** 1-based line of `statement` in its script, when it came from a file or stdin. */
  readonly line?: number;
  /** The file or stream the statement came from (`-f migrate.sql`, `stdin`). */
  readonly from?: string;
}

/** Where the input a verdict may need comes from: the decision reads it only for production targets. */
export interface StdinInput {
  /** The bytes the command would read on stdin, as text; `undefined` when stdin is a terminal or not read. */
  readonly text?: string;
  /** Stdin was larger than the guard reads: the verdict must be `tooLarge` if it needs stdin. */
  readonly tooLarge?: boolean;
  /**
   * Stdin comes from something the guard cannot see before the command runs (a shell line's pipe from another
   * command, judged by an agent hook): what it is. A verdict that needs stdin is then `unknown`.
   */
  readonly opaque?: string;
}

/** Everything a module may look at: the command's own environment and folder, never the extension host's. */
export interface ToolContext {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly cwd: string;
  readonly files: Files;
}

/** A module's reading of one command line. */
export interface ToolAnalysis {
  /** The verb path as read (`delete`, `rollout restart`, `s3 rb`, `-c`), for `check` and messages. */
  readonly verb: string;
  /**
   * Where the command goes. Usually one; several when the command can reach more than one (psql's `\connect`
   * in a script, kubectl `--server` over a context): the most severe decides.
   */
  readonly targets: readonly GuardTarget[];
  readonly problems: readonly Problem[];
  /**
   * The folder the tool works in when it is not the one it starts in (terraform `-chdir=DIR`): its
   * `.prodguard.yaml` files count as well as the starting folder's.
   */
  readonly workDir?: string;
  /**
   * Judges what the command does. The engine calls it only after classifying the targets, and only when one
   * is production or unresolved, so expensive work (SQL, scripts) is never done for development. Must finish
   * in bounded time and memory for any input.
   */
  judge(stdin: StdinInput): Verdict;
  /** Whether `judge` needs the command's stdin (psql without -c, redis-cli with commands piped in). */
  readonly readsStdin: boolean;
  /**
   * Targets that commands piped on stdin switch to (psql `\c`, mysql `connect`, redis-cli `connect`, mongosh
   * `connect()`): the engine reads stdin (when it is not a terminal) and adds them before classifying, so a
   * script piped into a development session cannot reach production unjudged.
   */
  stdinTargets?(stdin: StdinInput): readonly GuardTarget[];
  /** Indices into argv (after the tool name) whose values are secrets: masked in every display of the command. */
  readonly secretArgs: readonly number[];
}

/**
 * What the POSIX shim may decide without starting Node: calls it can prove read-only from the words alone.
 * The shim walks the arguments before the first positional: a token in `valueFlags` skips the next argument,
 * `--name=value` with a known name and a token in `booleanFlags` are skipped, anything else (bundles, unknown
 * flags) sends the call to the full guard. When the first positional is in `readOnlyVerbs`, the real binary
 * runs at once.
 */
export interface ShimFastPath {
  /** Exact flag tokens (with dashes) that take the next argument as their value: `--context`, `-n`. */
  readonly valueFlags: readonly string[];
  /** Exact flag tokens (with dashes) that take no value: `--insecure-skip-tls-verify`, `-v`. */
  readonly booleanFlags: readonly string[];
  /** First positional words that only read, whatever follows: `get`, `describe`, `logs`. */
  readonly readOnlyVerbs: readonly string[];
}

/** A guarded tool family: the names it answers to and how it reads a command line. */
export interface ToolModule {
  /** Executable basenames this module guards (`kubectl`, `oc`). */
  readonly tools: readonly string[];
  /** Reads argv (without the tool name). Never throws; bad input becomes an `unparseable` verdict. */
  analyze(tool: string, argv: readonly string[], ctx: ToolContext): ToolAnalysis;
  /** Per executable: what the shim may let through without Node (absent: every call goes to the guard). */
  readonly fastPath?: Readonly<Record<string, ShimFastPath>>;
}

/** A verdict helper. */
export function verdict(code: VerdictCode, what: string, extra: Omit<Verdict, 'code' | 'what'> = {}): Verdict {
  return { code, what, ...extra };
}

/** Whether a verdict asks in production. */
export function asks(v: Verdict): boolean {
  return ASKING_CODES.has(v.code);
}

/** How bad a verdict is, for picking the one that decides among several (statements, scripts, sources). */
const RANK: Readonly<Record<VerdictCode, number>> = {
  noEffect: 0, localOnly: 1, interactive: 2, readOnly: 3, harmlessWrite: 4, mutating: 5, unknown: 6, unparseable: 7,
  unreadable: 8, tooLarge: 9, destructive: 10,
};

/** The verdict that decides among several: the most dangerous (a DROP outranks an unknown statement). */
export function worstVerdict(verdicts: readonly Verdict[], fallback: Verdict): Verdict {
  let worst: Verdict | undefined;
  for (const v of verdicts) if (!worst || RANK[v.code] > RANK[worst.code]) worst = v;
  return worst ?? fallback;
}

/**
 * The verdict of a client that may end in an interactive session: the session itself (`interactive`, which the
 * shim then opens read-only in production) unless something before it, a startup file or an init command,
 * asks on its own. A startup file that only reads must not hide that the session is interactive.
 */
export function sessionVerdict(verdicts: readonly Verdict[], none: Verdict): Verdict {
  const session = verdicts.find((v) => v.code === 'interactive');
  if (session && !verdicts.some((v) => asks(v))) return session;
  return worstVerdict(verdicts, none);
}
