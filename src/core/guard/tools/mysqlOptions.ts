// MariaDB option files, read as the 10.11 clients read them (mysys/my_default.c, proven against
// `mysql --print-defaults` and `mysql --verbose --help` in test/system/mysql-real.test.ts):
// - the leading `--no-defaults` / `--defaults-file=` / `--defaults-extra-file=` / `--defaults-group-suffix=`
//   arguments (exact spellings, only before every other argument, each at most once) and `--print-defaults`;
// - the files: /etc/my.cnf, /etc/mysql/my.cnf, $MARIADB_HOME/my.cnf (else $MYSQL_HOME/my.cnf), the extra file,
//   ~/.my.cnf ($HOME only), or the one `--defaults-file`; a world-writable file is ignored;
// - groups matched case-insensitively and exactly; options from every read group in file order (the last wins);
// - `!include FILE` and `!includedir DIR` (`.cnf` files in byte order), relative to the current folder, `~/`
//   expanded, 10 levels deep; on the last line without a newline the client drops the path's last character;
// - lines read in 4094-byte pieces (fgets): the tail of a longer line is read as a line of its own;
// - `#` comments outside quotes, one pair of matching outer quotes removed, `\n \t \r \b \s \" \' \\` escapes.
// Errors the client treats as fatal (a missing required file, a malformed line, an !includedir that cannot be
// read) abort it before it connects; an included file's own errors only end that file.
import type { Files } from '../../files';

/** File-system capabilities beyond `Files` that option files need; used when the `Files` object has them. */
export interface OptionFiles extends Files {
  /** Entry names of a folder (any order), for `!includedir`. */
  listDir?(dir: string): { ok: true; names: string[] } | { ok: false; missing: boolean; message: string };
  /** Permission bits of a file (`st_mode & 0o7777`), for the client's world-writable rule; undefined if unknown. */
  mode?(file: string): number | undefined;
}

/** The leading arguments that choose the option files (my_default.c `get_defaults_options`). */
export interface DefaultsArgs {
  readonly noDefaults: boolean;
  readonly defaultsFile?: string;
  readonly extraFile?: string;
  readonly groupSuffix?: string;
  /** `--print-defaults`: the client prints its arguments and exits. */
  readonly printDefaults: boolean;
  /** How many leading argv entries these took (the option parser never sees them). */
  readonly consumed: number;
}

/** Reads the leading defaults arguments exactly as the client does (anywhere else they are unknown options). */
export function leadingDefaults(argv: readonly string[]): DefaultsArgs {
  let i = 0;
  let noDefaults = false;
  let defaultsFile: string | undefined;
  let extraFile: string | undefined;
  let groupSuffix: string | undefined;
  if (argv[0] === '--no-defaults') {
    noDefaults = true;
    i = 1;
  } else {
    for (; i < argv.length; i++) {
      const a = argv[i];
      if (defaultsFile === undefined && a.startsWith('--defaults-file=')) defaultsFile = a.slice(16);
      else if (extraFile === undefined && a.startsWith('--defaults-extra-file=')) extraFile = a.slice(22);
      else if (groupSuffix === undefined && a.startsWith('--defaults-group-suffix=')) groupSuffix = a.slice(24);
      else break;
    }
  }
  const printDefaults = argv[i] === '--print-defaults';
  return { noDefaults, defaultsFile, extraFile, groupSuffix, printDefaults, consumed: i + (printDefaults ? 1 : 0) };
}

/** One option line of a read group, as the client passes it to its option parser (`--` + this). */
export interface FileOption {
  /** `host=prod-db` or `skip-ssl` (escapes applied, quotes removed). */
  readonly option: string;
  readonly file: string;
  readonly line: number;
}

/** What the option files give a client. */
export interface OptionFilesResult {
  readonly options: readonly FileOption[];
  /** Files read, in order. */
  readonly files: readonly string[];
  /** Why the guard cannot know what the client reads: the target is then unresolved. */
  readonly unresolved: readonly string[];
  /** Client warnings (ignored world-writable files, skipped directives, errors inside included files). */
  readonly warnings: readonly string[];
  /** A fatal error: the client prints it and exits before connecting. */
  readonly fatal?: string;
}

