import * as path from 'path';
import type { Files } from './files';
import { parseIni } from './ini';
import type { DetectorResult, Problem, RawSignal } from './types';

/** Environment variables that name the active AWS profile, in the order they win. */
export const AWS_PROFILE_VARS = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_VAULT', 'AWSUME_PROFILE'] as const;

/** The active profile name and which variable set it (`undefined`: the implicit `default`). */
export function activeAwsProfile(env: NodeJS.ProcessEnv): { name: string; variable?: string } {
  for (const v of AWS_PROFILE_VARS) {
    const value = env[v]?.trim();
    if (value) return { name: value, variable: v };
  }
  return { name: 'default' };
}

/** The shared config and credentials file paths, honouring `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`. */
export function awsPaths(env: NodeJS.ProcessEnv, home: string): { config: string; credentials: string } {
  const expand = (p: string): string => path.resolve(p.startsWith('~/') ? path.join(home, p.slice(2)) : p);
  return {
    config: env.AWS_CONFIG_FILE?.trim() ? expand(env.AWS_CONFIG_FILE.trim()) : path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE?.trim()
      ? expand(env.AWS_SHARED_CREDENTIALS_FILE.trim())
      : path.join(home, '.aws', 'credentials'),
  };
}

/** The 12-digit account id inside an ARN such as `arn:aws:iam::123456789012:role/Admin`. */
export function accountFromArn(arn: string): string | undefined {
  return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/** Detects the active AWS profile, its account id and role from the environment and the shared files. */
export function detectAws(env: NodeJS.ProcessEnv, home: string, files: Files): DetectorResult {
  const paths = awsPaths(env, home);
  const profile = activeAwsProfile(env);
  const problems: Problem[] = [];
  let found: { file: string; line: number } | undefined;
  const values = new Map<string, string>();
  // The config file says `[profile x]` (but `[default]`); the credentials file says `[x]`.
  for (const [file, header] of [
    [paths.config, profile.name === 'default' ? 'default' : `profile ${profile.name}`],
    [paths.credentials, profile.name],
  ] as const) {
    const r = files.readText(file);
    if (!r.ok) {
      if (!r.missing) problems.push({ source: file, message: `AWS file ${r.message}` });
      continue;
    }
    const parsed = parseIni(r.text);
    for (const e of parsed.errors) problems.push({ source: file, line: e.line, message: `AWS file: ${e.message}` });
    const section = parsed.sections.find((s) => s.name.replace(/\s+/g, ' ') === header)
      ?? (file === paths.config && profile.name === 'default' ? parsed.sections.find((s) => s.name === 'profile default') : undefined);
    if (!section) continue;
    found ??= { file, line: section.line };
    for (const key of ['sso_account_id', 'role_arn', 'region', 'sso_role_name', 'source_profile']) {
      const v = section.values.get(key);
      if (v && !values.has(key)) values.set(key, v.value);
    }
  }
  const signals: RawSignal[] = [];
  const grantedAccount = env.GRANTED_SSO_ACCOUNT_ID?.trim();
  if (found || profile.variable) {
    const roleArn = values.get('role_arn');
    const account = grantedAccount || values.get('sso_account_id') || (roleArn ? accountFromArn(roleArn) : undefined);
    const details: Record<string, string> = {};
    if (account) details.account = account;
    if (roleArn) details.roleArn = roleArn;
    const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || values.get('region');
    if (region) details.region = region;
    if (profile.variable) details.setBy = profile.variable;
    if (!found) {
      problems.push({ source: `env:${profile.variable}`, message: `AWS profile "${profile.name}" (from ${profile.variable}) is not defined in ${paths.config} or ${paths.credentials}; classified by its name only` });
    }
    signals.push({
      kind: 'aws',
      name: profile.name,
      source: found?.file ?? `env:${profile.variable}`,
      line: found?.line,
      active: true,
      identifiers: [profile.name, account, roleArn].filter((x): x is string => !!x),
      details,
    });
  }
  return { signals, problems, watched: [paths.config, paths.credentials] };
}
