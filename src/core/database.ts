import * as path from 'path';
import { parse as parseDotenv } from 'dotenv';
import { type Node as JsonNode, type ParseError, parseTree } from 'jsonc-parser';
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { type ConnectionInfo, parseConnectionString } from './connection';
import { lineAt } from './files';

/** A connection string found in a file, before classification. */
export interface FoundConnection {
  readonly info: ConnectionInfo;
  /** The key, JSON property or `database.yml` entry that holds it. */
  readonly key: string;
  readonly line: number;
  /** `null`: loaded by default; a string: only loaded when that mode (NODE_ENV, RAILS_ENV, …) is active. */
  readonly mode: string | null;
}

/** Which family a file belongs to and the mode its name implies. */
export interface DbFileKind {
  readonly format: 'dotenv' | 'appsettings' | 'database.yml';
  /** `null`: loaded by default; `'example'` marks templates no tool loads. */
  readonly mode: string | null;
}

const TEMPLATE_SUFFIXES = new Set(['example', 'sample', 'template', 'dist', 'defaults', 'tmpl', 'tpl', 'bak', 'orig']);

/** Recognizes the files Prod Guard reads connection strings from (by path relative to the folder). */
export function dbFileKind(relPath: string): DbFileKind | undefined {
  const base = path.basename(relPath);
  if (base === '.env' || base === '.env.local') return { format: 'dotenv', mode: null };
  if (base.startsWith('.env.')) {
    const parts = base.slice(5).split('.');
    if (parts.some((p) => TEMPLATE_SUFFIXES.has(p.toLowerCase()))) return { format: 'dotenv', mode: 'example' };
    return { format: 'dotenv', mode: parts[0] };
  }
  const app = /^appsettings(?:\.(.+))?\.json$/i.exec(base);
  if (app) return { format: 'appsettings', mode: app[1] ?? null };
  if (base === 'database.yml' && path.basename(path.dirname(relPath)) === 'config') return { format: 'database.yml', mode: null };
  return undefined;
}

/** Normalizes mode names so `prod`, `Production` and `production` are one mode. */
export function normalizeMode(mode: string): string {
  const m = mode.trim().toLowerCase();
  return ({ prod: 'production', prd: 'production', dev: 'development', stage: 'staging', stg: 'staging' } as Record<string, string>)[m] ?? m;
}

/** Variables that name the active mode for each file family, in order. */
export const MODE_VARS: Readonly<Record<DbFileKind['format'], readonly string[]>> = {
  dotenv: ['NODE_ENV', 'APP_ENV', 'RAILS_ENV', 'RACK_ENV', 'ENVIRONMENT'],
  appsettings: ['ASPNETCORE_ENVIRONMENT', 'DOTNET_ENVIRONMENT'],
  'database.yml': ['RAILS_ENV', 'RACK_ENV'],
};

/** The active mode of a family and the variable that set it; Rails defaults to `development`. */
export function activeMode(format: DbFileKind['format'], env: NodeJS.ProcessEnv): { mode: string; variable: string } | undefined {
  for (const v of MODE_VARS[format]) {
    const value = env[v]?.trim();
    if (value) return { mode: normalizeMode(value), variable: v };
  }
  return format === 'database.yml' ? { mode: 'development', variable: 'RAILS_ENV (unset: Rails default)' } : undefined;
}

/** Connection strings in a dotenv file (`export`, quotes and comments as dotenv reads them). */
export function connectionsInDotenv(text: string, mode: string | null): FoundConnection[] {
  const parsed = parseDotenv(text);
  const out: FoundConnection[] = [];
  const lines = text.split(/\r?\n/);
  for (const [key, value] of Object.entries(parsed)) {
    const info = parseConnectionString(value);
    if (!info) continue;
    const re = new RegExp(`^\\s*(?:export\\s+)?${key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\s*[=:]`);
    // dotenv keeps the last definition of a key; so does the line we point at.
    let line = 1;
    lines.forEach((l, i) => {
      if (re.test(l)) line = i + 1;
    });
    out.push({ info, key, line, mode });
  }
  return out;
}

