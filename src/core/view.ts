import { pathToFileURL } from 'url';
import { severity } from './classify';
import { describeReason, describeSource, environmentLabel, KIND_SHORT, shortPath, type Translate } from './describe';
import type { Detection, Environment, Signal } from './types';

/** Codicon shown for each environment. */
export const ENV_ICON: Readonly<Record<Environment, string>> = {
  production: 'flame', staging: 'warning', development: 'tools', local: 'home', unknown: 'shield',
};

/** What the status bar item shows, computed from a detection without any VS Code API. */
export interface StatusView {
  readonly text: string;
  /** Markdown for the tooltip; every value escaped. */
  readonly tooltip: string;
  /** Theme color id suffix: error (production), warning (staging), none otherwise. */
  readonly background: 'error' | 'warning' | undefined;
  readonly accessibilityLabel: string;
}

/** Escapes Markdown so a context or host name cannot inject formatting or links into the tooltip. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]#!|<>~&$]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Keeps a name such as `$(flame)` from rendering as an icon in the status bar text. */
export function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

/** Active signals first, most severe first, in kind order otherwise (stable). */
export function sortSignals(signals: readonly Signal[]): Signal[] {
  return signals
    .map((s, i) => ({ s, i }))
    .sort((a, b) => Number(b.s.active) - Number(a.s.active) || severity(b.s.environment) - severity(a.s.environment) || a.i - b.i)
    .map((x) => x.s);
}

/** How paths are shortened in the tooltip (`~/.kube/config`, `.env`). */
export interface PathContext {
  readonly home: string;
  readonly folders: readonly string[];
}

/** The status bar item's content: environment and main targets (`$(flame) PRODUCTION · k8s prod-eu · aws prod-admin`). */
export function statusView(detection: Detection | undefined, maxTargets: number, t: Translate, paths: PathContext = { home: '', folders: [] }): StatusView {
  if (!detection) {
    return { text: `$(loading~spin) ${t('Prod Guard')}`, tooltip: t('Prod Guard is checking where your tools point…'), background: undefined, accessibilityLabel: t('Prod Guard: checking') };
  }
  const env = detection.environment;
  const active = sortSignals(detection.signals).filter((s) => s.active);
  // Name the targets that make the environment what it is; when nothing is classified, name what is there.
  const main = env === 'unknown' ? active : active.filter((s) => s.environment === env);
  const shown = main.slice(0, maxTargets).map((s) => `${KIND_SHORT[s.kind]} ${escapeIcons(s.name)}`);
  if (main.length > maxTargets) shown.push(`+${main.length - maxTargets}`);
  const label = environmentLabel(env, t);
  const text = [`$(${ENV_ICON[env]}) ${label}`, ...shown].join(' · ');
  return {
    text,
    tooltip: tooltipMarkdown(detection, t, paths),
    background: env === 'production' ? 'error' : env === 'staging' ? 'warning' : undefined,
    accessibilityLabel: t('Prod Guard: {0}. {1}', label, shown.join(', ')),
  };
}

/** Markdown tooltip: per signal, its environment, its source (a link to the line) and the reason. */
export function tooltipMarkdown(detection: Detection, t: Translate, paths: PathContext = { home: '', folders: [] }): string {
  const lines = [`**${escapeMarkdown(t('Prod Guard'))}: ${escapeMarkdown(environmentLabel(detection.environment, t))}**`];
  const signals = sortSignals(detection.signals);
  if (signals.length === 0) {
    lines.push('', escapeMarkdown(t('No Kubernetes context, AWS profile, connection string or workspace label found.')));
  }
  for (const s of signals) {
    const where = s.source.startsWith('env:')
      ? escapeMarkdown(describeSource(s, t))
      : `[${escapeMarkdown(`${shortPath(s.source, paths.home, paths.folders)}${s.line ? `:${s.line}` : ''}`)}](${pathToFileURL(s.source).href}${s.line ? `#L${s.line}` : ''} "${s.source.replace(/"/g, '')}")`;
    const env = s.active ? s.environment : `${s.environment} (${t('inactive')})`;
    const extra = [s.details.namespace && `ns ${s.details.namespace}`, s.details.account && `account ${s.details.account}`, s.details.activeWhen && t('active when {0}', s.details.activeWhen)]
      .filter(Boolean).join(', ');
    lines.push(
      '',
      `$(${ENV_ICON[s.environment]}) **${escapeMarkdown(`${KIND_SHORT[s.kind]} ${s.name}`)}** — ${escapeMarkdown(env)}${extra ? ` (${escapeMarkdown(extra)})` : ''}  `,
      `${where} · ${escapeMarkdown(describeReason(s.reason, t))}`,
    );
  }
  if (detection.problems.length > 0) {
    lines.push('', `$(warning) ${escapeMarkdown(t('{0} problem(s): see the Prod Guard output', detection.problems.length))}`);
  }
  return lines.join('\n');
}
