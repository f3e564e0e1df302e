// Secrets never leave the engine: every text that is printed, logged or shown goes through `maskSecrets`, and
// every command line through `maskArgv` (which knows the tool's own secret flags). Both are linear scans:
// regular expressions with nested quantifiers took 1.5 s on a 40 KB argument.

/** What replaces a secret. */
export const MASK = '***';

/** Keys whose value is a secret, compared on the lower-cased key with `-` and `_` removed. */
const SECRET_KEY =
  /(?:pass(?:words?|wd|phrase)?|pwd|secret|token|apikey|accesskey|secretkey|privatekey|auth|authkey|credential|sharedaccesskey|accountkey|sig)$/;
const NOT_SECRET_KEY = /^(?:author|oauth|authority|authenticationdatabase|authmechanism|authsource|bypass|compass|passthrough|tokenizer|authenticationmechanism)$/;

/** Whether a key (`password`, `PGPASSWORD`, `--kube-token`, `aws_secret_access_key`) names a secret. */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/^-+/, '').replace(/[-_.\s]/g, '');
  if (k === '' || k.length > 64 || NOT_SECRET_KEY.test(k)) return false;
  return SECRET_KEY.test(k);
}

/**
 * Flags whose next argument is a secret in every tool that has them; tool-specific ones (`-a`, `-p`,
 * `--password` with an optional value) come from the tool module's `secretArgs`.
 */
const SECRET_FLAGS = new Set(['--token', '--kube-token', '--secret-access-key', '--session-token', '--client-secret',
  '--api-key', '--auth-token', '--access-token']);

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
const isKeyChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;

/**
 * Masks URL passwords (`scheme://user:secret@host`, also when the secret holds `/`, `@`, `:`, `%xx`) and values
 * of secret keys (`password=…`, `PGPASSWORD=…`, `--token=…`, `"password": "…"`, `-a secret`-style flags are
 * handled by `maskArgv`). Linear in the text length.
 */
export function maskSecrets(text: string): string {
  if (text.length === 0) return text;
  return maskSqlPasswords(maskKeyValues(maskUrls(text)));
}