/** Connection strings under `ConnectionStrings` in an appsettings JSON (comments and trailing commas allowed). */
export function connectionsInAppsettings(text: string, mode: string | null): FoundConnection[] {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !root) {
    const off = errors[0]?.offset ?? 0;
    throw new Error(`invalid JSON at line ${lineAt(text, off)}`);
  }
  if (root.type !== 'object') return [];
  const section = root.children?.find((p) => p.children?.[0]?.value?.toString().toLowerCase() === 'connectionstrings');
  const obj: JsonNode | undefined = section?.children?.[1];
  const out: FoundConnection[] = [];
  for (const prop of obj?.type === 'object' ? obj.children ?? [] : []) {
    const [k, v] = prop.children ?? [];
    if (!k || !v || v.type !== 'string') continue;
    const info = parseConnectionString(String(v.value));
    if (info) out.push({ info, key: `ConnectionStrings:${String(k.value)}`, line: lineAt(text, prop.offset), mode });
  }
  return out;
}

function entryConnection(entry: Record<string, unknown>): ConnectionInfo | undefined {
  const url = entry.url;
  if (typeof url === 'string' && !url.includes('<%')) {
    const info = parseConnectionString(url);
    if (info) return info;
  }
  const adapter = typeof entry.adapter === 'string' ? entry.adapter : undefined;
  const database = typeof entry.database === 'string' && !entry.database.includes('<%') ? entry.database : undefined;
  let host = typeof entry.host === 'string' && !entry.host.includes('<%') ? entry.host : undefined;
  if (!host && adapter?.startsWith('sqlite')) host = 'localhost';
  if (!host && database && adapter) host = 'localhost'; // Rails connects to the local socket when no host is given
  if (!host) return undefined;
  const port = typeof entry.port === 'number' || typeof entry.port === 'string' ? String(entry.port) : undefined;
  const scheme = adapter ?? 'database';
  return { scheme, host, port, database, masked: `${scheme}://${host}${port ? `:${port}` : ''}${database ? `/${database}` : ''}` };
}

/** Connection entries of a Rails `config/database.yml`, one per environment (and per database in multi-db). */
export function connectionsInDatabaseYml(text: string): FoundConnection[] {
  const lc = new LineCounter();
  // ERB tags (`<%= ENV[...] %>`) are not YAML; blank them out so the structure still parses.
  const cleaned = text.replace(/<%.*?%>/g, (m) => `<%${' '.repeat(Math.max(0, m.length - 2))}`.slice(0, m.length));
  const doc = parseDocument(cleaned, { lineCounter: lc, merge: true, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new Error(`invalid YAML${e.linePos?.[0] ? ` at line ${e.linePos[0].line}` : ''}: ${e.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) return [];
  const out: FoundConnection[] = [];
  const lineOf = (n: unknown): number => {
    const r = (n as { range?: [number, number, number] } | null)?.range;
    return r ? lc.linePos(r[0]).line : 1;
  };
  // Resolve anchors and `<<` merges on the whole document; the AST only supplies line numbers.
  let js: Record<string, unknown>;
  try {
    js = (doc.toJS({ maxAliasCount: 1000 }) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`invalid YAML: ${(e as Error).message}`);
  }
  const asRecord = (v: unknown): Record<string, unknown> | undefined =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  for (const pair of (doc.contents as YAMLMap).items) {
    if (!isScalar(pair.key)) continue;
    const envName = String(pair.key.value);
    const entry = asRecord(js[envName]);
    if (!entry) continue;
    const direct = entryConnection(entry);
    if (direct) {
      out.push({ info: direct, key: envName, line: lineOf(pair.key), mode: envName });
      continue;
    }
    // Rails multi-database: production: { primary: {...}, analytics: {...} }
    const subLines = new Map<string, number>();
    if (isMap(pair.value)) for (const sub of pair.value.items) if (isScalar(sub.key)) subLines.set(String(sub.key.value), lineOf(sub.key));
    for (const [subName, subValue] of Object.entries(entry)) {
      const sub = asRecord(subValue);
      const info = sub && entryConnection(sub);
      if (info) out.push({ info, key: `${envName}.${subName}`, line: subLines.get(subName) ?? lineOf(pair.key), mode: envName });
    }
  }
  return out;
}
