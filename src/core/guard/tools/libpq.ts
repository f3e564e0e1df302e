// Where a PostgreSQL client connects, resolved as libpq resolves it (PostgreSQL 15, libpq/fe-connect.c):
// the keyword array in the client's order (host, port, user, then dbname — a connection string in dbname is
// expanded there and overrides the flags before it), then the service file entry for what is still unset,
// then the PG* environment variables, then the defaults (the Unix socket). `psql -h dev-db "host=prod-db"`
// connects to prod-db.
import * as path from 'path';
import type { Files } from '../../files';
import type { GuardTarget } from '../types';

/** The connection parameters that decide where a client goes. */
export type PgKey = 'host' | 'hostaddr' | 'port' | 'user' | 'dbname' | 'service';

const KEYS: ReadonlySet<string> = new Set(['host', 'hostaddr', 'port', 'user', 'dbname', 'service', 'options']);

/** libpq's keywords, so a service file line with another keyword is still valid (and one with a typo is not). */
const LIBPQ_KEYWORDS = new Set(['host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'passfile', 'channel_binding',
  'connect_timeout', 'client_encoding', 'options', 'application_name', 'fallback_application_name', 'keepalives',
  'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'replication', 'gssencmode',
  'sslmode', 'requiressl', 'sslcompression', 'sslcert', 'sslkey', 'sslpassword', 'sslrootcert', 'sslcrl', 'sslcrldir',
  'sslsni', 'requirepeer', 'ssl_min_protocol_version', 'ssl_max_protocol_version', 'krbsrvname', 'gsslib',
  'target_session_attrs', 'load_balance_hosts', 'service']);

/** Where each parameter came from, for the decision's explanation. */
interface Sourced {
  readonly value: string;
  readonly source: string;
  readonly line?: number;
}

/** A keyword of the client's array, in order: flags, then the dbname argument (expanded when a conninfo/URI). */
export interface PgArg {
  readonly key: PgKey;
  readonly value: string | undefined;
  /** How the user gave it: `-h flag`, `dbname argument`. */
  readonly source: string;
  /** Expand `value` as a connection string when it looks like one (psql's `dbname`, `--maintenance-db`). */
  readonly expand?: boolean;
}

/** Whether libpq reads a dbname value as a connection string: it has `=` or a URI scheme. */
export function isConnString(v: string): boolean {
  return v.includes('=') || /^postgres(?:ql)?:\/\//.test(v);
}

/** Parses `key=value key2='quoted \' value'` as libpq does; throws with libpq's message on bad syntax. */
export function parseConninfo(s: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  const n = s.length;
  const space = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
  while (i < n) {
    while (i < n && space(s[i])) i++;
    if (i >= n) break;
    const ks = i;
    while (i < n && s[i] !== '=' && !space(s[i])) i++;
    const key = s.slice(ks, i);
    while (i < n && space(s[i])) i++;
    if (s[i] !== '=') throw new Error('missing "=" in the connection string');
    i++;
    while (i < n && space(s[i])) i++;
    let value = '';
    if (s[i] === "'") {
      i++;
      for (;;) {
        if (i >= n) throw new Error('unterminated quoted string in connection info string');
        if (s[i] === '\\' && i + 1 < n) {
          value += s[i + 1];
          i += 2;
        } else if (s[i] === "'") {
          i++;
          break;
        } else value += s[i++];
      }
    } else {
      while (i < n && !space(s[i])) {
        if (s[i] === '\\' && i + 1 < n) {
          value += s[i + 1];
          i += 2;
        } else value += s[i++];
      }
    }
    if (!LIBPQ_KEYWORDS.has(key)) throw new Error('invalid connection option in the connection string');
    out.push([key, value]);
  }
  return out;
}

/** Percent-decoding as libpq does it: byte by byte (`%FF` is a byte, not an error); only `%00` is refused. */
function pctDecode(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex) || hex === '00') throw new Error('invalid percent-encoding in the connection URI');
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** An `@` libpq did not read as the end of the user part: the text around it is likely a password. */
export class AmbiguousAtError extends Error {
  constructor(readonly after: string) {
    super('the connection URI has an "@" libpq does not read as the end of the user name '
      + '(a password with "@" or "/"?)');
  }
}