/** `PASSWORD 'x'`, `PASSWORD = 'x'`, `PASSWORD('x')`, `IDENTIFIED [WITH plugin] BY 'x'` in SQL text. */
const SQL_PASSWORD = /\b(?:password|identified(?:\s+with\s+[\w'"`]+)?\s+by)(?:\s+|\s*=\s*|\s*\(\s*)(['"])/gi;

function maskSqlPasswords(text: string): string {
  let out = '';
  let last = 0;
  SQL_PASSWORD.lastIndex = 0;
  for (let m = SQL_PASSWORD.exec(text); m; m = SQL_PASSWORD.exec(text)) {
    const q = m[1];
    const start = m.index + m[0].length;
    let end = start;
    // The literal ends at its closing quote; doubled quotes and backslash escapes stay inside it.
    while (end < text.length) {
      if (text[end] === '\\') end += 2;
      else if (text[end] === q && text[end + 1] === q) end += 2;
      else if (text[end] === q) break;
      else end++;
    }
    end = Math.min(end, text.length);
    if (end > start && text.slice(start, end) !== MASK) {
      out += text.slice(last, start) + MASK;
      last = end;
    }
    SQL_PASSWORD.lastIndex = Math.max(end, SQL_PASSWORD.lastIndex);
  }
  return last === 0 ? text : out + text.slice(last);
}

/** The end of the whitespace-free run that starts at `from`. */
function runEnd(text: string, from: number): number {
  let e = from;
  while (e < text.length && !isSpace(text.charCodeAt(e)) && text[e] !== '"' && text[e] !== "'") e++;
  return e;
}

function maskUrls(text: string): string {
  let out = '';
  let last = 0;
  let i = text.indexOf('://');
  while (i >= 0) {
    const start = i + 3;
    const end = runEnd(text, start);
    // The userinfo ends at the last `@` of the run: passwords are often written with raw `/`, `@` or `:`.
    // Both scans stay inside the run, so the whole pass is linear.
    let at = end - 1;
    while (at >= start && text.charCodeAt(at) !== 64) at--;
    if (at >= start) {
      let colon = start;
      while (colon < at && text.charCodeAt(colon) !== 58) colon++;
      if (colon < at) {
        out += text.slice(last, colon + 1) + MASK;
        last = at;
      } else if (at - start >= 16 && /^[\w.~%+-]+$/.test(text.slice(start, at))) {
        out += text.slice(last, start) + MASK; // a bare token as userinfo (`https://ghp_…@host`)
        last = at;
      }
    }
    i = text.indexOf('://', Math.max(end, start));
  }
  return last === 0 ? text : out + text.slice(last);
}

function maskKeyValues(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let valueStart: number;
    let keyEnd = i;
    let quotedKey = false;
    let yaml = false;
    if (c === 61 /* = */) {
      valueStart = i + 1;
    } else if (c === 58 /* : */) {
      // "password": "value" (JSON, also with spaces before the colon), 'password': 'x', and YAML `password: x`.
      let k = i;
      while (k > 0 && (text[k - 1] === ' ' || text[k - 1] === '\t') && i - k < 4) k--;
      if (k > 0 && (text[k - 1] === '"' || text[k - 1] === "'")) {
        keyEnd = k - 1;
        quotedKey = true;
      } else if (text[i + 1] === ' ' || text[i + 1] === '\t') {
        keyEnd = k;
        yaml = true;
      } else continue;
      valueStart = i + 1;
      while (valueStart < text.length && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
    } else continue;
    // The key: up to 64 key characters before `=` (or inside the quotes before `":`), spaces allowed before `=`.
    let k = keyEnd;
    while (!quotedKey && !yaml && k > 0 && isSpace(text.charCodeAt(k - 1)) && keyEnd - k < 4) k--;
    let ks = k;
    if (quotedKey) {
      const q = text[keyEnd];
      ks = k - 1;
      while (ks >= 0 && text[ks] !== q && k - ks <= 66) ks--;
      if (ks < 0 || text[ks] !== q) continue;
      ks++;
    } else {
      while (ks > 0 && isKeyChar(text.charCodeAt(ks - 1)) && k - ks < 64) ks--;
    }
    if (!isSecretKey(text.slice(ks, k))) continue;
    const before = ks > 0 ? text[ks - 1] : '';
    let vs = valueStart;
    while (c === 61 && vs < text.length && text[vs] === ' ' && vs - valueStart < 4) vs++;
    let ve: number;
    const q = text[vs];
    if (q === '"' || q === "'") {
      // A quoted value ends at its closing quote; backslash escapes (`'it\'s'`) stay inside.
      ve = vs + 1;
      while (ve < text.length && text[ve] !== q) ve += text[ve] === '\\' ? 2 : 1;
      ve = Math.min(ve, text.length);
      vs++;
    } else {
      // Unquoted: up to whitespace (libpq conninfo reads `"`, `;` and `,` as part of the value), or up to `&` in
      // a URL query, `;` in an ADO.NET string (where spaces belong to the value), the line end in YAML.
      const stops = before === '?' || before === '&' ? '&#' : before === ';' ? ';' : '';
      ve = vs;
      while (ve < text.length) {
        const ch = text[ve];
        if (ch === '\n' || ch === '\r') break;
        if (stops.includes(ch)) break;
        if (before !== ';' && !yaml && isSpace(text.charCodeAt(ve))) break;
        if (quotedKey && (ch === ',' || ch === '}')) break;
        ve++;
      }
    }
    if (ve === vs) continue;
    out += text.slice(last, vs) + MASK;
    last = ve;
    i = ve - 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Masks every string in a JSON-able value (for `--json` outputs: masking the text would break escapes). */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v)) as T;
  if (value && typeof value === 'object') {
    const masked = Object.entries(value)
      .map(([k, v]) => [k, isSecretKey(k) && typeof v === 'string' ? MASK : maskDeep(v)]);
    return Object.fromEntries(masked) as T;
  }
  return value;
}

/** An argument that holds a URL: the password is everything between `user:` and the last `@` of the argument. */
function maskUrlArgument(a: string): string {
  const i = a.indexOf('://');
  if (i < 0) return a;
  const at = a.lastIndexOf('@');
  if (at <= i + 3) return a;
  const colon = a.indexOf(':', i + 3);
  return colon >= 0 && colon < at ? `${a.slice(0, colon + 1)}${MASK}${a.slice(at)}` : a;
}

/**
 * A command line for display with every secret masked: the indices the tool's module reported (the value of
 * `-pSECRET`, `-a SECRET`, `--token T`), the arguments after well-known secret flags, and whatever
 * `maskSecrets` finds in each argument. `secretArgs` index `argv` (tool name included at 0 when `offset` is 1).
 */
export function maskArgv(argv: readonly string[], secretArgs: readonly number[] = [], offset = 0): string[] {
  const secret = new Set(secretArgs.map((i) => i + offset));
  return argv.map((a, i) => {
    if (secret.has(i)) {
      if (!a.startsWith('-')) return MASK;
      // `--password=x` keeps its name; an attached short value (`-pSECRET`, `-sNpSECRET`) keeps the first flag only.
      const eq = a.indexOf('=');
      return a.startsWith('--') && eq > 0 ? `${a.slice(0, eq + 1)}${MASK}` : `${a.slice(0, 2)}${MASK}`;
    }
    if (i > 0 && SECRET_FLAGS.has(argv[i - 1].toLowerCase()) && !a.startsWith('-')) return MASK;
    return maskSecrets(maskUrlArgument(a));
  });
}