/** Where the client looks, and what it may look at. */
export interface OptionFilesRequest {
  /** The groups the client reads (`mysql`, `client`…), before the suffix is added. */
  readonly groups: readonly string[];
  readonly defaults: DefaultsArgs;
  readonly env: NodeJS.ProcessEnv;
  /** The home folder used when the environment has no HOME at all (the client itself then reads no ~/.my.cnf). */
  readonly home: string;
  readonly cwd: string;
  readonly files: OptionFiles;
  /** The compiled-in system folders (Debian: /etc/ and /etc/mysql/); tests point them at fixtures. */
  readonly systemDirs?: readonly string[];
}

/** The system folders of MariaDB's Debian build (DEFAULT_SYSCONFDIR unset). */
export const SYSTEM_DIRS: readonly string[] = ['/etc/', '/etc/mysql/'];

/** fgets(buff, 4095) in search_default_file_with_ext: at most 4094 bytes per read. */
const CHUNK_BYTES = 4094;
/** `max_recursion_level` of my_default.c: directives deeper than this are skipped with a warning. */
const MAX_RECURSION = 10;
/** The guard's own bound on files read for one command (a file including itself fans out). */
const MAX_FILES = 200;
const MAX_FILE_BYTES = 1024 * 1024;

const SPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f']);
const isSpace = (c: string | undefined): boolean => c !== undefined && SPACE.has(c);

/** `~/x` → `$HOME/x` as MY_UNPACK_FILENAME does; relative paths against the current folder. */
function expandPath(p: string, home: string | undefined, cwd: string): string | { unresolved: string } {
  let out = p;
  if (out === '~' || out.startsWith('~/')) {
    if (!home) return { unresolved: `${p}: no $HOME to expand ~` };
    out = home.replace(/\/+$/, '') + out.slice(1);
  } else if (out.startsWith('~')) {
    return { unresolved: `${p}: ~user paths are not resolved by the guard` };
  }
  if (!out.startsWith('/')) out = `${cwd.replace(/\/+$/, '')}/${out}`;
  return out;
}

/** normalize_dirname: a folder name ends with one `/`. */
function dirName(d: string): string {
  return d === '' ? '' : d.endsWith('/') ? d : `${d}/`;
}

/** Splits text as fgets with a 4095-byte buffer would: lines, and pieces of at most 4094 bytes of long lines. */
function fgetsLines(text: string): string[] {
  const out: string[] = [];
  const enc = new TextEncoder();
  const dec = new TextDecoder('utf-8');
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.slice(start, end);
    start = end;
    // Fast path: a line of at most 4094 UTF-16 units that are all ASCII is at most 4094 bytes.
    if (line.length <= CHUNK_BYTES / 3 || (line.length <= CHUNK_BYTES && /^[\x00-\x7f]*$/.test(line))) {
      out.push(line);
      continue;
    }
    const bytes = enc.encode(line);
    for (let b = 0; b < bytes.length; b += CHUNK_BYTES) out.push(dec.decode(bytes.subarray(b, b + CHUNK_BYTES)));
  }
  return out;
}

/** remove_end_comment: cuts at the first `#` outside quotes (a backslash escapes only inside quotes). */
function cutComment(s: string): string {
  let quote = '';
  let escape = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ((c === "'" || c === '"') && !escape) {
      if (!quote) quote = c;
      else if (quote === c) quote = '';
    }
    if (!quote && c === '#') return s.slice(0, i);
    escape = quote !== '' && c === '\\' && !escape;
  }
  return s;
}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n', t: '\t', r: '\r', b: '\b', s: ' ', '"': '"', "'": "'", '\\': '\\',
};

/** The option a `key = value` line gives, or undefined for an empty key (which the client rejects). */
function optionOf(line: string): string | undefined {
  const body = cutComment(line);
  const eq = body.indexOf('=');
  let keyEnd = eq >= 0 ? eq : body.length;
  while (keyEnd > 0 && isSpace(body[keyEnd - 1])) keyEnd--;
  const key = body.slice(0, keyEnd);
  if (eq < 0) return key;
  let v = eq + 1;
  while (v < body.length && isSpace(body[v])) v++;
  let ve = body.length;
  while (ve > v && isSpace(body[ve - 1])) ve--;
  if ((body[v] === '"' || body[v] === "'") && v + 1 < ve && body[v] === body[ve - 1]) {
    v++;
    ve--;
  }
  let value = '';
  for (let i = v; i < ve; i++) {
    if (body[i] === '\\' && i !== ve - 1) {
      i++;
      value += ESCAPES[body[i]] ?? `\\${body[i]}`;
    } else value += body[i];
  }
  return `${key}=${value}`;
}

