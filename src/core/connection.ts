import { MASK, maskSecrets } from './mask';

/** What Prod Guard keeps of a connection string: where it points, never its password. */
export interface ConnectionInfo {
  /** `postgres`, `mysql`, `mongodb+srv`, `sqlserver`, `jdbc:postgresql`, `ado.net`, … */
  readonly scheme: string;
  /** Host name(s), comma separated for multi-host URLs; no port. */
  readonly host: string;
  readonly port?: string;
  readonly database?: string;
  /** The string with every password and key replaced by `***`. */
  readonly masked: string;
}

const URL_SCHEMES = new Set([
  'postgres', 'postgresql', 'mysql', 'mysql2', 'mariadb', 'mongodb', 'mongodb+srv', 'redis', 'rediss', 'sqlserver', 'mssql',
  'cockroachdb', 'clickhouse', 'amqp', 'amqps',
]);

export { maskSecrets } from './mask';

function parseUrlLike(value: string, scheme: string, rest: string): ConnectionInfo | undefined {
  // Hand-parsed: WHATWG URL rejects multi-host strings such as mongodb://a:1,b:2/db.
  const m = /^\/\/(?:([^@/?#]*)@)?([^/?#;]*)(\/[^?#;]*)?/.exec(rest);
  if (!m) return undefined;
  const hosts = m[2].split(',').map((h) => h.trim()).filter(Boolean);
  if (hosts.length === 0) return undefined;
  const parsedHosts = hosts.map((h) => {
    const hm = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h);
    return hm ? { host: hm[1].replace(/^\[|\]$/g, ''), port: hm[2] } : { host: h, port: undefined };
  });
  let database = m[3] ? decodeSafe(m[3].slice(1)) : undefined;
  if (scheme.startsWith('redis') && database !== undefined && /^\d+$/.test(database)) database = `db${database}`;
  if (!database) {
    // JDBC SQL Server and friends put the database in `;databaseName=` properties.
    const prop = /[;?&](?:databaseName|database|dbname)=([^;&]+)/i.exec(rest);
    if (prop) database = decodeSafe(prop[1]);
  }
  return {
    scheme,
    host: parsedHosts.map((h) => decodeSafe(h.host)).join(','),
    port: parsedHosts[0].port,
    database: database || undefined,
    masked: maskSecrets(value),
  };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseAdoNet(value: string): ConnectionInfo | undefined {
  const props = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    props.set(part.slice(0, eq).trim().toLowerCase().replace(/\s+/g, ' '), part.slice(eq + 1).trim().replace(/^(['"])(.*)\1$/, '$2'));
  }
  const server = ['server', 'data source', 'address', 'addr', 'network address', 'host'].map((k) => props.get(k)).find(Boolean);
  const database = ['database', 'initial catalog'].map((k) => props.get(k)).find(Boolean);
  if (!server || (!database && !props.has('user id') && !props.has('uid') && !props.has('password') && !props.has('integrated security'))) {
    return undefined;
  }
  const hm = /^(?:tcp:|np:|lpc:)?([^,\\]+?)(?:,(\d+))?(?:\\.*)?$/i.exec(server);
  const host = hm ? hm[1] : server;
  return {
    scheme: 'ado.net',
    host: host === '.' || host.toLowerCase() === '(local)' ? 'localhost' : host,
    port: hm?.[2],
    database,
    // ADO.NET passwords may contain spaces: mask up to the next `;`.
    masked: maskSecrets(value.replace(/((?:^|;)\s*(?:password|pwd)\s*=)[^;]*/gi, `$1${MASK}`)),
  };
}

/** Recognizes a database connection string (URL, JDBC or ADO.NET) and keeps only its target, masked. */
export function parseConnectionString(input: string): ConnectionInfo | undefined {
  const value = input.trim();
  if (value.length < 6 || value.length > 4096) return undefined;
  const jdbc = /^jdbc:([a-z0-9]+)(?::thin)?:(.*)$/i.exec(value);
  if (jdbc) {
    const sub = jdbc[1].toLowerCase();
    const rest = jdbc[2];
    if (rest.startsWith('//')) return parseUrlLike(value, `jdbc:${sub}`, rest);
    // Oracle thin: @host:port:SID or @//host:port/service
    const ora = /^@(?:\/\/)?([^:/]+)(?::(\d+))?[:/]([^?]+)/.exec(rest);
    if (ora) return { scheme: `jdbc:${sub}`, host: ora[1], port: ora[2], database: ora[3], masked: maskSecrets(value) };
    return undefined;
  }
  const url = /^([a-z][a-z0-9+]*):(\/\/.*)$/i.exec(value);
  if (url) {
    const scheme = url[1].toLowerCase();
    return URL_SCHEMES.has(scheme) ? parseUrlLike(value, scheme, url[2]) : undefined;
  }
  if (/(^|;)\s*(server|data source|address|host)\s*=/i.test(value)) return parseAdoNet(value);
  return undefined;
}
