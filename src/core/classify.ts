import type { Detection, Environment, Problem, RawSignal, Reason, Signal, SignalKind, SourcedRule } from './types';

const SEVERITY: Record<Environment, number> = { production: 4, staging: 3, development: 2, local: 1, unknown: 0 };

/** How dangerous an environment is: production 4 … local 1, unknown 0. */
export function severity(env: Environment): number {
  return SEVERITY[env];
}

/** The more severe of two environments. */
export function moreSevere(a: Environment, b: Environment): Environment {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

// Tokens are whole words of an identifier, so `nonprod` and `product-analytics` never read as production.
const TOKENS: Readonly<Record<string, Exclude<Environment, 'unknown'>>> = {
  prod: 'production', prd: 'production', production: 'production', live: 'production',
  staging: 'staging', stage: 'staging', stg: 'staging', uat: 'staging', preprod: 'staging', qa: 'staging',
  dev: 'development', development: 'development', test: 'development', sandbox: 'development',
  local: 'local', localhost: 'local', minikube: 'local', orbstack: 'local',
};

// Whole names (or prefixes) that only local clusters use.
const LOCAL_NAMES = new Set(['docker-desktop', 'docker-for-desktop', 'rancher-desktop', 'minikube', 'orbstack']);
const LOCAL_PREFIXES = ['kind-', 'k3d-'];

/** The hostname inside a URL-ish identifier (`https://h:6443/x`, `h:5432`), or the identifier itself. */
function hostOf(value: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:?#,]+)/i.exec(value);
  const host = m ? m[1] : value;
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Whether a host name or URL points at this machine. */
export function isLoopback(value: string): boolean {
  const host = hostOf(value);
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Built-in heuristic for one identifier: the most severe token, or a local cluster name. */
export function heuristic(value: string): { environment: Exclude<Environment, 'unknown'>; reason: Reason } | undefined {
  const lower = value.toLowerCase();
  let best: { environment: Exclude<Environment, 'unknown'>; reason: Reason } | undefined;
  // Letters and digits are split too: `pg-prod01`, `db-prd2` and `app_production2` name production.
  for (const token of lower.split(/[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/)) {
    const env = TOKENS[token];
    if (env && (!best || SEVERITY[env] > SEVERITY[best.environment])) {
      best = { environment: env, reason: { code: 'heuristic', token, value } };
    }
  }
  if (best) return best;
  if (LOCAL_NAMES.has(lower)) return { environment: 'local', reason: { code: 'heuristic', token: lower, value } };
  const prefix = LOCAL_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix) return { environment: 'local', reason: { code: 'heuristic', token: prefix + '*', value } };
  if (isLoopback(value)) return { environment: 'local', reason: { code: 'loopbackHost', value } };
  return undefined;
}

/** Longest identifier and pattern the matcher looks at: config values, never documents. */
const MAX_GLOB_INPUT = 4096;

/** Expands `{a,b}` alternatives (nested too), at most 64 of them: rules are short. */
function expandBraces(glob: string, budget = { left: 64 }): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') i++;
    else if (c === '{' && depth++ === 0) open = i;
    else if (c === '}' && depth > 0 && --depth === 0) {
      const inner = glob.slice(open + 1, i);
      const parts: string[] = [];
      let d = 0;
      let start = 0;
      for (let j = 0; j < inner.length; j++) {
        if (inner[j] === '\\') j++;
        else if (inner[j] === '{') d++;
        else if (inner[j] === '}') d--;
        else if (inner[j] === ',' && d === 0) {
          parts.push(inner.slice(start, j));
          start = j + 1;
        }
      }
      parts.push(inner.slice(start));
      if (parts.length < 2) continue; // `{x}` is literal, as in minimatch
      const out: string[] = [];
      for (const p of parts) {
        for (const e of expandBraces(glob.slice(0, open) + p + glob.slice(i + 1), budget)) {
          if (budget.left-- <= 0) return out.length ? out : [glob];
          out.push(e);
        }
      }
      return out;
    }
  }
  return [glob];
}

/** One pattern element: a literal character, `?`, `*`, or a `[…]` class. */
type Elem = { t: 'lit'; c: string } | { t: 'any' } | { t: 'star' } | { t: 'class'; neg: boolean; test: (c: string) => boolean };

function compile(glob: string): Elem[] {
  const out: Elem[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) out.push({ t: 'lit', c: glob[++i] });
    else if (c === '*') {
      if (out[out.length - 1]?.t !== 'star') out.push({ t: 'star' }); // `**` is `*`: identifiers are not paths
    } else if (c === '?') out.push({ t: 'any' });
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out.push({ t: 'lit', c });
        continue;
      }
      let body = glob.slice(i + 1, close);
      const neg = body.startsWith('!') || body.startsWith('^');
      if (neg) body = body.slice(1);
      const ranges: Array<[string, string]> = [];
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          ranges.push([body[j], body[j + 2]]);
          j += 2;
        } else ranges.push([body[j], body[j]]);
      }
      out.push({ t: 'class', neg, test: (ch) => ranges.some(([a, b]) => ch >= a && ch <= b) });
      i = close;
    } else out.push({ t: 'lit', c });
  }
  return out;
}

