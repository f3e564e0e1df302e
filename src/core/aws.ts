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

/** One profile as the AWS CLI reads it from the shared config and credentials files. */
export interface AwsProfileLookup {
  /** Where the profile's section is (config file first, as the CLI reports it), if it exists. */
  readonly found?: { readonly file: string; readonly line: number };
  /** Keys of the profile's sections (config file values first, credentials file values fill the gaps). */
  readonly values: ReadonlyMap<string, string>;
  readonly problems: readonly Problem[];
  /** A file that exists but could not be read: the profile may be defined there. */
  readonly unreadable?: string;
}

/** The profile name a config-file section header defines, as botocore reads it (`profile "a b"`, `default`). */
function configSectionProfile(header: string): string | undefined {
  if (header === 'default') return 'default';
  if (!header.startsWith('profile')) return undefined;
  // botocore splits the header with shlex: exactly two words, quotes allowed.
  const parts: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(header); m; m = re.exec(header)) parts.push(m[1] ?? m[2] ?? m[3]);
  return parts.length === 2 && parts[0] === 'profile' ? parts[1] : undefined;
}

/**
 * Looks a named profile up in the shared config (`[profile x]`, `[default]`) and credentials (`[x]`) files,
 * honouring `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`. Never throws.
 */
export function findAwsProfile(name: string, env: NodeJS.ProcessEnv, home: string, files: Files): AwsProfileLookup {
  const paths = awsPaths(env, home);
  const problems: Problem[] = [];
  const values = new Map<string, string>();
  let found: { file: string; line: number } | undefined;
  let unreadable: string | undefined;
  for (const file of [paths.config, paths.credentials]) {
    const r = files.readText(file);
    if (!r.ok) {
      if (!r.missing) {
        problems.push({ source: file, message: `AWS file ${r.message}` });
        unreadable ??= `${file} ${r.message}`;
      }
      continue;
    }
    const parsed = parseIni(r.text);
    for (const e of parsed.errors) problems.push({ source: file, line: e.line, message: `AWS file: ${e.message}` });
    const profileOf = (h: string): string | undefined => (file === paths.config ? configSectionProfile(h) : h);
    const matches = parsed.sections.filter((s) => profileOf(s.name) === name);
    for (const section of matches) {
      found ??= { file, line: section.line };
      for (const [key, v] of section.values) if (!values.has(key)) values.set(key, v.value);
    }
  }
  return { found, values, problems, unreadable };
}