/** The argument of `!include`/`!includedir`, trimmed the way get_argument trims it (it assumes a newline). */
function directiveArgument(rest: string): string {
  let p = 0;
  while (p < rest.length && isSpace(rest[p])) p++;
  // The client steps back from the last character (the newline it expects) over white space before it.
  let end = rest.length - 1;
  while (end - 1 >= p && isSpace(rest[end - 1])) end--;
  return end <= p ? '' : rest.slice(p, end);
}

interface ReadState {
  readonly req: OptionFilesRequest;
  readonly home: string | undefined;
  readonly groups: ReadonlySet<string>;
  readonly options: FileOption[];
  readonly files: string[];
  readonly unresolved: string[];
  readonly warnings: string[];
  count: number;
}

/** Outcome of one file: read (0), absent (1), or a fatal error in it (-1), as search_default_file_with_ext. */
type FileOutcome = 0 | 1 | { fatal: string };

function isDirectory(st: ReadState, file: string): boolean {
  const l = st.req.files.listDir?.(file);
  return l !== undefined && l.ok;
}

function readOne(st: ReadState, file: string, level: number): FileOutcome {
  if (++st.count > MAX_FILES) {
    if (st.count === MAX_FILES + 1) st.unresolved.push(`more than ${MAX_FILES} option files (an include loop?)`);
    return 0;
  }
  const r = st.req.files.readText(file, MAX_FILE_BYTES);
  if (!r.ok) {
    if (r.missing) return 1;
    // The client opens a folder and reads nothing from it; anything else it can read and the guard cannot.
    if (isDirectory(st, file)) return 0;
    st.unresolved.push(`option file ${file} ${r.message}`);
    return 0;
  }
  const mode = st.req.files.mode?.(file);
  if (mode !== undefined && (mode & 0o002) !== 0) {
    st.warnings.push(`World-writable config file '${file}' is ignored`);
    return 0;
  }
  st.files.push(file);
  let group: string | undefined;
  const lines = fgetsLines(r.text);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    let p = 0;
    while (p < raw.length && isSpace(raw[p])) p++;
    const c = raw[p];
    if (c === undefined || c === '#' || c === ';') continue;
    const where = `${file} at line ${n + 1}`;
    if (c === '!') {
      if (level >= MAX_RECURSION) {
        st.warnings.push(`skipping '${raw.trim()}': include recursion limit in ${where}`);
        continue;
      }
      p++;
      while (p < raw.length && isSpace(raw[p])) p++;
      const rest = raw.slice(p);
      const dir = rest.startsWith('includedir') && isSpace(rest[10]);
      const inc = !dir && rest.startsWith('include') && isSpace(rest[7]);
      if (!dir && !inc) continue; // unknown directives are ignored
      const arg = directiveArgument(rest.slice(dir ? 10 : 7));
      if (!arg) return { fatal: `Wrong '!${dir ? 'includedir' : 'include'}' directive in config file: ${where}` };
      const target = expandPath(arg, st.home, st.req.cwd);
      if (typeof target !== 'string') {
        st.unresolved.push(`${target.unresolved} (${where})`);
        continue;
      }
      if (inc) {
        nested(st, readOne(st, target, level + 1), target);
        continue;
      }
      const listed = st.req.files.listDir?.(target);
      if (!listed) {
        st.unresolved.push(`!includedir ${target} (${where}): the guard cannot list folders here`);
        continue;
      }
      if (!listed.ok) return { fatal: `Can't read dir of '${target}' (${listed.message}) in ${where}` };
      const names = listed.names.filter((x) => x.lastIndexOf('.') >= 0 && x.slice(x.lastIndexOf('.')) === '.cnf');
      names.sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
      for (const name of names) {
        const f = `${target.replace(/\/+$/, '')}/${name}`;
        nested(st, readOne(st, f, level + 1), f);
      }
      continue;
    }
    if (c === '[') {
      const close = raw.indexOf(']', p + 1);
      if (close < 0) return { fatal: `Wrong group definition in config file: ${where}` };
      let e = close;
      while (e > p + 1 && isSpace(raw[e - 1])) e--;
      group = raw.slice(p + 1, e).toLowerCase();
      continue;
    }
    if (group === undefined) return { fatal: `Found option without preceding group in config file: ${where}` };
    if (!st.groups.has(group)) continue;
    const option = optionOf(raw.slice(p));
    if (option !== undefined) st.options.push({ option, file, line: n + 1 });
  }
  return 0;
}

