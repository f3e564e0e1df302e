// One explanation of a guard decision, rendered the same way by `prod-guard check`, the refusal message, the
// terminal prompt, the VS Code modal and the audit log.
import { describeReason, type Translate } from '../describe';
import { maskArgv, maskSecrets } from '../mask';
import type { GuardDecision } from './decide';
import type { VerdictCode } from './types';

// Control characters (C0, DEL, C1) in a command or a name could rewrite the terminal line that shows them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A string with control characters shown as `\xNN`, so a prompt cannot be redrawn by what it displays. */
export function visible(s: string): string {
  return s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Quotes an argv for display so spaces, quotes and control characters stay visible (`kubectl delete 'my pod'`). */
export function displayCommand(argv: readonly string[]): string {
  return argv.map((a) => {
    // `***` (a masked secret) stays readable; any other `*` is quoted, as a shell would need it.
    if (/^(?:[\w@%+=:,./-]|\*\*\*)+$/.test(a)) return a;
    CONTROL.lastIndex = 0;
    if (CONTROL.test(a)) return `$'${visible(a.replace(/\\/g, '\\\\').replace(/'/g, "\\'"))}'`;
    return `'${a.replace(/'/g, `'\\''`)}'`;
  }).join(' ');
}

/** The command line as shown anywhere: the tool's secret arguments and every secret spelling masked. */
export function maskedCommand(argv: readonly string[], d?: Pick<GuardDecision, 'secretArgs'>): string {
  return displayCommand(maskArgv(argv, d?.secretArgs ?? [], 1));
}

/** Text for a verdict code, with the verdict's own words in `{0}`. */
function verdictText(code: VerdictCode, t: Translate, what: string): string {
  switch (code) {
    case 'readOnly': return t('read-only: {0}', what);
    case 'harmlessWrite': return t('a write that destroys nothing: {0}', what);
    case 'localOnly': return t('local only, the target is not touched: {0}', what);
    case 'noEffect': return t('no effect on the target: {0}', what);
    case 'destructive': return t('destructive: {0}', what);
    case 'mutating': return t('changes the target: {0}', what);
    case 'unknown': return t('not known to be read-only: {0}', what);
    case 'unparseable': return t('cannot be read as the tool reads it: {0}', what);
    case 'unreadable': return t('cannot be checked: {0}', what);
    case 'tooLarge': return t('too large to check: {0}', what);
    case 'interactive': return t('interactive session: {0}', what);
  }
}

/** The name a person types to confirm: the target's name, else the tool's (an unresolved target has none). */
export function confirmName(d: Pick<GuardDecision, 'target' | 'tool'>): string {
  return d.target?.name || d.tool;
}

/** The explanation's parts; every string is masked. */
export interface Explanation {
  /** The command line, masked. */
  readonly command: string;
  /** What the command does and why that asks (or not): `destructive: DROP TABLE users (line 3 of -f x.sql)`. */
  readonly what: string;
  /** `kubernetes "prod-eu"`. */
  readonly target: string;
  /** Where the target came from: `~/.kube/config:12`, `--context flag`. */
  readonly targetSource: string;
  /** Why the target is production (or why it could not be resolved). */
  readonly why: string;
  /** What to type to confirm. */
  readonly confirmName: string;
}

/** Explains a decision in words; the same text everywhere a decision is shown. */
export function explain(d: GuardDecision, argv: readonly string[], t: Translate): Explanation {
  const v = d.verdict;
  let what = v ? verdictText(v.code, t, v.what) : t('not checked: the target is not production');
  if (v?.statement && v.statement !== v.what) what += ` — ${v.statement}`;
  // A one-line argument needs no line number: `(-c)` says enough; scripts and files get `(line 3 of -f x.sql)`.
  if (v?.line && (v.line > 1 || (v.from && !v.from.startsWith('-')))) {
    what += t(' (line {0} of {1})', v.line, v.from ?? 'the script');
  }
  else if (v?.from) what += ` (${v.from})`;
  if (d.pattern) {
    what = d.pattern.kind === 'allow'
      ? t('allowed by your pattern "{0}" (prodGuard.guard.allow)', d.pattern.pattern)
      : t('destructive by the pattern "{0}" from {1}', d.pattern.pattern, d.pattern.origin);
  }
  const tg = d.target;
  const unresolved = tg?.unresolved;
  const shown = (s: string): string => visible(maskSecrets(s));
  return {
    command: maskedCommand(argv, d),
    what: shown(what),
    target: shown(tg ? `${tg.kind} "${tg.name}"` : t('no target')),
    targetSource: shown(tg ? (tg.line ? `${tg.source}:${tg.line}` : tg.source) : ''),
    why: shown(unresolved
      ? t('the target could not be resolved: {0}', unresolved)
      : `${d.environment === 'production' ? t('production') : d.environment}: ${describeReason(d.reason, t)}`),
    confirmName: visible(confirmName(d)),
  };
}
