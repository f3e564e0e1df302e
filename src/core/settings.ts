import type { Rule, SignalKind } from './types';
import { SIGNAL_KINDS } from './types';

/** Extra destructive patterns and allowed ones, per tool: words that must appear in order in the command. */
export interface GuardPatterns {
  /** tool → patterns (`kubectl: ["port-forward", "rollout pause"]`) that need a confirmation in production. */
  destructive: Record<string, string[]>;
  /** tool → patterns never to confirm (`kubectl: ["exec"]`); only from user settings. */
  allow: Record<string, string[]>;
}

/** Validates `{destructive: {tool: [patterns]}, allow: {…}}`; returns a message when unusable. */
export function sanitizeGuardPatterns(value: unknown): GuardPatterns | string {
  if (value === undefined || value === null) return { destructive: {}, allow: {} };
  if (typeof value !== 'object' || Array.isArray(value)) return '"guard" must be a mapping with "destructive" and/or "allow"';
  const out: GuardPatterns = { destructive: {}, allow: {} };
  for (const key of ['destructive', 'allow'] as const) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `"guard.${key}" must map a tool name to a list of patterns`;
    for (const [tool, list] of Object.entries(v)) {
      if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p.trim() === '')) return `"guard.${key}.${tool}" must be a list of non-empty strings`;
      out[key][tool] = (list as string[]).map((p) => p.trim().toLowerCase());
    }
  }
  return out;
}

/** Every `prodGuard.*` setting, sanitized. */
export interface Settings {
  /** Classification rules (first match wins, before workspace rules and heuristics). */
  readonly rules: readonly Rule[];
  /** Extra globs, relative to each workspace folder, the connection-string scan skips (merged with `files.exclude`). */
  readonly scanExclude: readonly string[];
  /** Files larger than this many KiB are not read. */
  readonly maxFileSizeKb: number;
  /** Show a one-time warning when the overall environment becomes production. */
  readonly notifyOnProduction: boolean;
  /** How many targets the status bar names before `+N`. */
  readonly statusBarMaxTargets: number;
  /** User-level extra destructive and allowed command patterns. */
  readonly guard: GuardPatterns;
}

/** Defaults used for anything missing or invalid. */
export const DEFAULT_SETTINGS: Settings = {
  rules: [],
  scanExclude: [],
  maxFileSizeKb: 512,
  notifyOnProduction: true,
  statusBarMaxTargets: 2,
  guard: { destructive: {}, allow: {} },
};

const RULE_ENVS = new Set(['production', 'staging', 'development', 'local']);

/** Validates one rule object; returns a message when it is unusable. */
export function sanitizeRule(value: unknown): Rule | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a rule must be a mapping with "match" and "environment"';
  const v = value as Record<string, unknown>;
  if (typeof v.match !== 'string' || v.match.trim() === '') return 'a rule needs a non-empty "match" glob';
  if (typeof v.environment !== 'string' || !RULE_ENVS.has(v.environment)) {
    return `rule "${v.match}": "environment" must be one of production, staging, development, local`;
  }
  if (v.kind !== undefined && (typeof v.kind !== 'string' || !SIGNAL_KINDS.includes(v.kind as SignalKind))) {
    return `rule "${v.match}": "kind" must be one of ${SIGNAL_KINDS.join(', ')}`;
  }
  return { match: v.match.trim(), environment: v.environment as Rule['environment'], ...(v.kind ? { kind: v.kind as SignalKind } : {}) };
}

/** Builds `Settings` from whatever the configuration holds: bad values fall back to defaults, with messages. */
export function sanitizeSettings(get: (key: string) => unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const rules: Rule[] = [];
  const rawRules = get('rules');
  if (Array.isArray(rawRules)) {
    for (const r of rawRules) {
      const s = sanitizeRule(r);
      if (typeof s === 'string') problems.push(`prodGuard.rules: ${s}`);
      else rules.push(s);
    }
  } else if (rawRules !== undefined && rawRules !== null) {
    problems.push('prodGuard.rules must be an array');
  }
  const excl = get('scan.exclude');
  const scanExclude = Array.isArray(excl) ? excl.filter((g): g is string => typeof g === 'string') : [];
  const size = get('scan.maxFileSizeKb');
  const maxFileSizeKb = typeof size === 'number' && size >= 1 && size <= 65536 ? Math.floor(size) : DEFAULT_SETTINGS.maxFileSizeKb;
  const notify = get('notifyOnProduction');
  const guardRaw = { destructive: get('guard.destructive') ?? undefined, allow: get('guard.allow') ?? undefined };
  const guard = sanitizeGuardPatterns(guardRaw);
  if (typeof guard === 'string') problems.push(`prodGuard.guard: ${guard}`);
  const max = get('statusBar.maxTargets');
  return {
    settings: {
      rules,
      scanExclude,
      maxFileSizeKb,
      notifyOnProduction: typeof notify === 'boolean' ? notify : DEFAULT_SETTINGS.notifyOnProduction,
      statusBarMaxTargets: typeof max === 'number' && max >= 0 && max <= 10 ? Math.floor(max) : DEFAULT_SETTINGS.statusBarMaxTargets,
      guard: typeof guard === 'string' ? DEFAULT_SETTINGS.guard : guard,
    },
    problems,
  };
}
