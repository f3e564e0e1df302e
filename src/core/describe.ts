import type { Environment, Reason, Signal, SignalKind } from './types';

/** A message formatter: `vscode.l10n.t` in the extension, plain substitution in the CLI. */
export type Translate = (message: string, ...args: Array<string | number>) => string;

/** Substitutes `{0}`, `{1}`… like `vscode.l10n.t` does; the CLI's translator. */
export const plainTranslate: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => String(args[Number(i)] ?? m));

/** `folder/.prodguard.yaml`: enough to tell workspace folders apart without a long absolute path. */
function workspaceFileLabel(file: string | undefined): string {
  if (!file) return '.prodguard.yaml';
  const parts = file.split(/[\\/]/).filter(Boolean);
  return parts.slice(-2).join('/');
}

/** Human text for a reason code. */
export function describeReason(reason: Reason, t: Translate): string {
  switch (reason.code) {
    case 'ruleMatched':
      if (reason.rule.origin.type === 'environment') {
        return t('rule "{0}" in environment variable PRODGUARD_RULES matched "{1}"', reason.rule.match, reason.value);
      }
      return reason.rule.origin.type === 'settings'
        ? t('rule "{0}" in setting prodGuard.rules matched "{1}"', reason.rule.match, reason.value)
        : t('rule "{0}" in {1} matched "{2}"', reason.rule.match, workspaceFileLabel(reason.rule.origin.file), reason.value);
    case 'heuristic':
      return t('name "{0}" contains "{1}"', reason.value, reason.token);
    case 'loopbackHost':
      return t('"{0}" is this machine (loopback)', reason.value);
    case 'workspaceLabel':
      return t('labelled in {0}', reason.file);
    case 'noMatch':
      return t('no rule or built-in name pattern matched');
  }
}

/** Upper-case environment label for the status bar. */
export function environmentLabel(env: Environment, t: Translate): string {
  switch (env) {
    case 'production': return t('PRODUCTION');
    case 'staging': return t('STAGING');
    case 'development': return t('DEVELOPMENT');
    case 'local': return t('LOCAL');
    case 'unknown': return t('UNKNOWN');
  }
}

/** Short prefix for a signal kind (`k8s`, `aws`, `db`, `ws`). */
export const KIND_SHORT: Readonly<Record<SignalKind, string>> = {
  kubernetes: 'k8s', aws: 'aws', gcloud: 'gcp', docker: 'docker', database: 'db', workspace: 'ws', terraform: 'tf',
};

/** A path as a user reads it: relative to a workspace folder, `~/…` under the home folder, else absolute. */
export function shortPath(file: string, home: string, folders: readonly string[]): string {
  const inside = (dir: string): boolean => dir !== '' && (file === dir || file.startsWith(dir.endsWith('/') ? dir : `${dir}/`));
  const folder = folders.filter(inside).sort((a, b) => b.length - a.length)[0];
  if (folder) return file.slice(folder.length).replace(/^\//, '') || file;
  if (inside(home)) return `~${file.slice(home.replace(/\/$/, '').length)}`;
  return file;
}

/** Where a signal comes from, as text: `path:line` or `environment variable X`. */
export function describeSource(signal: Pick<Signal, 'source' | 'line'>, t: Translate): string {
  if (signal.source.startsWith('env:')) return t('environment variable {0}', signal.source.slice(4));
  return signal.line ? `${signal.source}:${signal.line}` : signal.source;
}