/** Wildcard match with the classic single-backtrack algorithm: O(n·m), never exponential. */
function wildcard(p: Elem[], s: string): boolean {
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  const one = (e: Elem, ch: string): boolean =>
    e.t === 'any' || (e.t === 'lit' && e.c === ch) || (e.t === 'class' && e.test(ch) !== e.neg);
  while (si < s.length) {
    const e = p[pi];
    if (e && e.t !== 'star' && one(e, s[si])) {
      pi++;
      si++;
    } else if (e?.t === 'star') {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else return false;
  }
  while (p[pi]?.t === 'star') pi++;
  return pi === p.length;
}

/**
 * Whether an anchored glob matches a value, case-insensitive: `*` (any run, also across `/` and dots, so
 * `*prod*` matches a server URL), `?`, `[a-z]`/`[!x]` classes and `{a,b}` alternatives. A linear-time matcher
 * of our own: a repository's `.prodguard.yaml` must not be able to stall every decision with a pathological
 * pattern (minimatch backtracks exponentially on `*a*a*a*…b`).
 */
export function globMatches(glob: string, value: string): boolean {
  if (glob.length > 256 || value.length > MAX_GLOB_INPUT) return false;
  const v = value.toLowerCase();
  return expandBraces(glob.toLowerCase()).some((g) => wildcard(compile(g), v));
}

/**
 * Classifies one signal's identifiers. The user's own rules (settings) come first and decide either way: the
 * first that matches wins. Otherwise the most severe of the heuristics and of every rule from a repository
 * (`.prodguard.yaml`) or the environment (`PRODGUARD_RULES`) that matches: those can raise, never lower — not
 * the heuristics, and not each other (a nested file's `*: development` cannot undo a parent's production).
 */
export function classify(
  identifiers: readonly string[],
  kind: SignalKind,
  rules: readonly SourcedRule[],
): { environment: Environment; reason: Reason } {
  const applies = (rule: SourcedRule): string | undefined =>
    rule.kind && rule.kind !== kind ? undefined : identifiers.find((id) => globMatches(rule.match, id));
  for (const rule of rules) {
    if (rule.origin.type !== 'settings') continue;
    const value = applies(rule);
    if (value !== undefined) return { environment: rule.environment, reason: { code: 'ruleMatched', rule, value } };
  }
  let best: { environment: Environment; reason: Reason } | undefined;
  for (const id of identifiers) {
    const h = heuristic(id);
    if (h && (!best || SEVERITY[h.environment] > SEVERITY[best.environment])) best = h;
  }
  for (const rule of rules) {
    if (rule.origin.type === 'settings' || (best && SEVERITY[rule.environment] <= SEVERITY[best.environment])) continue;
    const value = applies(rule);
    if (value !== undefined) best = { environment: rule.environment, reason: { code: 'ruleMatched', rule, value } };
  }
  return best ?? { environment: 'unknown', reason: { code: 'noMatch' } };
}

/** Classifies raw signals and computes the overall environment: the most severe active signal. */
export function buildDetection(
  raw: readonly RawSignal[],
  rules: readonly SourcedRule[],
  problems: readonly Problem[],
): Detection {
  const signals: Signal[] = raw.map((r) => {
    const { fixed, ...rest } = r;
    const c = fixed ?? classify(r.identifiers, r.kind, rules);
    return { ...rest, environment: c.environment, reason: c.reason };
  });
  let environment: Environment = 'unknown';
  for (const s of signals) if (s.active) environment = moreSevere(environment, s.environment);
  return { environment, signals, problems };
}
