import { minimatch } from 'minimatch';
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
  for (const token of lower.split(/[^a-z0-9]+/)) {
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

const SLASH = '\u2215';

/** Whether an anchored glob matches a value (case-insensitive, `*` may span `/` and dots). */
export function globMatches(glob: string, value: string): boolean {
  // Identifiers are not paths: `/` is swapped for a look-alike so `*prod*` also matches a server URL.
  return minimatch(value.replace(/\//g, SLASH), glob.replace(/\//g, SLASH), { nocase: true, dot: true });
}

/**
 * Classifies one signal's identifiers: rules in order (first match wins), then the most severe heuristic.
 * Workspace rules (`.prodguard.yaml`) can only raise what the heuristics say.
 */
export function classify(
  identifiers: readonly string[],
  kind: SignalKind,
  rules: readonly SourcedRule[],
): { environment: Environment; reason: Reason } {
  let best: { environment: Environment; reason: Reason } | undefined;
  for (const id of identifiers) {
    const h = heuristic(id);
    if (h && (!best || SEVERITY[h.environment] > SEVERITY[best.environment])) best = h;
  }
  for (const rule of rules) {
    if (rule.kind && rule.kind !== kind) continue;
    const value = identifiers.find((id) => globMatches(rule.match, id));
    if (value === undefined) continue;
    // A repository's own file may raise the environment, never lower it: a cloned repo cannot call prod "dev".
    if (rule.origin.type === 'workspace' && best && SEVERITY[best.environment] > SEVERITY[rule.environment]) return best;
    return { environment: rule.environment, reason: { code: 'ruleMatched', rule, value } };
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