/** Parses `postgresql://user:pw@host1:5432,host2/db?key=value` as libpq's conninfo_uri_parse does. */
export function parseConnUri(uri: string): Array<[string, string]> {
  const m = /^postgres(?:ql)?:\/\//.exec(uri);
  if (!m) throw new Error('not a PostgreSQL URI');
  let rest = uri.slice(m[0].length);
  const out: Array<[string, string]> = [];
  // libpq looks for the user part only up to the first `/`: an `@` after it belongs to the path.
  let k = 0;
  while (k < rest.length && rest[k] !== '@' && rest[k] !== '/') k++;
  if (rest[k] === '@') {
    const userinfo = rest.slice(0, k);
    const colon = userinfo.indexOf(':');
    const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    if (user) out.push(['user', pctDecode(user)]);
    rest = rest.slice(k + 1);
  }
  const hostEnd = rest.search(/[/?]/);
  const hostspec = hostEnd < 0 ? rest : rest.slice(0, hostEnd);
  const q = rest.indexOf('?');
  const lastAt = rest.lastIndexOf('@', q < 0 ? rest.length : q);
  if (lastAt >= 0) {
    // `u:p@ss@host` or `u:pa/ss@host`: libpq reads part of the password as the host or the database. The command
    // fails there, but what it shows would leak the password: keep only what follows the last `@`.
    throw new AmbiguousAtError(rest.slice(lastAt + 1).split(/[/?]/)[0]);
  }
  rest = hostEnd < 0 ? '' : rest.slice(hostEnd);
  const hosts: string[] = [];
  const ports: string[] = [];
  for (const h of hostspec.split(',')) {
    const hm = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(h)!;
    hosts.push(pctDecode(hm[1].replace(/^\[|\]$/g, '')));
    ports.push(hm[2] ?? '');
  }
  if (hosts.some((h) => h !== '')) out.push(['host', hosts.join(',')]);
  if (ports.some((p) => p !== '')) out.push(['port', ports.join(',')]);
  if (rest.startsWith('/')) {
    const q = rest.indexOf('?');
    const db = q < 0 ? rest.slice(1) : rest.slice(1, q);
    if (db) out.push(['dbname', pctDecode(db)]);
    rest = q < 0 ? '' : rest.slice(q);
  }
  if (rest.startsWith('?')) {
    for (const pair of rest.slice(1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq < 0) throw new Error('missing "=" in a URI query parameter');
      let key = pctDecode(pair.slice(0, eq));
      const value = pctDecode(pair.slice(eq + 1));
      if (key === 'ssl' && value === 'true') key = 'sslmode';
      if (!LIBPQ_KEYWORDS.has(key)) throw new Error('invalid URI query parameter');
      out.push([key, value]);
    }
  }
  return out;
}

/** The service file entry, found as libpq finds it: the user's file first, then the system-wide one. */
function serviceEntry(name: string, env: NodeJS.ProcessEnv, home: string, cwd: string, files: Files):
  { values: Map<string, Sourced>; file: string; line: number } | { error: string } {
  const userFile = env.PGSERVICEFILE ? path.resolve(cwd, env.PGSERVICEFILE) : path.join(home, '.pg_service.conf');
  const sysDir = env.PGSYSCONFDIR || '/etc/postgresql-common';
  const tried: string[] = [];
  for (const file of [userFile, path.join(sysDir, 'pg_service.conf')]) {
    const r = files.readText(file, 1024 * 1024);
    if (!r.ok) {
      // libpq 15 fails when PGSERVICEFILE names a file that is not there; a missing ~/.pg_service.conf is fine.
      if (r.missing && file === userFile && env.PGSERVICEFILE) return { error: `service file ${file} not found` };
      if (r.missing) {
        tried.push(file);
        continue;
      }
      // libpq would read it (and fail or succeed); the guard cannot know where the command goes.
      return { error: `service file ${file} ${r.message}` };
    }
    tried.push(file);
    const lines = r.text.split('\n');
    let inGroup = false;
    let found: { line: number } | undefined;
    const values = new Map<string, Sourced>();
    for (let i = 0; i < lines.length; i++) {
      // libpq reads service lines into a 256-byte buffer and refuses longer ones.
      if (lines[i].length >= 256) return { error: `line ${i + 1} too long in service file ${file}` };
      const line = lines[i].trim();
      if (line === '' || line.startsWith('#')) continue;
      if (line.startsWith('[')) {
        if (found && inGroup) break; // libpq stops at the next group once the service was read
        inGroup = line.startsWith(`[${name}]`) && line.length >= name.length + 2;
        if (inGroup && !found) found = { line: i + 1 };
        continue;
      }
      if (!inGroup) continue;
      const eq = line.indexOf('=');
      if (eq < 0) return { error: `syntax error in service file ${file}, line ${i + 1}` };
      const key = line.slice(0, eq);
      const at = `service file ${file}, line ${i + 1}`;
      if (key === 'service') return { error: `nested service specifications not supported in ${at}` };
      if (!LIBPQ_KEYWORDS.has(key)) return { error: `syntax error in ${at} (unknown "${key}")` };
      if (KEYS.has(key) && !values.has(key)) values.set(key, { value: line.slice(eq + 1), source: file, line: i + 1 });
    }
    if (found) return { values, file, line: found.line };
  }
  return { error: `service "${name}" is not defined in ${tried.join(' or ')}` };
}

/** Where environment values came from when something other than the user set them (Debian's pg_wrapper). */
export type EnvSources = Readonly<Record<string, { source: string; line?: number }>>;