/** An included file's result: its errors end only that file (the client ignores the return value). */
function nested(st: ReadState, out: FileOutcome, file: string): void {
  if (typeof out === 'object') st.warnings.push(`${out.fatal} (the rest of ${file} is skipped)`);
}

/**
 * The options every option file gives the client, in the order its parser sees them (before the command line).
 * Never throws; bounded by the number and size of files.
 */
export function readOptionFiles(req: OptionFilesRequest): OptionFilesResult {
  const { defaults, env } = req;
  const base = { options: [], files: [], unresolved: [], warnings: [] };
  if (defaults.noDefaults) return base;
  const home = 'HOME' in env ? env.HOME || undefined : req.home || undefined;
  const suffix = defaults.groupSuffix ?? env.MARIADB_GROUP_SUFFIX ?? env.MYSQL_GROUP_SUFFIX;
  const groups = new Set(req.groups.map((g) => g.toLowerCase()));
  if (suffix !== undefined) for (const g of req.groups) groups.add(`${g}${suffix}`.toLowerCase());
  const st: ReadState = { req, home, groups, options: [], files: [], unresolved: [], warnings: [], count: 0 };
  const done = (fatal?: string): OptionFilesResult => ({
    options: st.options, files: st.files, unresolved: st.unresolved, warnings: st.warnings, ...(fatal ? { fatal } : {}),
  });
  const required = (p: string): string | undefined => {
    const f = expandPath(p, home, req.cwd);
    if (typeof f !== 'string') {
      st.unresolved.push(f.unresolved);
      return undefined;
    }
    const out = readOne(st, f, 0);
    if (out === 1) return `Could not open required defaults file: ${f}`;
    return typeof out === 'object' ? out.fatal : undefined;
  };
  if (defaults.defaultsFile !== undefined) {
    // An empty --defaults-file= names the current folder: the client reads nothing and goes on.
    return done(defaults.defaultsFile === '' ? undefined : required(defaults.defaultsFile));
  }
  // init_default_directories: a folder already listed moves to the end (array_append_string_unique).
  const dirs: string[] = [];
  const add = (d: string): void => {
    const n = dirName(d);
    const at = dirs.indexOf(n);
    if (at >= 0) dirs.splice(at, 1);
    dirs.push(n);
  };
  for (const d of req.systemDirs ?? SYSTEM_DIRS) add(d);
  const mhome = env.MARIADB_HOME ?? env.MYSQL_HOME;
  if (mhome !== undefined) add(mhome);
  add('');
  add('~/');
  for (const d of dirs) {
    let file: string;
    if (d === '') {
      if (!defaults.extraFile) continue;
      const fatal = required(defaults.extraFile);
      if (fatal) return done(fatal);
      continue;
    }
    if (d.startsWith('~')) {
      // A folder under ~ holds `.my.cnf`, not `my.cnf` (my_default.c adds the dot for home folders).
      const f = expandPath(`${d}.my.cnf`, home, req.cwd);
      if (typeof f !== 'string') {
        if (d !== '~/') st.unresolved.push(f.unresolved);
        continue;
      }
      file = f;
    } else {
      file = d.startsWith('/') ? `${d}my.cnf` : `${req.cwd.replace(/\/+$/, '')}/${d}my.cnf`;
    }
    const out = readOne(st, file, 0);
    if (typeof out === 'object') return done(out.fatal);
  }
  return done();
}
