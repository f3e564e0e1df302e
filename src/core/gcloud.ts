// The Google Cloud CLI's active configuration, read as gcloud reads it: the configuration named by
// CLOUDSDK_ACTIVE_CONFIG_NAME, else by the `active_config` file of the config folder (CLOUDSDK_CONFIG, else
// ~/.config/gcloud), else `default`; its `[core] project` and `account` from `configurations/config_NAME` (an INI
// file read by Python's configparser), overridden by CLOUDSDK_CORE_PROJECT / CLOUDSDK_CORE_ACCOUNT. Checked
// against the real gcloud in test/system/gcloud-real.test.ts.
import * as path from 'path';
import type { Files } from './files';
import { parseIni } from './ini';
import type { DetectorResult, Problem, RawSignal } from './types';

/** gcloud's rule for configuration names (`gcloud config configurations create`): lower case, digits, `-`. */
const CONFIG_NAME = /^[a-z][-a-z0-9]*$/;

/** The gcloud config folder: `CLOUDSDK_CONFIG`, else `~/.config/gcloud`. */
export function gcloudConfigDir(env: NodeJS.ProcessEnv, home: string): string {
  const dir = env.CLOUDSDK_CONFIG?.trim();
  if (dir) return path.resolve(dir.startsWith('~/') ? path.join(home, dir.slice(2)) : dir);
  return path.join(home, '.config', 'gcloud');
}

/** The file that names the active configuration: watched before the first read. */
export function gcloudPaths(env: NodeJS.ProcessEnv, home: string): string[] {
  return [path.join(gcloudConfigDir(env, home), 'active_config')];
}

/**
 * Which configuration is active and what named it: `CLOUDSDK_ACTIVE_CONFIG_NAME`, else the `active_config` file,
 * both taken exactly as gcloud takes them — not trimmed (a trailing newline names a configuration that does not
 * exist, and gcloud then runs with no project: said as a problem, no signal) — else `default`.
 */
export function activeGcloudConfig(env: NodeJS.ProcessEnv, home: string, files: Files):
  { name: string; source: string; named: boolean } | { problem: Problem } {
  const file = path.join(gcloudConfigDir(env, home), 'active_config');
  let name = env.CLOUDSDK_ACTIVE_CONFIG_NAME;
  let source = 'env:CLOUDSDK_ACTIVE_CONFIG_NAME';
  if (!name) {
    const r = files.readText(file, 4096);
    if (r.ok) {
      name = r.text;
      source = file;
    } else if (!r.missing) {
      return { problem: { source: file, message: r.message } };
    }
  }
  if (!name) return { name: 'default', source: file, named: false };
  if (!CONFIG_NAME.test(name)) {
    return { problem: { source, ...(source === file ? { line: 1 } : {}),
      message: `${JSON.stringify(name.slice(0, 80))} is not a gcloud configuration name: gcloud runs with no project set` } };
  }
  return { name, source, named: true };
}

/** Detects the active gcloud configuration, its project and account. */
export function detectGcloud(env: NodeJS.ProcessEnv, home: string, files: Files): DetectorResult {
  const active = activeGcloudConfig(env, home, files);
  if ('problem' in active) return { signals: [], problems: [active.problem], watched: gcloudPaths(env, home) };
  // With no active configuration named anywhere, gcloud's next run creates `active_config` (default) and
  // rewrites `config_default` from the legacy `properties` file (empty without one): that file is what counts.
  const dir = gcloudConfigDir(env, home);
  const configFile = active.named ? path.join(dir, 'configurations', `config_${active.name}`) : path.join(dir, 'properties');
  const watched = [path.join(dir, 'active_config'), configFile];
  const problems: Problem[] = [];
  let project: { value: string; source: string; line?: number } | undefined;
  let account: string | undefined;
  const r = files.readText(configFile, 256 * 1024);
  if (r.ok) {
    const ini = parseIni(r.text);
    if (ini.errors.length > 0) {
      // gcloud refuses such a file too.
      for (const e of ini.errors) problems.push({ source: configFile, line: e.line, message: e.message });
    } else {
      const core = ini.sections.find((s) => s.name === 'core');
      const p = core?.values.get('project');
      if (p?.value.trim()) project = { value: p.value.trim(), source: configFile, line: p.line };
      account = core?.values.get('account')?.value.trim() || undefined;
    }
  } else if (!r.missing) {
    problems.push({ source: configFile, message: r.message });
  } else if (active.named && active.name !== 'default') {
    problems.push({ source: active.source, ...(active.source.startsWith('env:') ? {} : { line: 1 }),
      message: `gcloud configuration "${active.name}" does not exist (no ${configFile})` });
  }
  const envProject = env.CLOUDSDK_CORE_PROJECT;
  if (envProject) project = { value: envProject, source: 'env:CLOUDSDK_CORE_PROJECT' };
  account = env.CLOUDSDK_CORE_ACCOUNT || account;
  const signals: RawSignal[] = [];
  // A configuration with neither a project nor an account points at nothing (the empty `default` gcloud
  // creates on its first run).
  if (project || account) {
    const details: Record<string, string> = { configuration: active.name };
    if (project) details.project = project.value;
    if (account) details.account = account;
    if (active.named) details.configurationFrom = active.source;
    signals.push({
      kind: 'gcloud',
      name: project?.value ?? active.name,
      source: project?.source ?? (r.ok ? configFile : active.source),
      ...(project?.line ? { line: project.line } : {}),
      active: true,
      identifiers: [...new Set([active.name, ...(project ? [project.value] : []), ...(account ? [account] : [])])],
      details,
    });
  }
  return { signals, problems, watched };
}