/** Whether a port value is what libpq accepts: digits, comma-separated, spaces around (a loop: no regex). */
function validPorts(v: string): boolean {
  for (const part of v.split(',')) {
    const t = part.trim();
    for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) < 48 || t.charCodeAt(i) > 57) return false;
  }
  return true;
}

/** A resolved PostgreSQL target, or an unresolved one with the reason. */
export function resolvePgTarget(
  args: readonly PgArg[], env: NodeJS.ProcessEnv, home: string, files: Files, cwd = home, envSources: EnvSources = {},
): GuardTarget {
  const params = new Map<string, Sourced>();
  let unresolved: string | undefined;
  let ambiguousHost: string | undefined;
  for (const a of args) {
    if (a.value === undefined) continue;
    if (a.expand && isConnString(a.value)) {
      try {
        const pairs = /^postgres(?:ql)?:\/\//.test(a.value) ? parseConnUri(a.value) : parseConninfo(a.value);
        // Fields of an expanded connection string override what came before, even when empty (an empty
        // `host=''` means the socket and keeps PGHOST out).
        const source = `connection string (${a.source})`;
        for (const [k, v] of pairs) if (KEYS.has(k)) params.set(k, { value: v, source });
      } catch (e) {
        if (e instanceof AmbiguousAtError) ambiguousHost = e.after.split(':')[0];
        unresolved = `${a.source}: ${(e as Error).message}`;
      }
    } else if (a.value !== '') params.set(a.key, { value: a.value, source: a.source }); // empty values never override
  }
  const serviceName = params.get('service')
    ?? (env.PGSERVICE ? { value: env.PGSERVICE, source: 'env:PGSERVICE' } : undefined);
  let serviceLine: { file: string; line: number } | undefined;
  if (serviceName && serviceName.value !== '') {
    const entry = serviceEntry(serviceName.value, env, home, cwd, files);
    if ('error' in entry) unresolved ??= entry.error;
    else {
      serviceLine = { file: entry.file, line: entry.line };
      for (const [k, v] of entry.values) if (!params.has(k)) params.set(k, v);
    }
  }
  const fromEnv: Array<[string, string]> = [
    ['host', 'PGHOST'], ['hostaddr', 'PGHOSTADDR'], ['port', 'PGPORT'], ['dbname', 'PGDATABASE'], ['user', 'PGUSER'],
  ];
  for (const [k, v] of fromEnv) {
    if (params.has(k) || !env[v]) continue;
    params.set(k, { value: env[v]!, source: envSources[v]?.source ?? `env:${v}`, line: envSources[v]?.line });
  }
  const portParam = params.get('port');
  if (portParam && !validPorts(portParam.value)) {
    // libpq refuses the connection; the value is often a password typed into the wrong place: never show it.
    params.delete('port');
    unresolved ??= `invalid port number (${portParam.source})`;
  }
  const nonEmpty = (k: string): Sourced | undefined => (params.get(k)?.value ? params.get(k) : undefined);
  const host = ambiguousHost ? { value: ambiguousHost, source: 'connection string' } : nonEmpty('host');
  const hostaddr = ambiguousHost ? undefined : nonEmpty('hostaddr');
  const user = nonEmpty('user')?.value ?? env.USER ?? env.LOGNAME;
  const db = ambiguousHost ? undefined : nonEmpty('dbname')?.value ?? user;
  const port = nonEmpty('port')?.value;
  const where = host ?? hostaddr;
  const hostName = !where ? 'localhost' : where.value;
  const identifiers = [
    hostName, ...(hostaddr && host ? [hostaddr.value] : []), ...hostName.split(',').filter((h) => h !== hostName),
  ];
  if (port) identifiers.push(...hostName.split(',').map((h) => `${h}:${port.split(',')[0]}`));
  if (db) identifiers.push(db);
  if (serviceName?.value) identifiers.push(serviceName.value);
  const fromService = serviceLine && where?.source === serviceLine.file;
  const source = !where ? 'default (the local Unix socket)'
    : fromService ? `service "${serviceName!.value}" in ${serviceLine!.file}` : where.source;
  const line = where?.line;
  const details: Record<string, string> = {};
  if (where) details.host = hostName;
  if (db) details.dbname = db;
  if (port) details.port = port;
  if (user) details.user = user;
  if (serviceName?.value) details.service = serviceName.value;
  if (!where) details.socket = '/var/run/postgresql';
  // The connection sets `options` itself: libpq then ignores PGOPTIONS (a read-only session must ask instead).
  if (params.get('options')?.value) details.options = 'set';
  return {
    kind: 'database',
    name: db ? `${hostName}/${db}` : hostName,
    identifiers,
    details,
    source,
    ...(line ? { line } : {}),
    ...(unresolved ? { unresolved } : {}),
  };
}
