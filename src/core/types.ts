/** The environments Prod Guard tells apart, from most to least dangerous, plus `unknown`. */
export type Environment = 'production' | 'staging' | 'development' | 'local' | 'unknown';

/** Every environment, most severe first. */
export const ENVIRONMENTS: readonly Environment[] = ['production', 'staging', 'development', 'local', 'unknown'];

/** What kind of tool a signal comes from. */
export type SignalKind = 'kubernetes' | 'aws' | 'gcloud' | 'docker' | 'database' | 'workspace' | 'terraform';

/** Every signal kind, in display order. */
export const SIGNAL_KINDS: readonly SignalKind[] = ['kubernetes', 'aws', 'gcloud', 'docker', 'database', 'workspace', 'terraform'];

/** A user or workspace classification rule: the first rule whose glob matches one identifier wins. */
export interface Rule {
  /** minimatch glob, anchored: it must match a whole identifier. */
  readonly match: string;
  /** Environment given to a signal this rule matches. */
  readonly environment: Exclude<Environment, 'unknown'>;
  /** When set, the rule only applies to signals of this kind. */
  readonly kind?: SignalKind;
}

/** Where a rule was written, so a reason can say which file or setting classified a signal. */
export interface RuleOrigin {
  /** `settings`: the user's own; `workspace`: a `.prodguard.yaml`; `environment`: `PRODGUARD_RULES` (raise only). */
  readonly type: 'settings' | 'workspace' | 'environment';
  /** The `.prodguard.yaml` path for workspace rules. */
  readonly file?: string;
}

/** A rule together with where it came from. */
export interface SourcedRule extends Rule {
  readonly origin: RuleOrigin;
}

/** Why a signal got its environment: a code with data; the adapters turn it into text. */
export type Reason =
  | { readonly code: 'ruleMatched'; readonly rule: SourcedRule; readonly value: string }
  | { readonly code: 'heuristic'; readonly token: string; readonly value: string }
  | { readonly code: 'loopbackHost'; readonly value: string }
  | { readonly code: 'workspaceLabel'; readonly file: string }
  | { readonly code: 'noMatch' };

/** One thing a tool points at: a kube context, an AWS profile, a database, a workspace label. */
export interface Signal {
  readonly kind: SignalKind;
  /** What the user knows it by: context name, profile name, `host/database`, folder name. Never a secret. */
  readonly name: string;
  readonly environment: Environment;
  readonly reason: Reason;
  /** Absolute path of the file that set it, or `env:NAME` when it came from an environment variable. */
  readonly source: string;
  /** 1-based line in `source`, where it fits. */
  readonly line?: number;
  /** Whether the tools load it right now; only active signals drive the overall environment. */
  readonly active: boolean;
  /** Every value rules and heuristics look at (name, cluster, server, account, host, database, …). */
  readonly identifiers: readonly string[];
  /** Extra facts to show (namespace, cluster, server, account, mode, …), already masked. */
  readonly details: Readonly<Record<string, string>>;
}

/** A file or value that could not be read or understood; shown to the user, never thrown. */
export interface Problem {
  readonly source: string;
  readonly line?: number;
  readonly message: string;
}

/** The result of one detection pass. */
export interface Detection {
  readonly environment: Environment;
  readonly signals: readonly Signal[];
  readonly problems: readonly Problem[];
}

/** A signal before classification: what a detector found. */
export type RawSignal = Omit<Signal, 'environment' | 'reason'> & {
  /** A detector may fix the environment itself (workspace labels). */
  readonly fixed?: { readonly environment: Environment; readonly reason: Reason };
};

/** Output of a detector: raw signals and problems, plus the files it read or would read (for watchers). */
export interface DetectorResult {
  readonly signals: readonly RawSignal[];
  readonly problems: readonly Problem[];
  /** Files whose change can change this result (including ones that do not exist yet). */
  readonly watched: readonly string[];
}
