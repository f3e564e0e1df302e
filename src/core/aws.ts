import * as path from 'path';
import type { Files } from './files';
import { parseIni, shlexSplit, type IniFile } from './ini';
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
  // The same reading as the CLI's (and the guard's): configparser rules, the last section of a profile wins,
  // the credentials file overrides the config file.
  const look = findAwsProfile(profile.name, env, home, files);
  const problems: Problem[] = [...look.problems];
  const found = look.found;
  const values = look.values;
  const signals: RawSignal[] = [];
  const grantedAccount = env.GRANTED_SSO_ACCOUNT_ID?.trim();
  if (found || profile.variable) {
    // Without static keys in the environment, a web identity role from the environment may replace the profile's.
    const web = env.AWS_ACCESS_KEY_ID ? undefined : webIdentityRole(values, env);
    const envRole = web?.viaEnv ? web.roleArn : undefined;
    const roleArn = envRole || values.get('role_arn');
    const account = grantedAccount || (envRole ? accountFromArn(envRole) : undefined)
      || values.get('sso_account_id') || (roleArn ? accountFromArn(roleArn) : undefined);
    const details: Record<string, string> = {};
    if (account) details.account = account;
    if (roleArn) details.roleArn = roleArn;
    const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || values.get('region');
    if (region) details.region = region;
    if (profile.variable) details.setBy = profile.variable;
    if (!found) {
      const message = `AWS profile "${profile.name}" (from ${profile.variable}) is not defined in ${paths.config} or `
        + `${paths.credentials}; classified by its name only`;
      problems.push({ source: `env:${profile.variable}`, message });
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
  /** The section in effect (the config file's last one for the profile, else the credentials file's). */
  readonly found?: { readonly file: string; readonly line: number };
  /** The profile's keys as botocore merges them: config file section, then the credentials file's on top. */
  readonly values: ReadonlyMap<string, string>;
  readonly problems: readonly Problem[];
  /** A file that exists but could not be read, or that the CLI refuses to parse: the profile may differ. */
  readonly unreadable?: string;
}

/** The profile name a config-file section header defines, as botocore reads it (`profile "a b"`, `default`). */
function configSectionProfile(header: string): string | undefined {
  if (header === 'default') return 'default';
  if (!header.startsWith('profile')) return undefined;
  // botocore splits the header with shlex (an open quote skips the section): exactly two words.
  const parts = shlexSplit(header);
  return parts?.length === 2 ? parts[1] : undefined;
}

/**
 * botocore's `_parse_nested`: a value that starts on the next line (`s3 =\n  max_concurrency = 4`) is read as
 * `key = value` lines, and one without `=` makes the CLI refuse the file (`role_arn =\n  arn:aws:…`).
 */
function nestedValueError(parsed: IniFile): { line: number; message: string } | undefined {
  if (!parsed.sections.length) return undefined;
  for (const values of [parsed.defaults, ...parsed.sections.map((s) => s.values)]) {
    for (const [key, v] of values) {
      if (!v.value.startsWith('\n')) continue;
      if (v.value.split('\n').some((l) => l.trim() !== '' && !l.includes('='))) {
        return { line: v.line, message: `"${key}" continues on lines that are not "name = value"` };
      }
    }
  }
  return undefined;
}

/**
 * Looks a named profile up in the shared config (`[profile x]`, `[default]`) and credentials (`[x]`) files,
 * honouring `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, as botocore does: configparser's rules (keys
 * indented under the header, `key: value`, `[DEFAULT]`), the last config section naming the profile replaces
 * earlier ones (`[profile dev]` then `[profile "dev"]`), the credentials file's keys override. Never throws.
 */
export function findAwsProfile(name: string, env: NodeJS.ProcessEnv, home: string, files: Files): AwsProfileLookup {
  const paths = awsPaths(env, home);
  const problems: Problem[] = [];
  let values = new Map<string, string>();
  let found: { file: string; line: number } | undefined;
  let unreadable: string | undefined;
  for (const file of [paths.config, paths.credentials]) {
    const r = files.readText(file);
    if (!r.ok) {
      if (!r.missing) problems.push({ source: file, message: `AWS file ${r.message}` });
      // botocore skips what is not a regular file (`os.path.isfile`) and configparser what it cannot open: the
      // CLI reads those as absent. A file too large or binary for the guard is read by the CLI.
      if (!r.missing && !/^(is a directory|is not a regular file|permission denied)/.test(r.message)) {
        unreadable ??= `${file} (it ${r.message})`;
      }
      continue;
    }
    const parsed = parseIni(r.text);
    for (const e of parsed.errors) problems.push({ source: file, line: e.line, message: `AWS file: ${e.message}` });
    const e = parsed.errors[0] ?? nestedValueError(parsed);
    if (e) {
      if (!parsed.errors.length) problems.push({ source: file, line: e.line, message: `AWS file: ${e.message}` });
      unreadable ??= `${file} (it cannot be parsed, line ${e.line}: ${e.message}; the AWS CLI refuses to run)`;
    }
    const config = file === paths.config;
    for (const section of parsed.sections) {
      if ((config ? configSectionProfile(section.name) : section.name) !== name) continue;
      // configparser gives every section the [DEFAULT] keys it lacks.
      const merged = new Map<string, string>();
      for (const [k, v] of parsed.defaults) merged.set(k, v.value);
      for (const [k, v] of section.values) merged.set(k, v.value);
      if (config) {
        values = merged;
        found = { file, line: section.line };
      } else {
        for (const [k, v] of merged) values.set(k, v);
        found ??= { file, line: section.line };
      }
    }
  }
  return { found, values, problems, unreadable };
}

/**
 * The role botocore's web identity provider would assume, when it is the one that runs: no `role_arn` of the
 * profile's own (without `web_identity_token_file`, botocore's assume-role provider comes first) and a token
 * file from AWS_WEB_IDENTITY_TOKEN_FILE or the profile. `env` is undefined when `--profile` disables the
 * variables. `roleArn` is empty when the CLI would stop (a token without a role); `viaEnv` says whether a
 * variable (the token file or AWS_ROLE_ARN) took part.
 */
export function webIdentityRole(values: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv | undefined):
  { roleArn: string; viaEnv: boolean } | undefined {
  if (values.get('role_arn') !== undefined && values.get('web_identity_token_file') === undefined) return undefined;
  // botocore tests `key in os.environ`: a variable set to "" still replaces the profile's value.
  const vars = env ?? {};
  const tokenFromEnv = 'AWS_WEB_IDENTITY_TOKEN_FILE' in vars;
  const token = tokenFromEnv ? vars.AWS_WEB_IDENTITY_TOKEN_FILE : values.get('web_identity_token_file');
  if (!token) return undefined;
  const roleFromEnv = 'AWS_ROLE_ARN' in vars;
  const roleArn = (roleFromEnv ? vars.AWS_ROLE_ARN : values.get('role_arn')) ?? '';
  return { roleArn, viaEnv: tokenFromEnv || roleFromEnv };
}
